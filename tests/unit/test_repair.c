/*
** test_repair.c: 数据修复单 end to end on demo data (repair/repair.h).
**
** For every operation (a project's field, a 办件's department, a status
** row's time, reassign, close a stage, void, a bulk department move) the
** preview is compared with what apply really changed: every row of the
** touched tables is read before and after, and the differences, column by
** column, must be exactly the preview's changes. After each apply the
** statistics equal a full recount and the audit chain verifies; undo puts
** every table back byte for byte. Also: self-approval and approval by the
** command line are refused (403), apply before approval and undo after a
** later change of a row are refused (409, naming the row), and a broken
** audit chain stops repairs.
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

#include "base/clock.h"
#include "base/json.h"
#include "db/db.h"
#include "workday/workday.h"
#include "cli/cli.h"
#include "approval/project.h"
#include "org/audit.h"
#include "repair/repair.h"
#include "stats/stats_live.h"
#include "store/store_repair.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

static char Dir[256], Db[300];
static struct store *St;
static struct cal *Cal;
static struct case_env Cases;
static struct repair_env Env;
static struct principal Cli, Ops, Approver, Both;
static int64_t Now;

static const char *const Tables[] = {"projects", "project_units", "project_departments", "case_stages", "case_progress",
				     "case_instances", "cases", "case_status", "case_documents", "users", NULL};

static void sql(const char *q)
{
	struct err e;
	if (store_exec(St, q, &e))
		fail_msg("%s: %s", q, e.msg);
}

static const char *one(const char *q)
{
	static char out[256];
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(St), q, -1, &s, NULL), SQLITE_OK);
	out[0] = 0;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return out;
}

/* "tbl:key1/key2" as the repair names a row (without its label). */
static void row_name(const char *tbl, const json_t *key, char *out, size_t n)
{
	const char *k;
	json_t *v;
	size_t used = (size_t)snprintf(out, n, "%s:", tbl);
	int first = 1;
	json_object_foreach((json_t *)key, k, v) {
		if (json_is_string(v))
			used += (size_t)snprintf(out + used, n - used, "%s%s", first ? "" : "/", json_string_value(v));
		else
			used += (size_t)snprintf(out + used, n - used, "%s%lld", first ? "" : "/",
						 (long long)json_integer_value(v));
		first = 0;
	}
}

/* Every row of the touched tables: {"tbl:key": row}. */
static json_t *dump(void)
{
	struct err e;
	json_t *all = json_object(), *rows, *r, *key, *where = json_object();
	size_t i;
	char name[200];
	for (int t = 0; Tables[t]; t++) {
		if (store_repair_select(St, Tables[t], where, 0, &rows, &e))
			fail_msg("dump %s: %s", Tables[t], e.msg);
		json_array_foreach(rows, i, r) {
			assert_int_equal(store_repair_key(St, Tables[t], r, &key, &e), 0);
			row_name(Tables[t], key, name, sizeof name);
			json_object_set(all, name, r);
			json_decref(key);
		}
		json_decref(rows);
	}
	json_decref(where);
	return all;
}

/* The differences between two dumps as sorted "object|field|before|after" lines. */
static json_t *diff(const json_t *a, const json_t *b)
{
	json_t *out = json_array(), *v, *w, *x;
	const char *k, *c;
	char *bs, *as, line[2048];
	json_object_foreach((json_t *)a, k, v) {
		w = json_object_get(b, k);
		if (!w) {
			bs = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
			snprintf(line, sizeof line, "%s|*|%s|null", k, bs);
			json_array_append_new(out, json_string(line));
			free(bs);
			continue;
		}
		json_object_foreach(v, c, x) {
			json_t *y = json_object_get(w, c);
			if (json_equal(x, y))
				continue;
			bs = json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT);
			as = json_dumps(y, JSON_ENCODE_ANY | JSON_COMPACT);
			snprintf(line, sizeof line, "%s|%s|%s|%s", k, c, bs, as);
			json_array_append_new(out, json_string(line));
			free(bs);
			free(as);
		}
	}
	json_object_foreach((json_t *)b, k, w)
		if (!json_object_get(a, k)) {
			as = json_dumps(w, JSON_COMPACT | JSON_SORT_KEYS);
			snprintf(line, sizeof line, "%s|*|null|%s", k, as);
			json_array_append_new(out, json_string(line));
			free(as);
		}
	return out;
}

/* The preview's changes in the same form. */
static json_t *preview_lines(const json_t *repair)
{
	json_t *out = json_array(), *c;
	size_t i;
	char obj[200], line[2048];
	json_array_foreach(json_object_get(repair, "changes"), i, c) {
		snprintf(obj, sizeof obj, "%s", json_get_str(c, "object", ""));
		char *sp = strstr(obj, " (");
		if (sp)
			*sp = 0;
		int whole = strcmp(json_get_str(c, "field", ""), "*") == 0;
		char *bs = json_dumps(json_object_get(c, "before"), JSON_ENCODE_ANY | JSON_COMPACT | (whole ? JSON_SORT_KEYS : 0));
		char *as = json_dumps(json_object_get(c, "after"), JSON_ENCODE_ANY | JSON_COMPACT | (whole ? JSON_SORT_KEYS : 0));
		snprintf(line, sizeof line, "%s|%s|%s|%s", obj, json_get_str(c, "field", ""), bs, as);
		json_array_append_new(out, json_string(line));
		free(bs);
		free(as);
	}
	return out;
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

static void assert_same_lines(json_t *x, json_t *y)
{
	size_t n = json_array_size(x);
	if (n != json_array_size(y)) {
		char *b = json_dumps(y, JSON_INDENT(1));
		fail_msg("preview has %zu changes, apply made %zu:\n%s", n, json_array_size(y), b);
	}
	json_t **a = calloc(n + 1, sizeof *a), **b = calloc(n + 1, sizeof *b);
	for (size_t i = 0; i < n; i++) {
		a[i] = json_array_get(x, i);
		b[i] = json_array_get(y, i);
	}
	qsort(a, n, sizeof *a, cmp_lines);
	qsort(b, n, sizeof *b, cmp_lines);
	for (size_t i = 0; i < n; i++)
		if (strcmp(json_string_value(a[i]), json_string_value(b[i])) != 0)
			fail_msg("preview %s\n  apply %s", json_string_value(a[i]), json_string_value(b[i]));
	free(a);
	free(b);
}

static void stats_equal(void)
{
	struct err e;
	struct stats_check_result c;
	if (stats_check(St, &Cases, Now, "test", &c, &e))
		fail_msg("stats check: %s", e.msg);
	if (!c.equal)
		fail_msg("statistics differ from a recount: %s", c.diff);
	struct audit_verdict v;
	assert_int_equal(audit_verify(St, &v, &e), 0);
	assert_int_equal(v.bad_id, 0);
}

static int64_t propose(const char *req_text)
{
	struct err e;
	json_t *out, *req = json_loads(req_text, 0, NULL);
	assert_non_null(req);
	if (repair_propose(St, &Env, &Ops, Now, req, 0, &out, &e))
		fail_msg("propose %s: %s %s", req_text, e.field, e.msg);
	int64_t id = json_get_int(out, "id", 0);
	assert_string_equal(json_get_str(out, "status", ""), "proposed");
	json_decref(out);
	json_decref(req);
	return id;
}

/* Propose, approve, apply: the preview is what changed; stats and audit hold;
** then undo restores every table exactly. Returns the repair id (undone). */
static int64_t round_trip(const char *req_text)
{
	struct err e;
	json_t *shown, *out, *before, *after, *undone;
	int64_t id = propose(req_text);
	assert_int_equal(repair_show(St, &Cli, id, &shown, &e), 0);
	assert_int_equal(repair_decide(St, &Approver, Now, id, 1, "同意", &out, &e), 0);
	assert_string_equal(json_get_str(out, "approved_by", ""), Approver.username);
	json_decref(out);
	before = dump();
	if (repair_apply(St, &Env, &Ops, Now, id, &out, &e))
		fail_msg("apply %s: %s %s", req_text, e.field, e.msg);
	assert_string_equal(json_get_str(out, "status", ""), "applied");
	json_decref(out);
	after = dump();
	json_t *d = diff(before, after), *p = preview_lines(shown);
	assert_true(json_array_size(p) > 0);
	assert_same_lines(p, d);
	stats_equal();
	if (repair_undo(St, &Env, &Ops, Now, id, "回退验证", &out, &e))
		fail_msg("undo %s: %s %s", req_text, e.field, e.msg);
	assert_string_equal(json_get_str(out, "status", ""), "undone");
	json_decref(out);
	undone = dump();
	json_t *back = diff(before, undone);
	assert_int_equal(json_array_size(back), 0);
	stats_equal();
	json_decref(back);
	json_decref(undone);
	json_decref(d);
	json_decref(p);
	json_decref(before);
	json_decref(after);
	json_decref(shown);
	return id;
}

/* ---- setup ------------------------------------------------------------------------------------ */

static int setup(void **state)
{
	struct err e;
	(void)state;
	snprintf(Dir, sizeof Dir, "/tmp/test-repair-XXXXXX");
	if (!mkdtemp(Dir))
		return -1;
	snprintf(Db, sizeof Db, "%s/demo.db", Dir);
	char *argv[] = {"demo", "--db", Db, "--projects", "60", "--seed", "5", "--as-of", "2025-11-20", NULL};
	fflush(stdout);
	FILE *saved = stdout;
	stdout = fopen("/dev/null", "w");
	int rc = cli_demo(9, argv);
	fclose(stdout);
	stdout = saved;
	if (rc || store_open(Db, 0, &St, &e) || cal_build_store(St, &Cal, &e))
		return -1;
	Cases = (struct case_env){.cal = Cal, .dl = DEADLINE_CONF_DEFAULT, .observers = db_case_observers()};
	Env = (struct repair_env){&Cases, NULL};
	Now = clock_now(NULL);     /* the demo counted its statistics at the real clock */
	rbac_cli_principal(&Cli);
	Ops = (struct principal){.user_id = 900, .username = "ops1", .roles = ROLE_OPS, .source = "test"};
	Approver = (struct principal){.user_id = 901, .username = "bureau1", .roles = ROLE_REPAIR, .source = "test"};
	Both = (struct principal){.user_id = 902, .username = "both", .roles = ROLE_OPS | ROLE_REPAIR, .source = "test"};
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];
	(void)state;
	cal_free(Cal);
	store_close(St);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", Dir);
	return system(cmd);
}

/* ---- each operation ----------------------------------------------------------------------------- */

static void field_of_project(void **state)
{
	char req[512];
	(void)state;
	snprintf(req, sizeof req, "{\"op\":\"field\",\"project\":\"%s\",\"field\":\"address\",\"value\":\"铜川市新区正阳路\","
		 "\"reason\":\"地址录入错误\"}", one("SELECT code FROM projects ORDER BY id LIMIT 1"));
	round_trip(req);
}

static void department_of_case(void **state)
{
	char req[512], number[64], dept[64];
	(void)state;
	snprintf(number, sizeof number, "%s", one("SELECT number FROM cases WHERE open = 0 ORDER BY id LIMIT 1"));
	snprintf(dept, sizeof dept, "%s", one("SELECT code FROM departments WHERE active = 1 AND code <> "
					       "(SELECT department_code FROM cases WHERE open = 0 ORDER BY id LIMIT 1) "
					       "ORDER BY code LIMIT 1"));
	snprintf(req, sizeof req, "{\"op\":\"field\",\"case\":\"%s\",\"field\":\"department_code\",\"value\":\"%s\","
		 "\"reason\":\"部门录错\",\"answers\":\"finding:1\"}", number, dept);
	round_trip(req);
}

static void time_of_status_row(void **state)
{
	char req[512];
	(void)state;
	const char *q = "SELECT s.id || ',' || p.at FROM case_status s JOIN case_status p ON p.case_id = s.case_id "
			"AND p.id = (SELECT max(id) FROM case_status WHERE case_id = s.case_id AND id < s.id) "
			"WHERE p.at < s.at ORDER BY s.id LIMIT 1";
	long long id, at;
	assert_int_equal(sscanf(one(q), "%lld,%lld", &id, &at), 2);
	snprintf(req, sizeof req, "{\"op\":\"field\",\"status\":%lld,\"field\":\"at\",\"value\":%lld,\"reason\":\"时间录错\"}",
		 id, at);
	round_trip(req);
	/* outside its neighbours: refused by the field's rule */
	struct err e;
	json_t *out, *bad;
	snprintf(req, sizeof req, "{\"op\":\"field\",\"status\":%lld,\"field\":\"at\",\"value\":%lld,\"reason\":\"时间录错\"}",
		 id, at - 86400 * 400);
	bad = json_loads(req, 0, NULL);
	assert_int_equal(repair_propose(St, &Env, &Ops, Now, bad, 0, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "value");
	json_decref(bad);
}

static void reassign(void **state)
{
	char req[512];
	(void)state;
	const char *q = "SELECT c.number || ',' || u.username FROM cases c JOIN users u ON u.department_code = "
			"c.department_code JOIN user_roles r ON r.user_id = u.id AND r.role = c.step_role "
			"WHERE c.open = 1 AND u.active = 1 ORDER BY c.id LIMIT 1";
	char pair[200], *comma;
	snprintf(pair, sizeof pair, "%s", one(q));
	comma = strchr(pair, ',');
	assert_non_null(comma);
	*comma = 0;
	snprintf(req, sizeof req, "{\"op\":\"reassign\",\"case\":\"%s\",\"user\":\"%s\",\"reason\":\"原办理人调岗\"}", pair,
		 comma + 1);
	round_trip(req);
}

static void close_stage(void **state)
{
	char req[512];
	(void)state;
	const char *q = "SELECT p.code || ',' || s.stage FROM case_stages s JOIN projects p ON p.id = s.project_id "
			"WHERE s.completed_at IS NULL ORDER BY p.id LIMIT 1";
	char code[64];
	int stage;
	assert_int_equal(sscanf(one(q), "%63[^,],%d", code, &stage), 2);
	snprintf(req, sizeof req, "{\"op\":\"close_stage\",\"project\":\"%s\",\"stage\":%d,\"reason\":\"里程碑事项已取消\"}",
		 code, stage);
	round_trip(req);
}

static void void_case(void **state)
{
	char req[512];
	(void)state;
	snprintf(req, sizeof req, "{\"op\":\"void\",\"case\":\"%s\",\"reason\":\"误建办件\"}",
		 one("SELECT c.number FROM cases c JOIN case_instances i ON i.id = c.instance_id "
		     "WHERE i.ncases > 1 AND (SELECT count(*) FROM case_status WHERE case_id = c.id) > 2 ORDER BY c.id LIMIT 1"));
	round_trip(req);
	snprintf(req, sizeof req, "{\"op\":\"void\",\"case\":\"%s\",\"reason\":\"误建办件\"}",
		 one("SELECT c.number FROM cases c JOIN case_instances i ON i.id = c.instance_id "
		     "WHERE i.ncases = 1 ORDER BY c.id DESC LIMIT 1"));
	round_trip(req);
}

static void move_department(void **state)
{
	char req[512], from[64], to[64];
	struct err e;
	json_t *out, *r;
	(void)state;
	snprintf(from, sizeof from, "%s", one("SELECT department_code FROM cases WHERE open = 1 GROUP BY 1 "
					       "ORDER BY count(*) DESC, 1 LIMIT 1"));
	snprintf(to, sizeof to, "%s", one("SELECT code FROM departments WHERE active = 1 AND code LIKE '610200-%' "
					   "AND code <> (SELECT department_code FROM cases WHERE open = 1 GROUP BY 1 "
					   "ORDER BY count(*) DESC, 1 LIMIT 1) ORDER BY code LIMIT 1"));
	snprintf(req, sizeof req, "{\"op\":\"move_department\",\"from\":\"%s\",\"to\":\"%s\",\"reason\":\"机构改革合并\"}",
		 from, to);
	/* the dry run stores nothing and shows what the real proposal shows */
	r = json_loads(req, 0, NULL);
	int64_t before = atoll(one("SELECT count(*) FROM repairs"));
	assert_int_equal(repair_propose(St, &Env, &Ops, Now, r, 1, &out, &e), 0);
	assert_string_equal(json_get_str(out, "status", ""), "preview");
	assert_true(json_get_int(out, "rows", 0) > 2);
	assert_int_equal(atoll(one("SELECT count(*) FROM repairs")), before);
	json_decref(out);
	json_decref(r);
	round_trip(req);
}

static void merge_projects(void **state)
{
	char req[512], from[64];
	struct err e;
	int64_t id;
	(void)state;
	/* the project that stays was registered again by hand, without any 办件 */
	json_t *body = json_loads("{\"code\":\"2025-610204-48-01-009999\",\"name\":\"重复登记的项目\",\"flow_type\":4,"
				  "\"division\":\"610204\",\"address\":\"铜川市耀州区\",\"investment_wan\":800,"
				  "\"land_area_m2\":1000,\"floor_area_m2\":2000,\"planned_start\":\"2026-01-01\","
				  "\"planned_finish\":\"2027-12-31\",\"units\":[{\"kind\":\"builder\",\"name\":\"某单位\","
				  "\"credit_code\":\"11610200MB29655940\",\"contact\":\"王五\",\"phone\":\"13912345678\"}]}", 0, NULL);
	assert_non_null(body);
	if (project_create(St, &Cli, Now, body, &id, &e))
		fail_msg("project: %s %s", e.field, e.msg);
	json_decref(body);
	snprintf(from, sizeof from, "%s", one("SELECT p.code FROM projects p WHERE p.division_code <> '610204' AND "
					       "(SELECT count(*) FROM cases WHERE project_id = p.id) > 3 ORDER BY p.id LIMIT 1"));
	snprintf(req, sizeof req, "{\"op\":\"merge_projects\",\"from\":\"%s\",\"into\":\"2025-610204-48-01-009999\","
		 "\"reason\":\"同一项目重复登记\"}", from);
	round_trip(req);
	/* two projects that both started the same stage cannot merge */
	json_t *out, *r;
	snprintf(req, sizeof req, "{\"op\":\"merge_projects\",\"from\":\"%s\",\"into\":\"%s\",\"reason\":\"重复登记\"}",
		 from, one("SELECT code FROM projects WHERE id = (SELECT min(project_id) FROM case_stages WHERE stage = 1 AND "
			   "project_id <> (SELECT id FROM projects WHERE code = (SELECT code FROM projects p WHERE p.division_code <> '610204' AND "
			   "(SELECT count(*) FROM cases WHERE project_id = p.id) > 3 ORDER BY p.id LIMIT 1)))"));
	r = json_loads(req, 0, NULL);
	assert_int_equal(repair_propose(St, &Env, &Ops, Now, r, 1, &out, &e), ERR_CONFLICT);
	json_decref(r);
}

/* ---- the flow ----------------------------------------------------------------------------------- */

static json_t *req_name(const char *value)
{
	char req[512];
	snprintf(req, sizeof req, "{\"op\":\"field\",\"project\":\"%s\",\"field\":\"name\",\"value\":\"%s\","
		 "\"reason\":\"名称有误\"}", one("SELECT code FROM projects ORDER BY id DESC LIMIT 1"), value);
	return json_loads(req, 0, NULL);
}

static void who_may(void **state)
{
	struct err e;
	json_t *out, *req = req_name("自审项目");
	(void)state;
	/* only ops propose */
	assert_int_equal(repair_propose(St, &Env, &Approver, Now, req, 0, &out, &e), ERR_FORBIDDEN);
	assert_int_equal(repair_propose(St, &Env, &Both, Now, req, 0, &out, &e), 0);
	int64_t id = json_get_int(out, "id", 0);
	json_decref(out);
	/* applying before approval: 409 */
	assert_int_equal(repair_apply(St, &Env, &Ops, Now, id, &out, &e), ERR_CONFLICT);
	/* one's own proposal: 403; the bare command line: 403; ops: 403 */
	assert_int_equal(repair_decide(St, &Both, Now, id, 1, NULL, &out, &e), ERR_FORBIDDEN);
	assert_non_null(strstr(e.msg, "自己"));
	assert_int_equal(repair_decide(St, &Cli, Now, id, 1, NULL, &out, &e), ERR_FORBIDDEN);
	assert_int_equal(repair_decide(St, &Ops, Now, id, 1, NULL, &out, &e), ERR_FORBIDDEN);
	/* rejected: never applied, not decided twice */
	assert_int_equal(repair_decide(St, &Approver, Now, id, 0, "理由不足", &out, &e), 0);
	assert_string_equal(json_get_str(out, "status", ""), "rejected");
	assert_true(json_is_null(json_object_get(out, "approved_by")));
	json_decref(out);
	assert_int_equal(repair_apply(St, &Env, &Ops, Now, id, &out, &e), ERR_CONFLICT);
	assert_int_equal(repair_decide(St, &Approver, Now, id, 1, NULL, &out, &e), ERR_CONFLICT);
	/* a reason is required; an unknown field is named */
	json_object_set_new(req, "reason", json_string("x"));
	assert_int_equal(repair_propose(St, &Env, &Ops, Now, req, 0, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "reason");
	json_object_set_new(req, "reason", json_string("名称有误"));
	json_object_set_new(req, "field", json_string("deleted_at"));
	assert_int_equal(repair_propose(St, &Env, &Ops, Now, req, 0, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "field");
	json_decref(req);
}

static void undo_refused_after_a_later_change(void **state)
{
	struct err e;
	json_t *out, *req = req_name("先改的名称");
	char q[256];
	(void)state;
	assert_int_equal(repair_propose(St, &Env, &Ops, Now, req, 0, &out, &e), 0);
	int64_t id = json_get_int(out, "id", 0);
	json_decref(out);
	assert_int_equal(repair_decide(St, &Approver, Now, id, 1, NULL, &out, &e), 0);
	json_decref(out);
	assert_int_equal(repair_apply(St, &Env, &Ops, Now, id, &out, &e), 0);
	json_decref(out);
	/* the project changes again afterwards (a later update of the lifecycle) */
	snprintf(q, sizeof q, "UPDATE projects SET updated_at = updated_at + 1 WHERE code = '%s'",
		 json_get_str(req, "project", ""));
	sql(q);
	assert_int_equal(repair_undo(St, &Env, &Ops, Now, id, "回退", &out, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.field, "projects:"));
	assert_non_null(strstr(e.msg, json_get_str(req, "project", "")));
	assert_string_equal(one("SELECT name FROM projects ORDER BY id DESC LIMIT 1"), "先改的名称");
	json_decref(req);
}

static void audit_broken_stops_repairs(void **state)
{
	struct err e;
	json_t *out, *req = req_name("审计损坏时");
	(void)state;
	assert_int_equal(repair_propose(St, &Env, &Ops, Now, req, 0, &out, &e), 0);
	int64_t id = json_get_int(out, "id", 0);
	json_decref(out);
	assert_int_equal(repair_decide(St, &Approver, Now, id, 1, NULL, &out, &e), 0);
	json_decref(out);
	sql("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'x' || action WHERE id = 2");
	assert_int_equal(repair_apply(St, &Env, &Ops, Now, id, &out, &e), ERR_CONFLICT);
	assert_string_equal(e.field, "audit");
	sql("UPDATE audit_log SET action = substr(action, 2) WHERE id = 2");
	assert_int_equal(repair_apply(St, &Env, &Ops, Now, id, &out, &e), 0);
	json_decref(out);
	json_decref(req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(field_of_project),
		cmocka_unit_test(department_of_case),
		cmocka_unit_test(time_of_status_row),
		cmocka_unit_test(reassign),
		cmocka_unit_test(close_stage),
		cmocka_unit_test(void_case),
		cmocka_unit_test(move_department),
		cmocka_unit_test(merge_projects),
		cmocka_unit_test(who_may),
		cmocka_unit_test(undo_refused_after_a_later_change),
		cmocka_unit_test(audit_broken_stops_repairs),
	};
	return cmocka_run_group_tests_name("repair", tests, setup, teardown);
}
