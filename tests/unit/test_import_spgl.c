/*
** test_import_spgl.c: bringing a city's SPGL history into a fresh database
** (importer/importer.h import_spgl, approval/case_import.h).
**
** The source here reads a demo database the way the exchange reports it
** (the rows of SPGL_XMJBXXB, XMDWXXB, XMSPSXBLXXB, XMSPSXBLXXXXB — status
** changes only —, XMSPSXBLTBCXXXB and XMSPSXPFWJXXB, under the mapping's
** source names). The import into a freshly initialised database must give
** the same projects, units, 办件 and status sequences; the statistics equal
** a recount; a dry run writes nothing; a second run is refused row by row
** (already here) and writes nothing; an unknown item version and a status
** sequence the lifecycle does not allow are reported with table, LSH and
** column. tests/exchange (with PostgreSQL) runs the same round trip through
** a real front DB.
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

#include "approval/deadline.h"
#include "base/clock.h"
#include "base/json.h"
#include "db/db.h"
#include "workday/workday.h"
#include "cli/cli.h"
#include "importer/importer.h"
#include "org/audit.h"
#include "stats/stats_live.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

static char Dir[256], DbA[300], DbB[300];
static struct store *A, *B;
static struct cal *Cal;
static struct case_env Env;
static struct principal Cli;
static int64_t Now;

/* The rows of a query on A as JSON objects. */
static json_t *rows_of(const char *sql)
{
	struct err e;
	json_t *rows;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(A), sql, -1, &s, NULL), SQLITE_OK);
	if (store_rows_json(A, s, &rows, &e))
		fail_msg("%s: %s", sql, e.msg);
	sqlite3_finalize(s);
	return rows;
}

#define GCDM "CASE WHEN p.gcdm = '' THEN p.code ELSE p.gcdm END AS gcdm"
static const struct {
	const char *source, *table, *sql;
} Reads[] = {
	{"project", "SPGL_XMJBXXB",
	 "SELECT 'project:' || p.id AS \"$dfsjzj\", p.id AS \"$lsh\", p.code AS project_code, p.name AS project_name, "
	 GCDM ", p.flow_type, p.planned_start, p.planned_finish, p.investment_wan * 1.0 AS investment_wan, "
	 "p.division_code, p.address, p.land_area_m2 * 1.0 AS land_area, p.floor_area_m2 * 1.0 AS floor_area, "
	 "g.started_at AS applied_at, f.code AS flow_code, f.version AS flow_version FROM projects p "
	 "JOIN case_progress g ON g.project_id = p.id JOIN catalog_flows f ON f.id = g.flow_id ORDER BY p.id"},
	{"unit", "SPGL_XMDWXXB",
	 "SELECT 'unit:' || u.id AS \"$dfsjzj\", 'u' || u.id AS \"$lsh\", p.code AS project_code, " GCDM ", "
	 "u.credit_code, u.name AS unit_name, CASE u.kind WHEN 'builder' THEN 1 WHEN 'agent' THEN 2 WHEN 'survey' THEN 3 "
	 "WHEN 'design' THEN 4 WHEN 'construction' THEN 5 WHEN 'supervision' THEN 6 ELSE 7 END AS unit_kind "
	 "FROM project_units u JOIN projects p ON p.id = u.project_id "
	 "WHERE EXISTS (SELECT 1 FROM case_progress g WHERE g.project_id = p.id) ORDER BY u.id"},
	{"case", "SPGL_XMSPSXBLXXB",
	 "SELECT 'case:' || c.id AS \"$dfsjzj\", 'c' || c.id AS \"$lsh\", " GCDM ", c.item_code, i.version AS item_version, "
	 "f.code AS flow_code, f.version AS flow_version, c.number AS case_number, c.department_code, "
	 "CASE WHEN n.ncases > 1 THEN n.number END AS instance_number, c.time_limit FROM cases c "
	 "JOIN case_instances n ON n.id = c.instance_id JOIN projects p ON p.id = c.project_id "
	 "JOIN catalog_items i ON i.id = c.item_version_id JOIN catalog_flows f ON f.id = n.flow_id ORDER BY c.id"},
	{"status", "SPGL_XMSPSXBLXXXXB",
	 "SELECT 'status:' || s.id AS \"$dfsjzj\", 's' || s.id AS \"$lsh\", c.number AS case_number, "
	 "CASE WHEN s.username = '' THEN '系统' ELSE s.username END AS handler, s.status, NULLIF(s.opinion, '') AS opinion, "
	 "s.at FROM case_status s JOIN cases c ON c.id = s.case_id WHERE s.status IS NOT (SELECT q.status FROM case_status q "
	 "WHERE q.case_id = s.case_id AND q.id < s.id ORDER BY q.id DESC LIMIT 1) ORDER BY s.id"},
	{"special", "SPGL_XMSPSXBLTBCXXXB",
	 "SELECT 'special:' || x.id AS \"$dfsjzj\", 'x' || x.id AS \"$lsh\", c.number AS case_number, x.type AS special_type, "
	 "x.reason AS special_name, x.start_at, x.time_limit FROM case_specials x JOIN cases c ON c.id = x.case_id ORDER BY x.id"},
	{"document", "SPGL_XMSPSXPFWJXXB",
	 "SELECT 'doc:' || o.id AS \"$dfsjzj\", 'd' || o.id AS \"$lsh\", c.number AS case_number, o.number AS doc_number, "
	 "o.issued_at FROM case_documents o JOIN cases c ON c.id = o.case_id WHERE o.kind = 'approval' ORDER BY o.id"},
};

/* Values as the exchange's reader hands them over: LSH as text. */
static int read_a(void *ctx, import_row_fn each, void *arg, struct err *e)
{
	json_t *rows, *r;
	size_t i;
	const char *bad = ctx;
	for (size_t t = 0; t < sizeof Reads / sizeof Reads[0]; t++) {
		rows = rows_of(Reads[t].sql);
		json_array_foreach(rows, i, r) {
			char lsh[32];
			json_t *l = json_object_get(r, "$lsh");
			if (json_is_integer(l))
				snprintf(lsh, sizeof lsh, "%lld", (long long)json_integer_value(l));
			else
				snprintf(lsh, sizeof lsh, "%s", json_string_value(l));
			json_object_set_new(r, "$lsh", json_string(lsh));
			json_object_set_new(r, "$table", json_string(Reads[t].table));
			if (bad && strcmp(Reads[t].source, "case") == 0 && i == 0)
				json_object_set_new(r, "item_version", json_string(bad));
			if (bad && strcmp(Reads[t].source, "status") == 0 && i + 1 == json_array_size(rows))
				json_object_set_new(r, "status", json_integer(1));   /* received again at the end */
			int rc = each(arg, Reads[t].source, r, e);
			if (rc) {
				json_decref(rows);
				return rc;
			}
		}
		json_decref(rows);
	}
	return 0;
}

static int quiet(int (*fn)(int, char **), int argc, char **argv)
{
	fflush(stdout);
	FILE *saved = stdout;
	stdout = fopen("/dev/null", "w");
	int rc = fn(argc, argv);
	fclose(stdout);
	stdout = saved;
	return rc;
}

static int setup(void **state)
{
	struct err e;
	(void)state;
	snprintf(Dir, sizeof Dir, "/tmp/test-import-XXXXXX");
	if (!mkdtemp(Dir))
		return -1;
	snprintf(DbA, sizeof DbA, "%s/a.db", Dir);
	snprintf(DbB, sizeof DbB, "%s/b.db", Dir);
	char *demo[] = {"demo", "--db", DbA, "--projects", "40", "--seed", "9", "--as-of", "2025-11-20", NULL};
	char *init[] = {"init", "--db", DbB, NULL};
	if (quiet(cli_demo, 9, demo) || quiet(cli_init, 3, init))
		return -1;
	if (store_open(DbA, 0, &A, &e) || store_open(DbB, 0, &B, &e) || cal_build_store(B, &Cal, &e))
		return -1;
	Env = (struct case_env){.cal = Cal, .dl = DEADLINE_CONF_DEFAULT, .observers = db_case_observers()};
	Now = clock_now(NULL);
	rbac_cli_principal(&Cli);
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];
	(void)state;
	cal_free(Cal);
	store_close(A);
	store_close(B);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", Dir);
	return system(cmd);
}

/* Every row of a query as text, one line each. */
static char *dump(struct store *st, const char *sql)
{
	struct err e;
	json_t *rows, *r;
	sqlite3_stmt *s;
	size_t i;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	if (store_rows_json(st, s, &rows, &e))
		fail_msg("%s: %s", sql, e.msg);
	sqlite3_finalize(s);
	size_t cap = 1 << 20, len = 0;
	char *out = calloc(1, cap);
	json_array_foreach(rows, i, r) {
		char *line = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
		size_t n = strlen(line);
		while (len + n + 2 > cap)
			out = realloc(out, cap *= 2);
		memcpy(out + len, line, n);
		len += n;
		out[len++] = '\n';
		out[len] = 0;
		free(line);
	}
	json_decref(rows);
	return out;
}

static void same(const char *what, const char *sql_a, const char *sql_b)
{
	char *a = dump(A, sql_a), *b = dump(B, sql_b);
	if (strcmp(a, b) != 0) {
		size_t k = 0;
		while (a[k] && a[k] == b[k])
			k++;
		size_t from = k > 200 ? k - 200 : 0;
		fail_msg("%s differ at byte %zu:\n  source: %.300s\n  import: %.300s", what, k, a + from, b + from);
	}
	assert_true(strlen(a) > 10);
	free(a);
	free(b);
}

static int64_t scalar(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int has_error(const json_t *report, const char *table, const char *field)
{
	json_t *x;
	size_t i;
	json_array_foreach(json_object_get(report, "errors"), i, x)
		if (!strcmp(json_get_str(x, "table", ""), table) && !strcmp(json_get_str(x, "field", ""), field) &&
		    *json_get_str(x, "lsh", ""))
			return 1;
	return 0;
}

static void bad_rows_are_reported(void **state)
{
	struct err e;
	json_t *r;
	struct import_spgl_source src = {read_a, "9.9"};
	(void)state;
	assert_int_equal(import_spgl(B, &Env, &Cli, Now, &src, 0, &r, &e), ERR_INVALID);
	assert_true(has_error(r, "SPGL_XMSPSXBLXXB", "SPSXBM"));
	assert_true(has_error(r, "SPGL_XMSPSXBLXXB", "BLZT"));
	assert_int_equal(scalar(B, "SELECT count(*) FROM projects"), 0);
	assert_int_equal(scalar(B, "SELECT count(*) FROM cases"), 0);
	json_decref(r);
}

static void dry_run_writes_nothing(void **state)
{
	struct err e;
	json_t *r;
	struct import_spgl_source src = {read_a, NULL};
	(void)state;
	if (import_spgl(B, &Env, &Cli, Now, &src, 1, &r, &e))
		fail_msg("dry run: %s %s: %s", e.field, e.msg, r ? json_dumps(json_object_get(r, "errors"), 0) : "");
	assert_int_equal(json_array_size(json_object_get(r, "errors")), 0);
	assert_int_equal(json_get_int(json_object_get(r, "would_create"), "case", 0), scalar(A, "SELECT count(*) FROM cases"));
	assert_int_equal(scalar(B, "SELECT count(*) FROM projects"), 0);
	json_decref(r);
}

static void round_trip(void **state)
{
	struct err e;
	json_t *r;
	struct import_spgl_source src = {read_a, NULL};
	(void)state;
	if (import_spgl(B, &Env, &Cli, Now, &src, 0, &r, &e))
		fail_msg("import: %s %s", e.field, e.msg);
	json_decref(r);
	same("projects",
	     "SELECT code, name, flow_type, division_code, address, investment_wan, land_area_m2, floor_area_m2, "
	     "planned_start, planned_finish FROM projects WHERE id IN (SELECT project_id FROM case_progress) ORDER BY code",
	     "SELECT code, name, flow_type, division_code, address, investment_wan, land_area_m2, floor_area_m2, "
	     "planned_start, planned_finish FROM projects ORDER BY code");
	same("units",
	     "SELECT p.code, u.kind, u.name, u.credit_code FROM project_units u JOIN projects p ON p.id = u.project_id "
	     "WHERE p.id IN (SELECT project_id FROM case_progress) ORDER BY p.code, u.position",
	     "SELECT p.code, u.kind, u.name, u.credit_code FROM project_units u JOIN projects p ON p.id = u.project_id "
	     "ORDER BY p.code, u.position");
	static const char cases[] = "SELECT c.number, c.item_code, c.department_code, c.district_code, c.stage, c.status, "
				    "c.open, c.accepted, c.received_at, c.accepted_at, c.final_at, c.time_limit, "
				    "CASE WHEN n.ncases > 1 THEN n.number END AS instance FROM cases c JOIN case_instances n ON n.id = c.instance_id "
				    "ORDER BY c.number";
	same("办件", cases, cases);
	same("status sequences",
	     "SELECT c.number, s.status, s.at, CASE WHEN s.username = '' THEN '系统' ELSE s.username END AS who, s.opinion "
	     "FROM case_status s JOIN cases c ON c.id = s.case_id WHERE s.status IS NOT (SELECT q.status FROM case_status q "
	     "WHERE q.case_id = s.case_id AND q.id < s.id ORDER BY q.id DESC LIMIT 1) ORDER BY c.number, s.id",
	     "SELECT c.number, s.status, s.at, s.username AS who, s.opinion FROM case_status s JOIN cases c ON c.id = s.case_id "
	     "ORDER BY c.number, s.id");
	same("approval documents",
	     "SELECT c.number, o.number AS doc, o.issued_at FROM case_documents o JOIN cases c ON c.id = o.case_id "
	     "WHERE o.kind = 'approval' ORDER BY o.number",
	     "SELECT c.number, o.number AS doc, o.issued_at FROM case_documents o JOIN cases c ON c.id = o.case_id ORDER BY o.number");
	/* imported records count like native ones, and remember their source */
	struct stats_check_result c;
	if (stats_check(B, &Env, Now, "test", &c, &e))
		fail_msg("stats check: %s", e.msg);
	if (!c.equal)
		fail_msg("statistics differ from a recount: %s", c.diff);
	assert_int_equal(scalar(B, "SELECT count(*) FROM import_sources WHERE kind = 'case'"), scalar(A, "SELECT count(*) FROM cases"));
	assert_int_equal(scalar(B, "SELECT count(*) FROM audit_log WHERE action = 'import.spgl'"), 1);
	struct audit_verdict v;
	assert_int_equal(audit_verify(B, &v, &e), 0);
	assert_int_equal(v.bad_id, 0);
}

static void second_run_is_refused(void **state)
{
	struct err e;
	json_t *r;
	struct import_spgl_source src = {read_a, NULL};
	int64_t before = scalar(B, "SELECT count(*) FROM case_status");
	(void)state;
	assert_int_equal(import_spgl(B, &Env, &Cli, Now, &src, 0, &r, &e), ERR_INVALID);
	assert_true(has_error(r, "SPGL_XMJBXXB", "XMDM"));
	assert_int_equal(scalar(B, "SELECT count(*) FROM case_status"), before);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_rows_are_reported),
		cmocka_unit_test(dry_run_writes_nothing),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(second_run_is_refused),
	};
	return cmocka_run_group_tests_name("import_spgl", tests, setup, teardown);
}
