/*
** test_quality.c: 数据质检 end to end on demo data (quality/quality.h).
**
** A demo database (cli_demo, 120 projects, as of 2025-11-20) is clean by
** construction but for the defects the rules are meant to find in real
** life (stages that never complete, 容缺 materials overdue, ...). The tests
** then break rows on purpose (SQL straight into the test database, as an
** import or a bug would), run the rules and check that each defect is found
** once, with the owner department and district, that repairing it closes
** the finding in the next run (fixed, with the run that proved it), that
** breaking it again reopens it with history, that deadlines escalate,
** that only a leader dismisses, that scopes hold, and that the province's
** rejections (a source implemented here) open and close findings by
** themselves. The one-pass engine is compared with one naive statement per
** rule, and one thread with two; the status and case passes that read only
** what changed since the last run with ones that read everything.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval/deadline.h"
#include "base/clock.h"
#include "base/json.h"
#include "workday/workday.h"
#include "cli/cli.h"
#include "quality/quality.h"
#include "quality/quality_int.h"
#include "store/store_quality.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

static char Dir[256], Db[300];
static struct store *St;
static struct cal *Cal;
static struct quality_env Env;
static struct principal Cli, Leader, Head;
static int64_t Now;

/* ---- helpers ------------------------------------------------------------------------------ */

static void sql(const char *fmt, ...)
{
	char q[1024];
	struct err e;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q, sizeof q, fmt, ap);
	va_end(ap);
	if (store_exec(St, q, &e))
		fail_msg("%s: %s", q, e.msg);
}

/* The first column of the first row of a query, as text (static buffer). */
static const char *one(const char *fmt, ...)
{
	static char out[256];
	char q[1024];
	sqlite3_stmt *s;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q, sizeof q, fmt, ap);
	va_end(ap);
	assert_int_equal(sqlite3_prepare_v2(store_db(St), q, -1, &s, NULL), SQLITE_OK);
	out[0] = 0;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return out;
}

static json_t *run_at(int64_t now, const char *rule)
{
	struct err e;
	json_t *r = NULL;
	if (quality_run(St, &Env, &Cli, now, "cli", rule, &r, &e))
		fail_msg("run: %s %s", e.field, e.msg);
	return r;
}

static int64_t run_count(json_t *r, const char *what)
{
	return json_get_int(json_object_get(r, "run"), what, -1);
}

static int64_t rule_findings(json_t *r, const char *id)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(r, "rules"), i, x)
		if (!strcmp(json_get_str(x, "id", ""), id))
			return json_get_int(x, "findings", -1);
	return -1;
}

/* The findings of rule (and object, when given) as the CLI principal sees them. */
static json_t *findings(const struct principal *who, const char *rule, const char *object, const char *status)
{
	struct err e;
	json_t *o;
	struct quality_filter f = {status, rule, NULL, NULL, object};
	if (quality_findings(St, who, &f, &(struct page){1, 200}, &o, &e))
		fail_msg("findings: %s", e.msg);
	return o;
}

static json_t *the_finding(const char *rule, const char *object)
{
	json_t *o = findings(&Cli, rule, object, NULL);
	if (json_get_int(o, "total", 0) != 1)
		fail_msg("%s %s: %lld findings", rule, object, (long long)json_get_int(o, "total", 0));
	json_t *f = json_incref(json_array_get(json_object_get(o, "items"), 0));
	json_decref(o);
	return f;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- setup ---------------------------------------------------------------------------------- */

static int setup(void **state)
{
	struct err e;
	snprintf(Dir, sizeof Dir, "/tmp/test-quality-XXXXXX");
	if (!mkdtemp(Dir))
		return -1;
	snprintf(Db, sizeof Db, "%s/demo.db", Dir);
	char *argv[] = {"demo", "--db", Db, "--projects", "120", "--seed", "11", "--as-of", "2025-11-20", NULL};
	fflush(stdout);
	FILE *saved = stdout;
	stdout = fopen("/dev/null", "w");
	int rc = cli_demo(9, argv);
	fclose(stdout);
	stdout = saved;
	if (rc || store_open(Db, 0, &St, &e) || cal_build_store(St, &Cal, &e))
		return -1;
	Env = (struct quality_env){.cal = Cal, .conf = QUALITY_CONF_DEFAULT, .threads = 2};
	Now = clock_cn_midnight("2025-11-20") + 16 * 3600;
	rbac_cli_principal(&Cli);
	Leader = (struct principal){.user_id = 90, .username = "leader1", .roles = ROLE_LEADER, .source = "test"};
	Head = (struct principal){.user_id = 91, .username = "zjjhead", .roles = ROLE_HEAD,
				  .department = "610200-ZJJ", .district = "610200", .source = "test"};
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];
	cal_free(Cal);
	store_close(St);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", Dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- the rule catalogue -------------------------------------------------------------------------- */

static void test_rules_catalogue(void **state)
{
	struct err e;
	json_t *rules, *doc, *out, *r;
	size_t i;
	int n = -1;
	assert_int_equal(quality_rules(St, &rules, &e), 0);
	assert_true(json_array_size(rules) >= 25);
	json_array_foreach(rules, i, r) {
		assert_true(*json_get_str(r, "message", ""));
		assert_true(*json_get_str(r, "basis", ""));
		assert_true(json_is_true(json_object_get(r, "enabled")));
		assert_int_equal(json_get_int(r, "version", -1), 0);
	}
	json_decref(rules);
	/* export, import unchanged: no new version */
	assert_int_equal(quality_rules_export(St, &doc, &e), 0);
	assert_int_equal(quality_rules_import(St, &Cli, Now, doc, &n, &e), 0);
	assert_int_equal(n, 0);
	/* a changed parameter in the file is a new version of that rule only */
	json_array_foreach(json_object_get(doc, "rules"), i, r)
		if (!strcmp(json_get_str(r, "id", ""), "case-zombie"))
			json_object_set_new(json_object_get(r, "params"), "days", json_integer(25));
	assert_int_equal(quality_rules_import(St, &Cli, Now, doc, &n, &e), 0);
	assert_int_equal(n, 1);
	/* an unknown check is refused, naming the field; nothing written */
	r = json_array_get(json_object_get(doc, "rules"), 0);
	json_object_set_new(r, "check", json_string("no_such_check"));
	assert_int_equal(quality_rules_import(St, &Cli, Now, doc, &n, &e), ERR_INVALID);
	assert_string_equal(e.field, "check");
	json_decref(doc);
	/* edits: parameters must exist with their type; a head may not edit */
	json_t *patch = json_pack("{s:{s:i},s:s}", "params", "days", 20, "note", "back to 20");
	assert_int_equal(quality_rule_update(St, &Head, Now, "case-zombie", patch, &out, &e), ERR_FORBIDDEN);
	assert_int_equal(quality_rule_update(St, &Leader, Now, "case-zombie", patch, &out, &e), 0);
	assert_int_equal(json_get_int(out, "version", 0), 2);
	json_decref(out);
	assert_int_equal(quality_rule_update(St, &Leader, Now, "case-zombie", patch, &out, &e), ERR_INVALID);
	json_decref(patch);
	patch = json_pack("{s:{s:s}}", "params", "weeks", "3");
	assert_int_equal(quality_rule_update(St, &Leader, Now, "case-zombie", patch, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "params");
	json_decref(patch);
	assert_int_equal(quality_rule_history(St, "case-zombie", &out, &e), 0);
	assert_int_equal(json_array_size(json_object_get(out, "versions")), 2);
	json_decref(out);
	assert_int_equal(quality_rule_history(St, "nope", &out, &e), ERR_NOTFOUND);
}

/* ---- what the demo data holds ------------------------------------------------------------------------ */

static void test_first_run(void **state)
{
	json_t *r = run_at(Now, NULL), *o, *f;
	size_t i;
	int64_t stuck = rule_findings(r, "project-stuck");
	assert_true(run_count(r, "opened") > 0);
	assert_int_equal(run_count(r, "opened"), run_count(r, "found"));
	assert_true(stuck > 0);
	/* every enabled rule is listed; the exchange rules are skipped without a source */
	assert_true(json_array_size(json_object_get(r, "rules")) >= 25);
	assert_int_equal(run_count(r, "rules_skipped"), 2);
	json_decref(r);
	/* a project's finding belongs to the window of its division */
	o = findings(&Cli, "project-stuck", NULL, "open");
	json_array_foreach(json_object_get(o, "items"), i, f) {
		char want[48];
		const char *div = one("SELECT division_code FROM projects WHERE code = '%s'", json_get_str(f, "object", ""));
		snprintf(want, sizeof want, "%s-XSP", div);
		assert_string_equal(json_get_str(f, "department", ""), want);
		assert_string_equal(json_get_str(f, "district", ""), div);
		assert_int_equal(strlen(json_get_str(f, "deadline", "")), 10);
		assert_true(json_is_null(json_object_get(f, "fixed_at")));
	}
	json_decref(o);
	/* the same data again: the same findings, nothing written but the run */
	r = run_at(Now, NULL);
	assert_int_equal(run_count(r, "opened"), 0);
	assert_int_equal(run_count(r, "fixed"), 0);
	assert_int_equal(rule_findings(r, "project-stuck"), stuck);
	json_decref(r);
}

/* ---- defects put in on purpose ------------------------------------------------------------------------- */

static char P1[64], P1code[64], P2[64], P3[64], P4[64], P4credit[32];
static char Cdoc[64], Cafter[64], Corder[64], Clate[64], Cdup[64];
static char StatusAfter[32], StatusOrder[32], DupItem[64];

static void expect_case_finding(const char *rule, const char *number)
{
	json_t *f = the_finding(rule, number);
	assert_string_equal(json_get_str(f, "department", ""),
			    one("SELECT department_code FROM cases WHERE number = '%s'", number));
	assert_string_equal(json_get_str(f, "district", ""),
			    one("SELECT district_code FROM cases WHERE number = '%s'", number));
	assert_string_equal(json_get_str(f, "status", ""), "open");
	json_decref(f);
}

static void break_projects(void)
{
	snprintf(P1, sizeof P1, "%s", one("SELECT id FROM projects ORDER BY id LIMIT 1 OFFSET 0"));
	snprintf(P1code, sizeof P1code, "%s", one("SELECT code FROM projects WHERE id = %s", P1));
	sql("UPDATE projects SET code = 'BAD-%s' WHERE id = %s", P1, P1);
	snprintf(P2, sizeof P2, "%s", one("SELECT code FROM projects ORDER BY id LIMIT 1 OFFSET 1"));
	sql("UPDATE projects SET planned_start = planned_finish WHERE code = '%s'", P2);
	snprintf(P3, sizeof P3, "%s", one("SELECT code FROM projects ORDER BY id LIMIT 1 OFFSET 2"));
	sql("UPDATE project_units SET kind = 'other' WHERE project_id = (SELECT id FROM projects WHERE code = '%s')", P3);
	snprintf(P4, sizeof P4, "%s", one("SELECT code FROM projects ORDER BY id LIMIT 1 OFFSET 3"));
	snprintf(P4credit, sizeof P4credit, "%s", one("SELECT credit_code FROM project_units WHERE project_id = "
						      "(SELECT id FROM projects WHERE code = '%s')", P4));
	sql("UPDATE project_units SET credit_code = substr(credit_code, 1, 17) || "
	    "CASE substr(credit_code, 18) WHEN '0' THEN '1' ELSE '0' END "
	    "WHERE project_id = (SELECT id FROM projects WHERE code = '%s')", P4);
}

static void break_cases(void)
{
	snprintf(Cdoc, sizeof Cdoc, "%s", one("SELECT c.number FROM cases c JOIN case_documents d ON d.case_id = c.id "
					      "AND d.kind = 'approval' WHERE c.status = 11 ORDER BY c.id LIMIT 1"));
	sql("UPDATE case_documents SET kind = 'approval-lost' WHERE kind = 'approval' AND case_id = "
	    "(SELECT id FROM cases WHERE number = '%s')", Cdoc);
	snprintf(Cafter, sizeof Cafter, "%s", one("SELECT number FROM cases WHERE status = 13 ORDER BY id LIMIT 1"));
	sql("INSERT INTO case_status(case_id, status, action, step, step_name, at, username, department_code) "
	    "SELECT id, 8, 'test', 0, '审查', final_at + 60, 'test', department_code FROM cases WHERE number = '%s'",
	    Cafter);
	snprintf(StatusAfter, sizeof StatusAfter, "%s", one("SELECT max(id) FROM case_status"));
	snprintf(Corder, sizeof Corder, "%s", one("SELECT c.number FROM cases c WHERE c.status = 11 AND "
						  "(SELECT count(*) FROM case_status s WHERE s.case_id = c.id) >= 4 "
						  "ORDER BY c.id DESC LIMIT 1"));
	snprintf(StatusOrder, sizeof StatusOrder, "%s", one("SELECT s.id FROM case_status s JOIN cases c ON c.id = s.case_id "
							    "WHERE c.number = '%s' ORDER BY s.id LIMIT 1 OFFSET 2", Corder));
	sql("UPDATE case_status SET at = at - 400 * 86400 WHERE id = %s", StatusOrder);
	snprintf(Clate, sizeof Clate, "%s", one("SELECT c.number FROM cases c JOIN stats_case s ON s.case_id = c.id "
						"WHERE s.late = 1 AND c.paused_days = 0 ORDER BY c.id LIMIT 1"));
	sql("UPDATE stats_case SET late = 0 WHERE case_id = (SELECT id FROM cases WHERE number = '%s')", Clate);
	snprintf(Cdup, sizeof Cdup, "%s", one("SELECT b.number FROM cases a JOIN cases b ON b.instance_id = a.instance_id "
					      "AND b.id > a.id ORDER BY a.id LIMIT 1"));
	snprintf(DupItem, sizeof DupItem, "%s", one("SELECT item_code FROM cases WHERE number = '%s'", Cdup));
	sql("UPDATE cases SET item_code = (SELECT a.item_code FROM cases a WHERE a.instance_id = cases.instance_id "
	    "ORDER BY a.id LIMIT 1) WHERE number = '%s'", Cdup);
}

static void test_defects_found(void **state)
{
	break_projects();
	break_cases();
	json_t *r = run_at(Now, NULL), *f;
	assert_true(run_count(r, "opened") >= 9);
	json_decref(r);
	char bad[80], want[48];
	snprintf(bad, sizeof bad, "BAD-%s", P1);
	f = the_finding("project-code", bad);
	snprintf(want, sizeof want, "%s-XSP", one("SELECT division_code FROM projects WHERE id = %s", P1));
	assert_string_equal(json_get_str(f, "department", ""), want);
	assert_string_equal(json_get_str(f, "severity", ""), "error");
	assert_string_equal(json_get_str(f, "object_kind", ""), "project");
	assert_non_null(strstr(json_get_str(f, "message", ""), bad));
	json_decref(f);
	json_decref(the_finding("project-dates", P2));
	json_decref(the_finding("unit-builder", P3));
	f = the_finding("unit-credit-code", P4);
	assert_non_null(strstr(json_get_str(f, "message", ""), "check digit"));
	json_decref(f);
	expect_case_finding("case-approval-doc", Cdoc);
	expect_case_finding("status-after-final", Cafter);
	expect_case_finding("status-order", Corder);
	expect_case_finding("case-overdue-unmarked", Clate);
	expect_case_finding("case-duplicate-item", Cdup);
	/* one run with one thread finds exactly the same */
	Env.threads = 1;
	r = run_at(Now, NULL);
	Env.threads = 2;
	assert_int_equal(run_count(r, "opened"), 0);
	assert_int_equal(run_count(r, "fixed"), 0);
	assert_int_equal(run_count(r, "reopened"), 0);
	json_decref(r);
}

/* Repairs close the findings in the next run; breaking again reopens. */
static void test_fixed_and_reopened(void **state)
{
	sql("UPDATE projects SET code = '%s' WHERE id = %s", P1code, P1);
	sql("UPDATE case_documents SET kind = 'approval' WHERE kind = 'approval-lost'");
	sql("DELETE FROM case_status WHERE id = %s", StatusAfter);
	sql("UPDATE case_status SET at = at + 400 * 86400 WHERE id = %s", StatusOrder);
	sql("UPDATE cases SET item_code = '%s' WHERE number = '%s'", DupItem, Cdup);
	json_t *r = run_at(Now + 3600, NULL), *f;
	int64_t run = json_get_int(json_object_get(r, "run"), "id", 0);
	/* five repairs (a project's other findings follow its code: BAD-n's are closed too) */
	assert_true(run_count(r, "fixed") >= 5);
	char bad[80];
	snprintf(bad, sizeof bad, "BAD-%s", P1);
	const char *repaired[][2] = {{"project-code", bad}, {"status-after-final", Cafter}, {"status-order", Corder},
				     {"case-duplicate-item", Cdup}};
	for (int k = 0; k < 4; k++) {
		f = the_finding(repaired[k][0], repaired[k][1]);
		assert_string_equal(json_get_str(f, "status", ""), "fixed");
		json_decref(f);
	}
	json_decref(r);
	f = the_finding("case-approval-doc", Cdoc);
	assert_string_equal(json_get_str(f, "status", ""), "fixed");
	assert_true(json_is_string(json_object_get(f, "fixed_at")));
	json_t *d;
	struct err e;
	assert_int_equal(quality_finding(St, &Cli, json_get_int(f, "id", 0), &d, &e), 0);
	json_t *events = json_object_get(d, "events");
	assert_int_equal(json_array_size(events), 2);
	assert_string_equal(json_get_str(json_array_get(events, 1), "event", ""), "fixed");
	assert_int_equal(json_get_int(json_array_get(events, 1), "run_id", 0), run);
	json_decref(d);
	json_decref(f);
	/* still broken: still open */
	f = the_finding("project-dates", P2);
	assert_string_equal(json_get_str(f, "status", ""), "open");
	json_decref(f);
	/* broken again: the same finding, reopened */
	sql("UPDATE case_documents SET kind = 'approval-lost' WHERE kind = 'approval' AND case_id = "
	    "(SELECT id FROM cases WHERE number = '%s')", Cdoc);
	r = run_at(Now + 7200, "case-approval-doc");
	assert_int_equal(run_count(r, "reopened"), 1);
	assert_int_equal(json_array_size(json_object_get(r, "rules")), 1);
	json_decref(r);
	f = the_finding("case-approval-doc", Cdoc);
	assert_string_equal(json_get_str(f, "status", ""), "open");
	assert_int_equal(json_get_int(f, "reopened", 0), 1);
	json_decref(f);
	/* a run of one rule closes nothing of the others */
	f = the_finding("project-dates", P2);
	assert_string_equal(json_get_str(f, "status", ""), "open");
	json_decref(f);
}

/* Past the deadline an open finding turns overdue; only a leader dismisses. */
static void test_overdue_and_dismiss(void **state)
{
	struct err e;
	json_t *f = the_finding("project-dates", P2), *r;
	int64_t id = json_get_int(f, "id", 0);
	int32_t due;
	assert_int_equal(cal_date_parse(json_get_str(f, "deadline", ""), &due, &e), 0);
	json_decref(f);
	/* error findings get [quality] error_days = 5 working days */
	int n;
	assert_int_equal(cal_count_workdays(Cal, deadline_day(Now), due, &n, NULL, &e), 0);
	assert_int_equal(n, 5);
	r = run_at((int64_t)(due + 1) * 86400 - 28800 + 10 * 3600, NULL);
	assert_true(run_count(r, "escalated") > 0);
	json_decref(r);
	f = the_finding("project-dates", P2);
	assert_string_equal(json_get_str(f, "status", ""), "overdue");
	json_decref(f);
	assert_int_equal(quality_dismiss(St, &Head, Now, id, "数据已核实无误", &e), ERR_FORBIDDEN);
	assert_int_equal(quality_dismiss(St, &Leader, Now, id, "", &e), ERR_INVALID);
	assert_string_equal(e.field, "reason");
	assert_int_equal(quality_dismiss(St, &Leader, Now, id, "拟开工与拟建成为同日的应急工程，经核实无误", &e), 0);
	assert_int_equal(quality_dismiss(St, &Leader, Now, id, "再次核销", &e), ERR_CONFLICT);
	assert_string_equal(one("SELECT count(*) FROM audit_log WHERE action = 'quality.dismiss' AND "
				"object = 'quality_finding:%lld'", (long long)id), "1");
	/* dismissed stays dismissed though the defect is still there */
	json_decref(run_at(Now + 8000, NULL));
	f = the_finding("project-dates", P2);
	assert_string_equal(json_get_str(f, "status", ""), "dismissed");
	assert_string_equal(json_get_str(f, "dismissed_by", ""), "leader1");
	json_decref(f);
}

static void test_scope(void **state)
{
	struct err e;
	json_t *all = findings(&Cli, NULL, NULL, NULL), *mine = findings(&Head, NULL, NULL, NULL), *f;
	size_t i;
	assert_true(json_get_int(mine, "total", 0) < json_get_int(all, "total", 0));
	json_array_foreach(json_object_get(mine, "items"), i, f)
		assert_string_equal(json_get_str(f, "department", ""), "610200-ZJJ");
	/* a finding of another department is not found for the head */
	json_t *p = the_finding("unit-builder", P3);
	assert_int_equal(quality_finding(St, &Head, json_get_int(p, "id", 0), &f, &e), ERR_NOTFOUND);
	json_decref(p);
	struct principal clerk = {.user_id = 92, .username = "c", .roles = ROLE_CLERK, .department = "610200-ZJJ"};
	assert_int_equal(quality_findings(St, &clerk, &(struct quality_filter){0}, &(struct page){1, 20}, &f, &e),
			 ERR_FORBIDDEN);
	json_t *run;
	assert_int_equal(quality_run(St, &Env, &Head, Now, "api", NULL, &run, &e), ERR_FORBIDDEN);
	json_decref(all);
	json_decref(mine);
}

/* ---- the province's rejections, from a source implemented here -------------------------------------- */

struct fake_row {
	const char *table, *key, *object, *department, *reason;
	int64_t since;
};
static struct fake_row Rejected[4];
static int Nrejected;

static int fake_rejections(void *ctx, struct store *st, quality_rejection_fn each, void *arg, struct err *e)
{
	assert_ptr_equal(ctx, Rejected);
	for (int i = 0; i < Nrejected; i++) {
		const struct fake_row *r = &Rejected[i];
		int rc = each(arg, r->table, r->key, r->object, r->department, r->reason, r->since);
		if (rc)
			return rc;
	}
	return 0;
}

static void test_rejections(void **state)
{
	struct quality_sources src = {fake_rejections, Rejected};
	char project[64], number[64], dept[48];
	snprintf(project, sizeof project, "%s", one("SELECT code FROM projects ORDER BY id LIMIT 1 OFFSET 5"));
	snprintf(number, sizeof number, "%s", one("SELECT number FROM cases ORDER BY id LIMIT 1 OFFSET 7"));
	snprintf(dept, sizeof dept, "%s", one("SELECT department_code FROM cases WHERE number = '%s'", number));
	Rejected[0] = (struct fake_row){"SPGL_XMJBXXB", "p-1", project, NULL,
					"建设地点的值不在代码项之中！", Now - 86400};
	Rejected[1] = (struct fake_row){"SPGL_XMSPSXBLXXB", "c-8", number, dept,
					"办件工程代码在项目基本信息表无对应项目或对应的项目校验失败！", Now - 20 * 86400};
	Nrejected = 2;
	Env.sources = &src;
	json_t *r = run_at(Now + 9000, NULL), *f;
	assert_int_equal(run_count(r, "rules_skipped"), 0);
	assert_int_equal(rule_findings(r, "exchange-rejected"), 2);
	assert_int_equal(rule_findings(r, "exchange-uncorrected"), 1);
	json_decref(r);
	f = the_finding("exchange-rejected", project);
	assert_non_null(strstr(json_get_str(f, "message", ""), "建设地点的值不在代码项之中！"));
	assert_non_null(strstr(json_get_str(f, "message", ""), "项目基本信息"));
	char want[48];
	snprintf(want, sizeof want, "%s-XSP", one("SELECT division_code FROM projects WHERE code = '%s'", project));
	assert_string_equal(json_get_str(f, "department", ""), want);
	json_decref(f);
	f = the_finding("exchange-uncorrected", number);
	assert_string_equal(json_get_str(f, "department", ""), dept);
	json_decref(f);
	/* corrected: no longer reported, closed by itself */
	Nrejected = 0;
	r = run_at(Now + 9500, NULL);
	assert_int_equal(run_count(r, "fixed"), 3);
	json_decref(r);
	f = the_finding("exchange-rejected", number);
	assert_string_equal(json_get_str(f, "status", ""), "fixed");
	json_decref(f);
	/* without a source the exchange rules are skipped and their findings kept */
	Nrejected = 1;
	r = run_at(Now + 9600, NULL);
	assert_int_equal(run_count(r, "reopened"), 1);
	json_decref(r);
	Env.sources = NULL;
	r = run_at(Now + 9700, NULL);
	assert_int_equal(run_count(r, "fixed"), 0);
	assert_int_equal(run_count(r, "rules_skipped"), 2);
	json_decref(r);
	f = the_finding("exchange-rejected", project);
	assert_string_equal(json_get_str(f, "status", ""), "open");
	json_decref(f);
}

/* ---- the engine against one naive statement per rule -------------------------------------------------- */

static void test_engine_matches_naive(void **state)
{
	static const char *const checks[][2] = {
		{"case_approval_doc", "case-approval-doc"}, {"case_duplicate_item", "case-duplicate-item"},
		{"case_time_order", "case-time-order"}, {"case_department", "case-department"},
		{"status_after_final", "status-after-final"}, {"status_code", "status-code"},
		{"status_first", "status-first"}, {"status_order", "status-order"}, {"project_dates", "project-dates"},
		{"unit_builder", "unit-builder"},
	};
	struct err e;
	/* (a case that closed a 联合验收 keeps its joint document: not a defect then) */
	sql("UPDATE case_documents SET kind = 'approval-lost' WHERE kind = 'approval' AND case_id IN "
	    "(SELECT c.id FROM cases c JOIN case_documents d ON d.case_id = c.id AND d.kind = 'approval' "
	    "WHERE c.status = 11 AND NOT EXISTS (SELECT 1 FROM case_documents j WHERE j.case_id = c.id "
	    "AND j.kind = 'joint') ORDER BY c.id DESC LIMIT 3)");
	json_t *r = run_at(Now + 10000, NULL);
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		int64_t n = -1;
		assert_int_equal(store_quality_naive(St, checks[i][0], deadline_day(Now), &n, &e), 0);
		if (n != rule_findings(r, checks[i][1]))
			fail_msg("%s: engine %lld, naive %lld", checks[i][1], (long long)rule_findings(r, checks[i][1]),
				 (long long)n);
	}
	assert_true(rule_findings(r, "case-approval-doc") >= 4);
	json_decref(r);
}

/* ---- the status pass reads what changed: the same as reading everything ------------------------------- */

/* The marks of two passes, value for value. */
static void same_marks(const struct q_status *a, const struct q_status *b)
{
	assert_int_equal(a->nmarks, b->nmarks);
	for (size_t i = 0; i < a->nmarks; i++) {
		const struct qs_status_mark *x = &a->marks[i], *y = &b->marks[i];
		assert_int_equal(x->case_id, y->case_id);
		assert_int_equal(x->flags, y->flags);
		assert_int_equal(x->first_status, y->first_status);
		assert_int_equal(x->order_status, y->order_status);
		assert_int_equal(x->order_at, y->order_at);
		assert_int_equal(x->after_status, y->after_status);
		assert_int_equal(x->after_final, y->after_final);
		assert_int_equal(x->code, y->code);
	}
}

static void status_pass(int rescan, struct q_status *q)
{
	struct err e;
	if (q_status_pass(St, rescan, q, &e))
		fail_msg("status pass: %s", e.msg);
}

/* Every status row changed the ways a repair, its undo or a bug can: a row
** appended, a time moved, a status rewritten, a row deleted, a row put back
** below the end with its old id, a defect repaired. The pass that reads
** only the rows past the kept mark and the cases the triggers queued finds
** the same marks (value for value) as the pass that reads every row, and a
** run either way finds the same findings. */
static void test_status_incremental(void **state)
{
	struct q_status inc, full;
	json_t *r1, *r2;
	json_decref(run_at(Now + 20000, NULL));
	char c1[32], c2[32], c3[32], c4[32], gone[32];
	snprintf(c1, sizeof c1, "%s", one("SELECT id FROM cases WHERE status = 11 ORDER BY id DESC LIMIT 1 OFFSET 5"));
	snprintf(c2, sizeof c2, "%s", one("SELECT case_id FROM case_status GROUP BY case_id HAVING count(*) >= 3 "
					  "ORDER BY case_id LIMIT 1 OFFSET 7"));
	snprintf(c3, sizeof c3, "%s", one("SELECT case_id FROM case_status GROUP BY case_id HAVING count(*) >= 3 "
					  "ORDER BY case_id LIMIT 1 OFFSET 9"));
	snprintf(c4, sizeof c4, "%s", one("SELECT case_id FROM case_status GROUP BY case_id HAVING count(*) >= 3 "
					  "ORDER BY case_id LIMIT 1 OFFSET 11"));
	sql("INSERT INTO case_status(case_id, status, action, step, step_name, at, username, department_code) "
	    "SELECT id, 9, 'test', 0, '审查', final_at + 600, 'test', department_code FROM cases WHERE id = %s", c1);
	sql("UPDATE case_status SET at = at - 90 * 86400 WHERE id = (SELECT id FROM case_status WHERE case_id = %s "
	    "ORDER BY id LIMIT 1 OFFSET 2)", c2);
	sql("UPDATE case_status SET status = 77 WHERE id = (SELECT id FROM case_status WHERE case_id = %s "
	    "ORDER BY id LIMIT 1 OFFSET 1)", c3);
	snprintf(gone, sizeof gone, "%s", one("SELECT min(id) FROM case_status WHERE case_id = %s", c4));
	sql("CREATE TEMP TABLE kept_row AS SELECT * FROM case_status WHERE id = %s", gone);
	sql("DELETE FROM case_status WHERE id = %s", gone);                /* its first row is gone */
	status_pass(0, &inc);
	assert_false(inc.full);
	assert_int_equal(inc.ncases, 4);
	status_pass(1, &full);
	assert_true(full.full);
	same_marks(&inc, &full);
	assert_true(inc.nmarks >= 4);
	q_status_free(&inc);
	q_status_free(&full);
	r1 = run_at(Now + 20000, NULL);
	assert_int_equal(rule_findings(r1, "status-first"), atoi(one("SELECT count(*) FROM (SELECT case_id, status, "
		"min(id) FROM case_status GROUP BY case_id) WHERE status <> 1")));
	/* the row back below the end with its own id, the rewritten status repaired */
	sql("INSERT INTO case_status SELECT * FROM temp.kept_row");
	sql("UPDATE case_status SET status = 8 WHERE case_id = %s AND status = 77", c3);
	status_pass(0, &inc);
	assert_false(inc.full);
	assert_int_equal(inc.ncases, 2);
	assert_true(inc.nmarks > inc.nfresh);                /* c1's and c2's marks were kept, not read again */
	status_pass(1, &full);
	same_marks(&inc, &full);
	q_status_free(&inc);
	q_status_free(&full);
	/* a run reading what changed, then one reading everything: nothing to tell apart */
	json_decref(r1);
	r1 = run_at(Now + 20000, NULL);
	Env.rescan = 1;
	r2 = run_at(Now + 20000, NULL);
	Env.rescan = 0;
	assert_int_equal(run_count(r2, "opened"), 0);
	assert_int_equal(run_count(r2, "fixed"), 0);
	assert_int_equal(run_count(r2, "reopened"), 0);
	assert_true(json_equal(json_object_get(r1, "rules"), json_object_get(r2, "rules")));
	assert_int_equal(rule_findings(r2, "status-code"), 0);
	json_decref(the_finding("status-after-final", one("SELECT number FROM cases WHERE id = %s", c1)));
	json_decref(r1);
	json_decref(r2);
	sql("DROP TABLE temp.kept_row");
}

/* Every hit of every enabled rule as sorted lines "rule|key|object|department|district|message", from
** one evaluation (nothing written); *all: the case pass read every case. */
static char *evaluation(int rescan, int *all)
{
	struct q_ruleset rs;
	struct q_hits hits = {0};
	struct q_status status;
	struct q_cases cases = {0};
	struct err e;
	assert_int_equal(q_rules_load(St, &rs, &e), 0);
	int *active = calloc(rs.n + 1, sizeof *active), *skipped = calloc(rs.n + 1, sizeof *skipped);
	for (size_t i = 0; i < rs.n; i++)
		active[i] = rs.v[i].enabled;
	Env.rescan = rescan;
	if (q_evaluate(St, &Env, &rs, active, Now + 40000, &hits, skipped, &status, &cases, &e))
		fail_msg("evaluate: %s", e.msg);
	Env.rescan = 0;
	*all = cases.all;
	char **lines = calloc(hits.n + 1, sizeof *lines);
	size_t len = 1;
	for (size_t i = 0; i < hits.n; i++) {
		const struct q_hit *h = &hits.v[i];
		char *msg = q_message(&rs.v[h->rule], h);
		assert_true(asprintf(&lines[i], "%s|%s|%s|%s|%s|%s\n", rs.v[h->rule].id, h->key, h->object, h->department,
				     h->district, msg) > 0);
		len += strlen(lines[i]);
		free(msg);
	}
	qsort(lines, hits.n, sizeof *lines, cmp_str);
	char *out = calloc(1, len);
	for (size_t i = 0; i < hits.n; i++) {
		strcat(out, lines[i]);
		free(lines[i]);
	}
	free(lines);
	free(active);
	free(skipped);
	q_hits_free(&hits);
	q_status_free(&status);
	q_cases_free(&cases);
	q_rules_free(&rs);
	return out;
}

static void same_evaluation(void)
{
	int inc_all, full_all;
	char *inc = evaluation(0, &inc_all), *full = evaluation(1, &full_all);
	assert_false(inc_all);
	assert_true(full_all);
	assert_string_equal(inc, full);
	free(inc);
	free(full);
}

/* Concluded cases changed the ways a repair, an import or a bug can: an
** approval document lost, a time moved, the statistics' mark taken away,
** an item made the same as another in its instance, a defect repaired. The
** run that reads only the running, the kept and the dirty cases finds the
** same hits, message for message, as one that reads every case; a
** department switched off reads every case again. */
static void test_case_incremental(void **state)
{
	json_decref(run_at(Now + 40000, NULL));
	same_evaluation();
	char doc[32], order[32], late[32], dup[32];
	snprintf(doc, sizeof doc, "%s", one("SELECT c.id FROM cases c JOIN case_documents d ON d.case_id = c.id "
					    "AND d.kind = 'approval' WHERE c.status = 11 AND c.open = 0 AND NOT EXISTS "
					    "(SELECT 1 FROM case_documents j WHERE j.case_id = c.id AND j.kind = 'joint') "
					    "ORDER BY c.id DESC LIMIT 1 OFFSET 3"));
	sql("UPDATE case_documents SET kind = 'approval-lost' WHERE kind = 'approval' AND case_id = %s", doc);
	snprintf(order, sizeof order, "%s", one("SELECT id FROM cases WHERE open = 0 AND accepted_at IS NOT NULL "
						"ORDER BY id DESC LIMIT 1 OFFSET 9"));
	sql("UPDATE cases SET accepted_at = received_at - 3600 WHERE id = %s", order);
	snprintf(late, sizeof late, "%s", one("SELECT c.id FROM cases c JOIN stats_case s ON s.case_id = c.id "
					      "WHERE s.late = 1 AND c.paused_days = 0 AND c.status IN (11, 12, 13) AND "
					      "(c.final_at - c.accepted_at) / 86400 > 2 * c.time_limit + 10 "
					      "ORDER BY c.id DESC LIMIT 1"));
	sql("UPDATE stats_case SET late = 0 WHERE case_id = %s", late);
	snprintf(dup, sizeof dup, "%s", one("SELECT b.id FROM cases a JOIN cases b ON b.instance_id = a.instance_id "
					    "AND b.id > a.id AND b.item_code <> a.item_code WHERE b.open = 0 "
					    "ORDER BY a.id DESC LIMIT 1"));
	sql("UPDATE cases SET item_code = (SELECT a.item_code FROM cases a WHERE a.instance_id = cases.instance_id "
	    "AND a.id < cases.id ORDER BY a.id LIMIT 1) WHERE id = %s", dup);
	same_evaluation();
	json_t *r = run_at(Now + 40000, NULL);
	json_decref(r);
	json_decref(the_finding("case-approval-doc", one("SELECT number FROM cases WHERE id = %s", doc)));
	json_decref(the_finding("case-time-order", one("SELECT number FROM cases WHERE id = %s", order)));
	json_decref(the_finding("case-overdue-unmarked", one("SELECT number FROM cases WHERE id = %s", late)));
	json_decref(the_finding("case-duplicate-item", one("SELECT number FROM cases WHERE id = %s", dup)));
	/* repaired: the kept cases are judged again and let go */
	sql("UPDATE case_documents SET kind = 'approval' WHERE kind = 'approval-lost' AND case_id = %s", doc);
	sql("UPDATE stats_case SET late = 1 WHERE case_id = %s", late);
	same_evaluation();
	r = run_at(Now + 40000, NULL);
	assert_int_equal(run_count(r, "fixed"), 2);
	json_decref(r);
	/* a department switched off: every case is read again */
	sql("UPDATE departments SET active = 0 WHERE code = (SELECT department_code FROM cases WHERE id = %s)", order);
	int all;
	free(evaluation(0, &all));
	assert_true(all);
	json_decref(run_at(Now + 40000, NULL));
	sql("UPDATE departments SET active = 1 WHERE code = (SELECT department_code FROM cases WHERE id = %s)", order);
	json_decref(run_at(Now + 40000, NULL));
	same_evaluation();
}

/* Two runs at once: the one that kept its marks last read them first, so
** it keeps nothing (its marks would be older than the dirty rows it drops). */
static void test_status_marks_race(void **state)
{
	struct err e;
	struct qs_status_state old;
	int kept = -1;
	assert_int_equal(store_quality_status_state(St, &old, &e), 0);
	assert_true(old.last_id > 0);
	char before[32];
	snprintf(before, sizeof before, "%s", one("SELECT count(*) FROM quality_status_marks"));
	assert_true(atoi(before) > 0);
	json_decref(run_at(Now + 30000, NULL));             /* nothing changed: the marks stay */
	assert_string_equal(one("SELECT count(*) FROM quality_status_marks"), before);
	assert_int_equal(store_begin(St, &e), 0);
	assert_int_equal(store_quality_marks_put(St, &old, 999999, 1, NULL, 0, NULL, 0, &kept, &e), 0);
	assert_int_equal(store_commit(St, &e), 0);
	assert_int_equal(kept, 0);
	assert_string_equal(one("SELECT count(*) FROM quality_status_marks"), before);
}

/* ---- the 通报 -------------------------------------------------------------------------------------------- */

static void test_notice(void **state)
{
	struct err e;
	json_t *n, *g;
	char *data = NULL, *html = NULL;
	size_t len = 0, i;
	assert_int_equal(quality_notice(St, &Env, &Cli, Now + 10000, "2025-13", &n, &e), ERR_INVALID);
	assert_string_equal(e.field, "period");
	assert_int_equal(quality_notice(St, &Env, &Cli, Now + 10000, "2025-11", &n, &e), 0);
	assert_string_equal(json_get_str(n, "letterhead", ""), "铜川市行政审批服务局");
	json_t *tot = json_object_get(n, "totals");
	assert_true(json_get_int(tot, "new", 0) > 0);
	assert_true(json_get_int(tot, "fixed", 0) >= 8);
	assert_true(json_get_int(tot, "rejected", 0) >= 2);
	/* 整改率 = 本期已整改 / (期初未整改 + 本期新发现), in percent */
	double base = (double)(json_get_int(tot, "open_at_start", 0) + json_get_int(tot, "new", 0));
	assert_true(base > 0);
	assert_true(fabs(json_number_value(json_object_get(tot, "rate")) - json_get_int(tot, "fixed", 0) * 100.0 / base) < 1e-9);
	int64_t sum = 0;
	json_array_foreach(json_object_get(n, "groups"), i, g)
		sum += json_get_int(g, "open_end", 0);
	assert_int_equal(sum, json_get_int(tot, "open_end", -1));
	assert_int_equal((int64_t)json_array_size(json_object_get(n, "open")), sum);
	assert_true(json_array_size(json_object_get(n, "definitions")) >= 6);
	assert_int_equal(quality_notice_xlsx(n, &data, &len, &e), 0);
	assert_true(len > 1000 && data[0] == 'P' && data[1] == 'K');
	assert_int_equal(quality_notice_html(n, &html, &e), 0);
	assert_non_null(strstr(html, "整改率"));
	free(data);
	free(html);
	json_decref(n);
	/* the head's notice holds only the head's department */
	assert_int_equal(quality_notice(St, &Env, &Head, Now + 10000, "2025-11", &n, &e), 0);
	json_array_foreach(json_object_get(n, "groups"), i, g)
		assert_string_equal(json_get_str(g, "department", ""), "610200-ZJJ");
	json_decref(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_catalogue), cmocka_unit_test(test_first_run),
		cmocka_unit_test(test_defects_found), cmocka_unit_test(test_fixed_and_reopened),
		cmocka_unit_test(test_overdue_and_dismiss), cmocka_unit_test(test_scope),
		cmocka_unit_test(test_rejections), cmocka_unit_test(test_engine_matches_naive),
		cmocka_unit_test(test_status_incremental), cmocka_unit_test(test_status_marks_race),
		cmocka_unit_test(test_case_incremental),
		cmocka_unit_test(test_notice),
	};
	return cmocka_run_group_tests_name("quality", tests, setup, teardown);
}
