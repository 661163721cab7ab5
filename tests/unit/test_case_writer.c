/*
** test_case_writer.c: the two pieces of the server's 办件 write path tested
** directly. case_cache: a detail is served again only for the same (case,
** day, calendar), an invalidation drops it, and a reader that looked before
** an invalidation cannot store its (stale) text afterwards. case_writer:
** actions submitted from several threads at once are batched, and a refused
** action in a batch is undone alone — the actions around it commit, the
** refused one leaves no row (history, audit) behind and says why in its err
** (under synchronous=FULL: answered by the syncer after the WAL's flush; the
** applications without it: answered by the writer).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval/case.h"
#include "approval/case_int.h"
#include "approval/project.h"
#include "base/buf.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "db/db.h"
#include "org/audit.h"
#include "workday/workday.h"

/* ---- case_cache, no database ------------------------------------------------------------ */

static int get(struct case_cache *c, const struct case_cache_key *k, char *text, size_t cap, uint64_t *gen)
{
	struct buf b = {0};
	struct case_access a;
	int hit = case_cache_get(c, k, &b, &a, gen);
	snprintf(text, cap, "%.*s", (int)b.len, b.data ? b.data : "");
	buf_free(&b);
	return hit;
}

static void test_cache_key_and_generations(void **state)
{
	int cal1, cal2;
	struct case_cache *c = case_cache_new(4);
	struct case_cache_key k = {.id = 5, .day = 100, .cal = &cal1};
	struct case_access a = {.department = "610200-ZJJ", .allowed = 3};
	char text[64];
	uint64_t g0, g1, g;
	assert_non_null(c);
	assert_int_equal(get(c, &k, text, sizeof text, &g0), 0);
	case_cache_put(c, &k, g0, &a, "detail-A", 8);
	assert_int_equal(get(c, &k, text, sizeof text, &g), 1);
	assert_string_equal(text, "detail-A");

	/* another day or another calendar: not the same detail */
	struct case_cache_key day = k, cal = k;
	day.day = 101;
	cal.cal = &cal2;
	assert_int_equal(get(c, &day, text, sizeof text, &g), 0);
	assert_int_equal(get(c, &cal, text, sizeof text, &g), 0);

	/* invalidated: gone, and a reader who looked before cannot put it back */
	case_cache_invalidate(c, 5);
	assert_int_equal(get(c, &k, text, sizeof text, &g1), 0);
	assert_true(g1 != g0);
	case_cache_put(c, &k, g0, &a, "stale", 5);
	assert_int_equal(get(c, &k, text, sizeof text, &g), 0);
	case_cache_put(c, &k, g1, &a, "detail-B", 8);
	assert_int_equal(get(c, &k, text, sizeof text, &g), 1);
	assert_string_equal(text, "detail-B");

	/* 9 shares 5's slot (4 slots): it replaces the entry, never answers for 5 */
	struct case_cache_key k9 = {.id = 9, .day = 100, .cal = &cal1};
	assert_int_equal(get(c, &k9, text, sizeof text, &g), 0);
	case_cache_put(c, &k9, g, &a, "detail-9", 8);
	assert_int_equal(get(c, &k, text, sizeof text, &g), 0);
	assert_int_equal(get(c, &k9, text, sizeof text, &g), 1);
	assert_string_equal(text, "detail-9");
	/* invalidating 9 also stops a reader of 5 who looked before (same slot) */
	assert_int_equal(get(c, &k, text, sizeof text, &g0), 0);
	case_cache_invalidate(c, 9);
	case_cache_put(c, &k, g0, &a, "late", 4);
	assert_int_equal(get(c, &k, text, sizeof text, &g), 0);
	case_cache_free(c);
}

static void test_cache_access_items_and_null(void **state)
{
	int cal;
	struct case_cache *c = case_cache_new(8);
	struct case_cache_key k = {.id = 3, .day = 7, .cal = &cal};
	struct case_access a = {.department = "610200-ZRZY", .district = "610200", .step_role = "reviewer",
				.handler_id = 42, .allowed = 0x15};
	struct case_access got;
	struct buf b = {0};
	uint64_t g;
	assert_int_equal(case_cache_get(c, &k, &b, &got, &g), 0);
	case_cache_put(c, &k, g, &a, "x", 1);
	assert_int_equal(case_cache_get(c, &k, &b, &got, &g), 1);
	assert_memory_equal(&got, &a, sizeof a);     /* the scope facts come back with the text */
	buf_free(&b);

	struct case_item_facts f = {.id = 77}, out;
	assert_int_equal(case_cache_item_get(c, 77, &out), 0);
	case_cache_item_put(c, &f);
	assert_int_equal(case_cache_item_get(c, 77, &out), 1);
	assert_int_equal(out.id, 77);
	case_cache_free(c);

	/* the command line runs without a cache: every call is a harmless miss */
	assert_int_equal(case_cache_get(NULL, &k, &b, &got, &g), 0);
	case_cache_put(NULL, &k, g, &a, "x", 1);
	case_cache_invalidate(NULL, 3);
	assert_int_equal(case_cache_item_get(NULL, 77, &out), 0);
	case_cache_free(NULL);
}

/* ---- case_writer on a small demo database ------------------------------------------------ */

static char Dir[64], Db[128];
static struct store *St;
static struct cal *Cal;
static struct case_env Env;
static struct principal Cli;

static int setup(void **state)
{
	struct err e;
	snprintf(Dir, sizeof Dir, "/tmp/test-case-writer-XXXXXX");
	if (!mkdtemp(Dir))
		return -1;
	snprintf(Db, sizeof Db, "%s/demo.db", Dir);
	char *argv[] = {"demo", "--db", Db, "--projects", "60", "--seed", "7", NULL};
	FILE *saved = stdout;
	stdout = fopen("/dev/null", "w");
	int rc = cli_demo(7, argv);
	fclose(stdout);
	stdout = saved;
	if (rc != 0 || store_open(Db, 0, &St, &e) || cal_build_store(St, &Cal, &e))
		return -1;
	Env = (struct case_env){.cal = Cal, .dl = DEADLINE_CONF_DEFAULT, .cache = case_cache_new(64),
			     .observers = db_case_observers()};
	rbac_cli_principal(&Cli);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	case_cache_free(Env.cache);
	cal_free(Cal);
	store_close(St);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", Dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int64_t count(const char *sql, int64_t id)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n = -1;
	sqlite3_open_v2(Db, &db, SQLITE_OPEN_READONLY, NULL);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (id)
			sqlite3_bind_int64(s, 1, id);
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return n;
}

/* Open cases in a state where accept is refused (409) and `valid` is
** allowed: accepted or processing (special_start), in 补正 (supplement_done). */
static int open_cases(int64_t *ids, int *status, int max)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = 0;
	sqlite3_open_v2(Db, &db, SQLITE_OPEN_READONLY, NULL);
	/* accepted: a 补正 before 受理 (status 6, not accepted) may be accepted
	** once the 补正 is done, which the batch may run first */
	sqlite3_prepare_v2(db, "SELECT id, status FROM cases WHERE open = 1 AND accepted = 1 AND status IN (3, 6, 8) "
			   "ORDER BY id", -1, &s, NULL);
	while (n < max && sqlite3_step(s) == SQLITE_ROW) {
		ids[n] = sqlite3_column_int64(s, 0);
		status[n++] = sqlite3_column_int(s, 1);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static struct case_input valid_for(int status)
{
	if (status == CASE_SUPP_START)
		return (struct case_input){.action = CASE_A_SUPPLEMENT_DONE};
	return (struct case_input){.action = CASE_A_SPECIAL_START, .special_type = 1, .special_kind = "expert",
				   .special_limit = 5, .reason = "专家评审"};
}

#define NJOBS 24
#define NTHREADS 4

struct job {
	int64_t id;
	struct case_input in;
	int rc;
	struct err e;
};

struct run {
	struct case_writer *w;
	struct job jobs[NJOBS];
	int njobs, done;
	int64_t now;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int thread_no;
};

static void job_done(void *token)
{
	struct run *r = token;
	pthread_mutex_lock(&r->mu);
	r->done++;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

struct submitter {
	struct run *r;
	int t;
};

/* Thread t submits every NTHREADS-th job, so batches mix the threads' jobs. */
static void *submit_some(void *arg)
{
	struct submitter *s = arg;
	for (int i = s->t; i < s->r->njobs; i += NTHREADS) {
		struct job *j = &s->r->jobs[i];
		if (case_writer_submit(s->r->w, &Env, &Cli, s->r->now, j->id, &j->in, &j->rc, &j->e, job_done, s->r))
			job_done(s->r);   /* out of memory: j->rc stays -1, the test fails below */
	}
	return NULL;
}

static void test_writer_batch_isolation(void **state)
{
	int64_t ids[NJOBS / 2];
	int status[NJOBS / 2];
	int n = open_cases(ids, status, NJOBS / 2);
	struct err e;
	assert_true(n >= 4);
	static struct run r;
	memset(&r, 0, sizeof r);
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	r.now = clock_now(NULL);
	int64_t hist_before = count("SELECT count(*) FROM case_status", 0);
	int64_t audit_before = count("SELECT count(*) FROM audit_log", 0);
	/* per case: accept (refused: accepted long ago) and an allowed action, interleaved */
	for (int i = 0; i < n; i++) {
		r.jobs[r.njobs++] = (struct job){.id = ids[i], .in = {.action = CASE_A_ACCEPT}, .rc = -1};
		r.jobs[r.njobs++] = (struct job){.id = ids[i], .in = valid_for(status[i]), .rc = -1};
	}
	assert_int_equal(case_writer_start(Db, STORE_SYNC_FULL, NULL, &r.w, &e), 0);
	pthread_t th[NTHREADS];
	struct submitter sub[NTHREADS];
	for (int t = 0; t < NTHREADS; t++) {
		sub[t] = (struct submitter){&r, t};
		pthread_create(&th[t], NULL, submit_some, &sub[t]);
	}
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_lock(&r.mu);
	while (r.done < r.njobs)
		pthread_cond_wait(&r.cv, &r.mu);
	pthread_mutex_unlock(&r.mu);
	case_writer_stop(r.w);

	int allowed = 0;
	for (int i = 0; i < r.njobs; i++) {
		struct job *j = &r.jobs[i];
		if (j->in.action == CASE_A_ACCEPT) {
			/* refused with a reason, whatever ran before it in its batch */
			assert_int_equal(j->rc, ERR_CONFLICT);
			assert_int_equal(j->e.code, ERR_CONFLICT);
			assert_true(j->e.msg[0] != 0);
		} else {
			if (j->rc)
				fail_msg("case %lld, action %d: %d %s %s", (long long)j->id, j->in.action, j->rc, j->e.field,
					 j->e.msg);
			allowed++;
		}
	}
	for (int i = 0; i < n; i++)
		assert_int_equal(count("SELECT status FROM cases WHERE id = ?1", ids[i]),
				 status[i] == CASE_SUPP_START ? CASE_SUPP_END : CASE_SPECIAL_START);
	/* exactly one status row and one audit row per allowed action: the
	** refused accepts' savepoints left nothing */
	assert_int_equal(count("SELECT count(*) FROM case_status", 0) - hist_before, allowed);
	assert_int_equal(count("SELECT count(*) FROM audit_log", 0) - audit_before, allowed);
	assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'case.accept' AND at >= ?1", r.now), 0);
	struct audit_verdict v;
	assert_int_equal(audit_verify(St, &v, &e), 0);
	assert_int_equal(v.bad_id, 0);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
}

/* A change through case_act drops the cached detail: the next read shows it. */
static void test_cache_follows_changes(void **state)
{
	int64_t id;
	int status;
	struct err e;
	struct buf a = {0}, b = {0}, c = {0};
	int64_t now = clock_now(NULL);
	assert_int_equal(open_cases(&id, &status, 1), 1);
	assert_int_equal(case_get_text(St, &Env, &Cli, now, id, &a, &e), 0);
	assert_int_equal(case_get_text(St, &Env, &Cli, now, id, &b, &e), 0);   /* from the cache */
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	struct case_input in = valid_for(status);
	assert_int_equal(case_act(St, &Env, &Cli, now, id, &in, NULL, &e), 0);
	assert_int_equal(case_get_text(St, &Env, &Cli, now, id, &c, &e), 0);
	assert_true(c.len != a.len || memcmp(c.data, a.data, a.len) != 0);
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
}

static int64_t new_project(int n)
{
	char code[32];
	int64_t id = 0;
	struct err e;
	snprintf(code, sizeof code, "2025-610202-47-01-9%05d", n);
	json_t *body = json_pack("{s:s,s:s,s:i,s:s,s:s,s:i,s:i,s:i,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:s}]}", "code", code,
		"name", "写入器申报项目", "flow_type", 4, "division", "610202", "address", "王益区", "investment_wan",
		1000, "land_area_m2", 1000, "floor_area_m2", 1000, "planned_start", "2026-01-01", "planned_finish",
		"2027-12-31", "units", "kind", "builder", "name", "厦门测试建设有限公司", "credit_code",
		"91350200575030446H", "contact", "李四", "phone", "13800138000");
	assert_int_equal(project_create(St, &Cli, clock_now(NULL), body, &id, &e), 0);
	json_decref(body);
	return id;
}

static void test_writer_applications(void **state)
{
	static struct run r;
	const char *one[] = {"HPSP-002"}, *two[] = {"SBFA-001", "JZLJ-001"};
	int64_t p1 = new_project(1), p2 = new_project(2);
	struct case_application apps[3] = {
		{.stage = 5, .items = one, .nitems = 1},
		{.stage = 5, .items = one, .nitems = 1},      /* again: the item is running (409) */
		{.stage = 5, .items = two, .nitems = 2},
	};
	int64_t project[3] = {p1, p1, p2};
	json_t *out[3];
	struct err e;
	memset(&r, 0, sizeof r);
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	r.now = clock_now(NULL);
	r.njobs = 3;
	assert_int_equal(case_writer_start(Db, 0, NULL, &r.w, &e), 0);
	for (int i = 0; i < 3; i++) {
		r.jobs[i].rc = -1;
		assert_int_equal(case_writer_submit_apply(r.w, &Env, &Cli, r.now, project[i], &apps[i], &out[i],
							  &r.jobs[i].rc, &r.jobs[i].e, job_done, &r), 0);
	}
	pthread_mutex_lock(&r.mu);
	while (r.done < r.njobs)
		pthread_cond_wait(&r.cv, &r.mu);
	pthread_mutex_unlock(&r.mu);
	case_writer_stop(r.w);
	assert_int_equal(r.jobs[0].rc, 0);
	assert_int_equal(r.jobs[1].rc, ERR_CONFLICT);
	assert_string_equal(r.jobs[1].e.field, "items");
	assert_null(out[1]);
	assert_int_equal(r.jobs[2].rc, 0);
	assert_int_equal(json_array_size(json_object_get(out[0], "cases")), 1);
	assert_int_equal(json_array_size(json_object_get(out[2], "cases")), 2);
	assert_int_equal(count("SELECT count(*) FROM cases WHERE project_id = ?1", p1), 1);
	assert_int_equal(count("SELECT count(*) FROM case_instances WHERE project_id = ?1", p1), 1);
	assert_int_equal(count("SELECT count(*) FROM cases WHERE project_id = ?1", p2), 2);
	json_t *c = json_array_get(json_object_get(out[2], "cases"), 1);
	assert_int_equal(count("SELECT status FROM cases WHERE id = ?1", json_integer_value(json_object_get(c, "id"))),
			 CASE_RECEIVED);
	json_decref(out[0]);
	json_decref(out[2]);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_cache_key_and_generations),
		cmocka_unit_test(test_cache_access_items_and_null),
	};
	const struct CMUnitTest db[] = {
		cmocka_unit_test(test_cache_follows_changes),
		cmocka_unit_test(test_writer_batch_isolation),
		cmocka_unit_test(test_writer_applications),
	};
	int failed = cmocka_run_group_tests_name("case_cache", pure, NULL, NULL);
	return failed + cmocka_run_group_tests_name("case_writer", db, setup, teardown);
}
