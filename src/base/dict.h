/*
** dict.h: named code → label tables served by GET /api/dict.
*/
#ifndef GG_DICT_H
#define GG_DICT_H

struct dict_entry {
	const char *code;
	const char *label;
};

struct dict {
	const char *name;
	const struct dict_entry *entries;   /* ends with {NULL} */
};

#endif
