/*
** case_read.c: what the API and the CLI show of cases: one case (summary for
** lists, detail with history), lists with filters and paging, 待办 and 已办,
** a project's timeline, the body of a 409. Every clock shown comes from
** deadline_case; nothing here computes a date.
**
** One rendering: a case is written as JSON text by render_case (and the
** detail by case_get_text), the hot path of GET /api/cases/{id}; callers
** that want a jansson object parse that text, so the names can never drift
** between the API, the CLI and the timeline. The detail is read in one read
** transaction with two statements (the case row, then everything hanging
** off it in one UNION).
*/
#include "approval/case_int.h"
#include "approval/names.h"
#include "approval/project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON text helpers ---------------------------------------------------------------- */

/* buf_append with its common case inline: a detail is a few hundred short
** pieces, and the call per piece was a tenth of rendering it. */
static inline void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n >= b->cap) {       /* no room for the piece and its NUL */
		buf_append(b, s, n);
		return;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
}

#define LIT(b, s) put((b), (s), sizeof(s) - 1)

static void jstr(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;
	LIT(b, "\"");
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		put(b, run, (size_t)(s - run));
		char esc[7] = {'\\', (char)ch, 0};
		if (ch == '\n') esc[1] = 'n';
		else if (ch == '\t') esc[1] = 't';
		else if (ch == '\r') esc[1] = 'r';
		else if (ch < 0x20)
			snprintf(esc, sizeof esc, "\\u00%c%c", hex[ch >> 4], hex[ch & 15]);
		put(b, esc, strlen(esc));
		run = s + 1;
	}
	put(b, run, (size_t)(s - run));
	LIT(b, "\"");
}

/* "key": */
static inline void jname(struct buf *b, const char *key)
{
	LIT(b, "\"");
	put(b, key, strlen(key));
	LIT(b, "\":");
}

static void jkey(struct buf *b, const char *key, const char *s)
{
	jname(b, key);
	jstr(b, s);
}

static void jint(struct buf *b, const char *key, long long v)
{
	jname(b, key);
	buf_int(b, v);
}

/* "key":"2025-09-26T10:00:00+08:00" or null. */
static void jtime(struct buf *b, const char *key, int64_t t)
{
	char x[26];
	jname(b, key);
	if (!t) {
		LIT(b, "null");
		return;
	}
	int sec = (int)((((t + 8 * 3600) % 86400) + 86400) % 86400);
	x[0] = '"';
	deadline_date(deadline_day(t), x + 1);
	x[11] = 'T';
	x[12] = (char)('0' + sec / 36000);
	x[13] = (char)('0' + sec / 3600 % 10);
	x[14] = ':';
	x[15] = (char)('0' + sec / 600 % 6);
	x[16] = (char)('0' + sec / 60 % 10);
	x[17] = ':';
	x[18] = (char)('0' + sec % 60 / 10);
	x[19] = (char)('0' + sec % 10);
	put(b, x, 20);
	LIT(b, "+08:00\"");
}

json_t *case_time_json(int64_t t)
{
	struct buf b = {0};
	buf_puts(&b, "{");
	jtime(&b, "t", t);
	buf_puts(&b, "}");
	json_t *o = json_loads(b.data, 0, NULL), *v = json_incref(json_object_get(o, "t"));
	json_decref(o);
	buf_free(&b);
	return v ? v : json_null();
}

static json_t *parse(struct buf *b)
{
	json_error_t err;
	json_t *o = json_loadb(b->data, b->len, 0, &err);
	buf_free(b);
	return o;
}

/* ---- one case ---------------------------------------------------------------------------- */

/* The members of a case, opened with "{" and not closed. */
static void render_case(struct buf *b, const struct case_rec *c, const struct deadline *d)
{
	LIT(b, "{");
	jint(b, "id", c->id);
	LIT(b, ",");
	jkey(b, "number", c->number);
	LIT(b, ",\"instance\":{");
	jint(b, "id", c->instance_id);
	LIT(b, ",");
	jkey(b, "number", c->instance_number);
	LIT(b, "},\"project\":{");
	jint(b, "id", c->project_id);
	LIT(b, ",");
	jkey(b, "code", c->project_code);
	LIT(b, ",");
	jkey(b, "name", c->project_name);
	LIT(b, "},\"item\":{");
	jint(b, "version_id", c->item_version_id);
	LIT(b, ",");
	jkey(b, "code", c->item_code);
	LIT(b, ",");
	jkey(b, "name", c->item_name);
	LIT(b, ",");
	jkey(b, "version", c->item_version);
	LIT(b, ",");
	jint(b, "limit", c->limit);
	LIT(b, "},");
	jint(b, "stage", c->stage);
	LIT(b, ",");
	jkey(b, "side_line", c->side_line);
	LIT(b, ",\"department\":{");
	jkey(b, "code", c->department);
	LIT(b, ",");
	jkey(b, "name", c->department_name);
	LIT(b, "},");
	jkey(b, "district", c->district);
	if (c->open) {
		LIT(b, ",\"step\":{");
		jint(b, "index", c->step);
		LIT(b, ",");
		jint(b, "count", c->nsteps);
		LIT(b, ",");
		jkey(b, "name", c->step_name);
		LIT(b, ",");
		jkey(b, "role", c->step_role);
		LIT(b, "},\"handler\":");
	} else {
		LIT(b, ",\"step\":null,\"handler\":");
	}
	if (c->handler_id)
		jstr(b, c->handler_name);
	else
		LIT(b, "null");
	LIT(b, ",");
	jtime(b, "received_at", c->received_at);
	LIT(b, ",");
	jtime(b, "accepted_at", c->accepted_at);
	LIT(b, ",");
	jtime(b, "final_at", c->final_at);
	LIT(b, ",");
	deadline_text(b, d);
}

/* A JSON array of the names of the actions in mask. */
static void render_actions(struct buf *b, unsigned mask)
{
	int n = 0;
	LIT(b, "[");
	for (int i = 0; i < CASE_A_COUNT; i++)
		if (mask & (1u << i)) {
			if (n++)
				LIT(b, ",");
			LIT(b, "\"");
			put(b, case_action_name(i), strlen(case_action_name(i)));
			LIT(b, "\"");
		}
	LIT(b, "]");
}

static void render_allowed(struct buf *b, const struct case_rec *c)
{
	struct case_access a;
	case_access_of(c, &a);
	render_actions(b, a.allowed);
}

/* The parts of a case, rendered per kind while the pauses are collected. */
struct parts {
	struct buf list[6];               /* by enum case_part_kind          */
	int count[6];
	struct cal_pause pauses[CASE_MAX_PAUSES];
	size_t npauses;
	char at_step[128];                /* the 环节 the next history row acted in */
};

/* A history row records the state after its action: step_name is where the
** case went. The opinion was given in the step it was in before, which is
** the previous row's step (acted_step_name). */
static void part_history(struct parts *x, struct buf *b, const struct case_part *p)
{
	LIT(b, "{\"status\":{");
	jint(b, "code", p->n[1]);
	LIT(b, ",\"name\":\"");
	const char *status = case_status_name((int)p->n[1]);
	put(b, status, strlen(status));
	LIT(b, "\"},");
	jkey(b, "action", p->s[0]);
	LIT(b, ",");
	jint(b, "step", p->n[2]);
	LIT(b, ",");
	jkey(b, "step_name", p->s[1]);
	LIT(b, ",");
	jkey(b, "acted_step_name", x->at_step[0] ? x->at_step : p->s[1]);
	size_t n = strnlen(p->s[1], sizeof x->at_step - 1);
	memcpy(x->at_step, p->s[1], n);
	x->at_step[n] = 0;
	LIT(b, ",");
	jtime(b, "at", p->n[3]);
	LIT(b, ",");
	jkey(b, "username", p->s[2]);
	LIT(b, ",");
	jkey(b, "user_name", p->s[5]);
	LIT(b, ",");
	jkey(b, "department", p->s[3]);
	LIT(b, ",");
	jkey(b, "opinion", p->s[4]);
	LIT(b, "}");
}

static void part_pause(struct parts *x, struct buf *b, const struct case_part *p)
{
	if ((p->kind == CASE_PART_SPECIAL || p->n[1]) && x->npauses < CASE_MAX_PAUSES)
		x->pauses[x->npauses++] = (struct cal_pause){deadline_day(p->n[3]),
			p->n[4] ? deadline_day(p->n[4]) : DEADLINE_NONE};
	LIT(b, "{");
	jint(b, "id", p->n[0]);
	LIT(b, ",");
	if (p->kind == CASE_PART_SUPPLEMENT) {
		/* materials: JSON text this module wrote with json_dumps */
		jname(b, "after_acceptance");
		if (p->n[1])
			LIT(b, "true");
		else
			LIT(b, "false");
		LIT(b, ",\"materials\":");
		buf_puts(b, p->s[0][0] == '[' ? p->s[0] : "[]");
		LIT(b, ",");
		jkey(b, "note", p->s[1]);
	} else {
		jint(b, "type", p->n[1]);
		LIT(b, ",");
		jint(b, "limit", p->n[2]);
		LIT(b, ",");
		jkey(b, "kind", p->s[0]);
		LIT(b, ",");
		jkey(b, "reason", p->s[1]);
		LIT(b, ",");
		jkey(b, "result", p->s[2]);
	}
	LIT(b, ",");
	jtime(b, "start_at", p->n[3]);
	LIT(b, ",");
	jtime(b, "end_at", p->n[4]);
	LIT(b, "}");
}

static int on_part(void *arg, const struct case_part *p)
{
	struct parts *x = arg;
	struct buf *b = &x->list[p->kind];
	char day[CAL_DATE_LEN];
	if (x->count[p->kind]++)
		LIT(b, ",");
	switch (p->kind) {
	case CASE_PART_STATUS:
		part_history(x, b, p);
		break;
	case CASE_PART_SUPPLEMENT:
	case CASE_PART_SPECIAL:
		part_pause(x, b, p);
		break;
	case CASE_PART_TOLERANCE:
		deadline_date((int32_t)p->n[1], day);
		LIT(b, "{");
		jkey(b, "material", p->s[0]);
		LIT(b, ",");
		jkey(b, "due_date", day);
		LIT(b, ",");
		jtime(b, "received_at", p->n[3]);
		LIT(b, "}");
		break;
	default:
		LIT(b, "{");
		jkey(b, "kind", p->s[0]);
		LIT(b, ",");
		jkey(b, "number", p->s[1]);
		LIT(b, ",");
		jtime(b, "issued_at", p->n[3]);
		LIT(b, ",");
		jkey(b, "issued_by", p->s[2]);
		LIT(b, "}");
	}
	return 0;
}

static int clock_with(const struct case_env *env, const struct case_rec *c, const struct cal_pause *p, size_t n,
		      int64_t now, struct deadline *d, struct err *e)
{
	struct deadline_facts f;
	if (case_facts(NULL, c, NULL, &f, e))
		return e->code;
	f.pauses = c->accepted ? p : NULL;
	f.npauses = c->accepted ? n : 0;
	return deadline_case(env->cal, &env->dl, &f, now, d, e);
}

static const char *const part_names[6] = {NULL, "history", "supplements", "specials", "tolerance_materials",
					  "documents"};

/* The detail of case id into out, open at the end (the caller adds the
** reader's own part and the closing brace); *a its access facts. */
static int detail_locked(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
			 int64_t id, struct buf *out, struct case_access *a, struct err *e)
{
	struct case_rec c;
	struct deadline d;
	struct parts x;
	int rc = 0;
	if (store_case_get(st, id, &c, e))
		return e->code;
	if (!case_visible(who, &c))
		return err_set(e, ERR_NOTFOUND, "id", "办件不存在 (no such case)");
	memset(&x, 0, sizeof x);
	if ((rc = store_case_parts(st, &c, on_part, &x, e)) == 0 &&
	    (rc = clock_with(env, &c, x.pauses, x.npauses, now, &d, e)) == 0) {
		case_access_of(&c, a);
		render_case(out, &c, &d);
		LIT(out, ",\"allowed_actions\":");
		render_actions(out, a->allowed);
		for (int k = 1; k < 6; k++) {
			LIT(out, ",");
			jname(out, part_names[k]);
			LIT(out, "[");
			if (x.list[k].len)
				put(out, x.list[k].data, x.list[k].len);
			LIT(out, "]");
		}
	}
	for (int k = 0; k < 6; k++)
		buf_free(&x.list[k]);
	return rc;
}

/* The detail is the same for every reader who may see the case and is kept
** in the cache; what this reader may do with it (my_actions) is added to
** each answer from the access facts kept with it. */
int case_get_text(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		  int64_t id, struct buf *out, struct err *e)
{
	int began;
	uint64_t gen = 0;
	struct case_cache_key key = {id, deadline_day(now), env->cal};
	struct case_access a;
	memset(out, 0, sizeof *out);
	if (!case_cache_get(env->cache, &key, out, &a, &gen)) {
		int rc = store_case_read_begin(st, &began, e);
		if (!rc) {
			rc = detail_locked(st, env, who, now, id, out, &a, e);
			store_case_read_end(st, began);
		}
		if (rc) {
			buf_free(out);
			return rc;
		}
		case_cache_put(env->cache, &key, gen, &a, out->data, out->len);
	} else if (!rbac_can_see(who, a.department, a.district)) {
		buf_free(out);
		return err_set(e, ERR_NOTFOUND, "id", "办件不存在 (no such case)");
	}
	LIT(out, ",\"my_actions\":");
	render_actions(out, case_my_actions(who, &a));
	LIT(out, "}");
	return 0;
}

int case_get(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	     int64_t id, json_t **out, struct err *e)
{
	struct buf b;
	if (case_get_text(st, env, who, now, id, &b, e))
		return e->code;
	*out = parse(&b);
	return *out ? 0 : err_set(e, ERR_INTERNAL, "", "case %lld rendered invalid JSON", (long long)id);
}

/* A case without its parts, as lists show it. */
static json_t *case_json(const struct case_rec *c, const struct deadline *d)
{
	struct buf b = {0};
	render_case(&b, c, d);
	buf_puts(&b, "}");
	json_t *o = parse(&b);
	return o ? o : json_object();
}

static json_t *allowed_json(const struct case_rec *c)
{
	struct buf b = {0};
	render_allowed(&b, c);
	json_t *a = parse(&b);
	return a ? a : json_array();
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

/* win: storage for a window's division (7 bytes) the filter may point to. */
static void scope_filter(const struct principal *who, struct case_filter *f, char *win)
{
	int window = rbac_window(who, win);
	f->all = rbac_city_wide(who) || window == 2;
	if (!f->all && window == 1) {
		f->scope_district = win;          /* a district's 综合窗口 */
	} else if (!f->all && (who->roles & (ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD))) {
		if (who->department[0])
			f->scope_department = who->department;
		else
			f->scope_district = who->district;
	} else if (!f->all) {
		f->scope_district = "-";          /* sees nothing */
	}
}

static int page_of(struct store *st, const struct case_env *env, int64_t now, const struct case_filter *f,
		   const struct page *pg, json_t **items, int64_t *total, int *capped, struct err *e)
{
	int64_t ids[200];
	int n = 0, began;
	struct page p = *pg;
	if (p.page_size > 200)
		p.page_size = 200;
	if (store_case_read_begin(st, &began, e))
		return e->code;
	int rc = store_case_find(st, f, &p, ids, &n, total, capped, e);
	json_t *arr = json_array();
	for (int i = 0; i < n && !rc; i++) {
		struct case_rec c;
		struct deadline d;
		if ((rc = store_case_get(st, ids[i], &c, e)) || (rc = case_clock(st, env, &c, now, &d, e)))
			break;
		json_array_append_new(arr, case_json(&c, &d));
	}
	store_case_read_end(st, began);
	if (rc) {
		json_decref(arr);
		return rc;
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

int case_filter_of(const struct principal *who, const struct case_query *q, int64_t now, struct case_filter *f,
		   char win[7], struct err *e)
{
	*f = (struct case_filter){.district = q->district, .department = q->department, .item = q->item,
				  .q = q->q, .stage = q->stage, .status = q->status, .open = -1,
				  .light = q->light, .today = deadline_day(now), .sort = q->sort, .desc = q->desc};
	scope_filter(who, f, win);
	if (day_bound(q->from, "from", 0, &f->from, e) || day_bound(q->to, "to", 1, &f->to, e))
		return e->code;
	return 0;
}

int case_query_parse(struct case_query *q, const char *light, const char *sort, const char *order,
		     struct err *e)
{
	q->light = -1;
	if (light && (q->light = deadline_light_parse(light)) < 0)
		return err_set(e, ERR_INVALID, "light", "light: green | yellow | red");
	const struct dict_entry *s = approval_case_sorts;
	while (sort && s->code && strcmp(sort, s->code) != 0)
		s++;
	if (sort && !s->code)
		return err_set(e, ERR_INVALID, "sort", "sort: received | due | number | updated");
	if (order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0)
		return err_set(e, ERR_INVALID, "order", "order: asc | desc");
	q->sort = sort;
	q->desc = order ? strcmp(order, "desc") == 0 : !sort || strcmp(sort, "due") != 0;
	return 0;
}

int case_list(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	      const struct case_query *q, const struct page *pg, json_t **items, int64_t *total, int *capped,
	      struct err *e)
{
	struct case_filter f;
	char win[7];
	if (case_filter_of(who, q, now, &f, win, e))
		return e->code;
	return page_of(st, env, now, &f, pg, items, total, capped, e);
}

/* The caller's whole 待办 by light (see case.h). */
static int todo_counts(struct store *st, struct case_filter f, int64_t counts[4], struct err *e)
{
	struct page one = {1, 1};
	int64_t id;
	int n, began, capped;
	if (store_case_read_begin(st, &began, e))
		return e->code;
	int rc = 0;
	for (int light = -1; light <= LIGHT_RED && !rc; light++) {
		int64_t t;
		if (light == LIGHT_NONE)
			continue;
		f.light = light;
		rc = store_case_find(st, &f, &one, &id, &n, &t, &capped, e);
		counts[light < 0 ? LIGHT_NONE : light] = t;
	}
	store_case_read_end(st, began);
	counts[LIGHT_NONE] -= counts[LIGHT_GREEN] + counts[LIGHT_YELLOW] + counts[LIGHT_RED];
	return rc;
}

int case_todo(struct store *st, const struct case_env *env, const struct principal *who, int64_t now, int light,
	      const struct page *pg, json_t **items, int64_t *total, int *capped, int64_t counts[4], struct err *e)
{
	char roles[64];
	snprintf(roles, sizeof roles, ",%s%s%s", who->roles & ROLE_CLERK ? "clerk," : "",
		 who->roles & ROLE_REVIEWER ? "reviewer," : "", who->roles & ROLE_HEAD ? "head," : "");
	struct case_filter f = {.open = 1, .light = light, .sort = "due", .todo_roles = roles,
				.todo_user = who->user_id, .today = deadline_day(now)};
	f.scope_department = who->department[0] ? who->department : "-";
	if (counts && todo_counts(st, f, counts, e))
		return e->code;
	return page_of(st, env, now, &f, pg, items, total, capped, e);
}

json_t *case_todo_counts_json(const int64_t counts[4])
{
	return json_pack("{s:I,s:I,s:I,s:I}", "none", (json_int_t)counts[LIGHT_NONE], "green",
			 (json_int_t)counts[LIGHT_GREEN], "yellow", (json_int_t)counts[LIGHT_YELLOW], "red",
			 (json_int_t)counts[LIGHT_RED]);
}

int case_done(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	      const struct page *pg, json_t **items, int64_t *total, int *capped, struct err *e)
{
	struct case_filter f = {.all = 1, .open = -1, .light = -1, .sort = "updated", .desc = 1,
				.done_user = who->user_id ? who->user_id : -1};
	return page_of(st, env, now, &f, pg, items, total, capped, e);
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

/* Whole project: the project clock (case_project_span), against the
** province's target of its flow type. */
static int project_clock(struct store *st, const struct case_env *env, int64_t now, const struct project *p,
			 json_t *o, struct err *e)
{
	struct case_progress prog;
	struct deadline_span span;
	if (store_progress_get(st, p->id, &prog, e)) {
		json_object_set_new(o, "progress", json_null());
		return e->code == ERR_NOTFOUND ? 0 : e->code;
	}
	if (case_project_span(env, p->flow_type, prog.started_at, prog.finished_at, now, &span, e))
		return e->code;
	int target = case_project_target(p->flow_type);
	json_object_set_new(o, "progress", json_pack("{s:i,s:o,s:o,s:b,s:o,s:o}", "current_stage", prog.current_stage,
						     "started_at", case_time_json(prog.started_at),
						     "finished_at", case_time_json(prog.finished_at),
						     "finished", prog.finished_at != 0,
						     "target", target ? json_integer(target) : json_null(),
						     "clock", deadline_span_json(&span)));
	return 0;
}

/* 并行推进 (stage 5) has no milestone to complete it: it is done when it has
** instances and every one is closed, on the last closing day. */
static void parallel_stage_done(json_t *stages, const json_t *instances)
{
	size_t i;
	json_t *s, *in;
	int64_t last = 0;
	int open = 0, n = 0;
	json_array_foreach(instances, i, in) {
		if (json_integer_value(json_object_get(in, "stage")) != 5)
			continue;
		int64_t closed = json_integer_value(json_object_get(in, "closed_at"));
		n++;
		open += !closed;
		last = closed > last ? closed : last;
	}
	json_array_foreach(stages, i, s)
		if (json_integer_value(json_object_get(s, "stage")) == 5 && n && !open &&
		    !json_integer_value(json_object_get(s, "completed_at")))
			json_object_set_new(s, "completed_at", json_integer(last));
}

/* The cases of each instance as who reads them: those of who's scope in
** full (through the same check as case_get), the others only counted
** (hidden_cases), so a project's reader never sees another department's
** opinions, handlers or document numbers. */
static int instance_cases(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
			  json_t *instances, struct err *e)
{
	size_t i, j;
	json_t *in, *r;
	json_array_foreach(instances, i, in) {
		json_t *rows, *cases = json_array();
		int64_t iid = json_integer_value(json_object_get(in, "id")), hidden = 0;
		json_object_set_new(in, "applied_at", case_time_json(json_integer_value(json_object_get(in, "applied_at"))));
		json_object_set_new(in, "closed_at", case_time_json(json_integer_value(json_object_get(in, "closed_at"))));
		json_object_set_new(in, "cases", cases);
		if (store_instance_cases(st, iid, &rows, e))
			return e->code;
		json_array_foreach(rows, j, r) {
			struct case_rec c;
			struct case_access a;
			struct buf b = {0};
			int64_t id = json_integer_value(json_object_get(r, "id"));
			if (store_case_get(st, id, &c, e)) {
				json_decref(rows);
				return e->code;
			}
			if (!case_visible(who, &c)) {
				hidden++;
				continue;
			}
			if (detail_locked(st, env, who, now, id, &b, &a, e)) {
				buf_free(&b);
				json_decref(rows);
				return e->code;
			}
			LIT(&b, ",\"my_actions\":");
			render_actions(&b, case_my_actions(who, &a));
			LIT(&b, "}");
			json_t *o = parse(&b);
			json_object_set_new(o, "visible", json_true());
			json_array_append_new(cases, o);
		}
		json_object_set_new(in, "hidden_cases", json_integer(hidden));
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
	int rc = store_stages(st, project_id, &stages, e);
	if (!rc)
		rc = store_project_instances(st, project_id, &instances, e);
	if (!rc)
		parallel_stage_done(stages, instances);
	if (rc || stage_clocks(st, env, now, stages, e) || project_clock(st, env, now, &p, o, e) ||
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

int case_id_of(struct store *st, const char *arg, int64_t *id, struct err *e)
{
	char *end;
	long long v = strtoll(arg, &end, 10);
	if (!arg[0])
		return err_set(e, ERR_INVALID, "case", "办件编号不能为空 (empty case number)");
	if (*end == 0 && v > 0 && strlen(arg) < 16) {
		*id = v;
		return 0;
	}
	return store_case_by_number(st, arg, id, e);
}
