/*
** embed.c: lookup in the table of embedded files (see embed.h).
*/
#include "base/embed.h"

#include <string.h>

const unsigned char *embed_get(const char *path, size_t *len)
{
	for (const struct embed_file *f = embed_files; f->path; f++) {
		if (strcmp(f->path, path) == 0) {
			if (len)
				*len = f->len;
			return f->data;
		}
	}
	return NULL;
}
