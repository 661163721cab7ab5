/*
** catalog_diff.c: comparing versions, canonical order and the national
** code names of the catalogue (see catalog_doc.h).
**
** The diff walks two JSON values side by side and lists each leaf that
** differs under a dotted path: "promised_limit", "materials[规划许可申请表]
** .copies", "stages[3].side_lines[53].items". Arrays of objects are matched
** by their natural key where the catalogue has one (materials by name,
** stages by number, side lines by code) so inserting a material does not
** report every later one as changed; steps are ordered and match by
** position; arrays of plain values (codes) compare whole.
**
** catalog_diff returns a new array; values inside are deep copies, so the
** result outlives the documents it came from.
*/
#include "approval/catalog_doc.h"
#include "approval/names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ------------------------------------------------------------- */

/* The tables are names.c's (served to the web as approval.* dictionaries). */
static const char *by_number(const struct dict_entry *d, int n)
{
	char code[12];
	snprintf(code, sizeof code, "%d", n);
	return dict_label(d, code);
}

const char *catalog_flow_type_name(int t) { return by_number(approval_flow_type_names, t); }
const char *catalog_stage_name(int n) { return by_number(approval_stage_names, n); }
const char *catalog_side_line_name(const char *code) { return dict_label(approval_side_line_names, code); }

/* ---- versions ------------------------------------------------------------ */

int catalog_version_cmp(const char *a, const char *b)
{
	int am = 0, an = 0, bm = 0, bn = 0;
	catalog_version_parse(a, &am, &an);
	catalog_version_parse(b, &bm, &bn);
	if (am != bm)
		return am < bm ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

int catalog_version_next(const char *v, char *out)
{
	int major, minor;
	if (catalog_version_parse(v, &major, &minor) != 0)
		return -1;
	if (minor < 9999)
		snprintf(out, CATALOG_VERSION_MAX, "%d.%d", major, minor + 1);
	else if (major < 9999)
		snprintf(out, CATALOG_VERSION_MAX, "%d.0", major + 1);
	else
		return -1;
	return 0;
}

/* ---- canonical order -------------------------------------------------------- */

static int by_code_version(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *xc = json_string_value(json_object_get(x, "code"));
	const char *yc = json_string_value(json_object_get(y, "code"));
	int c = strcmp(xc ? xc : "", yc ? yc : "");
	if (c)
		return c;
	return catalog_version_cmp(json_string_value(json_object_get(x, "version")),
				   json_string_value(json_object_get(y, "version")));
}

static void sort_array(json_t *arr)
{
	size_t n = json_array_size(arr), i;
	json_t **v;
	if (n < 2 || !(v = malloc(n * sizeof *v)))
		return;
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof *v, by_code_version);
	json_array_clear(arr);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

void catalog_sort(json_t *doc)
{
	sort_array(json_object_get(doc, "items"));
	sort_array(json_object_get(doc, "flows"));
}

/* ---- diff ---------------------------------------------------------------- */

static void add(json_t *out, const char *field, const json_t *from, const json_t *to)
{
	json_t *e = json_object();
	json_object_set_new(e, "field", json_string(field));
	json_object_set_new(e, "from", from ? json_deep_copy(from) : json_null());
	json_object_set_new(e, "to", to ? json_deep_copy(to) : json_null());
	json_array_append_new(out, e);
}

static void diff_value(json_t *out, const char *path, const char *key, const json_t *a, const json_t *b);

/* The natural key of the elements of an array held under `key`. */
static const char *array_key(const char *key)
{
	if (strcmp(key, "materials") == 0)
		return "name";
	if (strcmp(key, "stages") == 0)
		return "number";
	if (strcmp(key, "side_lines") == 0)
		return "code";
	return NULL;
}

static int all_objects(const json_t *arr)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (!json_is_object(v))
			return 0;
	return 1;
}

/* Key text of element v, "" when it has none usable. */
static void key_text(const json_t *v, const char *k, char *buf, size_t n)
{
	const json_t *kv = json_object_get(v, k);
	if (json_is_string(kv))
		snprintf(buf, n, "%s", json_string_value(kv));
	else if (json_is_integer(kv))
		snprintf(buf, n, "%lld", (long long)json_integer_value(kv));
	else
		buf[0] = '\0';
}

/* Index in arr of the element whose key is kt, or -1. */
static long find_keyed(const json_t *arr, const char *k, const char *kt)
{
	char buf[256];
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		key_text(v, k, buf, sizeof buf);
		if (strcmp(buf, kt) == 0)
			return (long)i;
	}
	return -1;
}

/* 1 when every element of arr has a non-empty key, all distinct. */
static int keys_usable(const json_t *arr, const char *k)
{
	char a[256], b[256];
	size_t i, j;
	for (i = 0; i < json_array_size(arr); i++) {
		key_text(json_array_get(arr, i), k, a, sizeof a);
		if (!a[0])
			return 0;
		for (j = 0; j < i; j++) {
			key_text(json_array_get(arr, j), k, b, sizeof b);
			if (strcmp(a, b) == 0)
				return 0;
		}
	}
	return 1;
}

static void diff_keyed(json_t *out, const char *path, const char *k, const json_t *a, const json_t *b)
{
	char kt[256], sub[1024];
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		long j;
		key_text(v, k, kt, sizeof kt);
		snprintf(sub, sizeof sub, "%s[%s]", path, kt);
		j = find_keyed(b, k, kt);
		if (j < 0)
			add(out, sub, v, NULL);
		else
			diff_value(out, sub, "", v, json_array_get(b, (size_t)j));
	}
	json_array_foreach(b, i, v) {
		key_text(v, k, kt, sizeof kt);
		if (find_keyed(a, k, kt) < 0) {
			snprintf(sub, sizeof sub, "%s[%s]", path, kt);
			add(out, sub, NULL, v);
		}
	}
}

static void diff_indexed(json_t *out, const char *path, const json_t *a, const json_t *b)
{
	char sub[1024];
	size_t na = json_array_size(a), nb = json_array_size(b);
	for (size_t i = 0; i < na || i < nb; i++) {
		snprintf(sub, sizeof sub, "%s[%zu]", path, i);
		if (i >= na)
			add(out, sub, NULL, json_array_get(b, i));
		else if (i >= nb)
			add(out, sub, json_array_get(a, i), NULL);
		else
			diff_value(out, sub, "", json_array_get(a, i), json_array_get(b, i));
	}
}

static void diff_object(json_t *out, const char *path, const json_t *a, const json_t *b)
{
	char sub[1024];
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)a, k, v) {
		const json_t *w = json_object_get(b, k);
		snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", k);
		if (!w)
			add(out, sub, v, NULL);
		else
			diff_value(out, sub, k, v, w);
	}
	json_object_foreach((json_t *)b, k, v) {
		if (json_object_get(a, k))
			continue;
		snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", k);
		add(out, sub, NULL, v);
	}
}

static void diff_value(json_t *out, const char *path, const char *key, const json_t *a, const json_t *b)
{
	const char *k;
	if (json_equal((json_t *)a, (json_t *)b))
		return;
	if (json_is_object(a) && json_is_object(b)) {
		diff_object(out, path, a, b);
	} else if (json_is_array(a) && json_is_array(b) && json_array_size(a) + json_array_size(b) > 0 &&
		   all_objects(a) && all_objects(b)) {
		k = array_key(key);
		if (k && keys_usable(a, k) && keys_usable(b, k))
			diff_keyed(out, path, k, a, b);
		else
			diff_indexed(out, path, a, b);
	} else {
		add(out, path, a, b);
	}
}

json_t *catalog_diff(const json_t *from, const json_t *to)
{
	json_t *out = json_array();
	if (out)
		diff_value(out, "", "", from, to);
	return out;
}

/* ---- canonical form ----------------------------------------------------- */

static const char *const item_keys[] = {
	"code", "name", "national_code", "department", "promised_limit", "legal_limit", "legal_basis",
	"materials", "steps", "milestone", "prerequisites", "commitment", "tolerance", "applicant_kind",
	"case_type", "fee", "fee_basis", "version", "effective_from", NULL,
};
static const char *const material_keys[] = {"name", "required", "copies", "form", "tolerable", "template", NULL};
static const char *const step_keys[] = {"name", "role", NULL};
static const char *const flow_keys[] = {
	"code", "name", "flow_type", "division", "version", "effective_from", "stages", NULL,
};
static const char *const stage_keys[] = {
	"number", "name", "limit", "completion_rule", "lead_department", "items", "side_lines", NULL,
};
static const char *const side_keys[] = {"code", "name", "lead_department", "items", NULL};

/* Copy of o with the listed keys in order (missing ones skipped). */
static json_t *ordered(const json_t *o, const char *const *keys)
{
	json_t *out = json_object();
	for (; *keys; keys++) {
		json_t *v = json_object_get(o, *keys);
		if (v)
			json_object_set_new(out, *keys, json_deep_copy(v));
	}
	return out;
}

/* Replace each element of the array at key with ordered(element, keys). */
static void order_elements(json_t *o, const char *key, const char *const *keys)
{
	json_t *arr = json_object_get(o, key);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		json_array_set_new(arr, i, ordered(v, keys));
}

json_t *catalog_canonical_item(const json_t *item)
{
	json_t *out = ordered(item, item_keys);
	order_elements(out, "materials", material_keys);
	order_elements(out, "steps", step_keys);
	return out;
}

json_t *catalog_canonical_flow(const json_t *flow)
{
	json_t *out = ordered(flow, flow_keys), *st;
	size_t i;
	order_elements(out, "stages", stage_keys);
	json_array_foreach(json_object_get(out, "stages"), i, st)
		order_elements(st, "side_lines", side_keys);
	return out;
}

json_t *catalog_canonical(const json_t *doc)
{
	json_t *out = json_pack("{s:s,s:i,s:O,s:[],s:[]}", "format", CATALOG_FORMAT,
				"format_version", CATALOG_FORMAT_VERSION, "name", json_object_get(doc, "name"),
				"flows", "items");
	size_t i;
	json_t *v;
	if (!out)
		return NULL;
	json_array_foreach(json_object_get(doc, "flows"), i, v)
		json_array_append_new(json_object_get(out, "flows"), catalog_canonical_flow(v));
	json_array_foreach(json_object_get(doc, "items"), i, v)
		json_array_append_new(json_object_get(out, "items"), catalog_canonical_item(v));
	catalog_sort(out);
	return out;
}

/* ---- reading a flow ------------------------------------------------------- */

const json_t *catalog_flow_stage(const json_t *flow, int number)
{
	size_t i;
	json_t *st;
	json_array_foreach(json_object_get(flow, "stages"), i, st)
		if (json_integer_value(json_object_get(st, "number")) == number)
			return st;
	return NULL;
}

static int in_codes(const json_t *arr, const char *code)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), code) == 0)
			return 1;
	return 0;
}

int catalog_flow_item_place(const json_t *flow, const char *item_code, int *stage, const char **side_line)
{
	size_t i, j;
	json_t *st, *sl;
	json_array_foreach(json_object_get(flow, "stages"), i, st) {
		int n = (int)json_integer_value(json_object_get(st, "number"));
		if (in_codes(json_object_get(st, "items"), item_code)) {
			*stage = n;
			*side_line = "";
			return 0;
		}
		json_array_foreach(json_object_get(st, "side_lines"), j, sl)
			if (in_codes(json_object_get(sl, "items"), item_code)) {
				*stage = n;
				*side_line = json_string_value(json_object_get(sl, "code"));
				return 0;
			}
	}
	return -1;
}

json_t *catalog_stage_items(const json_t *stage)
{
	json_t *out = json_array(), *v, *sl;
	size_t i, j;
	json_array_foreach(json_object_get(stage, "items"), i, v)
		json_array_append_new(out, json_pack("{s:O,s:s}", "code", v, "side_line", ""));
	json_array_foreach(json_object_get(stage, "side_lines"), j, sl)
		json_array_foreach(json_object_get(sl, "items"), i, v)
			json_array_append_new(out, json_pack("{s:O,s:O}", "code", v, "side_line",
							     json_object_get(sl, "code")));
	return out;
}
