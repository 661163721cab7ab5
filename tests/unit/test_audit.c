/*
** test_audit.c: the audit hash chain detects rows altered, deleted (in the
** middle and at the end) and reordered outside the program; the triggers
** refuse updates and deletes through SQL; a rolled-back change leaves no
** audit row; nested transactions commit together.
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

static char path[64];

static struct store *fresh(int rows)
{
	struct store *st;
	struct err e;
	struct principal p = {.user_id = 0};
	snprintf(path, sizeof path, "/tmp/gg-test-audit-%d.db", getpid());
	unlink(path);
	assert_int_equal(store_open(path, STORE_CREATE, &st, &e), 0);
	strcpy(p.username, "tester");
	strcpy(p.source, "127.0.0.1");
	for (int i = 0; i < rows; i++)
		assert_int_equal(audit_write(st, &p, 1700000000 + i, "test.write", "thing:1", "success",
					     json_pack("{s:i,s:s}", "n", i, "text", "中文"), &e), 0);
	return st;
}

static void done(struct store *st)
{
	char p[80];
	store_close(st);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
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
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
