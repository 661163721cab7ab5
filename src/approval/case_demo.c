/*
** case_demo.c: a realistic, deterministic 办件 history at scale (gonggai
** demo). Projects are spread over the districts of 铜川 (weighted) and the
** flow types of the catalogue; each goes stage by stage through parallel
** instances, a 54Y joint acceptance before the completion filing, and now
** and then 并行推进 items. Each case is simulated event by event and every
** event is checked with case_next (the state machine), so the history obeys
** the same rules as the API: supplements before and during review, special
** procedures, 容缺, late decisions (overdue), refusals, denials,
** withdrawals, revocations; prerequisites passed before a decision; stages
** completed by their milestones. Everything after --as-of is cut off, which
** leaves running cases with every light.
**
** Speed: rows go straight to the store's cached INSERTs in transactions of
** DEMO_BATCH projects with synchronous=OFF; the clock copies of each row
** come from case_copies, the function case_record uses. One audit row per
** batch ("demo.import", imported: true), not one per row. Statistics
** aggregates are not maintained here: rebuild them after a demo. (Each
** event through case_record instead, with its observer and audit row, took
** four times the CPU.)
**
** The same rows as the one path: tests/unit/test_case_demo.c replays a
** demo history through case_apply, case_act and case_materials_received,
** as the accounts that acted, into a second database and compares every
** row a case change writes (cases, status rows, pauses, 容缺, documents,
** stages, progress, statistics after the observer, trigger queues). What
** may differ is listed there: ids and the numbers built from them, which
** document of a sequence a case got (numbered here project by project),
** verification codes and kept pages, the audit rows. So the generator
** applies as case_apply requires (every open milestone, the same-stage
** prerequisites along), gives each action the texts case_act requires,
** numbers the cases of an instance in order, and issues every document the
** lifecycle issues.
**
** Determinism: one xorshift64* stream seeded by --seed drives every choice,
** and no choice depends on the wall clock, so the same seed and --as-of give
** the same rows.
*/
#include "approval/case_int.h"
#include "approval/catalog.h"
#include "approval/project.h"
#include "base/clock.h"
#include "ids/ids.h"
#include "org/audit.h"
#include "store/store_catalog.h"
#include "store/store_project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_BATCH 500
#define MAX_ITEMS 160
#define MAX_FLOWS 32
#define MAX_DEPTS 64
#define MAX_STEPS 20
#define MAX_EV 48
#define MAX_PRE 8
#define MAX_CODES 128
#define DOC_KINDS 8

/* ---- random ------------------------------------------------------------------------------ */

struct rng { uint64_t s; };

static uint64_t next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static double unif(struct rng *r) { return (next(r) >> 11) * (1.0 / 9007199254740992.0); }
static int between(struct rng *r, int lo, int hi) { return lo + (int)(next(r) % (uint64_t)(hi - lo + 1)); }
static int chance(struct rng *r, double p) { return unif(r) < p; }

/* Bounded copy without printf (the generator copies a lot of short strings). */
#define SCOPY(dst, src) scopy((dst), sizeof(dst), (src))
static void scopy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* ---- the catalogue in memory ---------------------------------------------------------------- */

struct ditem {
	int64_t id;
	char code[40];
	int32_t from;                 /* effective_from day                     */
	int dept;                     /* index into depts                       */
	int limit, nsteps, milestone, tolerance;
	char step_name[MAX_STEPS][32];
	char step_role[MAX_STEPS][12];
	int cid;                      /* interned code                          */
	int pre[MAX_PRE];             /* prerequisites, interned                */
	int npre;
	char material[64];            /* a material name for notices           */
};

/* A stage of a flow version as interned item codes. */
struct dstage {
	int present, limit, rule;
	int main[CASE_MAX_LINE], nmain;   /* main line and side lines but 54Y */
	int y54[CASE_MAX_LINE], ny54;     /* 54Y 联合验收                     */
};

struct dflow {
	int64_t id;
	char code[40];
	int flow_type;
	int32_t from;
	json_t *doc;
	struct dstage st[6];              /* by national stage number 1-5    */
	signed char stage_of[MAX_CODES];  /* stage listing a code, 0: none   */
};

struct demo {
	struct store *st;
	const struct case_env *env;
	struct rng r;
	int32_t as_of;
	int64_t end;                  /* last instant of --as-of, at most now   */
	const struct case_demo_accounts *accounts;
	struct ditem items[MAX_ITEMS];
	int nitems;
	struct dflow flows[MAX_FLOWS];
	int nflows;
	char codes[MAX_CODES][40];        /* interned item codes             */
	int ncodes;
	int vers[MAX_CODES][8], nvers[MAX_CODES];   /* item versions of a code */
	char depts[MAX_DEPTS][48];
	int ndepts;
	int counters[MAX_DEPTS + 8][DOC_KINDS][8];   /* documents per department, kind, year-2023 */
	char window_depts[8][48];
	int64_t next_case, next_instance;
	const char *final_by;             /* who acted last on the case just run */
	struct case_demo_stats *stats;
	/* documents of the batch, inserted in number order at its end: the
	** UNIQUE index on the number then grows at a few hundred places in
	** order instead of at random */
	struct pdoc *docs;
	size_t ndocs, capdocs;
	/* status rows of the project being generated (their strings are all
	** static or live as long as the project), written 32 at a time */
	struct case_status_row *srows;
	size_t nsrows, capsrows;
};

struct pdoc {
	int64_t case_id, at;
	const char *kind, *by;
	char number[64];
};

static int dept_index(struct demo *g, const char *code)
{
	for (int i = 0; i < g->ndepts; i++)
		if (strcmp(g->depts[i], code) == 0)
			return i;
	if (g->ndepts == MAX_DEPTS)
		return 0;
	snprintf(g->depts[g->ndepts], sizeof g->depts[0], "%s", code);
	return g->ndepts++;
}

static int code_id(struct demo *g, const char *code)
{
	for (int i = 0; i < g->ncodes; i++)
		if (strcmp(g->codes[i], code) == 0)
			return i;
	if (g->ncodes == MAX_CODES)
		return 0;
	snprintf(g->codes[g->ncodes], sizeof g->codes[0], "%s", code);
	return g->ncodes++;
}

static int load_item(struct demo *g, const json_t *row, struct err *e)
{
	const json_t *d = json_object_get(row, "doc"), *v;
	size_t i;
	if (g->nitems == MAX_ITEMS)
		return err_set(e, ERR_INTERNAL, "", "demo: too many item versions");
	struct ditem *it = &g->items[g->nitems++];
	memset(it, 0, sizeof *it);
	it->id = json_integer_value(json_object_get(row, "id"));
	snprintf(it->code, sizeof it->code, "%s", json_string_value(json_object_get(d, "code")));
	if (cal_date_parse(json_string_value(json_object_get(d, "effective_from")), &it->from, e))
		return e->code;
	it->dept = dept_index(g, json_string_value(json_object_get(d, "department")));
	it->limit = (int)json_integer_value(json_object_get(d, "promised_limit"));
	it->milestone = json_is_true(json_object_get(d, "milestone"));
	it->tolerance = json_is_true(json_object_get(d, "tolerance"));
	it->nsteps = case_nsteps(d);
	for (int s = 0; s < it->nsteps && s < MAX_STEPS; s++)
		case_step_of(d, s, it->step_name[s], sizeof it->step_name[s], it->step_role[s], sizeof it->step_role[s]);
	json_array_foreach(json_object_get(d, "prerequisites"), i, v)
		if (it->npre < MAX_PRE)
			it->pre[it->npre++] = code_id(g, json_string_value(v));
	it->cid = code_id(g, it->code);
	if (g->nvers[it->cid] < 8)
		g->vers[it->cid][g->nvers[it->cid]++] = g->nitems - 1;
	v = json_array_get(json_object_get(d, "materials"), 0);
	snprintf(it->material, sizeof it->material, "%s", json_string_value(json_object_get(v, "name")));
	return 0;
}

/* Stages and lines of a flow version as interned codes. */
static void intern_flow(struct demo *g, struct dflow *f)
{
	const char *line[CASE_MAX_LINE];
	for (int s = 1; s <= 5; s++) {
		const json_t *stage = case_stage_def(f->doc, s);
		struct dstage *ds = &f->st[s];
		if (!stage)
			continue;
		ds->present = 1;
		ds->limit = (int)json_integer_value(json_object_get(stage, "limit"));
		ds->rule = (int)json_integer_value(json_object_get(stage, "completion_rule"));
		ds->nmain = case_line_items(stage, NULL, line, CASE_MAX_LINE);
		for (int i = 0; i < ds->nmain; i++)
			ds->main[i] = code_id(g, line[i]);
		ds->ny54 = case_line_items(stage, "54Y", line, CASE_MAX_LINE);
		for (int i = 0; i < ds->ny54; i++)
			ds->y54[i] = code_id(g, line[i]);
		/* the first stage listing a code is its stage (case_stage_of_item) */
		for (int i = 0; i < ds->nmain + ds->ny54; i++) {
			int cid = i < ds->nmain ? ds->main[i] : ds->y54[i - ds->nmain];
			if (!f->stage_of[cid])
				f->stage_of[cid] = (signed char)s;
		}
	}
}

static int load_kind(struct demo *g, int kind, struct err *e)
{
	json_t *docs, *doc, *row;
	size_t i;
	if (store_catalog_docs(g->st, kind, &docs, e))
		return e->code;
	json_array_foreach(docs, i, doc) {
		int rc = store_catalog_version(g->st, kind, json_string_value(json_object_get(doc, "code")),
					       json_string_value(json_object_get(doc, "version")), &row, e);
		if (!rc && kind == CATALOG_ITEMS)
			rc = load_item(g, row, e);
		else if (!rc && g->nflows < MAX_FLOWS) {
			struct dflow *f = &g->flows[g->nflows++];
			const json_t *d = json_object_get(row, "doc");
			f->id = json_integer_value(json_object_get(row, "id"));
			snprintf(f->code, sizeof f->code, "%s", json_string_value(json_object_get(d, "code")));
			f->flow_type = (int)json_integer_value(json_object_get(d, "flow_type"));
			f->doc = json_incref((json_t *)d);
			rc = cal_date_parse(json_string_value(json_object_get(d, "effective_from")), &f->from, e);
			intern_flow(g, f);
		}
		json_decref(row);
		if (rc) {
			json_decref(docs);
			return rc;
		}
	}
	json_decref(docs);
	return 0;
}

/* The version of item cid in effect on day (the earliest when none yet). */
static const struct ditem *item_at(const struct demo *g, int cid, int32_t day)
{
	const struct ditem *best = NULL;
	for (int i = 0; i < g->nvers[cid]; i++) {
		const struct ditem *it = &g->items[g->vers[cid][i]];
		if (!best || (it->from <= day && (best->from > day || it->from > best->from)))
			best = it;
	}
	return best;
}

static const struct dflow *flow_at(const struct demo *g, int flow_type, int32_t day)
{
	const struct dflow *best = NULL;
	for (int i = 0; i < g->nflows; i++) {
		const struct dflow *f = &g->flows[i];
		if (f->flow_type != flow_type)
			continue;
		if (!best || (f->from <= day && (best->from > day || f->from > best->from)))
			best = f;
	}
	return best;
}

/* The version of flow code in force on day (as catalog_flow_at). */
static const struct dflow *flow_version(const struct demo *g, const char *code, int32_t day)
{
	const struct dflow *best = NULL;
	for (int i = 0; i < g->nflows; i++) {
		const struct dflow *f = &g->flows[i];
		if (strcmp(f->code, code) == 0 && f->from <= day && (!best || f->from > best->from))
			best = f;
	}
	return best;
}

/* ---- time ---------------------------------------------------------------------------------- */

static int64_t at_of(int32_t day, int minute)
{
	return (int64_t)day * 86400 - 8 * 3600 + (int64_t)minute * 60;
}

/* A moment on the n-th working day after the day of t, in office hours,
** never before t + 1 minute. */
static int64_t later(struct demo *g, int64_t t, int n)
{
	int32_t d;
	if (cal_add_workdays(g->env->cal, deadline_day(t), n, &d, NULL, NULL))
		d = deadline_day(t) + n;
	int64_t x = at_of(d, between(&g->r, 8 * 60 + 40, 17 * 60 + 30));
	return x > t ? x : t + 60 * between(&g->r, 1, 90);
}

/* ---- one case ------------------------------------------------------------------------------ */

struct ev {
	int64_t at;
	int action;
	int arg;                      /* pause length, special type, ...          */
};

struct plan {
	struct ev ev[MAX_EV];
	int n;
};

static void add(struct plan *p, int64_t at, int action, int arg)
{
	if (p->n < MAX_EV)
		p->ev[p->n++] = (struct ev){at, action, arg};
}

/* The whole life of a case, from receipt to its end, as planned events.
** ready: when every prerequisite is passed (0: never). */
static void plan_case(struct demo *g, const struct ditem *it, int64_t recv, int64_t ready, struct plan *p)
{
	struct rng *r = &g->r;
	int64_t t = recv;
	p->n = 0;
	add(p, t, CASE_A_RECEIVE, 0);
	if (chance(r, 0.08)) {                                     /* 一次性补正告知 */
		t = later(g, t, between(r, 0, 2));
		add(p, t, CASE_A_SUPPLEMENT, 0);
		if (chance(r, 0.15)) {                              /* never came back */
			add(p, later(g, t, between(r, 15, 25)), CASE_A_WITHDRAW, 0);
			return;
		}
		t = later(g, t, between(r, 2, 8));
		add(p, t, CASE_A_SUPPLEMENT_DONE, 0);
	}
	t = later(g, t, chance(r, 0.04) ? between(r, 6, 9) : between(r, 0, 3));
	if (chance(r, 0.02)) {
		add(p, t, CASE_A_REFUSE, 0);
		return;
	}
	add(p, t, CASE_A_ACCEPT, 0);
	int32_t accepted = deadline_day(t);
	int paused = 0, steps = it->nsteps;
	if (steps > 1) {
		t = later(g, t, between(r, 0, 1));
		add(p, t, CASE_A_START_REVIEW, 0);
		if (chance(r, 0.08)) {
			int k = between(r, 2, 8);
			t = later(g, t, between(r, 1, 2));
			add(p, t, CASE_A_SUPPLEMENT, 0);
			t = later(g, t, k);
			add(p, t, CASE_A_SUPPLEMENT_DONE, 0);
			paused += k;
		}
		if (chance(r, 0.03)) {
			int k = between(r, 3, 15);
			t = later(g, t, between(r, 1, 2));
			add(p, t, CASE_A_SPECIAL_START, k);
			t = later(g, t, k);
			add(p, t, CASE_A_SPECIAL_END, 0);
			paused += k;
		}
	}
	/* when the decision falls: mostly within the limit, sometimes late */
	int target = chance(r, 0.06) ? it->limit + between(r, 1, 6)
		: (int)(it->limit * (0.25 + 0.7 * unif(r)));
	int64_t decide;
	int32_t dd;
	if (cal_add_workdays(g->env->cal, accepted, target + paused, &dd, NULL, NULL))
		dd = accepted + target;
	decide = at_of(dd, between(r, 9 * 60, 17 * 60 + 30));
	for (int s = 1; s < steps - 1; s++) {
		t = later(g, t, between(r, 0, 1));
		add(p, t, CASE_A_NEXT_STEP, 0);
		if (s == steps - 2 && steps >= 3 && chance(r, 0.04)) {
			t = later(g, t, between(r, 0, 1));
			add(p, t, CASE_A_RETURN, 0);
			t = later(g, t, between(r, 0, 1));
			add(p, t, CASE_A_NEXT_STEP, 0);
		}
	}
	if (decide <= t)
		decide = t + 60 * between(r, 5, 120);
	double u = unif(r);
	if (u < 0.015) {
		add(p, decide, CASE_A_WITHDRAW, 0);
	} else if (u < 0.02) {
		add(p, decide, CASE_A_REVOKE, 0);
	} else if (u < 0.05) {
		add(p, decide, CASE_A_DENY, 0);
	} else if (!ready) {                                       /* a prerequisite failed */
		add(p, decide, CASE_A_WITHDRAW, 0);
	} else {
		if (decide < ready)
			decide = later(g, ready, between(r, 0, 2));
		add(p, decide, it->tolerance && u < 0.09 ? CASE_A_APPROVE_TOLERANCE : CASE_A_APPROVE, 0);
	}
}

static const char *const names_window[] = {"王丽", "张敏", "刘洋", "陈静", "杨帆", "赵倩"};
static const char *const names_staff[] = {"李强", "王伟", "张磊", "刘军", "陈杰", "杨勇", "黄涛", "周鹏",
					  "吴刚", "徐斌", "孙浩", "马超", "朱峰", "胡明", "郭亮", "何平"};
static const char *const names_head[] = {"高建国", "林志华", "郑国强", "谢文斌", "韩立新", "冯振华"};

static const char *handler(struct demo *g, const char *role)
{
	if (strcmp(role, "clerk") == 0)
		return names_window[between(&g->r, 0, 5)];
	if (strcmp(role, "head") == 0)
		return names_head[between(&g->r, 0, 5)];
	return names_staff[between(&g->r, 0, 15)];
}

/* Who acted: the demo account of the department and role when there is
** one (the row then counts in its 已办), else a name. */
static void actor(struct demo *g, const char *dept, const char *role, struct case_status_row *row)
{
	const struct case_demo_account *a = case_demo_account_for(g->accounts, dept, role);
	if (a) {
		row->user_id = a->id;
		row->username = a->username;
	} else {
		row->user_id = 0;
		row->username = handler(g, role);
	}
}

/* The special procedure's reason: the opinion of its status row too (case_act). */
static const char special_reason[] = "组织专家评审";

/* The documents case_act and case_apply issue (case_doc.c), but the
** 容缺受理告知书 of a 受理 with materials to follow, which the history has none of. */
static const char *const doc_kinds[DOC_KINDS] = {"acceptance", "refusal", "supplement", "approval", "denial", "joint",
						 "receipt", "special"};
enum { DOC_JOINT = 5 };

static int doc_for(int action)
{
	switch (action) {
	case CASE_A_ACCEPT: return 0;
	case CASE_A_REFUSE: return 1;
	case CASE_A_SUPPLEMENT: return 2;
	case CASE_A_APPROVE: case CASE_A_APPROVE_TOLERANCE: return 3;
	case CASE_A_DENY: return 4;
	case CASE_A_RECEIVE: return 6;
	case CASE_A_SPECIAL_START: return 7;
	default: return -1;
	}
}

/* The next number of a document (as case_doc_issue numbers them); 0 when
** the year is outside the counters. */
static int number_of(struct demo *g, int dept, int kind, int64_t at, char number[96])
{
	char ymd[CAL_DATE_LEN];
	case_date(at, ymd);
	int year = atoi(ymd), y = year - 2023;
	if (y < 0 || y >= 8)
		return 0;
	int seq = ++g->counters[dept][kind][y];
	/* "%s%s〔%d〕%05d号" by hand */
	char *p = number;
	const char *mark = case_doc_mark(doc_kinds[kind]);
	size_t n = strlen(g->depts[dept]);
	memcpy(p, g->depts[dept], n), p += n;
	n = strlen(mark);
	memcpy(p, mark, n), p += n;
	memcpy(p, "〔", 3), p += 3;
	memcpy(p, ymd, 4), p += 4;
	memcpy(p, "〕", 3), p += 3;
	if (seq > 99999) {                  /* wider than %05d: as printf would */
		snprintf(p, 96 - (size_t)(p - number), "%d号", seq);
		return 1;
	}
	for (int k = 4, v = seq; k >= 0; k--, v /= 10)
		p[k] = (char)('0' + v % 10);
	p += 5;
	memcpy(p, "号", 4);
	return 1;
}

static int issue(struct demo *g, int64_t case_id, int dept, int kind, int64_t at, const char *by, struct err *e)
{
	char number[96];
	if (!number_of(g, dept, kind, at, number))
		return 0;
	return store_case_doc_add(g->st, case_id, doc_kinds[kind], number, at, by, e);
}

/* Rows of one case, written together with multi-row INSERTs. */
struct rows {
	struct case_status_row st[MAX_EV];
	int nst;
	struct case_doc_row doc[MAX_EV];
	char number[MAX_EV][96];
	int ndoc;
};

static int flush_status(struct demo *g, struct err *e)
{
	size_t i = 0;
	for (; i + 32 <= g->nsrows; i += 32)
		if (store_case_status_add_many(g->st, g->srows + i, 32, e))
			return e->code;
	for (; i < g->nsrows; i += 8)
		if (store_case_status_add_many(g->st, g->srows + i, g->nsrows - i < 8 ? (int)(g->nsrows - i) : 8, e))
			return e->code;
	g->nsrows = 0;
	return 0;
}

static int flush_rows(struct demo *g, const struct rows *w, struct err *e)
{
	if (g->nsrows + (size_t)w->nst > g->capsrows) {
		size_t cap = g->capsrows ? g->capsrows * 2 : 1024;
		while (cap < g->nsrows + (size_t)w->nst)
			cap *= 2;
		struct case_status_row *r = realloc(g->srows, cap * sizeof *r);
		if (!r)
			return err_set(e, ERR_INTERNAL, "", "out of memory");
		g->srows = r;
		g->capsrows = cap;
	}
	memcpy(g->srows + g->nsrows, w->st, (size_t)w->nst * sizeof *w->st);
	g->nsrows += (size_t)w->nst;
	for (int i = 0; i < w->ndoc; i++) {
		if (g->ndocs == g->capdocs) {
			size_t cap = g->capdocs ? g->capdocs * 2 : 16384;
			struct pdoc *d = realloc(g->docs, cap * sizeof *d);
			if (!d)
				return err_set(e, ERR_INTERNAL, "", "out of memory");
			g->docs = d;
			g->capdocs = cap;
		}
		struct pdoc *d = &g->docs[g->ndocs++];
		d->case_id = w->doc[i].case_id;
		d->at = w->doc[i].at;
		d->kind = w->doc[i].kind;
		d->by = w->doc[i].by;
		SCOPY(d->number, w->doc[i].number);
	}
	g->stats->status_rows += w->nst;
	return 0;
}

static int pdoc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pdoc *)a)->number, ((const struct pdoc *)b)->number);
}

static int flush_docs(struct demo *g, struct err *e)
{
	struct case_doc_row r[4];
	qsort(g->docs, g->ndocs, sizeof *g->docs, pdoc_cmp);
	for (size_t i = 0; i < g->ndocs; i += 4) {
		int n = g->ndocs - i < 4 ? (int)(g->ndocs - i) : 4;
		for (int k = 0; k < n; k++)
			r[k] = (struct case_doc_row){g->docs[i + k].case_id, g->docs[i + k].at, g->docs[i + k].kind,
						     g->docs[i + k].number, g->docs[i + k].by};
		if (store_case_doc_add_many(g->st, r, n, e))
			return e->code;
	}
	g->ndocs = 0;
	return 0;
}

/* Effects of one event on the row (as apply_effects in case.c) and the rows beside it. */
struct life {
	struct case_rec c;
	struct cal_pause pauses[8];
	int npauses;
	int64_t pause_start;
	int32_t receipt_due;
};

static void effects(struct demo *g, struct life *l, const struct ditem *it, const struct ev *v)
{
	struct case_rec *c = &l->c;
	int32_t day = deadline_day(v->at);
	switch (v->action) {
	case CASE_A_RECEIVE:
		c->received_at = v->at;
		c->receipt_day = day;
		break;
	case CASE_A_ACCEPT:
		c->accepted_at = v->at;
		c->receipt_end = day;
		break;
	case CASE_A_REFUSE:
		c->receipt_end = day;
		break;
	case CASE_A_SUPPLEMENT:
		if (!c->accepted)
			c->receipt_end = day;
		/* fall through */
	case CASE_A_SPECIAL_START:
		l->pause_start = v->at;
		if (c->accepted && l->npauses < 8)
			l->pauses[l->npauses++] = (struct cal_pause){day, DEADLINE_NONE};
		break;
	case CASE_A_SUPPLEMENT_DONE:
	case CASE_A_SPECIAL_END:
		if (c->accepted && l->npauses)
			l->pauses[l->npauses - 1].end = day;
		if (!c->accepted) {
			int32_t due;
			if (cal_add_workdays(g->env->cal, c->receipt_day, g->env->dl.receipt_days, &due, NULL, NULL) == 0 &&
			    c->receipt_end > due)
				c->receipt_late = 1;
			c->receipt_day = day;
			c->receipt_end = DEADLINE_NONE;
		}
		l->pause_start = 0;
		break;
	case CASE_A_APPROVE_TOLERANCE:
		c->tolerance_days = g->env->dl.tolerance_days;
		break;
	default:
		break;
	}
}

/* The status row of event v (the case at status/step after it), its
** document, its 容缺 materials. */
static int write_rows(struct demo *g, const struct case_rec *c, int status, int step, int acted_step,
		      const struct ditem *it, const struct ev *v, const char *window_dept, struct rows *w,
		      struct err *e)
{
	const char *role = v->action == CASE_A_REVOKE ? "head" : it->step_role[acted_step];
	struct case_status_row *row = &w->st[w->nst++];
	*row = (struct case_status_row){
		.case_id = c->id, .status = status, .action = case_action_name(v->action), .step = step,
		.step_name = it->step_name[step], .at = v->at,
		.department = v->action == CASE_A_RECEIVE ? window_dept : g->depts[it->dept],
		.opinion = v->action == CASE_A_DENY ? "不符合法定条件、标准" : v->action == CASE_A_REFUSE
			? "申请事项不属于本机关职权范围" : v->action == CASE_A_WITHDRAW ? "申请人申请撤回"
			: v->action == CASE_A_REVOKE ? "重复申报" : v->action == CASE_A_RETURN ? "审查意见需补充论证"
			: v->action == CASE_A_SPECIAL_START ? special_reason : "",
	};
	actor(g, row->department, v->action == CASE_A_RECEIVE ? "clerk" : role, row);
	int k = doc_for(v->action);
	if (k >= 0 && number_of(g, it->dept, k, v->at, w->number[w->ndoc]))
		w->doc[w->ndoc] = (struct case_doc_row){c->id, v->at, doc_kinds[k], w->number[w->ndoc], row->username},
		w->ndoc++;
	if (v->action == CASE_A_APPROVE_TOLERANCE) {
		int32_t due;
		if (cal_add_workdays(g->env->cal, deadline_day(v->at), g->env->dl.tolerance_days, &due, NULL, NULL) == 0)
			return store_case_tolerance_add(g->st, c->id, it->material, due, c->tolerance_done_at, e);
	}
	return 0;
}

/* The pause rows, once the case's events up to --as-of are known. */
static int write_pauses(struct demo *g, const struct case_rec *c, const struct plan *p, int upto,
			const struct ditem *it, struct err *e)
{
	int accepted = 0;
	for (int i = 0; i < upto; i++) {
		const struct ev *v = &p->ev[i];
		int64_t end = 0;
		accepted |= v->action == CASE_A_ACCEPT;
		if (v->action != CASE_A_SUPPLEMENT && v->action != CASE_A_SPECIAL_START)
			continue;
		if (i + 1 < upto)
			end = p->ev[i + 1].at;
		else if (c->final_at)
			end = c->final_at;
		char mat[160];
		snprintf(mat, sizeof mat, "[\"%s\"]", it->material);
		int rc = v->action == CASE_A_SUPPLEMENT
			? store_case_supplement_add(g->st, c->id, accepted, mat, "", v->at, end, e)
			: store_case_special_add(g->st, c->id, 2, "expert", special_reason, v->arg, v->at, end,
						 end ? "评审通过" : "", e);
		if (rc)
			return rc;
	}
	return 0;
}

/* Simulate, cut at --as-of, write. *final_at and *status: where it ended. */
static int run_case(struct demo *g, const struct project *pr, const struct case_instance *in, int index,
		    const struct ditem *it, int64_t recv, int64_t ready, const char *window_dept,
		    int64_t *final_at, int *status, struct err *e)
{
	struct plan p;
	struct life l;
	struct case_state s = {0, 0, 0, it->nsteps, 0, it->tolerance};
	memset(&l, 0, sizeof l);
	plan_case(g, it, recv, ready, &p);
	struct case_rec *c = &l.c;
	c->id = g->next_case + index;     /* in number order, as case_apply opens them */
	size_t nl = strlen(in->number);
	memcpy(c->number, in->number, nl);
	c->number[nl] = (char)('0' + (index + 1) / 10 % 10);
	c->number[nl + 1] = (char)('0' + (index + 1) % 10);
	c->number[nl + 2] = 0;
	c->instance_id = in->id;
	c->project_id = pr->id;
	c->item_version_id = it->id;
	SCOPY(c->item_code, it->code);
	c->stage = in->stage;
	SCOPY(c->side_line, in->side_line);
	c->flow_type = pr->flow_type;
	SCOPY(c->department, g->depts[it->dept]);
	SCOPY(c->district, pr->division);
	c->nsteps = it->nsteps;
	c->tolerance_ok = it->tolerance;
	c->limit = it->limit;
	int upto = 0;
	for (; upto < p.n && p.ev[upto].at <= g->end; upto++) {
		struct err fe;
		if (case_next(&s, p.ev[upto].action, &s, &fe))
			return err_set(e, ERR_INTERNAL, "", "demo generated an illegal history: %s", fe.msg);
		c->status = s.status;
		c->accepted = s.accepted;
		c->pre_supplements = s.pre_supplements;
		c->step = s.step;
		effects(g, &l, it, &p.ev[upto]);
		if (case_status_final(s.status))
			c->final_at = p.ev[upto].at;
	}
	SCOPY(c->step_name, it->step_name[c->step]);
	SCOPY(c->step_role, it->step_role[c->step]);
	c->open = !case_status_final(c->status);
	c->updated_at = upto ? p.ev[upto - 1].at : recv;
	if (c->status == CASE_APPROVED_TOL && chance(&g->r, 0.85)) {
		int64_t got = later(g, c->final_at, between(&g->r, 2, 24));
		if (got <= g->end)
			c->tolerance_done_at = c->updated_at = got;    /* as case_materials_received */
	}
	struct deadline clock;
	if (case_copies(g->env, c, l.pauses, (size_t)l.npauses, g->end, &clock, e) || store_case_insert(g->st, c, e))
		return e->code;
	/* status rows carry the step at the time of each event */
	struct case_state s2 = {0, 0, 0, it->nsteps, 0, it->tolerance};
	struct rows w;
	w.nst = w.ndoc = 0;
	for (int i = 0; i < upto; i++) {
		int acted = s2.step;      /* the step the action was taken in */
		case_next(&s2, p.ev[i].action, &s2, e);
		if (write_rows(g, c, s2.status, s2.step, acted, it, &p.ev[i], window_dept, &w, e))
			return e->code;
	}
	g->final_by = w.nst ? w.st[w.nst - 1].username : NULL;
	if (flush_rows(g, &w, e) || write_pauses(g, c, &p, upto, it, e))
		return e->code;
	g->stats->cases++;
	g->stats->running += c->open;
	*final_at = c->final_at;
	*status = c->status;
	return 0;
}

/* ---- projects -------------------------------------------------------------------------------- */

struct done_item {
	int64_t passed_at;            /* 0: not passed                           */
	int running;                  /* open at --as-of                          */
};

struct pstate {
	struct project pr;
	const struct dflow *flow;
	uint64_t linked;                  /* departments already linked (bits) */
	struct done_item done[MAX_CODES];   /* by interned item code          */
	char window[48];
};

static int passed_by(const struct pstate *ps, int cid, int64_t t)
{
	return ps->done[cid].passed_at && ps->done[cid].passed_at <= t;
}

static int listed(const int *v, int n, int x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* The chosen items as case_apply takes them (parallel.c): a prerequisite
** passed by t, or of the same stage and applied for together. A missing
** prerequisite of this line comes along; an optional item whose
** prerequisite cannot be met stays out; a milestone that cannot be met
** makes the application impossible (returns 0). Returns how many. */
static int with_prereqs(const struct demo *g, const struct pstate *ps, int stage, const int *line, int nline,
			int *out, int k, int64_t t)
{
	for (int changed = 1; changed;) {
		changed = 0;
		for (int i = 0; i < k; i++) {
			const struct ditem *it = item_at(g, out[i], deadline_day(t));
			for (int q = 0; q < it->npre; q++) {
				int pre = it->pre[q];
				if (passed_by(ps, pre, t) || (ps->flow->stage_of[pre] == stage && listed(out, k, pre)))
					continue;
				changed = 1;
				if (ps->flow->stage_of[pre] == stage && listed(line, nline, pre) && !ps->done[pre].passed_at &&
				    !ps->done[pre].running && k < CASE_MAX_LINE) {
					out[k++] = pre;
				} else if (it->milestone) {
					return 0;
				} else {
					memmove(out + i, out + i + 1, (size_t)(k - i - 1) * sizeof *out);
					k--;
					i--;
					break;
				}
			}
		}
	}
	return k;
}

/* Prerequisites first: the order in which the cases of an instance decide. */
static void decision_order(const struct demo *g, const int *cids, int n, int32_t day, int *order)
{
	int placed = 0, done[CASE_MAX_LINE] = {0};
	while (placed < n) {
		int progress = 0;
		for (int i = 0; i < n; i++) {
			if (done[i])
				continue;
			const struct ditem *it = item_at(g, cids[i], day);
			int wait = 0;
			for (int k = 0; k < it->npre; k++)
				for (int j = 0; j < n; j++)
					wait |= !done[j] && j != i && cids[j] == it->pre[k];
			if (!wait) {
				order[placed++] = i;
				done[i] = progress = 1;
			}
		}
		for (int i = 0; !progress && i < n; i++)
			if (!done[i]) {
				order[placed++] = i;
				done[i] = 1;
			}
	}
}

/* One application: instance, its cases in prerequisite order. *end_at: the
** last final instant (0 when some case is still open). */
static int run_instance(struct demo *g, struct pstate *ps, int stage, const char *side_line, const int *cids,
			int n, int64_t t, int64_t *end_at, struct err *e)
{
	struct case_instance in = {0};
	char ymd[CAL_DATE_LEN];
	int32_t day = deadline_day(t);
	in.id = g->next_instance++;
	case_date(t, ymd);
	snprintf(in.number, sizeof in.number, "%s%.4s%.2s%.2s%08lld", ps->pr.division, ymd, ymd + 5, ymd + 8,
		 (long long)in.id);
	in.project_id = ps->pr.id;
	in.flow_id = ps->flow->id;
	in.stage = stage;
	SCOPY(in.side_line, side_line);
	in.ncases = n;
	in.applied_at = t;
	const struct case_demo_account *clerk = case_demo_account_for(g->accounts, ps->window, "clerk");
	SCOPY(in.applied_by, clerk ? clerk->username : names_window[between(&g->r, 0, 5)]);
	SCOPY(in.applied_department, ps->window);
	if (store_instance_insert(g->st, &in, e))
		return e->code;
	g->stats->instances++;
	int order[CASE_MAX_LINE], open = 0, passed = 0, last_dept = 0;
	int64_t last = t, last_case = 0;
	const char *last_by = NULL;
	decision_order(g, cids, n, day, order);
	for (int k = 0; k < n; k++) {
		int i = order[k];
		const struct ditem *it = item_at(g, cids[i], day);
		int64_t ready = t, fin = 0;
		int status = 0;
		for (int q = 0; q < it->npre && ready; q++) {
			int64_t p = ps->done[it->pre[q]].passed_at;
			ready = p ? (p > ready ? p : ready) : 0;
		}
		if (!(ps->linked & (1ULL << it->dept))) {
			if (project_link_department(g->st, ps->pr.id, g->depts[it->dept], e))
				return e->code;
			ps->linked |= 1ULL << it->dept;
		}
		if (run_case(g, &ps->pr, &in, i, it, t, ready, ps->window, &fin, &status, e))
			return e->code;
		struct done_item *d = &ps->done[it->cid];
		d->running = !case_status_final(status);
		if (status == CASE_APPROVED || status == CASE_APPROVED_TOL)
			d->passed_at = fin, passed++;
		open += d->running;
		if (fin >= last) {
			last = fin;
			last_case = g->next_case + i;
			last_by = g->final_by;
			last_dept = it->dept;
		}
	}
	g->next_case += n;
	*end_at = open ? 0 : last;
	if (!open) {
		int joint = strcmp(side_line, "54Y") == 0;
		if (store_instance_close(g->st, in.id, last, joint ? (passed == n ? CASE_APPROVED : CASE_DENIED) : 0, e))
			return e->code;
		if (joint && issue(g, last_case, last_dept, DOC_JOINT, last, last_by, e))
			return e->code;
	}
	return 0;
}

static const struct { const char *code, *name; int weight; } districts[] = {
	{"610202", "王益区", 25}, {"610203", "印台区", 20}, {"610204", "耀州区", 28}, {"610222", "宜君县", 10},
	{"610200", "铜川新区", 17},
};
static const struct { int type, weight; const char *kinds[4]; } flow_mix[] = {
	{3, 45, {"商住楼", "物流园", "星级酒店", "商业综合体"}},
	{4, 30, {"标准化厂房", "仓储用房", "便民服务中心", "社区商业用房"}},
	{1, 15, {"中学教学楼", "人民医院门诊楼", "养老服务中心", "文化馆"}},
	{2, 10, {"道路改造工程", "供水管网工程", "污水管网工程", "城市桥梁工程"}},
};
/* Streets, towns and sub-districts of each district, in the order of districts[]. */
static const char *const places[][6] = {
	{"红旗街", "七一路", "桃园", "青年路", "王家河", "黄堡"},            /* 王益区   */
	{"陈炉", "金锁关", "红土", "广阳", "城关", "三里洞"},                /* 印台区   */
	{"永安路", "天宝路", "董家河", "孙塬", "照金", "小丘"},              /* 耀州区   */
	{"宜阳", "彭镇", "五里", "太安", "棋盘", "尧生"},                    /* 宜君县   */
	{"正阳路", "咸丰路", "锦阳路", "华原东道", "长虹路", "坡头"},        /* 铜川新区 */
};

static int weighted(struct rng *r, const int *w, int n)
{
	int total = 0, x;
	for (int i = 0; i < n; i++)
		total += w[i];
	x = between(r, 0, total - 1);
	for (int i = 0; i < n; i++)
		if ((x -= w[i]) < 0)
			return i;
	return n - 1;
}

/* A 统一社会信用代码 with valid check characters (enterprise, 91). */
static void credit_code(struct rng *r, const char *division, char out[19])
{
	char org[9];
	for (int i = 0; i < 8; i++)
		org[i] = (char)('0' + between(r, 0, 9));
	org[8] = 0;
	snprintf(out, 19, "91%s%s%c", division, org, ids_orgcode_check_char(org));
	out[17] = ids_uscc_check_char(out);
	out[18] = 0;
}

static int insert_project(struct demo *g, int index, int d, int f, int32_t start, struct pstate *ps,
			  struct err *e)
{
	struct rng *r = &g->r;
	char code[32], name[256], addr[128], ps_date[CAL_DATE_LEN], pf_date[CAL_DATE_LEN], uscc[19], company[128];
	int y;
	const char *place = places[d][between(r, 0, 5)];
	cal_date_ymd(start, &y, NULL, NULL);
	snprintf(code, sizeof code, "%04d-%s-%02d-%02d-%06d", y, districts[d].code, between(r, 47, 48),
		 between(r, 1, 3), index + 1);
	snprintf(name, sizeof name, "%s%s%s项目", districts[d].name, place, flow_mix[f].kinds[between(r, 0, 3)]);
	snprintf(addr, sizeof addr, "陕西省铜川市%s%s%d号", districts[d].name, place, between(r, 1, 299));
	cal_date_format(start + between(r, 30, 120), ps_date);
	cal_date_format(start + between(r, 400, 1100), pf_date);
	credit_code(r, "610200", uscc);
	snprintf(company, sizeof company, "铜川%s%s有限公司", place, (const char *[]){"建设", "置业", "实业", "投资"}[between(r, 0, 3)]);
	json_t *p = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s}",
		"code", code, "gcdm", "", "name", name, "flow_type", flow_mix[f].type, "flow_code", ps->flow->code,
		"division", districts[d].code, "address", addr, "investment_wan", (json_int_t)between(r, 300, 80000),
		"land_area_m2", (json_int_t)between(r, 1000, 120000), "floor_area_m2", (json_int_t)between(r, 800, 200000),
		"planned_start", ps_date, "planned_finish", pf_date, "created_department", ps->window, "created_by", "demo");
	json_t *units = json_pack("[{s:s,s:s,s:s,s:s,s:s}]", "kind", "builder", "name", company, "credit_code", uscc,
				  "contact", names_staff[between(r, 0, 15)], "phone", "13800000000");
	int64_t id = 0;
	int rc = store_project_save(g->st, p, at_of(start, 9 * 60), &id, e);
	if (!rc)
		rc = store_project_units_set(g->st, id, units, e);
	json_decref(p);
	json_decref(units);
	if (rc)
		return rc;
	ps->pr.id = id;
	snprintf(ps->pr.code, sizeof ps->pr.code, "%s", code);
	snprintf(ps->pr.name, sizeof ps->pr.name, "%s", name);
	ps->pr.flow_type = flow_mix[f].type;
	snprintf(ps->pr.flow_code, sizeof ps->pr.flow_code, "%s", ps->flow->code);
	snprintf(ps->pr.division, sizeof ps->pr.division, "%s", districts[d].code);
	g->stats->projects++;
	return 0;
}

/* Items of a line to apply for at t: every milestone not yet passed or
** running, now and then an optional item (at most max items so far), and
** what they need. */
static int choose(struct demo *g, struct pstate *ps, int number, int joint, int all, int max, int64_t t, int *out)
{
	const struct dstage *ds = &ps->flow->st[number];
	const int *line = joint ? ds->y54 : ds->main;
	int n = joint ? ds->ny54 : ds->nmain, k = 0;
	for (int pass = 0; pass < 2; pass++)      /* milestones first, then the rest */
		for (int i = 0; i < n; i++) {
			const struct ditem *it = item_at(g, line[i], deadline_day(t));
			const struct done_item *d = &ps->done[line[i]];
			if (d->passed_at || d->running || it->milestone != (pass == 0))
				continue;
			if (!it->milestone && !all && !chance(&g->r, 0.3))
				continue;
			if (k < max)
				out[k++] = line[i];
		}
	return with_prereqs(g, ps, number, line, n, out, k, t);
}

static int milestones_passed(struct demo *g, struct pstate *ps, int number, int64_t t, int64_t *when)
{
	const struct dstage *ds = &ps->flow->st[number];
	*when = 0;
	for (int i = 0; i < ds->nmain + ds->ny54; i++) {
		int cid = i < ds->nmain ? ds->main[i] : ds->y54[i - ds->nmain];
		if (!item_at(g, cid, deadline_day(t))->milestone)
			continue;
		if (!ps->done[cid].passed_at)
			return 0;
		if (ps->done[cid].passed_at > *when)
			*when = ps->done[cid].passed_at;
	}
	return 1;
}

/* One stage: (54Y first in stage 4), the main application, one retry of
** failed milestones. *t moves to when the stage completed; 0: stalled. */
static int run_stage(struct demo *g, struct pstate *ps, int s, int64_t *t, struct err *e)
{
	const struct dstage *ds = &ps->flow->st[s];
	int codes[CASE_MAX_LINE];
	int64_t end = 0, done_at;
	int n;
	if (store_stage_start(g->st, ps->pr.id, s, ds->limit, ds->rule, *t, e))
		return e->code;
	if (s == 4 && (n = choose(g, ps, s, 1, 1, CASE_MAX_LINE, *t, codes)) > 0) {
		if (run_instance(g, ps, s, "54Y", codes, n, *t, &end, e))
			return e->code;
		if (!end || (*t = later(g, end, between(&g->r, 1, 5))) > g->end) {
			*t = 0;
			return 0;
		}
	}
	for (int round = 0; round < 2; round++) {
		n = choose(g, ps, s, 0, 0, CASE_MAX_LINE, *t, codes);
		if (n && run_instance(g, ps, s, "", codes, n, *t, &end, e))
			return e->code;
		if (milestones_passed(g, ps, s, *t, &done_at) && done_at <= g->end) {
			*t = done_at;
			return store_stage_complete(g->st, ps->pr.id, s, done_at, e);
		}
		if (!n || !end || !chance(&g->r, 0.4) || (*t = later(g, end, between(&g->r, 5, 20))) > g->end)
			break;
	}
	*t = 0;
	return 0;
}

/* 并行推进 now and then after stage 2: at most two items; the stage is
** complete with its first approval (LCBSXLX 2, as complete_stage). */
static int run_stage5(struct demo *g, struct pstate *ps, int64_t t, struct err *e)
{
	const struct dstage *ds = &ps->flow->st[5];
	int codes[CASE_MAX_LINE];
	int64_t t5 = later(g, t, between(&g->r, 0, 10)), end5, done = 0;
	int n = choose(g, ps, 5, 0, 0, 2, t5, codes);
	if (!n || t5 > g->end)
		return 0;
	if (store_stage_start(g->st, ps->pr.id, 5, ds->limit, ds->rule, t5, e) ||
	    run_instance(g, ps, 5, "", codes, n, t5, &end5, e))
		return e->code;
	for (int i = 0; i < n; i++) {
		int64_t passed = ps->done[codes[i]].passed_at;
		if (passed && (!done || passed < done))
			done = passed;
	}
	return done ? store_stage_complete(g->st, ps->pr.id, 5, done, e) : 0;
}

static int run_project(struct demo *g, int index, struct err *e)
{
	struct pstate *ps = calloc(1, sizeof *ps);
	struct rng *r = &g->r;
	int dw[5], fw[4], rc = 0;
	if (!ps)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	for (int i = 0; i < 5; i++)
		dw[i] = districts[i].weight;
	for (int i = 0; i < 4; i++)
		fw[i] = flow_mix[i].weight;
	int d = weighted(r, dw, 5), f = weighted(r, fw, 4);
	int32_t start = g->as_of - between(r, 3, 720);
	ps->flow = flow_at(g, flow_mix[f].type, start);
	if (ps->flow && start < ps->flow->from)
		start = ps->flow->from + between(r, 0, 30);
	if (!ps->flow || start > g->as_of) {
		free(ps);
		return 0;
	}
	snprintf(ps->window, sizeof ps->window, "%s-XSP", districts[d].code);
	if ((rc = insert_project(g, index, d, f, start, ps, e))) {
		free(ps);
		return rc;
	}
	int64_t t = later(g, at_of(start, 9 * 60), between(r, 0, 10)), instances = g->stats->instances;
	ps->flow = flow_version(g, ps->flow->code, deadline_day(t));   /* pinned at the first application */
	struct case_progress prog = {.project_id = ps->pr.id, .flow_id = ps->flow->id, .current_stage = 1,
				     .started_at = t};
	for (int s = 1; s <= 4 && t && t <= g->end && !rc; s++) {
		if (!ps->flow->st[s].present)
			break;
		rc = run_stage(g, ps, s, &t, e);
		if (rc || !t)
			break;
		if (s < 4)
			prog.current_stage = s + 1;
		else
			prog.finished_at = t;
		if (s == 2 && chance(r, 0.35) && ps->flow->st[5].present)
			rc = run_stage5(g, ps, t, e);
		t = later(g, t, between(r, 2, 25));
	}
	if (!rc && g->stats->instances > instances)     /* a project applied for nothing has no progress */
		rc = store_progress_put(g->st, &prog, e);
	if (!rc)
		rc = flush_status(g, e);      /* before ps (window names) goes */
	g->nsrows = 0;
	g->stats->finished_projects += prog.finished_at != 0;
	free(ps);
	return rc ? (e->code ? e->code : ERR_INTERNAL) : 0;
}

/* ---- the whole run ------------------------------------------------------------------------------ */

static int batch_audit(struct demo *g, const struct principal *who, int64_t now, int batch, struct err *e)
{
	return audit_write(g->st, who, now, "demo.import", "cases", "success",
			   json_pack("{s:b,s:i,s:I,s:I,s:I}", "imported", 1, "batch", batch,
				     "projects", (json_int_t)g->stats->projects, "cases", (json_int_t)g->stats->cases,
				     "status_rows", (json_int_t)g->stats->status_rows), e);
}

static int counters_out(struct demo *g, struct err *e)
{
	for (int d = 0; d < g->ndepts; d++)
		for (int k = 0; k < DOC_KINDS; k++)
			for (int y = 0; y < 8; y++)
				if (g->counters[d][k][y] &&
				    store_case_doc_counter_set(g->st, g->depts[d], doc_kinds[k], 2023 + y, g->counters[d][k][y], e))
					return e->code;
	return 0;
}

static int generate(struct demo *g, const struct principal *who, const struct case_demo_conf *cf, int64_t now,
		    struct err *e)
{
	int batch = 0, rc;
	if (store_begin(g->st, e))
		return e->code;
	if ((rc = store_case_next_id(g->st, &g->next_case, e)) || (rc = store_instance_next_id(g->st, &g->next_instance, e)))
		goto fail;
	for (int i = 0; i < cf->projects; i++) {
		if ((rc = run_project(g, i, e)))
			goto fail;
		if ((i + 1) % DEMO_BATCH == 0) {
			if ((rc = flush_docs(g, e)) || (rc = batch_audit(g, who, now, ++batch, e)) ||
			    (rc = store_commit(g->st, e)))
				return rc;
			if ((rc = store_begin(g->st, e)))
				return rc;
		}
	}
	if ((rc = flush_docs(g, e)) || (rc = counters_out(g, e)) || (rc = batch_audit(g, who, now, ++batch, e)))
		goto fail;
	g->stats->batches = batch;
	return store_commit(g->st, e);
fail:
	store_rollback(g->st);
	return rc;
}

int case_demo(struct store *st, const struct case_env *env, const struct principal *who,
	      const struct case_demo_conf *cf, int64_t now, struct case_demo_stats *out, struct err *e)
{
	struct demo *g = calloc(1, sizeof *g);
	if (!g)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	memset(out, 0, sizeof *out);
	g->st = st;
	g->env = env;
	g->stats = out;
	g->r.s = cf->seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
	g->as_of = cf->as_of;
	g->end = at_of(cf->as_of + 1, 0) - 1;
	if (g->end > now)             /* nothing later than the moment it runs */
		g->end = now;
	g->accounts = cf->accounts;
	int rc = load_kind(g, CATALOG_ITEMS, e);
	if (!rc)
		rc = load_kind(g, CATALOG_FLOWS, e);
	if (!rc && (!g->nitems || !g->nflows))
		rc = err_set(e, ERR_INVALID, "db", "目录为空，请先导入审批事项目录 (empty catalogue)");
	char *saved = NULL;
	if (!rc && !(rc = store_case_bulk_begin(st, &saved, e))) {
		double t0 = clock_mono_ms();
		rc = generate(g, who, cf, now, e);
		double t1 = clock_mono_ms();
		/* the indexes come back even when generation failed */
		int rc2 = store_case_bulk_end(st, saved, rc ? &(struct err){0} : e);
		rc = rc ? rc : rc2;
		out->rows_seconds = (t1 - t0) / 1000;
		out->index_seconds = (clock_mono_ms() - t1) / 1000;
	}
	for (int i = 0; i < g->nflows; i++)
		json_decref(g->flows[i].doc);
	free(g->docs);
	free(g->srows);
	free(g);
	return rc ? (e->code ? e->code : ERR_INTERNAL) : 0;
}
