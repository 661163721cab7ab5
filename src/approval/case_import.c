/*
** case_import.c: a 办件 with the history another system recorded
** (case_import.h).
*/
#include "approval/case_import.h"
#include "approval/case_int.h"
#include "approval/project.h"

#include <stdio.h>
#include <string.h>

#define MAX_ROWS 256

/* What the case pins: the item version, the flow version, its stage and line. */
struct pins {
	struct catalog_item item;
	struct catalog_flow flow;
	int stage, limit, rule;
	char side_line[8];
};

static void pins_release(struct pins *p)
{
	catalog_item_release(&p->item);
	catalog_flow_release(&p->flow);
}

static int version_id(struct store *st, int kind, const char *code, const char *version, const char *field,
		      int64_t *id, struct err *e)
{
	json_t *row;
	if (store_catalog_version(st, kind, code ? code : "", version ? version : "", &row, e))
		return e->code == ERR_NOTFOUND
			? err_set(e, ERR_INVALID, field, "%s %s 版本 %s 不在目录中 (not in the catalogue)",
				  kind == CATALOG_ITEMS ? "事项" : "流程", code ? code : "", version ? version : "")
			: e->code;
	*id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	return 0;
}

static int pin(struct store *st, const struct case_import *in, struct pins *p, struct err *e)
{
	static const char *const lines[] = {"51", "52", "53", "54C", "54Y"};
	int64_t item_id, flow_id;
	const char *line[CASE_MAX_LINE];
	memset(p, 0, sizeof *p);
	if (version_id(st, CATALOG_ITEMS, in->item_code, in->item_version, "SPSXBM", &item_id, e) ||
	    version_id(st, CATALOG_FLOWS, in->flow_code, in->flow_version, "SPLCBM", &flow_id, e) ||
	    catalog_item_by_id(st, item_id, &p->item, e) || catalog_flow_by_id(st, flow_id, &p->flow, e))
		return e->code;
	p->stage = case_stage_of_item(p->flow.doc, in->item_code);
	const json_t *def = case_stage_def(p->flow.doc, p->stage);
	if (!p->stage || !def)
		return err_set(e, ERR_INVALID, "SPSXBM", "事项 %s 不在流程 %s %s 的任何阶段中", in->item_code, in->flow_code,
			       in->flow_version);
	p->limit = (int)json_integer_value(json_object_get(def, "limit"));
	p->rule = (int)json_integer_value(json_object_get(def, "completion_rule"));
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		int n = case_line_items(def, lines[i], line, CASE_MAX_LINE);
		for (int k = 0; k < n; k++)
			if (strcmp(line[k], in->item_code) == 0)
				snprintf(p->side_line, sizeof p->side_line, "%s", lines[i]);
	}
	return 0;
}

/* Reach status from *s: an action straight there, or after status-keeping
** steps to the next 环节. *action: the one that reached it. */
static int reach(struct case_state *s, int status, int *action)
{
	struct case_state t;
	struct err fe;
	for (int hop = 0; hop <= s->nsteps + 1; hop++) {
		for (int a = 0; a < CASE_A_COUNT; a++)
			if (!case_next(s, a, &t, &fe) && t.status == status) {
				*s = t;
				*action = a;
				return 0;
			}
		if (case_next(s, CASE_A_NEXT_STEP, &t, &fe) || t.status != s->status)
			return -1;
		*s = t;
	}
	return -1;
}

/* Replay the rows: the case's state, its times and pauses; acts/steps per row. */
static int replay(const struct case_import *in, const struct pins *p, struct case_rec *c, int *acts, int *steps,
		  struct cal_pause *pauses, size_t *np, struct err *e)
{
	struct case_state s = {0, 0, 0, case_nsteps(p->item.doc), 0, p->item.tolerance};
	int64_t paused_at = 0;
	*np = 0;
	for (int i = 0; i < in->nrows; i++) {
		const struct case_import_row *r = &in->rows[i];
		int before = s.status;
		if (i && r->at < in->rows[i - 1].at)
			return err_set(e, ERR_INVALID, "BLSJ", "办件 %s 第 %d 条办理时间早于上一条", in->number, i + 1);
		if (reach(&s, r->status, &acts[i]))
			return err_set(e, ERR_INVALID, "BLZT", "办件 %s 第 %d 条：办理状态 %d 不能接在状态 %d 之后 "
				       "(not a transition the lifecycle allows)", in->number, i + 1, r->status, before);
		steps[i] = s.step;
		if (r->status == CASE_ACCEPTED && !c->accepted_at)
			c->accepted_at = r->at;
		if (s.accepted && (r->status == CASE_SUPP_START || r->status == CASE_SPECIAL_START))
			paused_at = r->at;
		if (paused_at && (r->status == CASE_SUPP_END || r->status == CASE_SPECIAL_END) && *np < CASE_MAX_PAUSES) {
			pauses[(*np)++] = (struct cal_pause){deadline_day(paused_at), deadline_day(r->at)};
			paused_at = 0;
		}
		if (case_status_final(s.status))
			c->final_at = r->at;
	}
	if (paused_at && *np < CASE_MAX_PAUSES && !case_status_final(s.status))
		pauses[(*np)++] = (struct cal_pause){deadline_day(paused_at), DEADLINE_NONE};
	c->status = s.status;
	c->accepted = s.accepted;
	c->step = s.step;
	c->nsteps = s.nsteps;
	c->pre_supplements = s.pre_supplements;
	c->open = !case_status_final(s.status);
	return 0;
}

static int open_instance(struct store *st, const struct case_import *in, const struct pins *p,
			 const struct case_rec *c, int64_t *id, struct err *e)
{
	struct case_instance n = {0};
	if (in->instance_id) {
		*id = in->instance_id;
		return 0;
	}
	if (store_instance_next_id(st, &n.id, e))
		return e->code;
	snprintf(n.number, sizeof n.number, "%s", in->instance_number && *in->instance_number ? in->instance_number
											  : in->number);
	n.project_id = c->project_id;
	n.flow_id = p->flow.id;
	n.stage = p->stage;
	snprintf(n.side_line, sizeof n.side_line, "%s", p->side_line);
	n.ncases = in->instance_cases > 0 ? in->instance_cases : 1;
	n.applied_at = c->received_at;
	snprintf(n.applied_by, sizeof n.applied_by, "import");
	snprintf(n.applied_department, sizeof n.applied_department, "%s", c->department);
	*id = n.id;
	return store_instance_insert(st, &n, e);
}

/* The status rows (the action that reached each), documents and special procedures. */
static int write_history(struct store *st, const struct case_import *in, const struct pins *p,
			 const struct case_rec *c, const int *acts, const int *steps, struct err *e)
{
	char name[96], role[16];
	for (int i = 0; i < in->nrows; i++) {
		const struct case_import_row *r = &in->rows[i];
		case_step_of(p->item.doc, steps[i], name, sizeof name, role, sizeof role);
		struct case_status_row row = {
			.case_id = c->id, .status = r->status, .action = case_action_name(acts[i]), .step = steps[i],
			.step_name = name, .at = r->at, .username = r->handler ? r->handler : "",
			.department = c->department, .opinion = r->opinion ? r->opinion : "",
		};
		if (store_case_status_add(st, &row, e))
			return e->code;
	}
	for (int i = 0; i < in->ndocs; i++) {
		struct case_doc_row d = {c->id, in->docs[i].issued_at, "approval", in->docs[i].number, "import"};
		if (store_case_doc_add_many(st, &d, 1, e))
			return e->code;
	}
	for (int i = 0; i < in->nspecials; i++) {
		const struct case_import_special *x = &in->specials[i];
		int64_t end = 0;
		for (int k = 0; k < in->nrows && !end; k++)
			if (in->rows[k].status == CASE_SPECIAL_END && in->rows[k].at >= x->start_at)
				end = in->rows[k].at;
		if (store_case_special_add(st, c->id, x->type == 1 ? 1 : 2, "other", x->name ? x->name : "", x->limit,
					   x->start_at, end, "", e))
			return e->code;
	}
	return 0;
}

/* The project's stage and progress, and the department's link to it. */
static int project_side(struct store *st, const struct pins *p, const struct case_rec *c, struct err *e)
{
	struct case_progress g;
	if (store_stage_start(st, c->project_id, p->stage, p->limit, p->rule, c->received_at, e) ||
	    project_link_department(st, c->project_id, c->department, e))
		return e->code;
	int rc = store_progress_get(st, c->project_id, &g, e);
	if (rc == ERR_NOTFOUND) {
		g = (struct case_progress){c->project_id, p->flow.id, p->stage, c->received_at, 0};
		return store_progress_put(st, &g, e);
	}
	if (rc || g.current_stage >= p->stage)
		return rc;
	g.current_stage = p->stage;
	return store_progress_put(st, &g, e);
}

static int build(struct store *st, const struct case_env *env, const struct case_import *in, const struct pins *p,
		 int64_t now, struct case_rec *c, int *acts, int *steps, struct err *e)
{
	struct project pr;
	struct cal_pause pauses[CASE_MAX_PAUSES];
	struct deadline clock;
	size_t np;
	memset(c, 0, sizeof *c);
	if (project_lookup(st, in->project_id, &pr, e))
		return e->code;
	snprintf(c->number, sizeof c->number, "%s", in->number);
	c->project_id = pr.id;
	c->item_version_id = p->item.id;
	snprintf(c->item_code, sizeof c->item_code, "%s", p->item.code);
	c->stage = p->stage;
	snprintf(c->side_line, sizeof c->side_line, "%s", p->side_line);
	c->flow_type = pr.flow_type;
	snprintf(c->department, sizeof c->department, "%s", in->department && *in->department ? in->department
											     : p->item.department);
	snprintf(c->district, sizeof c->district, "%s", pr.division);
	c->tolerance_ok = p->item.tolerance;
	c->limit = p->item.promised_limit;
	c->received_at = in->rows[0].at;
	c->updated_at = in->rows[in->nrows - 1].at;
	if (replay(in, p, c, acts, steps, pauses, &np, e))
		return e->code;
	case_step_of(p->item.doc, c->step, c->step_name, sizeof c->step_name, c->step_role, sizeof c->step_role);
	return case_copies(env, c, pauses, np, now, &clock, e);
}

int case_import(struct store *st, const struct case_env *env, const struct case_import *in, int64_t now,
		int64_t *case_id, int64_t *instance_id, struct err *e)
{
	struct pins p;
	struct case_rec c;
	int acts[MAX_ROWS], steps[MAX_ROWS];
	if (in->nrows < 1 || in->nrows > MAX_ROWS)
		return err_set(e, ERR_INVALID, "BLZT", "办件 %s 有 %d 条办理记录（应为 1–%d 条）", in->number, in->nrows,
			       MAX_ROWS);
	int rc = pin(st, in, &p, e);
	if (!rc)
		rc = build(st, env, in, &p, now, &c, acts, steps, e);
	if (!rc)
		rc = open_instance(st, in, &p, &c, &c.instance_id, e);
	if (!rc)
		rc = store_case_next_id(st, &c.id, e);
	if (!rc)
		rc = store_case_insert(st, &c, e);
	if (!rc)
		rc = write_history(st, in, &p, &c, acts, steps, e);
	if (!rc)
		rc = project_side(st, &p, &c, e);
	if (!rc) {
		*case_id = c.id;
		*instance_id = c.instance_id;
	}
	pins_release(&p);
	return rc;
}
