/*
** test_catalog_db.c: the catalogue in a real database (approval/catalog.h):
** the seed exports byte for byte as data/catalog/tongchuan.json; export →
** import into a fresh database → export is identical; imports are
** idempotent, append-only and all or nothing; new versions by catalog_save
** with every refusal (past date, no change, clash, unknown, permission, a
** change that breaks a flow); version history, diff, lookups by date and by
** id (what a case pins), immutability of stored versions, audit rows.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval/catalog.h"
#include "base/embed.h"
#include "org/audit.h"
#include "org/org.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

#define NOW 1748736000   /* 2025-06-01 08:00 Asia/Shanghai */

static char paths[2][64];

static struct store *fresh(int which, int seed)
{
	struct store *st;
	struct err e;
	struct principal cli;
	rbac_cli_principal(&cli);
	snprintf(paths[which], sizeof paths[which], "/tmp/gg-test-catdb-%d-%d.db", getpid(), which);
	unlink(paths[which]);
	assert_int_equal(store_open(paths[which], STORE_CREATE, &st, &e), 0);
	assert_int_equal(org_seed(st, NOW, &e), 0);
	if (seed && catalog_seed(st, &cli, NOW, &e))
		fail_msg("seed: %s: %s", e.field, e.msg);
	return st;
}

static void done(struct store *st, int which)
{
	char p[80];
	store_close(st);
	unlink(paths[which]);
	snprintf(p, sizeof p, "%s-wal", paths[which]);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", paths[which]);
	unlink(p);
}

static char *export_text(struct store *st)
{
	json_t *doc;
	struct err e;
	assert_int_equal(catalog_export(st, &doc, &e), 0);
	char *s = catalog_dump(doc);
	json_decref(doc);
	return s;
}

static int64_t count(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t n = -1;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void test_seed_exports_shipped_file(void **state)
{
	struct store *st = fresh(0, 1);
	size_t len;
	const unsigned char *file = embed_get(CATALOG_SEED_PATH, &len);
	char *s = export_text(st);
	assert_non_null(file);
	assert_int_equal(strlen(s), len);
	assert_memory_equal(s, file, len);
	free(s);
	assert_int_equal(count(st, "SELECT count(*) FROM catalog_stages"), 25);
	assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE action = 'catalog.import'"), 1);
	done(st, 0);
}

static void test_round_trip(void **state)
{
	struct store *a = fresh(0, 1), *b = fresh(1, 0);
	struct principal cli;
	struct catalog_import_stats s;
	struct err e;
	json_t *doc;
	rbac_cli_principal(&cli);
	/* give a a history beyond the seed first */
	json_t *body = json_pack("{s:i,s:s}", "promised_limit", 4, "effective_from", "2025-07-01");
	json_t *row;
	assert_int_equal(store_catalog_at(a, CATALOG_ITEMS, "GHXK-001", "2025-06-01", &row, &e), 0);
	json_object_update(json_object_get(row, "doc"), body);
	json_object_del(json_object_get(row, "doc"), "version");
	assert_int_equal(catalog_save(a, &cli, NOW, CATALOG_ITEMS, "GHXK-001", json_object_get(row, "doc"), NULL, &e), 0);
	json_decref(row);
	json_decref(body);
	char *first = export_text(a);
	assert_int_equal(catalog_export(a, &doc, &e), 0);
	assert_int_equal(catalog_import(b, &cli, NOW, doc, &s, &e), 0);
	assert_int_equal(s.items_added, 49);
	assert_int_equal(s.flows_added, 5);
	char *second = export_text(b);
	assert_string_equal(first, second);
	/* importing again changes nothing */
	assert_int_equal(catalog_import(b, &cli, NOW, doc, &s, &e), 0);
	assert_int_equal(s.items_added, 0);
	assert_int_equal(s.items_same, 49);
	assert_int_equal(s.flows_same, 5);
	free(first);
	free(second);
	json_decref(doc);
	done(a, 0);
	done(b, 1);
}

static json_t *seed_doc(void)
{
	size_t len;
	const unsigned char *file = embed_get(CATALOG_SEED_PATH, &len);
	return json_loadb((const char *)file, len, 0, NULL);
}

static json_t *doc_item(json_t *doc, const char *code, const char *version)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(doc, "items"), i, v)
		if (strcmp(json_string_value(json_object_get(v, "code")), code) == 0 &&
		    strcmp(json_string_value(json_object_get(v, "version")), version) == 0)
			return v;
	return NULL;
}

static void test_import_refusals(void **state)
{
	struct store *st = fresh(0, 1);
	struct principal cli, nobody = {0};
	struct err e;
	json_t *doc = seed_doc();
	int64_t before = count(st, "SELECT count(*) FROM catalog_items");
	rbac_cli_principal(&cli);
	/* rewriting a stored version: 409 */
	json_object_set_new(doc_item(doc, "XFSJ-001", "1.0"), "legal_basis", json_string("《消防法》"));
	assert_int_equal(catalog_import(st, &cli, NOW, doc, NULL, &e), ERR_CONFLICT);
	assert_string_equal(e.field, "items[XFSJ-001].version");
	json_decref(doc);
	/* a new version that breaks a flow, next to a good one: nothing written */
	doc = seed_doc();
	json_t *good = json_deep_copy(doc_item(doc, "GHXK-001", "1.0"));
	json_object_set_new(good, "version", json_string("1.1"));
	json_object_set_new(good, "effective_from", json_string("2026-01-01"));
	json_object_set_new(good, "promised_limit", json_integer(6));
	json_array_append_new(json_object_get(doc, "items"), good);
	json_t *bad = json_deep_copy(doc_item(doc, "SGTS-001", "1.0"));
	json_object_set_new(bad, "version", json_string("1.1"));
	json_object_set_new(bad, "effective_from", json_string("2026-01-01"));
	json_object_set_new(bad, "promised_limit", json_integer(6));
	json_array_append_new(json_object_get(doc, "items"), bad);
	assert_int_equal(catalog_import(st, &cli, NOW, doc, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "items[SGTS-001].promised_limit");
	assert_non_null(strstr(e.msg, "TC-SHTZ-XX"));
	assert_int_equal(count(st, "SELECT count(*) FROM catalog_items"), before);
	/* unknown department */
	json_object_set_new(bad, "promised_limit", json_integer(5));
	json_object_set_new(bad, "department", json_string("610200-NONE"));
	assert_int_equal(catalog_import(st, &cli, NOW, doc, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "items[SGTS-001].department");
	/* not allowed */
	assert_int_equal(catalog_import(st, &nobody, NOW, doc, NULL, &e), ERR_FORBIDDEN);
	assert_int_equal(count(st, "SELECT count(*) FROM catalog_items"), before);
	json_decref(doc);
	done(st, 0);
}

/* The current doc of an item as a PUT body without version. */
static json_t *body_of(struct store *st, int kind, const char *code)
{
	struct err e;
	json_t *row, *body;
	assert_int_equal(store_catalog_at(st, kind, code, "2025-06-01", &row, &e), 0);
	body = json_deep_copy(json_object_get(row, "doc"));
	json_decref(row);
	json_object_del(body, "version");
	json_object_set_new(body, "effective_from", json_string("2025-07-01"));
	return body;
}

static void test_save_and_history(void **state)
{
	struct store *st = fresh(0, 1);
	struct principal cli, cat = {0};
	struct err e;
	json_t *row, *out;
	rbac_cli_principal(&cli);
	cat.roles = ROLE_CATALOG;
	cat.user_id = 7;
	strcpy(cat.username, "cat1");
	json_t *body = body_of(st, CATALOG_ITEMS, "GHXK-001");
	json_object_set_new(body, "promised_limit", json_integer(5));
	json_array_append_new(json_object_get(body, "materials"),
			      json_pack("{s:s,s:b,s:i,s:s}", "name", "授权委托书原件", "required", 0, "copies", 1,
					"form", "original"));
	assert_int_equal(catalog_save(st, &cat, NOW, CATALOG_ITEMS, "GHXK-001", body, &row, &e), 0);
	assert_string_equal(json_string_value(json_object_get(row, "version")), "1.1");
	int64_t id11 = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	assert_int_equal(catalog_history(st, CATALOG_ITEMS, "GHXK-001", &out, &e), 0);
	json_t *vs = json_object_get(out, "versions");
	assert_int_equal(json_array_size(vs), 2);
	json_t *ch = json_object_get(json_array_get(vs, 1), "changes");
	assert_int_equal(json_array_size(ch), 2);
	assert_string_equal(json_string_value(json_array_get(ch, 0)), "promised_limit");
	assert_string_equal(json_string_value(json_array_get(ch, 1)), "materials[授权委托书原件]");
	assert_string_equal(json_string_value(json_object_get(json_array_get(vs, 1), "created_by")), "cat1");
	json_decref(out);
	assert_int_equal(catalog_version_diff(st, CATALOG_ITEMS, "GHXK-001", "1.0", "1.1", &out, &e), 0);
	json_t *c0 = json_array_get(json_object_get(out, "changes"), 0);
	assert_string_equal(json_string_value(json_object_get(c0, "field")), "promised_limit");
	assert_int_equal(json_integer_value(json_object_get(c0, "from")), 7);
	assert_int_equal(json_integer_value(json_object_get(c0, "to")), 5);
	json_decref(out);
	assert_int_equal(catalog_version_diff(st, CATALOG_ITEMS, "GHXK-001", "1.0", "9.9", &out, &e), ERR_NOTFOUND);
	assert_string_equal(e.field, "to");
	/* the audit row names the changed fields */
	assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE action = 'catalog.item.version' "
			       "AND object = 'catalog_item:GHXK-001' AND details LIKE '%promised_limit%'"), 1);
	/* lookups: by date and by id */
	struct catalog_item it;
	assert_int_equal(catalog_item_at(st, "GHXK-001", "2025-06-30", &it, &e), 0);
	assert_string_equal(it.version, "1.0");
	assert_int_equal(it.promised_limit, 7);
	int64_t id10 = it.id;
	catalog_item_release(&it);
	assert_int_equal(catalog_item_at(st, "GHXK-001", "2025-07-01", &it, &e), 0);
	assert_int_equal(it.id, id11);
	assert_int_equal(it.promised_limit, 5);
	assert_int_equal(json_array_size(json_object_get(it.doc, "materials")), 6);
	catalog_item_release(&it);
	assert_int_equal(catalog_item_by_id(st, id10, &it, &e), 0);   /* a pinned case still reads 7 */
	assert_int_equal(it.promised_limit, 7);
	assert_string_equal(it.department, "610200-ZRZY");
	catalog_item_release(&it);
	assert_int_equal(catalog_item_at(st, "GHXK-001", "2023-12-31", &it, &e), ERR_NOTFOUND);
	assert_int_equal(catalog_item_by_id(st, 99999, &it, &e), ERR_NOTFOUND);
	json_decref(body);
	done(st, 0);
}

static void test_save_refusals(void **state)
{
	struct store *st = fresh(0, 1);
	struct principal cli, clerk = {0};
	struct err e;
	rbac_cli_principal(&cli);
	clerk.roles = ROLE_CLERK;
	json_t *body = body_of(st, CATALOG_ITEMS, "SGXK-001");
	/* nothing changed */
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, "SGXK-001", body, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "");
	/* in the past */
	json_object_set_new(body, "promised_limit", json_integer(2));
	json_object_set_new(body, "effective_from", json_string("2025-05-31"));
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, "SGXK-001", body, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "effective_from");
	/* a version that exists */
	json_object_set_new(body, "effective_from", json_string("2025-06-01"));
	json_object_set_new(body, "version", json_string("1.1"));
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, "SGXK-001", body, NULL, &e), ERR_CONFLICT);
	assert_string_equal(e.field, "version");
	json_object_del(body, "version");
	/* body code against path code */
	json_object_set_new(body, "code", json_string("GHXK-001"));
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, "SGXK-001", body, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "code");
	/* unknown code on PUT, existing code on POST */
	json_object_del(body, "code");
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, "NONE-001", body, NULL, &e), ERR_NOTFOUND);
	json_object_set_new(body, "code", json_string("SGXK-001"));
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, NULL, body, NULL, &e), ERR_CONFLICT);
	assert_string_equal(e.field, "code");
	/* a limit the small-investment flow cannot hold (stage 3: 5 days) */
	json_object_set_new(body, "promised_limit", json_integer(6));
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, "SGXK-001", body, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "items[SGXK-001].promised_limit");
	/* item rules still apply */
	json_object_set_new(body, "promised_limit", json_integer(2));
	json_object_set_new(body, "case_type", json_integer(1));
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, "SGXK-001", body, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "items[SGXK-001].promised_limit");
	json_object_set_new(body, "case_type", json_integer(2));
	/* not allowed */
	assert_int_equal(catalog_save(st, &clerk, NOW, CATALOG_ITEMS, "SGXK-001", body, NULL, &e), ERR_FORBIDDEN);
	/* and finally fine: 1.2 */
	json_t *row;
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, "SGXK-001", body, &row, &e), 0);
	assert_string_equal(json_string_value(json_object_get(row, "version")), "1.2");
	json_decref(row);
	/* a date not after the latest version's */
	json_object_set_new(body, "promised_limit", json_integer(1));
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, "SGXK-001", body, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "items[SGXK-001].effective_from");
	/* a brand new item by POST, used by no flow */
	json_object_set_new(body, "code", json_string("SGXK-900"));
	json_object_set_new(body, "prerequisites", json_array());
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_ITEMS, NULL, body, &row, &e), 0);
	assert_string_equal(json_string_value(json_object_get(row, "version")), "1.0");
	json_decref(row);
	json_decref(body);
	done(st, 0);
}

static void test_flow_versions(void **state)
{
	struct store *st = fresh(0, 1);
	struct principal cli;
	struct err e;
	struct catalog_flow f;
	char code[CATALOG_CODE_MAX + 1];
	rbac_cli_principal(&cli);
	json_t *body = body_of(st, CATALOG_FLOWS, "TC-SHTZ-XX");
	json_t *stages = json_object_get(body, "stages");
	/* stage 3 at 4 days cannot hold 施工图审查备案 (5) */
	json_object_set_new(json_array_get(stages, 2), "limit", json_integer(4));
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_FLOWS, "TC-SHTZ-XX", body, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "items[SGTS-001].promised_limit");
	json_object_set_new(json_array_get(stages, 2), "limit", json_integer(5));
	json_object_set_new(json_array_get(stages, 3), "limit", json_integer(6));
	assert_int_equal(catalog_save(st, &cli, NOW, CATALOG_FLOWS, "TC-SHTZ-XX", body, NULL, &e), 0);
	assert_int_equal(catalog_flow_at(st, "TC-SHTZ-XX", "2025-07-01", &f, &e), 0);
	assert_string_equal(f.version, "1.1");
	assert_int_equal(f.flow_type, 4);
	const json_t *s4 = catalog_flow_stage(f.doc, 4);
	assert_int_equal(json_integer_value(json_object_get(s4, "limit")), 6);
	int stage;
	const char *side;
	assert_int_equal(catalog_flow_item_place(f.doc, "XFBA-001", &stage, &side), 0);
	assert_int_equal(stage, 4);
	assert_string_equal(side, "54Y");
	assert_int_equal(catalog_flow_item_place(f.doc, "XFYS-001", &stage, &side), -1);
	json_t *list = catalog_stage_items(s4);
	assert_int_equal(json_array_size(list), 4);
	json_decref(list);
	catalog_flow_release(&f);
	assert_int_equal(count(st, "SELECT count(*) FROM catalog_stages s JOIN catalog_flows f ON f.id = s.flow_id "
			       "WHERE f.code = 'TC-SHTZ-XX' AND f.version = '1.1' AND s.number = 4 AND s.time_limit = 6"), 1);
	/* the flow a project of a type follows */
	assert_int_equal(catalog_flow_for_type(st, 3, NULL, "2025-06-01", "flow_type", code, &e), 0);
	assert_string_equal(code, "TC-SHTZ-YB");
	assert_int_equal(catalog_flow_for_type(st, 6, NULL, "2025-06-01", "flow_type", code, &e), ERR_INVALID);
	assert_string_equal(e.field, "flow_type");
	assert_int_equal(catalog_flow_for_type(st, 3, "TC-SHTZ-XX", "2025-06-01", "flow_code", code, &e), ERR_INVALID);
	assert_string_equal(e.field, "flow_code");
	assert_int_equal(catalog_flow_for_type(st, 4, "TC-SHTZ-XX", "2025-06-01", "flow_code", code, &e), 0);
	json_decref(body);
	done(st, 0);
}

static void test_list_and_immutability(void **state)
{
	struct store *st = fresh(0, 1);
	struct err e;
	struct page pg = {1, 200};
	struct catalog_filter f = {.date = "2025-06-01"};
	json_t *items;
	int64_t total;
	assert_int_equal(store_catalog_list(st, CATALOG_ITEMS, &f, &pg, &items, &total, &e), 0);
	assert_int_equal(total, 47);
	json_decref(items);
	f.department = "610200-QXJ";
	assert_int_equal(store_catalog_list(st, CATALOG_ITEMS, &f, &pg, &items, &total, &e), 0);
	assert_int_equal(total, 2);
	json_decref(items);
	f.department = NULL;
	f.q = "消防";
	assert_int_equal(store_catalog_list(st, CATALOG_ITEMS, &f, &pg, &items, &total, &e), 0);
	assert_int_equal(total, 3);
	json_decref(items);
	f.q = NULL;
	f.date = "2023-01-01";
	assert_int_equal(store_catalog_list(st, CATALOG_FLOWS, &f, &pg, &items, &total, &e), 0);
	assert_int_equal(total, 0);
	json_decref(items);
	f.date = "2025-06-01";
	f.flow_type = 3;
	assert_int_equal(store_catalog_list(st, CATALOG_FLOWS, &f, &pg, &items, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "version")), "1.1");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "versions")), 2);
	json_decref(items);
	/* history cannot be rewritten, even with SQL */
	assert_int_not_equal(store_exec(st, "UPDATE catalog_items SET promised_limit = 1", &e), 0);
	assert_int_not_equal(store_exec(st, "DELETE FROM catalog_flows", &e), 0);
	assert_int_not_equal(store_exec(st, "DELETE FROM catalog_stage_items", &e), 0);
	struct audit_verdict v;
	assert_int_equal(audit_verify(st, &v, &e), 0);
	assert_int_equal(v.bad_id, 0);
	done(st, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_exports_shipped_file),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_import_refusals),
		cmocka_unit_test(test_save_and_history),
		cmocka_unit_test(test_save_refusals),
		cmocka_unit_test(test_flow_versions),
		cmocka_unit_test(test_list_and_immutability),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
