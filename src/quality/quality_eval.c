/*
** quality_eval.c: the checks. Each table is read once (store_quality.h) and
** every enabled rule of its object kind is evaluated on each row in C, in
** two lanes: a second read-only connection in a thread of its own reads the
** status rows (quality_status.c), projects, stages and units while this one
** reads the pauses, the catalogue and the rejections; the cases are shared
** between them. What a pass finds is a hit (quality_int.h); quality.c turns
** hits into findings.
**
** A concluded case's defects depend on its own row, documents and
** statistics' mark (queued by trigger when they change, migration 0024) and
** on the departments, the calendar and the case rules (a fingerprint): the
** case pass keeps the concluded cases it found a defect in and the instances
** with an item twice, and a run under the same fingerprint reads only the
** running cases, the kept ones and the queued ones — the same hits as
** reading every case (test_quality compares them hit for hit).
**
** Working days come from the calendar (calendar/cal.h); a count outside its
** range is no defect (the clock cannot tell).
*/
#include "quality/quality_int.h"
#include "approval/deadline.h"
#include "ids/ids.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const q_object_names[QO_COUNT] = {"project", "unit", "case", "status", "item", "stage", "exchange"};

enum {
	C_PROJECT_CODE, C_PROJECT_DATES, C_PROJECT_REQUIRED, C_PROJECT_DIVISION, C_PROJECT_FLOW_TYPE,
	C_PROJECT_STUCK, C_UNIT_BUILDER, C_UNIT_CREDIT_CODE, C_UNIT_DUPLICATE, C_UNIT_REQUIRED,
	C_CASE_OVERDUE_UNMARKED, C_CASE_ZOMBIE, C_CASE_UNACCEPTED, C_CASE_DUPLICATE_ITEM, C_CASE_APPROVAL_DOC,
	C_CASE_TIME_ORDER, C_CASE_DEPARTMENT, C_CASE_TOLERANCE_OVERDUE, C_CASE_SPECIAL_OVERDUE,
	C_CASE_SUPPLEMENT_STALE, C_STATUS_ORDER, C_STATUS_AFTER_FINAL, C_STATUS_CODE, C_STATUS_FIRST,
	C_ITEM_NATIONAL_CODE, C_ITEM_STAGE_LIMIT, C_ITEM_LEGAL_LIMIT, C_ITEM_DEPARTMENT, C_STAGE_LIMIT,
	C_EXCHANGE_REJECTED, C_EXCHANGE_UNCORRECTED, C_COUNT
};

const struct q_check q_checks[] = {
	{"project_code", QO_PROJECT}, {"project_dates", QO_PROJECT}, {"project_required", QO_PROJECT},
	{"project_division", QO_PROJECT}, {"project_flow_type", QO_PROJECT}, {"project_stuck", QO_PROJECT},
	{"unit_builder", QO_UNIT}, {"unit_credit_code", QO_UNIT}, {"unit_duplicate", QO_UNIT},
	{"unit_required", QO_UNIT}, {"case_overdue_unmarked", QO_CASE}, {"case_zombie", QO_CASE},
	{"case_unaccepted", QO_CASE}, {"case_duplicate_item", QO_CASE}, {"case_approval_doc", QO_CASE},
	{"case_time_order", QO_CASE}, {"case_department", QO_CASE}, {"case_tolerance_overdue", QO_CASE},
	{"case_special_overdue", QO_CASE}, {"case_supplement_stale", QO_CASE}, {"status_order", QO_STATUS},
	{"status_after_final", QO_STATUS}, {"status_code", QO_STATUS}, {"status_first", QO_STATUS},
	{"item_national_code", QO_ITEM}, {"item_stage_limit", QO_ITEM}, {"item_legal_limit", QO_ITEM},
	{"item_department", QO_ITEM}, {"stage_limit", QO_STAGE}, {"exchange_rejected", QO_EXCHANGE},
	{"exchange_uncorrected", QO_EXCHANGE}, {NULL, 0},
};

int q_check_find(const char *name)
{
	for (int i = 0; name && q_checks[i].name; i++)
		if (strcmp(q_checks[i].name, name) == 0)
			return i;
	return -1;
}

int q_object_find(const char *name)
{
	for (int i = 0; name && i < QO_COUNT; i++)
		if (strcmp(q_object_names[i], name) == 0)
			return i;
	return -1;
}

/* ---- hits -------------------------------------------------------------------------------------- */

struct q_hit *q_hit_new(struct q_hits *h, int rule)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 256;
		struct q_hit *v = realloc(h->v, cap * sizeof *v);
		if (!v)
			return NULL;
		h->v = v;
		h->cap = cap;
	}
	struct q_hit *x = &h->v[h->n++];
	memset(x, 0, offsetof(struct q_hit, names));
	x->nargs = 0;
	x->rule = rule;
	return x;
}

void q_hit_arg(struct q_hit *h, const char *name, const char *fmt, ...)
{
	va_list ap;
	if (h->nargs >= Q_ARGS)
		return;
	snprintf(h->names[h->nargs], sizeof h->names[0], "%s", name);
	va_start(ap, fmt);
	vsnprintf(h->values[h->nargs], sizeof h->values[0], fmt, ap);
	va_end(ap);
	h->nargs++;
}

int q_hits_append(struct q_hits *h, const struct q_hits *more)
{
	if (h->n + more->n > h->cap) {
		size_t cap = h->n + more->n;
		struct q_hit *v = realloc(h->v, cap * sizeof *v);
		if (!v)
			return -1;
		h->v = v;
		h->cap = cap;
	}
	if (more->n)
		memcpy(h->v + h->n, more->v, more->n * sizeof *more->v);
	h->n += more->n;
	return 0;
}

void q_hits_free(struct q_hits *h)
{
	free(h->v);
	memset(h, 0, sizeof *h);
}

static void param_text(const json_t *v, struct buf *b)
{
	size_t i;
	json_t *x;
	if (json_is_integer(v))
		buf_int(b, json_integer_value(v));
	else if (json_is_string(v))
		buf_puts(b, json_string_value(v));
	else
		json_array_foreach(v, i, x) {
			if (i)
				buf_puts(b, "、");
			param_text(x, b);
		}
}

char *q_message(const struct q_rule *r, const struct q_hit *h)
{
	struct buf b = {0};
	const char *p = r->message, *q;
	while ((q = strchr(p, '{')) && strchr(q, '}')) {
		const char *end = strchr(q, '}');
		char name[32];
		buf_append(&b, p, q - p);
		snprintf(name, sizeof name, "%.*s", (int)(end - q - 1), q + 1);
		const json_t *pv = json_object_get(json_object_get(r->doc, "params"), name);
		int done = 0;
		if (strcmp(name, "object") == 0) {
			buf_puts(&b, h->object);
			done = 1;
		}
		for (int i = 0; !done && i < h->nargs; i++)
			if (strcmp(h->names[i], name) == 0) {
				buf_puts(&b, h->values[i]);
				done = 1;
			}
		if (!done && pv)
			param_text(pv, &b);
		else if (!done)
			buf_append(&b, q, end - q + 1);
		p = end + 1;
	}
	buf_puts(&b, p);
	return b.data ? b.data : strdup("");
}

/* Copy s into d of size n, cut at n - 1 bytes as snprintf would. */
static void cpy(char *d, size_t n, const char *s)
{
	size_t len = strnlen(s, n - 1);
	memcpy(d, s, len);
	d[len] = 0;
}

static int push(int64_t **v, size_t *n, size_t *cap, int64_t id)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		int64_t *x = realloc(*v, c * sizeof *x);
		if (!x)
			return -1;
		*v = x;
		*cap = c;
	}
	(*v)[(*n)++] = id;
	return 0;
}

/* ---- the evaluation context --------------------------------------------------------------------- */

#define Q_PER_CHECK 8
#define Q_WINS 64

struct dept {
	char code[48], district[16];
	int active;
};

/* A small open-addressing index of strings (item codes, departments):
** slot -> position + 1, 0 empty. */
#define SH_SLOTS 2048
struct shash {
	int32_t slot[SH_SLOTS];
};

static uint32_t sh_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct ev {
	struct store *st;
	const struct quality_env *env;
	const struct q_ruleset *rs;
	int32_t today;
	int rules[C_COUNT][Q_PER_CHECK];  /* active rule indices per check */
	int nrules[C_COUNT];
	struct dept *depts;           /* shared by both lanes, read-only once loaded */
	size_t ndepts, capdepts;
	const struct shash *dept_index;
	struct q_hits *out;
	struct err *e;                /* for errors inside a pass's callback */
	int oom;
	/* projects by id: code, division, live, builders */
	struct proj { char code[32]; char division[8]; uint8_t live, builders; } *projs;
	size_t nprojs;
	/* units: (project, credit code + kind) for duplicates */
	struct upair { int64_t project; uint64_t h; char credit[24], kind[16]; } *upairs;
	size_t nupairs, capupairs;
	/* case pass: (instance, item) pairs for duplicates */
	struct pair { int64_t inst; uint32_t item; int64_t case_id; } *pairs;
	size_t npairs, cappairs;
	char (*items)[40];            /* interned item codes */
	size_t nitems;
	struct shash *item_index;
	char num[64], numdept[48], numdist[16];   /* named(): a concluded case's number */
	/* what the case pass keeps: concluded cases with a hit, instances with an item twice */
	int64_t *sus, *dupi;
	size_t nsus, capsus, ndupi, capdupi;
	int rows_pair;                /* case rows give their (instance, item) pairs: every case read */
	struct win { char division[16], dept[48]; int set; } wins[Q_WINS];   /* window_of's */
	/* catalogue pass: promised limit per item code */
	struct { char code[40]; int promised; } *cat;
	size_t ncat;
};

static int any(const struct ev *x, int chk) { return x->nrules[chk] > 0; }

static int32_t day_of(int64_t t) { return t ? deadline_day(t) : 0; }

/* Working days in (from, today]; -1 when the calendar cannot tell. */
static int elapsed(const struct ev *x, int32_t from)
{
	int n;
	if (!from || cal_count_workdays(x->env->cal, from, x->today, &n, NULL, NULL))
		return -1;
	return n;
}

static const struct dept *dept_find(const struct ev *x, const char *code)
{
	if (!code || !x->dept_index)
		return NULL;
	for (uint32_t i = sh_hash(code) % SH_SLOTS; x->dept_index->slot[i]; i = (i + 1) % SH_SLOTS) {
		const struct dept *d = &x->depts[x->dept_index->slot[i] - 1];
		if (strcmp(d->code, code) == 0)
			return d;
	}
	return NULL;
}

/* Index the departments once they are loaded (at most SH_SLOTS / 2). */
static int dept_index(struct ev *x, struct shash *h)
{
	memset(h, 0, sizeof *h);
	for (size_t k = 0; k < x->ndepts && k < SH_SLOTS / 2; k++) {
		uint32_t i = sh_hash(x->depts[k].code) % SH_SLOTS;
		while (h->slot[i])
			i = (i + 1) % SH_SLOTS;
		h->slot[i] = (int32_t)k + 1;
	}
	x->dept_index = h;
	return x->ndepts > SH_SLOTS / 2;
}

static int dept_add(void *arg, const char *code, const char *district, int active)
{
	struct ev *x = arg;
	if (x->ndepts == x->capdepts) {
		size_t cap = x->capdepts ? x->capdepts * 2 : 64;
		struct dept *v = realloc(x->depts, cap * sizeof *v);
		if (!v)
			return x->oom = 1;
		x->depts = v;
		x->capdepts = cap;
	}
	struct dept *d = &x->depts[x->ndepts++];
	snprintf(d->code, sizeof d->code, "%s", code);
	snprintf(d->district, sizeof d->district, "%s", district);
	d->active = active;
	return 0;
}

/* A hit of every rule of check chk on one object; the caller adds arguments
** to each through the returned count of hits appended (the last n of out). */
static size_t hit_all(struct ev *x, int chk, const char *key, const char *object, const char *dept,
		      const char *district)
{
	for (int i = 0; i < x->nrules[chk]; i++) {
		struct q_hit *h = q_hit_new(x->out, x->rules[chk][i]);
		if (!h) {
			x->oom = 1;
			return i;
		}
		cpy(h->key, sizeof h->key, key);
		cpy(h->object, sizeof h->object, object);
		cpy(h->department, sizeof h->department, dept ? dept : "");
		cpy(h->district, sizeof h->district, district ? district : "");
	}
	return x->nrules[chk];
}

/* The hits just added by hit_all, for their arguments. */
#define EACH_NEW(X, COUNT, H) for (struct q_hit *H = (X)->out->v + (X)->out->n - (COUNT); \
				   H < (X)->out->v + (X)->out->n; H++)

/* The owner of a project's findings: the window of its division. */
static void window_of(struct ev *x, const char *division, char dept[48], char district[16])
{
	struct win *w = &x->wins[sh_hash(division) % Q_WINS];    /* a handful of divisions: remembered */
	cpy(district, 16, division);
	if (strlen(division) >= sizeof w->division) {
		snprintf(dept, 48, "%s-XSP", division);
		if (!dept_find(x, dept))
			dept[0] = 0;
		return;
	}
	if (!w->set || strcmp(w->division, division) != 0) {
		w->set = 1;
		cpy(w->division, sizeof w->division, division);
		snprintf(w->dept, sizeof w->dept, "%s-XSP", division);
		if (!dept_find(x, w->dept))
			w->dept[0] = 0;
	}
	memcpy(dept, w->dept, sizeof w->dept);
}

/* Rule r of a check with a per-rule parameter ("days"): hits only for the
** rules whose threshold the value passes. */
static void hit_over(struct ev *x, int chk, const char *param, int def, int value, const char *key,
		     const char *object, const char *dept, const char *district, const char *argname)
{
	for (int i = 0; i < x->nrules[chk]; i++) {
		const struct q_rule *r = &x->rs->v[x->rules[chk][i]];
		if (value <= q_param_int(r, param, def))
			continue;
		struct q_hit *h = q_hit_new(x->out, x->rules[chk][i]);
		if (!h) {
			x->oom = 1;
			return;
		}
		cpy(h->key, sizeof h->key, key);
		cpy(h->object, sizeof h->object, object);
		cpy(h->department, sizeof h->department, dept ? dept : "");
		cpy(h->district, sizeof h->district, district ? district : "");
		q_hit_arg(h, argname, "%d", value);
	}
}


/* ---- cases --------------------------------------------------------------------------------------- */

static uint32_t intern_item(struct ev *x, const char *code)
{
	uint32_t i = sh_hash(code) % SH_SLOTS;
	if (!x->item_index && !(x->item_index = calloc(1, sizeof *x->item_index))) {
		x->oom = 1;
		return 0;
	}
	for (; x->item_index->slot[i]; i = (i + 1) % SH_SLOTS)
		if (strcmp(x->items[x->item_index->slot[i] - 1], code) == 0)
			return (uint32_t)x->item_index->slot[i] - 1;
	if (x->nitems >= SH_SLOTS / 2) {               /* more item codes than any catalogue has */
		x->oom = 1;
		return 0;
	}
	if ((x->nitems & (x->nitems + 1)) == 0 || x->nitems == 0) {   /* grow at 0, 1, 3, 7 ... */
		char (*v)[40] = realloc(x->items, (x->nitems * 2 + 2) * sizeof *v);
		if (!v) {
			x->oom = 1;
			return 0;
		}
		x->items = v;
	}
	snprintf(x->items[x->nitems], sizeof x->items[0], "%s", code);
	x->item_index->slot[i] = (int32_t)++x->nitems;
	return (uint32_t)x->nitems - 1;
}

static void pair_push(struct ev *x, int64_t inst, uint32_t item, int64_t case_id)
{
	if (x->npairs == x->cappairs) {
		size_t cap = x->cappairs ? x->cappairs * 2 : 4096;
		struct pair *v = realloc(x->pairs, cap * sizeof *v);
		if (!v) {
			x->oom = 1;
			return;
		}
		x->pairs = v;
		x->cappairs = cap;
	}
	x->pairs[x->npairs++] = (struct pair){inst, item, case_id};
}

static void pair_add(struct ev *x, const struct qs_case *c)
{
	pair_push(x, c->instance_id, intern_item(x, c->item_code), c->id);
}

/* A concluded case comes without its number and district (qs_case): read
** them when it has a defect. */
static int named(struct ev *x, struct qs_case *c)
{
	int found;
	if (c->number)
		return 0;
	if (store_quality_case_ident(x->st, c->id, x->num, x->numdept, x->numdist, &found, x->e))
		return x->e->code;
	c->number = x->num;
	c->district = x->numdist;
	return 0;
}

/* A concluded case over its limit must carry the statistics' 逾期 mark. */
static int case_overdue(struct ev *x, struct qs_case *c, struct err *e)
{
	int used, late, found;
	if (cal_count_workdays(x->env->cal, day_of(c->accepted_at), day_of(c->final_at), &used, NULL, NULL) ||
	    used - c->paused_days <= c->time_limit)
		return 0;
	if (store_quality_case_late(x->st, c->id, &late, &found, e))
		return e->code;
	if (late)
		return 0;
	if (named(x, c))
		return e->code;
	size_t n = hit_all(x, C_CASE_OVERDUE_UNMARKED, c->number, c->number, c->department, c->district);
	EACH_NEW(x, n, h) {
		q_hit_arg(h, "used", "%d", used - c->paused_days);
		q_hit_arg(h, "paused", "%d", c->paused_days);
		q_hit_arg(h, "limit", "%d", c->time_limit);
	}
	return 0;
}

static int case_clock(struct ev *x, struct qs_case *c)
{
	if (any(x, C_CASE_OVERDUE_UNMARKED) && c->status >= 11 && c->status <= 13 && c->accepted_at && c->final_at &&
	    case_overdue(x, c, x->e))
		return x->e->code;
	if (!c->open)
		return 0;
	if (!c->paused_since && c->accepted && any(x, C_CASE_ZOMBIE))
		hit_over(x, C_CASE_ZOMBIE, "days", 20, elapsed(x, day_of(c->updated_at)), c->number, c->number,
			 c->department, c->district, "idle");
	if (!c->accepted && !c->receipt_end && any(x, C_CASE_UNACCEPTED))
		hit_over(x, C_CASE_UNACCEPTED, "days", 5,
			 elapsed(x, c->receipt_day ? c->receipt_day : day_of(c->received_at)), c->number, c->number,
			 c->department, c->district, "idle");
	return 0;
}

static int case_order(struct ev *x, struct qs_case *c)
{
	const char *bad = NULL;
	if (c->accepted_at && c->accepted_at < c->received_at)
		bad = "受理时间早于接件时间";
	else if (c->final_at && c->final_at < (c->accepted_at ? c->accepted_at : c->received_at))
		bad = "办结时间早于受理（接件）时间";
	else if (c->updated_at < c->received_at)
		bad = "最后办理时间早于接件时间";
	if (!bad)
		return 0;
	if (named(x, c))
		return x->e->code;
	size_t n = hit_all(x, C_CASE_TIME_ORDER, c->number, c->number, c->department, c->district);
	EACH_NEW(x, n, h)
		q_hit_arg(h, "detail", "%s", bad);
	return 0;
}

static int case_row(void *arg, const struct qs_case *in)
{
	struct ev *x = arg;
	struct qs_case c = *in;
	size_t before = x->out->n;
	if (case_clock(x, &c))
		return 1;
	if (any(x, C_CASE_DUPLICATE_ITEM) && x->rows_pair)
		pair_add(x, &c);
	if (any(x, C_CASE_APPROVAL_DOC) && (c.status == 11 || c.status == 12) && !c.approval_doc) {
		if (named(x, &c))
			return 1;
		hit_all(x, C_CASE_APPROVAL_DOC, c.number, c.number, c.department, c.district);
	}
	if (any(x, C_CASE_TIME_ORDER) && case_order(x, &c))
		return 1;
	if (any(x, C_CASE_DEPARTMENT)) {
		const struct dept *d = dept_find(x, c.department);
		if (!d || !d->active) {
			if (named(x, &c))
				return 1;
			size_t n = hit_all(x, C_CASE_DEPARTMENT, c.number, c.number, c.department, c.district);
			EACH_NEW(x, n, h)
				q_hit_arg(h, "value", "%s", c.department);
		}
	}
	if (x->out->n > before && !c.open && push(&x->sus, &x->nsus, &x->capsus, c.id))
		x->oom = 1;
	return x->oom;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *p = a, *q = b;
	if (p->inst != q->inst)
		return p->inst < q->inst ? -1 : 1;
	if (p->item != q->item)
		return p->item < q->item ? -1 : 1;
	return p->case_id < q->case_id ? -1 : p->case_id > q->case_id;
}

/* Cases of one instance are written together, so the pairs come sorted by
** instance: sort each instance's few pairs; sort all only when not. */
static int duplicates(struct ev *x, struct err *e)
{
	size_t i = 0;
	for (size_t k = 1; k < x->npairs; k++)
		if (x->pairs[k].inst < x->pairs[k - 1].inst) {
			qsort(x->pairs, x->npairs, sizeof *x->pairs, pair_cmp);
			break;
		}
	while (i < x->npairs) {
		size_t j = i + 1;
		while (j < x->npairs && x->pairs[j].inst == x->pairs[i].inst)
			j++;
		if (j - i > 1)
			qsort(x->pairs + i, j - i, sizeof *x->pairs, pair_cmp);
		for (size_t k = i + 1; k < j; k++) {
			if (x->pairs[k].item != x->pairs[k - 1].item)
				continue;
			char num[64], other[64], dept[48], dist[16], d2[48], t2[16];
			int found;
			if (store_quality_case_ident(x->st, x->pairs[k - 1].case_id, other, d2, t2, &found, e) ||
			    store_quality_case_ident(x->st, x->pairs[k].case_id, num, dept, dist, &found, e))
				return e->code;
			if (push(&x->dupi, &x->ndupi, &x->capdupi, x->pairs[k].inst))
				return err_set(e, ERR_INTERNAL, "", "out of memory");
			size_t n = hit_all(x, C_CASE_DUPLICATE_ITEM, num, num, dept, dist);
			EACH_NEW(x, n, h) {
				q_hit_arg(h, "other", "%s", other);
				q_hit_arg(h, "item", "%s", x->items[x->pairs[k].item]);
			}
		}
		i = j;
	}
	return 0;
}

static int pending_row(void *arg, const struct qs_pending *p)
{
	struct ev *x = arg;
	char key[96], date[CAL_DATE_LEN];
	if (strcmp(p->kind, "tolerance") == 0 && any(x, C_CASE_TOLERANCE_OVERDUE) && p->day < x->today) {
		snprintf(key, sizeof key, "%s/%s", p->number, p->text);
		cal_date_format(p->day, date);
		size_t n = hit_all(x, C_CASE_TOLERANCE_OVERDUE, key, p->number, p->department, p->district);
		EACH_NEW(x, n, h) {
			q_hit_arg(h, "material", "%s", p->text);
			q_hit_arg(h, "due", "%s", date);
		}
	} else if (strcmp(p->kind, "special") == 0 && any(x, C_CASE_SPECIAL_OVERDUE)) {
		int n = elapsed(x, day_of(p->at));
		if (n > p->limit) {
			snprintf(key, sizeof key, "%s/%lld", p->number, (long long)p->at);
			cal_date_format(day_of(p->at), date);
			size_t k = hit_all(x, C_CASE_SPECIAL_OVERDUE, key, p->number, p->department, p->district);
			EACH_NEW(x, k, h) {
				q_hit_arg(h, "kind", "%s", p->text);
				q_hit_arg(h, "start", "%s", date);
				q_hit_arg(h, "elapsed", "%d", n);
				q_hit_arg(h, "limit", "%d", p->limit);
			}
		}
	} else if (strcmp(p->kind, "supplement") == 0 && any(x, C_CASE_SUPPLEMENT_STALE)) {
		size_t before = x->out->n;
		cal_date_format(day_of(p->at), date);
		hit_over(x, C_CASE_SUPPLEMENT_STALE, "days", 60, elapsed(x, day_of(p->at)), p->number, p->number,
			 p->department, p->district, "elapsed");
		for (size_t i = before; i < x->out->n; i++)
			q_hit_arg(&x->out->v[i], "start", "%s", date);
	}
	return x->oom;
}

/* ---- status rows (the second connection; quality_status.c) ----------------------------------------- */

/* A hit of every rule of chk for a case (resolved later); the count added. */
static size_t shit(struct ev *x, struct q_hits *out, int chk, int64_t case_id, const char *name, int v)
{
	for (int i = 0; i < x->nrules[chk]; i++) {
		struct q_hit *h = q_hit_new(out, x->rules[chk][i]);
		if (!h) {
			x->oom = 1;
			return i;
		}
		h->case_id = case_id;
		q_hit_arg(h, name, "%d", v);
	}
	return x->nrules[chk];
}

#define SEACH_NEW(OUT, COUNT, H) for (struct q_hit *H = (OUT)->v + (OUT)->n - (COUNT); H < (OUT)->v + (OUT)->n; H++)

/* The hits of the enabled status rules from the marks, in case order. */
static void status_hits(struct ev *x, const struct q_status *q, struct q_hits *out)
{
	char when[CAL_DATE_LEN];
	for (size_t i = 0; i < q->nmarks && !x->oom; i++) {
		const struct qs_status_mark *m = &q->marks[i];
		size_t n;
		if (m->flags & QS_FIRST)
			shit(x, out, C_STATUS_FIRST, m->case_id, "value", m->first_status);
		if (m->flags & QS_ORDER) {
			cal_date_format(deadline_day(m->order_at), when);
			n = shit(x, out, C_STATUS_ORDER, m->case_id, "status", m->order_status);
			SEACH_NEW(out, n, h)
				q_hit_arg(h, "at", "%s", when);
		}
		if (m->flags & QS_AFTER) {
			n = shit(x, out, C_STATUS_AFTER_FINAL, m->case_id, "status", m->after_status);
			SEACH_NEW(out, n, h)
				q_hit_arg(h, "final", "%d", m->after_final);
		}
		if (m->flags & QS_CODE)
			shit(x, out, C_STATUS_CODE, m->case_id, "value", m->code);
	}
}

/* Give the status pass's hits their case's number, department and district. */
static int resolve_status_hits(struct ev *x, const struct q_hits *sh, struct err *e)
{
	int64_t last = -1;
	char num[64] = "", dept[48] = "", dist[16] = "";
	int found = 0;
	for (size_t i = 0; i < sh->n; i++) {
		struct q_hit *h = &sh->v[i];
		if (h->case_id != last &&
		    store_quality_case_ident(x->st, h->case_id, num, dept, dist, &found, e))
			return e->code;
		last = h->case_id;
		if (!found)
			continue;
		struct q_hit *o = q_hit_new(x->out, h->rule);
		if (!o)
			return err_set(e, ERR_INTERNAL, "", "out of memory");
		*o = *h;
		snprintf(o->key, sizeof o->key, "%s", num);
		snprintf(o->object, sizeof o->object, "%s", num);
		snprintf(o->department, sizeof o->department, "%s", dept);
		snprintf(o->district, sizeof o->district, "%s", dist);
	}
	return 0;
}

/* ---- projects, units, stages ---------------------------------------------------------------------- */

static void project_fields(struct ev *x, const struct qs_project *p, const char *dept, const char *dist)
{
	char missing[96] = "";
	const char *names[4];
	int n = 0;
	if (!*p->name)
		names[n++] = "项目名称";
	if (!*p->address)
		names[n++] = "建设地点";
	if (p->investment <= 0)
		names[n++] = "总投资";
	if (p->land_area <= 0 && p->floor_area <= 0)
		names[n++] = "用地/建筑面积";
	for (int i = 0; i < n; i++)
		snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s", i ? "、" : "", names[i]);
	if (n) {
		size_t k = hit_all(x, C_PROJECT_REQUIRED, p->code, p->code, dept, dist);
		EACH_NEW(x, k, h)
			q_hit_arg(h, "fields", "%s", missing);
	}
}

static int project_row(void *arg, const struct qs_project *p)
{
	struct ev *x = arg;
	char dept[48], dist[16];
	struct err e2;
	if (p->id >= 0 && (size_t)p->id >= x->nprojs) {
		size_t n = (size_t)p->id * 2 + 64;
		struct proj *v = realloc(x->projs, n * sizeof *v);
		if (!v)
			return x->oom = 1;
		memset(v + x->nprojs, 0, (n - x->nprojs) * sizeof *v);
		x->projs = v;
		x->nprojs = n;
	}
	struct proj *pi = &x->projs[p->id];
	snprintf(pi->code, sizeof pi->code, "%s", p->code);
	snprintf(pi->division, sizeof pi->division, "%s", p->division);
	pi->live = 1;
	window_of(x, p->division, dept, dist);
	if (any(x, C_PROJECT_CODE) && ids_check_project_code(p->code, &e2)) {
		size_t n = hit_all(x, C_PROJECT_CODE, p->code, p->code, dept, dist);
		EACH_NEW(x, n, h)
			q_hit_arg(h, "reason", "%s", e2.msg);
	}
	if (any(x, C_PROJECT_DATES) && strcmp(p->planned_start, p->planned_finish) >= 0) {
		size_t n = hit_all(x, C_PROJECT_DATES, p->code, p->code, dept, dist);
		EACH_NEW(x, n, h) {
			q_hit_arg(h, "start", "%s", p->planned_start);
			q_hit_arg(h, "finish", "%s", p->planned_finish);
		}
	}
	if (any(x, C_PROJECT_REQUIRED))
		project_fields(x, p, dept, dist);
	if (any(x, C_PROJECT_DIVISION) && ids_check_division(p->division, &e2)) {
		size_t n = hit_all(x, C_PROJECT_DIVISION, p->code, p->code, dept, dist[0] ? dist : "610200");
		EACH_NEW(x, n, h)
			q_hit_arg(h, "value", "%s", p->division);
	}
	if (any(x, C_PROJECT_FLOW_TYPE) && (p->flow_type < 1 || p->flow_type > 10)) {
		size_t n = hit_all(x, C_PROJECT_FLOW_TYPE, p->code, p->code, dept, dist);
		EACH_NEW(x, n, h)
			q_hit_arg(h, "value", "%d", p->flow_type);
	}
	return x->oom;
}

/* An open stage of a project the project pass saw (x->projs). */
static int stage_row(void *arg, int64_t project_id, int stage, int64_t started_at)
{
	struct ev *x = arg;
	char dept[48], dist[16], key[96];
	size_t before = x->out->n;
	if (project_id < 0 || (size_t)project_id >= x->nprojs || !x->projs[project_id].live)
		return 0;
	const struct proj *p = &x->projs[project_id];
	window_of(x, p->division, dept, dist);
	snprintf(key, sizeof key, "%s/%d", p->code, stage);
	hit_over(x, C_PROJECT_STUCK, "days", 60, elapsed(x, day_of(started_at)), key, p->code, dept, dist, "elapsed");
	for (size_t i = before; i < x->out->n; i++)
		q_hit_arg(&x->out->v[i], "stage", "%d", stage);
	return x->oom;
}

static const char *unit_kind_cn(const char *kind)
{
	static const char *const k[][2] = {{"builder", "建设单位"}, {"agent", "代建单位"}, {"survey", "勘察单位"},
					   {"design", "设计单位"}, {"construction", "施工单位"},
					   {"supervision", "监理单位"}, {"other", "其他"}};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		if (strcmp(k[i][0], kind) == 0)
			return k[i][1];
	return kind;
}

static uint64_t fnv(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 1099511628211ULL;
	h = (h ^ '/') * 1099511628211ULL;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 1099511628211ULL;
	return h;
}

static void upair_add(struct ev *x, int64_t project, const struct qs_unit *r)
{
	if (x->nupairs == x->capupairs) {
		size_t cap = x->capupairs ? x->capupairs * 2 : 1024;
		struct upair *v = realloc(x->upairs, cap * sizeof *v);
		if (!v) {
			x->oom = 1;
			return;
		}
		x->upairs = v;
		x->capupairs = cap;
	}
	struct upair *u = &x->upairs[x->nupairs++];
	u->project = project;
	u->h = fnv(r->credit_code, r->kind);
	snprintf(u->credit, sizeof u->credit, "%s", r->credit_code);
	snprintf(u->kind, sizeof u->kind, "%s", r->kind);
}

static int unit_row(void *arg, const struct qs_unit *r)
{
	struct ev *x = arg;
	char dept[48], dist[16], key[96];
	struct err e2;
	if (r->project_id < 0 || (size_t)r->project_id >= x->nprojs || !x->projs[r->project_id].live)
		return 0;                                   /* a deleted project's unit */
	struct proj *p = &x->projs[r->project_id];
	p->builders += p->builders < 255 && strcmp(r->kind, "builder") == 0;
	window_of(x, p->division, dept, dist);
	if (any(x, C_UNIT_CREDIT_CODE) && ids_check_uscc(r->credit_code, &e2)) {
		snprintf(key, sizeof key, "%s/%s", p->code, r->credit_code);
		size_t n = hit_all(x, C_UNIT_CREDIT_CODE, key, p->code, dept, dist);
		EACH_NEW(x, n, h) {
			q_hit_arg(h, "unit", "%s", r->name);
			q_hit_arg(h, "value", "%s", r->credit_code);
			q_hit_arg(h, "reason", "%s", e2.msg);
		}
	}
	if (any(x, C_UNIT_DUPLICATE))
		upair_add(x, r->project_id, r);
	if (any(x, C_UNIT_REQUIRED) && (!*r->name || !*r->contact || !*r->phone)) {
		snprintf(key, sizeof key, "%s/%s/%s", p->code, r->kind, r->credit_code);
		size_t n = hit_all(x, C_UNIT_REQUIRED, key, p->code, dept, dist);
		EACH_NEW(x, n, h) {
			q_hit_arg(h, "unit", "%s", r->name);
			q_hit_arg(h, "fields", "%s%s%s", !*r->name ? "单位名称 " : "", !*r->contact ? "联系人 " : "",
				  !*r->phone ? "联系电话" : "");
		}
	}
	return x->oom;
}

static int upair_cmp(const void *a, const void *b)
{
	const struct upair *p = a, *q = b;
	if (p->project != q->project)
		return p->project < q->project ? -1 : 1;
	return p->h < q->h ? -1 : p->h > q->h;
}

/* After the unit pass: projects without a 建设单位, and a unit (same credit
** code and kind; compared by a 64-bit hash) registered twice. */
static int units_after(struct ev *x, struct err *e)
{
	char dept[48], dist[16], key[96];
	for (size_t i = 0; any(x, C_UNIT_BUILDER) && i < x->nprojs; i++) {
		const struct proj *p = &x->projs[i];
		if (!p->live || p->builders)
			continue;
		window_of(x, p->division, dept, dist);
		hit_all(x, C_UNIT_BUILDER, p->code, p->code, dept, dist);
	}
	if (x->nupairs > 1)
		qsort(x->upairs, x->nupairs, sizeof *x->upairs, upair_cmp);
	for (size_t i = 1; i < x->nupairs; i++) {
		if (x->upairs[i].project != x->upairs[i - 1].project || x->upairs[i].h != x->upairs[i - 1].h ||
		    (i > 1 && x->upairs[i - 2].project == x->upairs[i].project && x->upairs[i - 2].h == x->upairs[i].h))
			continue;
		const struct proj *p = &x->projs[x->upairs[i].project];
		window_of(x, p->division, dept, dist);
		snprintf(key, sizeof key, "%s/%s/%s", p->code, x->upairs[i].credit, x->upairs[i].kind);
		size_t n = hit_all(x, C_UNIT_DUPLICATE, key, p->code, dept, dist);
		EACH_NEW(x, n, h) {
			q_hit_arg(h, "value", "%s", x->upairs[i].credit);
			q_hit_arg(h, "unit_kind", "%s", unit_kind_cn(x->upairs[i].kind));
		}
	}
	return x->oom ? err_set(e, ERR_INTERNAL, "", "out of memory") : 0;
}

/* ---- catalogue -------------------------------------------------------------------------------------- */

static int placeholder(const struct q_rule *r, const char *code)
{
	json_t *list = json_object_get(json_object_get(r->doc, "params"), "placeholders"), *v;
	size_t i;
	if (!*code)
		return 1;
	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), code) == 0)
			return 1;
	return 0;
}

static int item_row(void *arg, const struct qs_item *it)
{
	struct ev *x = arg;
	const struct dept *d = dept_find(x, it->department);
	const char *dist = d ? d->district : "610200";
	void *v = realloc(x->cat, (x->ncat + 1) * sizeof *x->cat);
	if (!v)
		return x->oom = 1;
	x->cat = v;
	snprintf(x->cat[x->ncat].code, sizeof x->cat[0].code, "%s", it->code);
	x->cat[x->ncat++].promised = it->promised;
	for (int i = 0; i < x->nrules[C_ITEM_NATIONAL_CODE]; i++) {
		int ri = x->rules[C_ITEM_NATIONAL_CODE][i];
		if (!placeholder(&x->rs->v[ri], it->national_code))
			continue;
		struct q_hit *h = q_hit_new(x->out, ri);
		if (!h)
			return x->oom = 1;
		cpy(h->key, sizeof h->key, it->code);
		cpy(h->object, sizeof h->object, it->code);
		cpy(h->department, sizeof h->department, it->department);
		cpy(h->district, sizeof h->district, dist);
		q_hit_arg(h, "name", "%s", it->name);
		q_hit_arg(h, "value", "%s", it->national_code);
	}
	if (any(x, C_ITEM_LEGAL_LIMIT) && it->legal > 0 && it->promised > it->legal) {
		size_t n = hit_all(x, C_ITEM_LEGAL_LIMIT, it->code, it->code, it->department, dist);
		EACH_NEW(x, n, h) {
			q_hit_arg(h, "limit", "%d", it->promised);
			q_hit_arg(h, "legal", "%d", it->legal);
		}
	}
	if (any(x, C_ITEM_DEPARTMENT) && (!d || !d->active)) {
		size_t n = hit_all(x, C_ITEM_DEPARTMENT, it->code, it->code, it->department, dist);
		EACH_NEW(x, n, h)
			q_hit_arg(h, "value", "%s", it->department);
	}
	return x->oom;
}

struct stages {
	struct ev *x;
	char flow[64];
	int stage;
};

static void stage_limit(struct ev *x, const struct qs_stage_item *s, const char *dept, const char *dist)
{
	char key[96], obj[96];
	snprintf(obj, sizeof obj, "%s v%s 第%d阶段", s->flow, s->version, s->stage);
	snprintf(key, sizeof key, "%s/%d", s->flow, s->stage);
	for (int i = 0; i < x->nrules[C_STAGE_LIMIT]; i++) {
		int ri = x->rules[C_STAGE_LIMIT][i];
		int lo = q_param_int(&x->rs->v[ri], "min", 1), hi = q_param_int(&x->rs->v[ri], "max", 50);
		if (s->stage == 5 ? s->limit == 0 : (s->limit >= lo && s->limit <= hi))
			continue;
		struct q_hit *h = q_hit_new(x->out, ri);
		if (!h) {
			x->oom = 1;
			return;
		}
		cpy(h->key, sizeof h->key, key);
		cpy(h->object, sizeof h->object, obj);
		cpy(h->department, sizeof h->department, dept);
		cpy(h->district, sizeof h->district, dist);
		q_hit_arg(h, "flow", "%s", s->flow);
		q_hit_arg(h, "stage", "%d", s->stage);
		q_hit_arg(h, "value", "%d", s->limit);
	}
}

static int stage_item_row(void *arg, const struct qs_stage_item *s)
{
	struct stages *g = arg;
	struct ev *x = g->x;
	const struct dept *d = dept_find(x, s->lead);
	const char *dist = d ? d->district : "610200";
	if (strcmp(g->flow, s->flow) != 0 || g->stage != s->stage) {
		snprintf(g->flow, sizeof g->flow, "%s", s->flow);
		g->stage = s->stage;
		stage_limit(x, s, d ? s->lead : "", dist);
	}
	if (!s->item_code || s->stage > 4 || !any(x, C_ITEM_STAGE_LIMIT))
		return x->oom;
	for (size_t i = 0; i < x->ncat; i++) {
		if (strcmp(x->cat[i].code, s->item_code) != 0 || x->cat[i].promised <= s->limit)
			continue;
		const struct dept *id = NULL;
		char key[96];
		snprintf(key, sizeof key, "%s/%s/%d", s->item_code, s->flow, s->stage);
		size_t n = hit_all(x, C_ITEM_STAGE_LIMIT, key, s->item_code, id ? id->code : s->lead, dist);
		EACH_NEW(x, n, h) {
			q_hit_arg(h, "limit", "%d", x->cat[i].promised);
			q_hit_arg(h, "flow", "%s", s->flow);
			q_hit_arg(h, "stage", "%d", s->stage);
			q_hit_arg(h, "stage_limit", "%d", s->limit);
		}
	}
	return x->oom;
}

/* ---- the province's rejections ------------------------------------------------------------------------ */

static const char *table_cn(const char *t)
{
	static const char *const names[][2] = {
		{"SPGL_DFXMSPLCXXB", "审批流程"}, {"SPGL_DFXMSPLCJDXXB", "审批阶段"}, {"SPGL_DFXMSPLCJDSXXXB", "阶段事项"},
		{"SPGL_XMJBXXB", "项目基本信息"}, {"SPGL_XMDWXXB", "项目单位"}, {"SPGL_XMSPSXBLXXB", "事项办理"},
		{"SPGL_XMSPSXBLXXXXB", "办理详细"}, {"SPGL_XMSPSXBLTBCXXXB", "特别程序"},
		{"SPGL_XMSPSXPFWJXXB", "批复文件"}, {"SPGL_XMQTFJXXB", "其他附件"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], t) == 0)
			return names[i][1];
	return t;
}

struct rej {
	struct ev *x;
	struct err *e;
};

static int rejection(void *arg, const char *table, const char *dfsjzj, const char *object, const char *department,
		     const char *reason, int64_t since)
{
	struct rej *r = arg;
	struct ev *x = r->x;
	char key[96], dept[48] = "", dist[16] = "";
	const struct dept *d = dept_find(x, department);
	if (d) {
		snprintf(dept, sizeof dept, "%s", d->code);
		snprintf(dist, sizeof dist, "%s", d->district);
	} else {
		char div[16];
		if (store_quality_project_division(x->st, object ? object : "", div, r->e))
			return r->e->code;
		if (*div)
			window_of(x, div, dept, dist);
		else
			snprintf(dist, sizeof dist, "610200");
	}
	snprintf(key, sizeof key, "%s:%s", table ? table : "", dfsjzj ? dfsjzj : "");
	size_t n = hit_all(x, C_EXCHANGE_REJECTED, key, object ? object : "", dept, dist);
	EACH_NEW(x, n, h) {
		q_hit_arg(h, "table", "%s", table_cn(table ? table : ""));
		q_hit_arg(h, "reason", "%s", reason ? reason : "");
	}
	size_t before = x->out->n;
	hit_over(x, C_EXCHANGE_UNCORRECTED, "days", 5, elapsed(x, day_of(since)), key, object ? object : "", dept,
		 dist, "elapsed");
	for (size_t i = before; i < x->out->n; i++) {
		q_hit_arg(&x->out->v[i], "table", "%s", table_cn(table ? table : ""));
		q_hit_arg(&x->out->v[i], "reason", "%s", reason ? reason : "");
	}
	return x->oom;
}

static int exchange_pass(struct ev *x, int *skipped, struct err *e)
{
	const struct quality_sources *src = x->env->sources;
	if (!any(x, C_EXCHANGE_REJECTED) && !any(x, C_EXCHANGE_UNCORRECTED))
		return 0;
	if (!src || !src->rejections) {
		for (int c = C_EXCHANGE_REJECTED; c <= C_EXCHANGE_UNCORRECTED; c++)
			for (int i = 0; i < x->nrules[c]; i++)
				skipped[x->rules[c][i]] = 1;
		return 0;
	}
	struct rej r = {x, e};
	err_clear(e);
	int rc = src->rejections(src->ctx, x->st, rejection, &r, e);
	if (rc && !e->code)
		err_set(e, ERR_INTERNAL, "exchange", "省级退回数据读取失败");
	return rc ? e->code : 0;
}

/* ---- the whole evaluation ---------------------------------------------------------------------------- */

static int any_of(const struct ev *x, int from, int to)
{
	for (int c = from; c <= to; c++)
		if (any(x, c))
			return 1;
	return 0;
}

/* ---- the cases that changed (what the case pass keeps, migration 0024) ---------------------------- */

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211ULL;
	return h;
}

/* What a concluded case's defects depend on besides its own rows: the
** departments, every day of the calendar, the case rules enabled and their
** parameters. */
static void fingerprint(const struct ev *x, char out[72])
{
	uint64_t a = 1469598103934665603ULL, b = 0x84222325cbf29ce4ULL;
	struct err e;
	for (size_t i = 0; i < x->ndepts; i++) {
		a = mix(a, x->depts[i].code, strlen(x->depts[i].code) + 1);
		a = mix(a, x->depts[i].district, strlen(x->depts[i].district) + 1);
		a = mix(a, &x->depts[i].active, sizeof x->depts[i].active);
	}
	int32_t first = cal_date_from_ymd(CAL_FIRST_YEAR, 1, 1), last = cal_date_from_ymd(CAL_LAST_YEAR, 12, 31);
	for (int32_t d = first; d <= last; d++) {
		struct cal_dayinfo info;
		unsigned char w = cal_day(x->env->cal, d, &info, &e) ? 2 : (unsigned char)info.workday;
		b = mix(b, &w, 1);
	}
	for (int c = C_CASE_OVERDUE_UNMARKED; c <= C_CASE_DEPARTMENT; c++)
		for (int i = 0; i < x->nrules[c]; i++) {
			const struct q_rule *r = &x->rs->v[x->rules[c][i]];
			char *params = json_dumps(json_object_get(r->doc, "params"), JSON_SORT_KEYS | JSON_COMPACT);
			a = mix(a, r->id, strlen(r->id) + 1);
			a = mix(a, &c, sizeof c);
			if (params)
				a = mix(a, params, strlen(params));
			free(params);
		}
	snprintf(out, 72, "1:%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

/* Read only what changed when the kept marks were made under the same
** fingerprint and a run would not read more than an eighth of the cases. */
static int cases_plan(struct ev *x, struct q_cases *q, int *changed_only, struct err *e)
{
	int64_t pending = 0, max = 0;
	*changed_only = 0;
	q->ran = 1;
	if (store_quality_case_state(x->st, &q->read, e))
		return e->code;
	fingerprint(x, q->fingerprint);
	if (x->env->rescan || strcmp(q->read.fingerprint, q->fingerprint) != 0)
		return 0;
	if (store_quality_case_pending(x->st, q->read.dirty_upto, &pending, e) || store_quality_max_case(x->st, &max, e))
		return e->code;
	*changed_only = pending <= max / 8;
	return 0;
}

struct cands {
	struct ev *x;
	struct q_cases *q;
	size_t capj, capi;
	int64_t inst;                 /* instance_row: the instance read */
	int oom;
};

static int cand_row(void *arg, int64_t id, int dup)
{
	struct cands *k = arg;
	if (dup ? push(&k->q->insts, &k->q->ninsts, &k->capi, id) : push(&k->q->judged, &k->q->njudged, &k->capj, id))
		return k->oom = 1;
	return 0;
}

/* A kept or dirty case: its instance is looked at again; a concluded one
** judged here (the running ones come with the others). */
static int judged_row(void *arg, const struct qs_case *c)
{
	struct cands *k = arg;
	if (push(&k->q->insts, &k->q->ninsts, &k->capi, c->instance_id))
		return k->oom = 1;
	return c->open ? 0 : case_row(k->x, c);
}

static int instance_row(void *arg, int64_t case_id, const char *item_code)
{
	struct cands *k = arg;
	pair_push(k->x, k->inst, intern_item(k->x, item_code), case_id);
	return k->x->oom;
}

static int i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void uniq(int64_t *v, size_t *n)
{
	size_t m = 0;
	if (*n > 1)
		qsort(v, *n, sizeof *v, i64_cmp);
	for (size_t i = 0; i < *n; i++)
		if (!m || v[i] != v[m - 1])
			v[m++] = v[i];
	*n = m;
}

/* The kept and dirty cases, every running case, and the instances of all
** of those with an item twice before, in one read transaction. */
static int cases_changed(struct ev *x, struct q_cases *q, struct err *e)
{
	struct cands k = {.x = x, .q = q};
	int began, rc = store_quality_read_begin(x->st, &began, e);
	if (!rc)
		rc = store_quality_case_candidates(x->st, q->read.dirty_upto, cand_row, &k, e);
	uniq(q->judged, &q->njudged);
	for (size_t i = 0; !rc && i < q->njudged; i++)
		rc = store_quality_case_get(x->st, q->judged[i], judged_row, &k, e);
	if (!rc)
		rc = store_quality_open_cases(x->st, case_row, x, e);
	uniq(q->insts, &q->ninsts);
	for (size_t i = 0; !rc && any(x, C_CASE_DUPLICATE_ITEM) && i < q->ninsts; i++) {
		k.inst = q->insts[i];
		rc = store_quality_instance_cases(x->st, k.inst, instance_row, &k, e);
	}
	if (!rc && any(x, C_CASE_DUPLICATE_ITEM))
		rc = duplicates(x, e);
	if (began)
		rc = rc ? (store_quality_read_end(x->st, 1, &(struct err){0}), rc) : store_quality_read_end(x->st, 1, e);
	if (k.oom || x->oom)
		rc = err_set(e, ERR_INTERNAL, "", "out of memory");
	return rc;
}

/* What the case pass concluded, for the run to keep. */
static void cases_out(struct ev *x, struct q_cases *q, int changed_only)
{
	q->all = !changed_only;
	q->suspects = x->sus;
	q->nsuspects = x->nsus;
	q->dups = x->dupi;
	q->ndups = x->ndupi;
	x->sus = x->dupi = NULL;
	x->nsus = x->ndupi = 0;
}

void q_cases_free(struct q_cases *q)
{
	free(q->judged);
	free(q->insts);
	free(q->suspects);
	free(q->dups);
	memset(q, 0, sizeof *q);
}

/* The second lane: the upper cases, the status rows (what
** changed), then projects, their open stages and units, on its own
** connection (path set) in a thread, or on the caller's after the first. */
struct lane {
	struct ev x;                  /* a copy of the main context with its own hits and pairs */
	struct q_hits hits, shits;    /* shits: status hits, resolved to their case after */
	struct q_status *status;
	int cases;                    /* this lane reads cases: those with id > cases_after */
	int64_t cases_after;
	const char *path;             /* NULL: use x.st on this thread */
	struct err e;
	int rc;
};

static int cases_of(struct ev *x, int64_t after, int64_t upto, struct err *e)
{
	if (!any_of(x, C_CASE_OVERDUE_UNMARKED, C_CASE_DEPARTMENT))
		return 0;
	int rc = store_quality_cases(x->st, after, upto, case_row, x, e);
	return !rc && x->oom ? err_set(e, ERR_INTERNAL, "", "out of memory") : rc;
}

static int lane_passes(struct lane *l, struct err *e)
{
	struct ev *x = &l->x;
	int rc = l->cases ? cases_of(x, l->cases_after, INT64_MAX, e) : 0;
	if (!rc && any_of(x, C_STATUS_ORDER, C_STATUS_FIRST) && !(rc = q_status_pass(x->st, x->env->rescan, l->status, e)))
		status_hits(x, l->status, &l->shits);
	if (!rc && any_of(x, C_PROJECT_CODE, C_UNIT_REQUIRED))
		rc = store_quality_projects(x->st, project_row, x, e);
	if (!rc && any(x, C_PROJECT_STUCK))
		rc = store_quality_open_stages(x->st, stage_row, x, e);
	if (!rc && any_of(x, C_UNIT_BUILDER, C_UNIT_REQUIRED))
		rc = store_quality_units(x->st, unit_row, x, e);
	if (!rc && any_of(x, C_UNIT_BUILDER, C_UNIT_REQUIRED))
		rc = units_after(x, e);
	if (!rc && x->oom)
		rc = err_set(e, ERR_INTERNAL, "", "out of memory");
	return rc;
}

static void *lane_run(void *arg)
{
	struct lane *l = arg;
	struct store *main = l->x.st;
	if (l->path && store_open(l->path, STORE_READONLY, &l->x.st, &l->e)) {
		l->x.st = main;
		l->rc = l->e.code;
		return NULL;
	}
	l->rc = lane_passes(l, &l->e);
	if (l->path)
		store_close(l->x.st);
	l->x.st = main;
	return NULL;
}

static int main_passes(struct ev *x, int64_t cases_upto, struct q_cases *qc, int changed_only, int *skipped,
		       struct err *e)
{
	int rc = changed_only ? cases_changed(x, qc, e) : cases_of(x, 0, cases_upto, e);
	if (!rc && any_of(x, C_CASE_TOLERANCE_OVERDUE, C_CASE_SUPPLEMENT_STALE))
		rc = store_quality_pending(x->st, pending_row, x, e);
	if (!rc && any_of(x, C_ITEM_NATIONAL_CODE, C_STAGE_LIMIT))
		rc = store_quality_items(x->st, item_row, x, e);
	if (!rc && (any(x, C_ITEM_STAGE_LIMIT) || any(x, C_STAGE_LIMIT))) {
		struct stages g = {.x = x};
		rc = store_quality_stage_items(x->st, stage_item_row, &g, e);
	}
	if (!rc)
		rc = exchange_pass(x, skipped, e);
	if (!rc && x->oom)
		rc = err_set(e, ERR_INTERNAL, "", "out of memory");
	return rc;
}

/* Append the lane's hits to the main list (status hits resolved to their
** case) and its (instance, item) pairs to the main ones, then look for the
** same item twice in an instance over both halves. */
static int merge_lane(struct ev *x, struct lane *l, struct err *e)
{
	if (q_hits_append(x->out, &l->hits))
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (resolve_status_hits(x, &l->shits, e))
		return e->code;
	for (size_t i = 0; i < l->x.npairs && !x->oom; i++) {
		const struct pair *p = &l->x.pairs[i];
		pair_push(x, p->inst, intern_item(x, l->x.items[p->item]), p->case_id);
	}
	for (size_t i = 0; i < l->x.nsus && !x->oom; i++)
		if (push(&x->sus, &x->nsus, &x->capsus, l->x.sus[i]))
			x->oom = 1;
	if (x->oom)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	return any(x, C_CASE_DUPLICATE_ITEM) && x->rows_pair ? duplicates(x, e) : 0;
}

static void lane_free(struct lane *l)
{
	q_hits_free(&l->hits);
	q_hits_free(&l->shits);
	free(l->x.projs);
	free(l->x.upairs);
	free(l->x.pairs);
	free(l->x.items);
	free(l->x.item_index);
	free(l->x.sus);
	free(l->x.dupi);
}

/* The second lane beside the first (its own connection and thread) when
** env->threads > 1, else after it on the caller's connection. Each reads
** a share of the cases. */
static int passes(struct ev *x, int *skipped, struct q_status *status, struct q_cases *qc, struct err *e)
{
	struct lane *l = calloc(1, sizeof *l);
	pthread_t th;
	int threaded = 0, rc, changed_only = 0;
	int64_t max = 0;
	if (!l)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	rc = store_quality_max_case(x->st, &max, e);
	if (!rc && any_of(x, C_CASE_OVERDUE_UNMARKED, C_CASE_DEPARTMENT))
		rc = cases_plan(x, qc, &changed_only, e);
	x->rows_pair = !changed_only;
	l->x = *x;
	l->x.out = &l->hits;
	l->x.e = &l->e;
	l->status = status;
	/* the second lane also reads projects, stages and units (and every status
	** row on a rescan): the first takes more of the cases, or all that changed */
	l->cases = !changed_only && !x->env->rescan;
	l->cases_after = x->env->rescan ? max : max / 5 * 3;
	if (!rc && x->env->threads > 1) {
		l->path = store_path(x->st);
		threaded = pthread_create(&th, NULL, lane_run, l) == 0;
	}
	if (!rc)
		rc = main_passes(x, l->cases ? l->cases_after : INT64_MAX, qc, changed_only, skipped, e);
	if (threaded)
		pthread_join(th, NULL);
	else if (!rc)
		lane_run(l);
	if (!rc && l->rc) {
		*e = l->e;
		rc = l->rc;
	}
	if (!rc)
		rc = merge_lane(x, l, e);
	if (!rc && qc->ran)
		cases_out(x, qc, changed_only);
	lane_free(l);
	free(l);
	return rc;
}

int q_evaluate(struct store *st, const struct quality_env *env, const struct q_ruleset *rs, const int *active,
	       int64_t now, struct q_hits *out, int *skipped, struct q_status *status, struct q_cases *cases,
	       struct err *e)
{
	struct ev x = {.st = st, .env = env, .rs = rs, .today = deadline_day(now), .out = out, .e = e};
	for (size_t i = 0; i < rs->n; i++) {
		int c = rs->v[i].chk;
		if (active[i] && c >= 0 && x.nrules[c] < Q_PER_CHECK)
			x.rules[c][x.nrules[c]++] = (int)i;
	}
	struct shash *dh = malloc(sizeof *dh);
	int rc = dh ? store_quality_departments(st, dept_add, &x, e) : err_set(e, ERR_INTERNAL, "", "out of memory");
	if (!rc && (x.oom || dept_index(&x, dh)))
		rc = err_set(e, ERR_INTERNAL, "", "out of memory (departments)");
	if (!rc)
		rc = passes(&x, skipped, status, cases, e);
	free(dh);
	free(x.depts);
	free(x.pairs);
	free(x.items);
	free(x.item_index);
	free(x.cat);
	free(x.sus);
	free(x.dupi);
	return rc;
}
