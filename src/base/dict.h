/*
** dict.h: names shown to users, defined once in C (RuoYi's 字典). A domain
** module defines its tables as `const struct dict <mod>_dicts[]` (ending
** with {NULL}); src/http/api_dict.c lists the modules' arrays and serves
** them at GET /api/dict, so the web copies no name.
**
** Codes are what the API and exports carry; labels what a person reads.
** Everything here is static and read-only.
*/
#ifndef GG_DICT_H
#define GG_DICT_H

#include <stddef.h>
#include <string.h>

struct dict_entry {
	const char *code;     /* "open", "1", "config"                 */
	const char *label;    /* "待处理", "一级", "配置类"              */
};

struct dict {
	const char *name;     /* "desk.ticket_status": <module>.<what> */
	const struct dict_entry *entries;   /* ends with {NULL, NULL}   */
};

/* The label of code in d, NULL when d has no such code. */
static inline const char *dict_label(const struct dict_entry *d, const char *code)
{
	for (; code && d->code; d++)
		if (strcmp(d->code, code) == 0)
			return d->label;
	return NULL;
}

#endif
