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
	/* the desk worker (SLA sweep) runs at start only: the test moves the clock itself */
	if (apitest_start(&T, "[desk]\ninterval_s = 3600\n") != 0 || apitest_user(&T, "ops1", "ops", NULL) != 0 ||
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
	assert_int_equal(client_req(LEADER, "GET", "/api/desk/reports/monthly?period=2026-10&format=json", NULL, NULL,
				    &r), 200);
	json_t *resp = json_array_get(json_object_get(r, "clocks"), 0);
	assert_string_equal(json_string_value(json_object_get(resp, "clock")), "response");
	assert_int_equal(json_integer_value(json_object_get(resp, "counted")), 2);
	assert_int_equal(json_integer_value(json_object_get(resp, "met")), 0);
	assert_true(json_number_value(json_object_get(resp, "compliance")) == 0.0);
	json_decref(r);
	assert_int_equal(client_req(OPS, "GET", "/api/desk/reports/monthly?period=2026-10&format=xlsx", NULL, NULL,
				    NULL), 200);
	assert_memory_equal(client_body(OPS), "PK", 2);

	/* every change audited */
	char out[8192];
	assert_int_equal(apitest_cli(&T, "audit verify", out, sizeof out), 0);
}

static long long post_id(struct client *c, const char *path, const char *body, int want)
{
	json_t *r = NULL;
	int st = client_req(c, "POST", path, body, NULL, &r);
	if (st != want)
		fail_msg("POST %s: %d, want %d: %s", path, st, want, client_body(c));
	long long id = json_integer_value(json_object_get(r, "id"));
	json_decref(r);
	return id;
}

static void test_services(void **state)
{
	json_t *r = NULL;
	char path[96];
	at(CLERK, T0 + 4 * 86400);
	at(OPS, T0 + 4 * 86400);
	at(LEADER, T0 + 4 * 86400);

	/* 需求受理: a clerk submits, ops assess (estimate required), reply, accept, schedule, deliver */
	long long rq = post_id(CLERK, "/api/desk/requests", "{\"kind\":\"field_change\",\"title\":\"受理单增加联系人电话\"}", 201);
	snprintf(path, sizeof path, "/api/desk/requests/%lld/actions", rq);
	assert_int_equal(client_req(CLERK, "POST", path, "{\"action\":\"assess\"}", NULL, &r), 403);
	json_decref(r);
	assert_int_equal(client_req(OPS, "POST", path, "{\"action\":\"assess\",\"feasibility\":\"可行\"}", NULL, &r), 400);
	assert_string_equal(field_of(r), "estimate_days");
	json_decref(r);
	assert_int_equal(client_req(OPS, "POST", path, "{\"action\":\"deliver\"}", NULL, &r), 409);
	json_decref(r);
	const char *steps[] = {"{\"action\":\"assess\",\"feasibility\":\"可行\",\"estimate_days\":1.5}",
			       "{\"action\":\"reply\",\"reply\":\"下月版本加入\"}", "{\"action\":\"accept\"}",
			       "{\"action\":\"schedule\",\"scheduled_for\":\"2026-11-15\"}",
			       "{\"action\":\"deliver\",\"links\":[{\"type\":\"exchange\",\"ref\":\"run 42\"}]}"};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(client_req(OPS, "POST", path, steps[i], NULL, &r), 200);
		json_decref(r);
	}
	snprintf(path, sizeof path, "/api/desk/requests/%lld", rq);
	assert_int_equal(client_req(CLERK, "GET", path, NULL, NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "delivered");
	assert_int_equal(json_array_size(json_object_get(r, "events")), 6);
	assert_true(json_number_value(json_object_get(r, "estimate_days")) == 1.5);
	json_decref(r);
	assert_int_equal(client_req(OTHER, "GET", path, NULL, NULL, &r), 404);
	json_decref(r);

	/* 技术咨询 creating an article every account finds in the 帮助中心 */
	post_id(OPS, "/api/desk/consults", "{\"caller\":\"王科员\",\"unit\":\"印台区行政审批服务局\",\"channel\":\"phone\","
		"\"question\":\"打印受理通知书空白\",\"answer\":\"浏览器打印设置勾选背景图形\",\"minutes\":6,"
		"\"article\":{\"title\":\"打印受理通知书空白怎么办\",\"tags\":\"打印,浏览器\"}}", 201);
	assert_int_equal(client_req(OPS, "POST", "/api/desk/consults", "{\"caller\":\"x\",\"channel\":\"fax\",\"question\":\"q\"}",
				    NULL, &r), 400);
	assert_string_equal(field_of(r), "channel");
	json_decref(r);
	assert_int_equal(client_req(OTHER, "GET", "/api/desk/articles?tag=%E6%89%93%E5%8D%B0", NULL, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "total")), 1);
	json_decref(r);
	assert_int_equal(client_req(OTHER, "POST", "/api/desk/articles", "{\"title\":\"t\",\"body\":\"b\"}", NULL, &r), 403);
	json_decref(r);
	assert_int_equal(client_req(OTHER, "GET", "/api/desk/consults", NULL, NULL, &r), 403);
	json_decref(r);

	/* 培训服务 and 技术骨干 */
	long long tr = post_id(OPS, "/api/desk/trainings", "{\"day\":\"2026-10-28\",\"topic\":\"并联审批操作\","
			       "\"trainer\":\"ops1\",\"hours\":2,\"feedback\":4.5,\"attendees\":[\"clerk1\",\"clerk2\"]}", 201);
	/* 培训资料: a PDF attached (ops only, typed by content), listed with the session, downloaded byte for byte */
	const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
	snprintf(path, sizeof path, "/api/desk/trainings/%lld/files?name=%%E8%%AF%%BE%%E4%%BB%%B6.pdf", tr);
	assert_int_equal(client_req(OPS, "POST", path, pdf, "application/pdf", &r), 201);
	long long file = json_integer_value(json_object_get(r, "id"));
	assert_string_equal(json_string_value(json_object_get(r, "ext")), "pdf");
	json_decref(r);
	assert_int_equal(client_req(OPS, "POST", path, "<html><script>x</script></html>", "application/pdf", &r), 415);
	json_decref(r);
	assert_int_equal(client_req(CLERK, "POST", path, pdf, "application/pdf", &r), 403);
	json_decref(r);
	snprintf(path, sizeof path, "/api/desk/trainings/99999/files?name=a.pdf");
	assert_int_equal(client_req(OPS, "POST", path, pdf, "application/pdf", &r), 404);
	json_decref(r);
	assert_int_equal(client_req(OPS, "GET", "/api/desk/trainings", NULL, NULL, &r), 200);
	json_t *files = json_object_get(json_array_get(json_object_get(r, "items"), 0), "files");
	assert_int_equal(json_array_size(files), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(files, 0), "name")), "课件.pdf");
	json_decref(r);
	snprintf(path, sizeof path, "/api/desk/files/%lld", file);
	assert_int_equal(client_req(OPS, "GET", path, NULL, NULL, NULL), 200);
	assert_string_equal(client_body(OPS), pdf);
	assert_int_equal(client_req(CLERK, "GET", path, NULL, NULL, &r), 403);
	json_decref(r);
	assert_int_equal(client_req(OPS, "POST", "/api/desk/trainings", "{\"day\":\"2026-10-28\",\"topic\":\"t\","
				    "\"trainer\":\"x\",\"hours\":2,\"attendees\":[\"nobody\"]}", NULL, &r), 400);
	assert_string_equal(field_of(r), "attendees");
	json_decref(r);
	assert_int_equal(client_req(OPS, "POST", "/api/desk/backbones", "{\"username\":\"clerk1\",\"note\":\"窗口骨干\"}",
				    NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "items"), 0), "completed")),
			    "并联审批操作 (2026-10-28)");
	json_decref(r);

	/* 应急演练: a plan, a drill with a follow-up ticket; the built-in backup plan is there */
	long long plan = post_id(OPS, "/api/desk/plans", "{\"code\":\"app-down\",\"name\":\"应用服务器宕机\",\"scenario\":"
				 "\"主机宕机，切换反向代理\",\"steps\":[{\"step\":\"切换反向代理\",\"role\":\"运维\","
				 "\"expected_minutes\":15}]}", 201);
	char body[512];
	snprintf(body, sizeof body, "{\"plan_id\":%lld,\"started_at\":\"2026-10-29T20:00\",\"ended_at\":\"2026-10-29T20:25\","
		 "\"participants\":\"ops1\",\"results\":[{\"step\":\"切换反向代理\",\"ok\":false,\"minutes\":22}],"
		 "\"problems\":\"切换脚本过时\",\"tickets\":[1]}", plan);
	post_id(OPS, "/api/desk/drills", body, 201);
	assert_int_equal(client_req(OPS, "POST", "/api/desk/drills", "{\"plan_id\":999,\"started_at\":\"2026-10-29T20:00\","
				    "\"ended_at\":\"2026-10-29T20:25\"}", NULL, &r), 400);
	assert_string_equal(field_of(r), "plan_id");
	json_decref(r);
	assert_int_equal(client_req(LEADER, "GET", "/api/desk/plans", NULL, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "total")), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "items"), 0), "code")), "backup");
	json_decref(r);
	assert_int_equal(client_req(OPS, "GET", "/api/desk/drills", NULL, NULL, &r), 200);
	assert_true(json_integer_value(json_object_get(r, "total")) >= 1);
	json_decref(r);

	/* 定期回访: a pain point becomes a request, once */
	long long v = post_id(OPS, "/api/desk/visits", "{\"day\":\"2026-10-30\",\"unit\":\"王益区行政审批服务局\","
			      "\"contact\":\"李科长\",\"score_response\":5,\"score_quality\":4,\"score_attitude\":5,"
			      "\"pain_points\":[\"统计报表导出太慢\",\"希望短信提醒\"]}", 201);
	assert_int_equal(client_req(OPS, "POST", "/api/desk/visits", "{\"day\":\"2026-10-30\",\"unit\":\"u\","
				    "\"score_response\":6,\"score_quality\":4,\"score_attitude\":5}", NULL, &r), 400);
	assert_string_equal(field_of(r), "score_response");
	json_decref(r);
	snprintf(path, sizeof path, "/api/desk/visits/%lld/requests", v);
	assert_int_equal(client_req(OPS, "POST", path, "{\"index\":1}", NULL, &r), 201);
	assert_string_equal(json_string_value(json_object_get(r, "title")), "希望短信提醒");
	assert_int_equal(json_integer_value(json_object_get(r, "visit_id")), v);
	json_decref(r);
	assert_int_equal(client_req(OPS, "POST", path, "{\"index\":1}", NULL, &r), 409);
	json_decref(r);
	assert_int_equal(client_req(OPS, "POST", path, "{\"index\":7}", NULL, &r), 400);
	json_decref(r);

	/* the monthly summary counts them */
	assert_int_equal(client_req(LEADER, "GET", "/api/desk/reports/monthly?period=2026-10&format=html", NULL, NULL, NULL), 200);
	assert_non_null(strstr(client_body(LEADER), "受理 2 项，交付 1 项"));
	assert_non_null(strstr(client_body(LEADER), "演练记录 1 次"));
	assert_non_null(strstr(client_body(LEADER), "满意度 响应 5.0"));
	assert_int_equal(client_req(OPS, "GET", "/api/dict", NULL, NULL, &r), 200);
	assert_non_null(json_object_get(r, "desk.request_status"));
	assert_non_null(json_object_get(r, "desk.status"));
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level2_late_response),
		cmocka_unit_test(test_level1_rca_breach),
		cmocka_unit_test(test_lists_and_reports),
		cmocka_unit_test(test_services),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
