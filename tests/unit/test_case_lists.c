/*
** test_case_lists.c: the list queries of issue 21 (store_case_find,
** store_project_list: indexes, trigram search, capped counts, the walk of a
** wide list) answer exactly what the straightforward query answers. On a
** small demo database every case and project is read into memory and each
** filter, search, sort and page of the lists is computed here by brute force
** (filter every row, sort, cut the page) and compared, ids in order and the
** total. The project scopes are checked row by row against
** store_project_visible, the per-project query the list used to inline.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "store/store_case.h"
#include "store/store_project.h"
#include "store/store_search.h"

static char Dir[64], Db[96];
static struct store *St;
static struct case_rec *Cases;        /* Cases[i].id == i + 1 */
static int NCases;
static json_t *Projects;              /* [{id, code, name, flow_type, division}] */
static int64_t **Done;                /* Done[i]: user ids acting on case i+1, 0-terminated */
#define TODAY 20412                   /* 2025-11-20 as a calendar day */

static void quiet_demo(void)
{
	char *argv[] = {"demo", "--db", Db, "--projects", "1400", "--seed", "21", "--as-of", "2025-11-20", NULL};
	fflush(stdout);
	FILE *out = stdout, *err = stderr;
	stdout = fopen("/dev/null", "w");
	stderr = fopen("/dev/null", "w");
	int rc = cli_demo(9, argv);
	fclose(stdout);
	fclose(stderr);
	stdout = out;
	stderr = err;
	assert_int_equal(rc, 0);
}

static int add_actor(void *arg, const struct case_part *p)
{
	int64_t **d = arg;
	if (p->kind != CASE_PART_STATUS || !p->n[4])
		return 0;
	int n = 0;
	while ((*d)[n] && (*d)[n] != p->n[4])
		n++;
	if ((*d)[n])
		return 0;
	*d = realloc(*d, (n + 2) * sizeof **d);
	(*d)[n] = p->n[4];
	(*d)[n + 1] = 0;
	return 0;
}

static int setup(void **state)
{
	struct err e;
	int64_t next;
	json_t *row;
	snprintf(Dir, sizeof Dir, "/tmp/test-case-lists-XXXXXX");
	if (!mkdtemp(Dir))
		return -1;
	snprintf(Db, sizeof Db, "%s/demo.db", Dir);
	quiet_demo();
	if (store_open(Db, 0, &St, &e) || store_case_next_id(St, &next, &e))
		return -1;
	NCases = (int)next - 1;
	Cases = calloc(NCases, sizeof *Cases);
	Done = calloc(NCases, sizeof *Done);
	for (int i = 0; i < NCases; i++) {
		Done[i] = calloc(1, sizeof **Done);
		if (store_case_get(St, i + 1, &Cases[i], &e) || store_case_parts(St, &Cases[i], add_actor, &Done[i], &e))
			return -1;
	}
	Projects = json_array();
	for (int64_t id = 1; store_project_get(St, id, &row, &e) == 0; id++)
		json_array_append_new(Projects, row);
	/* more cases than the count's cap: "610" (every number) and the
	** unfiltered lists are capped and take the walk */
	return NCases > STORE_COUNT_CAP && json_array_size(Projects) > 100 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[160];
	store_close(St);
	for (int i = 0; i < NCases; i++)
		free(Done[i]);
	free(Done);
	free(Cases);
	json_decref(Projects);
	snprintf(cmd, sizeof cmd, "rm -rf %s", Dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- the reference: every case through the filter ------------------------------------------ */

static int has(const char *s, const char *q) { return strstr(s, q) != NULL; }

static int light_ok(const struct case_rec *c, const struct case_filter *f)
{
	int32_t ref = c->paused_since ? c->paused_since : f->today;
	if (f->light <= 0)
		return 1;
	if (!c->open || !c->accepted)
		return 0;
	/* a missing due or warning day (0 here, NULL in the table) compares false */
	if (f->light == 3)
		return c->due_day && c->due_day < ref;
	if (f->light == 2)
		return c->due_day && c->warn_day && c->due_day >= ref && c->warn_day <= ref;
	return c->warn_day && c->warn_day > ref;
}

static int role_in(const char *csv, const char *role)
{
	char k[24];
	snprintf(k, sizeof k, ",%s,", role);
	return strstr(csv, k) != NULL;
}

static int done_by(int i, int64_t user)
{
	for (int64_t *u = Done[i]; *u; u++)
		if (*u == user)
			return 1;
	return 0;
}

static int match(int i, const struct case_filter *f)
{
	const struct case_rec *c = &Cases[i];
	if (!f->all && f->scope_department && strcmp(c->department, f->scope_department))
		return 0;
	if (!f->all && !f->scope_department && strcmp(c->district, f->scope_district ? f->scope_district : ""))
		return 0;
	if ((f->district && strcmp(c->district, f->district)) || (f->department && strcmp(c->department, f->department)) ||
	    (f->item && strcmp(c->item_code, f->item)) || (f->stage && c->stage != f->stage) ||
	    (f->status && c->status != f->status) || (f->open >= 0 && c->open != f->open) ||
	    (f->from && c->received_at < f->from) || (f->to && c->received_at >= f->to))
		return 0;
	if (f->q && !has(c->number, f->q) && !has(c->project_name, f->q) && !has(c->project_code, f->q))
		return 0;
	if (!light_ok(c, f))
		return 0;
	if (f->todo_roles && (!c->open || !role_in(f->todo_roles, c->step_role) ||
			      (c->handler_id && c->handler_id != f->todo_user)))
		return 0;
	return !f->done_user || done_by(i, f->done_user);
}

static const struct case_filter *Sort_f;

static int cmp64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

static int by_sort(const void *pa, const void *pb)
{
	const struct case_rec *a = &Cases[*(const int *)pa], *b = &Cases[*(const int *)pb];
	const char *s = Sort_f->sort ? Sort_f->sort : "received";
	int d = Sort_f->desc ? -1 : 1, r;
	if (strcmp(s, "due") == 0) {
		if (!a->due_day != !b->due_day)
			return a->due_day ? -1 : 1;            /* without a due day: last either way */
		r = cmp64(a->due_day, b->due_day);
	} else if (strcmp(s, "number") == 0) {
		return d * strcmp(a->number, b->number);
	} else if (strcmp(s, "updated") == 0) {
		r = cmp64(a->updated_at, b->updated_at);
	} else {
		r = cmp64(a->received_at, b->received_at);
	}
	return d * (r ? r : cmp64(a->id, b->id));
}

/* Compare one page of store_case_find with the reference. */
static void check(const char *what, const struct case_filter *f, int page, int size)
{
	struct err e;
	int64_t ids[64], total;
	int n, capped, *all = malloc(NCases * sizeof *all), m = 0;
	struct page pg = {page, size};
	for (int i = 0; i < NCases; i++)
		if (match(i, f))
			all[m++] = i;
	Sort_f = f;
	qsort(all, m, sizeof *all, by_sort);
	if (store_case_find(St, f, &pg, ids, &n, &total, &capped, &e))
		fail_msg("%s: %s", what, e.msg);
	int from = (page - 1) * size, want = m - from < 0 ? 0 : m - from > size ? size : m - from;
	if (total != (m > STORE_COUNT_CAP ? STORE_COUNT_CAP : m) || capped != (m > STORE_COUNT_CAP) || n != want)
		fail_msg("%s (sort %s%s page %d): total %lld capped %d rows %d, expected %d rows of %d", what,
			 f->sort ? f->sort : "-", f->desc ? " desc" : "", page, (long long)total, capped, n, want, m);
	for (int k = 0; k < n; k++)
		if (ids[k] != Cases[all[from + k]].id)
			fail_msg("%s (sort %s%s page %d): row %d is case %lld, expected %lld", what, f->sort ? f->sort : "-",
				 f->desc ? " desc" : "", page, k, (long long)ids[k], (long long)Cases[all[from + k]].id);
	free(all);
}

/* Every sort, both directions, first, third and last page. */
static void check_all_sorts(const char *what, struct case_filter f)
{
	static const char *const sorts[] = {NULL, "received", "due", "number", "updated"};
	for (size_t s = 0; s < sizeof sorts / sizeof *sorts; s++)
		for (int desc = 0; desc < 2; desc++) {
			f.sort = sorts[s];
			f.desc = desc;
			check(what, &f, 1, 20);
			check(what, &f, 3, 7);
			check(what, &f, 200, 50);
		}
}

/* Values the demo holds: the first case's and one in the middle. */
static const struct case_rec *mid(void) { return &Cases[NCases / 2]; }

static void test_filters(void **state)
{
	const struct case_rec *a = &Cases[0], *b = mid();
	struct case_filter base = {.all = 1, .open = -1, .light = -1, .today = TODAY};
	struct case_filter f;
	check_all_sorts("everything", base);
	f = base; f.all = 0; f.scope_department = b->department; check_all_sorts("a department's scope", f);
	f = base; f.all = 0; f.scope_district = a->district; check_all_sorts("a window's district", f);
	f = base; f.all = 0; check_all_sorts("no scope", f);
	f = base; f.district = b->district; f.status = 11; check_all_sorts("district and status", f);
	f = base; f.department = a->department; check_all_sorts("department", f);
	f = base; f.item = b->item_code; f.stage = b->stage; check_all_sorts("item and stage", f);
	f = base; f.status = b->status; check_all_sorts("status", f);
	f = base; f.stage = 2; f.open = 1; check_all_sorts("stage, running", f);
	f = base; f.from = b->received_at - 30 * 86400; f.to = b->received_at + 30 * 86400;
	check_all_sorts("received between", f);
	for (int l = 1; l <= 3; l++) {
		f = base; f.light = l; check_all_sorts("light", f);
		f.all = 0; f.scope_department = b->department; check_all_sorts("light in a department", f);
	}
}

static void test_search(void **state)
{
	const struct case_rec *b = mid();
	struct case_filter f = {.all = 1, .open = -1, .light = -1, .today = TODAY};
	char prefix[16], frag[64], inner[8], inner10[12];
	const char *qs[] = {b->project_code, b->number, prefix, frag, inner, inner10, "610", "王益区", "区", "益区",
			    "no such text", "\"", "a\"b\"c"};
	snprintf(prefix, sizeof prefix, "%.14s", b->number);
	snprintf(inner, sizeof inner, "%.5s", b->number + 9);
	/* ten digits from inside the number: its first six are no division code */
	snprintf(inner10, sizeof inner10, "%.10s", b->number + 3);
	/* three CJK characters from the middle of a project name */
	snprintf(frag, sizeof frag, "%.9s", b->project_name + 9);
	for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
		f.q = qs[i];
		f.all = 1;
		f.scope_department = NULL;
		check_all_sorts(qs[i], f);
		f.all = 0;
		f.scope_department = b->department;
		check_all_sorts(qs[i], f);
	}
}

/* The trigrams a search narrows by: from the end; none inside a long digit
** string's first six (the division code every number shares). */
static void test_search_terms(void **state)
{
	const char *in[] = {"61020320250721", "610203202", "61020320", "610203", "小丘商业", "2026-610204-47"};
	const char *out[] = {"\"721\" AND \"250\" AND \"320\"", "\"202\"", "\"320\" AND \"020\"",
			     "\"203\" AND \"610\"", "\"丘商业\"", "\"-47\" AND \"204\" AND \"610\" AND \"26-\""};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		struct buf b = {0};
		store_search_terms(in[i], &b);
		assert_string_equal(b.data, out[i]);
		buf_free(&b);
	}
}

static void test_todo_and_done(void **state)
{
	char roles[4][40] = {",clerk,", ",reviewer,", ",head,", ",clerk,reviewer,head,"};
	for (int k = 0; k < NCases; k += NCases / 7) {
		const struct case_rec *c = &Cases[k];
		for (int r = 0; r < 4; r++) {
			struct case_filter f = {.open = 1, .light = -1, .sort = "due", .todo_roles = roles[r],
						.todo_user = c->handler_id ? c->handler_id : 3, .today = TODAY,
						.scope_department = c->department};
			check("待办", &f, 1, 20);
			check("待办", &f, 2, 5);
			for (int l = 1; l <= 3; l++) {
				f.light = l;
				check("待办 by light", &f, 1, 20);
			}
		}
		for (int64_t *u = Done[k]; *u; u++) {
			struct case_filter f = {.all = 1, .open = -1, .light = -1, .sort = "updated", .desc = 1,
						.done_user = *u, .today = TODAY};
			check_all_sorts("已办", f);
		}
	}
}

/* ---- projects -------------------------------------------------------------------------------- */

static const char *jstr(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static void check_projects(const char *what, const struct project_scope *sc, const struct project_filter *f, int page,
			   int size)
{
	struct err e;
	json_t *items, *p;
	int64_t total, want[64];
	int capped, m = 0, nwant = 0, from = (page - 1) * size;
	struct page pg = {page, size};
	/* newest first: the reference walks the ids down */
	for (int i = (int)json_array_size(Projects) - 1; i >= 0; i--) {
		p = json_array_get(Projects, i);
		int64_t id = json_integer_value(json_object_get(p, "id"));
		if (!store_project_visible(St, id, sc))
			continue;
		if (f->q && !has(jstr(p, "name"), f->q) && !has(jstr(p, "code"), f->q))
			continue;
		if ((f->flow_type && json_integer_value(json_object_get(p, "flow_type")) != f->flow_type) ||
		    (f->division && strcmp(jstr(p, "division"), f->division)))
			continue;
		if (m >= from && nwant < size)
			want[nwant++] = id;
		m++;
	}
	if (store_project_list(St, sc, f, &pg, &items, &total, &capped, &e))
		fail_msg("%s: %s", what, e.msg);
	if (total != (m > STORE_COUNT_CAP ? STORE_COUNT_CAP : m) || (int)json_array_size(items) != nwant)
		fail_msg("%s page %d: total %lld rows %zu, expected %d rows of %d", what, page, (long long)total,
			 json_array_size(items), nwant, m);
	for (int k = 0; k < nwant; k++)
		assert_int_equal(json_integer_value(json_object_get(json_array_get(items, k), "id")), want[k]);
	json_decref(items);
}

static void test_projects(void **state)
{
	const struct case_rec *b = mid();
	char xsp[16];
	snprintf(xsp, sizeof xsp, "%s-XSP", b->district);
	struct project_scope scopes[] = {
		{.all = 1}, {.department = b->department}, {.district = b->district},
		{.district = b->district, .department = xsp}, {0},
	};
	const char *qs[] = {NULL, b->project_code, "王益区", "益区", "项目", "nothing"};
	for (size_t s = 0; s < sizeof scopes / sizeof *scopes; s++)
		for (size_t q = 0; q < sizeof qs / sizeof *qs; q++) {
			struct project_filter f = {.q = qs[q]};
			check_projects("projects", &scopes[s], &f, 1, 20);
			check_projects("projects", &scopes[s], &f, 4, 9);
			f.flow_type = 1;
			check_projects("projects of a flow type", &scopes[s], &f, 1, 20);
			f.flow_type = 0;
			f.division = b->district;
			check_projects("projects of a division", &scopes[s], &f, 2, 10);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_search_terms),
		cmocka_unit_test(test_todo_and_done),
		cmocka_unit_test(test_projects),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
