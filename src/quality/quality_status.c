/*
** quality_status.c: the status pass. The four status checks judge a case
** by its own status rows in id order and by nothing else, so what a run
** concluded per case (a mark: which defects, with the values the messages
** name) stays true until the case gets rows or one of its rows changes.
** The marks are kept in the store (migration 0024) with how far they have
** read; a run reads the rows past that point and the cases the triggers
** queued as changed in place, re-judges each such case from all its rows,
** and keeps the other marks: the same marks as reading every row (the
** tests compare both). With no marks kept yet, with env->rescan, or when
** more than a quarter of the rows are new, it reads every row in id order.
*/
#include "quality/quality_int.h"

#include <stdlib.h>
#include <string.h>

enum { S_SEEN = 1, S_FINAL = 2 };

/* Where a case stands after the rows read so far. */
struct sstate {
	int64_t last;                 /* at of the previous row */
	uint8_t flags, final;
};

/* One status row of a case: its state and its mark move on. */
static void step(struct sstate *s, struct qs_status_mark *m, int status, int64_t at)
{
	if (!(s->flags & S_SEEN) && status != 1 && !(m->flags & QS_FIRST)) {
		m->flags |= QS_FIRST;
		m->first_status = status;
	}
	if ((s->flags & S_SEEN) && at < s->last && !(m->flags & QS_ORDER)) {
		m->flags |= QS_ORDER;
		m->order_status = status;
		m->order_at = at;
	}
	if ((s->flags & S_FINAL) && !(m->flags & QS_AFTER)) {
		m->flags |= QS_AFTER;
		m->after_status = status;
		m->after_final = s->final;
	}
	if ((status < 1 || status > 15) && !(m->flags & QS_CODE)) {
		m->flags |= QS_CODE;
		m->code = status;
	}
	if (status >= 11 && status <= 15 && !(s->flags & S_FINAL)) {
		s->flags |= S_FINAL;
		s->final = (uint8_t)status;
	}
	s->flags |= S_SEEN;
	s->last = at;
}

static int mark_add(struct qs_status_mark **v, size_t *n, size_t *cap, const struct qs_status_mark *m)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct qs_status_mark *x = realloc(*v, c * sizeof *x);
		if (!x)
			return -1;
		*v = x;
		*cap = c;
	}
	(*v)[(*n)++] = *m;
	return 0;
}

static int mark_cmp(const void *a, const void *b)
{
	const struct qs_status_mark *p = a, *q = b;
	return (p->case_id > q->case_id) - (p->case_id < q->case_id);
}

/* ---- every row ------------------------------------------------------------------------------------ */

struct full {
	struct q_status *q;
	struct sstate *state;         /* per case id, 0 .. max_case */
	int32_t *mark;                /* per case: index + 1 into q->fresh, 0 none */
	size_t cap;
	int oom;
};

static int full_row(void *arg, int64_t case_id, int status, int64_t at)
{
	struct full *f = arg;
	struct q_status *q = f->q;
	if (case_id < 0 || case_id > q->read.max_case)
		return 0;                                   /* no such case: its hits would resolve to nothing */
	struct qs_status_mark tmp = {.case_id = case_id}, *m = &tmp;
	if (f->mark[case_id])
		m = &q->fresh[f->mark[case_id] - 1];
	step(&f->state[case_id], m, status, at);
	if (m == &tmp && tmp.flags) {
		if (mark_add(&q->fresh, &q->nfresh, &f->cap, &tmp))
			return f->oom = 1;
		f->mark[case_id] = (int32_t)q->nfresh;
	}
	return 0;
}

static int read_all(struct store *st, struct q_status *q, struct err *e)
{
	struct full f = {.q = q};
	size_t n = (size_t)q->read.max_case + 1;
	f.state = calloc(n, sizeof *f.state);
	f.mark = calloc(n, sizeof *f.mark);
	int rc = f.state && f.mark ? store_quality_statuses(st, q->read.upto, full_row, &f, e) : 0;
	if (!f.state || !f.mark || f.oom)
		rc = err_set(e, ERR_INTERNAL, "", "out of memory");
	free(f.state);
	free(f.mark);
	if (rc)
		return rc;
	q->full = 1;
	if (q->nfresh > 1)
		qsort(q->fresh, q->nfresh, sizeof *q->fresh, mark_cmp);
	q->marks = malloc((q->nfresh ? q->nfresh : 1) * sizeof *q->marks);
	if (!q->marks)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (q->nfresh)
		memcpy(q->marks, q->fresh, q->nfresh * sizeof *q->marks);
	q->nmarks = q->nfresh;
	return 0;
}

/* ---- what changed ------------------------------------------------------------------------------------ */

struct inc {
	struct q_status *q;
	size_t capcases, capfresh, capmarks;
	struct sstate state;
	struct qs_status_mark mark;
	size_t next;                  /* kept marks: the next fresh case not yet merged */
	int oom;
};

static int touched(void *arg, int64_t case_id)
{
	struct inc *c = arg;
	struct q_status *q = c->q;
	if (q->ncases == c->capcases) {
		size_t cap = c->capcases ? c->capcases * 2 : 1024;
		int64_t *v = realloc(q->cases, cap * sizeof *v);
		if (!v)
			return c->oom = 1;
		q->cases = v;
		c->capcases = cap;
	}
	q->cases[q->ncases++] = case_id;
	return 0;
}

static int case_row(void *arg, int64_t case_id, int status, int64_t at)
{
	struct inc *c = arg;
	step(&c->state, &c->mark, status, at);
	return 0;
}

static int i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Fresh marks of the cases before `upto` (exclusive: INT64_MAX for the rest) into the merged list. */
static int merge_fresh(struct inc *c, int64_t upto)
{
	struct q_status *q = c->q;
	for (; c->next < q->nfresh && q->fresh[c->next].case_id < upto; c->next++)
		if (mark_add(&q->marks, &q->nmarks, &c->capmarks, &q->fresh[c->next]))
			return c->oom = 1;
	return 0;
}

/* A kept mark (in case order): dropped when its case was re-judged. */
static int kept_mark(void *arg, const struct qs_status_mark *m)
{
	struct inc *c = arg;
	struct q_status *q = c->q;
	if (merge_fresh(c, m->case_id))
		return 1;
	if (q->ncases && bsearch(&m->case_id, q->cases, q->ncases, sizeof *q->cases, i64_cmp))
		return 0;
	return mark_add(&q->marks, &q->nmarks, &c->capmarks, m) ? (c->oom = 1) : 0;
}

static int read_changed(struct store *st, struct q_status *q, struct err *e)
{
	struct inc c = {.q = q};
	int rc = store_quality_status_touched(st, q->read.last_id, q->read.upto, q->read.dirty_upto, touched, &c, e);
	size_t n = 0;
	if (!rc && q->ncases)
		qsort(q->cases, q->ncases, sizeof *q->cases, i64_cmp);
	for (size_t i = 0; !rc && i < q->ncases; i++)       /* unique */
		if (!n || q->cases[i] != q->cases[n - 1])
			q->cases[n++] = q->cases[i];
	q->ncases = n;
	for (size_t i = 0; !rc && !c.oom && i < q->ncases; i++) {
		c.state = (struct sstate){0};
		c.mark = (struct qs_status_mark){.case_id = q->cases[i]};
		rc = store_quality_case_statuses(st, q->cases[i], case_row, &c, e);
		if (!rc && c.mark.flags && mark_add(&q->fresh, &q->nfresh, &c.capfresh, &c.mark))
			c.oom = 1;
	}
	if (!rc && !c.oom)
		rc = store_quality_marks(st, kept_mark, &c, e);
	if (!rc && !c.oom)
		merge_fresh(&c, INT64_MAX);
	if (c.oom)
		rc = err_set(e, ERR_INTERNAL, "", "out of memory");
	return rc;
}

int q_status_pass(struct store *st, int rescan, struct q_status *q, struct err *e)
{
	memset(q, 0, sizeof *q);
	if (store_quality_status_state(st, &q->read, e))
		return e->code;
	q->ran = 1;
	int64_t fresh = q->read.upto - (q->read.last_id > 0 ? q->read.last_id : 0);
	if (rescan || q->read.last_id < 0 || fresh > q->read.upto / 4)
		return read_all(st, q, e);
	return read_changed(st, q, e);
}

void q_status_free(struct q_status *q)
{
	free(q->cases);
	free(q->fresh);
	free(q->marks);
	memset(q, 0, sizeof *q);
}
