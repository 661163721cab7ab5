/*
** quality.c: runs and the findings' lifecycle (see quality.h).
**
** A run evaluates first (no lock held: reads only), then takes the write
** lock once: it loads every stored finding into a hash of (rule, object
** key), walks the hits (new -> insert, fixed -> reopen, open/overdue/
** dismissed -> nothing), closes the open ones no hit named (fixed by this
** run), escalates the open ones past their deadline, keeps the status
** pass's marks, records the run and its audit row, and commits. A run that
** finds what the last one found writes the run row, its audit row and the
** status read mark, nothing else.
*/
#include "quality/quality_int.h"
#include "approval/deadline.h"
#include "base/clock.h"
#include "base/json.h"
#include "org/audit.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const struct dict_entry status_names[] = {
	{"open", "待整改"}, {"overdue", "逾期未整改"}, {"fixed", "已整改"}, {"dismissed", "已核销"}, {NULL, NULL},
};
static const struct dict_entry severity_names[] = {{"error", "错误"}, {"warn", "警告"}, {NULL, NULL}};
static const struct dict_entry object_names[] = {
	{"project", "项目"}, {"unit", "项目单位"}, {"case", "办件"}, {"status", "办理记录"}, {"item", "审批事项"},
	{"stage", "流程阶段"}, {"exchange", "上报数据"}, {NULL, NULL},
};
static const struct dict_entry kind_names[] = {
	{"required", "必填项"}, {"code_list", "代码项"}, {"format", "格式/校验位"}, {"time_order", "时间顺序"},
	{"limit", "时限"}, {"referential", "关联关系"}, {"stale", "长期停滞"}, {"duplicate", "重复"},
	{"overdue", "逾期"}, {"rejected", "省级退回"}, {NULL, NULL},
};
static const struct dict_entry event_names[] = {
	{"found", "发现"}, {"reopened", "复发"}, {"fixed", "整改完成"}, {"overdue", "逾期督办"}, {"dismissed", "核销"},
	{NULL, NULL},
};

const struct dict quality_dicts[] = {
	{"quality.status", status_names}, {"quality.severity", severity_names}, {"quality.object", object_names},
	{"quality.kind", kind_names}, {"quality.event", event_names}, {NULL, NULL},
};

int quality_conf_load(const struct conf *c, struct quality_conf *out, struct err *e)
{
	*out = QUALITY_CONF_DEFAULT;
	if (!c)
		return 0;
	if (conf_int_ok(c, "quality", "error_days", 1, 365, e) || conf_int_ok(c, "quality", "warn_days", 1, 365, e) ||
	    conf_int_ok(c, "quality", "notice_days", 1, 365, e) || conf_int_ok(c, "quality", "run_at", 0, 1439, e))
		return e->code;
	out->error_days = (int)conf_int(c, "quality", "error_days", out->error_days);
	out->warn_days = (int)conf_int(c, "quality", "warn_days", out->warn_days);
	out->notice_days = (int)conf_int(c, "quality", "notice_days", out->notice_days);
	out->run_at = (int)conf_int(c, "quality", "run_at", out->run_at);
	return 0;
}

int q_scope_of(const struct principal *who, struct q_scope *sc, struct err *e)
{
	memset(sc, 0, sizeof *sc);
	if (rbac_city_wide(who) || rbac_has(who, ROLE_OPS))
		return 0;
	if (!rbac_has(who, ROLE_HEAD | ROLE_REVIEWER))
		return err_set(e, ERR_FORBIDDEN, "", "无权查看数据质检结果");
	switch (rbac_window(who, sc->win)) {
	case 2:
		return 0;
	case 1:
		sc->district = sc->win;
		return 0;
	}
	if (who->department[0])
		sc->department = who->department;
	else if (who->district[0])
		sc->district = who->district;
	else
		return err_set(e, ERR_FORBIDDEN, "", "账号未关联部门或区县，无数据范围");
	return 0;
}

int quality_may_run(const struct principal *who)
{
	return who->cli || rbac_has(who, ROLE_LEADER | ROLE_OPS);
}

/* ---- the stored findings as a hash --------------------------------------------------------------- */

struct slot {
	int64_t id;                   /* 0: empty */
	int rule;                     /* index into the rule set */
	char status;                  /* 'o' open, 'v' overdue, 'f' fixed, 'd' dismissed */
	char seen;                    /* found by this run */
	char *key;
};

struct known {
	struct slot *v;
	size_t cap, n;
	const struct q_ruleset *rs;
	const struct q_rule *last;    /* of the previous row: findings come in runs of a rule */
	int oom;
};

static uint64_t hash(int rule, const char *key)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)rule;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return h;
}

static struct slot *slot_of(struct known *k, int rule, const char *key)
{
	size_t i = hash(rule, key) & (k->cap - 1);
	while (k->v[i].id && (k->v[i].rule != rule || strcmp(k->v[i].key, key) != 0))
		i = (i + 1) & (k->cap - 1);
	return &k->v[i];
}

static int grow(struct known *k)
{
	if ((k->n + 1) * 2 <= k->cap)
		return 0;
	struct known nk = {.cap = k->cap ? k->cap * 2 : 65536};   /* a city has tens of thousands */
	nk.v = calloc(nk.cap, sizeof *nk.v);
	if (!nk.v)
		return -1;
	for (size_t i = 0; i < k->cap; i++)
		if (k->v[i].id)
			*slot_of(&nk, k->v[i].rule, k->v[i].key) = k->v[i];
	free(k->v);
	k->v = nk.v;
	k->cap = nk.cap;
	return 0;
}

static int known_put(struct known *k, int64_t id, int rule, const char *key, char status, char seen)
{
	if (grow(k))
		return k->oom = 1;
	struct slot *s = slot_of(k, rule, key);
	if (!s->id) {
		s->key = strdup(key);
		if (!s->key)
			return k->oom = 1;
		k->n++;
	}
	s->id = id;
	s->rule = rule;
	s->status = status;
	s->seen = seen;
	return 0;
}

static int known_row(void *arg, int64_t id, const char *rule, const char *key, const char *status)
{
	struct known *k = arg;
	const struct q_rule *r = k->last && strcmp(k->last->id, rule) == 0 ? k->last : q_rule_find(k->rs, rule);
	k->last = r;
	if (!r)
		return 0;                                   /* a rule no longer known: left alone */
	return known_put(k, id, (int)(r - k->rs->v), key, status[0] == 'o' && status[1] == 'v' ? 'v' : status[0], 0);
}

static void known_free(struct known *k)
{
	for (size_t i = 0; i < k->cap; i++)
		free(k->v[i].key);
	free(k->v);
}

/* ---- a run ------------------------------------------------------------------------------------------- */

struct run {
	struct store *st;
	const struct quality_env *env;
	const struct q_ruleset *rs;
	const struct principal *who;
	int64_t now;
	int32_t today;
	const int *active, *skipped;
	int *counts;                  /* hits per rule (deduplicated) */
	struct known k;
	struct qs_run row;
	struct q_status status;       /* what the status pass concluded, kept with the run */
	struct q_cases cases;         /* what the case pass concluded, kept with the run   */
};

static int deadline_of(const struct run *x, const char *severity, int32_t *out, struct err *e)
{
	int days = strcmp(severity, "error") == 0 ? x->env->conf.error_days : x->env->conf.warn_days;
	return cal_add_workdays(x->env->cal, x->today, days, out, NULL, e);
}

/* One hit against the stored findings. */
static int apply_hit(struct run *x, const struct q_hit *h, struct err *e)
{
	const struct q_rule *r = &x->rs->v[h->rule];
	struct slot *s = slot_of(&x->k, h->rule, h->key);
	if (s->id && s->seen)
		return 0;                                   /* found twice by this run */
	x->counts[h->rule]++;
	x->row.found++;
	if (s->id && s->status != 'f') {
		s->seen = 1;
		return 0;
	}
	int32_t due;
	char *msg = q_message(r, h);
	int rc = deadline_of(x, r->severity, &due, e);
	if (!rc && s->id) {
		s->seen = 1;
		s->status = 'o';
		x->row.reopened++;
		rc = store_quality_finding_reopen(x->st, s->id, msg, due, e);
		if (!rc)
			rc = store_quality_event(x->st, s->id, x->row.id, x->now, "reopened", x->who->username, msg, e);
	} else if (!rc) {
		struct qs_finding f = {r->id, r->severity, r->object, h->key, h->object, h->department,
				       h->district[0] ? h->district : "610200", msg, due};
		int64_t id;
		x->row.opened++;
		rc = store_quality_finding_add(x->st, &f, x->now, x->row.id, &id, e);
		if (!rc)
			rc = store_quality_event(x->st, id, x->row.id, x->now, "found", x->who->username, "", e);
		if (!rc && (known_put(&x->k, id, h->rule, h->key, 'o', 1) || x->k.oom))
			rc = err_set(e, ERR_INTERNAL, "", "out of memory");
	}
	free(msg);
	assert(!rc || e->code);
	return rc;
}

/* Open findings of the rules that ran and that no hit named: fixed. */
static int close_unseen(struct run *x, struct err *e)
{
	for (size_t i = 0; i < x->k.cap; i++) {
		struct slot *s = &x->k.v[i];
		if (!s->id || s->seen || (s->status != 'o' && s->status != 'v') || !x->active[s->rule] ||
		    x->skipped[s->rule])
			continue;
		if (store_quality_finding_fixed(x->st, s->id, x->now, x->row.id, e) ||
		    store_quality_event(x->st, s->id, x->row.id, x->now, "fixed", x->who->username, "", e))
			return e->code;
		x->row.fixed++;
	}
	return 0;
}

/* Keep what the status and case passes concluded (unless another run kept
** its own meanwhile). */
static int keep_marks(struct run *x, struct err *e)
{
	const struct q_status *q = &x->status;
	const struct q_cases *c = &x->cases;
	int kept;
	if (q->ran && store_quality_marks_put(x->st, &q->read, x->row.id, q->full, q->cases, q->ncases, q->fresh,
					      q->nfresh, &kept, e))
		return e->code;
	struct qs_case_marks m = {c->all, c->judged, c->njudged, c->insts, c->ninsts, c->suspects, c->dups,
				  c->nsuspects, c->ndups};
	if (c->ran && store_quality_case_marks_put(x->st, &c->read, c->fingerprint, x->row.id, &m, &kept, e))
		return e->code;
	return 0;
}

static int write_run(struct run *x, const struct q_hits *hits, struct err *e)
{
	if (store_quality_run_put(x->st, &x->row, e) || keep_marks(x, e) ||
	    store_quality_findings_all(x->st, known_row, &x->k, e))
		return e->code;
	if (x->k.oom)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (!x->k.cap && grow(&x->k))
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	for (size_t i = 0; i < hits->n; i++)
		if (apply_hit(x, &hits->v[i], e))
			return e->code;
	if (close_unseen(x, e) || store_quality_escalate(x->st, x->today, x->row.id, x->now, x->who->username,
							 &x->row.escalated, e) ||
	    store_quality_open_count(x->st, &x->row.open_after, e))
		return e->code;
	x->row.finished_at = x->now;
	return audit_write(x->st, x->who, x->now, "quality.run", "quality_run", "success",
			    json_pack("{s:I,s:s,s:I,s:I,s:I,s:I,s:I}", "run", (json_int_t)x->row.id, "trigger",
				      x->row.trigger, "found", (json_int_t)x->row.found, "opened",
				      (json_int_t)x->row.opened, "reopened", (json_int_t)x->row.reopened, "fixed",
				      (json_int_t)x->row.fixed, "escalated", (json_int_t)x->row.escalated), e);
}

static json_t *report_of(const struct run *x)
{
	char a[32], b[32];
	json_t *rules = json_array();
	for (size_t i = 0; i < x->rs->n; i++) {
		if (!x->active[i])
			continue;
		const struct q_rule *r = &x->rs->v[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:i}", "id", r->id, "name", r->name, "severity", r->severity,
				      "findings", x->counts[i]);
		if (x->skipped[i])
			json_object_set_new(o, "skipped", json_string("数据来源未接入"));
		json_array_append_new(rules, o);
	}
	json_t *run = json_pack("{s:I,s:s,s:s,s:I,s:s,s:s?,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "id", (json_int_t)x->row.id,
				"started_at", clock_cn_iso(x->row.started_at, a), "finished_at",
				clock_cn_iso(x->row.finished_at, b), "ms", (json_int_t)x->row.ms, "trigger", x->row.trigger,
				"rule", x->row.rule, "rules_run", (json_int_t)x->row.rules_run, "rules_skipped",
				(json_int_t)x->row.rules_skipped, "found", (json_int_t)x->row.found, "opened",
				(json_int_t)x->row.opened, "reopened", (json_int_t)x->row.reopened, "fixed",
				(json_int_t)x->row.fixed, "escalated", (json_int_t)x->row.escalated, "open",
				(json_int_t)x->row.open_after);
	return json_pack("{s:o,s:o}", "run", run, "rules", rules);
}

static int active_set(const struct q_ruleset *rs, const char *rule, int *active, struct err *e)
{
	const struct q_rule *one = rule ? q_rule_find(rs, rule) : NULL;
	if (rule && !one)
		return err_set(e, ERR_NOTFOUND, "rule", "规则不存在: %s", rule);
	if (one && !one->enabled)
		return err_set(e, ERR_CONFLICT, "rule", "规则已停用: %s", rule);
	for (size_t i = 0; i < rs->n; i++)
		active[i] = rs->v[i].enabled && (!one || one == &rs->v[i]);
	return 0;
}

static int run_with(struct run *x, const char *rule, json_t **report, struct err *e)
{
	struct q_hits hits = {0};
	double t0 = clock_mono_ms();
	int *active = (int *)x->active, *skipped = (int *)x->skipped;
	int rc = active_set(x->rs, rule, active, e);
	if (!rc)
		rc = q_evaluate(x->st, x->env, x->rs, active, x->now, &hits, skipped, &x->status, &x->cases, e);
	for (size_t i = 0; !rc && i < x->rs->n; i++) {
		x->row.rules_run += active[i] && !skipped[i];
		x->row.rules_skipped += active[i] && skipped[i];
	}
	if (!rc && !(rc = store_begin(x->st, e))) {
		x->row.ms = (int64_t)(clock_mono_ms() - t0);
		rc = write_run(x, &hits, e);
		x->row.ms = (int64_t)(clock_mono_ms() - t0);
		rc = rc ? rc : store_quality_run_put(x->st, &x->row, e);
		rc = rc ? rc : store_commit(x->st, e);
		if (rc)
			store_rollback(x->st);
	}
	if (!rc)
		*report = report_of(x);
	q_hits_free(&hits);
	return rc;
}

int quality_run(struct store *st, const struct quality_env *env, const struct principal *who, int64_t now,
		const char *trigger, const char *rule, json_t **report, struct err *e)
{
	struct q_ruleset rs;
	if (!quality_may_run(who))
		return err_set(e, ERR_FORBIDDEN, "", "无权运行数据质检");
	if (!env->cal)
		return err_set(e, ERR_INTERNAL, "", "quality_run without a calendar");
	if (q_rules_load(st, &rs, e))
		return e->code;
	struct run x = {.st = st, .env = env, .rs = &rs, .who = who, .now = now, .today = deadline_day(now)};
	x.k.rs = &rs;
	x.active = calloc(rs.n + 1, sizeof(int));
	x.skipped = calloc(rs.n + 1, sizeof(int));
	x.counts = calloc(rs.n + 1, sizeof(int));
	x.row = (struct qs_run){.started_at = now, .finished_at = now, .trigger = trigger, .username = who->username,
				.rule = rule};
	int rc = x.active && x.skipped && x.counts ? run_with(&x, rule, report, e)
						     : err_set(e, ERR_INTERNAL, "", "out of memory");
	known_free(&x.k);
	q_status_free(&x.status);
	q_cases_free(&x.cases);
	free((void *)x.active);
	free((void *)x.skipped);
	free(x.counts);
	q_rules_free(&rs);
	return rc;
}

int quality_runs(struct store *st, const struct principal *who, const struct page *pg, json_t **out,
		 struct err *e)
{
	json_t *items;
	int64_t total;
	struct q_scope sc;
	if (q_scope_of(who, &sc, e) || store_quality_runs(st, pg, &items, &total, e))
		return e->code;
	*out = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
	return 0;
}
