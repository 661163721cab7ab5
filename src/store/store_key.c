/*
** store_key.c: the key file beside the database (see store_key.h).
*/
#include "store/store_key.h"
#include "store/store_int.h"

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

/* One "key=<hex> [from=<id>]" line into k (the first key's from is the
** anchor + 1, set by read_key). 0, or -1 when malformed. */
static int parse_key_line(struct store_secret *k, const char *line)
{
	char hex[2 * STORE_KEY_BYTES + 1] = "";
	long long from = -1;
	size_t n = 0;
	if (k->ngen == STORE_KEY_GENS || sscanf(line, "key=%64[0-9a-f] from=%lld", hex, &from) < 1)
		return -1;
	struct store_key_gen *g = &k->gen[k->ngen];
	int bad = strlen(hex) != 2 * STORE_KEY_BYTES ||
		sodium_hex2bin(g->key, sizeof g->key, hex, strlen(hex), NULL, &n, NULL) != 0 || n != STORE_KEY_BYTES ||
		(k->ngen > 0 && from <= k->gen[k->ngen - 1].from);
	sodium_memzero(hex, sizeof hex);
	if (bad)
		return -1;
	g->from = from;
	k->ngen++;
	return 0;
}

/* Read path into k; a file that is missing, malformed, or readable by
** group or others leaves k MISSING with the reason (not an error: reads of
** the database still work, keyed writes and checks refuse). */
static int read_key(struct store_secret *k)
{
	char line[256];
	int64_t anchor = -1;
	int bad = 0;
	struct stat sb;
	int fd = open(k->path, O_RDONLY | O_CLOEXEC);
	k->ngen = 0;
	if (fd < 0)
		return missing(k, "key file %s: %s", strerror(errno));
	if (fstat(fd, &sb) != 0 || (sb.st_mode & 077) || sb.st_uid != geteuid()) {
		close(fd);
		return missing(k, "key file %s: %s", "must be owned by this user and mode 0600");
	}
	FILE *f = fdopen(fd, "r");
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, "key=", 4) == 0)
			bad |= parse_key_line(k, line);
		else if (strncmp(line, "anchor=", 7) == 0)
			anchor = strtoll(line + 7, NULL, 10);
	}
	if (f)
		fclose(f);
	sodium_memzero(line, sizeof line);
	if (bad || anchor < 0 || k->ngen == 0 || (k->ngen > 1 && k->gen[1].from <= anchor + 1))
		return missing(k, "key file %s: %s", "malformed (expected anchor=<id> and key=<64 hex> lines)");
	k->gen[0].from = anchor + 1;
	k->anchor = anchor;
	k->state = STORE_KEY_LOADED;
	return 0;
}

const unsigned char *store_key_for(const struct store_secret *k, int64_t id)
{
	if (k->state != STORE_KEY_LOADED || id <= k->anchor)
		return NULL;
	for (int i = k->ngen - 1; i > 0; i--)
		if (id >= k->gen[i].from)
			return k->gen[i].key;
	return k->gen[0].key;
}

const unsigned char *store_key_current(const struct store_secret *k)
{
	return k->state == STORE_KEY_LOADED ? k->gen[k->ngen - 1].key : NULL;
}

/* Write k (anchor and every key) to path (O_EXCL, 0600 whatever the
** umask): 0, EEXIST, or -1 with e set. */
static int write_key(const struct store_secret *k, const char *path, struct err *e)
{
	char hex[2 * STORE_KEY_BYTES + 1], text[400 + STORE_KEY_GENS * 120];
	int len = snprintf(text, sizeof text,
			   "# gonggai secret key: keys the audit chain and seals TOTP secrets.\n"
			   "# Keep it 0600, back it up apart from the database, never inside it.\n"
			   "anchor=%" PRId64 "\n", k->anchor);
	for (int i = 0; i < k->ngen; i++) {
		sodium_bin2hex(hex, sizeof hex, k->gen[i].key, sizeof k->gen[i].key);
		len += i ? snprintf(text + len, sizeof text - len, "key=%s from=%" PRId64 "\n", hex, k->gen[i].from)
			: snprintf(text + len, sizeof text - len, "key=%s\n", hex);
	}
	sodium_memzero(hex, sizeof hex);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		sodium_memzero(text, sizeof text);
		if (errno == EEXIST)
			return EEXIST;
		return err_set(e, ERR_INTERNAL, "key_file", "cannot create key file %s: %s", path, strerror(errno)), -1;
	}
	int ok = fchmod(fd, 0600) == 0 && write(fd, text, len) == len && fsync(fd) == 0;
	close(fd);
	sodium_memzero(text, sizeof text);
	if (!ok) {
		unlink(path);
		return err_set(e, ERR_INTERNAL, "key_file", "cannot write key file %s", path), -1;
	}
	return 0;
}

/* A new key file. An existing file at its path (a creation interrupted
** before its commit) is kept and read. */
static int create_key(struct store_secret *k, int64_t anchor, struct err *e)
{
	k->ngen = 1;
	k->anchor = anchor;
	k->gen[0].from = anchor + 1;
	randombytes_buf(k->gen[0].key, sizeof k->gen[0].key);
	int rc = write_key(k, k->path, e);
	if (rc == EEXIST)
		return read_key(k);
	if (rc)
		return e->code;
	k->state = STORE_KEY_LOADED;
	return 0;
}

int store_key_rotate(struct store *st, int64_t from, struct err *e)
{
	struct store_secret *cur = store_secret_own(st);
	struct store_secret k = *cur;
	char tmp[sizeof k.path + 8];
	if (cur->state != STORE_KEY_LOADED)
		return err_set(e, ERR_INTERNAL, "key_file", "no key file loaded: %s", cur->problem);
	if (k.ngen == STORE_KEY_GENS)
		return err_set(e, ERR_CONFLICT, "key_file", "the key file holds %d keys already: start a new one "
			       "(docs/operations.md, Security)", STORE_KEY_GENS);
	if (from <= k.gen[k.ngen - 1].from)
		return err_set(e, ERR_CONFLICT, "key_file", "the current key serves from record %" PRId64 " already",
			       k.gen[k.ngen - 1].from);
	k.gen[k.ngen].from = from;
	randombytes_buf(k.gen[k.ngen].key, sizeof k.gen[k.ngen].key);
	k.ngen++;
	snprintf(tmp, sizeof tmp, "%s.new", k.path);
	unlink(tmp);
	int rc = write_key(&k, tmp, e);
	if (rc == 0 && rename(tmp, k.path) != 0) {
		rc = err_set(e, ERR_INTERNAL, "key_file", "cannot replace %s: %s", k.path, strerror(errno));
		unlink(tmp);
	}
	if (rc == 0)
		*cur = k;
	sodium_memzero(&k, sizeof k);
	return rc ? e->code : 0;
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
	char abs[PATH_MAX], dir[PATH_MAX], target[sizeof cur->path];
	if (cur->state != STORE_KEY_LOADED)
		return err_set(e, ERR_INTERNAL, "key_file", "no key file loaded: %s", cur->problem);
	snprintf(dir, sizeof dir, "%s", path);           /* absolute: the directory must exist */
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	if (!realpath(slash && slash != dir ? dir : (slash ? "/" : "."), abs))
		return err_set(e, ERR_INVALID, "key_file", "key file directory: %s", strerror(errno));
	snprintf(target, sizeof target, "%.*s/%s", (int)sizeof abs - 2, abs, slash ? slash + 1 : path);
	int rc = write_key(cur, target, e);
	if (rc == EEXIST)
		return err_set(e, ERR_CONFLICT, "key_file", "key file exists, not overwritten: %s", target);
	if (rc)
		return e->code;
	if (store_begin(st, e) == 0 && record_path(st, target, e) == 0 && store_commit(st, e) == 0) {
		unlink(cur->path);
		snprintf(cur->path, sizeof cur->path, "%s", target);
		return 0;
	}
	store_rollback(st);
	unlink(target);
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
