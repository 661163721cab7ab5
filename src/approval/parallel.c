/*
** parallel.c: stage applications (并联审批) and what happens when a case
** ends: its instance closes (联合验收 54Y gets one combined result and one
** document), its stage completes by the rule LCBSXLX and the project moves
** to the next stage. See case.h for the rules; every case opened here is
** received through case_record like any other change.
*/
#include "approval/case_int.h"
#include "approval/project.h"
#include "org/audit.h"
#include "store/store_org.h"

#include <stdio.h>
#include <string.h>

#define MAX_LINE CASE_MAX_LINE

/* ---- the flow's stage ------------------------------------------------------------- */

const json_t *case_stage_def(const json_t *flow_doc, int number)
{
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(flow_doc, "stages"), i, s)
		if (json_integer_value(json_object_get(s, "number")) == number)
			return s;
	return NULL;
}

/* Items of a line: one side line, or the main line with the side lines but 54Y. */
int case_line_items(const json_t *stage, const char *side_line, const char **out, int max)
{
	int n = 0;
	size_t i, j;
	const json_t *v, *sl;
	if (!side_line || !*side_line)
		json_array_foreach(json_object_get(stage, "items"), i, v)
			if (n < max)
				out[n++] = json_string_value(v);
	json_array_foreach(json_object_get(stage, "side_lines"), i, sl) {
		const char *code = json_string_value(json_object_get(sl, "code"));
		int take = side_line && *side_line ? strcmp(code, side_line) == 0 : strcmp(code, "54Y") != 0;
		if (take)
			json_array_foreach(json_object_get(sl, "items"), j, v)
				if (n < max)
					out[n++] = json_string_value(v);
	}
	return n;
}

static int has_side_line(const json_t *stage, const char *code)
{
	size_t i;
	const json_t *sl;
	json_array_foreach(json_object_get(stage, "side_lines"), i, sl)
		if (strcmp(json_string_value(json_object_get(sl, "code")), code) == 0)
			return 1;
	return 0;
}

/* Stage number that lists item code in the flow, 0 when none. */
int case_stage_of_item(const json_t *flow_doc, const char *code)
{
	size_t i;
	const json_t *s;
	const char *line[MAX_LINE];
	json_array_foreach(json_object_get(flow_doc, "stages"), i, s) {
		int n = case_line_items(s, NULL, line, MAX_LINE);
		n += case_line_items(s, "54Y", line + n, MAX_LINE - n);
		for (int k = 0; k < n; k++)
			if (strcmp(line[k], code) == 0)
				return (int)json_integer_value(json_object_get(s, "number"));
	}
	return 0;
}

/* ---- the project's cases ------------------------------------------------------------- */

enum { HAS_NONE = 0, HAS_RUNNING = 1, HAS_PASSED = 2 };

/* The best a project has of item code: passed, running, or none. */
static int item_state(const json_t *cases, const char *code)
{
	size_t i;
	const json_t *r;
	int best = HAS_NONE;
	json_array_foreach(cases, i, r) {
		if (strcmp(json_string_value(json_object_get(r, "item_code")), code) != 0)
			continue;
		int s = (int)json_integer_value(json_object_get(r, "status"));
		if (s == CASE_APPROVED || s == CASE_APPROVED_TOL)
			return HAS_PASSED;
		if (!case_status_final(s))
			best = HAS_RUNNING;
	}
	return best;
}

static int chosen(const struct case_application *a, const char *code)
{
	for (size_t i = 0; i < a->nitems; i++)
		if (strcmp(a->items[i], code) == 0)
			return 1;
	return 0;
}

static void append(char *buf, size_t n, const char *s)
{
	size_t used = strlen(buf);
	snprintf(buf + used, n - used, "%s%s", used ? ", " : "", s);
}

/* ---- checks of an application -------------------------------------------------------- */

static int check_items(const struct case_application *a, const char **line, int nline, struct err *e)
{
	if (a->nitems == 0 || a->nitems > MAX_LINE)
		return err_set(e, ERR_INVALID, "items", "请选择申报事项 (1-%d items)", MAX_LINE);
	for (size_t i = 0; i < a->nitems; i++) {
		int found = 0;
		for (int k = 0; k < nline; k++)
			found |= strcmp(line[k], a->items[i]) == 0;
		if (!found)
			return err_set(e, ERR_INVALID, "items", "事项 %s 不属于本阶段%s (item not in this stage/line)",
				       a->items[i], a->side_line && *a->side_line ? "的此辅线" : "");
		for (size_t j = 0; j < i; j++)
			if (strcmp(a->items[i], a->items[j]) == 0)
				return err_set(e, ERR_INVALID, "items", "事项重复: %s", a->items[i]);
	}
	const char *code;
	json_t *v;
	if (a->materials && !json_is_object(a->materials))
		return err_set(e, ERR_INVALID, "materials", "须为对象 {事项编码: [收到的材料名称]}");
	json_object_foreach((json_t *)a->materials, code, v) {
		int found = 0;
		for (size_t i = 0; i < a->nitems; i++)
			found |= strcmp(code, a->items[i]) == 0;
		if (!found)
			return err_set(e, ERR_INVALID, "materials", "事项 %s 不在本次申报中 (not an item applied for)", code);
	}
	return 0;
}

/* Milestones of the line present or already running/passed; nothing
** chosen already running or passed. */
static int check_milestones(struct store *st, const struct case_application *a, const char **line, int nline,
			    const json_t *cases, const char *today, struct err *e)
{
	char missing[400] = "";
	for (size_t i = 0; i < a->nitems; i++)
		if (item_state(cases, a->items[i]) != HAS_NONE)
			return err_set(e, ERR_CONFLICT, "items", "事项 %s 已在办或已办结 (already running or passed)",
				       a->items[i]);
	for (int k = 0; k < nline; k++) {
		int milestone;
		if (chosen(a, line[k]) || item_state(cases, line[k]) != HAS_NONE)
			continue;
		if (store_case_item_milestone(st, line[k], today, &milestone, e))
			return e->code;
		if (milestone)
			append(missing, sizeof missing, line[k]);
	}
	if (missing[0])
		return err_set(e, ERR_INVALID, "items", "里程碑事项必须申报: %s (milestone items required)", missing);
	return 0;
}

/* Prerequisites: of another stage passed; of this stage passed, running or
** in this application. */
static int check_prerequisites(const struct case_application *a, const struct catalog_item *items,
			       const json_t *flow_doc, const json_t *cases, struct err *e)
{
	char missing[400] = "";
	size_t i, j;
	const json_t *pre;
	for (i = 0; i < a->nitems; i++)
		json_array_foreach(json_object_get(items[i].doc, "prerequisites"), j, pre) {
			const char *code = json_string_value(pre);
			int state = item_state(cases, code);
			int same = case_stage_of_item(flow_doc, code) == a->stage;
			if (state == HAS_PASSED || (same && (state == HAS_RUNNING || chosen(a, code))))
				continue;
			if (!strstr(missing, code))
				append(missing, sizeof missing, code);
		}
	if (missing[0])
		return err_set(e, ERR_CONFLICT, "prerequisites", "前置事项尚未办结: %s (prerequisites not passed)",
			       missing);
	return 0;
}

/* A department that is disabled (停用) receives no new application. */
static int check_departments(struct store *st, const struct case_application *a,
			     const struct catalog_item *items, struct err *e)
{
	for (size_t i = 0; i < a->nitems; i++)
		if (store_department_inactive(st, items[i].department))
			return err_set(e, ERR_CONFLICT, "items", "事项 %s 的办理部门 %s 已停用，不能申报 "
				       "(department %s is disabled)", items[i].code, items[i].department,
				       items[i].department);
	return 0;
}

/* ---- opening the instance and its cases ---------------------------------------------- */

static int open_case(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		     const struct project *p, const struct case_instance *in, const struct catalog_item *it,
		     int index, const struct case_application *a, json_t *out, struct err *e)
{
	const char *opinion = a->opinion;
	char field[64];
	struct case_rec before = {0}, c = {0};
	struct case_state s0 = {0, 0, 0, 1, 0, 0}, s1;
	if (case_next(&s0, CASE_A_RECEIVE, &s1, e))
		return e->code;
	snprintf(c.number, sizeof c.number, "%s%02d", in->number, index + 1);
	c.instance_id = in->id;
	c.project_id = p->id;
	c.item_version_id = it->id;
	snprintf(c.item_code, sizeof c.item_code, "%s", it->code);
	c.stage = in->stage;
	snprintf(c.side_line, sizeof c.side_line, "%s", in->side_line);
	c.flow_type = p->flow_type;
	snprintf(c.department, sizeof c.department, "%s", it->department);
	snprintf(c.district, sizeof c.district, "%s", p->division);
	c.status = s1.status;
	c.nsteps = case_nsteps(it->doc);
	case_step_of(it->doc, 0, c.step_name, sizeof c.step_name, c.step_role, sizeof c.step_role);
	c.tolerance_ok = it->tolerance;
	c.limit = it->promised_limit;
	c.received_at = now;
	c.receipt_day = deadline_day(now);
	if (project_link_department(st, p->id, it->department, e) ||
	    case_record(st, env, who, now, &before, NULL, &c, CASE_A_RECEIVE, opinion,
			json_pack("{s:s,s:s}", "instance", in->number, "item", it->code), e))
		return e->code;
	/* the checklist ticked at 收件, then the 收件回执 that lists it */
	snprintf(field, sizeof field, "materials.%s", it->code);
	if (a->materials && case_checklist_put(st, who, now, c.id, it->doc, json_object_get(a->materials, it->code),
					       field, e))
		return e->code;
	if (case_doc_issue(st, env, who, now, &c, "receipt", e))
		return e->code;
	json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)c.id, "number", c.number,
					     "item_code", it->code, "item_name", it->name,
					     "department", it->department));
	return 0;
}

static int open_instance(struct store *st, const struct principal *who, int64_t now, const struct project *p,
			 int64_t flow_id, const struct case_application *a, struct case_instance *in,
			 struct err *e)
{
	char ymd[CAL_DATE_LEN];
	memset(in, 0, sizeof *in);
	if (store_instance_next_id(st, &in->id, e))
		return e->code;
	case_date(now, ymd);
	/* BLSPSLBM: division, date, instance id */
	snprintf(in->number, sizeof in->number, "%s%.4s%.2s%.2s%08lld", p->division, ymd, ymd + 5, ymd + 8,
		 (long long)in->id);
	in->project_id = p->id;
	in->flow_id = flow_id;
	in->stage = a->stage;
	snprintf(in->side_line, sizeof in->side_line, "%s", a->side_line ? a->side_line : "");
	in->ncases = (int)a->nitems;
	in->applied_at = now;
	snprintf(in->applied_by, sizeof in->applied_by, "%s", who->username);
	snprintf(in->applied_department, sizeof in->applied_department, "%s", who->department);
	return store_instance_insert(st, in, e);
}

/* The flow the project follows: pinned at its first application. */
static int project_flow(struct store *st, const struct project *p, int64_t now, const char *today,
			struct case_progress *prog, struct catalog_flow *flow, struct err *e)
{
	int rc = store_progress_get(st, p->id, prog, e);
	if (rc == 0)
		return catalog_flow_by_id(st, prog->flow_id, flow, e);
	if (rc != ERR_NOTFOUND)
		return rc;
	if (catalog_flow_at(st, p->flow_code, today, flow, e))
		return err_set(e, ERR_CONFLICT, "flow", "项目的审批流程 %s 在 %s 无有效版本", p->flow_code, today);
	*prog = (struct case_progress){.project_id = p->id, .flow_id = flow->id, .current_stage = 1,
				       .started_at = now};
	return store_progress_put(st, prog, e);
}

static int apply_locked(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
			int64_t project_id, const struct case_application *a, json_t *cases_out,
			struct case_instance *in, struct err *e)
{
	struct project p;
	struct case_progress prog;
	struct catalog_flow flow = {0};
	struct catalog_item items[MAX_LINE];
	const char *line[MAX_LINE];
	json_t *cases = NULL;
	char today[CAL_DATE_LEN];
	size_t loaded = 0;
	int rc;
	case_date(now, today);
	if (project_lookup(st, project_id, &p, e))
		return e->code;
	if (!who->cli && !project_visible(st, who, project_id))
		return err_set(e, ERR_NOTFOUND, "id", "项目不存在");
	if ((rc = project_flow(st, &p, now, today, &prog, &flow, e)))
		return rc;
	const json_t *stage = case_stage_def(flow.doc, a->stage);
	const char *sl = a->side_line && *a->side_line ? a->side_line : NULL;
	if (!stage)
		rc = err_set(e, ERR_INVALID, "stage", "审批流程 %s 没有第 %d 阶段", flow.code, a->stage);
	else if (sl && !has_side_line(stage, sl))
		rc = err_set(e, ERR_INVALID, "side_line", "本阶段没有辅线 %s", sl);
	else if (a->stage <= 4 && a->stage > prog.current_stage)
		rc = err_set(e, ERR_CONFLICT, "stage", "前一阶段尚未完成，当前阶段为第 %d 阶段 (earlier stage not "
			     "complete)", prog.current_stage);
	if (rc)
		goto out;
	int nline = case_line_items(stage, sl, line, MAX_LINE);
	if ((rc = case_check_text(a->opinion, "opinion", e)) || (rc = check_items(a, line, nline, e)) || (rc = store_project_cases(st, p.id, &cases, e)) ||
	    (rc = check_milestones(st, a, line, nline, cases, today, e)))
		goto out;
	for (; loaded < a->nitems; loaded++)
		if ((rc = catalog_item_at(st, a->items[loaded], today, &items[loaded], e)))
			goto out;
	if ((rc = check_departments(st, a, items, e)) || (rc = check_prerequisites(a, items, flow.doc, cases, e)) ||
	    (rc = open_instance(st, who, now, &p, flow.id, a, in, e)) ||
	    (rc = store_stage_start(st, p.id, a->stage,
				    (int)json_integer_value(json_object_get(stage, "limit")),
				    (int)json_integer_value(json_object_get(stage, "completion_rule")), now, e)))
		goto out;
	for (size_t i = 0; i < a->nitems && !rc; i++)
		rc = open_case(st, env, who, now, &p, in, &items[i], (int)i, a, cases_out, e);
out:
	for (size_t i = 0; i < loaded; i++)
		catalog_item_release(&items[i]);
	catalog_flow_release(&flow);
	json_decref(cases);
	return rc;
}

int case_apply_locked(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		      int64_t project_id, const struct case_application *a, json_t **out, struct err *e)
{
	struct case_instance in;
	json_t *cases = json_array();
	int rc;
	if (!who->cli && !rbac_has(who, ROLE_CLERK | ROLE_HEAD))
		rc = err_set(e, ERR_FORBIDDEN, "", "只有窗口人员或部门负责人可以申报 (clerk or head only)");
	else if (a->nitems > CASE_APPLY_MAX)
		rc = err_set(e, ERR_INVALID, "items", "最多 %d 个事项 (at most %d items)", CASE_APPLY_MAX, CASE_APPLY_MAX);
	else
		rc = apply_locked(st, env, who, now, project_id, a, cases, &in, e);
	if (rc) {
		json_decref(cases);
		return rc;
	}
	*out = json_pack("{s:{s:I,s:s,s:i,s:s},s:o}", "instance", "id", (json_int_t)in.id, "number", in.number,
			 "stage", in.stage, "side_line", in.side_line, "cases", cases);
	return 0;
}

int case_apply(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	       int64_t project_id, const struct case_application *a, json_t **out, struct err *e)
{
	json_t *answer = NULL;
	if (store_begin(st, e))
		return e->code;
	if (case_apply_locked(st, env, who, now, project_id, a, &answer, e)) {
		store_rollback(st);
		json_decref(answer);
		return e->code;
	}
	if (store_commit(st, e)) {              /* rolled back by store_commit */
		json_decref(answer);
		return e->code;
	}
	*out = answer;
	return 0;
}

/* ---- when a case ends -------------------------------------------------------------------- */

static int close_instance(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
			  const struct case_rec *c,
			  struct case_instance *in, struct err *e)
{
	int open, passed, all;
	if (store_instance_get(st, c->instance_id, in, e) ||
	    store_instance_tally(st, c->instance_id, &open, &passed, &all, e))
		return e->code;
	if (open || in->closed_at)
		return 0;
	int joint = strcmp(in->side_line, "54Y") == 0;
	in->result = joint ? (passed == all ? CASE_APPROVED : CASE_DENIED) : 0;
	in->closed_at = now;
	if (store_instance_close(st, in->id, now, in->result, e))
		return e->code;
	return joint ? case_doc_issue(st, env, who, now, c, "joint", e) : 0;
}

/* LCBSXLX: 1 every milestone item of the stage passed, 2 any one passed. */
static int stage_done(struct store *st, int64_t flow_id, int stage, const json_t *cases, const char *today,
		      int *done, struct err *e)
{
	json_t *codes, *v;
	size_t k;
	int rule = 1, any = 0, all = 1, rc = 0;
	if (store_case_stage_items(st, flow_id, stage, &rule, &codes, e))
		return e->code == ERR_NOTFOUND ? 0 : e->code;
	json_array_foreach(codes, k, v) {
		const char *code = json_string_value(v);
		int passed = item_state(cases, code) == HAS_PASSED, milestone;
		any |= passed;
		if (rule == 2 || passed)
			continue;
		if ((rc = store_case_item_milestone(st, code, today, &milestone, e)))
			break;
		if (milestone)
			all = 0;
	}
	json_decref(codes);
	*done = rc ? 0 : rule == 2 ? any : all;
	return rc;
}

static int complete_stage(struct store *st, const struct principal *who, int64_t now, const struct case_rec *c,
			  const struct case_instance *in, struct err *e)
{
	struct case_progress prog;
	json_t *cases = NULL;
	char today[CAL_DATE_LEN], object[48];
	int done = 0, rc;
	case_date(now, today);
	if ((rc = store_project_cases(st, c->project_id, &cases, e)) ||
	    (rc = stage_done(st, in->flow_id, c->stage, cases, today, &done, e)) || !done)
		goto out;
	if ((rc = store_stage_complete(st, c->project_id, c->stage, now, e)) ||
	    (rc = store_progress_get(st, c->project_id, &prog, e)))
		goto out;
	if (c->stage <= 4 && prog.current_stage == c->stage) {
		if (c->stage < 4)
			prog.current_stage = c->stage + 1;
		else if (!prog.finished_at)
			prog.finished_at = now;
		snprintf(object, sizeof object, "project:%lld", (long long)c->project_id);
		if ((rc = store_progress_put(st, &prog, e)) == 0)
			rc = audit_write(st, who, now, "case.stage_complete", object, "success",
					 json_pack("{s:i,s:i,s:b}", "stage", c->stage, "current_stage", prog.current_stage,
						   "finished", prog.finished_at != 0), e);
		if (rc)
			rc = e->code ? e->code : ERR_INTERNAL;
	}
out:
	json_decref(cases);
	return rc;
}

int case_progress_after(struct store *st, const struct case_env *env, const struct principal *who,
			int64_t now, const struct case_rec *c, struct err *e)
{
	struct case_instance in;
	if (close_instance(st, env, who, now, c, &in, e))
		return e->code;
	if (c->status != CASE_APPROVED && c->status != CASE_APPROVED_TOL)
		return 0;
	return complete_stage(st, who, now, c, &in, e);
}
