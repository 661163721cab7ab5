/*
** store_key.c: the key file beside the database (see store_key.h).
*/
#include "store/store_key.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int missing(struct store_secret *k, const char *fmt, const char *what)
{
	k->state = STORE_KEY_MISSING;
	snprintf(k->problem, sizeof k->problem, fmt, k->path, what);
	return 0;
}

/* Read path into k; a file that is missing, malformed, or readable by
** group or others leaves k MISSING with the reason (not an error: reads of
** the database still work, keyed writes and checks refuse). */
static int read_key(struct store_secret *k)
{
	char line[256], hex[2 * STORE_KEY_BYTES + 1] = "";
	int64_t anchor = -1;
	struct stat sb;
	int fd = open(k->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return missing(k, "key file %s: %s", strerror(errno));
	if (fstat(fd, &sb) != 0 || (sb.st_mode & 077) || sb.st_uid != geteuid()) {
		close(fd);
		return missing(k, "key file %s: %s", "must be owned by this user and mode 0600");
	}
	FILE *f = fdopen(fd, "r");
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, "key=", 4) == 0)
			sscanf(line + 4, "%64[0-9a-f]", hex);
		else if (strncmp(line, "anchor=", 7) == 0)
			anchor = strtoll(line + 7, NULL, 10);
	}
	if (f)
		fclose(f);
	size_t n = 0;
	if (strlen(hex) != 2 * STORE_KEY_BYTES || anchor < 0 ||
	    sodium_hex2bin(k->key, sizeof k->key, hex, strlen(hex), NULL, &n, NULL) != 0 || n != STORE_KEY_BYTES)
		return missing(k, "key file %s: %s", "malformed (expected key=<64 hex> and anchor=<id>)");
	sodium_memzero(hex, sizeof hex);
	k->anchor = anchor;
	k->state = STORE_KEY_LOADED;
	return 0;
}

/* Write k->key and anchor to k->path (O_EXCL, 0600 whatever the umask):
** 0, EEXIST, or -1 with e set. */
static int write_key(const struct store_secret *k, int64_t anchor, struct err *e)
{
	char hex[2 * STORE_KEY_BYTES + 1], text[400];
	int fd = open(k->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		return EEXIST;
	if (fd < 0)
		return err_set(e, ERR_INTERNAL, "key_file", "cannot create key file %s: %s", k->path, strerror(errno)),
		       -1;
	sodium_bin2hex(hex, sizeof hex, k->key, sizeof k->key);
	int len = snprintf(text, sizeof text,
			   "# gonggai secret key: keys the audit chain and seals TOTP secrets.\n"
			   "# Keep it 0600, back it up apart from the database, never inside it.\n"
			   "key=%s\nanchor=%" PRId64 "\n", hex, anchor);
	int ok = fchmod(fd, 0600) == 0 && write(fd, text, len) == len && fsync(fd) == 0;
	close(fd);
	sodium_memzero(text, sizeof text);
	sodium_memzero(hex, sizeof hex);
	if (!ok) {
		unlink(k->path);
		return err_set(e, ERR_INTERNAL, "key_file", "cannot write key file %s", k->path), -1;
	}
	return 0;
}

/* A new key file. An existing file at its path (a creation interrupted
** before its commit) is kept and read. */
static int create_key(struct store_secret *k, int64_t anchor, struct err *e)
{
	randombytes_buf(k->key, sizeof k->key);
	k->anchor = anchor;
	int rc = write_key(k, anchor, e);
	if (rc == EEXIST)
		return read_key(k);
	if (rc)
		return e->code;
	k->state = STORE_KEY_LOADED;
	return 0;
}

static int record_path(struct store *st, const char *path, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO security_key(one, key_file, created_at) "
				     "VALUES (1, ?, strftime('%s','now')) ON CONFLICT(one) DO UPDATE SET key_file = excluded.key_file",
				     e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, path);
	return store_step_done(st, s, e, "security key");
}

int store_key_move(struct store *st, const char *path, struct err *e)
{
	struct store_secret *cur = store_secret_own(st);
	struct store_secret k = *cur;
	char abs[PATH_MAX], dir[PATH_MAX];
	if (cur->state != STORE_KEY_LOADED)
		return err_set(e, ERR_INTERNAL, "key_file", "no key file loaded: %s", cur->problem);
	snprintf(dir, sizeof dir, "%s", path);           /* absolute: the directory must exist */
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	if (!realpath(slash && slash != dir ? dir : (slash ? "/" : "."), abs))
		return err_set(e, ERR_INVALID, "key_file", "key file directory: %s", strerror(errno));
	snprintf(k.path, sizeof k.path, "%.*s/%s", (int)sizeof abs - 2, abs, slash ? slash + 1 : path);
	int rc = write_key(&k, k.anchor, e);
	if (rc == EEXIST)
		return err_set(e, ERR_CONFLICT, "key_file", "key file exists, not overwritten: %s", k.path);
	if (rc)
		return e->code;
	if (store_begin(st, e) == 0 && record_path(st, k.path, e) == 0 && store_commit(st, e) == 0) {
		unlink(cur->path);
		*cur = k;
		return 0;
	}
	store_rollback(st);
	unlink(k.path);
	return e->code;
}

static int recorded_path(struct store *st, struct store_secret *k, int *found, struct err *e)
{
	sqlite3_stmt *s;
	*found = 0;
	if (sqlite3_prepare_v2(store_db(st), "SELECT key_file FROM security_key WHERE one = 1", -1, &s, NULL)
	    != SQLITE_OK)
		return 0;   /* a read-only database from before migration 0011 */
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(k->path, sizeof k->path, "%s", store_col_text(s, 0));
		*found = 1;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "security key");
}

static void default_path(struct store *st, struct store_secret *k)
{
	char abs[PATH_MAX];
	if (!realpath(store_path(st), abs))
		snprintf(abs, sizeof abs, "%s", store_path(st));
	snprintf(k->path, sizeof k->path, "%.*s.key", (int)sizeof k->path - 5, abs);
}

/* Create the key of a database without one, anchored at the audit head, in
** one transaction with the row recording it. */
static int first_key(struct store *st, struct store_secret *k, struct err *e)
{
	int found;
	if (store_begin(st, e))
		return e->code;
	if (recorded_path(st, k, &found, e))
		goto fail;
	if (found) {      /* another process made it while this one waited */
		store_rollback(st);
		return read_key(k);
	}
	default_path(st, k);
	sqlite3_stmt *s = store_stmt(st, "SELECT last_id FROM audit_head WHERE one = 1", e);
	if (!s || sqlite3_step(s) != SQLITE_ROW) {
		if (s)
			sqlite3_reset(s);
		store_sqlerr(st, e, "audit head");
		goto fail;
	}
	int64_t anchor = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (create_key(k, anchor, e) || record_path(st, k->path, e))
		goto fail;
	return store_commit(st, e);
fail:
	store_rollback(st);
	return e->code;
}

int store_key_open(struct store *st, int writable, struct store_secret *k, struct err *e)
{
	int found;
	memset(k, 0, sizeof *k);
	if (recorded_path(st, k, &found, e))
		return e->code;
	if (found)
		return read_key(k);
	/* a database that records no key while one lies beside it had its
	** record removed: use that key, so a chain rewritten without it fails */
	default_path(st, k);
	if (access(k->path, F_OK) == 0)
		return read_key(k);
	k->path[0] = 0;
	return writable ? first_key(st, k, e) : 0;
}
