/*
** embed.h: data files compiled into the binary (scripts/embed.sh generates
** the table from everything under data/, the migrations, web/ and the
** ECharts module the pages load from node_modules/). The bytes are static and
** read-only; every file is followed by a NUL so text can be used as a C string.
*/
#ifndef GG_EMBED_H
#define GG_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *path;          /* e.g. "data/calendar/cn-2024.csv" */
	const unsigned char *data;
	size_t len;
	const char *sum;           /* first 16 hex digits of its SHA-256 (ETags) */
};

/* Terminated by an entry with path == NULL. */
extern const struct embed_file embed_files[];

/* The file at path, or NULL; *len set when found (len may be NULL). */
const unsigned char *embed_get(const char *path, size_t *len);

#endif
