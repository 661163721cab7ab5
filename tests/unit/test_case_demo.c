/*
** test_case_demo.c: the demo generator's bulk rows are the rows the one
** write path would make for the same history (issue 13, item 5).
**
** `gonggai demo` writes its 办件 history straight into the store in bulk
** (approval/case_demo.c): routing each event through case_record took four
** times the CPU. So this test proves the bulk path right instead. A small demo
** database (A) is made as `gonggai demo` makes it: organisation, catalogue,
** accounts, case_demo, then the statistics rebuilt. A second database (B)
** gets the same organisation, catalogue, accounts and projects, and the
** history read back from A is replayed in time order through the normal
** path: every application through case_apply, every action through case_act
** (as the account that acted, with its rights checked, at the instant it
** acted), every 容缺 materials registration through case_materials_received
** — so every row of B is written by case_record, its side effects and the
** statistics observer, and its light pass runs at the same instant A was
** rebuilt. GG_TEST_SEED / GG_TEST_PROJECTS replay another history;
** GG_TEST_KEEP=1 keeps both databases to look at a difference.
**
** Then every row of every table a case change writes is compared, keyed by
** what identifies it (the instance by project, stage, side line and
** application instant; the case by its instance and item), all columns
** but those that legitimately differ:
**   - row ids (cases, instances, status rows, pauses, documents): the
**     generator numbers instances project by project, a live system in the
**     order the applications arrive; so do the 办件编号 and 申报编号 that
**     embed the instance id — both are checked to follow the one formula.
**   - document numbers: per department, kind and year in issue order, the
**     generator's in generation order; the numbers issued (and the
**     counters) are compared as sets per department, kind and year, the
**     documents themselves by case, kind and instant.
**   - verification codes and page hashes of documents: random, and the
**     demo's pages are rendered from the facts instead of kept.
**   - the audit log: the generator writes one "demo.import" row per batch
**     (its history is an import), the live path one row per change; both
**     chains must verify.
**   - queue tables fed by triggers (exchange_dirty, quality_*_dirty) hold
**     one row per event: they are compared as the sets of what they queue.
**   - statistics rows that summed to zero (the live path leaves them, a
**     rebuild never writes them).
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

#include "approval/case.h"
#include "base/clock.h"
#include "workday/workday.h"
#include "db/db.h"
#include "org/audit.h"
#include "org/org.h"
#include "stats/stats_live.h"
#include "store/store_int.h"   /* white-box: reads history and rows directly */

#define AS_OF "2025-11-20"
#define NPROJECTS 70
#define SEED 5

static char Dir[256];
static struct store *A, *B;
static struct cal *CalA, *CalB;
static struct case_env EnvA, EnvB;
static int64_t Now;

/* ---- the two databases ------------------------------------------------------------------ */

static void seed(const char *name, struct store **st, struct cal **cal, struct case_env *env,
		 struct case_demo_accounts *acc)
{
	char path[320];
	struct err e;
	snprintf(path, sizeof path, "%s/%s", Dir, name);
	assert_int_equal(db_open(path, STORE_CREATE, st, &e), 0);
	assert_int_equal(db_seed(*st, NULL, Now, &e), 0);
	assert_int_equal(case_demo_accounts(*st, "Demo-Passw0rd!", Now, acc, &e), 0);
	assert_int_equal(cal_build_store(*st, cal, &e), 0);
	/* the observers the wiring registers (statistics), as cli_demo and serve do */
	*env = (struct case_env){.cal = *cal, .dl = DEADLINE_CONF_DEFAULT, .observers = db_case_observers()};
}

static int64_t one(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void exec(struct store *st, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* ---- the replay ------------------------------------------------------------------------- */

/* A case of A as B knows it: B's id, found by instance and item. */
struct idmap {
	int64_t a, b;
};
struct replay {
	struct idmap *inst, *cases;
	size_t ninst, ncases;
};

static int64_t mapped(const struct idmap *m, size_t n, int64_t a)
{
	for (size_t i = n; i-- > 0;)
		if (m[i].a == a)
			return m[i].b;
	fail_msg("no mapping for %lld", (long long)a);
	return 0;
}

/* Who acted (user id, username, department at col..col+2): the account
** itself, so its rights are checked as they would be; a name without an
** account acts from the command line under that name. */
static void who_of(sqlite3_stmt *s, int col, struct principal *p)
{
	struct err e;
	const char *name = (const char *)sqlite3_column_text(s, col + 1);
	if (sqlite3_column_int64(s, col)) {
		if (case_principal_for(B, name, p, &e))
			fail_msg("account %s: %s", name, e.msg);
		assert_int_equal(p->user_id, sqlite3_column_int64(s, col));
		return;
	}
	memset(p, 0, sizeof *p);
	p->cli = 1;
	snprintf(p->username, sizeof p->username, "%s", name);
	snprintf(p->department, sizeof p->department, "%s", (const char *)sqlite3_column_text(s, col + 2));
	snprintf(p->source, sizeof p->source, "cli");
}

/* Instance a_id of A, applied for again in B by the clerk who received it. */
static void replay_apply(struct replay *r, int64_t a_id, int64_t at)
{
	sqlite3_stmt *s;
	const char *items[CASE_APPLY_MAX];
	char codes[CASE_APPLY_MAX][40];
	int64_t ids[CASE_APPLY_MAX];
	size_t n = 0;
	struct principal who;
	struct case_application app = {0};
	char side[16] = "";
	const char *sql = "SELECT i.project_id, i.stage, i.side_line, c.item_code, c.id, s.user_id, s.username, "
			  "s.department_code, s.opinion FROM case_instances i JOIN cases c ON c.instance_id = i.id "
			  "JOIN case_status s ON s.case_id = c.id AND s.action = 'receive' WHERE i.id = ? "
			  "ORDER BY c.number";
	int64_t project = 0;
	assert_int_equal(sqlite3_prepare_v2(store_db(A), sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, a_id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		assert_true(n < CASE_APPLY_MAX);
		project = sqlite3_column_int64(s, 0);
		app.stage = sqlite3_column_int(s, 1);
		snprintf(side, sizeof side, "%s", (const char *)sqlite3_column_text(s, 2));
		snprintf(codes[n], sizeof codes[n], "%s", (const char *)sqlite3_column_text(s, 3));
		ids[n] = sqlite3_column_int64(s, 4);
		items[n] = codes[n];
		if (n == 0)
			who_of(s, 5, &who);
		n++;
	}
	sqlite3_finalize(s);
	assert_true(n > 0);
	app.side_line = side;
	app.items = items;
	app.nitems = n;
	json_t *out;
	struct err e;
	if (case_apply(B, &EnvB, &who, at, project, &app, &out, &e))
		fail_msg("replaying instance %lld (project %lld stage %d %s) at %lld: %s", (long long)a_id,
			 (long long)project, app.stage, side, (long long)at, e.msg);
	json_t *cases = json_object_get(out, "cases");
	assert_int_equal(json_array_size(cases), n);
	r->inst = realloc(r->inst, (r->ninst + 1) * sizeof *r->inst);
	r->inst[r->ninst++] = (struct idmap){a_id, json_integer_value(json_object_get(json_object_get(out, "instance"),
										       "id"))};
	r->cases = realloc(r->cases, (r->ncases + n) * sizeof *r->cases);
	for (size_t i = 0; i < n; i++)
		r->cases[r->ncases++] = (struct idmap){ids[i],
			json_integer_value(json_object_get(json_array_get(cases, i), "id"))};
	json_decref(out);
}

/* What an action needs besides its opinion, from A's rows beside the case. */
static json_t *materials_of(const char *sql, int64_t case_id, int64_t at)
{
	sqlite3_stmt *s;
	json_t *m = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_db(A), sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, case_id);
	if (sqlite3_bind_parameter_count(s) > 1)
		sqlite3_bind_int64(s, 2, at);
	if (sqlite3_step(s) == SQLITE_ROW)
		m = json_loads((const char *)sqlite3_column_text(s, 0), 0, NULL);
	sqlite3_finalize(s);
	assert_non_null(m);
	return m;
}

struct special {
	int type, limit;
	char kind[32], reason[200], result[200];
};

static void special_of(int64_t case_id, int64_t at, int end, struct special *sp)
{
	sqlite3_stmt *s;
	const char *sql = end ? "SELECT type, kind, reason, time_limit, coalesce(result, '') FROM case_specials "
				"WHERE case_id = ? AND end_at = ?"
			      : "SELECT type, kind, reason, time_limit, coalesce(result, '') FROM case_specials "
				"WHERE case_id = ? AND start_at = ?";
	assert_int_equal(sqlite3_prepare_v2(store_db(A), sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_int64(s, 2, at);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	sp->type = sqlite3_column_int(s, 0);
	snprintf(sp->kind, sizeof sp->kind, "%s", (const char *)sqlite3_column_text(s, 1));
	snprintf(sp->reason, sizeof sp->reason, "%s", (const char *)sqlite3_column_text(s, 2));
	sp->limit = sqlite3_column_int(s, 3);
	snprintf(sp->result, sizeof sp->result, "%s", (const char *)sqlite3_column_text(s, 4));
	sqlite3_finalize(s);
}

/* Status row `row` of A (not a receive) as an action on B's case. */
static void replay_action(struct replay *r, int64_t row)
{
	sqlite3_stmt *s;
	struct principal who;
	struct case_input in = {0};
	struct special sp = {0};
	json_t *materials = NULL;
	struct err e;
	assert_int_equal(sqlite3_prepare_v2(store_db(A), "SELECT case_id, action, at, opinion, user_id, username, "
					    "department_code FROM case_status WHERE id = ?", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, row);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t case_a = sqlite3_column_int64(s, 0), at = sqlite3_column_int64(s, 2);
	char action[32], opinion[400];
	snprintf(action, sizeof action, "%s", (const char *)sqlite3_column_text(s, 1));
	snprintf(opinion, sizeof opinion, "%s", (const char *)sqlite3_column_text(s, 3));
	who_of(s, 4, &who);
	sqlite3_finalize(s);
	in.action = case_action_parse(action);
	assert_true(in.action >= 0);
	in.opinion = opinion;
	switch (in.action) {
	case CASE_A_SUPPLEMENT:
		in.materials = materials = materials_of("SELECT materials FROM case_supplements WHERE case_id = ? "
							"AND start_at = ?", case_a, at);
		break;
	case CASE_A_APPROVE_TOLERANCE:
		in.materials = materials = materials_of("SELECT json_group_array(material) FROM (SELECT material "
							"FROM case_tolerance WHERE case_id = ? ORDER BY id)", case_a, at);
		break;
	case CASE_A_SPECIAL_START:
		special_of(case_a, at, 0, &sp);
		in.special_type = sp.type;
		in.special_kind = sp.kind;
		in.special_limit = sp.limit;
		in.reason = sp.reason;
		break;
	case CASE_A_SPECIAL_END:
		special_of(case_a, at, 1, &sp);
		in.result = sp.result;
		break;
	default:
		break;
	}
	int64_t id = mapped(r->cases, r->ncases, case_a);
	if (case_act(B, &EnvB, &who, at, id, &in, NULL, &e))
		fail_msg("replaying status row %lld (%s of case %lld) at %lld: %s", (long long)row, action,
			 (long long)case_a, (long long)at, e.msg);
	json_decref(materials);
}

/* Every event of A's history in time order: applications first at an
** instant, then actions in the order they were written, then 容缺 materials
** registered. */
static void replay(void)
{
	struct replay r = {0};
	struct principal cli;
	struct err e;
	sqlite3_stmt *s;
	rbac_cli_principal(&cli);
	const char *sql =
		"SELECT applied_at AS at, 0 AS k, id FROM case_instances "
		"UNION ALL SELECT at, 1, id FROM case_status WHERE action <> 'receive' "
		"UNION ALL SELECT tolerance_done_at, 2, id FROM cases WHERE tolerance_done_at IS NOT NULL "
		"ORDER BY 1, 2, 3";
	assert_int_equal(sqlite3_prepare_v2(store_db(A), sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t at = sqlite3_column_int64(s, 0), id = sqlite3_column_int64(s, 2);
		switch (sqlite3_column_int(s, 1)) {
		case 0: replay_apply(&r, id, at); break;
		case 1: replay_action(&r, id); break;
		default:
			if (case_materials_received(B, &EnvB, &cli, at, mapped(r.cases, r.ncases, id), &e))
				fail_msg("replaying 容缺 materials of case %lld: %s", (long long)id, e.msg);
		}
	}
	sqlite3_finalize(s);
	free(r.inst);
	free(r.cases);
}

static int setup(void **state)
{
	struct case_demo_accounts acc_a = {0}, acc_b = {0};
	struct case_demo_stats ds;
	struct stats_rebuild_result rr;
	struct stats_pass pass;
	struct principal cli;
	struct err e;
	(void)state;
	snprintf(Dir, sizeof Dir, "/tmp/test-case-demo-XXXXXX");
	if (!mkdtemp(Dir))
		return -1;
	Now = clock_cn_midnight(AS_OF) + 18 * 3600;
	rbac_cli_principal(&cli);
	/* A: as `gonggai demo` makes it (cli_demo.c) */
	seed("a.db", &A, &CalA, &EnvA, &acc_a);
	/* GG_TEST_SEED=n, GG_TEST_PROJECTS=n: another history (the default runs in make check) */
	const char *seed_env = getenv("GG_TEST_SEED"), *n_env = getenv("GG_TEST_PROJECTS");
	struct case_demo_conf cf = {.projects = n_env ? atoi(n_env) : NPROJECTS,
				    .seed = seed_env ? strtoull(seed_env, NULL, 10) : SEED, .accounts = &acc_a};
	assert_int_equal(cal_date_parse(AS_OF, &cf.as_of, &e), 0);
	if (case_demo(A, &EnvA, &cli, &cf, Now, &ds, &e))
		fail_msg("demo: %s", e.msg);
	if (stats_rebuild(A, &EnvA, Now, &rr, &e))
		fail_msg("rebuild: %s", e.msg);
	/* B: the same organisation, catalogue, accounts and projects ... */
	seed("b.db", &B, &CalB, &EnvB, &acc_b);
	assert_int_equal(acc_a.n, acc_b.n);
	for (size_t i = 0; i < acc_a.n; i++)
		assert_int_equal(acc_a.a[i].id, acc_b.a[i].id);
	case_demo_accounts_free(&acc_a);
	case_demo_accounts_free(&acc_b);
	char sql[700];
	snprintf(sql, sizeof sql, "ATTACH '%s/a.db' AS a; INSERT INTO projects SELECT * FROM a.projects; "
		 "INSERT INTO project_units SELECT * FROM a.project_units; DETACH a", Dir);
	exec(B, sql);
	/* ... and the history through the one path, the light pass at A's instant */
	replay();
	if (stats_lights(B, &EnvB, Now, "cli", &pass, &e))
		fail_msg("light pass: %s", e.msg);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];
	(void)state;
	db_close(A);
	db_close(B);
	cal_free(CalA);
	cal_free(CalB);
	if (getenv("GG_TEST_KEEP"))          /* the two databases, to look at a difference */
		return print_message("kept %s\n", Dir), 0;
	snprintf(cmd, sizeof cmd, "rm -rf %s", Dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- the comparison ------------------------------------------------------------------------ */

/* The natural keys: an instance by project, stage, side line and instant;
** a case by its instance and item. */
#define IK(i) "(" i ".project_id || '/' || " i ".stage || '/' || " i ".side_line || '/' || " i ".applied_at)"
#define CK "(" IK("ki") " || '/' || kc.item_code)"
#define BY_CASE(col) " JOIN cases kc ON kc.id = t." col " JOIN case_instances ki ON ki.id = kc.instance_id"

/* A table as compared: its rows with the joins that give the key, the key,
** the columns left out (comma separated, between commas) and a filter. */
struct table {
	const char *name, *joins, *key, *skip, *where;
};

static const struct table tables[] = {
	{"cases", " JOIN case_instances ki ON ki.id = t.instance_id JOIN cases kc ON kc.id = t.id",
	 CK " || '/' || substr(t.number, -2) || '/' || (t.number = ki.number || substr(t.number, -2))",
	 ",id,number,instance_id,", "1"},
	{"case_instances", "", IK("t") " || '/' || (t.number = (SELECT division_code FROM projects p WHERE "
	 "p.id = t.project_id) || strftime('%Y%m%d', t.applied_at + 8 * 3600, 'unixepoch') || printf('%08d', t.id))",
	 ",id,number,", "1"},
	{"case_status", BY_CASE("case_id"), CK, ",id,case_id,", "1"},
	{"case_supplements", BY_CASE("case_id"), CK, ",id,case_id,", "1"},
	{"case_specials", BY_CASE("case_id"), CK, ",id,case_id,", "1"},
	{"case_tolerance", BY_CASE("case_id"), CK, ",id,case_id,", "1"},
	{"case_materials", BY_CASE("case_id"), CK, ",case_id,", "1"},
	{"case_documents", BY_CASE("case_id"), CK, ",id,case_id,number,verify_code,sha256,", "1"},
	{"case_doc_counters", "", "''", ",", "1"},
	{"case_stages", "", "''", ",", "1"},
	{"case_progress", "", "''", ",", "1"},
	{"project_departments", "", "''", ",", "1"},
	{"stats_case", BY_CASE("case_id"), CK, ",case_id,", "1"},
	{"stats_live", "", "''", ",", "t.n <> 0"},
	{"stats_wd", "", "''", ",", "t.n <> 0"},
	{"stats_month_wd", "", "''", ",", "t.n <> 0"},
	{"stats_day", "", "''", ",", NULL},       /* NULL: some counter not zero */
	{"stats_month", "", "''", ",", NULL},
};

/* What a queue fed by triggers holds, as a set. */
static const char *const queues[] = {
	"SELECT DISTINCT 'project/' || ref FROM exchange_dirty WHERE kind = 'project'",
	"SELECT DISTINCT 'special/' || " CK " || '/' || t.start_at FROM exchange_dirty q JOIN case_specials t "
	"ON t.id = q.ref" BY_CASE("case_id") " WHERE q.kind = 'special'",
	"SELECT DISTINCT 'quality_case/' || " CK " FROM quality_case_dirty t JOIN cases kc ON kc.id = t.case_id "
	"JOIN case_instances ki ON ki.id = kc.instance_id",
	"SELECT DISTINCT 'quality_status/' || " CK " FROM quality_status_dirty t JOIN cases kc ON kc.id = t.case_id "
	"JOIN case_instances ki ON ki.id = kc.instance_id",
	/* document numbers: the same ones per department, kind and year */
	"SELECT number FROM case_documents",
};

/* SELECT key || '|' || quote(col) ... for every column of the table but the skipped. */
static void table_sql(const struct table *t, char *sql, size_t n)
{
	sqlite3_stmt *s;
	char cols[3000] = "", nonzero[3000] = "", q[200];
	snprintf(q, sizeof q, "SELECT name, type FROM pragma_table_info('%s') ORDER BY cid", t->name);
	assert_int_equal(sqlite3_prepare_v2(store_db(A), q, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 0);
		char pat[80];
		snprintf(pat, sizeof pat, ",%s,", c);
		if (strstr(t->skip, pat))
			continue;
		snprintf(cols + strlen(cols), sizeof cols - strlen(cols), " || '|%s=' || quote(t.%s)", c, c);
		if (!t->where && strstr((const char *)sqlite3_column_text(s, 1), "INT") &&
		    strcmp(c, "day") && strcmp(c, "month") && strcmp(c, "stage") && strcmp(c, "flow_type"))
			snprintf(nonzero + strlen(nonzero), sizeof nonzero - strlen(nonzero), "%st.%s <> 0",
				 nonzero[0] ? " OR " : "", c);
	}
	sqlite3_finalize(s);
	assert_true(cols[0]);
	snprintf(sql, n, "SELECT %s%s FROM %s t%s WHERE %s ORDER BY 1", t->key, cols, t->name, t->joins,
		 t->where ? t->where : nonzero);
}

/* The rows of sql in st, one string each, sorted. */
static char **rows_of(struct store *st, const char *sql, size_t *n)
{
	sqlite3_stmt *s;
	char **v = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(st)));
	while (sqlite3_step(s) == SQLITE_ROW) {
		v = realloc(v, (*n + 1) * sizeof *v);
		v[(*n)++] = strdup(sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) : "NULL");
	}
	sqlite3_finalize(s);
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compare what sql gives in A and in B; print up to 3 differences; 1 when
** they differ. */
static int differs(const char *what, const char *sql)
{
	size_t na, nb, i = 0, j = 0;
	char **ra = rows_of(A, sql, &na), **rb = rows_of(B, sql, &nb);
	int shown = 0, bad = 0;
	if (na)
		qsort(ra, na, sizeof *ra, cmp_str);
	if (nb)
		qsort(rb, nb, sizeof *rb, cmp_str);
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(ra[i], rb[j]);
		if (c == 0) {
			i++, j++;
			continue;
		}
		bad++;
		if (shown++ < 3)
			print_message("%s: only in the %s: %s\n", what, c < 0 ? "demo (bulk path)" : "replay (one path)",
				      c < 0 ? ra[i] : rb[j]);
		c < 0 ? i++ : j++;
	}
	if (bad)
		print_message("%s: %d rows differ (demo %zu rows, replay %zu)\n", what, bad, na, nb);
	for (i = 0; i < na; i++)
		free(ra[i]);
	for (j = 0; j < nb; j++)
		free(rb[j]);
	free(ra);
	free(rb);
	return bad != 0;
}

static void test_history_is_rich(void **state)
{
	(void)state;
	assert_true(one(A, "SELECT count(*) FROM cases") > 300);
	assert_true(one(A, "SELECT count(*) FROM cases WHERE open") > 0);
	/* every action the generator takes occurs */
	for (int a = 0; a < CASE_A_COUNT; a++) {
		char sql[200];
		if (a == CASE_A_TRANSFER)
			continue;       /* the generator transfers nothing */
		snprintf(sql, sizeof sql, "SELECT count(*) FROM case_status WHERE action = '%s'", case_action_name(a));
		if (one(A, sql) == 0)
			print_message("no %s in the demo history\n", case_action_name(a));
	}
	/* the natural keys are keys */
	assert_int_equal(one(A, "SELECT count(*) - count(DISTINCT " IK("t") ") FROM case_instances t"), 0);
}

static void test_rows_equal(void **state)
{
	char sql[8000];
	int bad = 0;
	(void)state;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		table_sql(&tables[i], sql, sizeof sql);
		bad += differs(tables[i].name, sql);
	}
	for (size_t i = 0; i < sizeof queues / sizeof queues[0]; i++)
		bad += differs(queues[i], queues[i]);
	assert_int_equal(bad, 0);
}

static void test_statistics_check(void **state)
{
	struct stats_check_result r;
	struct err e;
	(void)state;
	assert_int_equal(stats_check(A, &EnvA, Now, "cli", &r, &e), 0);
	if (!r.equal)
		fail_msg("demo: %s", r.diff);
	assert_int_equal(stats_check(B, &EnvB, Now, "cli", &r, &e), 0);
	if (!r.equal)
		fail_msg("replay: %s", r.diff);
}

static void test_audit_chains(void **state)
{
	struct audit_verdict v;
	struct err e;
	(void)state;
	assert_int_equal(audit_verify(A, &v, &e), 0);
	assert_int_equal(v.bad_id, 0);
	assert_int_equal(audit_verify(B, &v, &e), 0);
	assert_int_equal(v.bad_id, 0);
	/* one imported row per batch in the demo, one per change in the replay */
	assert_true(one(A, "SELECT count(*) FROM audit_log WHERE action = 'demo.import'") >= 1);
	assert_int_equal(one(A, "SELECT count(*) FROM audit_log WHERE action LIKE 'case.%'"), 0);
	assert_true(one(B, "SELECT count(*) FROM audit_log WHERE action LIKE 'case.%'") >=
		    one(B, "SELECT count(*) FROM case_status"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history_is_rich),
		cmocka_unit_test(test_rows_equal),
		cmocka_unit_test(test_statistics_check),
		cmocka_unit_test(test_audit_chains),
	};
	return cmocka_run_group_tests_name("demo against the one write path", tests, setup, teardown);
}
