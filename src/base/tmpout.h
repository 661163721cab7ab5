/*
** tmpout.h: run a writer that can only write to a file path (libxlsxwriter)
** and take what it wrote into memory. The file is created 0600 in $TMPDIR
** (or /tmp) and removed before returning.
*/
#ifndef GG_TMPOUT_H
#define GG_TMPOUT_H

#include <stddef.h>

#include "base/err.h"

/* write(arg, path, e) fills path; on success *data (malloc'd, the caller
** frees it) and *len hold its bytes. prefix names the temp file. */
int tmpout_render(const char *prefix, int (*write)(void *arg, const char *path, struct err *e), void *arg,
		  char **data, size_t *len, struct err *e);

#endif
