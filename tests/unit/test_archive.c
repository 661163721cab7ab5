/*
** test_archive.c: the 运维档案 — a start records version, build, the
** configuration's changed keys and an upgrade with its migrations; audit
** rows become catalogue and calendar events and one summary of account
** changes per day; backup runs and registered sources join in; the filter
** (kind, range, dates) and the permission hold; paging counts every event.
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

#include "archive/archive.h"
#include "base/clock.h"
#include "org/audit.h"
#include "store/store_archive.h"
#include "store/store_ops.h"

static char dir[64], db[128];
static struct store *st;

static int setup(void **state)
{
	struct err e;
	snprintf(dir, sizeof dir, "/tmp/gg-archive-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	return store_open(db, STORE_CREATE, &st, &e);
}

static int teardown(void **state)
{
	char cmd[128];
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

static int64_t T(const char *day, int h)
{
	return clock_cn_midnight(day) + h * 3600;
}

static json_t *list(const char *kind, int64_t now, int64_t *total)
{
	struct principal cli;
	struct archive_filter f = {.kind = kind};
	struct page pg = {1, 200};
	json_t *items;
	struct err e = {0};
	rbac_cli_principal(&cli);
	assert_int_equal(archive_list(st, NULL, &cli, &f, now, &pg, &items, total, &e), 0);
	return items;
}

static const char *field(json_t *items, size_t i, const char *k)
{
	return json_string_value(json_object_get(json_array_get(items, i), k));
}

static void test_starts(void **state)
{
	struct err e = {0};
	struct conf *c = conf_new();
	int64_t total;
	conf_set(c, "server", "listen", "127.0.0.1:8080");
	conf_set(c, "ops", "backup_at", "02:00");
	/* an older version ran before */
	struct store_start old = {.at = T("2026-11-20", 9), .version = "0.0.9", .build = "00aa00aa00aa00aa", .pid = 1,
				  .config_hash = "x", .config_keys = "{}", .changed_keys = "[]", .migrations = "[]"};
	assert_int_equal(store_archive_start_add(st, &old, &e), 0);
	assert_int_equal(archive_record_start(st, c, T("2026-12-01", 9), &e), 0);
	json_t *items = list("software", T("2026-12-02", 0), &total);
	assert_int_equal(total, 2);
	assert_string_equal(field(items, 0, "title"), "软件升级 0.0.9 → " GG_VERSION);
	assert_non_null(strstr(field(items, 0, "detail"), "0017_archive.sql"));
	assert_string_equal(field(items, 0, "kind_label"), "软件版本");
	assert_string_equal(field(items, 0, "at"), "2026-12-01T09:00:00+08:00");
	json_decref(items);
	/* a restart with one key changed and one added: a config event naming them, no values */
	conf_set(c, "server", "listen", "0.0.0.0:80");
	conf_set(c, "log", "file", "/var/log/gonggai.log");
	assert_int_equal(archive_record_start(st, c, T("2026-12-01", 10), &e), 0);
	items = list("config", T("2026-12-02", 0), &total);
	assert_int_equal(total, 2);   /* the upgrade start counted every key of the old, empty set as new */
	assert_string_equal(field(items, 0, "title"), "配置变更 2 项");
	assert_non_null(strstr(field(items, 0, "detail"), "server.listen"));
	assert_non_null(strstr(field(items, 0, "detail"), "log.file"));
	assert_null(strstr(field(items, 0, "detail"), "0.0.0.0"));
	json_decref(items);
	items = list("software", T("2026-12-02", 0), &total);
	assert_string_equal(field(items, 0, "title"), "服务启动");
	json_decref(items);
	conf_free(c);
}

static void test_audit_runs_and_summaries(void **state)
{
	struct err e = {0};
	struct principal cli;
	int64_t run, total;
	rbac_cli_principal(&cli);
	assert_int_equal(audit_write(st, &cli, T("2026-12-03", 9), "user.create", "user:5", "success", NULL, &e), 0);
	assert_int_equal(audit_write(st, &cli, T("2026-12-03", 10), "user.create", "user:6", "success", NULL, &e), 0);
	assert_int_equal(audit_write(st, &cli, T("2026-12-03", 11), "user.disable", "user:5", "success", NULL, &e), 0);
	assert_int_equal(audit_write(st, &cli, T("2026-12-04", 9), "department.update", "611000", "success", NULL, &e), 0);
	assert_int_equal(audit_write(st, &cli, T("2026-12-04", 9), "session.login", "user:5", "success", NULL, &e), 0);
	assert_int_equal(audit_write(st, &cli, T("2026-12-04", 10), "calendar.import", "2027", "success", NULL, &e), 0);
	assert_int_equal(store_ops_run_claim(st, "backup", "scheduler", T("2026-12-05", 2), 60, 1, &run, NULL, &e), 0);
	assert_int_equal(store_ops_run_finish(st, run, "done", "OK", "backup ok", NULL, T("2026-12-05", 2) + 30, &e), 0);
	json_t *items = list("org", T("2026-12-06", 0), &total);
	assert_int_equal(total, 2);
	assert_string_equal(field(items, 0, "title"), "组织与账号变更 1 项");
	assert_string_equal(field(items, 0, "detail"), "修改部门 1");
	assert_string_equal(field(items, 1, "title"), "组织与账号变更 3 项");
	assert_string_equal(field(items, 1, "detail"), "新增账号 2，停用账号 1");
	assert_string_equal(field(items, 1, "at"), "2026-12-03T11:00:00+08:00");
	json_decref(items);
	items = list("calendar", T("2026-12-06", 0), &total);
	assert_int_equal(total, 1);
	assert_string_equal(field(items, 0, "detail"), "2027");
	json_decref(items);
	items = list("backup", T("2026-12-06", 0), &total);
	assert_int_equal(total, 1);
	assert_string_equal(field(items, 0, "title"), "备份完成");
	json_decref(items);
	/* logins are not maintenance events; everything is newest first */
	items = list(NULL, T("2026-12-06", 0), &total);
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_null(strstr(field(items, i, "title"), "login"));
	for (size_t i = 1; i < json_array_size(items); i++)
		assert_true(strcmp(field(items, i - 1, "at"), field(items, i, "at")) >= 0);
	json_decref(items);
}

static int incidents(void *ctx, struct store *s, int64_t from, int64_t to, json_t *out, struct err *e)
{
	int64_t at = T("2026-12-05", 15);
	if (at >= from && at < to)
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "at", (json_int_t)at, "kind", "incident",
						     "title", "一级故障 #7 已解决", "detail", "数据库磁盘满", "actor", "ops1",
						     "ref", "ticket:7"));
	return 0;
}

static void test_sources_filter_paging_permission(void **state)
{
	struct archive_sources src = {.n = 1};
	src.s[0] = (struct archive_source){"incident", incidents, NULL};
	struct principal cli, clerk = {.user_id = 9, .roles = ROLE_CLERK};
	struct archive_filter f;
	struct page pg = {1, 2};
	json_t *items;
	int64_t total, all;
	struct err e = {0};
	rbac_cli_principal(&cli);
	assert_int_equal(archive_filter_parse("2026-12-05", "2026-12-05", "incident", &f, &e), 0);
	assert_int_equal(archive_list(st, &src, &cli, &f, T("2026-12-07", 0), &pg, &items, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_string_equal(field(items, 0, "title"), "一级故障 #7 已解决");
	assert_string_equal(field(items, 0, "kind_label"), "故障");
	json_decref(items);
	assert_int_equal(archive_filter_parse("2026-11-01", "2026-12-06", NULL, &f, &e), 0);
	assert_int_equal(archive_list(st, &src, &cli, &f, T("2026-12-07", 0), &pg, &items, &all, &e), 0);
	assert_int_equal(json_array_size(items), 2);
	assert_true(all > 5);
	json_decref(items);
	assert_int_equal(archive_list(st, &src, &clerk, &f, T("2026-12-07", 0), &pg, &items, &total, &e),
			 ERR_FORBIDDEN);
	assert_int_equal(archive_filter_parse("2026-02-30", NULL, NULL, &f, &e), ERR_INVALID);
	assert_string_equal(e.field, "from");
	assert_int_equal(archive_filter_parse("2025-01-01", "2026-12-01", NULL, &f, &e), 0);
	assert_int_equal(archive_filter_check(&f, T("2026-12-07", 0), &e), ERR_INVALID);
	assert_string_equal(e.field, "to");
	assert_int_equal(archive_filter_parse("2026-12-02", "2026-12-01", NULL, &f, &e), 0);
	assert_int_equal(archive_filter_check(&f, T("2026-12-07", 0), &e), ERR_INVALID);
	assert_int_equal(archive_filter_parse(NULL, NULL, "nope", &f, &e), 0);
	assert_int_equal(archive_filter_check(&f, T("2026-12-07", 0), &e), ERR_INVALID);
	assert_string_equal(e.field, "kind");
	/* the export holds every event of the range */
	char path[160];
	snprintf(path, sizeof path, "%s/a.xlsx", dir);
	assert_int_equal(archive_filter_parse("2026-11-01", "2026-12-06", NULL, &f, &e), 0);
	assert_int_equal(archive_xlsx(st, &src, &cli, &f, T("2026-12-07", 0), path, &e), 0);
	assert_int_equal(access(path, R_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts),
		cmocka_unit_test(test_audit_runs_and_summaries),
		cmocka_unit_test(test_sources_filter_paging_permission),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
