/*
** repair_ops.c: the typed operations of 数据修复 (repair.h) turned into
** change sets of whole rows. Every value is checked with its field's own
** rule here, before anything is proposed; nothing is written.
*/
#include "repair/repair_int.h"
#include "base/clock.h"
#include "base/json.h"
#include "ids/ids.h"
#include "org/org.h"
#include "store/store_repair.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- change sets ------------------------------------------------------------------------------ */

int repair_find(struct store *st, const char *tbl, const char *col, json_t *value, const char *field, json_t **row,
		struct err *e)
{
	json_t *where = json_pack("{s:O}", col, value), *rows;
	int rc = store_repair_select(st, tbl, where, 2, &rows, e);
	json_decref(where);
	if (rc)
		return rc;
	*row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (*row)
		return 0;
	char *v = json_dumps(value, JSON_ENCODE_ANY);
	rc = err_set(e, ERR_NOTFOUND, field, "%s 不存在: %s", field, v ? v : "?");
	free(v);
	return rc;
}

static int chg_add(struct store *st, json_t *list, const char *tbl, const json_t *row, json_t *before, json_t *after,
		   struct err *e)
{
	json_t *key;
	if (store_repair_key(st, tbl, row, &key, e)) {
		json_decref(before);
		json_decref(after);
		return e->code;
	}
	json_array_append_new(list, json_pack("{s:s,s:o,s:o,s:o}", "tbl", tbl, "key", key, "before",
					      before ? before : json_null(), "after", after ? after : json_null()));
	return 0;
}

int repair_chg_update(struct store *st, json_t *list, const char *tbl, const json_t *row, const json_t *patch,
		      struct err *e)
{
	json_t *after = json_deep_copy(row);
	json_object_update_existing(after, (json_t *)patch);
	json_t *k1 = NULL, *k2 = NULL;
	if (json_equal(after, (json_t *)row)) {
		json_decref(after);
		return 0;
	}
	int rc = store_repair_key(st, tbl, row, &k1, e);
	if (!rc)
		rc = store_repair_key(st, tbl, after, &k2, e);
	int same = !rc && json_equal(k1, k2);
	json_decref(k1);
	json_decref(k2);
	if (rc || same)
		return rc ? (json_decref(after), rc) : chg_add(st, list, tbl, row, json_deep_copy(row), after, e);
	/* a changed primary key is another row: the old one goes, the new one comes */
	if (chg_add(st, list, tbl, row, json_deep_copy(row), NULL, e)) {
		json_decref(after);
		return e->code;
	}
	return chg_add(st, list, tbl, after, NULL, after, e);
}

int repair_chg_delete(struct store *st, json_t *list, const char *tbl, const json_t *row, struct err *e)
{
	return chg_add(st, list, tbl, row, json_deep_copy(row), NULL, e);
}

int repair_parse_time(const json_t *v, const char *field, int64_t *out, struct err *e)
{
	int y, mo, d, h = 0, mi = 0, s = 0, n = 0;
	char date[11];
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = json_integer_value(v);
		return 0;
	}
	const char *t = json_string_value(v);
	if (t && sscanf(t, "%4d-%2d-%2d%*[ T]%2d:%2d%n:%2d%n", &y, &mo, &d, &h, &mi, &n, &s, &n) >= 5 && !t[n]) {
		snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, d);
		int64_t mid = clock_cn_midnight(date);
		if (mid > 0 && h < 24 && mi < 60 && s < 60) {
			*out = mid + h * 3600 + mi * 60 + s;
			return 0;
		}
	}
	return err_set(e, ERR_INVALID, field, "%s 应为时间 YYYY-MM-DD HH:MM[:SS]（北京时间）", field);
}

static int need_text(const json_t *req, const char *k, const char **out, struct err *e)
{
	*out = json_get_str(req, k, NULL);
	if (!*out || !**out)
		return err_set(e, ERR_INVALID, k, "缺少 %s", k);
	return 0;
}

/* ---- field corrections ------------------------------------------------------------------------ */

enum ftype { F_TEXT, F_NONEMPTY, F_INT_POS, F_INT_NONNEG, F_DATE, F_TIME, F_DEPT, F_PROJECT_CODE, F_CREDIT,
	     F_UNIT_KIND, F_FLOW_TYPE, F_UNIQUE };

struct object_def {
	const char *object, *table, *by;    /* request member and lookup column */
};
static const struct object_def objects[] = {
	{"project", "projects", "code"}, {"unit", "project_units", "id"}, {"case", "cases", "number"},
	{"status", "case_status", "id"}, {"document", "case_documents", "id"},
};

struct field_def {
	const char *object, *field;         /* field = the column */
	enum ftype type;
};
static const struct field_def fields[] = {
	{"project", "name", F_NONEMPTY}, {"project", "address", F_NONEMPTY},
	{"project", "investment_wan", F_INT_POS}, {"project", "land_area_m2", F_INT_NONNEG},
	{"project", "floor_area_m2", F_INT_NONNEG}, {"project", "planned_start", F_DATE},
	{"project", "planned_finish", F_DATE}, {"project", "gcdm", F_TEXT}, {"project", "code", F_PROJECT_CODE},
	{"project", "flow_type", F_FLOW_TYPE},
	{"unit", "name", F_NONEMPTY}, {"unit", "credit_code", F_CREDIT}, {"unit", "contact", F_NONEMPTY},
	{"unit", "phone", F_NONEMPTY}, {"unit", "kind", F_UNIT_KIND},
	{"case", "department_code", F_DEPT}, {"case", "received_at", F_TIME}, {"case", "accepted_at", F_TIME},
	{"case", "final_at", F_TIME},
	{"status", "at", F_TIME}, {"status", "username", F_NONEMPTY}, {"status", "opinion", F_TEXT},
	{"status", "department_code", F_DEPT},
	{"document", "number", F_UNIQUE}, {"document", "issued_at", F_TIME},
};

static int check_dept(struct store *st, const char *field, const char *code, struct err *e)
{
	int exists, active;
	if (store_repair_department(st, code, &exists, &active, e))
		return e->code;
	if (!exists || !active)
		return err_set(e, ERR_INVALID, field, "部门 %s %s", code, exists ? "已停用" : "不存在");
	return 0;
}

static int unique_in(struct store *st, const char *tbl, const char *col, const char *v, struct err *e)
{
	json_t *rows, *where = json_pack("{s:s}", col, v);
	int rc = store_repair_select(st, tbl, where, 1, &rows, e);
	json_decref(where);
	if (rc)
		return rc;
	rc = json_array_size(rows) ? err_set(e, ERR_CONFLICT, "value", "%s 已被使用: %s", col, v) : 0;
	json_decref(rows);
	return rc;
}

static const char *const unit_kinds[] = {"builder", "agent", "survey", "design", "construction", "supervision",
					 "other", NULL};

/* The checked value of a field as the column stores it. */
static int field_value(struct store *st, const struct object_def *o, const struct field_def *f, const json_t *in,
		       json_t **out, struct err *e)
{
	const char *s = json_string_value(in);
	char *end;
	int64_t n = json_is_integer(in) ? json_integer_value(in) : s && *s ? strtoll(s, &end, 10) : 0;
	int num_ok = json_is_integer(in) || (s && *s && !*end);
	int64_t t;
	switch (f->type) {
	case F_TEXT:
	case F_NONEMPTY:
		if (!s || (f->type == F_NONEMPTY && !*s))
			return err_set(e, ERR_INVALID, "value", "%s 不能为空", f->field);
		break;
	case F_INT_POS:
	case F_INT_NONNEG:
	case F_FLOW_TYPE:
		if (!num_ok || n < (f->type == F_INT_POS || f->type == F_FLOW_TYPE) ||
		    (f->type == F_FLOW_TYPE && n > 10))
			return err_set(e, ERR_INVALID, "value", "%s 应为%s", f->field,
				       f->type == F_FLOW_TYPE ? "审批流程类型 1–10" : f->type == F_INT_POS ? "正整数" : "非负整数");
		*out = json_integer(n);
		return 0;
	case F_DATE:
		if (!s || strlen(s) != 10 || clock_cn_midnight(s) < 0)
			return err_set(e, ERR_INVALID, "value", "%s 应为日期 YYYY-MM-DD", f->field);
		break;
	case F_TIME:
		if (repair_parse_time(in, "value", &t, e))
			return e->code;
		*out = json_integer(t);
		return 0;
	case F_DEPT:
		if (!s || check_dept(st, "value", s, e))
			return s ? e->code : err_set(e, ERR_INVALID, "value", "应为部门编码");
		break;
	case F_PROJECT_CODE:
		if (!s || ids_check_project_code(s, e) || unique_in(st, o->table, f->field, s, e))
			return s ? e->code : err_set(e, ERR_INVALID, "value", "应为投资项目代码");
		break;
	case F_CREDIT:
		if (!s || ids_check_uscc(s, e))
			return s ? e->code : err_set(e, ERR_INVALID, "value", "应为统一社会信用代码");
		break;
	case F_UNIT_KIND: {
		int i = 0;
		while (s && unit_kinds[i] && strcmp(unit_kinds[i], s) != 0)
			i++;
		if (!s || !unit_kinds[i])
			return err_set(e, ERR_INVALID, "value", "单位类型应为 builder agent survey design construction "
				       "supervision other 之一");
		break;
	}
	case F_UNIQUE:
		if (!s || !*s || unique_in(st, o->table, f->field, s, e))
			return s && *s ? e->code : err_set(e, ERR_INVALID, "value", "%s 不能为空", f->field);
		break;
	}
	*out = json_string(s);
	return 0;
}

/* Rules across fields of the row after the change. */
static int cross_check(struct store *st, const struct object_def *o, const json_t *after, struct err *e)
{
	if (strcmp(o->object, "project") == 0) {
		if (strcmp(json_get_str(after, "planned_start", ""), json_get_str(after, "planned_finish", "")) >= 0)
			return err_set(e, ERR_INVALID, "value", "拟开工时间应早于拟建成时间 (NKGSJ < NJCSJ)");
	} else if (strcmp(o->object, "case") == 0) {
		int64_t r = json_get_int(after, "received_at", 0), a = json_get_int(after, "accepted_at", 0),
			f = json_get_int(after, "final_at", 0);
		if ((a && a < r) || (f && f < r) || (a && f && f < a))
			return err_set(e, ERR_INVALID, "value", "时间顺序应为 收件 ≤ 受理 ≤ 办结");
	} else if (strcmp(o->object, "status") == 0) {
		json_t *rows, *where = json_pack("{s:O}", "case_id", json_object_get(after, "case_id")), *r;
		size_t i;
		int64_t id = json_get_int(after, "id", 0), at = json_get_int(after, "at", 0), prev = 0, next = 0;
		int rc = store_repair_select(st, "case_status", where, 0, &rows, e);
		json_decref(where);
		if (rc)
			return rc;
		json_array_foreach(rows, i, r) {
			int64_t rid = json_get_int(r, "id", 0), rat = json_get_int(r, "at", 0);
			if (rid < id)
				prev = rat;
			else if (rid > id && !next)
				next = rat;
		}
		json_decref(rows);
		if (at < prev || (next && at > next))
			return err_set(e, ERR_INVALID, "value", "办理时间应在前后两条办理记录之间 (status-order)");
	}
	return 0;
}

/* The 办件 a status row or document belongs to is touched too (updated_at). */
static int touch_case(struct store *st, json_t *list, const json_t *row, int64_t now, struct err *e)
{
	json_t *c, *patch;
	if (repair_find(st, "cases", "id", json_object_get(row, "case_id"), "case", &c, e))
		return e->code;
	patch = json_pack("{s:I}", "updated_at", (json_int_t)now);
	int rc = repair_chg_update(st, list, "cases", c, patch, e);
	json_decref(patch);
	json_decref(c);
	return rc;
}

static int move_children(struct store *st, json_t *list, const char *tbl, const json_t *from, const json_t *patch,
			 int (*check)(struct store *, const json_t *, const json_t *, struct err *), const json_t *into,
			 struct err *e);

static int op_field(struct store *st, int64_t now, const json_t *req, json_t *list, char *target, size_t tn,
		    struct err *e)
{
	const struct object_def *o = NULL;
	const struct field_def *f = NULL;
	const char *field;
	json_t *row, *value = NULL, *after;
	for (size_t i = 0; !o && i < sizeof objects / sizeof objects[0]; i++)
		if (json_object_get(req, objects[i].object))
			o = &objects[i];
	if (!o)
		return err_set(e, ERR_INVALID, "object", "应指明 project、unit、case、status 或 document 之一");
	if (need_text(req, "field", &field, e))
		return e->code;
	for (size_t i = 0; !f && i < sizeof fields / sizeof fields[0]; i++)
		if (strcmp(fields[i].object, o->object) == 0 && strcmp(fields[i].field, field) == 0)
			f = &fields[i];
	if (!f)
		return err_set(e, ERR_INVALID, "field", "%s 没有可修复的字段 %s", o->object, field);
	if (!json_object_get(req, "value"))
		return err_set(e, ERR_INVALID, "value", "缺少 value");
	if (repair_find(st, o->table, o->by, json_object_get(req, o->object), o->object, &row, e))
		return e->code;
	int rc = field_value(st, o, f, json_object_get(req, "value"), &value, e);
	after = json_deep_copy(row);
	if (!rc) {
		json_object_set_new(after, f->field, value);
		if (json_object_get(after, "updated_at"))
			json_object_set_new(after, "updated_at", json_integer(now));
		rc = cross_check(st, o, after, e);
	}
	if (!rc)
		rc = repair_chg_update(st, list, o->table, row, after, e);
	if (!rc && strcmp(o->object, "project") == 0 && strcmp(f->field, "flow_type") == 0) {
		/* the copy on the project's progress row (migration 0028's trigger writes it too) */
		json_t *copy = json_pack("{s:O}", "flow_type", json_object_get(after, "flow_type"));
		rc = move_children(st, list, "case_progress", row, copy, NULL, NULL, e);
		json_decref(copy);
	}
	if (!rc && (strcmp(o->object, "status") == 0 || strcmp(o->object, "document") == 0))
		rc = touch_case(st, list, row, now, e);
	const json_t *kv = json_object_get(req, o->object);
	if (json_is_string(kv))
		snprintf(target, tn, "%s:%s %s", o->object, json_string_value(kv), f->field);
	else
		snprintf(target, tn, "%s:%lld %s", o->object, (long long)json_integer_value(kv), f->field);
	json_decref(after);
	json_decref(row);
	return rc;
}

/* ---- reassign, close a stage, void ------------------------------------------------------------ */

static int op_reassign(struct store *st, int64_t now, const json_t *req, json_t *list, char *target, size_t tn,
		       struct err *e)
{
	const char *number, *username;
	struct user u;
	json_t *c;
	if (need_text(req, "case", &number, e) || need_text(req, "user", &username, e))
		return e->code;
	if (repair_find(st, "cases", "number", json_object_get(req, "case"), "case", &c, e))
		return e->code;
	snprintf(target, tn, "case:%s handler", number);
	int rc = 0;
	if (!json_get_int(c, "open", 0))
		rc = err_set(e, ERR_CONFLICT, "case", "办件 %s 已办结，不能改派", number);
	else if (org_user_by_name(st, username, &u, e))
		rc = err_set(e, ERR_INVALID, "user", "账号不存在: %s", username);
	else if (!u.active)
		rc = err_set(e, ERR_INVALID, "user", "账号已停用: %s", username);
	else if (strcmp(u.department, json_get_str(c, "department_code", "")) != 0)
		rc = err_set(e, ERR_INVALID, "user", "%s 不属于办件的部门 %s", username, json_get_str(c, "department_code", ""));
	else if (!(rbac_parse_roles(u.roles) & rbac_role_bit(json_get_str(c, "step_role", ""))))
		rc = err_set(e, ERR_INVALID, "user", "%s 没有当前环节的角色 %s", username, json_get_str(c, "step_role", ""));
	if (!rc) {
		json_t *patch = json_pack("{s:I,s:I}", "handler_id", (json_int_t)u.id, "updated_at", (json_int_t)now);
		rc = repair_chg_update(st, list, "cases", c, patch, e);
		json_decref(patch);
	}
	json_decref(c);
	return rc;
}

static int op_close_stage(struct store *st, int64_t now, const json_t *req, json_t *list, char *target, size_t tn,
			  struct err *e)
{
	const char *code;
	json_t *p, *rows, *where, *patch;
	int stage = (int)json_get_int(req, "stage", 0);
	if (need_text(req, "project", &code, e))
		return e->code;
	if (stage < 1 || stage > 5)
		return err_set(e, ERR_INVALID, "stage", "stage 应为 1–5");
	if (repair_find(st, "projects", "code", json_object_get(req, "project"), "project", &p, e))
		return e->code;
	where = json_pack("{s:O,s:i}", "project_id", json_object_get(p, "id"), "stage", stage);
	int rc = store_repair_select(st, "case_stages", where, 1, &rows, e);
	json_decref(where);
	json_decref(p);
	if (rc)
		return rc;
	json_t *row = json_array_get(rows, 0);
	if (!row)
		rc = err_set(e, ERR_NOTFOUND, "stage", "项目 %s 没有第 %d 阶段", code, stage);
	else if (!json_is_null(json_object_get(row, "completed_at")))
		rc = err_set(e, ERR_CONFLICT, "stage", "项目 %s 第 %d 阶段已完成", code, stage);
	snprintf(target, tn, "project:%s stage %d (%s)", code, stage,
		 row && json_get_int(row, "completion_rule", 1) == 2 ? "任一里程碑事项办结即完成" : "全部里程碑事项办结才完成");
	if (!rc) {
		patch = json_pack("{s:I}", "completed_at", (json_int_t)now);
		rc = repair_chg_update(st, list, "case_stages", row, patch, e);
		json_decref(patch);
	}
	json_decref(rows);
	return rc;
}

/* Delete row of tbl after every row of an admitted table that refers to it
** (children first, recursively). A reference from a table repairs may not
** touch refuses the whole operation. */
static int delete_tree(struct store *st, json_t *list, const char *tbl, const json_t *row, int depth, struct err *e)
{
	json_t *refs, *ref, *children, *child;
	size_t i, j;
	if (depth > 4)
		return err_set(e, ERR_INVALID, tbl, "引用层次过深");
	if (store_repair_refs(st, tbl, &refs, e))
		return e->code;
	int rc = 0;
	json_array_foreach(refs, i, ref) {
		const char *ct = json_get_str(ref, "table", ""), *pc = json_get_str(ref, "parent_column", "");
		json_t *where = json_pack("{s:O}", json_get_str(ref, "column", ""), json_object_get(row, *pc ? pc : "id"));
		rc = store_repair_table_ok(ct) ? store_repair_select(st, ct, where, 0, &children, e)
					       : err_set(e, ERR_CONFLICT, ct, "表 %s 引用此行，数据修复不能删除", ct);
		json_decref(where);
		if (rc)
			break;
		json_array_foreach(children, j, child)
			if ((rc = delete_tree(st, list, ct, child, depth + 1, e)))
				break;
		json_decref(children);
		if (rc)
			break;
	}
	json_decref(refs);
	return rc ? rc : repair_chg_delete(st, list, tbl, row, e);
}

static int op_void(struct store *st, int64_t now, const json_t *req, json_t *list, char *target, size_t tn,
		   struct err *e)
{
	const char *number;
	json_t *c, *inst;
	(void)now;
	if (need_text(req, "case", &number, e))
		return e->code;
	if (repair_find(st, "cases", "number", json_object_get(req, "case"), "case", &c, e))
		return e->code;
	snprintf(target, tn, "case:%s", number);
	int rc = repair_find(st, "case_instances", "id", json_object_get(c, "instance_id"), "instance", &inst, e);
	if (!rc)
		rc = delete_tree(st, list, "cases", c, 0, e);
	if (!rc && json_get_int(inst, "ncases", 0) <= 1) {
		rc = repair_chg_delete(st, list, "case_instances", inst, e);
	} else if (!rc) {
		json_t *patch = json_pack("{s:I}", "ncases", (json_int_t)json_get_int(inst, "ncases", 0) - 1);
		rc = repair_chg_update(st, list, "case_instances", inst, patch, e);
		json_decref(patch);
	}
	json_decref(inst);
	json_decref(c);
	return rc;
}

/* ---- 机构改革: a department's accounts, running 办件 and project links move ------------------ */

static int move_rows(struct store *st, json_t *list, const char *tbl, json_t *where, const json_t *patch,
		     struct err *e)
{
	json_t *rows, *r;
	size_t i;
	int rc = store_repair_select(st, tbl, where, 0, &rows, e);
	json_decref(where);
	if (rc)
		return rc;
	json_array_foreach(rows, i, r)
		if ((rc = repair_chg_update(st, list, tbl, r, patch, e)))
			break;
	json_decref(rows);
	return rc;
}

/* Links matching where move by patch; a link that exists already at the
** new place keeps one: the old one goes. */
static int move_links(struct store *st, json_t *list, json_t *where, json_t *patch, struct err *e)
{
	json_t *rows, *r;
	size_t i;
	int rc = store_repair_select(st, "project_departments", where, 0, &rows, e);
	json_decref(where);
	if (rc) {
		json_decref(patch);
		return rc;
	}
	json_array_foreach(rows, i, r) {
		json_t *key = json_deep_copy(r), *there = NULL;
		json_object_update(key, patch);
		rc = store_repair_row(st, "project_departments", key, &there, e);
		json_decref(key);
		if (!rc)
			rc = there ? repair_chg_delete(st, list, "project_departments", r, e)
				   : repair_chg_update(st, list, "project_departments", r, patch, e);
		json_decref(there);
		if (rc)
			break;
	}
	json_decref(patch);
	json_decref(rows);
	return rc;
}

static int op_move_department(struct store *st, int64_t now, const json_t *req, json_t *list, char *target,
			      size_t tn, struct err *e)
{
	const char *from, *to;
	int exists, active;
	if (need_text(req, "from", &from, e) || need_text(req, "to", &to, e))
		return e->code;
	if (strcmp(from, to) == 0)
		return err_set(e, ERR_INVALID, "to", "新旧部门相同");
	if (store_repair_department(st, from, &exists, &active, e))
		return e->code;
	if (!exists)
		return err_set(e, ERR_NOTFOUND, "from", "部门 %s 不存在", from);
	if (check_dept(st, "to", to, e))
		return e->code;
	snprintf(target, tn, "department:%s -> %s", from, to);
	json_t *patch = json_pack("{s:s,s:I}", "department_code", to, "updated_at", (json_int_t)now);
	int rc = move_rows(st, list, "users", json_pack("{s:s}", "department_code", from), patch, e);
	if (!rc)
		rc = move_rows(st, list, "cases", json_pack("{s:s,s:i}", "department_code", from, "open", 1), patch, e);
	if (!rc)
		rc = move_links(st, list, json_pack("{s:s}", "department_code", from), json_pack("{s:s}", "department_code", to), e);
	json_decref(patch);
	if (!rc && !json_array_size(list))
		rc = err_set(e, ERR_INVALID, "from", "部门 %s 没有账号、在办办件或项目关联可迁移", from);
	return rc;
}

/* ---- merge a duplicate project into the one that stays ----------------------------------------- */

/* Every row of tbl with project_id = from moves to into (patch), each after check(). */
static int move_children(struct store *st, json_t *list, const char *tbl, const json_t *from, const json_t *patch,
			 int (*check)(struct store *, const json_t *, const json_t *, struct err *), const json_t *into,
			 struct err *e)
{
	json_t *rows = NULL, *r, *where = json_pack("{s:O}", "project_id", json_object_get(from, "id"));
	size_t i;
	int rc = store_repair_select(st, tbl, where, 0, &rows, e);
	json_decref(where);
	json_array_foreach(rc ? NULL : rows, i, r) {
		rc = check ? check(st, r, into, e) : 0;
		if (!rc)
			rc = repair_chg_update(st, list, tbl, r, patch, e);
		if (rc)
			break;
	}
	json_decref(rows);
	return rc;
}

/* A stage or progress row of the duplicate must not collide with one of the project that stays. */
static int no_collision(struct store *st, const json_t *row, const json_t *into, struct err *e)
{
	json_t *key = json_deep_copy(row), *there;
	const char *tbl = json_object_get(row, "stage") ? "case_stages" : "case_progress";
	json_t *k;
	json_object_set(key, "project_id", json_object_get(into, "id"));
	if (store_repair_key(st, tbl, key, &k, e)) {
		json_decref(key);
		return e->code;
	}
	int rc = store_repair_row(st, tbl, k, &there, e);
	json_decref(k);
	json_decref(key);
	if (!rc && there && json_object_get(row, "stage"))
		rc = err_set(e, ERR_CONFLICT, "into", "两个项目都有第 %lld 阶段，不能合并 (both have the stage)",
			     (long long)json_get_int(row, "stage", 0));
	else if (!rc && there)
		rc = err_set(e, ERR_CONFLICT, "into", "两个项目都已开始审批，不能合并 (both have progress)");
	json_decref(there);
	return rc;
}

/* Units of the duplicate move unless the project that stays has the same (kind, credit code). */
static int merge_units(struct store *st, json_t *list, const json_t *from, const json_t *into, struct err *e)
{
	json_t *mine = NULL, *theirs, *u, *v, *w = json_pack("{s:O}", "project_id", json_object_get(into, "id"));
	size_t i, j;
	int rc = store_repair_select(st, "project_units", w, 0, &theirs, e);
	json_decref(w);
	if (rc)
		return rc;
	w = json_pack("{s:O}", "project_id", json_object_get(from, "id"));
	rc = store_repair_select(st, "project_units", w, 0, &mine, e);
	json_decref(w);
	int64_t pos = (int64_t)json_array_size(theirs);
	json_array_foreach(rc ? NULL : mine, i, u) {
		int dup = 0;
		json_array_foreach(theirs, j, v)
			dup |= strcmp(json_get_str(u, "kind", ""), json_get_str(v, "kind", "")) == 0 &&
			       strcmp(json_get_str(u, "credit_code", ""), json_get_str(v, "credit_code", "")) == 0;
		json_t *patch = json_pack("{s:O,s:I}", "project_id", json_object_get(into, "id"), "position", (json_int_t)pos);
		rc = dup ? repair_chg_delete(st, list, "project_units", u, e)
			 : repair_chg_update(st, list, "project_units", u, patch, e);
		pos += !dup;
		json_decref(patch);
		if (rc)
			break;
	}
	json_decref(theirs);
	json_decref(mine);
	return rc;
}

static int op_merge_projects(struct store *st, int64_t now, const json_t *req, json_t *list, char *target,
			     size_t tn, struct err *e)
{
	const char *from_code, *into_code;
	json_t *from = NULL, *into = NULL;
	if (need_text(req, "from", &from_code, e) || need_text(req, "into", &into_code, e))
		return e->code;
	if (strcmp(from_code, into_code) == 0)
		return err_set(e, ERR_INVALID, "into", "不能合并到自身");
	snprintf(target, tn, "project:%s -> %s", from_code, into_code);
	int rc = repair_find(st, "projects", "code", json_object_get(req, "from"), "from", &from, e);
	if (!rc)
		rc = repair_find(st, "projects", "code", json_object_get(req, "into"), "into", &into, e);
	if (!rc && (!json_is_null(json_object_get(from, "deleted_at")) || !json_is_null(json_object_get(into, "deleted_at"))))
		rc = err_set(e, ERR_CONFLICT, "from", "已删除的项目不能合并");
	json_t *to_id = json_pack("{s:O}", "project_id", into ? json_object_get(into, "id") : json_null());
	/* the project's copies on its progress row (migration 0028) and cases */
	json_t *to_progress = json_pack("{s:O,s:O,s:O}", "project_id", into ? json_object_get(into, "id") : json_null(),
					"flow_type", into ? json_object_get(into, "flow_type") : json_null(),
					"division_code", into ? json_object_get(into, "division_code") : json_null());
	json_t *to_case = json_pack("{s:O,s:O,s:I}", "project_id", into ? json_object_get(into, "id") : json_null(),
				    "district_code", into ? json_object_get(into, "division_code") : json_null(),
				    "updated_at", (json_int_t)now);
	if (!rc)
		rc = move_children(st, list, "case_stages", from, to_id, no_collision, into, e);
	if (!rc)
		rc = move_children(st, list, "case_progress", from, to_progress, no_collision, into, e);
	if (!rc)
		rc = move_children(st, list, "case_instances", from, to_id, NULL, into, e);
	if (!rc)
		rc = move_children(st, list, "cases", from, to_case, NULL, into, e);
	if (!rc)
		rc = merge_units(st, list, from, into, e);
	if (!rc)
		rc = move_links(st, list, json_pack("{s:O}", "project_id", json_object_get(from, "id")),
				json_pack("{s:O}", "project_id", json_object_get(into, "id")), e);
	json_decref(to_case);
	json_decref(to_progress);
	json_decref(to_id);
	if (!rc) {
		json_t *gone = json_pack("{s:I,s:I}", "deleted_at", (json_int_t)now, "updated_at", (json_int_t)now);
		rc = repair_chg_update(st, list, "projects", from, gone, e);
		json_decref(gone);
	}
	json_decref(from);
	json_decref(into);
	return rc;
}

/* ---- dispatch --------------------------------------------------------------------------------- */

typedef int (*op_fn)(struct store *, int64_t, const json_t *, json_t *, char *, size_t, struct err *);
static const struct {
	const char *op;
	op_fn fn;
} ops[] = {
	{"field", op_field}, {"reassign", op_reassign}, {"close_stage", op_close_stage}, {"void", op_void},
	{"move_department", op_move_department}, {"merge_projects", op_merge_projects},
};

int repair_build(struct store *st, const struct principal *who, int64_t now, const json_t *req, json_t *list,
		 char *target, size_t tn, struct err *e)
{
	const char *op = json_get_str(req, "op", "");
	(void)who;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(ops[i].op, op) == 0)
			return ops[i].fn(st, now, req, list, target, tn, e);
	return err_set(e, ERR_INVALID, "op", "未知的修复操作: %s (field reassign close_stage void move_department merge_projects)", op);
}
