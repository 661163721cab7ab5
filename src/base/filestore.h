/*
** filestore.h: a content-addressed directory of files (uploads; documents
** issued before migration 0030 — later ones keep their pages in the
** database): each file is named by the hex SHA-256 of its bytes, written
** once (temporary name, fsync, rename) and never changed, so a name is its
** own checksum. The directory of a database is DATABASE.files beside it;
** backups keep a second such directory beside the backup files.
**
** The type of a file is decided from its first bytes (magic numbers), never
** from its name: filestore_sniff.
*/
#ifndef GG_FILESTORE_H
#define GG_FILESTORE_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

/* "<db_path>.files" into out; ERR_INVALID for an in-memory database. */
int filestore_dir(const char *db_path, char *out, size_t cap, struct err *e);
/* Hex SHA-256 of data. */
void filestore_hash(const void *data, size_t len, char hex[65]);
/* Store data under its hash (created dir as needed; an intact file with
** that name is kept). hex receives the name. durable: fsync the file and the
** directory before returning (else the kernel writes them back later, as
** a database in synchronous=NORMAL does with its commits). */
int filestore_put(const char *dir, const void *data, size_t len, int durable, char hex[65], struct err *e);
/* The whole file named hex, checked against its name (a damaged file is
** ERR_INTERNAL naming it, a missing one ERR_NOTFOUND). out->data is freed
** by the caller. */
int filestore_read(const char *dir, const char *hex, struct buf *out, struct err *e);
/* Copy file hex from one store to another unless the target already holds
** it intact; the copy is checked. */
int filestore_copy(const char *from, const char *to, const char *hex, struct err *e);
/* 1 when hex is a 64-character lower-case hex name. */
int filestore_name_ok(const char *hex);

/* The type of data from its first bytes: the MIME type, and its usual
** extension into *ext; NULL when not an accepted type (PDF, PNG, JPEG,
** GIF, TIFF, OOXML .docx/.xlsx/.pptx, OLE2 .doc/.xls, OFD). name only
** tells the OOXML and OLE2 kinds apart (all are ZIP or OLE2 containers);
** it never makes an unknown content acceptable. */
const char *filestore_sniff(const void *data, size_t len, const char *name, const char **ext);

/* What every upload must be: a name of 1–200 bytes without / \ " or line
** breaks and not starting with '.', 1 to max bytes, and an accepted type by
** content (filestore_sniff). ERR_INVALID name/body, ERR_TOOLARGE body,
** ERR_MEDIA body. */
int filestore_accept(const char *name, const void *data, size_t len, long long max, const char **mime,
		     const char **ext, struct err *e);

#endif
