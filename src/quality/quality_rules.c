/*
** quality_rules.c: the rule catalogue — the built-in file overlaid by the
** stored versions, validation, import, export, edits and history.
**
** A stored version is the whole rule object (canonical JSON); an edit or an
** import that changes a rule appends its next version, with an audit row, in
** one transaction. Nothing is ever removed: a rule is switched off with
** "enabled": false.
*/
#include "quality/quality_int.h"
#include "base/embed.h"
#include "base/json.h"
#include "org/audit.h"

#include <stdlib.h>
#include <string.h>

static const char *const severities[] = {"error", "warn", NULL};
static const char *const kinds[] = {"required", "code_list", "format", "time_order", "limit", "referential",
				    "stale", "duplicate", "overdue", "rejected", NULL};

static int in_list(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

int q_rule_validate(const json_t *r, struct err *e)
{
	static const struct jfield fields[] = {
		{"id", J_STRING, 1}, {"name", J_STRING, 1}, {"severity", J_STRING, 1}, {"object", J_STRING, 1},
		{"kind", J_STRING, 1}, {"check", J_STRING, 1}, {"params", J_OBJECT, 1}, {"message", J_STRING, 1},
		{"fix", J_STRING, 1}, {"basis", J_STRING, 1}, {"enabled", J_BOOL, 0}, {"version", J_INT, 0},
		{NULL},
	};
	if (!json_is_object(r))
		return err_set(e, ERR_INVALID, "rules", "规则应为对象");
	const char *id = json_get_str(r, "id", "");
	if (json_check(r, fields, e)) {
		char f[64];
		snprintf(f, sizeof f, "%s", e->field);
		return err_set(e, ERR_INVALID, f, "规则 %s: %s", id, e->msg);
	}
	size_t n = strlen(id);
	if (n < 2 || n > 40 || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
		return err_set(e, ERR_INVALID, "id", "规则编号应为 2–40 个小写字母、数字或连字符: %s", id);
	if (!in_list(severities, json_get_str(r, "severity", NULL)))
		return err_set(e, ERR_INVALID, "severity", "规则 %s: 严重程度应为 error 或 warn", id);
	if (!in_list(kinds, json_get_str(r, "kind", NULL)))
		return err_set(e, ERR_INVALID, "kind", "规则 %s: 未知的规则类型 %s", id, json_get_str(r, "kind", ""));
	int chk = q_check_find(json_get_str(r, "check", ""));
	if (chk < 0)
		return err_set(e, ERR_INVALID, "check", "规则 %s: 未知的检查 %s", id, json_get_str(r, "check", ""));
	if (q_object_find(json_get_str(r, "object", "")) != q_checks[chk].object)
		return err_set(e, ERR_INVALID, "object", "规则 %s: 检查 %s 的对象应为 %s", id, q_checks[chk].name,
			       q_object_names[q_checks[chk].object]);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)json_object_get(r, "params"), k, v)
		if (!json_is_integer(v) && !json_is_array(v) && !json_is_string(v))
			return err_set(e, ERR_INVALID, "params", "规则 %s: 参数 %s 应为整数、文本或列表", id, k);
	if (!*json_get_str(r, "message", "") || !*json_get_str(r, "name", ""))
		return err_set(e, ERR_INVALID, "message", "规则 %s: 名称和提示模板不能为空", id);
	return 0;
}

/* ---- the set ---------------------------------------------------------------------------------- */

static int builtin(json_t **list, struct err *e)
{
	size_t len;
	const unsigned char *text = embed_get(QUALITY_RULES_PATH, &len);
	json_t *doc;
	if (!text)
		return err_set(e, ERR_INTERNAL, "rules", "built-in %s missing", QUALITY_RULES_PATH);
	if (json_parse_object((const char *)text, len, &doc, e))
		return e->code;
	*list = json_incref(json_object_get(doc, "rules"));
	json_decref(doc);
	return json_is_array(*list) ? 0 : err_set(e, ERR_INTERNAL, "rules", "built-in rules malformed");
}

static json_t *find_in(json_t *list, const char *id, size_t *at)
{
	size_t i;
	json_t *r;
	json_array_foreach(list, i, r)
		if (strcmp(json_get_str(r, "id", ""), id) == 0) {
			if (at)
				*at = i;
			return r;
		}
	return NULL;
}

/* Overlay the stored versions on the built-in list. */
static int overlay(struct store *st, json_t *list, struct err *e)
{
	json_t *rows, *row;
	size_t i, at;
	if (store_quality_rule_latest(st, &rows, e))
		return e->code;
	json_array_foreach(rows, i, row) {
		const char *text = json_get_str(row, "doc", "{}");
		json_t *doc;
		if (json_parse_object(text, strlen(text), &doc, e)) {
			json_decref(rows);
			return e->code;
		}
		json_object_set_new(doc, "version", json_integer(json_get_int(row, "version", 0)));
		if (find_in(list, json_get_str(row, "rule", ""), &at))
			json_array_set_new(list, at, doc);
		else
			json_array_append_new(list, doc);
	}
	json_decref(rows);
	return 0;
}

int q_rules_load(struct store *st, struct q_ruleset *rs, struct err *e)
{
	memset(rs, 0, sizeof *rs);
	if (builtin(&rs->list, e))
		return e->code;
	json_t *copy = json_deep_copy(rs->list), *r;
	json_decref(rs->list);
	rs->list = copy;
	if (overlay(st, rs->list, e)) {
		q_rules_free(rs);
		return e->code;
	}
	rs->n = json_array_size(rs->list);
	rs->v = calloc(rs->n ? rs->n : 1, sizeof *rs->v);
	if (!rs->v) {
		q_rules_free(rs);
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	}
	size_t i;
	json_array_foreach(rs->list, i, r) {
		if (!json_object_get(r, "version"))
			json_object_set_new(r, "version", json_integer(0));
		if (q_rule_validate(r, e)) {
			q_rules_free(rs);
			return e->code;
		}
		rs->v[i] = (struct q_rule){
			.id = json_get_str(r, "id", ""), .name = json_get_str(r, "name", ""),
			.severity = json_get_str(r, "severity", ""), .object = json_get_str(r, "object", ""),
			.kind = json_get_str(r, "kind", ""), .check = json_get_str(r, "check", ""),
			.message = json_get_str(r, "message", ""), .enabled = json_get_bool(r, "enabled", 1),
			.version = (int)json_get_int(r, "version", 0), .chk = q_check_find(json_get_str(r, "check", "")),
			.doc = r,
		};
	}
	return 0;
}

void q_rules_free(struct q_ruleset *rs)
{
	json_decref(rs->list);
	free(rs->v);
	memset(rs, 0, sizeof *rs);
}

const struct q_rule *q_rule_find(const struct q_ruleset *rs, const char *id)
{
	for (size_t i = 0; id && i < rs->n; i++)
		if (strcmp(rs->v[i].id, id) == 0)
			return &rs->v[i];
	return NULL;
}

int q_param_int(const struct q_rule *r, const char *name, int def)
{
	json_t *v = json_object_get(json_object_get(r->doc, "params"), name);
	return json_is_integer(v) ? (int)json_integer_value(v) : def;
}

/* ---- reading ---------------------------------------------------------------------------------- */

int quality_rules(struct store *st, json_t **out, struct err *e)
{
	struct q_ruleset rs;
	if (q_rules_load(st, &rs, e))
		return e->code;
	*out = json_array();
	for (size_t i = 0; i < rs.n; i++) {
		json_t *r = json_deep_copy(rs.v[i].doc);
		json_object_set_new(r, "enabled", json_boolean(rs.v[i].enabled));
		json_array_append_new(*out, r);
	}
	q_rules_free(&rs);
	return 0;
}

int quality_rules_export(struct store *st, json_t **doc, struct err *e)
{
	json_t *rules;
	if (quality_rules(st, &rules, e))
		return e->code;
	size_t i;
	json_t *r;
	json_array_foreach(rules, i, r)
		json_object_del(r, "version");
	*doc = json_pack("{s:s,s:i,s:s,s:o}", "format", "gonggai-quality-rules", "format_version", 1, "name",
			 "铜川市工程建设项目审批数据质检规则", "rules", rules);
	return 0;
}

int quality_rule_history(struct store *st, const char *id, json_t **out, struct err *e)
{
	struct q_ruleset rs;
	json_t *rows;
	if (q_rules_load(st, &rs, e))
		return e->code;
	int known = q_rule_find(&rs, id) != NULL;
	q_rules_free(&rs);
	if (!known)
		return err_set(e, ERR_NOTFOUND, "id", "规则不存在: %s", id);
	if (store_quality_rule_history(st, id, &rows, e))
		return e->code;
	*out = json_pack("{s:s,s:o}", "id", id, "versions", rows);
	return 0;
}

/* ---- changes ---------------------------------------------------------------------------------- */

int quality_may_edit_rules(const struct principal *who)
{
	return who->cli || rbac_has(who, ROLE_LEADER | ROLE_CATALOG | ROLE_SYSADMIN);
}

/* Store r (validated, without "version") as the next version of its rule. */
static int add_version(struct store *st, const struct principal *who, int64_t now, json_t *r, const char *note,
		       int *version, struct err *e)
{
	json_object_del(r, "version");
	char *text = json_dumps(r, JSON_SORT_KEYS | JSON_COMPACT);
	if (!text)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	int rc = store_quality_rule_add(st, json_get_str(r, "id", ""), text, now, who->username, note, version, e);
	free(text);
	return rc;
}

/* Same content (version aside)? */
static int same_rule(const json_t *a, const json_t *b)
{
	json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
	json_object_del(x, "version");
	json_object_del(y, "version");
	if (!json_object_get(x, "enabled"))
		json_object_set_new(x, "enabled", json_true());
	if (!json_object_get(y, "enabled"))
		json_object_set_new(y, "enabled", json_true());
	int same = json_equal(x, y);
	json_decref(x);
	json_decref(y);
	return same;
}

static int import_rules(struct store *st, const struct principal *who, int64_t now, const json_t *rules,
			const struct q_ruleset *rs, int *changed, struct err *e)
{
	size_t i;
	json_t *r;
	json_array_foreach(rules, i, r) {
		const char *id = json_get_str(r, "id", "");
		for (size_t j = 0; j < i; j++)
			if (strcmp(json_get_str(json_array_get(rules, j), "id", ""), id) == 0)
				return err_set(e, ERR_INVALID, "id", "规则编号重复: %s", id);
		const struct q_rule *cur = q_rule_find(rs, id);
		if (cur && same_rule(cur->doc, r))
			continue;
		json_t *copy = json_deep_copy(r);
		int v, rc = add_version(st, who, now, copy, "import", &v, e);
		json_decref(copy);
		if (rc)
			return rc;
		(*changed)++;
	}
	return 0;
}

int quality_rules_import(struct store *st, const struct principal *who, int64_t now, const json_t *doc,
			 int *changed, struct err *e)
{
	const json_t *rules = json_object_get(doc, "rules");
	struct q_ruleset rs;
	int n = 0;
	size_t i;
	json_t *r;
	if (!quality_may_edit_rules(who))
		return err_set(e, ERR_FORBIDDEN, "", "无权修改质检规则");
	if (strcmp(json_get_str(doc, "format", ""), "gonggai-quality-rules") != 0 || !json_is_array(rules))
		return err_set(e, ERR_INVALID, "format", "不是质检规则文件（format 应为 gonggai-quality-rules，含 rules 列表）");
	json_array_foreach(rules, i, r)
		if (q_rule_validate(r, e))
			return e->code;
	if (q_rules_load(st, &rs, e))
		return e->code;
	int rc = store_begin(st, e);
	if (!rc)
		rc = import_rules(st, who, now, rules, &rs, &n, e);
	if (!rc)
		rc = audit_write(st, who, now, "quality.rules_import", "quality_rules", "success",
				 json_pack("{s:i,s:i}", "rules", (int)json_array_size(rules), "versions", n), e);
	rc = rc ? rc : store_commit(st, e);
	if (rc)
		store_rollback(st);
	q_rules_free(&rs);
	if (!rc && changed)
		*changed = n;
	return rc;
}

/* Apply patch's params to r: each must exist with the same JSON type. */
static int patch_params(json_t *r, const json_t *params, struct err *e)
{
	json_t *cur = json_object_get(r, "params"), *v;
	const char *k;
	json_object_foreach((json_t *)params, k, v) {
		json_t *old = json_object_get(cur, k);
		if (!old)
			return err_set(e, ERR_INVALID, "params", "规则 %s 没有参数 %s", json_get_str(r, "id", ""), k);
		if (json_typeof(old) != json_typeof(v))
			return err_set(e, ERR_INVALID, "params", "参数 %s 的类型应与原值相同", k);
		if (json_is_integer(v) && (json_integer_value(v) < 0 || json_integer_value(v) > 3650))
			return err_set(e, ERR_INVALID, "params", "参数 %s 应在 0–3650 之间", k);
		json_object_set(cur, k, v);
	}
	return 0;
}

static int patch_rule(json_t *r, const json_t *patch, struct err *e)
{
	static const struct jfield fields[] = {
		{"enabled", J_BOOL, 0}, {"severity", J_STRING, 0}, {"params", J_OBJECT, 0}, {"note", J_STRING, 0},
		{NULL},
	};
	if (json_check(patch, fields, e))
		return e->code;
	if (json_object_get(patch, "enabled"))
		json_object_set(r, "enabled", json_object_get(patch, "enabled"));
	if (json_object_get(patch, "severity")) {
		if (!in_list(severities, json_get_str(patch, "severity", "")))
			return err_set(e, ERR_INVALID, "severity", "严重程度应为 error 或 warn");
		json_object_set(r, "severity", json_object_get(patch, "severity"));
	}
	if (json_object_get(patch, "params") && patch_params(r, json_object_get(patch, "params"), e))
		return e->code;
	return q_rule_validate(r, e);
}

static int save_one(struct store *st, const struct principal *who, int64_t now, json_t *r, const json_t *patch,
		    struct err *e)
{
	int v, rc = store_begin(st, e);
	if (!rc)
		rc = add_version(st, who, now, r, json_get_str(patch, "note", ""), &v, e);
	if (!rc)
		rc = audit_write(st, who, now, "quality.rule_update", json_get_str(r, "id", ""), "success",
				 json_pack("{s:i,s:O}", "version", v, "change", patch), e);
	rc = rc ? rc : store_commit(st, e);
	if (rc)
		store_rollback(st);
	return rc;
}

int quality_rule_update(struct store *st, const struct principal *who, int64_t now, const char *id,
			const json_t *patch, json_t **out, struct err *e)
{
	struct q_ruleset rs;
	if (!quality_may_edit_rules(who))
		return err_set(e, ERR_FORBIDDEN, "", "无权修改质检规则");
	if (q_rules_load(st, &rs, e))
		return e->code;
	const struct q_rule *cur = q_rule_find(&rs, id);
	if (!cur) {
		q_rules_free(&rs);
		return err_set(e, ERR_NOTFOUND, "id", "规则不存在: %s", id);
	}
	json_t *r = json_deep_copy(cur->doc);
	int rc = patch_rule(r, patch, e);
	if (!rc && same_rule(cur->doc, r))
		rc = err_set(e, ERR_INVALID, "", "规则没有变化");
	if (!rc)
		rc = save_one(st, who, now, r, patch, e);
	json_decref(r);
	q_rules_free(&rs);
	if (rc)
		return rc;
	if (q_rules_load(st, &rs, e))
		return e->code;
	*out = json_deep_copy(q_rule_find(&rs, id)->doc);
	q_rules_free(&rs);
	return 0;
}
