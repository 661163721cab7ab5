/*
** case_read.c: what the API and the CLI show of cases: one case (summary for
** lists, detail with history), lists with filters and paging, 待办 and 已办,
** a project's timeline, the body of a 409. Every clock shown comes from
** case_clock → deadline_case; nothing here computes a date.
*/
#include "approval/case_int.h"
#include "approval/project.h"

#include <stdio.h>
#include <string.h>

/* ---- one case ------------------------------------------------------------------------ */

/* Merge every key of src into dst (src released). */
static void merge(json_t *dst, json_t *src)
{
	json_object_update(dst, src);
	json_decref(src);
}

static json_t *case_json(const struct case_rec *c, const struct deadline *d)
{
	json_t *o = json_pack("{s:I,s:s,s:{s:I,s:s},s:{s:I,s:s,s:s},s:{s:I,s:s,s:s,s:s,s:i},s:i,s:s,s:{s:s,s:s},s:s}",
		"id", (json_int_t)c->id, "number", c->number,
		"instance", "id", (json_int_t)c->instance_id, "number", c->instance_number,
		"project", "id", (json_int_t)c->project_id, "code", c->project_code, "name", c->project_name,
		"item", "version_id", (json_int_t)c->item_version_id, "code", c->item_code, "name", c->item_name,
		"version", c->item_version, "limit", c->limit,
		"stage", c->stage, "side_line", c->side_line,
		"department", "code", c->department, "name", c->department_name,
		"district", c->district);
	json_object_set_new(o, "step", c->open ? json_pack("{s:i,s:i,s:s,s:s}", "index", c->step, "count", c->nsteps,
							    "name", c->step_name, "role", c->step_role) : json_null());
	json_object_set_new(o, "handler", c->handler_id ? json_string(c->handler_name) : json_null());
	json_object_set_new(o, "received_at", case_time_json(c->received_at));
	json_object_set_new(o, "accepted_at", case_time_json(c->accepted_at));
	json_object_set_new(o, "final_at", case_time_json(c->final_at));
	merge(o, deadline_json(d));
	return o;
}

static json_t *allowed_json(const struct case_rec *c)
{
	struct case_state s = {c->status, c->accepted, c->step, c->nsteps, c->pre_supplements, c->tolerance_ok};
	unsigned mask = case_allowed(&s);
	json_t *a = json_array();
	for (int i = 0; i < CASE_A_COUNT; i++)
		if (mask & (1u << i))
			json_array_append_new(a, json_string(case_action_name(i)));
	return a;
}

/* at → ISO, status → {code, name}, in every row of a history. */
static void dress_history(json_t *rows)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		int s = (int)json_integer_value(json_object_get(r, "status"));
		json_object_set_new(r, "status", json_pack("{s:i,s:s}", "code", s, "name", case_status_name(s)));
		json_object_set_new(r, "at", case_time_json(json_integer_value(json_object_get(r, "at"))));
	}
}

static void dress_times(json_t *rows, const char *const *keys)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		for (int k = 0; keys[k]; k++) {
			json_t *v = json_object_get(r, keys[k]);
			if (json_is_integer(v))
				json_object_set_new(r, keys[k], case_time_json(json_integer_value(v)));
		}
}

static void dress_days(json_t *rows, const char *key)
{
	size_t i;
	json_t *r;
	char buf[CAL_DATE_LEN];
	json_array_foreach(rows, i, r) {
		cal_date_format((int32_t)json_integer_value(json_object_get(r, key)), buf);
		json_object_set_new(r, key, json_string(buf));
	}
}

static int detail_parts(struct store *st, const struct case_rec *c, json_t *o, struct err *e)
{
	static const char *const t_sup[] = {"start_at", "end_at", NULL};
	static const char *const t_doc[] = {"issued_at", NULL};
	static const char *const t_tol[] = {"received_at", NULL};
	json_t *hist, *sup, *spe, *tol, *docs;
	if (store_case_history(st, c->id, &hist, e))
		return e->code;
	dress_history(hist);
	json_object_set_new(o, "history", hist);
	if (store_case_supplements(st, c->id, &sup, e))
		return e->code;
	size_t i;
	json_t *r;
	json_array_foreach(sup, i, r) {   /* materials are stored as JSON text */
		json_t *m = json_loads(json_string_value(json_object_get(r, "materials")), 0, NULL);
		json_object_set_new(r, "materials", m ? m : json_array());
		json_object_set_new(r, "after_acceptance", json_boolean(json_integer_value(
			json_object_get(r, "after_acceptance"))));
	}
	dress_times(sup, t_sup);
	json_object_set_new(o, "supplements", sup);
	if (store_case_specials(st, c->id, &spe, e))
		return e->code;
	dress_times(spe, t_sup);
	json_object_set_new(o, "specials", spe);
	if (store_case_tolerance(st, c->id, &tol, e))
		return e->code;
	dress_days(tol, "due_day");
	dress_times(tol, t_tol);
	json_object_set_new(o, "tolerance_materials", tol);
	if (store_case_documents(st, c->id, &docs, e))
		return e->code;
	dress_times(docs, t_doc);
	json_object_set_new(o, "documents", docs);
	return 0;
}

int case_get(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	     int64_t id, json_t **out, struct err *e)
{
	struct case_rec c;
	struct deadline d;
	if (store_case_get(st, id, &c, e))
		return e->code;
	if (!case_visible(who, &c))
		return err_set(e, ERR_NOTFOUND, "id", "办件不存在 (no such case)");
	if (case_clock(st, env, &c, now, &d, e))
		return e->code;
	json_t *o = case_json(&c, &d);
	json_object_set_new(o, "allowed_actions", allowed_json(&c));
	if (detail_parts(st, &c, o, e)) {
		json_decref(o);
		return e->code;
	}
	*out = o;
	return 0;
}

json_t *case_conflict_json(struct store *st, int64_t id, const struct err *e)
{
	struct case_rec c;
	struct err e2;
	json_t *body = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", err_name(e->code), "field", e->field,
				 "message", e->msg);
	if (strcmp(e->field, "action") != 0 || store_case_get(st, id, &c, &e2) != 0)
		return body;
	json_t *err = json_object_get(body, "error");
	json_object_set_new(err, "state", json_pack("{s:i,s:s}", "code", c.status, "name", case_status_name(c.status)));
	json_object_set_new(err, "allowed_actions", allowed_json(&c));
	return body;
}

/* ---- lists ------------------------------------------------------------------------------- */

static void scope_filter(const struct principal *who, struct case_filter *f)
{
	f->all = rbac_city_wide(who);
	if (!f->all && (who->roles & (ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD))) {
		if (who->department[0])
			f->scope_department = who->department;
		else
			f->scope_district = who->district;
	} else if (!f->all) {
		f->scope_district = "-";          /* sees nothing */
	}
}

static int page_of(struct store *st, const struct case_env *env, int64_t now, const struct case_filter *f,
		   const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	int64_t ids[200];
	int n = 0;
	struct page p = *pg;
	if (p.page_size > 200)
		p.page_size = 200;
	if (store_case_find(st, f, &p, ids, &n, total, e))
		return e->code;
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		struct case_rec c;
		struct deadline d;
		if (store_case_get(st, ids[i], &c, e) || case_clock(st, env, &c, now, &d, e)) {
			json_decref(arr);
			return e->code;
		}
		json_array_append_new(arr, case_json(&c, &d));
	}
	*items = arr;
	return 0;
}

static int day_bound(const char *s, const char *field, int next, int64_t *out, struct err *e)
{
	int32_t d;
	if (!s)
		return 0;
	if (cal_date_parse(s, &d, e))
		return err_set(e, ERR_INVALID, field, "日期格式为 YYYY-MM-DD: %s", s);
	*out = ((int64_t)d + next) * 86400 - 8 * 3600;
	return 0;
}

int case_list(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	      const struct case_query *q, const struct page *pg, json_t **items, int64_t *total,
	      struct err *e)
{
	struct case_filter f = {.district = q->district, .department = q->department, .item = q->item,
				.q = q->q, .stage = q->stage, .status = q->status, .open = -1,
				.light = q->light, .today = deadline_day(now), .sort = q->sort, .desc = q->desc};
	scope_filter(who, &f);
	if (day_bound(q->from, "from", 0, &f.from, e) || day_bound(q->to, "to", 1, &f.to, e))
		return e->code;
	return page_of(st, env, now, &f, pg, items, total, e);
}

int case_todo(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	      const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	char roles[64];
	snprintf(roles, sizeof roles, ",%s%s%s", who->roles & ROLE_CLERK ? "clerk," : "",
		 who->roles & ROLE_REVIEWER ? "reviewer," : "", who->roles & ROLE_HEAD ? "head," : "");
	struct case_filter f = {.open = 1, .light = -1, .sort = "due", .todo_roles = roles,
				.todo_user = who->user_id};
	f.scope_department = who->department[0] ? who->department : "-";
	return page_of(st, env, now, &f, pg, items, total, e);
}

int case_done(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	      const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	struct case_filter f = {.all = 1, .open = -1, .light = -1, .sort = "updated", .desc = 1,
				.done_user = who->user_id ? who->user_id : -1};
	return page_of(st, env, now, &f, pg, items, total, e);
}

/* ---- timeline --------------------------------------------------------------------------- */

static int stage_clocks(struct store *st, const struct case_env *env, int64_t now, json_t *stages,
			struct err *e)
{
	size_t i;
	json_t *s;
	json_array_foreach(stages, i, s) {
		int64_t started = json_integer_value(json_object_get(s, "started_at"));
		int64_t done = json_integer_value(json_object_get(s, "completed_at"));
		struct deadline_span span;
		if (deadline_span(env->cal, &env->dl, deadline_day(started), done ? deadline_day(done) : DEADLINE_NONE,
				  (int)json_integer_value(json_object_get(s, "time_limit")), now, &span, e))
			return e->code;
		json_object_set_new(s, "started_at", case_time_json(started));
		json_object_set_new(s, "completed_at", case_time_json(done));
		json_object_set_new(s, "clock", deadline_span_json(&span));
	}
	return 0;
}

/* Whole project: first application to the end of stage 4, against the sum
** of the limits of stages 1-4 of the stages applied for. */
static int project_clock(struct store *st, const struct case_env *env, int64_t now, int64_t project_id,
			 const json_t *stages, json_t *o, struct err *e)
{
	struct case_progress prog;
	struct deadline_span span;
	size_t i;
	json_t *s;
	int limit = 0;
	if (store_progress_get(st, project_id, &prog, e)) {
		json_object_set_new(o, "progress", json_null());
		return e->code == ERR_NOTFOUND ? 0 : e->code;
	}
	json_array_foreach(stages, i, s)
		if (json_integer_value(json_object_get(s, "stage")) <= 4)
			limit += (int)json_integer_value(json_object_get(s, "time_limit"));
	if (deadline_span(env->cal, &env->dl, deadline_day(prog.started_at),
			  prog.finished_at ? deadline_day(prog.finished_at) : DEADLINE_NONE, limit, now, &span, e))
		return e->code;
	json_object_set_new(o, "progress", json_pack("{s:i,s:o,s:o,s:b,s:o}", "current_stage", prog.current_stage,
						     "started_at", case_time_json(prog.started_at),
						     "finished_at", case_time_json(prog.finished_at),
						     "finished", prog.finished_at != 0, "clock", deadline_span_json(&span)));
	return 0;
}

static int instance_cases(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
			  json_t *instances, struct err *e)
{
	size_t i, j;
	json_t *in, *r;
	json_array_foreach(instances, i, in) {
		json_t *rows, *cases = json_array();
		int64_t iid = json_integer_value(json_object_get(in, "id"));
		json_object_set_new(in, "applied_at", case_time_json(json_integer_value(json_object_get(in, "applied_at"))));
		json_object_set_new(in, "closed_at", case_time_json(json_integer_value(json_object_get(in, "closed_at"))));
		json_object_set_new(in, "cases", cases);
		if (store_instance_cases(st, iid, &rows, e))
			return e->code;
		json_array_foreach(rows, j, r) {
			struct case_rec c;
			struct deadline d;
			json_t *hist;
			if (store_case_get(st, json_integer_value(json_object_get(r, "id")), &c, e) ||
			    case_clock(st, env, &c, now, &d, e) || store_case_history(st, c.id, &hist, e)) {
				json_decref(rows);
				return e->code;
			}
			json_t *o = case_json(&c, &d);
			dress_history(hist);
			json_object_set_new(o, "history", hist);
			json_object_set_new(o, "visible", json_boolean(case_visible(who, &c)));
			json_array_append_new(cases, o);
		}
		json_decref(rows);
	}
	return 0;
}

int case_timeline(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		  int64_t project_id, json_t **out, struct err *e)
{
	struct project p;
	json_t *stages = NULL, *instances = NULL, *o;
	if (project_lookup(st, project_id, &p, e))
		return e->code;
	if (!who->cli && !project_visible(st, who, project_id))
		return err_set(e, ERR_NOTFOUND, "id", "项目不存在");
	o = json_pack("{s:{s:I,s:s,s:s,s:i,s:s,s:s}}", "project", "id", (json_int_t)p.id, "code", p.code,
		      "name", p.name, "flow_type", p.flow_type, "flow_code", p.flow_code, "division", p.division);
	if (store_stages(st, project_id, &stages, e) || stage_clocks(st, env, now, stages, e) ||
	    project_clock(st, env, now, project_id, stages, o, e) ||
	    store_project_instances(st, project_id, &instances, e) ||
	    instance_cases(st, env, who, now, instances, e)) {
		json_decref(stages);
		json_decref(instances);
		json_decref(o);
		return e->code;
	}
	json_object_set_new(o, "stages", stages);
	json_object_set_new(o, "instances", instances);
	*out = o;
	return 0;
}
