/*
** store_key.h: the installation's secret key file, kept outside the
** database (a database copy without it cannot forge the audit chain nor read
** the TOTP secrets).
**
** The file, created 0600 by the first writable open of a database without
** one (`gonggai init`, or the first start after migration 0011), is
**     # gonggai secret key ...
**     anchor=<audit id: records up to it were written before the key>
**     key=<64 hex digits: 32 random bytes>
**     key=<64 hex digits> from=<audit id>      (one line per rotation)
** Each key serves from its record id on (the first from anchor + 1); the
** last is the current one.
** beside the database as "<database>.key"; the database records its
** absolute path (table security_key), so backups and their restored copies
** find the same key. Every connection loads it at open (store_secret). The
** store only keeps the bytes: what they key (audit chain, TOTP secrets) is
** decided by the org module (org/audit.c, org/auth.c).
*/
#ifndef GG_STORE_KEY_H
#define GG_STORE_KEY_H

#include <stdint.h>

#include "store/store.h"

#define STORE_KEY_BYTES 32
#define STORE_KEY_GENS 16                   /* rotations kept in one file */

struct store_key_gen {
	unsigned char key[STORE_KEY_BYTES];
	int64_t from;                       /* first audit id it keys     */
};

struct store_secret {
	int state;                          /* STORE_KEY_*                   */
	int ngen;                           /* oldest first; last: current  */
	struct store_key_gen gen[STORE_KEY_GENS];
	int64_t anchor;                     /* last audit id before the key  */
	char path[512];                     /* where the key file is         */
	char problem[200];                  /* why it is not loaded          */
};

enum { STORE_KEY_NONE, STORE_KEY_LOADED, STORE_KEY_MISSING };

/* The connection's key: state LOADED with key and anchor, NONE when the
** database records none (read-only open of an old database), MISSING with
** problem saying why (file gone, unreadable, readable by others). Never
** NULL; owned by st. */
const struct store_secret *store_secret(struct store *st);

/* The key of audit record id (NULL up to the anchor), the current key. */
const unsigned char *store_key_for(const struct store_secret *k, int64_t id);
const unsigned char *store_key_current(const struct store_secret *k);

/* A new current key serving audit records from id `from` on (the caller
** holds the write transaction and no other process has the database open:
** `gonggai audit rotate-key`). The file is rewritten whole (temporary file,
** fsync, rename); older keys stay in it for the records they keyed. */
int store_key_rotate(struct store *st, int64_t from, struct err *e);

/* Move st's key file to path (written anew 0600, O_EXCL; recorded; the old
** file removed): `gonggai init --key-file PATH`. */
int store_key_move(struct store *st, const char *path, struct err *e);

/* Called by store_open: load the key recorded in the database, or (writable
** opens) create it when the database has none. */
int store_key_open(struct store *st, int writable, struct store_secret *out, struct err *e);

#endif
