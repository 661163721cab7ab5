/*
** test_audit.c: the audit hash chain detects rows altered, deleted (in the
** middle and at the end) and reordered outside the program; the triggers
** refuse updates and deletes through SQL; a rolled-back change leaves no
** audit row; nested transactions commit together. The chain is keyed by a
** file outside the database: a rewrite that recomputes every hash without
** the key (the way anyone who can write the database file could) fails,
** records from before the key verify under the old rule up to the anchor,
** and a missing key file fails the check instead of passing it.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "org/audit.h"
#include "store/store_key.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

#include <inttypes.h>
#include <sodium.h>

static char path[64];

static void done(struct store *st)
{
	char p[80];
	store_close(st);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof p, "%s.key", path);
	unlink(p);
}

static struct store *fresh(int rows)
{
	struct store *st;
	struct err e;
	struct principal p = {.user_id = 0};
	snprintf(path, sizeof path, "/tmp/gg-test-audit-%d.db", getpid());
	done(NULL);
	assert_int_equal(store_open(path, STORE_CREATE, &st, &e), 0);
	strcpy(p.username, "tester");
	strcpy(p.source, "127.0.0.1");
	for (int i = 0; i < rows; i++)
		assert_int_equal(audit_write(st, &p, 1700000000 + i, "test.write", "thing:1", "success",
					     json_pack("{s:i,s:s}", "n", i, "text", "中文"), &e), 0);
	return st;
}


static int64_t verify(struct store *st, int64_t *records)
{
	struct audit_verdict v;
	struct err e;
	assert_int_equal(audit_verify(st, &v, &e), 0);
	if (records)
		*records = v.records;
	return v.bad_id;
}

static void tamper(struct store *st, const char *sql)
{
	struct err e;
	assert_int_equal(store_exec(st, "DROP TRIGGER IF EXISTS audit_log_no_update;"
				    "DROP TRIGGER IF EXISTS audit_log_no_delete;", &e), 0);
	assert_int_equal(store_exec(st, sql, &e), 0);
}

/* What a forger without the key does: drop the triggers, change row id's
** details, recompute every hash from there on with plain SHA-256 (the
** published encoding) and move the head. */
static void forge(struct store *st, int64_t id)
{
	struct err e;
	char sql[512], prev[65], hash[65];
	sqlite3_stmt *s;
	snprintf(sql, sizeof sql, "UPDATE audit_log SET details = '{\"forged\":1}' WHERE id = %" PRId64, id);
	tamper(st, sql);
	snprintf(sql, sizeof sql, "SELECT prev_hash FROM audit_log WHERE id = %" PRId64, id);
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT id, at, coalesce(user_id, 0), username, source, "
					    "action, object, outcome, details FROM audit_log WHERE id >= ? ORDER BY id",
					    -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		crypto_hash_sha256_state h;
		unsigned char d[32];
		char num[64];
		crypto_hash_sha256_init(&h);
		snprintf(num, sizeof num, "%lld\x1f%lld\x1f%lld\x1f", sqlite3_column_int64(s, 0),
			 sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2));
		crypto_hash_sha256_update(&h, (const unsigned char *)num, strlen(num));
		for (int c = 3; c <= 9; c++) {
			const char *t = c == 9 ? prev : (const char *)sqlite3_column_text(s, c);
			crypto_hash_sha256_update(&h, (const unsigned char *)t, strlen(t));
			crypto_hash_sha256_update(&h, (const unsigned char *)"\x1f", 1);
		}
		crypto_hash_sha256_final(&h, d);
		sodium_bin2hex(hash, sizeof hash, d, sizeof d);
		snprintf(sql, sizeof sql, "UPDATE audit_log SET prev_hash = '%s', hash = '%s' WHERE id = %lld;"
			 "UPDATE audit_head SET last_hash = '%s'", prev, hash, sqlite3_column_int64(s, 0), hash);
		assert_int_equal(store_exec(st, sql, &e), 0);
		memcpy(prev, hash, sizeof prev);
	}
	sqlite3_finalize(s);
}

static void test_intact(void **state)
{
	struct store *st = fresh(20);
	int64_t n;
	assert_int_equal(verify(st, &n), 0);
	assert_int_equal(n, 20);
	done(st);
}

static void test_triggers_refuse(void **state)
{
	struct store *st = fresh(3);
	struct err e;
	assert_int_not_equal(store_exec(st, "UPDATE audit_log SET outcome = 'failure' WHERE id = 2", &e), 0);
	assert_int_not_equal(store_exec(st, "DELETE FROM audit_log WHERE id = 2", &e), 0);
	assert_int_equal(verify(st, NULL), 0);
	done(st);
}

static void test_altered(void **state)
{
	struct store *st = fresh(10);
	tamper(st, "UPDATE audit_log SET details = '{\"n\":99}' WHERE id = 6");
	assert_int_equal(verify(st, NULL), 6);
	done(st);
}

static void test_deleted_middle(void **state)
{
	struct store *st = fresh(10);
	tamper(st, "DELETE FROM audit_log WHERE id = 4");
	assert_int_equal(verify(st, NULL), 5);
	done(st);
}

static void test_deleted_tail(void **state)
{
	struct store *st = fresh(10);
	tamper(st, "DELETE FROM audit_log WHERE id >= 9");
	assert_int_equal(verify(st, NULL), 9);
	done(st);
}

static void test_reordered(void **state)
{
	struct store *st = fresh(10);
	tamper(st, "UPDATE audit_log SET id = 100 WHERE id = 3; UPDATE audit_log SET id = 3 WHERE id = 4;"
	       "UPDATE audit_log SET id = 4 WHERE id = 100;");
	assert_int_equal(verify(st, NULL), 3);
	done(st);
}

static void test_keyed_forgery_fails(void **state)
{
	struct store *st = fresh(10);
	assert_int_equal(store_secret(st)->state, STORE_KEY_LOADED);
	assert_int_equal(store_secret(st)->anchor, 0);
	forge(st, 3);
	assert_int_equal(verify(st, NULL), 3);
	done(st);
}

/* A database from before the key: its records verify with the old rule up
** to the anchor, later ones are keyed, and rewriting the old part is caught
** at the first keyed record (its link to the old head cannot be redone). */
static void test_anchor_of_old_database(void **state)
{
	struct store *st = fresh(5);
	struct err e;
	char keyfile[80];
	struct principal p = {.user_id = 0};
	strcpy(p.username, "tester");
	snprintf(keyfile, sizeof keyfile, "%s.key", path);
	forge(st, 1);      /* now chained the old way, as before migration 0011 */
	assert_int_equal(store_exec(st, "DELETE FROM security_key", &e), 0);
	store_close(st);
	unlink(keyfile);
	assert_int_equal(store_open(path, 0, &st, &e), 0);     /* the first open after migration 0011 */
	assert_int_equal(store_secret(st)->state, STORE_KEY_LOADED);
	assert_int_equal(store_secret(st)->anchor, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(audit_write(st, &p, 1700001000 + i, "test.keyed", "thing:2", "success", NULL, &e), 0);
	int64_t n;
	assert_int_equal(verify(st, &n), 0);
	assert_int_equal(n, 10);
	forge(st, 3);
	assert_int_equal(verify(st, NULL), 6);
	done(st);
}

static void test_missing_key_fails(void **state)
{
	struct store *st = fresh(4);
	struct err e;
	char keyfile[80];
	struct audit_verdict v;
	struct principal p = {.user_id = 0};
	strcpy(p.username, "tester");
	snprintf(keyfile, sizeof keyfile, "%s.key", path);
	store_close(st);
	unlink(keyfile);
	assert_int_equal(store_open(path, STORE_READONLY, &st, &e), 0);
	assert_int_equal(store_secret(st)->state, STORE_KEY_MISSING);
	assert_int_equal(audit_verify(st, &v, &e), 0);
	assert_int_equal(v.bad_id, 1);
	assert_non_null(strstr(v.reason, "key"));
	store_close(st);
	assert_int_equal(store_open(path, 0, &st, &e), 0);
	assert_int_not_equal(audit_write(st, &p, 1, "x.y", "o", "success", NULL, &e), 0);
	done(st);
}

/* A rotation: the records to come under a new key, the older ones still
** checked with theirs; a reopened connection reads both from the file. */
static void test_rotation(void **state)
{
	struct store *st = fresh(5);
	struct err e;
	struct principal p = {.cli = 1};
	int64_t from, n;
	strcpy(p.username, "cli:test");
	unsigned char first[STORE_KEY_BYTES];
	memcpy(first, store_key_current(store_secret(st)), sizeof first);
	assert_int_equal(audit_rotate_key(st, &p, 1700002000, &from, &e), 0);
	assert_int_equal(from, 6);
	assert_int_equal(store_secret(st)->ngen, 2);
	assert_memory_not_equal(first, store_key_current(store_secret(st)), sizeof first);
	for (int i = 0; i < 4; i++)
		assert_int_equal(audit_write(st, &p, 1700002001 + i, "test.after", "o", "success", NULL, &e), 0);
	assert_int_equal(verify(st, &n), 0);
	assert_int_equal(n, 10);
	store_close(st);
	assert_int_equal(store_open(path, STORE_READONLY, &st, &e), 0);
	assert_int_equal(store_secret(st)->ngen, 2);
	assert_int_equal(verify(st, &n), 0);
	assert_int_equal(n, 10);
	store_close(st);
	assert_int_equal(store_open(path, 0, &st, &e), 0);
	forge(st, 8);
	assert_int_equal(verify(st, NULL), 8);
	done(st);
}

static void test_rollback_leaves_nothing(void **state)
{
	struct store *st = fresh(2);
	struct err e;
	struct principal p = {.user_id = 0};
	strcpy(p.username, "tester");
	assert_int_equal(store_begin(st, &e), 0);
	assert_int_equal(audit_write(st, &p, 1, "x.y", "o", "success", NULL, &e), 0);
	assert_int_equal(store_begin(st, &e), 0);   /* nested */
	assert_int_equal(audit_write(st, &p, 2, "x.z", "o", "success", NULL, &e), 0);
	assert_int_equal(store_commit(st, &e), 0);
	store_rollback(st);
	int64_t n;
	assert_int_equal(verify(st, &n), 0);
	assert_int_equal(n, 2);
	/* a nested rollback poisons the outer commit */
	assert_int_equal(store_begin(st, &e), 0);
	assert_int_equal(audit_write(st, &p, 3, "x.y", "o", "success", NULL, &e), 0);
	assert_int_equal(store_begin(st, &e), 0);
	store_rollback(st);
	assert_int_not_equal(store_commit(st, &e), 0);
	assert_int_equal(verify(st, &n), 0);
	assert_int_equal(n, 2);
	done(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intact),
		cmocka_unit_test(test_triggers_refuse),
		cmocka_unit_test(test_altered),
		cmocka_unit_test(test_deleted_middle),
		cmocka_unit_test(test_deleted_tail),
		cmocka_unit_test(test_reordered),
		cmocka_unit_test(test_rollback_leaves_nothing),
		cmocka_unit_test(test_keyed_forgery_fails),
		cmocka_unit_test(test_anchor_of_old_database),
		cmocka_unit_test(test_missing_key_fails),
		cmocka_unit_test(test_rotation),
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
