/*
** test_desk.c: the service desk below HTTP: the state machine table, the
** [desk] configuration (the contract's defaults, a malformed key named, the
** level map), the clocks (pauses stop only the resolution clock, the third
** party's 30 minutes, the warning at 80 %), tickets opened by inspections
** (one per item however often the fault repeats, the recovery noted once, a
** new ticket after the old one closed) and by failed jobs (a later success
** noted once, the ticket left open), and the webhook
** against a listener on 127.0.0.1 (delivered; a refusing gateway retried,
** then given up).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/conf.h"
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "ops/ops.h"
#include "store/store_desk.h"

static char dir[64];
static char db[128];
static struct store *st;
static struct principal cli;

#define T0 1793000000LL

static int setup(void **state)
{
	struct err e;
	snprintf(dir, sizeof dir, "/tmp/h-desk-unit-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	if (store_open(db, STORE_CREATE, &st, &e))
		return -1;
	rbac_cli_principal(&cli);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void defaults(struct desk_conf *cf)
{
	struct err e;
	assert_int_equal(desk_conf_load(NULL, cf, &e), 0);
}

/* ---- the table ------------------------------------------------------------------------ */

static void test_fsm(void **state)
{
	for (int s = 0; s < DS_N; s++)
		for (int a = 0; a < DA_N; a++) {
			int to = desk_next_status(s, a);
			assert_true(to >= -1 && to < DS_N);
		}
	/* a closed ticket can only be reopened (or get its late RCA) */
	for (int a = 0; a < DA_N; a++)
		if (a != DA_REOPEN && a != DA_RCA)
			assert_int_equal(desk_next_status(DS_CLOSED, a), -1);
	assert_int_equal(desk_next_status(DS_OPEN, DA_RESOLVE), -1);
	assert_int_equal(desk_next_status(DS_OPEN, DA_RESPOND), DS_IN_PROGRESS);
	assert_int_equal(desk_next_status(DS_PAUSED, DA_RESUME), DS_IN_PROGRESS);
	assert_int_equal(desk_next_status(DS_THIRD_PARTY, DA_TP_RESPONDED), DS_IN_PROGRESS);
	assert_int_equal(desk_next_status(DS_RESOLVED, DA_CLOSE), DS_CLOSED);
	assert_int_equal(desk_action_parse("rca_submit"), DA_RCA);
	assert_int_equal(desk_action_parse("nonsense"), -1);
	assert_string_equal(desk_label("desk.status", "paused"), "挂起(等待用户)");
}

static void test_conf(void **state)
{
	struct desk_conf cf;
	struct err e;
	defaults(&cf);
	assert_int_equal(cf.respond_min[1], 1);
	assert_int_equal(cf.respond_min[2], 5);
	assert_int_equal(cf.respond_min[3], 10);
	assert_int_equal(cf.resolve_min[3][DC_CONFIG], 10);
	assert_int_equal(cf.resolve_min[3][DC_BUG], 1440);
	assert_int_equal(cf.third_party_min, 30);
	assert_int_equal(cf.rca_min, 1440);
	assert_int_equal(cf.warn_percent, 80);
	assert_int_equal(desk_level_for(&cf, "app.health"), 1);
	assert_int_equal(desk_level_for(&cf, "db.backup_age"), 1);
	assert_int_equal(desk_level_for(&cf, "job.backup"), 1);
	assert_int_equal(desk_level_for(&cf, "host.disk.data"), 2);
	assert_int_equal(desk_level_for(&cf, "exchange.db"), 2);
	assert_int_equal(desk_level_for(&cf, "db.size"), 3);
	assert_int_equal(desk_level_for(&cf, "hostile"), 3);

	struct conf *c = conf_new();
	conf_set(c, "desk", "resolve.l2.config", "30");
	conf_set(c, "desk", "levels", "host:1,*:2");
	assert_int_equal(desk_conf_load(c, &cf, &e), 0);
	assert_int_equal(cf.resolve_min[2][DC_CONFIG], 30);
	assert_int_equal(cf.resolve_min[2][DC_BUG], 480);
	assert_int_equal(desk_level_for(&cf, "host.disk.data"), 1);
	assert_int_equal(desk_level_for(&cf, "app.health"), 2);
	conf_set(c, "desk", "levels", "host");
	assert_int_equal(desk_conf_load(c, &cf, &e), ERR_INVALID);
	assert_string_equal(e.field, "desk.levels");
	conf_set(c, "desk", "levels", "host:1");
	conf_set(c, "desk", "warn_percent", "150");
	assert_int_equal(desk_conf_load(c, &cf, &e), ERR_INVALID);
	assert_non_null(strstr(e.field, "warn_percent"));
	conf_set(c, "desk", "warn_percent", "80");
	conf_set(c, "desk", "webhook_url", "ftp://x");
	assert_int_equal(desk_conf_load(c, &cf, &e), ERR_INVALID);
	assert_string_equal(e.field, "desk.webhook_url");
	conf_free(c);
}

static void test_parse_time(void **state)
{
	struct err e;
	int64_t t;
	assert_int_equal(desk_parse_time("2026-10-26T15:33:20+08:00", "at", &t, &e), 0);
	assert_int_equal(t, T0);
	assert_int_equal(desk_parse_time("2026-10-26 15:33:20", "at", &t, &e), 0);   /* Asia/Shanghai */
	assert_int_equal(t, T0);
	assert_int_equal(desk_parse_time("2026-10-26T07:33:20Z", "at", &t, &e), 0);
	assert_int_equal(t, T0);
	assert_int_equal(desk_parse_time("2026-10-26T15:33", "at", &t, &e), 0);
	assert_int_equal(t, T0 - 20);
	assert_int_equal(desk_parse_time("2026-10-26T02:33:20-05:00", "at", &t, &e), 0);
	assert_int_equal(t, T0);
	assert_int_equal(desk_parse_time("2026-13-01T00:00", "reported_at", &t, &e), ERR_INVALID);
	assert_string_equal(e.field, "reported_at");
	assert_int_equal(desk_parse_time("yesterday", "at", &t, &e), ERR_INVALID);
	assert_int_equal(desk_parse_time("2026-10-26T15:33:20+08:00 trailing", "at", &t, &e), ERR_INVALID);
}

/* ---- clocks ------------------------------------------------------------------------------ */

static int64_t add(const struct desk_conf *cf, int level, const char *cat, int64_t now)
{
	struct err e;
	int64_t id;
	struct desk_ticket_in in = {.kind = "fault", .level = level, .category = cat, .title = "t"};
	assert_int_equal(desk_ticket_add(st, cf, &cli, now, &in, &id, &e), 0);
	return id;
}

static void act(const struct desk_conf *cf, int64_t id, int64_t now, struct desk_act_in in)
{
	struct err e = {0};
	int rc = desk_ticket_act(st, cf, &cli, now, id, &in, &e);
	if (rc)
		fail_msg("%s: %s %s", in.action, e.field, e.msg);
}

static void clocks(const struct desk_conf *cf, int64_t id, int64_t now, struct desk_sla *s)
{
	struct desk_ticket *t = malloc(sizeof *t);
	struct err e;
	json_t *ev;
	assert_int_equal(store_desk_ticket_get(st, id, t, &e), 0);
	assert_int_equal(store_desk_events(st, id, &ev, &e), 0);
	desk_sla(cf, t, ev, now, s);
	json_decref(ev);
	free(t);
}

static void test_clocks(void **state)
{
	struct desk_conf cf;
	struct desk_sla s;
	defaults(&cf);
	int64_t id = add(&cf, 3, "bug", T0);
	clocks(&cf, id, T0 + 9 * 60, &s);
	assert_true(s.response.warning);           /* 9 of 10 minutes: past 80 % */
	assert_int_equal(s.response.met, -1);
	act(&cf, id, T0 + 2 * 60, (struct desk_act_in){.action = "respond"});
	act(&cf, id, T0 + 60 * 60, (struct desk_act_in){.action = "pause", .reason = "等用户提供截图"});
	/* paused for 30 hours: the resolution clock (24 h) does not move */
	clocks(&cf, id, T0 + 31 * 3600, &s);
	assert_int_equal(s.resolution.elapsed_s, 3600);
	assert_int_equal(s.resolution.breached_at, 0);
	assert_int_equal(s.resolution.due, T0 + 24 * 3600 + 30 * 3600);
	assert_int_equal(s.resolution.met, -1);     /* paused is not finished */
	assert_true(s.resolution.paused);
	assert_int_equal(s.response.met, 1);
	act(&cf, id, T0 + 31 * 3600, (struct desk_act_in){.action = "resume"});
	act(&cf, id, T0 + 31 * 3600 + 60, (struct desk_act_in){.action = "escalate_third_party"});
	clocks(&cf, id, T0 + 31 * 3600 + 60 + 31 * 60, &s);
	assert_true(s.third_party.applies);
	assert_int_equal(s.third_party.breached_at, T0 + 31 * 3600 + 60 + 30 * 60);
	act(&cf, id, T0 + 31 * 3600 + 60 + 40 * 60, (struct desk_act_in){.action = "third_party_responded"});
	act(&cf, id, T0 + 32 * 3600, (struct desk_act_in){.action = "resolve", .cause = "c", .fix = "f",
							   .prevention = "p"});
	clocks(&cf, id, T0 + 40 * 3600, &s);
	assert_int_equal(s.third_party.met, 0);
	assert_int_equal(s.resolution.met, 1);
	assert_int_equal(s.resolution.elapsed_s, 2 * 3600);
	assert_false(s.rca.applies);
	/* a reopen after 2 h: the wait between resolve and reopen is not counted */
	act(&cf, id, T0 + 34 * 3600, (struct desk_act_in){.action = "reopen", .note = "又出现了"});
	clocks(&cf, id, T0 + 35 * 3600, &s);
	assert_int_equal(s.resolution.elapsed_s, 3 * 3600);
	assert_int_equal(s.resolution.met, -1);

	/* a level 3 config fault: 10 minutes to fix */
	id = add(&cf, 3, "config", T0);
	act(&cf, id, T0 + 60, (struct desk_act_in){.action = "respond"});
	act(&cf, id, T0 + 11 * 60, (struct desk_act_in){.action = "resolve", .cause = "c", .fix = "f",
							.prevention = "p"});
	clocks(&cf, id, T0 + 3600, &s);
	assert_int_equal(s.resolution.target_min, 10);
	assert_int_equal(s.resolution.met, 0);
	assert_int_equal(s.resolution.breached_at, T0 + 600);

	/* forbidden transitions and missing fields are refused, nothing written */
	struct err e;
	json_t *ev;
	assert_int_equal(desk_ticket_act(st, &cf, &cli, T0 + 3700, id,
					 &(struct desk_act_in){.action = "resume"}, &e), ERR_CONFLICT);
	assert_int_equal(desk_ticket_act(st, &cf, &cli, T0 + 3700, id,
					 &(struct desk_act_in){.action = "rca_submit", .rca = "x"}, &e), ERR_CONFLICT);
	assert_int_equal(store_desk_events(st, id, &ev, &e), 0);
	assert_int_equal(json_array_size(ev), 3);
	json_decref(ev);
}

/* ---- tickets the system opens ------------------------------------------------------------ */

static void inspection(const struct desk_conf *cf, int64_t now, int status)
{
	struct ops_result r[2] = {0};
	struct err e = {0};
	snprintf(r[0].item, sizeof r[0].item, "host.disk.data");
	r[0].status = status;
	r[0].has_value = 1;
	r[0].value = status == OPS_CRIT ? 97.5 : 40;
	snprintf(r[0].message, sizeof r[0].message, "数据盘已用 %.1f%%", r[0].value);
	snprintf(r[1].item, sizeof r[1].item, "app.health");
	r[1].status = OPS_OK;
	struct ops_inspection in = {.run_id = 7, .items = r, .n = 2};
	if (desk_on_inspection(st, cf, now, &in, &e))
		fail_msg("%s", e.msg);
}

static json_t *ticket_of(const struct desk_conf *cf, const char *ref, int64_t now)
{
	struct err e;
	int64_t id;
	json_t *t;
	assert_int_equal(store_desk_ticket_open_ref(st, ref, &id, &e), 0);
	if (!id)
		return NULL;
	assert_int_equal(desk_ticket_show(st, cf, &cli, now, id, &t, &e), 0);
	return t;
}

static int64_t count_tickets(const char *ref)
{
	struct desk_filter f = {.q = ref};
	struct page pg = {1, 50};
	json_t *items;
	int64_t total;
	struct err e;
	assert_int_equal(store_desk_ticket_list(st, &f, &pg, &items, &total, &e), 0);
	json_decref(items);
	return total;
}

static void test_inspection_tickets(void **state)
{
	struct desk_conf cf;
	defaults(&cf);
	for (int i = 0; i < 5; i++)
		inspection(&cf, T0 + i * 300, OPS_CRIT);
	assert_int_equal(count_tickets("host.disk.data"), 1);
	assert_int_equal(count_tickets("app.health"), 0);
	json_t *t = ticket_of(&cf, "host.disk.data", T0 + 1500);
	assert_non_null(t);
	assert_string_equal(json_string_value(json_object_get(t, "item")), "host.disk.data");
	assert_int_equal(json_integer_value(json_object_get(t, "level")), 2);
	assert_string_equal(json_string_value(json_object_get(t, "source")), "inspection");
	/* the response clock started when the inspection saw the fault */
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(t, "sla"),
			    "response"), "started")), "2026-10-26T15:33:20+08:00");
	assert_int_equal(json_array_size(json_object_get(t, "events")), 1);
	int64_t id = json_integer_value(json_object_get(t, "id"));
	json_decref(t);

	/* recovery: noted once; the ticket stays open for a person */
	inspection(&cf, T0 + 1800, OPS_OK);
	inspection(&cf, T0 + 2100, OPS_OK);
	t = ticket_of(&cf, "host.disk.data", T0 + 2100);
	json_t *ev = json_object_get(t, "events");
	assert_int_equal(json_array_size(ev), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 1), "action")), "recovered");
	assert_string_equal(json_string_value(json_object_get(t, "status")), "open");
	json_decref(t);
	/* back again before anyone closed it: observed, same ticket */
	inspection(&cf, T0 + 2400, OPS_CRIT);
	inspection(&cf, T0 + 2700, OPS_CRIT);
	t = ticket_of(&cf, "host.disk.data", T0 + 2700);
	assert_int_equal(json_integer_value(json_object_get(t, "id")), id);
	assert_int_equal(json_array_size(json_object_get(t, "events")), 3);
	json_decref(t);

	/* closed by a person: the next failure opens a new ticket */
	act(&cf, id, T0 + 3000, (struct desk_act_in){.action = "respond"});
	act(&cf, id, T0 + 3100, (struct desk_act_in){.action = "resolve", .cause = "日志未轮转", .fix = "清理",
						     .prevention = "日志轮转巡检"});
	act(&cf, id, T0 + 3200, (struct desk_act_in){.action = "close"});
	inspection(&cf, T0 + 3300, OPS_CRIT);
	assert_int_equal(count_tickets("host.disk.data"), 2);
}

static void test_job_tickets(void **state)
{
	struct desk_conf cf;
	struct err e;
	defaults(&cf);
	assert_int_equal(desk_on_job_failed(st, &cf, T0, "backup", 11, "磁盘已满", &e), 0);
	assert_int_equal(desk_on_job_failed(st, &cf, T0 + 86400, "backup", 12, "磁盘已满", &e), 0);
	assert_int_equal(count_tickets("job.backup"), 1);
	json_t *t = ticket_of(&cf, "job.backup", T0 + 86400);
	assert_int_equal(json_integer_value(json_object_get(t, "level")), 1);
	assert_int_equal(json_array_size(json_object_get(t, "events")), 2);
	json_decref(t);
}

static const char *event_field(const json_t *t, size_t i, const char *field)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(t, "events"), i), field));
}

/* A job that succeeds after failing notes it once on its open ticket, which
** stays open for a person; a success without a ticket writes nothing. */
static void test_job_recovered(void **state)
{
	struct desk_conf cf;
	struct err e;
	defaults(&cf);
	int64_t base = T0 + 200 * 86400;
	assert_int_equal(desk_on_job_succeeded(st, &cf, base, "quality.run", 40, &e), 0);
	assert_int_equal(count_tickets("job.quality.run"), 0);
	assert_int_equal(desk_on_job_failed(st, &cf, base + 60, "quality.run", 41, "数据库忙", &e), 0);
	assert_int_equal(desk_on_job_failed(st, &cf, base + 120, "quality.run", 42, "数据库忙", &e), 0);
	assert_int_equal(desk_on_job_succeeded(st, &cf, base + 180, "quality.run", 43, &e), 0);
	assert_int_equal(desk_on_job_succeeded(st, &cf, base + 240, "quality.run", 44, &e), 0);
	json_t *t = ticket_of(&cf, "job.quality.run", base + 240);
	assert_non_null(t);
	assert_int_equal(json_array_size(json_object_get(t, "events")), 3);
	assert_string_equal(event_field(t, 2, "action"), "job_recovered");
	assert_string_equal(event_field(t, 2, "note"), "作业已恢复成功, run 43");
	assert_string_equal(event_field(t, 2, "actor"), "system:desk");
	assert_string_equal(json_string_value(json_object_get(t, "status")), "open");
	int64_t id = json_integer_value(json_object_get(t, "id"));
	json_decref(t);
	/* it fails again and recovers again: each noted, the same ticket */
	assert_int_equal(desk_on_job_failed(st, &cf, base + 300, "quality.run", 45, "磁盘已满", &e), 0);
	assert_int_equal(desk_on_job_succeeded(st, &cf, base + 360, "quality.run", 46, &e), 0);
	t = ticket_of(&cf, "job.quality.run", base + 360);
	assert_int_equal(json_integer_value(json_object_get(t, "id")), id);
	assert_int_equal(json_array_size(json_object_get(t, "events")), 5);
	assert_string_equal(event_field(t, 3, "action"), "job_failed");
	assert_string_equal(event_field(t, 4, "note"), "作业已恢复成功, run 46");
	json_decref(t);
	/* closed by a person: a later success adds nothing anywhere */
	act(&cf, id, base + 400, (struct desk_act_in){.action = "respond"});
	act(&cf, id, base + 460, (struct desk_act_in){.action = "resolve", .cause = "锁等待", .fix = "重跑",
						     .prevention = "错峰"});
	act(&cf, id, base + 520, (struct desk_act_in){.action = "close"});
	assert_int_equal(desk_on_job_succeeded(st, &cf, base + 600, "quality.run", 47, &e), 0);
	assert_null(ticket_of(&cf, "job.quality.run", base + 600));
	assert_int_equal(count_tickets("job.quality.run"), 1);
	json_t *ev;
	assert_int_equal(store_desk_events(st, id, &ev, &e), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, json_array_size(ev) - 1), "action")),
			    "close");
	json_decref(ev);
}

static void test_sweep(void **state)
{
	struct desk_conf cf;
	struct err e;
	json_t *ev;
	int n;
	defaults(&cf);
	int64_t base = T0 + 400 * 86400;   /* a quiet year: the other tests' tickets are long breached */
	assert_int_equal(desk_sla_sweep(st, &cf, base - 1, &n, &e), 0);
	int64_t id = add(&cf, 2, "bug", base);
	assert_int_equal(desk_sla_sweep(st, &cf, base + 270, &n, &e), 0);   /* 4.5 of 5 minutes */
	assert_int_equal(n, 1);
	assert_int_equal(desk_sla_sweep(st, &cf, base + 280, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(desk_sla_sweep(st, &cf, base + 400, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_desk_events(st, id, &ev, &e), 0);
	assert_int_equal(json_array_size(ev), 3);
	json_t *b = json_array_get(ev, 2);
	assert_string_equal(json_string_value(json_object_get(b, "action")), "sla_breach");
	assert_int_equal(json_integer_value(json_object_get(b, "at")), base + 300);
	assert_string_equal(json_string_value(json_object_get(json_object_get(b, "details"), "clock")), "response");
	json_decref(ev);
	/* the events do not move the clocks */
	struct desk_sla s;
	clocks(&cf, id, base + 400, &s);
	assert_int_equal(s.response.breached_at, base + 300);
	assert_int_equal(s.response.met, -1);
}

/* ---- webhook ------------------------------------------------------------------------------ */

struct listener {
	int fd, port, status, requests;
	char body[8192];
};

static void *serve_once(void *arg)
{
	struct listener *l = arg;
	int c = accept(l->fd, NULL, NULL);
	char buf[16384];
	size_t got = 0;
	if (c < 0)
		return NULL;
	for (;;) {   /* headers, then Content-Length bytes */
		ssize_t n = read(c, buf + got, sizeof buf - 1 - got);
		if (n <= 0)
			break;
		got += n;
		buf[got] = 0;
		char *end = strstr(buf, "\r\n\r\n"), *cl = strcasestr(buf, "Content-Length:");
		if (end && cl && got - (end + 4 - buf) >= (size_t)atoi(cl + 15))
			break;
	}
	char *end = strstr(buf, "\r\n\r\n");
	snprintf(l->body, sizeof l->body, "%s", end ? end + 4 : "");
	l->requests++;
	dprintf(c, "HTTP/1.1 %d X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", l->status);
	close(c);
	return NULL;
}

static void listen_on(struct listener *l, int status)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	memset(l, 0, sizeof *l);
	l->status = status;
	l->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(l->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(l->fd, 4), 0);
	assert_int_equal(getsockname(l->fd, (struct sockaddr *)&a, &len), 0);
	l->port = ntohs(a.sin_port);
}

static void flush_with(struct listener *l, struct desk_conf *cf, int64_t now, int *sent, int *failed)
{
	pthread_t th;
	struct err e;
	assert_int_equal(pthread_create(&th, NULL, serve_once, l), 0);
	assert_int_equal(desk_notify_flush(st, cf, now, sent, failed, &e), 0);
	pthread_join(th, NULL);
}

static void test_webhook(void **state)
{
	struct desk_conf cf;
	struct listener l;
	int sent, failed;
	int64_t pending, done, gave_up;
	struct err e;
	defaults(&cf);
	listen_on(&l, 200);
	snprintf(cf.webhook_url, sizeof cf.webhook_url, "http://127.0.0.1:%d/hook", l.port);
	cf.webhook_attempts = 2;
	struct desk_ticket_in in = {.kind = "fault", .level = 1, .category = "infrastructure",
				    .title = "全市审批系统无法登录"};
	int64_t id;
	assert_int_equal(desk_ticket_add(st, &cf, &cli, T0, &in, &id, &e), 0);
	flush_with(&l, &cf, T0 + 1, &sent, &failed);
	assert_int_equal(sent, 1);
	assert_int_equal(l.requests, 1);
	json_t *body = json_loads(l.body, 0, NULL);
	assert_non_null(body);
	assert_string_equal(json_string_value(json_object_get(body, "event")), "created");
	assert_string_equal(json_string_value(json_object_get(json_object_get(body, "ticket"), "title")),
			    "全市审批系统无法登录");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(body, "ticket"), "level")), 1);
	json_decref(body);
	close(l.fd);

	/* a gateway answering 500: retried later, then given up after 2 attempts */
	listen_on(&l, 500);
	snprintf(cf.webhook_url, sizeof cf.webhook_url, "http://127.0.0.1:%d/hook", l.port);
	act(&cf, id, T0 + 30, (struct desk_act_in){.action = "respond"});
	flush_with(&l, &cf, T0 + 31, &sent, &failed);
	assert_int_equal(sent + failed, 0);
	assert_int_equal(store_desk_outbox_counts(st, &pending, &done, &gave_up, &e), 0);
	assert_int_equal(pending, 1);
	assert_int_equal(desk_notify_flush(st, &cf, T0 + 32, &sent, &failed, &e), 0);   /* not due yet */
	assert_int_equal(sent + failed, 0);
	flush_with(&l, &cf, T0 + 31 + 30, &sent, &failed);
	assert_int_equal(failed, 1);
	assert_int_equal(l.requests, 2);
	assert_int_equal(store_desk_outbox_counts(st, &pending, &done, &gave_up, &e), 0);
	assert_int_equal(pending, 0);
	assert_int_equal(done, 1);
	assert_int_equal(gave_up, 1);
	close(l.fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_clocks),
		cmocka_unit_test(test_inspection_tickets),
		cmocka_unit_test(test_job_tickets),
		cmocka_unit_test(test_job_recovered),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_webhook),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
