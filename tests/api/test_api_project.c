/*
** test_api_project.c: projects over real HTTP: registration with the 400
** shapes (field and rule) and 409 for a taken code, the list shape with
** masked phones, the data scope of each kind of account, partial updates,
** deletion (head only, 204), audit rows, and the `gonggai project` verb.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

static struct apitest T;

static int setup(void **state)
{
	if (apitest_start(&T, NULL) != 0)
		return -1;
	if (apitest_user(&T, "xsp1", "clerk", "610200-XSP") || apitest_user(&T, "head1", "head", "610200-XSP") ||
	    apitest_user(&T, "yt1", "clerk", "610203-XSP") || apitest_user(&T, "zjj1", "reviewer", "610200-ZJJ") ||
	    apitest_user(&T, "boss", "leader", NULL) || apitest_user(&T, "cat1", "catalog", NULL))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	apitest_stop(&T);
	return 0;
}

static const char *err_field(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "field"));
}

static const char *err_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

static struct client *login(const char *user)
{
	struct client *c = client_new(&T);
	assert_int_equal(client_login(c, user, APITEST_PASSWORD), 200);
	return c;
}

static char *body(const char *code, const char *division, const char *finish)
{
	char *s = malloc(1024);
	snprintf(s, 1024,
		 "{\"code\":\"%s\",\"name\":\"铜川市新区综合服务中心建设项目\",\"flow_type\":1,\"division\":\"%s\","
		 "\"address\":\"铜川新区正阳路\",\"investment_wan\":12000,\"land_area_m2\":20000,"
		 "\"floor_area_m2\":35000,\"planned_start\":\"2025-10-01\",\"planned_finish\":\"%s\","
		 "\"units\":[{\"kind\":\"builder\",\"name\":\"铜川市行政审批服务局\",\"credit_code\":\"11610200MB29655940\","
		 "\"contact\":\"王五\",\"phone\":\"13912345678\"}]}",
		 code, division, finish);
	return s;
}

static int64_t create(struct client *c, const char *code, const char *division)
{
	json_t *j;
	char *b = body(code, division, "2027-06-30");
	int status = client_req(c, "POST", "/api/projects", b, NULL, &j);
	free(b);
	if (status != 201)
		fail_msg("create %s: %d %s", code, status, client_body(c));
	int64_t id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

static void test_create_and_validate(void **state)
{
	struct client *c = login("xsp1"), *zjj = login("zjj1"), *cat = login("cat1");
	json_t *j;
	int64_t id = create(c, "2025-610200-47-01-000001", "610200");
	assert_true(id > 0);
	char *b = body("2025-610200-47-01-000001", "610200", "2027-06-30");
	assert_int_equal(client_req(c, "POST", "/api/projects", b, NULL, &j), 409);
	assert_string_equal(err_code(j), "conflict");
	assert_string_equal(err_field(j), "code");
	json_decref(j);
	/* not a writer */
	assert_int_equal(client_do(zjj, "POST", "/api/projects", b), 403);
	assert_int_equal(client_do(cat, "POST", "/api/projects", b), 403);
	free(b);
	/* field and rule */
	static const struct { const char *code, *division, *finish, *field; } bad[] = {
		{"2025-610200-47-01-00001", "610200", "2027-06-30", "code"},
		{"2025-610200-47-01-000002", "610102", "2027-06-30", "division"},
		{"2025-610200-47-01-000002", "610200", "2025-09-30", "planned_finish"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		b = body(bad[i].code, bad[i].division, bad[i].finish);
		assert_int_equal(client_req(c, "POST", "/api/projects", b, NULL, &j), 400);
		assert_string_equal(err_code(j), "invalid");
		assert_string_equal(err_field(j), bad[i].field);
		assert_true(strlen(json_string_value(json_object_get(json_object_get(j, "error"), "message"))) > 0);
		json_decref(j);
		free(b);
	}
	assert_int_equal(client_req(c, "POST", "/api/projects",
				    "{\"code\":\"2025-610200-47-01-000002\",\"units\":[{\"kind\":\"builder\"}],\"x\":1}", NULL, &j),
			 400);
	assert_string_equal(err_field(j), "x");
	json_decref(j);
	b = body("2025-610200-47-01-000002", "610200", "2027-06-30");
	char *p = strstr(b, "11610200MB29655940");
	p[17] = '1';   /* wrong check character */
	assert_int_equal(client_req(c, "POST", "/api/projects", b, NULL, &j), 400);
	assert_string_equal(err_field(j), "units[0].credit_code");
	json_decref(j);
	free(b);
	client_free(c);
	client_free(zjj);
	client_free(cat);
}

static void test_scope_and_masking(void **state)
{
	struct client *xsp = login("xsp1"), *yt = login("yt1"), *zjj = login("zjj1"), *boss = login("boss"),
		*cat = login("cat1"), *aud = login("auditor");
	json_t *j;
	int64_t a = create(xsp, "2025-610203-47-01-000010", "610203");
	int64_t b = create(xsp, "2025-610204-47-01-000011", "610204");
	char path[64];
	/* the city 行政审批服务局 and the leader see all */
	assert_int_equal(client_req(xsp, "GET", "/api/projects?page_size=2", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "page")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "page_size")), 2);
	json_t *first = json_array_get(json_object_get(j, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "id")), b);
	json_t *u0 = json_array_get(json_object_get(first, "units"), 0);
	assert_string_equal(json_string_value(json_object_get(u0, "phone")), "139****5678");
	json_decref(j);
	assert_int_equal(client_req(boss, "GET", "/api/projects?division=610203", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	/* 印台区's 行政审批服务局 sees 印台区 only */
	assert_int_equal(client_req(yt, "GET", "/api/projects", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id")), a);
	json_decref(j);
	snprintf(path, sizeof path, "/api/projects/%lld", (long long)b);
	assert_int_equal(client_do(yt, "GET", path, NULL), 404);
	/* a department with nothing to handle sees nothing; other roles nothing at all */
	assert_int_equal(client_req(zjj, "GET", "/api/projects", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
	json_decref(j);
	assert_int_equal(client_do(zjj, "GET", path, NULL), 404);
	assert_int_equal(client_do(cat, "GET", "/api/projects", NULL), 403);
	assert_int_equal(client_do(aud, "GET", "/api/projects", NULL), 403);
	/* details show the phone */
	assert_int_equal(client_req(xsp, "GET", path, NULL, NULL, &j), 200);
	u0 = json_array_get(json_object_get(j, "units"), 0);
	assert_string_equal(json_string_value(json_object_get(u0, "phone")), "13912345678");
	assert_string_equal(json_string_value(json_object_get(j, "flow_code")), "TC-ZFTZ-FJ");
	json_decref(j);
	assert_int_equal(client_do(xsp, "GET", "/api/projects/abc", NULL), 404);
	assert_int_equal(client_req(xsp, "GET", "/api/projects?page_size=900", NULL, NULL, &j), 400);
	assert_string_equal(err_field(j), "page_size");
	json_decref(j);
	client_free(xsp);
	client_free(yt);
	client_free(zjj);
	client_free(boss);
	client_free(cat);
	client_free(aud);
}

static void test_update_delete(void **state)
{
	struct client *xsp = login("xsp1"), *head = login("head1"), *aud = login("auditor");
	json_t *j;
	char path[64], out[2048];
	int64_t id = create(xsp, "2025-610202-47-01-000020", "610202");
	snprintf(path, sizeof path, "/api/projects/%lld", (long long)id);
	assert_int_equal(client_req(xsp, "PATCH", path, "{\"name\":\"改名后的项目\",\"investment_wan\":15000}", NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "改名后的项目");
	assert_int_equal(json_integer_value(json_object_get(j, "investment_wan")), 15000);
	json_decref(j);
	assert_int_equal(client_req(xsp, "PATCH", path, "{\"planned_start\":\"2028-01-01\"}", NULL, &j), 400);
	assert_string_equal(err_field(j), "planned_finish");
	json_decref(j);
	assert_int_equal(client_req(xsp, "PATCH", path, "{\"investment_wan\":0}", NULL, &j), 400);
	assert_string_equal(err_field(j), "investment_wan");
	json_decref(j);
	assert_int_equal(client_req(xsp, "PATCH", path, "{\"code\":\"2025-610202-47-01-000021\"}", NULL, &j), 400);
	assert_string_equal(err_field(j), "code");
	json_decref(j);
	assert_int_equal(client_do(xsp, "PATCH", "/api/projects/99999", "{\"name\":\"x\"}"), 404);
	/* the CLI sees and changes the same project */
	assert_int_equal(apitest_cli(&T, "project show --code 2025-610202-47-01-000020", out, sizeof out), 0);
	assert_non_null(strstr(out, "改名后的项目"));
	assert_int_equal(apitest_cli(&T, "project update --code 2025-610202-47-01-000020 --address 王益区新址",
				     out, sizeof out), 0);
	assert_non_null(strstr(out, "王益区新址"));
	assert_int_equal(apitest_cli(&T, "project update --code 2025-610202-47-01-000020 --finish 2020-01-01",
				     NULL, 0), 1);
	assert_int_equal(apitest_cli(&T, "project list --q 000020", out, sizeof out), 0);
	assert_non_null(strstr(out, "1 project(s)"));
	assert_int_equal(apitest_cli(&T, "project nope", NULL, 0), 2);
	/* delete: head only */
	assert_int_equal(client_do(xsp, "DELETE", path, NULL), 403);
	assert_int_equal(client_req(head, "DELETE", path, NULL, NULL, &j), 204);
	json_decref(j);
	assert_int_equal(client_do(xsp, "GET", path, NULL), 404);
	assert_int_equal(client_do(head, "DELETE", path, NULL), 404);
	/* audited */
	assert_int_equal(client_req(aud, "GET", "/api/audit?action=project.delete", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	assert_int_equal(client_req(aud, "GET", "/api/audit?action=project.update", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	json_decref(j);
	client_free(xsp);
	client_free(head);
	client_free(aud);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_validate),
		cmocka_unit_test(test_scope_and_masking),
		cmocka_unit_test(test_update_delete),
	};
	return cmocka_run_group_tests_name("api_project", tests, setup, teardown);
}
