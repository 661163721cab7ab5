/*
** probe_db.c: the database (数据库巡检) and the files around it: quick_check,
** file and WAL size, free pages, age of the last good backup, growth since
** the previous inspection; the application log and temp files past their
** retention (the same scan `gonggai cleanup` acts on, ops/cleanup.h).
**
** quick_check rather than integrity_check: O(N) instead of O(N log N) and
** seconds instead of minutes on a large file; the full check runs on every
** backup copy instead, where it does not compete with the server.
*/
#include "ops/probe.h"
#include "base/clock.h"
#include "ops/cleanup.h"
#include "org/rbac.h"
#include "store/store_case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static double file_mb(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? sb.st_size / 1048576.0 : 0;
}

void probe_db_check(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	char first[300];
	int problems;
	struct err e;
	double t0 = clock_mono_ms();
	int rc = store_ops_check(env->st, 0, first, sizeof first, &problems, &e);
	if (rc && !problems) {
		probe_status(r, OPS_UNKNOWN, "quick_check 无法运行：%s", e.msg);
		return;
	}
	if (problems)
		probe_value(env, d, r, problems, "数据库损坏：%s（quick_check 发现 %d 处问题）；请从备份恢复",
			    first, problems);
	else
		probe_value(env, d, r, 0, "quick_check 通过，用时 %.0f ms", clock_mono_ms() - t0);
}

void probe_db_size(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	struct stat sb;
	if (stat(env->cf->db_path, &sb) != 0) {
		probe_status(r, OPS_UNKNOWN, "无法读取数据库文件 %s", env->cf->db_path);
		return;
	}
	probe_value(env, d, r, sb.st_size / 1048576.0, "数据库文件 %s：%.1f MB", env->cf->db_path,
		    sb.st_size / 1048576.0);
}

void probe_db_wal(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	char wal[560];
	snprintf(wal, sizeof wal, "%s-wal", env->cf->db_path);
	double mb = file_mb(wal);
	probe_value(env, d, r, mb, "WAL 文件 %.1f MB%s", mb, mb >= 256 ? "：检查点被长事务阻塞？" : "");
}

void probe_db_free(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	int64_t pages, free_pages, page_size;
	struct err e;
	if (store_ops_pages(env->st, &pages, &free_pages, &page_size, &e) || pages <= 0) {
		probe_status(r, OPS_UNKNOWN, "无法读取页统计：%s", e.msg);
		return;
	}
	double pct = 100.0 * free_pages / pages;
	probe_value(env, d, r, pct, "空闲页 %lld / %lld（%.1f MB 可回收%s）", (long long)free_pages,
		    (long long)pages, free_pages * (double)page_size / 1048576.0,
		    pct >= 25 ? "，可在维护窗口 VACUUM" : "");
}

/* The newest good backup whose file is still on disk. */
static int newest_backup(struct ops_env *env, struct ops_backup_rec *out, struct err *e)
{
	struct ops_backup_rec *v;
	int n;
	if (store_ops_backups_present(env->st, &v, &n, e))
		return -1;
	int found = 0;
	for (int i = 0; i < n && !found; i++) {
		struct stat sb;
		if (stat(v[i].path, &sb) == 0) {
			*out = v[i];
			found = 1;
		}
	}
	free(v);
	return found;
}

void probe_db_backup_age(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	struct ops_backup_rec b;
	struct err e;
	char when[20];
	int found = newest_backup(env, &b, &e);
	if (found < 0) {
		probe_status(r, OPS_UNKNOWN, "无法读取备份记录：%s", e.msg);
		return;
	}
	if (found) {
		double h = (env->now - b.created_at) / 3600.0;
		probe_value(env, d, r, h, "最近一次成功备份 %s（%.1f 小时前）：%s", clock_cn_datetime(b.created_at, when),
			    h, b.path);
		return;
	}
	int64_t created;
	if (store_ops_created_at(env->st, &created, &e) || !created) {
		probe_status(r, OPS_CRIT, "从未成功备份");
		return;
	}
	double h = (env->now - created) / 3600.0;
	probe_value(env, d, r, h, "从未成功备份；数据库建于 %s（%.1f 小时前）%s", clock_cn_datetime(created, when), h,
		    h < r->warn ? "，等待首次夜间备份" : "：请立即执行 gonggai backup");
}

void probe_db_growth(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	double prev;
	int64_t at;
	int found;
	struct err e;
	char when[20];
	if (store_ops_last_value(env->st, "db.size", env->now + 1, &prev, &at, &found, &e)) {
		probe_status(r, OPS_UNKNOWN, "无法读取上次巡检：%s", e.msg);
		return;
	}
	double now_mb = file_mb(env->cf->db_path);
	if (!found) {
		probe_value(env, d, r, 0, "首次记录数据库大小 %.1f MB，无可比较的上次巡检", now_mb);
		return;
	}
	probe_value(env, d, r, now_mb - prev, "较 %s 的 %.1f MB 增长 %.1f MB", clock_cn_datetime(at, when), prev,
		    now_mb - prev);
}

void probe_logs_size(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	if (!env->cf->log_file[0]) {
		probe_status(r, OPS_OK, "未配置日志文件（[log] file），日志写到标准错误，由服务管理器收集");
		return;
	}
	double mb = file_mb(env->cf->log_file);
	probe_value(env, d, r, mb, "应用日志 %s：%.1f MB（超过 %lld MB 时轮转）", env->cf->log_file, mb,
		    (long long)(env->cf->log_rotate_bytes / 1048576));
}

static void expired(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r, int kind)
{
	struct ops_cleanup_plan p;
	struct err e;
	if (ops_cleanup_scan(env->cf, env->now, &p, &e)) {
		probe_status(r, OPS_UNKNOWN, "无法扫描：%s", e.msg);
		return;
	}
	int n = 0;
	double mb = 0;
	for (int i = 0; i < p.n; i++)
		if (p.files[i].kind == kind || (kind == CLEAN_TMP && p.files[i].kind == CLEAN_PART)) {
			n++;
			mb += p.files[i].bytes / 1048576.0;
		}
	ops_cleanup_plan_free(&p);
	if (kind == CLEAN_LOG)
		probe_value(env, d, r, n, "%d 个轮转日志超过 %d 天保留期（%.1f MB）%s", n, env->cf->log_keep_days, mb,
			    n ? "：日志清理未执行？" : "");
	else
		probe_value(env, d, r, n, "%d 个临时文件超过 %d 小时保留期（%.1f MB）%s", n, env->cf->tmp_keep_hours,
			    mb, n ? "：日志清理未执行？" : "");
}

void probe_logs_expired(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	expired(env, d, r, CLEAN_LOG);
}

void probe_tmp_expired(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	expired(env, d, r, CLEAN_TMP);
}

/* Open 办件 nobody can take (the "task without assignee" that used to be
** found by hand and forced through with SQL): name each group and the fix. */
void probe_cases_stuck(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	struct case_stuck g[3];
	struct err e;
	char what[900] = "";
	int n, groups;
	int64_t total;
	if (store_case_stuck(env->st, g, 3, &n, &total, &groups, &e)) {
		probe_status(r, OPS_UNKNOWN, "无法检查在办件：%s", e.msg);
		return;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(what);
		if (!g[i].handler[0])
			snprintf(what + len, sizeof what - len, "%s%s 无在岗的%s，%lld 件，如 %s", i ? "；" : "",
				 g[i].department_name, rbac_role_name(g[i].step_role), (long long)g[i].count, g[i].example);
		else if (!g[i].handler_active)
			snprintf(what + len, sizeof what - len, "%s转办给已停用的 %s，%lld 件，如 %s", i ? "；" : "",
				 g[i].handler, (long long)g[i].count, g[i].example);
		else
			snprintf(what + len, sizeof what - len, "%s转办给 %s，但其已不是%s的%s，%lld 件，如 %s",
				 i ? "；" : "", g[i].handler, g[i].department_name, rbac_role_name(g[i].step_role),
				 (long long)g[i].count, g[i].example);
	}
	if (!n) {
		probe_value(env, d, r, 0, "每件在办件都有可办理的在岗人员");
		return;
	}
	probe_value(env, d, r, (double)total, "%lld 件在办件无人可办：%s%s。处理：由部门负责人转办给具备该环节角色的"
		    "在岗人员，或为部门添加该角色的账号", (long long)total, what, groups > n ? "……" : "");
}
