/*
** test_api_catalog.c: the catalogue over real HTTP: reading for every
** logged-in account, versions by date, by number and by id, history and
** diff, new versions and new items (catalogue administrator and sysadmin
** only, audited), the 400/403/404/409/415 shapes, export and import.
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
	if (apitest_user(&T, "cat1", "catalog", NULL) || apitest_user(&T, "clerk1", "clerk", "610200-XSP"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	apitest_stop(&T);
	return 0;
}

static const char *err_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

static const char *err_field(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "field"));
}

static struct client *login(const char *user)
{
	struct client *c = client_new(&T);
	assert_int_equal(client_login(c, user, APITEST_PASSWORD), 200);
	return c;
}

static void test_read(void **state)
{
	struct client *c = login("clerk1"), *anon = client_new(&T);
	json_t *j;
	assert_int_equal(client_do(anon, "GET", "/api/catalog/items", NULL), 401);
	assert_int_equal(client_req(c, "GET", "/api/catalog/items?page_size=10", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 47);
	assert_int_equal(json_integer_value(json_object_get(j, "page_size")), 10);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 10);
	assert_non_null(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id"));
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/catalog/items?department=610200-RFB", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 4);
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/catalog/flows?flow_type=3", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	/* one version: today's, by date, by number */
	assert_int_equal(client_req(c, "GET", "/api/catalog/items/SGXK-001", NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "version")), "1.1");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "doc"), "promised_limit")), 3);
	int64_t id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/catalog/items/SGXK-001?date=2024-06-01", NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "version")), "1.0");
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/catalog/items/SGXK-001?version=1.0", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "doc"), "promised_limit")), 5);
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/catalog/items/SGXK-001?date=2024-13-01", NULL, NULL, &j), 400);
	assert_string_equal(err_field(j), "date");
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/catalog/items/SGXK-001?date=2023-01-01", NULL, NULL, &j), 404);
	assert_string_equal(err_code(j), "not_found");
	json_decref(j);
	assert_int_equal(client_do(c, "GET", "/api/catalog/items/NOPE-001", NULL), 404);
	/* by id: what a case pins */
	char path[80];
	snprintf(path, sizeof path, "/api/catalog/item-versions/%lld", (long long)id);
	assert_int_equal(client_req(c, "GET", path, NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "code")), "SGXK-001");
	json_decref(j);
	assert_int_equal(client_do(c, "GET", "/api/catalog/item-versions/x", NULL), 404);
	/* history and diff */
	assert_int_equal(client_req(c, "GET", "/api/catalog/items/SGXK-001/versions", NULL, NULL, &j), 200);
	json_t *vs = json_object_get(j, "versions");
	assert_int_equal(json_array_size(vs), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(vs, 1), "changes"), 0)),
			    "promised_limit");
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/catalog/items/SGXK-001/diff?from=1.0&to=1.1", NULL, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "changes")), 4);
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/catalog/items/SGXK-001/diff?from=1.0", NULL, NULL, &j), 400);
	assert_string_equal(err_field(j), "to");
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/catalog/flows/TC-SHTZ-YB/diff?from=1.0&to=1.1", NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "changes"), 0), "field")),
			    "version");
	json_decref(j);
	client_free(c);
	client_free(anon);
}

/* The doc of SGXK-001 1.1 as a PUT body: no version, a future date. */
static char *put_body(struct client *c, const char *date, int limit, const char *extra_key)
{
	json_t *j;
	assert_int_equal(client_req(c, "GET", "/api/catalog/items/SGXK-001?version=1.1", NULL, NULL, &j), 200);
	json_t *doc = json_incref(json_object_get(j, "doc"));
	json_decref(j);
	json_object_del(doc, "version");
	json_object_set_new(doc, "effective_from", json_string(date));
	json_object_set_new(doc, "promised_limit", json_integer(limit));
	if (extra_key)
		json_object_set_new(doc, extra_key, json_true());
	char *s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return s;
}

static void test_new_versions(void **state)
{
	struct client *cat = login("cat1"), *clk = login("clerk1"), *sys = login("sysadmin"), *aud = login("auditor");
	json_t *j;
	char *b = put_body(cat, "2099-01-01", 2, NULL);
	assert_int_equal(client_do(clk, "PUT", "/api/catalog/items/SGXK-001", b), 403);
	assert_int_equal(client_req(cat, "PUT", "/api/catalog/items/SGXK-001", b, "text/plain", &j), 415);
	json_decref(j);
	assert_int_equal(client_req(cat, "PUT", "/api/catalog/items/SGXK-001", b, NULL, &j), 201);
	assert_string_equal(json_string_value(json_object_get(j, "version")), "1.2");
	json_decref(j);
	/* the same again: nothing changed against 1.2 */
	assert_int_equal(client_req(cat, "PUT", "/api/catalog/items/SGXK-001", b, NULL, &j), 400);
	assert_string_equal(err_code(j), "invalid");
	json_decref(j);
	free(b);
	/* in the past */
	b = put_body(cat, "2020-01-01", 1, NULL);
	assert_int_equal(client_req(cat, "PUT", "/api/catalog/items/SGXK-001", b, NULL, &j), 400);
	assert_string_equal(err_field(j), "effective_from");
	json_decref(j);
	free(b);
	/* an unknown field, and a limit a flow cannot hold */
	b = put_body(cat, "2099-02-01", 1, "bogus");
	assert_int_equal(client_req(cat, "PUT", "/api/catalog/items/SGXK-001", b, NULL, &j), 400);
	assert_string_equal(err_field(j), "items[SGXK-001].bogus");
	json_decref(j);
	free(b);
	b = put_body(sys, "2099-02-01", 6, NULL);
	assert_int_equal(client_req(sys, "PUT", "/api/catalog/items/SGXK-001", b, NULL, &j), 400);
	assert_string_equal(err_field(j), "items[SGXK-001].promised_limit");
	json_decref(j);
	free(b);
	/* sysadmin may edit too; an explicit version that exists is a clash */
	b = put_body(sys, "2099-02-01", 1, NULL);
	assert_int_equal(client_do(sys, "PUT", "/api/catalog/items/SGXK-001", b), 201);
	free(b);
	assert_int_equal(client_req(cat, "GET", "/api/catalog/items/SGXK-001?version=1.3", NULL, NULL, &j), 200);
	json_t *doc = json_incref(json_object_get(j, "doc"));
	json_decref(j);
	json_object_set_new(doc, "effective_from", json_string("2099-03-01"));
	json_object_set_new(doc, "tolerance", json_false());
	b = json_dumps(doc, JSON_COMPACT);
	assert_int_equal(client_req(cat, "PUT", "/api/catalog/items/SGXK-001", b, NULL, &j), 409);
	assert_string_equal(err_code(j), "conflict");
	assert_string_equal(err_field(j), "version");
	json_decref(j);
	free(b);
	/* a new item by POST; again is 409 */
	json_object_set_new(doc, "code", json_string("TEST-001"));
	json_object_set_new(doc, "prerequisites", json_array());
	json_object_del(doc, "version");
	b = json_dumps(doc, JSON_COMPACT);
	assert_int_equal(client_req(cat, "POST", "/api/catalog/items", b, NULL, &j), 201);
	assert_string_equal(json_string_value(json_object_get(j, "version")), "1.0");
	json_decref(j);
	assert_int_equal(client_req(cat, "POST", "/api/catalog/items", b, NULL, &j), 409);
	assert_string_equal(err_field(j), "code");
	json_decref(j);
	assert_int_equal(client_do(cat, "PUT", "/api/catalog/items/NOPE-001", b), 400);   /* body code differs */
	free(b);
	json_decref(doc);
	/* every change was audited */
	assert_int_equal(client_req(aud, "GET", "/api/audit?action=catalog.item.version", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 3);
	json_decref(j);
	client_free(cat);
	client_free(clk);
	client_free(sys);
	client_free(aud);
}

static void test_export_import(void **state)
{
	struct client *cat = login("cat1"), *clk = login("clerk1");
	json_t *j;
	assert_int_equal(client_req(clk, "GET", "/api/catalog/export", NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "format")), "gonggai-catalog");
	char *doc = json_dumps(j, JSON_COMPACT);
	assert_int_equal(client_do(clk, "POST", "/api/catalog/import", doc), 403);
	json_t *r;
	assert_int_equal(client_req(cat, "POST", "/api/catalog/import", doc, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "items_added")), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "items_same")),
			 (json_int_t)json_array_size(json_object_get(j, "items")));
	json_decref(r);
	free(doc);
	/* rewriting a stored version: 409, and nothing else is written */
	json_t *first = json_array_get(json_object_get(j, "items"), 0);
	json_object_set_new(first, "legal_basis", json_string("改写"));
	doc = json_dumps(j, JSON_COMPACT);
	assert_int_equal(client_req(cat, "POST", "/api/catalog/import", doc, NULL, &r), 409);
	assert_non_null(strstr(err_field(r), ".version"));
	json_decref(r);
	free(doc);
	/* an invalid document: 400 naming the field */
	json_object_set_new(json_array_get(json_object_get(j, "flows"), 0), "flow_type", json_integer(12));
	doc = json_dumps(j, JSON_COMPACT);
	assert_int_equal(client_req(cat, "POST", "/api/catalog/import", doc, NULL, &r), 400);
	assert_non_null(strstr(err_field(r), ".flow_type"));
	json_decref(r);
	free(doc);
	json_decref(j);
	client_free(cat);
	client_free(clk);
}

static void test_cli(void **state)
{
	char out[4096];
	assert_int_equal(apitest_cli(&T, "catalog versions --item SGXK-001", out, sizeof out), 0);
	assert_non_null(strstr(out, "\"1.2\""));
	assert_int_equal(apitest_cli(&T, "catalog diff --item SGXK-001 --from 1.1 --to 1.2", out, sizeof out), 0);
	assert_non_null(strstr(out, "promised_limit"));
	assert_int_equal(apitest_cli(&T, "catalog diff --item SGXK-001", NULL, 0), 2);
	assert_int_equal(apitest_cli(&T, "catalog show --flow TC-SHTZ-XX --date 2024-06-01", out, sizeof out), 0);
	assert_non_null(strstr(out, "小型社会投资"));
	assert_int_equal(apitest_cli(&T, "catalog frobnicate", NULL, 0), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_new_versions),
		cmocka_unit_test(test_export_import),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests_name("api_catalog", tests, setup, teardown);
}
