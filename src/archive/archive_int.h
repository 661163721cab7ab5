/*
** archive_int.h: inside the archive module (not for other modules).
*/
#ifndef GG_ARCHIVE_INT_H
#define GG_ARCHIVE_INT_H

#include "archive/archive.h"

/* Every event of f (checked), newest first, as {at (epoch), kind, title,
** detail, actor, ref}; *events owned by the caller. */
int archive_gather(struct store *st, const struct archive_sources *src, const struct archive_filter *f,
		   json_t **events, struct err *e);

#endif
