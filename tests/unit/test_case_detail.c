/*
** test_case_detail.c: the case detail (GET /api/cases/{id}, case_get_text)
** reads its history and documents from the covering indexes of migration
** 0027 (issue 21) and answers byte for byte what it answered through the
** indexes they replaced. On a small demo database every case's detail is
** rendered, the new indexes are swapped for the old ones (white box), and
** every detail is rendered again and compared; then the history of one
** case is interleaved with another's rows (as a live system writes them)
** and still comes in order. The rare parts (supplements, special
** procedures, 容缺 materials) are read only when the case row's bits say so
** (0031): every case's detail is the same as when every arm is read, and
** the bits follow the rows whoever writes them.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval/case.h"
#include "cli/cli.h"
#include "store/store_int.h"   /* white box: swaps the indexes */
#include "workday/workday.h"

static char Dir[64], Db[96];
static struct store *St;
static struct cal *Cal;
static int NCases;
#define NOW 1763625600          /* 2025-11-20T16:00:00+08:00 */

static void quiet_demo(void)
{
	char *argv[] = {"demo", "--db", Db, "--projects", "250", "--seed", "27", "--as-of", "2025-11-20", NULL};
	fflush(stdout);
	FILE *out = stdout, *err = stderr;
	stdout = fopen("/dev/null", "w");
	stderr = fopen("/dev/null", "w");
	int rc = cli_demo(9, argv);
	fclose(stdout);
	fclose(stderr);
	stdout = out;
	stderr = err;
	assert_int_equal(rc, 0);
}

static int setup(void **state)
{
	struct err e;
	int64_t next;
	snprintf(Dir, sizeof Dir, "/tmp/test-case-detail-XXXXXX");
	if (!mkdtemp(Dir))
		return -1;
	snprintf(Db, sizeof Db, "%s/demo.db", Dir);
	quiet_demo();
	if (store_open(Db, 0, &St, &e) || store_case_next_id(St, &next, &e) || cal_build_store(St, &Cal, &e))
		return -1;
	NCases = (int)next - 1;
	return NCases > 1000 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[160];
	cal_free(Cal);
	store_close(St);
	snprintf(cmd, sizeof cmd, "rm -rf %s", Dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Every case's detail as the CLI reads it (no cache). */
static char **details(void)
{
	struct case_env env = {.cal = Cal, .dl = DEADLINE_CONF_DEFAULT};
	struct principal cli;
	struct err e;
	char **all = calloc(NCases, sizeof *all);
	rbac_cli_principal(&cli);
	for (int i = 0; i < NCases; i++) {
		struct buf b;
		assert_int_equal(case_get_text(St, &env, &cli, NOW, i + 1, &b, &e), 0);
		all[i] = b.data;
	}
	return all;
}

static void free_details(char **all)
{
	for (int i = 0; i < NCases; i++)
		free(all[i]);
	free(all);
}

static void run(const char *sql)
{
	assert_int_equal(sqlite3_exec(store_db(St), sql, NULL, NULL, NULL), SQLITE_OK);
}

/* Which index the detail's history reads. */
static int history_covered(void)
{
	sqlite3_stmt *s;
	int covered = 0;
	assert_int_equal(sqlite3_prepare_v2(store_db(St), "EXPLAIN QUERY PLAN SELECT id, status, step, at, user_id, "
		"action, step_name, username, department_code, opinion FROM case_status WHERE case_id = 1", -1, &s, NULL),
		SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		covered |= strstr((const char *)sqlite3_column_text(s, 3), "COVERING INDEX case_status_detail") != NULL;
	sqlite3_finalize(s);
	return covered;
}

static void test_same_bytes_as_before(void **state)
{
	assert_true(history_covered());
	char **now = details();
	run("DROP INDEX case_status_detail; DROP INDEX case_documents_detail;"
	    "CREATE INDEX case_status_case ON case_status(case_id, id);"
	    "CREATE INDEX case_documents_case ON case_documents(case_id, kind, id)");
	assert_false(history_covered());
	char **before = details();
	for (int i = 0; i < NCases; i++)
		if (strcmp(now[i], before[i]) != 0)
			fail_msg("case %d: the detail differs from the one read through the old indexes", i + 1);
	free_details(before);
	run("DROP INDEX case_status_case; DROP INDEX case_documents_case;"
	    "CREATE INDEX case_status_detail ON case_status(case_id, id, status, action, step, step_name, at, user_id,"
	    " username, department_code, opinion);"
	    "CREATE INDEX case_documents_detail ON case_documents(case_id, kind, id, issued_at, number, issued_by)");
	assert_true(history_covered());
	free_details(now);
}

/* A live system writes a case's status rows between other cases' rows: the
** history still reads in the order it was written, and the same as a
** read of the table in id order. */
static void test_interleaved_history(void **state)
{
	char **before = details();
	run("CREATE TEMP TABLE moved AS SELECT * FROM case_status WHERE case_id IN (1, 2) ORDER BY id;"
	    "DELETE FROM case_status WHERE case_id IN (1, 2);"
	    "INSERT INTO case_status(case_id, status, action, step, step_name, at, user_id, username, department_code,"
	    " opinion) SELECT case_id, status, action, step, step_name, at, user_id, username, department_code, opinion"
	    " FROM moved ORDER BY (SELECT count(*) FROM moved m WHERE m.case_id = moved.case_id AND m.id < moved.id),"
	    " case_id");
	char **after = details();
	for (int i = 0; i < NCases; i++)
		assert_string_equal(after[i], before[i]);
	free_details(before);
	free_details(after);
}

#define PARTS_OF_ROWS "(EXISTS (SELECT 1 FROM case_supplements x WHERE x.case_id = cases.id) + " \
	"2 * EXISTS (SELECT 1 FROM case_specials x WHERE x.case_id = cases.id) + " \
	"4 * EXISTS (SELECT 1 FROM case_tolerance x WHERE x.case_id = cases.id))"

static int64_t one(const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(St), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void test_rare_parts_by_bits(void **state)
{
	/* the demo wrote every kind, and each case's bits are its rows' */
	assert_true(one("SELECT count(*) FROM cases WHERE parts = 1") > 0);
	assert_true(one("SELECT count(*) FROM cases WHERE parts & 2") > 0);
	assert_true(one("SELECT count(*) FROM cases WHERE parts & 4") > 0);
	assert_int_equal(one("SELECT count(*) FROM cases WHERE parts <> " PARTS_OF_ROWS), 0);
	char **now = details();
	run("UPDATE cases SET parts = 7");   /* every arm read, as before 0031 */
	char **all = details();
	for (int i = 0; i < NCases; i++)
		if (strcmp(now[i], all[i]) != 0)
			fail_msg("case %d: the detail differs from the one reading every part", i + 1);
	free_details(all);
	free_details(now);
	run("UPDATE cases SET parts = " PARTS_OF_ROWS);
	/* a row of each kind for a case without any sets its bit, and shows */
	int64_t id = one("SELECT min(id) FROM cases WHERE parts = 0 AND open");
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO case_supplements(case_id, after_acceptance, materials, note, start_at) "
		 "VALUES (%lld, 0, '[\"图纸\"]', '', %d); INSERT INTO case_specials(case_id, type, kind, reason, "
		 "time_limit, start_at) VALUES (%lld, 1, 'hearing', '听证', 10, %d); INSERT INTO case_tolerance(case_id, "
		 "material, due_day) VALUES (%lld, '图纸', 20400)", (long long)id, NOW, (long long)id, NOW, (long long)id);
	run(sql);
	snprintf(sql, sizeof sql, "SELECT parts FROM cases WHERE id = %lld", (long long)id);
	assert_int_equal(one(sql), 7);
	char **after = details();
	assert_non_null(strstr(after[id - 1], "\"materials\":[\"图纸\"]"));
	assert_non_null(strstr(after[id - 1], "\"reason\":\"听证\""));
	assert_non_null(strstr(after[id - 1], "\"tolerance_materials\":[{\"material\":\"图纸\""));
	free_details(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes_as_before),
		cmocka_unit_test(test_interleaved_history),
		cmocka_unit_test(test_rare_parts_by_bits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
