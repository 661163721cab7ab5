/*
** stats_live.c: the maintained aggregates — the observer of every 办件
** change, the light pass, rebuild and check (see stats_live.h).
**
** A case's counted facts (struct stats_snap) are built in one place,
** snap_build, from the lifecycle's view of the case (struct case_snap, with
** the clock of the one deadline function) and a few facts of its rows
** (store_stats_case_extra). Applying a change is always: subtract the stored
** row's cells, store the new row, add its cells (snap_update).
*/
#include "stats/stats_live.h"
#include "approval/case_fsm.h"
#include "stats/stats_cells.h"
#include "stats/stats_projects.h"
#include "base/clock.h"
#include "base/log.h"
#include "store/store_case.h"
#include "store/store_ops.h"
#include "store/store_stats.h"

#include <stdio.h>
#include <string.h>

#define LIGHTS_JOB "stats.lights"
#define LIGHTS_LEASE 600          /* seconds; renewed after every batch */
#define LIGHTS_BATCH 500

/* ---- a case's counted facts --------------------------------------------------------- */

static int outcome_of(int status)
{
	switch (status) {
	case CASE_APPROVED: return SO_APPROVED;
	case CASE_APPROVED_TOL: return SO_APPROVED_TOL;
	case CASE_DENIED: return SO_DENIED;
	case CASE_NOT_ACCEPTED:
	case CASE_REFUSED: return SO_REFUSED;
	case CASE_CANCELLED: return SO_CANCELLED;
	case CASE_WITHDRAWN: return SO_WITHDRAWN;
	case CASE_REVOKED: return SO_REVOKED;
	default: return SO_RUNNING;
	}
}

/* The day the light of a running, accepted, unpaused case may change by
** itself: yellow on the warning day, red the day after the due day. */
static int32_t next_check(const struct case_snap *a, int32_t today)
{
	const struct deadline *d = &a->clock;
	int32_t next;
	if (!a->accepted || case_status_final(a->status) || case_status_pausing(a->status, a->accepted))
		return 0;
	if (d->light == LIGHT_GREEN && d->warn_day != DEADLINE_NONE)
		next = d->warn_day;
	else if ((d->light == LIGHT_GREEN || d->light == LIGHT_YELLOW) && d->due_day != DEADLINE_NONE)
		next = d->due_day + 1;
	else
		return 0;
	return next > today ? next : today + 1;
}

static void snap_build(const struct case_snap *a, const struct stats_case_extra *x, int32_t today,
		       struct stats_snap *s)
{
	memset(s, 0, sizeof *s);
	s->case_id = a->id;
	snprintf(s->district, sizeof s->district, "%s", a->district);
	snprintf(s->department, sizeof s->department, "%s", a->department);
	snprintf(s->item, sizeof s->item, "%s", a->item_code);
	s->stage = a->stage;
	s->flow_type = a->flow_type;
	s->status = a->status;
	s->outcome = outcome_of(a->status);
	s->recv_day = deadline_day(a->received_at);
	s->acc_day = a->accepted && a->accepted_at ? deadline_day(a->accepted_at) : 0;
	s->fin_day = s->outcome != SO_RUNNING && a->final_at ? deadline_day(a->final_at) : 0;
	s->light = s->outcome == SO_RUNNING && a->accepted ? a->clock.light : SL_NONE;
	s->supp = x->supp;
	s->special = x->special;
	s->parallel = x->ncases >= 2;
	s->inst_first = x->inst_first;
	s->wd = s->nd = s->lim = s->paused = -1;
	if (case_status_concluded(a->status)) {
		s->late = a->clock.on_time == 0;
		s->wd = a->clock.workdays_used;
		s->nd = s->acc_day && s->fin_day ? s->fin_day - s->acc_day : 0;
		s->lim = x->limit;
		s->paused = a->clock.paused_workdays;
	}
	s->next_check = s->outcome == SO_RUNNING ? next_check(a, today) : 0;
}

/* Equal as far as the aggregates are concerned (next_check aside). */
static int same_cells(const struct stats_snap *a, const struct stats_snap *b)
{
	return a->stage == b->stage && a->flow_type == b->flow_type && a->status == b->status &&
		a->outcome == b->outcome && a->light == b->light && a->recv_day == b->recv_day &&
		a->acc_day == b->acc_day && a->fin_day == b->fin_day && a->late == b->late &&
		a->supp == b->supp && a->special == b->special && a->parallel == b->parallel &&
		a->inst_first == b->inst_first && a->wd == b->wd && a->nd == b->nd && a->lim == b->lim &&
		a->paused == b->paused && strcmp(a->district, b->district) == 0 &&
		strcmp(a->department, b->department) == 0 && strcmp(a->item, b->item) == 0;
}

/* The cells of old (subtracted, when given) and of new (added), merged by
** key so a change writes each cell once; zero deltas are dropped. */
static int cell_deltas(const struct stats_snap *old, const struct stats_snap *new, struct stats_cell out[6])
{
	struct stats_cell a[3], b[3];
	int na = old ? stats_cells_of(old, a) : 0, nb = stats_cells_of(new, b), n = 0;
	for (int i = 0; i < na; i++) {
		out[n] = a[i];
		for (int k = 0; k < SC_COUNT; k++)
			out[n].v[k] = -out[n].v[k];
		n++;
	}
	for (int j = 0; j < nb; j++) {
		int m = 0;
		while (m < n && memcmp(&out[m].k, &b[j].k, sizeof b[j].k) != 0)
			m++;
		if (m == n) {
			out[n].k = b[j].k;
			memset(out[n].v, 0, sizeof out[n].v);
			n++;
		}
		for (int k = 0; k < SC_COUNT; k++)
			out[m].v[k] += b[j].v[k];
	}
	return n;
}

static int nonzero(const int64_t *v)
{
	for (int k = 0; k < SC_COUNT; k++)
		if (v[k])
			return 1;
	return 0;
}

/* Apply the change old -> new (old NULL: a case not counted yet). */
static int apply(struct store *st, const struct stats_snap *old, const struct stats_snap *new, struct err *e)
{
	struct stats_cell d[6];
	struct stats_key ka, kb;
	int wa, wb, n = cell_deltas(old, new, d);
	for (int i = 0; i < n; i++)
		if (nonzero(d[i].v) && store_stats_day_add(st, &d[i].k, d[i].v, e))
			return e->code;
	int ha = old && stats_hist_of(old, &ka, &wa), hb = stats_hist_of(new, &kb, &wb);
	if (ha != hb || (ha && (wa != wb || memcmp(&ka, &kb, sizeof ka) != 0))) {
		if ((ha && store_stats_wd_add(st, &ka, wa, -1, e)) || (hb && store_stats_wd_add(st, &kb, wb, 1, e)))
			return e->code;
	}
	if (old && old->status == new->status && old->light == new->light &&
	    strcmp(old->district, new->district) == 0 && strcmp(old->department, new->department) == 0)
		return 0;
	if (old && store_stats_live_add(st, old->district, old->department, old->status, old->light, -1, e))
		return e->code;
	return store_stats_live_add(st, new->district, new->department, new->status, new->light, 1, e);
}

/* Move the aggregates from the stored row of the case to s. */
static int snap_update(struct store *st, const struct stats_snap *s, int *changed, struct err *e)
{
	struct stats_snap old;
	int found;
	if (changed)
		*changed = 0;
	if (store_stats_case_get(st, s->case_id, &old, &found, e))
		return e->code;
	if (found && same_cells(&old, s))
		return old.next_check == s->next_check ? 0 : store_stats_case_put(st, s, e);
	if (apply(st, found ? &old : NULL, s, e) || store_stats_case_put(st, s, e))
		return e->code;
	if (changed)
		*changed = 1;
	return 0;
}

int stats_case_observer(struct store *st, const struct case_snap *before, const struct case_snap *after,
			int64_t now, struct err *e)
{
	struct stats_case_extra x;
	struct stats_snap s;
	(void)before;   /* the stored row is what the aggregates counted */
	if (store_stats_case_extra(st, after->id, &x, e))
		return e->code;
	snap_build(after, &x, deadline_day(now), &s);
	return snap_update(st, &s, NULL, e);
}

/* The lifecycle's view of case c at now (the clock from the one deadline
** function, through case_clock). */
static int case_view(struct store *st, const struct case_env *env, const struct case_rec *c, int64_t now,
		     struct case_snap *a, struct err *e)
{
	*a = (struct case_snap){
		.id = c->id, .instance_id = c->instance_id, .project_id = c->project_id,
		.status = c->status, .accepted = c->accepted, .stage = c->stage,
		.side_line = c->side_line, .flow_type = c->flow_type, .department = c->department,
		.district = c->district, .item_code = c->item_code, .received_at = c->received_at,
		.accepted_at = c->accepted_at, .final_at = c->final_at,
	};
	return case_clock(st, env, c, now, &a->clock, e);
}

/* The facts of case_id recounted from the raw rows at now. */
static int snap_recount(struct store *st, const struct case_env *env, int64_t case_id, int64_t now,
			struct stats_snap *s, struct err *e)
{
	struct case_rec c;
	struct case_snap a;
	struct stats_case_extra x;
	if (store_case_get(st, case_id, &c, e) || case_view(st, env, &c, now, &a, e) ||
	    store_stats_case_extra(st, case_id, &x, e))
		return e->code;
	snap_build(&a, &x, deadline_day(now), s);
	return 0;
}

int stats_case_refresh(struct store *st, const struct case_env *env, int64_t case_id, int64_t now,
		       int *changed, struct err *e)
{
	struct stats_snap s;
	if (snap_recount(st, env, case_id, now, &s, e))
		return e->code;
	return snap_update(st, &s, changed, e);
}

int stats_case_forget(struct store *st, int64_t case_id, struct err *e)
{
	struct stats_snap old;
	struct stats_cell c[3];
	struct stats_key k;
	int found, wd;
	if (store_stats_case_get(st, case_id, &old, &found, e))
		return e->code;
	if (!found)
		return 0;
	int n = stats_cells_of(&old, c);
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < SC_COUNT; j++)
			c[i].v[j] = -c[i].v[j];
		if (nonzero(c[i].v) && store_stats_day_add(st, &c[i].k, c[i].v, e))
			return e->code;
	}
	if (stats_hist_of(&old, &k, &wd) && store_stats_wd_add(st, &k, wd, -1, e))
		return e->code;
	if (store_stats_live_add(st, old.district, old.department, old.status, old.light, -1, e))
		return e->code;
	return store_stats_case_del(st, case_id, e);
}

/* ---- the light pass ------------------------------------------------------------------- */

/* One batch of due cases in one transaction; *n how many were due. */
static int lights_batch(struct store *st, const struct case_env *env, int64_t now, struct stats_pass *p,
			int *n, struct err *e)
{
	int64_t ids[LIGHTS_BATCH];
	int changed;
	if (store_begin(st, e))
		return e->code;
	if (store_stats_due(st, deadline_day(now), ids, LIGHTS_BATCH, n, e))
		goto fail;
	for (int i = 0; i < *n; i++) {
		if (stats_case_refresh(st, env, ids[i], now, &changed, e))
			goto fail;
		p->examined++;
		p->changed += changed;
	}
	return store_commit(st, e);
fail:
	store_rollback(st);
	return e->code;
}

static int lights_mark(struct store *st, int64_t now, struct err *e)
{
	struct stats_meta m;
	if (store_stats_meta_get(st, &m, e))
		return e->code;
	m.lights_day = deadline_day(now);
	m.lights_at = now;
	return store_stats_meta_put(st, &m, e);
}

int stats_lights(struct store *st, const struct case_env *env, int64_t now, const char *trigger,
		 struct stats_pass *out, struct err *e)
{
	struct stats_pass p = {0};
	int n, rc;
	char msg[200], details[200];
	if (store_ops_run_claim(st, LIGHTS_JOB, trigger, now, LIGHTS_LEASE, 1, &p.run_id, &p.expired, e))
		return e->code;
	if (p.expired)
		log_warn("stats", "%d abandoned run(s) marked expired before the light pass", p.expired);
	do {
		rc = lights_batch(st, env, now, &p, &n, e);
		if (!rc && n && store_ops_run_renew(st, p.run_id, clock_now(NULL) > now ? clock_now(NULL) + LIGHTS_LEASE
						    : now + LIGHTS_LEASE, e))
			rc = e->code;
	} while (!rc && n == LIGHTS_BATCH);
	if (!rc)
		rc = lights_mark(st, now, e);
	/* whole projects: the months whose mark a change dropped (stats_projects.h) */
	if (!rc)
		rc = stats_projects_fill(st, env, now, 1, &p.months, e);
	snprintf(details, sizeof details, "{\"examined\":%lld,\"changed\":%lld,\"project_months\":%d}",
		 (long long)p.examined, (long long)p.changed, p.months);
	if (rc) {
		struct err e2;
		snprintf(msg, sizeof msg, "预警/逾期灯刷新失败: %s", e->msg);
		log_error("stats", "light pass failed: %s", e->msg);
		store_ops_run_finish(st, p.run_id, "failed", "CRIT", msg, details, now, &e2);
		return rc;
	}
	snprintf(msg, sizeof msg, "预警/逾期灯已刷新: 检查 %lld 件, 变化 %lld 件", (long long)p.examined,
		 (long long)p.changed);
	if (store_ops_run_finish(st, p.run_id, "done", "OK", msg, details, now, e))
		return e->code;
	if (out)
		*out = p;
	return 0;
}

int stats_lights_if_stale(struct store *st, const struct case_env *env, int64_t now, const char *trigger,
			  struct err *e)
{
	struct stats_meta m;
	if (store_stats_meta_get(st, &m, e))
		return e->code;
	if (m.lights_day >= deadline_day(now))
		return stats_projects_catch_up(st, env, now, e);
	int rc = stats_lights(st, env, now, trigger, NULL, e);
	/* another process is running it right now: its result will do */
	return rc == ERR_CONFLICT ? (err_clear(e), 0) : rc;
}

/* ---- rebuild ------------------------------------------------------------------------- */

struct walk {
	struct store *st;
	const struct case_env *env;
	int64_t now;
	int64_t cases;
	struct err *e;
	struct stats_agg *agg;        /* the recount, summed in memory        */
	char *diff;                   /* check: first difference, else NULL   */
	size_t ndiff;
};

/* The facts of a scanned case at the walk's instant. */
static int snap_of_row(struct walk *w, const struct stats_scan_row *r, struct stats_snap *s)
{
	struct case_snap a;
	if (case_view(w->st, w->env, &r->c, w->now, &a, w->e))
		return w->e->code ? w->e->code : ERR_INTERNAL;
	snap_build(&a, &r->x, deadline_day(w->now), s);
	return 0;
}

static int rebuild_one(void *arg, const struct stats_scan_row *r)
{
	struct walk *w = arg;
	struct stats_snap s;
	w->cases++;
	if (snap_of_row(w, r, &s) || store_stats_case_put(w->st, &s, w->e) || stats_agg_add(w->agg, &s, 1, w->e))
		return w->e->code ? w->e->code : ERR_INTERNAL;
	return 0;
}

/* Writing the summed cells into the emptied tables. */
static int put_day(void *arg, const struct stats_key *k, const int64_t *v)
{
	struct walk *w = arg;
	return store_stats_day_add(w->st, k, v, w->e);
}

static int put_hist(void *arg, const struct stats_key *k, int wd, int64_t n)
{
	struct walk *w = arg;
	return store_stats_wd_add(w->st, k, wd, n, w->e);
}

static int put_live(void *arg, const char *district, const char *department, int status, int light, int64_t n)
{
	struct walk *w = arg;
	return store_stats_live_add(w->st, district, department, status, light, n, w->e);
}

/* Claim a job run for a maintenance job (recorded like every job). */
static int job_start(struct store *st, const char *job, const char *trigger, int64_t now, int64_t *run,
		     struct err *e)
{
	int expired = 0;
	if (store_ops_run_claim(st, job, trigger, now, 3600, 1, run, &expired, e))
		return e->code;
	if (expired)
		log_warn("stats", "%d abandoned run(s) marked expired", expired);
	return 0;
}

static void job_end(struct store *st, int64_t run, int rc, const char *what, const struct err *e, int64_t now)
{
	char msg[500];
	struct err e2;
	if (rc) {
		snprintf(msg, sizeof msg, "%s失败: %s", what, e->msg);
		log_error("stats", "%s failed: %s", what, e->msg);
	} else {
		snprintf(msg, sizeof msg, "%s完成", what);
	}
	store_ops_run_finish(st, run, rc ? "failed" : "done", rc ? "CRIT" : "OK", msg, NULL, now, &e2);
}

static int rebuild_locked(struct walk *w, struct err *e)
{
	static const struct stats_agg_fns put = {put_day, put_hist, put_live};
	struct stats_meta m;
	if (store_stats_clear(w->st, e) || store_stats_scan(w->st, rebuild_one, w, e) ||
	    stats_agg_each(w->agg, &put, w) || store_stats_joint_recount(w->st, e) ||
	    stats_projects_fill(w->st, w->env, w->now, 0, NULL, e) || store_stats_meta_get(w->st, &m, e))
		return e->code ? e->code : ERR_INTERNAL;
	m.lights_day = deadline_day(w->now);
	m.lights_at = w->now;
	m.rebuilt_at = w->now;
	return store_stats_meta_put(w->st, &m, e);
}

int stats_rebuild(struct store *st, const struct case_env *env, int64_t now, struct stats_rebuild_result *out,
		  struct err *e)
{
	struct walk w = {st, env, now, 0, e, stats_agg_new(), NULL, 0};
	int64_t run;
	double t0 = clock_mono_ms();
	if (!w.agg)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (job_start(st, "stats.rebuild", "cli", now, &run, e)) {
		stats_agg_free(w.agg);
		return e->code;
	}
	int rc = store_stats_bulk(st, 1, e);
	if (!rc)
		rc = store_begin(st, e);
	if (!rc && (rc = rebuild_locked(&w, e)))
		store_rollback(st);
	else if (!rc)
		rc = store_commit(st, e);
	store_stats_bulk(st, 0, &(struct err){0});
	stats_agg_free(w.agg);
	job_end(st, run, rc, "统计重建", e, now);
	if (out) {
		out->cases = w.cases;
		out->ms = clock_mono_ms() - t0;
	}
	return rc;
}

/* ---- check --------------------------------------------------------------------------- */

/* Name the first field where the stored facts a differ from the recount b. */
static void snap_diff(const struct stats_snap *a, const struct stats_snap *b, char *out, size_t n)
{
	const struct {
		const char *name;
		long long x, y;
	} f[] = {
		{"status", a->status, b->status}, {"outcome", a->outcome, b->outcome},
		{"light", a->light, b->light}, {"recv_day", a->recv_day, b->recv_day},
		{"acc_day", a->acc_day, b->acc_day}, {"fin_day", a->fin_day, b->fin_day},
		{"late", a->late, b->late}, {"supp", a->supp, b->supp}, {"special", a->special, b->special},
		{"parallel", a->parallel, b->parallel}, {"inst_first", a->inst_first, b->inst_first},
		{"wd", a->wd, b->wd}, {"nd", a->nd, b->nd}, {"lim", a->lim, b->lim},
		{"paused", a->paused, b->paused}, {"stage", a->stage, b->stage},
		{"flow_type", a->flow_type, b->flow_type},
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (f[i].x != f[i].y) {
			snprintf(out, n, "stats_case %lld: %s maintained %lld recount %lld", (long long)a->case_id,
				 f[i].name, f[i].x, f[i].y);
			return;
		}
	snprintf(out, n, "stats_case %lld: keys maintained %s/%s/%s recount %s/%s/%s", (long long)a->case_id,
		 a->district, a->department, a->item, b->district, b->department, b->item);
}

static int check_one(void *arg, const struct stats_scan_row *r)
{
	struct walk *w = arg;
	struct stats_snap kept, fresh;
	int found;
	int64_t id = r->c.id;
	w->cases++;
	if (snap_of_row(w, r, &fresh) || store_stats_case_get(w->st, id, &kept, &found, w->e))
		return w->e->code ? w->e->code : ERR_INTERNAL;
	if (!found)
		snprintf(w->diff, w->ndiff, "case %lld is not counted (no stats_case row)", (long long)id);
	else if (!same_cells(&kept, &fresh))
		snap_diff(&kept, &fresh, w->diff, w->ndiff);
	if (w->diff[0])
		return 1;
	return stats_agg_add(w->agg, &fresh, 1, w->e) ? w->e->code : 0;
}

/* Each maintained row against the recount. */
static int match_day(void *arg, const struct stats_key *k, const int64_t *v)
{
	struct walk *w = arg;
	return stats_agg_match_day(w->agg, k, v, w->diff, w->ndiff);
}

static int match_wd(void *arg, const struct stats_key *k, int wd, int64_t n)
{
	struct walk *w = arg;
	return stats_agg_match_hist(w->agg, k, wd, n, w->diff, w->ndiff);
}

static int match_live(void *arg, const char *district, const char *department, int status, int light, int64_t n)
{
	struct walk *w = arg;
	return stats_agg_match_live(w->agg, district, department, status, light, n, w->diff, w->ndiff);
}

static int match_month(void *arg, const struct stats_key *k, const int64_t *v)
{
	struct walk *w = arg;
	return stats_agg_match_month(w->agg, k, v, w->diff, w->ndiff);
}

static int match_month_wd(void *arg, const struct stats_key *k, int wd, int64_t n)
{
	struct walk *w = arg;
	return stats_agg_match_month_hist(w->agg, k, wd, n, w->diff, w->ndiff);
}

static int check_locked(struct store *st, struct walk *w, struct stats_check_result *out, struct err *e)
{
	int64_t ncases, nsnaps;
	int rc = store_stats_scan(st, check_one, w, e);
	if (rc < 0)
		return rc;
	out->cases = w->cases;
	if (out->diff[0])
		return 0;
	if (store_stats_counts(st, &ncases, &nsnaps, e))
		return e->code;
	if (ncases != nsnaps) {
		snprintf(out->diff, sizeof out->diff, "stats_case has %lld rows for %lld cases", (long long)nsnaps,
			 (long long)ncases);
		return 0;
	}
	static const struct stats_rows_fns match = {match_day, match_wd, match_live, match_month, match_month_wd};
	int rc2 = store_stats_rows(st, &match, w, e);
	if (rc2 < 0)
		return rc2;
	if (!out->diff[0])
		stats_agg_unseen(w->agg, out->diff, sizeof out->diff);
	if (!out->diff[0] && store_stats_joint_check(st, out->diff, sizeof out->diff, e))
		return e->code;
	if (!out->diff[0] && stats_projects_check(st, w->env, w->now, out->diff, sizeof out->diff, e))
		return e->code;
	out->equal = !out->diff[0];
	return 0;
}

int stats_check(struct store *st, const struct case_env *env, int64_t now, const char *trigger,
		struct stats_check_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct walk w = {st, env, now, 0, e, stats_agg_new(), out->diff, sizeof out->diff};
	if (!w.agg)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (stats_lights(st, env, now, trigger, &out->pass, e) || store_stats_bulk(st, 1, e) || store_begin(st, e)) {
		store_stats_bulk(st, 0, &(struct err){0});
		stats_agg_free(w.agg);
		return e->code;
	}
	/* the write lock held: nothing changes between the recount and the compare */
	int rc = check_locked(st, &w, out, e);
	store_rollback(st);
	store_stats_bulk(st, 0, &(struct err){0});
	stats_agg_free(w.agg);
	if (rc)
		return rc;
	if (out->diff[0])
		out->equal = 0;
	return 0;
}
