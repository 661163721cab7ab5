/*
** case.c: actions on a 办件 and THE ONE PATH every status change takes
** (case_record, see case.h and case_int.h). Sections: the observers, the
** clock facts, case_record, who may act, the arguments of each action,
** case_act.
**
** Depends on case_fsm (what may follow), deadline (the clock), catalog (the
** pinned item version's steps and prerequisites), store_case (rows) and
** audit. Reads live in case_read.c, applications and stage progress in
** parallel.c, documents in case_doc.c.
*/
#include "approval/case_int.h"
#include "approval/catalog.h"
#include "base/clock.h"
#include "org/audit.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- observers ---------------------------------------------------------------- */

static void snap_of(const struct case_rec *c, const struct deadline *clock, struct case_snap *s)
{
	*s = (struct case_snap){
		.id = c->id, .instance_id = c->instance_id, .project_id = c->project_id,
		.status = c->status, .accepted = c->accepted, .stage = c->stage,
		.side_line = c->side_line, .flow_type = c->flow_type, .department = c->department,
		.district = c->district, .item_code = c->item_code, .received_at = c->received_at,
		.accepted_at = c->accepted_at, .final_at = c->final_at,
	};
	if (clock)
		s->clock = *clock;
}

/* Each of env's observers in order (case.h: registered from above). */
static int notify(struct store *st, const struct case_env *env, const struct case_snap *before,
		  const struct case_snap *after, int64_t now, struct err *e)
{
	if (!env->observers)
		return err_set(e, ERR_INTERNAL, "", "a case change without its observers (struct case_env)");
	for (const case_observer *o = env->observers; *o; o++)
		if ((*o)(st, before, after, now, e))
			return e->code ? e->code : ERR_INTERNAL;
	return 0;
}

/* ---- small helpers ------------------------------------------------------------ */

void case_date(int64_t t, char out[CAL_DATE_LEN])
{
	deadline_date(deadline_day(t), out);
}

int case_visible(const struct principal *who, const struct case_rec *c)
{
	return rbac_can_see(who, c->department, c->district);
}

int case_nsteps(const json_t *doc)
{
	size_t n = json_array_size(json_object_get(doc, "steps"));
	return n ? (int)n : 1;
}

void case_step_of(const json_t *doc, int i, char *name, size_t nn, char *role, size_t nr)
{
	const json_t *s = json_array_get(json_object_get(doc, "steps"), (size_t)i);
	const char *n = json_string_value(json_object_get(s, "name"));
	const char *r = json_string_value(json_object_get(s, "role"));
	snprintf(name, nn, "%s", n ? n : "受理");
	snprintf(role, nr, "%s", r ? r : "clerk");
}

int case_item_facts(struct store *st, const struct case_env *env, int64_t version_id, struct case_item_facts *out,
		    struct err *e)
{
	struct catalog_item it;
	size_t i;
	json_t *v;
	if (case_cache_item_get(env->cache, version_id, out))
		return 0;
	if (catalog_item_by_id(st, version_id, &it, e))
		return e->code;
	memset(out, 0, sizeof *out);
	out->id = version_id;
	out->nsteps = case_nsteps(it.doc);
	if (out->nsteps > CASE_MAX_STEPS)
		out->nsteps = CASE_MAX_STEPS;
	for (int s = 0; s < out->nsteps; s++)
		case_step_of(it.doc, s, out->step_name[s], sizeof out->step_name[s], out->step_role[s],
			     sizeof out->step_role[s]);
	json_array_foreach(json_object_get(it.doc, "prerequisites"), i, v)
		if (out->npre < CASE_MAX_PRE)
			snprintf(out->pre[out->npre++], sizeof out->pre[0], "%s", json_string_value(v));
	catalog_item_release(&it);
	case_cache_item_put(env->cache, out);
	return 0;
}

/* ---- the clock ------------------------------------------------------------------ */

int case_facts(struct store *st, const struct case_rec *c, struct cal_pause *buf,
	       struct deadline_facts *f, struct err *e)
{
	size_t n = 0;
	if (st && c->accepted && c->id && store_case_pauses(st, c->id, buf, CASE_MAX_PAUSES, &n, e))
		return e->code;
	*f = (struct deadline_facts){
		.status = c->status, .limit = c->limit,
		.accepted_day = c->accepted ? deadline_day(c->accepted_at) : DEADLINE_NONE,
		.final_day = c->final_at ? deadline_day(c->final_at) : DEADLINE_NONE,
		.pauses = buf, .npauses = n < CASE_MAX_PAUSES ? n : CASE_MAX_PAUSES,
		.receipt_day = c->receipt_day, .receipt_end = c->receipt_end,
		.receipt_late_before = c->receipt_late, .tolerance_days = c->tolerance_days,
		.tolerance_done = c->tolerance_done_at ? deadline_day(c->tolerance_done_at) : DEADLINE_NONE,
	};
	return 0;
}

int case_clock(struct store *st, const struct case_env *env, const struct case_rec *c, int64_t now,
	       struct deadline *out, struct err *e)
{
	struct cal_pause p[CASE_MAX_PAUSES];
	struct deadline_facts f;
	if (case_facts(st, c, p, &f, e))
		return e->code;
	return deadline_case(env->cal, &env->dl, &f, now, out, e);
}

/* The copies kept on the row for filtering (store_case.c's light
** predicates): due and warn days over the closed pauses only, and the day
** an open pause began. */
static int refresh_copies(struct store *st, const struct case_env *env, struct case_rec *c, int64_t now,
			  struct deadline *clock, struct err *e)
{
	struct cal_pause p[CASE_MAX_PAUSES];
	struct deadline_facts f;
	if (case_facts(st, c, p, &f, e))
		return e->code;
	return case_copies(env, c, p, f.npauses, now, clock, e);
}

int case_copies(const struct case_env *env, struct case_rec *c, const struct cal_pause *pauses, size_t n,
		int64_t now, struct deadline *clock, struct err *e)
{
	struct cal_pause p[CASE_MAX_PAUSES];
	struct deadline_facts f;
	struct deadline closed;
	if (n > CASE_MAX_PAUSES)
		n = CASE_MAX_PAUSES;
	if (n)
		memcpy(p, pauses, n * sizeof *p);
	if (case_facts(NULL, c, NULL, &f, e))
		return e->code;
	f.pauses = p;
	f.npauses = n;
	if (deadline_case(env->cal, &env->dl, &f, now, clock, e))
		return e->code;
	c->paused_since = 0;
	size_t k = 0;
	for (size_t i = 0; i < f.npauses; i++) {
		if (p[i].end == DEADLINE_NONE && c->open)
			c->paused_since = p[i].start;
		else
			p[k++] = p[i];
	}
	f.npauses = k;
	if (deadline_case(env->cal, &env->dl, &f, now, &closed, e))
		return e->code;
	c->due_day = closed.due_day;
	c->warn_day = closed.warn_day;
	c->paused_days = closed.paused_workdays;
	return 0;
}

/* ---- THE ONE PATH -------------------------------------------------------------- */

int case_record(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		const struct case_rec *before, const struct deadline *before_clock, struct case_rec *after,
		int action, const char *opinion, json_t *details, struct err *e)
{
	struct deadline clock;
	struct case_snap sb, sa;
	char object[48];
	after->updated_at = now;
	after->open = !case_status_final(after->status);
	if (refresh_copies(st, env, after, now, &clock, e) ||
	    (before->status == CASE_NONE ? store_case_insert(st, after, e) : store_case_update(st, after, e)))
		goto fail;
	struct case_status_row row = {
		.case_id = after->id, .status = after->status, .action = case_action_name(action),
		.step = after->step, .step_name = after->step_name, .at = now, .user_id = who->user_id,
		.username = who->username, .department = who->department, .opinion = opinion,
	};
	if (store_case_status_add(st, &row, e))
		goto fail;
	snap_of(before, before->status ? before_clock : NULL, &sb);
	snap_of(after, &clock, &sa);
	if (notify(st, env, &sb, &sa, now, e))
		goto fail;
	if (!details)
		details = json_object();
	json_object_set_new(details, "number", json_string(after->number));
	json_object_set_new(details, "from", json_integer(before->status));
	json_object_set_new(details, "to", json_integer(after->status));
	if (opinion && *opinion)
		json_object_set_new(details, "opinion", json_string(opinion));
	snprintf(object, sizeof object, "case:%lld", (long long)after->id);
	char verb[48];
	snprintf(verb, sizeof verb, "case.%s", case_action_name(action));
	return audit_write(st, who, now, verb, object, "success", details, e);
fail:
	json_decref(details);
	return e->code ? e->code : ERR_INTERNAL;
}

/* ---- who may act ------------------------------------------------------------------ */

static const char *role_label(const char *role)
{
	if (strcmp(role, "clerk") == 0) return "窗口人员";
	if (strcmp(role, "reviewer") == 0) return "审查人员";
	if (strcmp(role, "head") == 0) return "部门负责人";
	return role;
}

/* Why who may not take action on a case, from the facts that decide it. */
enum refusal { MAY = 0, NOT_DEPARTMENT, NOT_HEAD, NOT_STEP_ROLE, NOT_HANDLER };

static enum refusal refusal(const struct principal *who, const struct case_access *a, int action)
{
	if (who->cli)
		return MAY;
	if (!who->department[0] || strcmp(who->department, a->department) != 0)
		return NOT_DEPARTMENT;
	if (case_action_actor(action) == CASE_ACTOR_HEAD)
		return rbac_has(who, ROLE_HEAD) ? MAY : NOT_HEAD;
	if (action == CASE_A_TRANSFER && rbac_has(who, ROLE_HEAD))
		return MAY;      /* the head reassigns at any step: an absent or disabled handler */
	int by_step = rbac_has(who, rbac_role_bit(a->step_role));
	if (!by_step && case_action_actor(action) == CASE_ACTOR_WINDOW && rbac_has(who, ROLE_CLERK))
		return MAY;      /* the window records the applicant's withdrawal */
	if (!by_step)
		return NOT_STEP_ROLE;
	if (a->handler_id && a->handler_id != who->user_id)
		return NOT_HANDLER;
	return MAY;
}

void case_access_of(const struct case_rec *c, struct case_access *out)
{
	struct case_state s = {c->status, c->accepted, c->step, c->nsteps, c->pre_supplements, c->tolerance_ok};
	memset(out, 0, sizeof *out);
	snprintf(out->department, sizeof out->department, "%s", c->department);
	snprintf(out->district, sizeof out->district, "%s", c->district);
	snprintf(out->step_role, sizeof out->step_role, "%s", c->step_role);
	out->handler_id = c->handler_id;
	out->allowed = case_allowed(&s);
}

unsigned case_my_actions(const struct principal *who, const struct case_access *a)
{
	unsigned mine = 0;
	for (int i = 0; i < CASE_A_COUNT; i++)
		if ((a->allowed & (1u << i)) && refusal(who, a, i) == MAY)
			mine |= 1u << i;
	return mine;
}

static int may_touch(const struct principal *who, const struct case_rec *c, struct err *e)
{
	if (who->cli)
		return 0;
	if (!case_visible(who, c))
		return err_set(e, ERR_NOTFOUND, "id", "办件不存在 (no such case)");
	if (!who->department[0] || strcmp(who->department, c->department) != 0)
		return err_set(e, ERR_FORBIDDEN, "", "只有%s的人员可以办理此办件 (not your department's case)",
			       c->department_name);
	return 0;
}

static int may_act(const struct principal *who, const struct case_rec *c, int action, struct err *e)
{
	struct case_access a;
	case_access_of(c, &a);
	switch (refusal(who, &a, action)) {
	case MAY:
		return 0;
	case NOT_DEPARTMENT:
		return may_touch(who, c, e);
	case NOT_HEAD:
		return err_set(e, ERR_FORBIDDEN, "", "「%s」须由部门负责人办理 (department head only)",
			       case_action_label(action));
	case NOT_STEP_ROLE:
		return err_set(e, ERR_FORBIDDEN, "", "当前环节「%s」由%s办理 (step role %s required)",
			       c->step_name, role_label(c->step_role), c->step_role);
	case NOT_HANDLER:
		return err_set(e, ERR_FORBIDDEN, "", "此办件已转办给%s (transferred to another handler)",
			       c->handler_name);
	}
	return err_set(e, ERR_INTERNAL, "", "unknown refusal");
}

/* ---- arguments of each action -------------------------------------------------------- */

int case_check_text(const char *s, const char *field, struct err *e)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		chars += (*p & 0xc0) != 0x80;
	if (chars > CASE_TEXT_MAX)
		return err_set(e, ERR_INVALID, field, "%s 最多 %d 个字符，收到 %zu 个 (at most %d characters)", field,
			       CASE_TEXT_MAX, chars, CASE_TEXT_MAX);
	return 0;
}

static int need_text(const char *s, const char *field, const char *what, struct err *e)
{
	if (!s || !*s)
		return err_set(e, ERR_INVALID, field, "请填写%s (%s required)", what, field);
	return case_check_text(s, field, e);
}

static int need_materials(const json_t *m, struct err *e)
{
	size_t i;
	const json_t *v;
	if (!json_is_array(m) || json_array_size(m) == 0 || json_array_size(m) > 100)
		return err_set(e, ERR_INVALID, "materials", "请列出材料 (1-100 names)");
	json_array_foreach(m, i, v)
		if (!json_is_string(v) || !json_string_length(v) || json_string_length(v) > 200)
			return err_set(e, ERR_INVALID, "materials", "材料名称须为 1-200 字节的字符串 (item %zu)", i);
	return 0;
}

static const char *const special_kinds[] = {
	"hearing", "tender", "auction", "inspection", "testing", "quarantine", "appraisal", "expert",
	"extension", "other", NULL,
};

static int check_input(const struct case_rec *c, const struct case_input *in, struct err *e)
{
	if (case_check_text(in->opinion, "opinion", e) || case_check_text(in->reason, "reason", e) ||
	    case_check_text(in->result, "result", e))
		return e->code;
	switch (in->action) {
	case CASE_A_REFUSE:
		return need_text(in->opinion, "opinion", "不予受理的理由", e);
	case CASE_A_DENY:
		return need_text(in->opinion, "opinion", "不予许可的理由", e);
	case CASE_A_RETURN:
	case CASE_A_WITHDRAW:
	case CASE_A_REVOKE:
		return need_text(in->opinion, "opinion", "理由", e);
	case CASE_A_APPROVE_TOLERANCE:
		if (!in->materials && (in->materials_days < 0 || in->materials_days > 365))
			return err_set(e, ERR_INVALID, "materials_days", "容缺补交期限为 1-365 个工作日");
		if (!in->materials)       /* the 容缺 list of the acceptance: decision_tolerance */
			return 0;
		/* fall through */
	case CASE_A_SUPPLEMENT:
		if (need_materials(in->materials, e))
			return e->code;
		if (in->materials_days < 0 || in->materials_days > 365)
			return err_set(e, ERR_INVALID, "materials_days", "容缺补交期限为 1-365 个工作日");
		return 0;
	case CASE_A_TRANSFER:
		return need_text(in->to_user, "to_user", "转办对象", e);
	case CASE_A_SPECIAL_START:
		if (in->special_type != 1 && in->special_type != 2)
			return err_set(e, ERR_INVALID, "type", "特别程序类型为 1 (延长审批) 或 2 (其他)");
		if (in->special_limit < 1 || in->special_limit > 365)
			return err_set(e, ERR_INVALID, "limit", "特别程序时限为 1-365 个工作日");
		for (int i = 0; special_kinds[i]; i++)
			if (in->special_kind && strcmp(in->special_kind, special_kinds[i]) == 0)
				return need_text(in->reason, "reason", "特别程序的理由", e);
		return err_set(e, ERR_INVALID, "kind", "特别程序种类: hearing tender auction inspection testing "
			       "quarantine appraisal expert extension other");
	default:
		return 0;
	}
}

/* 转办: the new handler must be an active account of the case's department
** holding the current step's role. */
static int transfer_target(struct store *st, const struct case_rec *c, const char *username, int64_t *id,
			   struct err *e)
{
	struct user u;
	if (store_user_by_name(st, username, &u, e) || !u.active)
		return err_set(e, ERR_INVALID, "to_user", "转办对象不存在或已停用: %s", username);
	if (strcmp(u.department, c->department) != 0 || !(rbac_parse_roles(u.roles) & rbac_role_bit(c->step_role)))
		return err_set(e, ERR_INVALID, "to_user", "转办对象须为本部门的%s: %s", role_label(c->step_role),
			       username);
	*id = u.id;
	return 0;
}

/* Every prerequisite of the pinned version passed (11 or 12) for the project. */
static int prerequisites_passed(struct store *st, const struct case_rec *c, const struct case_item_facts *f,
				struct err *e)
{
	json_t *rows, *r;
	size_t j;
	char missing[300] = "";
	if (!f->npre)
		return 0;
	if (store_project_cases(st, c->project_id, &rows, e))
		return e->code;
	for (int i = 0; i < f->npre; i++) {
		int ok = 0;
		json_array_foreach(rows, j, r) {
			int s = (int)json_integer_value(json_object_get(r, "status"));
			if ((s == CASE_APPROVED || s == CASE_APPROVED_TOL) &&
			    strcmp(json_string_value(json_object_get(r, "item_code")), f->pre[i]) == 0)
				ok = 1;
		}
		if (!ok)
			snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
				 missing[0] ? ", " : "", f->pre[i]);
	}
	json_decref(rows);
	if (missing[0])
		return err_set(e, ERR_CONFLICT, "prerequisites", "前置事项尚未办结，不能作出许可决定: %s "
			       "(prerequisites not passed)", missing);
	return 0;
}

/* A decision and the 容缺 list of the acceptance: 准予许可 needs every
** material of it received; 容缺通过 without materials takes that list. */
static int decision_tolerance(struct store *st, const struct case_rec *c, const struct case_input *in,
			      struct err *e)
{
	int outstanding;
	if (case_tolerance_outstanding(st, c->id, &outstanding, e))
		return e->code;
	if (in->action == CASE_A_APPROVE && outstanding)
		return err_set(e, ERR_CONFLICT, "materials", "容缺材料尚未收齐：请先登记收齐，或作出「容缺通过」"
			       "(容缺 materials outstanding)");
	if (in->action == CASE_A_APPROVE_TOLERANCE && !in->materials && !outstanding)
		return err_set(e, ERR_INVALID, "materials", "请列出后补的材料 (materials required)");
	return 0;
}

/* 补正 names materials of the pinned version's list. */
static int supplement_names(struct store *st, const struct case_rec *c, const struct case_input *in, struct err *e)
{
	struct catalog_item it;
	if (catalog_item_by_id(st, c->item_version_id, &it, e))
		return e->code;
	int rc = case_material_names_known(in->materials, it.doc, "materials", e);
	catalog_item_release(&it);
	return rc;
}

/* ---- side effects of each action ---------------------------------------------------- */

static const char *doc_kind_of(int action)
{
	switch (action) {
	case CASE_A_ACCEPT: return "acceptance";
	case CASE_A_REFUSE: return "refusal";
	case CASE_A_SUPPLEMENT: return "supplement";
	case CASE_A_APPROVE:
	case CASE_A_APPROVE_TOLERANCE: return "approval";
	case CASE_A_DENY: return "denial";
	case CASE_A_SPECIAL_START: return "special";
	default: return NULL;
	}
}

/* Rows beside the case (supplements, special procedures, 容缺) and the
** facts of the receipt clock, before case_record computes the clock. */
static int apply_effects(struct store *st, const struct case_env *env, const struct principal *who,
			 const struct case_rec *before, struct case_rec *c, const struct deadline *before_clock, const struct case_input *in,
			 int64_t now, json_t *details, int *tolerated, struct err *e)
{
	int32_t today = deadline_day(now);
	char *mat = NULL;
	int rc = 0;
	switch (in->action) {
	case CASE_A_ACCEPT:
		c->accepted_at = now;
		c->receipt_end = today;
		c->handler_id = 0;
		rc = case_checklist_gate(st, env, before, in, now, details, tolerated, e);
		break;
	case CASE_A_REFUSE:
		c->receipt_end = today;
		break;
	case CASE_A_SUPPLEMENT:
		if (!before->accepted)
			c->receipt_end = today;
		mat = json_dumps(in->materials, JSON_COMPACT);
		rc = store_case_supplement_open(st, c->id, before->accepted, mat, in->opinion, now, e);
		json_object_set_new(details, "materials", json_deep_copy(in->materials));
		break;
	case CASE_A_SUPPLEMENT_DONE:
		rc = store_case_supplement_close(st, c->id, now, e);
		if (!rc && !before->accepted)
			rc = case_checklist_supplied(st, who, now, c->id, e);
		if (!before->accepted) {      /* a new §32 round */
			c->receipt_late = c->receipt_late || before_clock->receipt_overdue;
			c->receipt_day = today;
			c->receipt_end = DEADLINE_NONE;
		}
		break;
	case CASE_A_NEXT_STEP:
		if (!in->to_user || !*in->to_user)
			c->handler_id = 0;
		break;
	case CASE_A_RETURN:
		c->handler_id = 0;
		break;
	case CASE_A_SPECIAL_START:
		rc = store_case_special_open(st, c->id, in->special_type, in->special_kind, in->reason,
					     in->special_limit, now, e);
		json_object_set_new(details, "special", json_pack("{s:i,s:s,s:i}", "type", in->special_type,
								   "kind", in->special_kind, "limit", in->special_limit));
		break;
	case CASE_A_SPECIAL_END:
		rc = store_case_special_close(st, c->id, now, in->result ? in->result : in->opinion, e);
		break;
	case CASE_A_APPROVE_TOLERANCE: {
		int32_t due;
		size_t i;
		json_t *m;
		c->tolerance_days = in->materials_days ? in->materials_days : env->dl.tolerance_days;
		if (cal_add_workdays(env->cal, today, c->tolerance_days, &due, NULL, e))
			return e->code;
		if (!in->materials)       /* the 容缺 list of the acceptance */
			break;
		json_array_foreach(in->materials, i, m)
			if ((rc = store_case_tolerance_add(st, c->id, json_string_value(m), due, 0, e)))
				break;
		json_object_set_new(details, "materials", json_deep_copy(in->materials));
		break;
	}
	default:
		break;
	}
	free(mat);
	if (rc)
		return rc;
	if (case_status_final(c->status)) {
		c->final_at = now;
		/* a case closed while paused: the pause ends with it */
		if (before->status == CASE_SUPP_START)
			rc = store_case_supplement_close(st, c->id, now, e);
		else if (before->status == CASE_SPECIAL_START)
			rc = store_case_special_close(st, c->id, now, "办件终止", e);
	}
	return rc;
}

/* Move to the FSM's step: name and role from the pinned version. */
static void set_step(struct case_rec *c, const struct case_item_facts *f, int step)
{
	c->step = step;
	snprintf(c->step_name, sizeof c->step_name, "%s", step < f->nsteps ? f->step_name[step] : "受理");
	snprintf(c->step_role, sizeof c->step_role, "%s", step < f->nsteps ? f->step_role[step] : "clerk");
}

/* ---- case_act ------------------------------------------------------------------------ */

int case_act_locked(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		      int64_t id, const struct case_input *in, struct err *e)
{
	struct case_rec before, c;
	struct case_item_facts item;
	struct deadline bclock;
	struct case_state s, next;
	int rc;
	if (store_case_get(st, id, &before, e) || may_touch(who, &before, e))
		return e->code;
	s = (struct case_state){before.status, before.accepted, before.step, before.nsteps,
				before.pre_supplements, before.tolerance_ok};
	if (case_next(&s, in->action, &next, e) || may_act(who, &before, in->action, e) ||
	    check_input(&before, in, e) || case_clock(st, env, &before, now, &bclock, e))
		return e->code;
	/* the pinned version's document: for a new step or the prerequisites */
	int decide = in->action == CASE_A_APPROVE || in->action == CASE_A_APPROVE_TOLERANCE;
	if ((next.step != before.step || decide) && (rc = case_item_facts(st, env, before.item_version_id, &item, e)))
		return rc;
	c = before;
	json_t *details = json_object();
	if (decide && ((rc = prerequisites_passed(st, &before, &item, e)) ||
		       (rc = decision_tolerance(st, &before, in, e))))
		goto out;
	if (in->action == CASE_A_SUPPLEMENT && (rc = supplement_names(st, &before, in, e)))
		goto out;
	if (in->action == CASE_A_TRANSFER) {
		if ((rc = transfer_target(st, &before, in->to_user, &c.handler_id, e)))
			goto out;
		json_object_set_new(details, "to_user", json_string(in->to_user));
	}
	c.status = next.status;
	c.accepted = next.accepted;
	c.pre_supplements = next.pre_supplements;
	if (next.step != before.step)
		set_step(&c, &item, next.step);
	/* 提交下一环节 to a named colleague holding the next step's role */
	if (in->action == CASE_A_NEXT_STEP && in->to_user && *in->to_user) {
		if ((rc = transfer_target(st, &c, in->to_user, &c.handler_id, e)))
			goto out;
		json_object_set_new(details, "to_user", json_string(in->to_user));
	}
	int tolerated = 0;
	if ((rc = apply_effects(st, env, who, &before, &c, &bclock, in, now, details, &tolerated, e)))
		goto out;
	const char *opinion = in->action == CASE_A_SPECIAL_START ? in->reason : in->opinion;
	rc = case_record(st, env, who, now, &before, &bclock, &c, in->action, opinion, details, e);
	details = NULL;
	const char *kind = doc_kind_of(in->action);
	if (!rc && kind)
		rc = case_doc_issue(st, env, who, now, &c, kind, e);
	if (!rc && tolerated)
		rc = case_doc_issue(st, env, who, now, &c, "tolerance", e);
	if (!rc && !c.open)
		rc = case_progress_after(st, env, who, now, &c, e);
out:
	json_decref(details);
	return rc;
}

int case_act(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	     int64_t id, const struct case_input *in, json_t **out, struct err *e)
{
	if (store_begin(st, e))
		return e->code;
	if (case_act_locked(st, env, who, now, id, in, e)) {
		store_rollback(st);
		return e->code;
	}
	if (store_commit(st, e))
		return e->code;
	case_cache_invalidate(env->cache, id);
	return out ? case_get(st, env, who, now, id, out, e) : 0;
}

int case_materials_received(struct store *st, const struct case_env *env, const struct principal *who,
			    int64_t now, int64_t id, struct err *e)
{
	struct case_rec c;
	char object[48];
	if (store_begin(st, e))
		return e->code;
	int rc = store_case_get(st, id, &c, e);
	if (!rc)
		rc = may_touch(who, &c, e);
	int open_tol = 0;
	if (!rc && c.open && c.accepted)
		rc = case_tolerance_outstanding(st, id, &open_tol, e);
	if (!rc && !open_tol && (c.status != CASE_APPROVED_TOL || c.tolerance_done_at))
		rc = err_set(e, ERR_CONFLICT, "action", "只有容缺受理后在办、或「办结(容缺后补通过)」且材料未收齐的办件"
			     "可登记容缺材料 (容缺 materials outstanding only)");
	if (!rc && !who->cli && !rbac_has(who, ROLE_CLERK | ROLE_HEAD))
		rc = err_set(e, ERR_FORBIDDEN, "", "容缺材料由窗口人员或部门负责人登记 (clerk or head)");
	if (!rc) {
		if (!c.open)
			c.tolerance_done_at = now;
		c.updated_at = now;
		snprintf(object, sizeof object, "case:%lld", (long long)id);
		if ((rc = store_case_tolerance_done(st, id, now, e)) == 0 && (rc = store_case_update(st, &c, e)) == 0)
			rc = audit_write(st, who, now, "case.materials_received", object, "success",
					 json_pack("{s:s}", "number", c.number), e);
	}
	if (rc) {
		store_rollback(st);
		return e->code ? e->code : ERR_INTERNAL;
	}
	if (store_commit(st, e))
		return e->code;
	case_cache_invalidate(env->cache, id);
	return 0;
}

int case_handlers(struct store *st, const struct case_env *env, const struct principal *who, int64_t id, int next,
		  json_t **out, struct err *e)
{
	struct case_rec c;
	struct case_item_facts f;
	struct page pg = {1, 200};
	json_t *rows, *r, *users;
	int64_t total;
	size_t i;
	if (store_case_get(st, id, &c, e) || may_touch(who, &c, e))
		return e->code;
	const char *role = c.step_role;
	if (next) {
		if (case_item_facts(st, env, c.item_version_id, &f, e))
			return e->code;
		if (c.step + 1 >= f.nsteps)
			return err_set(e, ERR_CONFLICT, "step", "当前环节已是最后一个环节 (no next step)");
		role = f.step_role[c.step + 1];
	}
	if (store_user_list(st, c.department, role, &pg, &rows, &total, e))
		return e->code;
	users = json_array();
	json_array_foreach(rows, i, r)
		if (json_is_true(json_object_get(r, "active")) || json_integer_value(json_object_get(r, "active")) == 1)
			json_array_append_new(users, json_pack("{s:O,s:O}", "username", json_object_get(r, "username"),
							       "display_name", json_object_get(r, "display_name")));
	json_decref(rows);
	*out = json_pack("{s:s,s:s,s:o}", "role", role, "department", c.department, "users", users);
	return 0;
}

int case_principal_for(struct store *st, const char *username, struct principal *p, struct err *e)
{
	struct user u;
	if (store_user_by_name(st, username, &u, e))
		return err_set(e, ERR_INVALID, "as", "账号不存在: %s", username);
	if (!u.active)
		return err_set(e, ERR_FORBIDDEN, "as", "账号已停用: %s", username);
	org_principal(&u, p);
	snprintf(p->source, sizeof p->source, "cli");
	return 0;
}
