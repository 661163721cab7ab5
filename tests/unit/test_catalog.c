/*
** test_catalog.c: the catalogue document rules (approval/catalog_doc.h):
** one case per validation rule, the shipped data/catalog/tongchuan.json,
** version windows, diff output, canonical order and version numbers.
**
** Each rule case starts from a small valid document (FIXTURE), applies up to
** three mutations given as "path/inside/doc" = JSON text (NULL deletes the
** key) and expects ERR_INVALID with a given field.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "approval/catalog_doc.h"
#include "base/embed.h"

static const char FIXTURE[] =
	"{\"format\":\"gonggai-catalog\",\"format_version\":1,\"name\":\"测试目录\","
	"\"flows\":[{\"code\":\"F-1\",\"name\":\"测试流程\",\"flow_type\":3,\"division\":\"610200\","
	"\"version\":\"1.0\",\"effective_from\":\"2024-01-01\",\"stages\":["
	"{\"number\":1,\"name\":\"立项用地规划许可\",\"limit\":10,\"completion_rule\":1,"
	"\"lead_department\":\"610200-ZRZY\",\"items\":[\"A-001\"],\"side_lines\":[]},"
	"{\"number\":4,\"name\":\"竣工验收\",\"limit\":10,\"completion_rule\":1,"
	"\"lead_department\":\"610200-ZJJ\",\"items\":[\"C-001\"],\"side_lines\":["
	"{\"code\":\"54Y\",\"name\":\"联合验收\",\"lead_department\":\"610200-ZJJ\",\"items\":[\"B-001\"]}]},"
	"{\"number\":5,\"name\":\"并行推进\",\"limit\":0,\"completion_rule\":2,"
	"\"lead_department\":\"\",\"items\":[\"D-001\"],\"side_lines\":[]}]}],"
	"\"items\":["
#define ITEM(code, pl, ms, pre) \
	"{\"code\":\"" code "\",\"name\":\"事项" code "\",\"national_code\":\"000117001000\"," \
	"\"department\":\"610200-ZJJ\",\"promised_limit\":" #pl ",\"legal_limit\":40," \
	"\"legal_basis\":\"《中华人民共和国城乡规划法》第四十条\",\"materials\":[" \
	"{\"name\":\"申请表\",\"required\":true,\"copies\":1,\"form\":\"original\"}," \
	"{\"name\":\"图纸\",\"required\":false,\"copies\":2,\"form\":\"copy\"}]," \
	"\"steps\":[{\"name\":\"受理\",\"role\":\"clerk\"},{\"name\":\"审查\",\"role\":\"reviewer\"}," \
	"{\"name\":\"决定\",\"role\":\"head\"}],\"milestone\":" #ms ",\"prerequisites\":[" pre "]," \
	"\"commitment\":false,\"tolerance\":true,\"applicant_kind\":2,\"case_type\":2," \
	"\"version\":\"1.0\",\"effective_from\":\"2024-01-01\"}"
	ITEM("A-001", 5, true, "") ","
	ITEM("B-001", 5, false, "\"A-001\"") ","
	ITEM("C-001", 5, true, "\"B-001\"") ","
	ITEM("D-001", 30, false, "")
	"]}";

static json_t *load(const char *text)
{
	json_error_t je;
	json_t *doc = json_loads(text, 0, &je);
	if (!doc)
		fail_msg("fixture JSON: %s at %d:%d", je.text, je.line, je.column);
	return doc;
}

/* Set (value != NULL) or delete the member at a '/'-separated path. */
static void mutate(json_t *doc, const char *path, const char *value)
{
	char buf[256], *save = NULL, *tok, *next;
	json_t *cur = doc;
	snprintf(buf, sizeof buf, "%s", path);
	tok = strtok_r(buf, "/", &save);
	while ((next = strtok_r(NULL, "/", &save)) != NULL) {
		cur = json_is_array(cur) ? json_array_get(cur, (size_t)atoi(tok)) : json_object_get(cur, tok);
		assert_non_null(cur);
		tok = next;
	}
	if (!value) {
		if (json_is_array(cur))
			json_array_remove(cur, (size_t)atoi(tok));
		else
			json_object_del(cur, tok);
		return;
	}
	json_t *v = json_loads(value, JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	if (json_is_array(cur) && (size_t)atoi(tok) == json_array_size(cur))
		json_array_append_new(cur, v);
	else if (json_is_array(cur))
		json_array_set_new(cur, (size_t)atoi(tok), v);
	else
		json_object_set_new(cur, tok, v);
}

static void test_fixture_valid(void **state)
{
	struct err e;
	json_t *doc = load(FIXTURE);
	int rc = catalog_validate(doc, NULL, &e);
	if (rc)
		fail_msg("fixture invalid: %s: %s", e.field, e.msg);
	json_decref(doc);
}

/* ---- one case per rule ---------------------------------------------------- */

struct rule_case {
	const char *what;
	const char *path[3];
	const char *value[3];
	const char *field;     /* expected e.field */
};

#define DEL NULL
static const struct rule_case rules[] = {
	{"format", {"format"}, {"\"other\""}, "catalog.format"},
	{"format version", {"format_version"}, {"2"}, "catalog.format_version"},
	{"unknown top key", {"extra"}, {"1"}, "catalog.extra"},
	{"items missing", {"items"}, {DEL}, "catalog.items"},
	{"flows not array", {"flows"}, {"{}"}, "catalog.flows"},
	{"doc name empty", {"name"}, {"\"\""}, "catalog.name"},
	{"item unknown field", {"items/0/bogus"}, {"1"}, "items[A-001].bogus"},
	{"item wrong type", {"items/0/promised_limit"}, {"\"5\""}, "items[A-001].promised_limit"},
	{"item missing field", {"items/0/legal_basis"}, {DEL}, "items[A-001].legal_basis"},
	{"item bool type", {"items/0/milestone"}, {"1"}, "items[A-001].milestone"},
	{"item code lower case", {"items/0/code"}, {"\"a-001\""}, "items[#0].code"},
	{"item code double dash", {"items/0/code"}, {"\"A--1\""}, "items[#0].code"},
	{"item name empty", {"items/0/name"}, {"\"\""}, "items[A-001].name"},
	{"item name blank edge", {"items/0/name"}, {"\" 事项\""}, "items[A-001].name"},
	{"version shape", {"items/0/version"}, {"\"1\""}, "items[A-001].version"},
	{"version leading zero", {"items/0/version"}, {"\"01.0\""}, "items[A-001].version"},
	{"effective date", {"items/0/effective_from"}, {"\"2024-02-30\""}, "items[A-001].effective_from"},
	{"department shape", {"items/0/department"}, {"\"ZJJ\""}, "items[A-001].department"},
	{"national code long", {"items/0/national_code"}, {"\"123456789012345678901234567890123\""},
	 "items[A-001].national_code"},
	{"legal basis empty", {"items/0/legal_basis"}, {"\"\""}, "items[A-001].legal_basis"},
	{"promised > legal", {"items/0/promised_limit", "items/0/legal_limit"}, {"8", "7"},
	 "items[A-001].promised_limit"},
	{"promised negative", {"items/0/promised_limit"}, {"-1"}, "items[A-001].promised_limit"},
	{"legal too large", {"items/0/legal_limit"}, {"400"}, "items[A-001].legal_limit"},
	{"instant item with limit", {"items/0/case_type"}, {"1"}, "items[A-001].promised_limit"},
	{"promise item without limit", {"items/0/promised_limit"}, {"0"}, "items[A-001].promised_limit"},
	{"case type", {"items/0/case_type"}, {"3"}, "items[A-001].case_type"},
	{"applicant kind", {"items/0/applicant_kind"}, {"0"}, "items[A-001].applicant_kind"},
	{"fee without basis", {"items/0/fee"}, {"0"}, "items[A-001].fee_basis"},
	{"basis without fee", {"items/0/fee_basis"}, {"\"依法不收费\""}, "items[A-001].fee"},
	{"fee negative", {"items/0/fee", "items/0/fee_basis"}, {"-1", "\"按标准收费\""}, "items[A-001].fee"},
	{"fee in yuan text", {"items/0/fee", "items/0/fee_basis"}, {"\"12.50\"", "\"按标准收费\""}, "items[A-001].fee"},
	{"fee basis empty", {"items/0/fee", "items/0/fee_basis"}, {"0", "\"\""}, "items[A-001].fee_basis"},
	{"materials empty", {"items/0/materials"}, {"[]"}, "items[A-001].materials"},
	{"material unknown key", {"items/0/materials/0/note"}, {"\"x\""}, "items[A-001].materials[0].note"},
	{"material form", {"items/0/materials/0/form"}, {"\"fax\""}, "items[A-001].materials[0].form"},
	{"paper copies 0", {"items/0/materials/0/copies"}, {"0"}, "items[A-001].materials[0].copies"},
	{"electronic copies", {"items/0/materials/0/form"}, {"\"electronic\""}, "items[A-001].materials[0].copies"},
	{"material name dup", {"items/0/materials/1/name"}, {"\"申请表\""}, "items[A-001].materials[1].name"},
	{"no required material", {"items/0/materials/0/required"}, {"false"}, "items[A-001].materials"},
	{"steps empty", {"items/0/steps"}, {"[]"}, "items[A-001].steps"},
	{"step role", {"items/0/steps/1/role"}, {"\"boss\""}, "items[A-001].steps[1].role"},
	{"first step not clerk", {"items/0/steps/0/role"}, {"\"head\""}, "items[A-001].steps[0].role"},
	{"step name dup", {"items/0/steps/1/name"}, {"\"受理\""}, "items[A-001].steps[1].name"},
	{"prerequisite self", {"items/0/prerequisites"}, {"[\"A-001\"]"}, "items[A-001].prerequisites[0]"},
	{"prerequisite dup", {"items/2/prerequisites"}, {"[\"B-001\",\"B-001\"]"}, "items[C-001].prerequisites[1]"},
	{"prerequisite not code", {"items/0/prerequisites"}, {"[7]"}, "items[A-001].prerequisites[0]"},
	{"item version dup", {"items/3/code", "items/3/version"}, {"\"A-001\"", "\"1.0\""}, "items[A-001].version"},
	{"item dates not rising", {"items/3/code", "items/3/version"}, {"\"A-001\"", "\"1.1\""},
	 "items[A-001].effective_from"},
	{"flow unknown key", {"flows/0/owner"}, {"\"x\""}, "flows[F-1].owner"},
	{"flow code", {"flows/0/code"}, {"\"f1\""}, "flows[#0].code"},
	{"flow type", {"flows/0/flow_type"}, {"11"}, "flows[F-1].flow_type"},
	{"flow division", {"flows/0/division"}, {"\"61020\""}, "flows[F-1].division"},
	{"flow date", {"flows/0/effective_from"}, {"\"2024-13-01\""}, "flows[F-1].effective_from"},
	{"flow without stages", {"flows/0/stages"}, {"[]"}, "flows[F-1].stages"},
	{"stage number", {"flows/0/stages/0/number"}, {"6"}, "flows[F-1].stages[#0].number"},
	{"stage order", {"flows/0/stages/1/number"}, {"1"}, "flows[F-1].stages[#1].number"},
	{"stage limit 0", {"flows/0/stages/0/limit"}, {"0"}, "flows[F-1].stages[1].limit"},
	{"stage limit 51", {"flows/0/stages/0/limit"}, {"51"}, "flows[F-1].stages[1].limit"},
	{"parallel stage limit", {"flows/0/stages/2/limit"}, {"3"}, "flows[F-1].stages[5].limit"},
	{"completion rule", {"flows/0/stages/0/completion_rule"}, {"3"}, "flows[F-1].stages[1].completion_rule"},
	{"stage lead department", {"flows/0/stages/0/lead_department"}, {"\"610200\""},
	 "flows[F-1].stages[1].lead_department"},
	{"stage item not code", {"flows/0/stages/0/items/0"}, {"\"a\""}, "flows[F-1].stages[1].items[0]"},
	{"stage without items", {"flows/0/stages/0/items"}, {"[]"}, "flows[F-1].stages[1].items"},
	{"side line code", {"flows/0/stages/1/side_lines/0/code"}, {"\"55\""},
	 "flows[F-1].stages[4].side_lines[#0].code"},
	{"54Y outside stage 4", {"flows/0/stages/0/side_lines"},
	 {"[{\"code\":\"54Y\",\"name\":\"联合验收\",\"lead_department\":\"\",\"items\":[\"B-001\"]}]"},
	 "flows[F-1].stages[1].side_lines[#0].code"},
	{"side line in stage 5", {"flows/0/stages/2/side_lines"},
	 {"[{\"code\":\"51\",\"name\":\"多评合一\",\"lead_department\":\"\",\"items\":[\"D-001\"]}]"},
	 "flows[F-1].stages[5].side_lines[#0].code"},
	{"side line dup", {"flows/0/stages/1/side_lines/1"},
	 {"{\"code\":\"54Y\",\"name\":\"联合验收\",\"lead_department\":\"\",\"items\":[\"D-001\"]}"},
	 "flows[F-1].stages[4].side_lines[#1].code"},
	{"side line without items", {"flows/0/stages/1/side_lines/0/items"}, {"[]"},
	 "flows[F-1].stages[4].side_lines[54Y].items"},
	{"item reference unknown", {"flows/0/stages/0/items/0"}, {"\"Z-001\""}, "flows[F-1].stages[1].items[0]"},
	{"item twice in flow", {"flows/0/stages/2/items/1"}, {"\"A-001\""}, "flows[F-1].stages[5].items[1]"},
	{"item newer than flow", {"items/0/effective_from"}, {"\"2024-06-01\""}, "flows[F-1].stages[1].items[0]"},
	{"item limit > stage", {"items/0/promised_limit"}, {"11"}, "items[A-001].promised_limit"},
	{"prerequisite outside flow", {"items/0/prerequisites"}, {"[\"X-001\"]"}, "items[A-001].prerequisites"},
	{"prerequisite later stage", {"items/0/prerequisites"}, {"[\"C-001\"]"}, "items[A-001].prerequisites"},
	{"prerequisite cycle", {"items/1/prerequisites"}, {"[\"C-001\"]"}, "items[C-001].prerequisites"},
	{"stage without milestone", {"items/0/milestone"}, {"false"}, "flows[F-1].stages[1].items"},
};

struct dept_list {
	const char *const *codes;
};

static int dept_exists(void *ctx, const char *code)
{
	for (const char *const *c = ((struct dept_list *)ctx)->codes; *c; c++)
		if (strcmp(*c, code) == 0)
			return 1;
	return 0;
}

static void test_rules(void **state)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const struct rule_case *r = &rules[i];
		struct err e;
		json_t *doc = load(FIXTURE);
		for (int k = 0; k < 3 && r->path[k]; k++)
			mutate(doc, r->path[k], r->value[k]);
		int rc = catalog_validate(doc, NULL, &e);
		if (rc != ERR_INVALID || strcmp(e.field, r->field) != 0)
			fail_msg("rule '%s': rc %d field '%s' (want '%s'): %s", r->what, rc, e.field,
				 r->field, e.msg);
		assert_true(strlen(e.msg) > 0);
		json_decref(doc);
	}
}

static void test_flow_version_dup(void **state)
{
	struct err e;
	json_t *doc = load(FIXTURE);
	json_t *flows = json_object_get(doc, "flows");
	json_array_append_new(flows, json_deep_copy(json_array_get(flows, 0)));
	assert_int_equal(catalog_validate(doc, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "flows[F-1].version");
	json_decref(doc);
}

static void test_cycle_message(void **state)
{
	struct err e;
	json_t *doc = load(FIXTURE);
	mutate(doc, "items/1/prerequisites", "[\"C-001\"]");
	assert_int_equal(catalog_validate(doc, NULL, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "循环"));
	assert_non_null(strstr(e.msg, "C-001 → B-001 → C-001"));
	json_decref(doc);
}

static void test_department_hook(void **state)
{
	static const char *const known[] = {"610200-ZJJ", "610200-ZRZY", NULL};
	struct dept_list dl = {known};
	struct catalog_hooks h = {dept_exists, &dl};
	struct err e;
	json_t *doc = load(FIXTURE);
	assert_int_equal(catalog_validate(doc, &h, &e), 0);
	mutate(doc, "items/2/department", "\"610200-QXJ\"");
	assert_int_equal(catalog_validate(doc, &h, &e), ERR_INVALID);
	assert_string_equal(e.field, "items[C-001].department");
	assert_non_null(strstr(e.msg, "不存在"));
	mutate(doc, "items/2/department", "\"610200-ZJJ\"");
	mutate(doc, "flows/0/stages/1/side_lines/0/lead_department", "\"610200-QXJ\"");
	assert_int_equal(catalog_validate(doc, &h, &e), ERR_INVALID);
	assert_string_equal(e.field, "flows[F-1].stages[4].side_lines[54Y].lead_department");
	json_decref(doc);
}

/* An item version superseded before the flow starts is not held to it. */
static void test_version_windows(void **state)
{
	struct err e;
	json_t *doc = load(FIXTURE);
	json_t *items = json_object_get(doc, "items");
	json_t *old = json_deep_copy(json_array_get(items, 0));
	json_object_set_new(old, "version", json_string("0.9"));
	json_object_set_new(old, "effective_from", json_string("2023-01-01"));
	json_object_set_new(old, "promised_limit", json_integer(30));
	json_array_append_new(items, old);
	assert_int_equal(catalog_validate(doc, NULL, &e), 0);
	/* the flow now starts while 0.9 is in effect: its 30 days exceed 10 */
	mutate(doc, "flows/0/effective_from", "\"2023-06-01\"");
	mutate(doc, "items/0/effective_from", "\"2023-07-01\"");
	for (int i = 1; i <= 3; i++) {
		char path[64];
		snprintf(path, sizeof path, "items/%d/effective_from", i);
		mutate(doc, path, "\"2023-01-01\"");
	}
	assert_int_equal(catalog_validate(doc, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "items[A-001].promised_limit");
	assert_non_null(strstr(e.msg, "0.9"));
	/* a later version of the only milestone that drops the flag */
	mutate(doc, "items/4/promised_limit", "5");
	assert_int_equal(catalog_validate(doc, NULL, &e), 0);
	json_t *late = json_deep_copy(json_array_get(items, 0));
	json_object_set_new(late, "version", json_string("1.1"));
	json_object_set_new(late, "effective_from", json_string("2026-01-01"));
	json_object_set_new(late, "milestone", json_false());
	json_array_append_new(items, late);
	assert_int_equal(catalog_validate(doc, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "flows[F-1].stages[1].items");
	json_decref(doc);
}

static json_t *shipped(void)
{
	size_t len = 0;
	const unsigned char *text = embed_get("data/catalog/tongchuan.json", &len);
	json_error_t je;
	assert_non_null(text);
	json_t *doc = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		fail_msg("tongchuan.json: %s at %d:%d", je.text, je.line, je.column);
	return doc;
}

static void test_shipped_catalogue(void **state)
{
	static const char *const city[] = {
		"610200-FGW", "610200-ZRZY", "610200-ZJJ", "610200-STHJ", "610200-RFB", "610200-SWJ",
		"610200-CGJ", "610200-QXJ", "610200-WLJ", "610200-XSP", "610200-JTJ", "610200-LYJ",
		"610200-ZWJ", "610200-DAJ", "610200-XFJ", NULL,
	};
	struct dept_list dl = {city};
	struct catalog_hooks h = {dept_exists, &dl};
	struct err e;
	json_t *doc = shipped(), *v, *codes = json_object();
	size_t i;
	int rc = catalog_validate(doc, &h, &e);
	if (rc)
		fail_msg("tongchuan.json invalid: %s: %s", e.field, e.msg);
	json_array_foreach(json_object_get(doc, "items"), i, v)
		json_object_set_new(codes, json_string_value(json_object_get(v, "code")), json_true());
	assert_true(json_object_size(codes) >= 40);
	/* flow types 1, 3 and 4 at least, each with stages 1-5 */
	int types = 0;
	json_array_foreach(json_object_get(doc, "flows"), i, v) {
		int t = (int)json_integer_value(json_object_get(v, "flow_type"));
		types |= 1 << t;
		assert_int_equal(json_array_size(json_object_get(v, "stages")), 5);
	}
	assert_true((types & 0x1a) == 0x1a);
	/* already in canonical order */
	json_t *sorted = json_deep_copy(doc);
	catalog_sort(sorted);
	assert_true(json_equal(sorted, doc));
	json_decref(sorted);
	json_decref(codes);
	json_decref(doc);
}

/* ---- diff ------------------------------------------------------------------ */

static void assert_diff(const json_t *d, size_t i, const char *field, const char *from, const char *to)
{
	json_t *e = json_array_get(d, i);
	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e, "field")), field);
	char *f = json_dumps(json_object_get(e, "from"), JSON_ENCODE_ANY | JSON_COMPACT);
	char *t = json_dumps(json_object_get(e, "to"), JSON_ENCODE_ANY | JSON_COMPACT);
	if (strcmp(f, from) != 0 || strcmp(t, to) != 0)
		fail_msg("diff %zu %s: %s -> %s, want %s -> %s", i, field, f, t, from, to);
	free(f);
	free(t);
}

static void test_diff_shipped_versions(void **state)
{
	json_t *doc = shipped(), *v, *a = NULL, *b = NULL;
	size_t i;
	json_array_foreach(json_object_get(doc, "items"), i, v) {
		if (strcmp(json_string_value(json_object_get(v, "code")), "SGXK-001") != 0)
			continue;
		if (!a)
			a = v;
		else
			b = v;
	}
	assert_non_null(a);
	assert_non_null(b);
	json_t *d = catalog_diff(a, b);
	assert_int_equal(json_array_size(d), 4);
	assert_diff(d, 0, "promised_limit", "5", "3");
	assert_diff(d, 1, "commitment", "false", "true");
	assert_diff(d, 2, "version", "\"1.0\"", "\"1.1\"");
	assert_diff(d, 3, "effective_from", "\"2024-01-01\"", "\"2025-01-01\"");
	json_decref(d);
	d = catalog_diff(a, a);
	assert_int_equal(json_array_size(d), 0);
	json_decref(d);
	json_decref(doc);
}

static void test_diff_item_fields(void **state)
{
	json_t *doc = load(FIXTURE);
	json_t *a = json_array_get(json_object_get(doc, "items"), 2);
	json_t *b = json_deep_copy(a);
	/* material inserted at the front, another changed, steps reassigned */
	json_array_insert_new(json_object_get(b, "materials"), 0,
			      json_pack("{s:s,s:b,s:i,s:s}", "name", "授权委托书", "required", 0, "copies", 1,
					"form", "original"));
	json_object_set_new(json_array_get(json_object_get(b, "materials"), 2), "copies", json_integer(3));
	json_array_remove(json_object_get(b, "materials"), 1);
	json_object_set_new(json_array_get(json_object_get(b, "steps"), 1), "role", json_string("head"));
	json_object_set_new(b, "legal_basis", json_string("《建筑法》第八条"));
	json_t *d = catalog_diff(a, b);
	assert_int_equal(json_array_size(d), 5);
	assert_diff(d, 0, "legal_basis", "\"《中华人民共和国城乡规划法》第四十条\"", "\"《建筑法》第八条\"");
	assert_diff(d, 1, "materials[申请表]",
		    "{\"name\":\"申请表\",\"required\":true,\"copies\":1,\"form\":\"original\"}", "null");
	assert_diff(d, 2, "materials[图纸].copies", "2", "3");
	assert_diff(d, 3, "materials[授权委托书]", "null",
		    "{\"name\":\"授权委托书\",\"required\":false,\"copies\":1,\"form\":\"original\"}");
	assert_diff(d, 4, "steps[1].role", "\"reviewer\"", "\"head\"");
	json_decref(d);
	json_decref(b);
	json_decref(doc);
}

static void test_diff_prerequisites_and_steps_length(void **state)
{
	json_t *doc = load(FIXTURE);
	json_t *a = json_array_get(json_object_get(doc, "items"), 2);
	json_t *b = json_deep_copy(a);
	json_object_set_new(b, "prerequisites", json_pack("[s,s]", "B-001", "A-001"));
	json_array_append_new(json_object_get(b, "steps"), json_pack("{s:s,s:s}", "name", "送达", "role", "clerk"));
	json_object_del(b, "tolerance");
	json_t *d = catalog_diff(a, b);
	assert_int_equal(json_array_size(d), 3);
	assert_diff(d, 0, "steps[3]", "null", "{\"name\":\"送达\",\"role\":\"clerk\"}");
	assert_diff(d, 1, "prerequisites", "[\"B-001\"]", "[\"B-001\",\"A-001\"]");
	assert_diff(d, 2, "tolerance", "true", "null");
	json_decref(d);
	json_decref(b);
	json_decref(doc);
}

static void test_diff_flow(void **state)
{
	json_t *doc = load(FIXTURE);
	json_t *a = json_array_get(json_object_get(doc, "flows"), 0);
	json_t *b = json_deep_copy(a);
	json_object_set_new(b, "version", json_string("1.1"));
	mutate(b, "stages/1/limit", "8");
	mutate(b, "stages/1/side_lines/0/items", "[\"B-001\",\"D-001\"]");
	mutate(b, "stages/2/items", "[]");
	json_array_remove(json_object_get(b, "stages"), 0);
	json_t *d = catalog_diff(a, b);
	assert_int_equal(json_array_size(d), 5);
	assert_diff(d, 0, "version", "\"1.0\"", "\"1.1\"");
	assert_string_equal(json_string_value(json_object_get(json_array_get(d, 1), "field")), "stages[1]");
	assert_true(json_is_null(json_object_get(json_array_get(d, 1), "to")));
	assert_diff(d, 2, "stages[4].limit", "10", "8");
	assert_diff(d, 3, "stages[4].side_lines[54Y].items", "[\"B-001\"]", "[\"B-001\",\"D-001\"]");
	assert_diff(d, 4, "stages[5].items", "[\"D-001\"]", "[]");
	json_decref(d);
	json_decref(b);
	json_decref(doc);
}

/* ---- order and versions ------------------------------------------------------ */

static void test_sort(void **state)
{
	json_t *doc = json_pack("{s:[],s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]}", "flows", "items",
				"code", "B", "version", "1.10", "code", "A", "version", "2.0",
				"code", "B", "version", "1.9", "code", "A", "version", "1.0");
	catalog_sort(doc);
	char *s = json_dumps(json_object_get(doc, "items"), JSON_COMPACT);
	assert_string_equal(s, "[{\"code\":\"A\",\"version\":\"1.0\"},{\"code\":\"A\",\"version\":\"2.0\"},"
			       "{\"code\":\"B\",\"version\":\"1.9\"},{\"code\":\"B\",\"version\":\"1.10\"}]");
	free(s);
	json_decref(doc);
}

static void test_versions(void **state)
{
	char out[CATALOG_VERSION_MAX];
	int a, b;
	assert_int_equal(catalog_version_parse("1.0", &a, &b), 0);
	assert_int_equal(a, 1);
	assert_int_equal(b, 0);
	assert_int_equal(catalog_version_parse("12.34", &a, &b), 0);
	assert_int_equal(catalog_version_parse("1", NULL, NULL), -1);
	assert_int_equal(catalog_version_parse("1.", NULL, NULL), -1);
	assert_int_equal(catalog_version_parse(".1", NULL, NULL), -1);
	assert_int_equal(catalog_version_parse("1.0.0", NULL, NULL), -1);
	assert_int_equal(catalog_version_parse("1.00", NULL, NULL), -1);
	assert_int_equal(catalog_version_parse("v1.0", NULL, NULL), -1);
	assert_int_equal(catalog_version_parse("12345.0", NULL, NULL), -1);
	assert_int_equal(catalog_version_parse(NULL, NULL, NULL), -1);
	assert_true(catalog_version_cmp("1.9", "1.10") < 0);
	assert_true(catalog_version_cmp("2.0", "1.10") > 0);
	assert_int_equal(catalog_version_cmp("1.2", "1.2"), 0);
	assert_int_equal(catalog_version_next("1.9", out), 0);
	assert_string_equal(out, "1.10");
	assert_int_equal(catalog_version_next("3.9999", out), 0);
	assert_string_equal(out, "4.0");
	assert_int_equal(catalog_version_next("9999.9999", out), -1);
	assert_int_equal(catalog_version_next("x", out), -1);
}

static void test_names(void **state)
{
	assert_string_equal(catalog_flow_type_name(1), "政府投资房屋建筑类");
	assert_string_equal(catalog_flow_type_name(10), "其他");
	assert_null(catalog_flow_type_name(0));
	assert_null(catalog_flow_type_name(11));
	assert_string_equal(catalog_stage_name(5), "并行推进");
	assert_null(catalog_stage_name(6));
	assert_string_equal(catalog_side_line_name("54Y"), "联合验收");
	assert_null(catalog_side_line_name("54"));
	assert_null(catalog_side_line_name(NULL));
	assert_true(catalog_code_ok("SGXK-001"));
	assert_true(catalog_code_ok("TC-SHTZ-YB"));
	assert_false(catalog_code_ok("1A"));
	assert_false(catalog_code_ok("A-"));
	assert_false(catalog_code_ok("A"));
	assert_false(catalog_code_ok("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"));
}

static void test_single_item_and_flow(void **state)
{
	struct err e;
	json_t *doc = load(FIXTURE);
	json_t *item = json_array_get(json_object_get(doc, "items"), 0);
	json_t *flow = json_array_get(json_object_get(doc, "flows"), 0);
	assert_int_equal(catalog_validate_item(item, NULL, &e), 0);
	assert_int_equal(catalog_validate_flow(flow, NULL, &e), 0);
	json_object_set_new(item, "steps", json_string("x"));
	assert_int_equal(catalog_validate_item(item, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "items[A-001].steps");
	json_t *x = json_string("x");
	assert_int_equal(catalog_validate_item(x, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "items[#0]");
	json_decref(x);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_valid),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_flow_version_dup),
		cmocka_unit_test(test_cycle_message),
		cmocka_unit_test(test_department_hook),
		cmocka_unit_test(test_version_windows),
		cmocka_unit_test(test_shipped_catalogue),
		cmocka_unit_test(test_diff_shipped_versions),
		cmocka_unit_test(test_diff_item_fields),
		cmocka_unit_test(test_diff_prerequisites_and_steps_length),
		cmocka_unit_test(test_diff_flow),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_single_item_and_flow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
