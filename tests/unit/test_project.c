/*
** test_project.c: projects (approval/project.h) against a real database:
** one case per validation rule (the field and the rule), duplicate codes,
** partial updates validated as a whole, deletion only while no department
** handles the project, the data scope of each kind of account, masked
** phones in lists and the audit rows.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval/project.h"
#include "ids/ids.h"
#include "org/org.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

#define NOW 1748736000   /* 2025-06-01 Asia/Shanghai */

static char path[64];
static struct store *st;

static int setup(void **state)
{
	struct err e;
	struct principal cli;
	rbac_cli_principal(&cli);
	snprintf(path, sizeof path, "/tmp/gg-test-project-%d.db", getpid());
	unlink(path);
	if (store_open(path, STORE_CREATE, &st, &e) || org_seed(st, NOW, &e) || catalog_seed(st, &cli, NOW, &e))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char p[80];
	store_close(st);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}

/* A valid credit code built from a division and an organisation code. */
static void uscc(const char *head8, const char *org8, char out[19])
{
	char first17[18];
	snprintf(first17, sizeof first17, "%s%s%c", head8, org8, ids_orgcode_check_char(org8));
	snprintf(out, 19, "%s%c", first17, ids_uscc_check_char(first17));
}

static json_t *valid(const char *code)
{
	char builder[19], designer[19];
	uscc("91610200", "MA6TQ001", builder);
	uscc("91610202", "MA6TQ002", designer);
	return json_pack("{s:s,s:s,s:i,s:s,s:s,s:i,s:i,s:i,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:s},{s:s,s:s,s:s,s:s,s:s}]}",
			 "code", code, "name", "铜川市王益区第一小学教学楼建设项目", "flow_type", 3,
			 "division", "610202", "address", "王益区红旗街1号", "investment_wan", 5800,
			 "land_area_m2", 12000, "floor_area_m2", 9600, "planned_start", "2025-09-01",
			 "planned_finish", "2026-08-31", "units",
			 "kind", "builder", "name", "铜川市某置业有限公司", "credit_code", builder,
			 "contact", "张三", "phone", "13812345678",
			 "kind", "design", "name", "铜川市某设计院", "credit_code", designer,
			 "contact", "李四", "phone", "0919-3123456");
}

static void mutate(json_t *o, const char *path_, const char *value)
{
	char buf[128], *dot;
	json_t *cur = o;
	snprintf(buf, sizeof buf, "%s", path_);
	char *p = buf;
	while ((dot = strchr(p, '/'))) {
		*dot = 0;
		cur = json_is_array(cur) ? json_array_get(cur, (size_t)atoi(p)) : json_object_get(cur, p);
		p = dot + 1;
	}
	if (!value)
		json_object_del(cur, p);
	else
		json_object_set_new(cur, p, json_loads(value, JSON_DECODE_ANY, NULL));
}

struct rule {
	const char *what, *path, *value, *field;
};

static const struct rule rules[] = {
	{"unknown field", "colour", "\"red\"", "colour"},
	{"missing field", "address", NULL, "address"},
	{"wrong type", "investment_wan", "\"5800\"", "investment_wan"},
	{"project code shape", "code", "\"2024-610202-48-01-12345\"", "code"},
	{"project code division", "code", "\"2024-619999-48-01-123456\"", "code"},
	{"gcdm characters", "gcdm", "\"工程1\"", "gcdm"},
	{"division unknown", "division", "\"619999\"", "division"},
	{"division outside 铜川", "division", "\"610102\"", "division"},
	{"name empty", "name", "\"\"", "name"},
	{"flow type range", "flow_type", "11", "flow_type"},
	{"flow type without flow", "flow_type", "6", "flow_type"},
	{"flow code not of type", "flow_code", "\"TC-ZFTZ-FJ\"", "flow_code"},
	{"address blank", "address", "\" \"", "address"},
	{"investment zero", "investment_wan", "0", "investment_wan"},
	{"land negative", "land_area_m2", "-1", "land_area_m2"},
	{"floor too large", "floor_area_m2", "100000001", "floor_area_m2"},
	{"start not a date", "planned_start", "\"2025-02-30\"", "planned_start"},
	{"finish not a date", "planned_finish", "\"2026/08/31\"", "planned_finish"},
	{"finish before start", "planned_finish", "\"2025-08-31\"", "planned_finish"},
	{"finish equals start", "planned_finish", "\"2025-09-01\"", "planned_finish"},
	{"no units", "units", "[]", "units"},
	{"unit unknown field", "units/0/email", "\"a@b\"", "units[0].email"},
	{"unit missing field", "units/1/contact", NULL, "units[1].contact"},
	{"unit kind", "units/1/kind", "\"owner\"", "units[1].kind"},
	{"unit name", "units/0/name", "\"\"", "units[0].name"},
	{"unit credit code check digit", "units/0/credit_code", "\"11610200MB29655941\"", "units[0].credit_code"},
	{"unit credit code length", "units/0/credit_code", "\"11610200MB2965594\"", "units[0].credit_code"},
	{"unit phone", "units/0/phone", "\"1381234567\"", "units[0].phone"},
	{"unit phone letters", "units/1/phone", "\"0919-31234AB\"", "units[1].phone"},
	{"no builder", "units/0/kind", "\"agent\"", "units"},
};

static void test_rules(void **state)
{
	struct principal cli;
	rbac_cli_principal(&cli);
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		struct err e;
		int64_t id;
		json_t *b = valid("2024-610202-48-01-000001");
		mutate(b, rules[i].path, rules[i].value);
		int rc = project_create(st, &cli, NOW, b, &id, &e);
		if (rc != ERR_INVALID || strcmp(e.field, rules[i].field) != 0)
			fail_msg("rule '%s': rc %d field '%s' (want %s): %s", rules[i].what, rc, e.field,
				 rules[i].field, e.msg);
		json_decref(b);
	}
	/* duplicate units */
	struct err e;
	int64_t id;
	json_t *b = valid("2024-610202-48-01-000001");
	json_array_append(json_object_get(b, "units"), json_array_get(json_object_get(b, "units"), 0));
	assert_int_equal(project_create(st, &cli, NOW, b, &id, &e), ERR_INVALID);
	assert_string_equal(e.field, "units[2].credit_code");
	json_decref(b);
}

static void test_create_update_delete(void **state)
{
	struct principal cli, head = {0}, clerk = {0};
	struct err e;
	int64_t id, id2;
	json_t *p;
	rbac_cli_principal(&cli);
	json_t *b = valid(" 2024-610202-48-01-000002 ");
	mutate(b, "units/0/credit_code", "\"11610200mb29655940\"");
	assert_int_equal(project_create(st, &cli, NOW, b, &id, &e), 0);
	assert_int_equal(project_get(st, &cli, id, &p, &e), 0);
	assert_string_equal(json_string_value(json_object_get(p, "code")), "2024-610202-48-01-000002");
	assert_string_equal(json_string_value(json_object_get(p, "flow_code")), "TC-SHTZ-YB");
	assert_string_equal(json_string_value(json_object_get(p, "division_name")), "王益区");
	json_t *u0 = json_array_get(json_object_get(p, "units"), 0);
	assert_string_equal(json_string_value(json_object_get(u0, "credit_code")), "11610200MB29655940");
	assert_string_equal(json_string_value(json_object_get(u0, "phone")), "13812345678");
	assert_string_equal(json_string_value(json_object_get(u0, "kind_name")), "建设单位");
	json_decref(p);
	/* the same code again: 409 */
	assert_int_equal(project_create(st, &cli, NOW, b, &id2, &e), ERR_CONFLICT);
	assert_string_equal(e.field, "code");
	json_decref(b);
	/* partial update, checked as a whole */
	assert_int_equal(project_update(st, &cli, NOW, id, p = json_pack("{s:s}", "planned_finish", "2025-01-01"), &e),
			 ERR_INVALID);
	json_decref(p);
	assert_string_equal(e.field, "planned_finish");
	assert_int_equal(project_update(st, &cli, NOW, id, p = json_pack("{s:s}", "code", "2024-610202-48-01-000009"), &e),
			 ERR_INVALID);
	json_decref(p);
	assert_string_equal(e.field, "code");
	assert_int_equal(project_update(st, &cli, NOW, id, p = json_pack("{s:s,s:i}", "name", "新名称", "investment_wan", 6000), &e), 0);
	json_decref(p);
	struct project pr;
	assert_int_equal(project_lookup(st, id, &pr, &e), 0);
	assert_string_equal(pr.name, "新名称");
	assert_int_equal(pr.flow_type, 3);
	/* units kept when not sent */
	assert_int_equal(project_get(st, &cli, id, &p, &e), 0);
	assert_int_equal(json_array_size(json_object_get(p, "units")), 2);
	json_decref(p);
	/* delete: head only, not once a department handles it */
	clerk.roles = ROLE_CLERK;
	strcpy(clerk.department, "610200-XSP");
	head.roles = ROLE_HEAD;
	strcpy(head.department, "610200-XSP");
	assert_int_equal(project_delete(st, &clerk, NOW, id, &e), ERR_FORBIDDEN);
	assert_int_equal(project_link_department(st, id, "610200-ZJJ", &e), 0);
	assert_int_equal(project_link_department(st, id, "610200-ZJJ", &e), 0);   /* idempotent */
	assert_int_equal(project_delete(st, &head, NOW, id, &e), ERR_CONFLICT);
	/* a fresh one goes */
	b = valid("2024-610202-48-01-000003");
	assert_int_equal(project_create(st, &clerk, NOW, b, &id2, &e), 0);
	assert_int_equal(project_delete(st, &head, NOW, id2, &e), 0);
	assert_int_equal(project_get(st, &cli, id2, &p, &e), ERR_NOTFOUND);
	assert_int_equal(project_delete(st, &head, NOW, id2, &e), ERR_NOTFOUND);
	/* its code stays taken */
	assert_int_equal(project_create(st, &cli, NOW, b, &id2, &e), ERR_CONFLICT);
	json_decref(b);
	/* audit */
	sqlite3_stmt *s;
	sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM audit_log WHERE action LIKE 'project.%'", -1, &s, NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 4);   /* 2 creates, 1 update, 1 delete */
	sqlite3_finalize(s);
}

static int64_t listed(const struct principal *who, int64_t *first_id)
{
	struct page pg = {1, 200};
	struct project_filter f = {0};
	struct err e;
	json_t *items;
	int64_t total;
	int capped;
	if (project_list(st, who, &f, &pg, &items, &total, &capped, &e))
		return -1;
	if (first_id)
		*first_id = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	json_decref(items);
	return total;
}

static void test_scope(void **state)
{
	struct principal cli, fgw = {0}, zjj = {0}, xsp_city = {0}, xsp_yt = {0}, leader = {0}, cat = {0},
		ops = {0};
	struct err e;
	int64_t a, b, c, first;
	json_t *body, *p;
	rbac_cli_principal(&cli);
	fgw.roles = ROLE_CLERK;
	strcpy(fgw.department, "610200-FGW");
	strcpy(fgw.username, "fgw1");
	zjj.roles = ROLE_REVIEWER;
	strcpy(zjj.department, "610200-ZJJ");
	xsp_city.roles = ROLE_CLERK;
	strcpy(xsp_city.department, "610200-XSP");
	xsp_yt.roles = ROLE_CLERK;
	strcpy(xsp_yt.department, "610203-XSP");
	leader.roles = ROLE_LEADER;
	cat.roles = ROLE_CATALOG;
	ops.roles = ROLE_OPS;
	int64_t base = listed(&cli, NULL), zbase = listed(&zjj, NULL);   /* earlier tests linked ZJJ */
	/* a: registered by 发改 in 王益区; b: by the CLI in 印台区; c: CLI, 耀州区 */
	body = valid("2024-610202-48-01-000100");
	assert_int_equal(project_create(st, &fgw, NOW, body, &a, &e), 0);
	json_decref(body);
	body = valid("2024-610203-48-01-000101");
	mutate(body, "division", "\"610203\"");
	assert_int_equal(project_create(st, &cli, NOW, body, &b, &e), 0);
	json_decref(body);
	body = valid("2024-610204-48-01-000102");
	mutate(body, "division", "\"610204\"");
	assert_int_equal(project_create(st, &cli, NOW, body, &c, &e), 0);
	json_decref(body);
	assert_int_equal(listed(&cli, NULL), base + 3);
	assert_int_equal(listed(&leader, NULL), base + 3);
	assert_int_equal(listed(&ops, NULL), base + 3);
	assert_int_equal(listed(&xsp_city, NULL), base + 3);
	/* the district's 行政审批服务局 sees its district */
	assert_int_equal(listed(&xsp_yt, &first), 1);
	assert_int_equal(first, b);
	/* a department sees what it registered, then what it handles */
	assert_int_equal(listed(&fgw, &first), 1);
	assert_int_equal(first, a);
	assert_true(project_visible(st, &fgw, a));
	assert_false(project_visible(st, &fgw, b));
	assert_int_equal(project_get(st, &fgw, b, &p, &e), ERR_NOTFOUND);
	assert_int_equal(listed(&zjj, NULL), zbase);
	assert_int_equal(project_link_department(st, c, "610200-ZJJ", &e), 0);
	assert_int_equal(listed(&zjj, &first), zbase + 1);
	assert_int_equal(first, c);
	/* a reviewer reads but does not write; other roles read nothing */
	assert_int_equal(project_update(st, &zjj, NOW, c, p = json_pack("{s:s}", "name", "x"), &e), ERR_FORBIDDEN);
	json_decref(p);
	assert_int_equal(listed(&cat, NULL), -1);
	/* a clerk cannot change a project outside the scope */
	assert_int_equal(project_update(st, &fgw, NOW, b, p = json_pack("{s:s}", "name", "x"), &e), ERR_NOTFOUND);
	json_decref(p);
	/* lists mask phones */
	struct page pg = {1, 1};
	struct project_filter f = {.q = "000100"};
	json_t *items;
	int64_t total;
	int capped;
	assert_int_equal(project_list(st, &cli, &f, &pg, &items, &total, &capped, &e), 0);
	assert_int_equal(total, 1);
	json_t *u0 = json_array_get(json_object_get(json_array_get(items, 0), "units"), 0);
	assert_string_equal(json_string_value(json_object_get(u0, "phone")), "138****5678");
	json_decref(items);
	f.q = NULL;
	f.division = "610204";
	assert_int_equal(project_list(st, &cli, &f, &pg, &items, &total, &capped, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(capped, 0);
	json_decref(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_create_update_delete),
		cmocka_unit_test(test_scope),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
