/*
** test_api_desk.c: the service desk over real HTTP with the clock moved by
** X-GG-Now: a clerk reports a level-2 fault that ops answer late (the
** response breach recorded at the minute the target ran out), resolve
** (cause, fix and prevention required) and close after the reporter
** verified; a level-1 fault without its RCA shows the RCA clock breached 24 h
** after the resolve; who sees and does what; the ticket and monthly reports;
** the audit rows.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

static struct apitest T;
static struct client *OPS, *CLERK, *OTHER, *LEADER;

#define T0 1793000000LL   /* 2026-10-26 15:33:20 +08:00 */

static int setup(void **state)
{
	if (apitest_start(&T, NULL) != 0 || apitest_user(&T, "ops1", "ops", NULL) != 0 ||
	    apitest_user(&T, "clerk1", "clerk", "610202-XSP") != 0 ||
	    apitest_user(&T, "clerk2", "clerk", "610202-XSP") != 0 || apitest_user(&T, "lead1", "leader", NULL) != 0)
		return -1;
	OPS = client_new(&T);
	CLERK = client_new(&T);
	OTHER = client_new(&T);
	LEADER = client_new(&T);
	if (client_login(OPS, "ops1", APITEST_PASSWORD) != 200 || client_login(CLERK, "clerk1", APITEST_PASSWORD) != 200 ||
	    client_login(OTHER, "clerk2", APITEST_PASSWORD) != 200 || client_login(LEADER, "lead1", APITEST_PASSWORD) != 200)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	client_free(OPS);
	client_free(CLERK);
	client_free(OTHER);
	client_free(LEADER);
	apitest_stop(&T);
	return 0;
}

static void at(struct client *c, long long t)
{
	char h[64];
	snprintf(h, sizeof h, "X-GG-Now: %lld", t);
	client_header(c, h);
}

static json_t *clock_of(json_t *ticket, const char *name)
{
	return json_object_get(json_object_get(ticket, "sla"), name);
}

static int act(struct client *c, long long id, const char *body, json_t **out)
{
	char path[64];
	snprintf(path, sizeof path, "/api/desk/tickets/%lld/actions", id);
	return client_req(c, "POST", path, body, NULL, out);
}

static const char *field_of(json_t *err)
{
	return json_string_value(json_object_get(json_object_get(err, "error"), "field"));
}

static void test_level2_late_response(void **state)
{
	json_t *t = NULL, *r = NULL;
	at(CLERK, T0);
	assert_int_equal(client_req(CLERK, "POST", "/api/desk/tickets",
				    "{\"kind\":\"fault\",\"level\":2,\"category\":\"bug\",\"title\":\"受理页面打不开\","
				    "\"description\":\"窗口三台电脑都打不开\"}", NULL, &t), 201);
	long long id = json_integer_value(json_object_get(t, "id"));
	assert_string_equal(json_string_value(json_object_get(t, "status")), "open");
	assert_string_equal(json_string_value(json_object_get(t, "reporter")), "clerk1");
	assert_int_equal(json_integer_value(json_object_get(clock_of(t, "response"), "target_minutes")), 5);
	assert_true(json_is_null(clock_of(t, "rca")));
	json_decref(t);

	/* a clerk cannot enter a phone report's time nor answer a ticket */
	assert_int_equal(client_req(CLERK, "POST", "/api/desk/tickets",
				    "{\"level\":3,\"category\":\"config\",\"title\":\"x\",\"reported_at\":\"2026-10-26T15:00\"}",
				    NULL, &r), 403);
	assert_string_equal(field_of(r), "reported_at");
	json_decref(r);
	at(CLERK, T0 + 60);
	assert_int_equal(act(CLERK, id, "{\"action\":\"respond\"}", &r), 403);
	json_decref(r);

	/* ops answer 10 minutes late: the breach is at the 5th minute */
	at(OPS, T0 + 600);
	assert_int_equal(act(OPS, id, "{\"action\":\"respond\",\"note\":\"电话联系窗口\"}", &t), 200);
	json_t *resp = clock_of(t, "response");
	assert_true(json_is_false(json_object_get(resp, "met")));
	assert_true(json_is_true(json_object_get(resp, "breached")));
	assert_string_equal(json_string_value(json_object_get(resp, "breached_at")), "2026-10-26T15:38:20+08:00");
	assert_int_equal(json_integer_value(json_object_get(resp, "elapsed_minutes")), 10);
	assert_true(json_is_null(json_object_get(clock_of(t, "resolution"), "met")));
	assert_string_equal(json_string_value(json_object_get(t, "handler")), "ops1");
	json_decref(t);

	/* close is not an action of a ticket in progress; resolve wants its three fields */
	assert_int_equal(act(OPS, id, "{\"action\":\"close\"}", &r), 409);
	json_decref(r);
	assert_int_equal(act(OPS, id, "{\"action\":\"resolve\",\"cause\":\"证书过期\",\"fix\":\"更新证书\"}", &r), 400);
	assert_string_equal(field_of(r), "prevention");
	json_decref(r);
	at(OPS, T0 + 3600);
	assert_int_equal(act(OPS, id, "{\"action\":\"resolve\",\"cause\":\"证书过期\",\"fix\":\"更新证书\","
				      "\"prevention\":\"证书到期巡检\"}", &t), 200);
	assert_true(json_is_true(json_object_get(clock_of(t, "resolution"), "met")));
	assert_int_equal(json_integer_value(json_object_get(clock_of(t, "resolution"), "elapsed_minutes")), 60);
	json_decref(t);

	/* the reporter verifies, ops close */
	at(CLERK, T0 + 4000);
	assert_int_equal(act(CLERK, id, "{\"action\":\"verify\"}", &t), 200);
	json_decref(t);
	at(OPS, T0 + 4100);
	assert_int_equal(act(OPS, id, "{\"action\":\"close\"}", &t), 200);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "closed");
	assert_int_equal(json_array_size(json_object_get(t, "events")), 5);
	/* the clocks are the same read later: computed from the log */
	json_decref(t);
	char path[64];
	snprintf(path, sizeof path, "/api/desk/tickets/%lld", id);
	at(OPS, T0 + 90 * 86400);
	assert_int_equal(client_req(OPS, "GET", path, NULL, NULL, &t), 200);
	assert_true(json_is_false(json_object_get(clock_of(t, "response"), "met")));
	assert_true(json_is_true(json_object_get(clock_of(t, "resolution"), "met")));
	json_decref(t);

	/* another clerk does not see it; the leader does */
	assert_int_equal(client_req(OTHER, "GET", path, NULL, NULL, &r), 404);
	json_decref(r);
	assert_int_equal(client_req(LEADER, "GET", path, NULL, NULL, &r), 200);
	json_decref(r);
}

static void test_level1_rca_breach(void **state)
{
	json_t *t = NULL;
	at(OPS, T0 + 86400);
	assert_int_equal(client_req(OPS, "POST", "/api/desk/tickets",
				    "{\"kind\":\"fault\",\"level\":1,\"category\":\"infrastructure\","
				    "\"title\":\"全市审批系统无法登录\",\"caller\":\"市局值班室\","
				    "\"reported_at\":\"2026-10-27T15:30:00+08:00\"}", NULL, &t), 201);
	long long id = json_integer_value(json_object_get(t, "id"));
	assert_string_equal(json_string_value(json_object_get(t, "reporter")), "市局值班室");
	assert_string_equal(json_string_value(json_object_get(t, "reported_at")), "2026-10-27T15:30:00+08:00");
	/* entered 3 min 20 s after the call: the response clock ran from the call */
	assert_true(json_is_true(json_object_get(clock_of(t, "response"), "breached")));
	assert_int_equal(json_integer_value(json_object_get(clock_of(t, "rca"), "target_minutes")), 1440);
	assert_true(json_is_null(json_object_get(clock_of(t, "rca"), "started")));
	json_decref(t);
	assert_int_equal(act(OPS, id, "{\"action\":\"respond\"}", &t), 200);
	json_decref(t);
	at(OPS, T0 + 86400 + 3600);
	assert_int_equal(act(OPS, id, "{\"action\":\"resolve\",\"cause\":\"负载均衡配置错误\",\"fix\":\"回滚配置\","
				      "\"prevention\":\"变更前评审\"}", &t), 200);
	assert_false(json_is_true(json_object_get(clock_of(t, "rca"), "breached")));
	json_decref(t);

	/* a day and a minute later, no RCA: breached, still running */
	char path[64];
	snprintf(path, sizeof path, "/api/desk/tickets/%lld", id);
	at(OPS, T0 + 2 * 86400 + 3600 + 60);
	assert_int_equal(client_req(OPS, "GET", path, NULL, NULL, &t), 200);
	json_t *rca = clock_of(t, "rca");
	assert_true(json_is_true(json_object_get(rca, "breached")));
	assert_true(json_is_null(json_object_get(rca, "met")));
	assert_string_equal(json_string_value(json_object_get(rca, "breached_at")), "2026-10-28T16:33:20+08:00");
	json_decref(t);
	assert_int_equal(act(OPS, id, "{\"action\":\"rca_submit\",\"rca\":\"根本原因：……对策：……\"}", &t), 200);
	assert_true(json_is_false(json_object_get(clock_of(t, "rca"), "met")));
	json_decref(t);
	assert_int_equal(act(OPS, id, "{\"action\":\"rca_submit\",\"rca\":\"again\"}", &t), 409);
	json_decref(t);

	/* 重大事件故障报告 */
	snprintf(path, sizeof path, "/api/desk/tickets/%lld/report", id);
	assert_int_equal(client_req(OPS, "GET", path, NULL, NULL, NULL), 200);
	assert_non_null(strstr(client_body(OPS), "重大事件故障报告"));
	assert_non_null(strstr(client_body(OPS), "根本原因：……对策：……"));
}

static void test_lists_and_reports(void **state)
{
	json_t *r = NULL;
	at(CLERK, T0 + 3 * 86400);
	assert_int_equal(client_req(CLERK, "GET", "/api/desk/tickets?mine=1", NULL, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "total")), 1);
	json_decref(r);
	/* a clerk's list is its own tickets only */
	assert_int_equal(client_req(OTHER, "GET", "/api/desk/tickets", NULL, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "total")), 0);
	json_decref(r);
	assert_int_equal(client_req(OPS, "GET", "/api/desk/tickets?status=closed", NULL, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "total")), 1);
	assert_non_null(json_object_get(json_array_get(json_object_get(r, "items"), 0), "sla"));
	json_decref(r);
	assert_int_equal(client_req(OPS, "GET", "/api/desk/tickets?status=nonsense", NULL, NULL, &r), 400);
	json_decref(r);
	assert_int_equal(client_req(OPS, "GET", "/api/desk/badge", NULL, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "open")), 1);
	json_decref(r);

	assert_int_equal(client_req(CLERK, "GET", "/api/desk/reports/monthly?period=2026-10&format=html", NULL, NULL,
				    NULL), 403);
	assert_int_equal(client_req(LEADER, "GET", "/api/desk/reports/monthly?period=2026-10&format=html", NULL, NULL,
				    NULL), 200);
	assert_non_null(strstr(client_body(LEADER), "运维服务台月度报告"));
	assert_int_equal(client_req(OPS, "GET", "/api/desk/reports/monthly?period=2026-13", NULL, NULL, &r), 400);
	json_decref(r);
	assert_int_equal(client_req(OPS, "GET", "/api/desk/reports/monthly?period=2026-10&format=xlsx", NULL, NULL,
				    NULL), 200);
	assert_memory_equal(client_body(OPS), "PK", 2);

	/* every change audited */
	char out[8192];
	assert_int_equal(apitest_cli(&T, "audit verify", out, sizeof out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level2_late_response),
		cmocka_unit_test(test_level1_rca_breach),
		cmocka_unit_test(test_lists_and_reports),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
