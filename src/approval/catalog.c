/*
** catalog.c: the approval catalogue in the database (see catalog.h).
**
** Every change follows the same path: open a write transaction, read the
** whole stored catalogue (a few hundred versions: milliseconds), add the
** new versions, run catalog_validate over the result with the departments
** of the database as the hook, write the new rows and the audit row,
** commit. Validating the merged catalogue, not only the new piece, is what
** keeps a change to a shared item from breaking a flow that uses it.
*/
#include "approval/catalog.h"
#include "base/clock.h"
#include "base/embed.h"
#include "org/audit.h"
#include "store/store_org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_what[] = {"审批事项", "审批流程"};
static const char *const kind_key[] = {"items", "flows"};

int catalog_may_edit(const struct principal *who)
{
	return who->cli || rbac_has(who, ROLE_SYSADMIN | ROLE_CATALOG);
}

static int dept_exists(void *ctx, const char *code)
{
	return store_department_exists(ctx, code);
}

/* ---- structs from rows ------------------------------------------------------ */

static const char *dstr(const json_t *doc, const char *k)
{
	const char *s = json_string_value(json_object_get(doc, k));
	return s ? s : "";
}

static int dint(const json_t *doc, const char *k)
{
	const json_t *v = json_object_get(doc, k);
	return json_is_boolean(v) ? json_is_true(v) : (int)json_integer_value(v);
}

static void fill_item(json_t *row, struct catalog_item *it)
{
	json_t *d = json_object_get(row, "doc");
	memset(it, 0, sizeof *it);
	it->id = json_integer_value(json_object_get(row, "id"));
	snprintf(it->code, sizeof it->code, "%s", dstr(d, "code"));
	snprintf(it->version, sizeof it->version, "%s", dstr(d, "version"));
	snprintf(it->effective_from, sizeof it->effective_from, "%s", dstr(d, "effective_from"));
	snprintf(it->name, sizeof it->name, "%s", dstr(d, "name"));
	snprintf(it->department, sizeof it->department, "%s", dstr(d, "department"));
	it->promised_limit = dint(d, "promised_limit");
	it->legal_limit = dint(d, "legal_limit");
	it->milestone = dint(d, "milestone");
	it->commitment = dint(d, "commitment");
	it->tolerance = dint(d, "tolerance");
	it->applicant_kind = dint(d, "applicant_kind");
	it->case_type = dint(d, "case_type");
	it->doc = json_incref(d);
	json_decref(row);
}

static void fill_flow(json_t *row, struct catalog_flow *f)
{
	json_t *d = json_object_get(row, "doc");
	memset(f, 0, sizeof *f);
	f->id = json_integer_value(json_object_get(row, "id"));
	snprintf(f->code, sizeof f->code, "%s", dstr(d, "code"));
	snprintf(f->version, sizeof f->version, "%s", dstr(d, "version"));
	snprintf(f->effective_from, sizeof f->effective_from, "%s", dstr(d, "effective_from"));
	snprintf(f->name, sizeof f->name, "%s", dstr(d, "name"));
	snprintf(f->division, sizeof f->division, "%s", dstr(d, "division"));
	f->flow_type = dint(d, "flow_type");
	f->doc = json_incref(d);
	json_decref(row);
}

void catalog_item_release(struct catalog_item *it)
{
	json_decref(it->doc);
	it->doc = NULL;
}

void catalog_flow_release(struct catalog_flow *f)
{
	json_decref(f->doc);
	f->doc = NULL;
}

int catalog_item_by_id(struct store *st, int64_t id, struct catalog_item *out, struct err *e)
{
	json_t *row;
	if (store_catalog_by_id(st, CATALOG_ITEMS, id, &row, e))
		return e->code;
	fill_item(row, out);
	return 0;
}

int catalog_item_at(struct store *st, const char *code, const char *date, struct catalog_item *out,
		    struct err *e)
{
	json_t *row;
	if (store_catalog_at(st, CATALOG_ITEMS, code, date, &row, e))
		return e->code;
	fill_item(row, out);
	return 0;
}

int catalog_flow_by_id(struct store *st, int64_t id, struct catalog_flow *out, struct err *e)
{
	json_t *row;
	if (store_catalog_by_id(st, CATALOG_FLOWS, id, &row, e))
		return e->code;
	fill_flow(row, out);
	return 0;
}

int catalog_flow_at(struct store *st, const char *code, const char *date, struct catalog_flow *out,
		    struct err *e)
{
	json_t *row;
	if (store_catalog_at(st, CATALOG_FLOWS, code, date, &row, e))
		return e->code;
	fill_flow(row, out);
	return 0;
}

int catalog_flow_for_type(struct store *st, int flow_type, const char *want, const char *date,
			  const char *field, char *code, struct err *e)
{
	json_t *codes, *c;
	size_t i;
	int rc = 0;
	if (store_catalog_flow_codes(st, flow_type, date, &codes, e))
		return e->code;
	code[0] = '\0';
	json_array_foreach(codes, i, c)
		if (!want || !*want || strcmp(want, json_string_value(c)) == 0) {
			if (code[0] && (!want || !*want)) {
				rc = err_set(e, ERR_INVALID, field, "流程类型 %d 有多个审批流程，请指定 flow_code",
					     flow_type);
				break;
			}
			snprintf(code, CATALOG_CODE_MAX + 1, "%s", json_string_value(c));
		}
	if (!rc && !code[0])
		rc = want && *want
			? err_set(e, ERR_INVALID, field, "审批流程 %s 不存在或不是流程类型 %d", want, flow_type)
			: err_set(e, ERR_INVALID, field, "流程类型 %d 没有已生效的审批流程", flow_type);
	json_decref(codes);
	return rc;
}

/* ---- whole catalogue -------------------------------------------------------- */

static int load_all(struct store *st, json_t **items, json_t **flows, char *name, size_t n, struct err *e)
{
	*items = *flows = NULL;
	if (store_catalog_docs(st, CATALOG_ITEMS, items, e) || store_catalog_docs(st, CATALOG_FLOWS, flows, e) ||
	    store_catalog_name(st, name, n, e)) {
		json_decref(*items);
		json_decref(*flows);
		return e->code;
	}
	return 0;
}

/* A document from parts (references taken). */
static json_t *make_doc(const char *name, json_t *flows, json_t *items)
{
	return json_pack("{s:s,s:i,s:s,s:O,s:O}", "format", CATALOG_FORMAT, "format_version",
			 CATALOG_FORMAT_VERSION, "name", name, "flows", flows, "items", items);
}

/* The stored version (code, version) in arr, or NULL. */
static json_t *find_version(const json_t *arr, const char *code, const char *version)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (strcmp(dstr(v, "code"), code) == 0 && strcmp(dstr(v, "version"), version) == 0)
			return v;
	return NULL;
}

/* The latest version of code in arr (arrays are ordered by version), or NULL. */
static json_t *find_latest(const json_t *arr, const char *code)
{
	json_t *best = NULL, *v;
	size_t i;
	json_array_foreach(arr, i, v)
		if (strcmp(dstr(v, "code"), code) == 0 &&
		    (!best || catalog_version_cmp(dstr(v, "version"), dstr(best, "version")) > 0))
			best = v;
	return best;
}

int catalog_export(struct store *st, json_t **doc, struct err *e)
{
	json_t *items, *flows;
	char name[400];
	if (load_all(st, &items, &flows, name, sizeof name, e))
		return e->code;
	*doc = make_doc(name[0] ? name : "审批事项目录", flows, items);
	json_decref(items);
	json_decref(flows);
	catalog_sort(*doc);
	return 0;
}

char *catalog_dump(const json_t *doc)
{
	char *s = json_dumps(doc, JSON_INDENT(2)), *out;
	size_t n;
	if (!s)
		return NULL;
	n = strlen(s);
	out = realloc(s, n + 2);
	if (!out) {
		free(s);
		return NULL;
	}
	out[n] = '\n';
	out[n + 1] = '\0';
	return out;
}

/* Sort the versions of cdoc's array `key` into new (appended to stored)
** or identical; a different body under a stored (code, version) is a clash. */
static int merge_kind(json_t *stored, const json_t *incoming, const char *key, json_t *added,
		      int *same, struct err *e)
{
	size_t i;
	json_t *v;
	json_array_foreach(incoming, i, v) {
		json_t *old = find_version(stored, dstr(v, "code"), dstr(v, "version"));
		if (old && json_equal(old, v)) {
			(*same)++;
			continue;
		}
		if (old) {
			char f[96];
			snprintf(f, sizeof f, "%s[%s].version", key, dstr(v, "code"));
			return err_set(e, ERR_CONFLICT, f, "%s 版本 %s 已存在且内容不同：历史版本不能修改，请使用新的版本号",
				       dstr(v, "code"), dstr(v, "version"));
		}
		json_array_append(stored, v);
		json_array_append(added, v);
	}
	return 0;
}

static int insert_all(struct store *st, int kind, const json_t *added, int64_t now, const char *by,
		      struct err *e)
{
	size_t i;
	json_t *v;
	json_array_foreach(added, i, v)
		if (store_catalog_insert(st, kind, v, now, by, NULL, e))
			return e->code;
	return 0;
}

/* The merge, validation and writes of catalog_import, inside its transaction. */
static int import_locked(struct store *st, const struct principal *who, int64_t now, const json_t *cdoc,
			 struct catalog_import_stats *s, struct err *e)
{
	struct catalog_hooks h = {dept_exists, st};
	json_t *items, *flows, *new_items = json_array(), *new_flows = json_array(), *merged = NULL;
	char name[400];
	int rc = load_all(st, &items, &flows, name, sizeof name, e);
	if (rc)
		goto out;
	rc = merge_kind(items, json_object_get(cdoc, "items"), "items", new_items, &s->items_same, e);
	if (!rc)
		rc = merge_kind(flows, json_object_get(cdoc, "flows"), "flows", new_flows, &s->flows_same, e);
	if (rc)
		goto out;
	merged = make_doc(dstr(cdoc, "name"), flows, items);
	rc = catalog_validate(merged, &h, e);
	if (!rc)
		rc = insert_all(st, CATALOG_ITEMS, new_items, now, who->username, e);
	if (!rc)
		rc = insert_all(st, CATALOG_FLOWS, new_flows, now, who->username, e);
	if (!rc && strcmp(name, dstr(cdoc, "name")) != 0)
		rc = store_catalog_set_name(st, dstr(cdoc, "name"), now, e);
	s->items_added = (int)json_array_size(new_items);
	s->flows_added = (int)json_array_size(new_flows);
	if (!rc)
		rc = audit_write(st, who, now, "catalog.import", "catalog", "success",
				 json_pack("{s:s,s:i,s:i,s:i,s:i}", "name", dstr(cdoc, "name"),
					   "items_added", s->items_added, "flows_added", s->flows_added,
					   "items_same", s->items_same, "flows_same", s->flows_same), e);
out:
	json_decref(items);
	json_decref(flows);
	json_decref(new_items);
	json_decref(new_flows);
	json_decref(merged);
	return rc;
}

int catalog_import(struct store *st, const struct principal *who, int64_t now, const json_t *doc,
		   struct catalog_import_stats *stats, struct err *e)
{
	struct catalog_hooks h = {dept_exists, st};
	struct catalog_import_stats s = {0};
	json_t *cdoc;
	int rc;
	if (!catalog_may_edit(who))
		return err_set(e, ERR_FORBIDDEN, "", "只有系统管理员或事项管理员可以修改审批事项目录");
	if (catalog_validate(doc, &h, e))
		return e->code;
	cdoc = catalog_canonical(doc);
	if (!cdoc)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (store_begin(st, e)) {
		json_decref(cdoc);
		return e->code;
	}
	rc = import_locked(st, who, now, cdoc, &s, e);
	json_decref(cdoc);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	if (store_commit(st, e))
		return e->code;
	if (stats)
		*stats = s;
	return 0;
}

int catalog_seed(struct store *st, const struct principal *who, int64_t now, struct err *e)
{
	size_t len = 0;
	const unsigned char *text = embed_get(CATALOG_SEED_PATH, &len);
	json_error_t je;
	json_t *doc;
	int rc;
	if (!text)
		return err_set(e, ERR_INTERNAL, "", "%s is not compiled in", CATALOG_SEED_PATH);
	doc = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return err_set(e, ERR_INTERNAL, "", "%s: %s (line %d)", CATALOG_SEED_PATH, je.text, je.line);
	rc = catalog_import(st, who, now, doc, NULL, e);
	json_decref(doc);
	return rc;
}

/* ---- new versions ------------------------------------------------------------- */

/* Fields that changed between two versions, not counting version and date. */
static json_t *changed_fields(const json_t *from, const json_t *to)
{
	json_t *d = catalog_diff(from, to), *names = json_array(), *c;
	size_t i;
	json_array_foreach(d, i, c) {
		const char *f = dstr(c, "field");
		if (strcmp(f, "version") != 0 && strcmp(f, "effective_from") != 0)
			json_array_append_new(names, json_string(f));
	}
	json_decref(d);
	return names;
}

/* Fill in code and version, check the date; v is the caller's copy. */
static int prepare_version(int kind, const char *path_code, json_t *v, const json_t *latest,
			   const char *today, struct err *e)
{
	const char *date = json_string_value(json_object_get(v, "effective_from"));
	if (path_code && json_object_get(v, "code") && strcmp(dstr(v, "code"), path_code) != 0)
		return err_set(e, ERR_INVALID, "code", "请求体中的编码与路径中的编码 %s 不一致", path_code);
	if (path_code && !latest)
		return err_set(e, ERR_NOTFOUND, "code", "%s %s 不存在", kind_what[kind], path_code);
	if (!path_code && latest)
		return err_set(e, ERR_CONFLICT, "code", "%s %s 已存在：修改请提交新版本（PUT）", kind_what[kind],
			       dstr(latest, "code"));
	if (path_code)
		json_object_set_new(v, "code", json_string(path_code));
	if (!json_object_get(v, "version")) {
		char next[CATALOG_VERSION_MAX] = "1.0";
		if (latest && catalog_version_next(dstr(latest, "version"), next))
			return err_set(e, ERR_INVALID, "version", "无法生成下一个版本号");
		json_object_set_new(v, "version", json_string(next));
	}
	if (date && strlen(date) == 10 && strcmp(date, today) < 0)
		return err_set(e, ERR_INVALID, "effective_from", "生效日期 %s 早于今天 %s：新版本不能追溯生效",
			       date, today);
	return 0;
}

/* Validation, clash and no-change checks of catalog_save, then the writes. */
static int save_locked(struct store *st, const struct principal *who, int64_t now, int kind,
		       const char *path_code, json_t *v, int64_t *id, struct err *e)
{
	struct catalog_hooks h = {dept_exists, st};
	json_t *items, *flows, *arr, *latest, *cv = NULL, *merged = NULL, *changes = NULL;
	char name[400], today[16];
	int rc = load_all(st, &items, &flows, name, sizeof name, e);
	if (rc)
		return rc;
	arr = kind == CATALOG_FLOWS ? flows : items;
	latest = find_latest(arr, path_code ? path_code : dstr(v, "code"));
	rc = prepare_version(kind, path_code, v, latest, clock_cn_date(now, today), e);
	if (!rc)
		rc = kind == CATALOG_FLOWS ? catalog_validate_flow(v, &h, e) : catalog_validate_item(v, &h, e);
	if (rc)
		goto out;
	cv = kind == CATALOG_FLOWS ? catalog_canonical_flow(v) : catalog_canonical_item(v);
	if (find_version(arr, dstr(cv, "code"), dstr(cv, "version"))) {
		rc = err_set(e, ERR_CONFLICT, "version", "版本 %s 已存在：历史版本不能修改", dstr(cv, "version"));
		goto out;
	}
	changes = latest ? changed_fields(latest, cv) : json_array();
	if (latest && json_array_size(changes) == 0) {
		rc = err_set(e, ERR_INVALID, "", "内容与当前版本 %s 相同，无需新建版本", dstr(latest, "version"));
		goto out;
	}
	json_array_append(arr, cv);
	merged = make_doc(name, flows, items);
	rc = catalog_validate(merged, &h, e);
	if (!rc)
		rc = store_catalog_insert(st, kind, cv, now, who->username, id, e);
	if (!rc) {
		char object[96];
		snprintf(object, sizeof object, "catalog_%s:%s", kind == CATALOG_FLOWS ? "flow" : "item",
			 dstr(cv, "code"));
		rc = audit_write(st, who, now, kind == CATALOG_FLOWS ? "catalog.flow.version" : "catalog.item.version",
				 object, "success",
				 json_pack("{s:s,s:s,s:s,s:I,s:O}", "code", dstr(cv, "code"), "version",
					   dstr(cv, "version"), "effective_from", dstr(cv, "effective_from"),
					   "id", (json_int_t)*id, "changes", changes), e);
	}
out:
	json_decref(items);
	json_decref(flows);
	json_decref(cv);
	json_decref(merged);
	json_decref(changes);
	return rc;
}

int catalog_save(struct store *st, const struct principal *who, int64_t now, int kind,
		 const char *path_code, const json_t *body, json_t **row, struct err *e)
{
	json_t *v;
	int64_t id = 0;
	int rc;
	if (row)
		*row = NULL;
	if (!catalog_may_edit(who))
		return err_set(e, ERR_FORBIDDEN, "", "只有系统管理员或事项管理员可以修改审批事项目录");
	if (!json_is_object(body))
		return err_set(e, ERR_INVALID, "", "请求体必须是 JSON 对象");
	v = json_deep_copy(body);
	if (store_begin(st, e)) {
		json_decref(v);
		return e->code;
	}
	rc = save_locked(st, who, now, kind, path_code, v, &id, e);
	json_decref(v);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	if (store_commit(st, e))
		return e->code;
	return row ? store_catalog_by_id(st, kind, id, row, e) : 0;
}

/* ---- reading -------------------------------------------------------------------- */

int catalog_list(struct store *st, int kind, const struct catalog_filter *f, const struct page *pg,
		 json_t **items, int64_t *total, struct err *e)
{
	static const char *const flags[] = {"milestone", "commitment", "tolerance", NULL};
	json_t *it;
	size_t i;
	if (store_catalog_list(st, kind, f, pg, items, total, e))
		return e->code;
	json_array_foreach(*items, i, it)
		for (const char *const *k = flags; *k; k++)
			if (json_object_get(it, *k))
				json_object_set_new(it, *k, json_boolean(json_integer_value(json_object_get(it, *k))));
	return 0;
}

int catalog_get(struct store *st, int kind, const char *code, const char *version, const char *date,
		json_t **row, struct err *e)
{
	if (version)
		return store_catalog_version(st, kind, code, version, row, e);
	if (store_catalog_at(st, kind, code, date, row, e) == ERR_NOTFOUND)
		snprintf(e->msg, sizeof e->msg, "%s 在 %s 没有已生效的版本", code, date);
	return e->code;
}

int catalog_get_by_id(struct store *st, int kind, int64_t id, json_t **row, struct err *e)
{
	return store_catalog_by_id(st, kind, id, row, e);
}

/* ---- history and diff ----------------------------------------------------------- */

int catalog_history(struct store *st, int kind, const char *code, json_t **out, struct err *e)
{
	json_t *rows, *r, *prev = NULL;
	size_t i;
	if (store_catalog_versions(st, kind, code, &rows, e))
		return e->code;
	json_array_foreach(rows, i, r) {
		json_t *cur;
		if (store_catalog_version(st, kind, code, dstr(r, "version"), &cur, e)) {
			json_decref(prev);
			json_decref(rows);
			return e->code;
		}
		json_object_set_new(r, "changes", prev ? changed_fields(json_object_get(prev, "doc"),
									json_object_get(cur, "doc"))
					: json_array());
		json_decref(prev);
		prev = cur;
	}
	json_decref(prev);
	*out = json_pack("{s:s,s:s,s:o}", "code", code, "kind", kind_key[kind], "versions", rows);
	return 0;
}

int catalog_version_diff(struct store *st, int kind, const char *code, const char *from,
			 const char *to, json_t **out, struct err *e)
{
	json_t *a = NULL, *b = NULL;
	if (!from || !to)
		return err_set(e, ERR_INVALID, from ? "to" : "from", "需要 from 和 to 两个版本号");
	if (store_catalog_version(st, kind, code, from, &a, e)) {
		snprintf(e->field, sizeof e->field, "from");
		return e->code;
	}
	if (store_catalog_version(st, kind, code, to, &b, e)) {
		json_decref(a);
		snprintf(e->field, sizeof e->field, "to");
		return e->code;
	}
	*out = json_pack("{s:s,s:s,s:s,s:o}", "code", code, "from", from, "to", to, "changes",
			 catalog_diff(json_object_get(a, "doc"), json_object_get(b, "doc")));
	json_decref(a);
	json_decref(b);
	return 0;
}
