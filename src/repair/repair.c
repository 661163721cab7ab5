/*
** repair.c: the flow of a 数据修复单 (repair.h): propose, decide, apply,
** undo, show, list. The rows a repair changes are stored whole, before and
** after, at proposal; apply and undo only ever move between those images.
*/
#include "repair/repair_int.h"
#include "base/json.h"
#include "org/audit.h"
#include "stats/stats_live.h"
#include "store/store_repair.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROLE_REPAIR_READ (ROLE_OPS | ROLE_REPAIR | ROLE_LEADER)

static const struct dict_entry status_names[] = {
	{"proposed", "待审批"}, {"approved", "已批准"}, {"rejected", "已驳回"}, {"applied", "已执行"},
	{"undone", "已撤销"}, {NULL, NULL},
};
static const struct dict_entry op_names[] = {
	{"field", "字段纠正"}, {"reassign", "改派办理人"}, {"close_stage", "关闭无法完成的阶段"},
	{"void", "作废办件"}, {"move_department", "部门迁移（机构改革）"}, {"merge_projects", "合并重复项目"},
	{NULL, NULL},
};
static const struct dict_entry field_names[] = {
	{"name", "名称"}, {"address", "建设地点"}, {"investment_wan", "总投资（万元）"}, {"land_area_m2", "用地面积"},
	{"floor_area_m2", "建筑面积"}, {"planned_start", "拟开工时间"}, {"planned_finish", "拟建成时间"},
	{"gcdm", "工程代码"}, {"code", "项目代码"}, {"flow_type", "审批流程类型"}, {"credit_code", "统一社会信用代码"},
	{"contact", "联系人"}, {"phone", "联系电话"}, {"kind", "单位类型"}, {"department_code", "部门"},
	{"received_at", "收件时间"}, {"accepted_at", "受理时间"}, {"final_at", "办结时间"}, {"at", "办理时间"},
	{"username", "办理人"}, {"opinion", "办理意见"}, {"number", "文号"}, {"issued_at", "发文时间"},
	{"handler_id", "办理人（账号）"}, {"completed_at", "阶段完成时间"}, {"ncases", "实例办件数"},
	{"updated_at", "更新时间"}, {NULL, NULL},
};
static const struct dict_entry object_names[] = {
	{"project", "项目"}, {"unit", "项目单位"}, {"case", "办件"}, {"status", "办理记录"}, {"document", "批复文件"},
	{NULL, NULL},
};
const struct dict repair_dicts[] = {
	{"repair.status", status_names}, {"repair.op", op_names}, {"repair.field", field_names},
	{"repair.object", object_names}, {NULL, NULL},
};

int repair_may_read(const struct principal *who)
{
	return who->cli || rbac_has(who, ROLE_REPAIR_READ);
}

static int may_operate(const struct principal *who, struct err *e)
{
	if (who->cli || rbac_has(who, ROLE_OPS))
		return 0;
	return err_set(e, ERR_FORBIDDEN, "", "只有运维工程师可以提出、执行或撤销数据修复 (ops only)");
}

/* ---- rendering -------------------------------------------------------------------------------- */

static void object_name(const char *tbl, const json_t *key, const json_t *row, char *out, size_t n)
{
	const char *k;
	json_t *v;
	size_t used = (size_t)snprintf(out, n, "%s:", tbl);
	int first = 1;
	json_object_foreach((json_t *)key, k, v) {
		if (used >= n)
			break;
		if (json_is_string(v))
			used += (size_t)snprintf(out + used, n - used, "%s%s", first ? "" : "/", json_string_value(v));
		else
			used += (size_t)snprintf(out + used, n - used, "%s%lld", first ? "" : "/",
						 (long long)json_integer_value(v));
		first = 0;
	}
	static const char *const labels[] = {"number", "code", "username", NULL};
	for (int i = 0; row && labels[i] && used < n; i++)
		if (json_is_string(json_object_get(row, labels[i]))) {
			snprintf(out + used, n - used, " (%s)", json_get_str(row, labels[i], ""));
			break;
		}
}

/* One change-set entry as {"object","field","before","after"} items. */
static void render_entry(const json_t *ent, json_t *changes)
{
	const char *tbl = json_get_str(ent, "tbl", ""), *k;
	json_t *key = json_object_get(ent, "key"), *b = json_object_get(ent, "before"), *a = json_object_get(ent, "after");
	json_t *v;
	char obj[200];
	object_name(tbl, key, json_is_null(b) ? a : b, obj, sizeof obj);
	if (json_is_null(b) || json_is_null(a)) {
		json_array_append_new(changes, json_pack("{s:s,s:s,s:O,s:O}", "object", obj, "field", "*", "before", b,
							 "after", a));
		return;
	}
	json_object_foreach(a, k, v) {
		json_t *old = json_object_get(b, k);
		if (!old || !json_equal(old, v))
			json_array_append_new(changes, json_pack("{s:s,s:s,s:O,s:O}", "object", obj, "field", k, "before",
								 old ? old : json_null(), "after", v));
	}
}

static json_t *render_changes(const json_t *list)
{
	json_t *changes = json_array(), *ent;
	size_t i;
	json_array_foreach(list, i, ent)
		render_entry(ent, changes);
	return changes;
}

/* The stored row images as a change set. */
static int load_list(struct store *st, int64_t id, json_t **list, struct err *e)
{
	json_t *rows, *r;
	size_t i;
	if (store_repair_rows(st, id, &rows, e))
		return e->code;
	*list = json_array();
	json_array_foreach(rows, i, r) {
		json_t *key = json_loads(json_get_str(r, "row_key", "{}"), 0, NULL);
		const char *b = json_get_str(r, "before", NULL), *a = json_get_str(r, "after", NULL);
		json_array_append_new(*list, json_pack("{s:s,s:o,s:o,s:o}", "tbl", json_get_str(r, "tbl", ""), "key",
						       key ? key : json_object(), "before",
						       b ? json_loads(b, 0, NULL) : json_null(), "after",
						       a ? json_loads(a, 0, NULL) : json_null()));
	}
	json_decref(rows);
	return 0;
}

static json_t *render_rec(json_t *rec, json_t *list)
{
	json_t *o = json_deep_copy(rec);
	const char *status = json_get_str(rec, "status", "");
	json_t *params = json_loads(json_get_str(rec, "params", "{}"), 0, NULL);
	json_object_set_new(o, "params", params ? params : json_object());
	json_object_set(o, "approved_by", strcmp(status, "proposed") && strcmp(status, "rejected")
						  ? json_object_get(rec, "decided_by") : json_null());
	json_object_set_new(o, "rows", json_integer((json_int_t)json_array_size(list)));
	json_object_set_new(o, "changes", render_changes(list));
	json_object_del(o, "proposed_by_id");
	json_object_del(o, "decided_by_id");
	return o;
}

int repair_show(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e)
{
	json_t *rec, *list;
	if (!repair_may_read(who))
		return err_set(e, ERR_FORBIDDEN, "", "forbidden");
	if (store_repair_get(st, id, &rec, e))
		return e->code;
	if (load_list(st, id, &list, e)) {
		json_decref(rec);
		return e->code;
	}
	*out = render_rec(rec, list);
	json_decref(rec);
	json_decref(list);
	return 0;
}

int repair_list(struct store *st, const struct principal *who, const char *status, const struct page *pg,
		json_t **out, struct err *e)
{
	json_t *it;
	size_t i;
	if (!repair_may_read(who))
		return err_set(e, ERR_FORBIDDEN, "", "forbidden");
	if (store_repair_list(st, status && *status ? status : NULL, pg, out, e))
		return e->code;
	json_array_foreach(json_object_get(*out, "items"), i, it) {
		json_t *params = json_loads(json_get_str(it, "params", "{}"), 0, NULL);
		json_object_set_new(it, "params", params ? params : json_object());
		json_object_del(it, "proposed_by_id");
		json_object_del(it, "decided_by_id");
	}
	return 0;
}

/* Characters (UTF-8 code points) of s. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* ---- propose ------------------------------------------------------------------------------------ */

static int store_list(struct store *st, int64_t id, const json_t *list, struct err *e)
{
	json_t *ent;
	size_t i;
	json_array_foreach(list, i, ent) {
		char *k = json_dumps(json_object_get(ent, "key"), JSON_COMPACT | JSON_SORT_KEYS);
		json_t *b = json_object_get(ent, "before"), *a = json_object_get(ent, "after");
		char *bs = json_is_null(b) ? NULL : json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER);
		char *as = json_is_null(a) ? NULL : json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
		int rc = store_repair_row_insert(st, id, (int)i + 1, json_get_str(ent, "tbl", ""), k, bs, as, e);
		free(k);
		free(bs);
		free(as);
		if (rc)
			return rc;
	}
	return 0;
}

static int check_request(const json_t *req, const char **reason, struct err *e)
{
	const char *answers = json_get_str(req, "answers", "");
	*reason = json_get_str(req, "reason", "");
	if (!json_is_object(req))
		return err_set(e, ERR_INVALID, "", "修复请求应为 JSON 对象");
	if (chars(*reason) < 2)
		return err_set(e, ERR_INVALID, "reason", "修复理由至少两个字 (reason required)");
	if (*answers && strncmp(answers, "finding:", 8) != 0 && strncmp(answers, "ticket:", 7) != 0)
		return err_set(e, ERR_INVALID, "answers", "answers 应为 finding:ID 或 ticket:ID");
	return 0;
}

static int propose_store(struct store *st, const struct principal *who, int64_t now, const json_t *req,
			 const char *target, const json_t *list, int64_t *id, struct err *e)
{
	char *params = json_dumps(req, JSON_COMPACT | JSON_PRESERVE_ORDER);
	struct repair_rec r = {json_get_str(req, "op", ""), target, params, json_get_str(req, "reason", ""),
			       json_get_str(req, "answers", ""), who->username, who->user_id, now};
	char obj[32];
	int rc = store_begin(st, e);
	if (!rc && !(rc = store_repair_insert(st, &r, id, e)) && !(rc = store_list(st, *id, list, e))) {
		snprintf(obj, sizeof obj, "repair:%lld", (long long)*id);
		rc = audit_write(st, who, now, "repair.propose", obj, "success",
				 json_pack("{s:s,s:s,s:I}", "op", r.op, "target", target, "rows",
					   (json_int_t)json_array_size(list)), e);
	}
	rc = rc ? (store_rollback(st), rc) : store_commit(st, e);
	free(params);
	return rc;
}

int repair_propose(struct store *st, const struct repair_env *env, const struct principal *who, int64_t now,
		   const json_t *req, int dry_run, json_t **out, struct err *e)
{
	const char *reason;
	char target[200] = "";
	int64_t id;
	(void)env;
	if (may_operate(who, e) || check_request(req, &reason, e))
		return e->code;
	json_t *list = json_array();
	int rc = repair_build(st, who, now, req, list, target, sizeof target, e);
	if (!rc && !json_array_size(list))
		rc = err_set(e, ERR_INVALID, "value", "修复不改变任何数据 (nothing to change)");
	if (!rc && dry_run) {
		*out = json_pack("{s:s,s:s,s:O,s:s,s:I,s:o}", "status", "preview", "op", json_get_str(req, "op", ""),
				 "params", req, "target", target, "rows", (json_int_t)json_array_size(list), "changes",
				 render_changes(list));
	} else if (!rc && !(rc = propose_store(st, who, now, req, target, list, &id, e))) {
		rc = repair_show(st, who, id, out, e);
	}
	json_decref(list);
	return rc;
}

/* ---- decide ------------------------------------------------------------------------------------- */

static int is_proposer(const struct principal *who, const json_t *rec)
{
	int64_t by = json_get_int(rec, "proposed_by_id", 0);
	if (by && who->user_id)
		return by == who->user_id;
	return strcmp(json_get_str(rec, "proposed_by", ""), who->username) == 0;
}

int repair_decide(struct store *st, const struct principal *who, int64_t now, int64_t id, int approve,
		  const char *note, json_t **out, struct err *e)
{
	json_t *rec;
	char obj[32];
	if (!who->user_id || !rbac_has(who, ROLE_REPAIR))
		return err_set(e, ERR_FORBIDDEN, "", "审批数据修复须由持有“数据修复审批”(repair_approve) 角色的账号进行");
	if (store_repair_get(st, id, &rec, e))
		return e->code;
	int rc = is_proposer(who, rec) ? err_set(e, ERR_FORBIDDEN, "", "不能审批自己提出的修复单 (not your own)") : 0;
	json_decref(rec);
	if (rc || store_begin(st, e))
		return e->code;
	snprintf(obj, sizeof obj, "repair:%lld", (long long)id);
	rc = store_repair_decide(st, id, "proposed", approve ? "approved" : "rejected", who->username, who->user_id,
				 now, note, e);
	if (!rc)
		rc = audit_write(st, who, now, approve ? "repair.approve" : "repair.reject", obj, "success",
				 json_pack("{s:s}", "note", note ? note : ""), e);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e) ? e->code : repair_show(st, who, id, out, e);
}

/* ---- apply and undo ---------------------------------------------------------------------------- */

static int audit_intact(struct store *st, struct err *e)
{
	struct audit_verdict v;
	if (audit_verify(st, &v, e))
		return e->code;
	if (v.bad_id)
		return err_set(e, ERR_CONFLICT, "audit", "审计日志校验未通过（第 %lld 条：%s），暂停数据修复 "
			       "(audit verify fails)", (long long)v.bad_id, v.reason);
	return 0;
}

/* Every row must still be what the repair expects (apply: its before-image,
** undo: its after-image); then each is written over with the other image.
** Apply goes in proposal order, undo in reverse (parents come back first). */
static int move_images(struct store *st, const json_t *list, int undo, struct err *e)
{
	size_t n = json_array_size(list);
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < n; k++) {
			json_t *ent = json_array_get(list, undo ? n - 1 - k : k), *cur;
			const char *tbl = json_get_str(ent, "tbl", "");
			json_t *key = json_object_get(ent, "key"), *b = json_object_get(ent, "before"),
			       *a = json_object_get(ent, "after");
			json_t *want = undo ? a : b, *put = undo ? b : a;
			if (pass == 1) {
				if (store_repair_row_write(st, tbl, key, json_is_null(want) ? NULL : want,
							   json_is_null(put) ? NULL : put, e))
					return e->code;
				continue;
			}
			if (store_repair_row(st, tbl, key, &cur, e))
				return e->code;
			int same = json_is_null(want) ? cur == NULL : cur && json_equal(cur, want);
			json_decref(cur);
			if (!same) {
				char obj[200];
				object_name(tbl, key, json_is_null(want) ? put : want, obj, sizeof obj);
				return err_set(e, ERR_CONFLICT, obj, "%s 自%s以来已被修改，不能%s (row moved)", obj,
					       undo ? "执行修复" : "预览", undo ? "撤销" : "执行");
			}
		}
	return 0;
}

static void add_id(json_t *set, const json_t *v)
{
	char k[24];
	if (json_is_integer(v)) {
		snprintf(k, sizeof k, "%lld", (long long)json_integer_value(v));
		json_object_set(set, k, (json_t *)v);
	}
}

/* The 办件 whose counted facts may have moved: every touched one and the
** others of their 并联审批实例 (the instance's first case is counted). */
static int touched_cases(struct store *st, const json_t *list, json_t *cases, struct err *e)
{
	json_t *inst = json_object(), *ent, *v, *rows, *r;
	const char *k;
	size_t i, j;
	json_array_foreach(list, i, ent) {
		const char *tbl = json_get_str(ent, "tbl", "");
		for (int side = 0; side < 2; side++) {
			json_t *row = json_object_get(ent, side ? "after" : "before");
			if (json_is_null(row))
				continue;
			add_id(cases, json_object_get(row, strcmp(tbl, "cases") == 0 ? "id" : "case_id"));
			add_id(inst, json_object_get(row, strcmp(tbl, "cases") == 0 ? "instance_id" : "no such"));
		}
	}
	int rc = 0;
	json_object_foreach(inst, k, v) {
		json_t *where = json_pack("{s:O}", "instance_id", v);
		rc = store_repair_select(st, "cases", where, 0, &rows, e);
		json_decref(where);
		if (rc)
			break;
		json_array_foreach(rows, j, r)
			add_id(cases, json_object_get(r, "id"));
		json_decref(rows);
	}
	json_decref(inst);
	return rc;
}

/* Statistics equal to a recount for every touched 办件. */
static int keep_stats(struct store *st, const struct repair_env *env, const json_t *list, int64_t now,
		      struct err *e)
{
	json_t *cases = json_object(), *v, *row;
	const char *k;
	int rc = touched_cases(st, list, cases, e);
	json_object_foreach(cases, k, v) {
		if (rc)
			break;
		json_t *key = json_pack("{s:O}", "id", v);
		rc = store_repair_row(st, "cases", key, &row, e);
		json_decref(key);
		if (rc)
			break;
		if (!row)
			rc = stats_case_forget(st, json_integer_value(v), e);
		else if (!env || !env->cases)
			rc = err_set(e, ERR_INTERNAL, "", "repair: no calendar for the statistics");
		else
			rc = stats_case_refresh(st, env->cases, json_integer_value(v), now, NULL, e);
		json_decref(row);
	}
	json_decref(cases);
	return rc;
}

/* A voided 办件 and a merged-away project go to the province as invalid
** (before their rows go). */
static int withdraw_voided(struct store *st, const struct repair_env *env, const struct principal *who,
			   const json_t *list, const char *reason, int64_t now, struct err *e)
{
	json_t *ent;
	size_t i;
	if (!env || !env->hooks || !env->hooks->withdraw)
		return 0;
	json_array_foreach(list, i, ent) {
		const char *tbl = json_get_str(ent, "tbl", "");
		json_t *b = json_object_get(ent, "before"), *a = json_object_get(ent, "after");
		int gone_case = strcmp(tbl, "cases") == 0 && json_is_null(a);
		int gone_project = strcmp(tbl, "projects") == 0 && !json_is_null(a) &&
				   json_is_null(json_object_get(b, "deleted_at")) && !json_is_null(json_object_get(a, "deleted_at"));
		if ((gone_case || gone_project) &&
		    env->hooks->withdraw(env->hooks->ctx, st, who, gone_case ? "case" : "project", json_get_int(b, "id", 0),
					 reason, now, e))
			return e->code;
	}
	return 0;
}

/* Rows that still exist after the move and that the exchange reports by id. */
static int tell_changed(struct store *st, const struct repair_env *env, const json_t *list, int undo, struct err *e)
{
	static const char *const reported[] = {"cases", "case_status", "case_documents", NULL};
	json_t *ent;
	size_t i;
	if (!env || !env->hooks || !env->hooks->changed)
		return 0;
	json_array_foreach(list, i, ent) {
		const char *tbl = json_get_str(ent, "tbl", "");
		json_t *now_row = json_object_get(ent, undo ? "before" : "after");
		for (int k = 0; reported[k] && !json_is_null(now_row); k++)
			if (strcmp(tbl, reported[k]) == 0 &&
			    env->hooks->changed(env->hooks->ctx, st, tbl, json_get_int(now_row, "id", 0), e))
				return e->code;
	}
	return 0;
}

static int run_images(struct store *st, const struct repair_env *env, const struct principal *who, int64_t now,
		      const json_t *rec, int undo, const char *reason, struct err *e)
{
	json_t *list;
	int64_t id = json_get_int(rec, "id", 0);
	const char *status = json_get_str(rec, "status", "");
	char obj[32];
	if (strcmp(status, undo ? "applied" : "approved") != 0)
		return err_set(e, ERR_CONFLICT, "status", undo ? "只有已执行的修复单可以撤销（当前：%s）"
						      : "修复单未经批准不能执行（当前：%s）", status);
	if (load_list(st, id, &list, e))
		return e->code;
	int rc = undo ? 0 : withdraw_voided(st, env, who, list, json_get_str(rec, "reason", ""), now, e);
	if (!rc)
		rc = move_images(st, list, undo, e);
	if (!rc)
		rc = keep_stats(st, env, list, now, e);
	if (!rc)
		rc = tell_changed(st, env, list, undo, e);
	if (!rc)
		rc = undo ? store_repair_mark_undone(st, id, who->username, now, reason, e)
			  : store_repair_mark_applied(st, id, who->username, now, e);
	snprintf(obj, sizeof obj, "repair:%lld", (long long)id);
	if (!rc)
		rc = audit_write(st, who, now, undo ? "repair.undo" : "repair.apply", obj, "success",
				 json_pack("{s:s,s:s,s:I,s:s}", "op", json_get_str(rec, "op", ""), "target",
					   json_get_str(rec, "target", ""), "rows", (json_int_t)json_array_size(list),
					   "reason", undo ? reason : json_get_str(rec, "reason", "")), e);
	json_decref(list);
	return rc;
}

static int run(struct store *st, const struct repair_env *env, const struct principal *who, int64_t now, int64_t id,
	       int undo, const char *reason, json_t **out, struct err *e)
{
	json_t *rec = NULL;
	if (may_operate(who, e))
		return e->code;
	if (undo && chars(reason) < 2)
		return err_set(e, ERR_INVALID, "reason", "撤销理由至少两个字 (reason required)");
	if (audit_intact(st, e) || store_begin(st, e))
		return e->code;
	int rc = store_repair_get(st, id, &rec, e);
	if (!rc)
		rc = run_images(st, env, who, now, rec, undo, reason, e);
	json_decref(rec);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e) ? e->code : repair_show(st, who, id, out, e);
}

int repair_apply(struct store *st, const struct repair_env *env, const struct principal *who, int64_t now,
		 int64_t id, json_t **out, struct err *e)
{
	return run(st, env, who, now, id, 0, NULL, out, e);
}

int repair_undo(struct store *st, const struct repair_env *env, const struct principal *who, int64_t now,
		int64_t id, const char *reason, json_t **out, struct err *e)
{
	return run(st, env, who, now, id, 1, reason, out, e);
}

/* ---- from a finding ---------------------------------------------------------------------------- */

json_t *repair_for_finding(const char *rule, const char *object_kind, const char *object, int64_t finding_id)
{
	static const struct {
		const char *rule, *op, *object, *field;
	} map[] = {
		{"project-dates", "field", "project", "planned_finish"},
		{"project-required", "field", "project", "address"},
		{"project-code", "field", "project", "code"},
		{"project-flow-type", "field", "project", "flow_type"},
		{"case-department", "field", "case", "department_code"},
		{"case-time-order", "field", "case", "accepted_at"},
		{"case-zombie", "reassign", "case", NULL},
		{"case-duplicate-item", "void", "case", NULL},
		{"project-stuck", "close_stage", "project", NULL},
	};
	char answers[40];
	(void)object_kind;
	snprintf(answers, sizeof answers, "finding:%lld", (long long)finding_id);
	for (size_t i = 0; rule && object && i < sizeof map / sizeof map[0]; i++) {
		if (strcmp(map[i].rule, rule) != 0)
			continue;
		json_t *o = json_pack("{s:s,s:s,s:s}", "op", map[i].op, map[i].object, object, "answers", answers);
		if (map[i].field)
			json_object_set_new(o, "field", json_string(map[i].field));
		return o;
	}
	return NULL;
}
