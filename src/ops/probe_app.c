/*
** probe_app.c: the application (应用系统巡检): a self-probe of /api/health
** over HTTP, the 5xx rate and p99 latency from the server's own counters,
** its worker threads, the scheduler heartbeat, and whether next year's
** official calendar is loaded (from October on).
**
** Inside `serve` the counters come from the server through env->host (the
** wiring fills it from http/metrics.h); from the command line the probe
** scrapes the server's /metrics, found through the lock file (ops/lock.h).
*/
#include "ops/probe.h"
#include "base/clock.h"
#include "workday/workday.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *base_url(struct ops_env *env)
{
	if (env->cf->app_url[0])
		return env->cf->app_url;
	return env->srv.url[0] && (env->host || env->srv.running) ? env->srv.url : NULL;
}

void probe_app_health(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	const char *base = base_url(env);
	if (!base) {
		probe_status(r, OPS_CRIT, "服务未运行：没有进程持有数据库 %s", env->cf->db_path);
		return;
	}
	char url[300];
	struct ops_http h;
	snprintf(url, sizeof url, "%s/api/health", base);
	ops_http_get(url, env->cf->probe_timeout_ms, env->cf->ca_file, 0, &h);
	if (!h.reached) {
		probe_status(r, OPS_CRIT, "%s %s：%s", url, h.timed_out ? "超时" : "无法访问", h.error);
		return;
	}
	if (h.status != 200) {
		r->has_value = 1;
		r->value = h.ms;
		probe_status(r, OPS_CRIT, "%s 返回 HTTP %ld（数据库不可用？）", url, h.status);
		return;
	}
	probe_value(env, d, r, h.ms, "%s 正常，响应 %.1f ms", url, h.ms);
}

struct app_counters {
	double requests, errors, p99_s;
};

/* Add the le bucket count to the running sums (distinct le values are few). */
#define MAX_LE 32
struct le_sum {
	double le[MAX_LE], cum[MAX_LE];
	int n;
};

static void le_add(struct le_sum *s, double le, double v)
{
	for (int i = 0; i < s->n; i++)
		if (s->le[i] == le) {
			s->cum[i] += v;
			return;
		}
	if (s->n < MAX_LE) {
		s->le[s->n] = le;
		s->cum[s->n++] = v;
	}
}

typedef int (*slow_fn)(const char *method, const char *pattern);

static void scrape_line(const char *line, struct app_counters *c, struct le_sum *s, slow_fn slow)
{
	const char *sp = strrchr(line, ' ');
	if (!sp)
		return;
	double v = atof(sp + 1);
	if (strncmp(line, "gonggai_http_requests_total{", 28) == 0) {
		const char *st = strstr(line, "status=\"");
		c->requests += v;
		if (st && st[8] == '5')
			c->errors += v;
	} else if (strncmp(line, "gonggai_http_request_duration_seconds_bucket{", 45) == 0) {
		const char *le = strstr(line, "le=\"");
		char method[16] = "", route[128] = "";
		sscanf(line + 45, "method=\"%15[^\"]\",route=\"%127[^\"]\"", method, route);
		if (le && !(slow && slow(method, route)))
			le_add(s, strncmp(le + 4, "+Inf", 4) == 0 ? INFINITY : atof(le + 4), v);
	}
}

/* Totals and p99 from the Prometheus text of /metrics. */
static void scrape(const char *text, struct app_counters *c, slow_fn slow)
{
	struct le_sum s = {.n = 0};
	memset(c, 0, sizeof *c);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
		scrape_line(line, c, &s, slow);
		p += len + (nl != NULL);
	}
	double total = 0;
	for (int i = 0; i < s.n; i++)
		if (isinf(s.le[i]))
			total = s.cum[i];
	double best = INFINITY;
	for (int i = 0; i < s.n && total > 0; i++)
		if (s.cum[i] * 100 >= total * 99 && s.le[i] < best)
			best = s.le[i];
	c->p99_s = isinf(best) ? (total > 0 ? 10 : 0) : best;
}

/* Counters of the running server; -1 with r set to UNKNOWN when unreadable. */
static int counters(struct ops_env *env, struct ops_result *r, struct app_counters *c)
{
	if (env->host) {
		env->host->counters(env->host, &c->requests, &c->errors, &c->p99_s);
		return 0;
	}
	const char *base = base_url(env);
	if (!base) {
		probe_status(r, OPS_UNKNOWN, "服务未运行，无法读取其计数器");
		return -1;
	}
	char url[300];
	struct ops_http h;
	snprintf(url, sizeof url, "%s/metrics", base);
	ops_http_get(url, env->cf->probe_timeout_ms, env->cf->ca_file, 1, &h);
	if (!h.reached || h.status != 200 || !h.body) {
		probe_status(r, OPS_UNKNOWN, "无法读取 %s (HTTP %ld %s)：检查 [server] metrics_allow", url,
			     h.status, h.error);
		free(h.body);
		return -1;
	}
	scrape(h.body, c, env->slow_route);
	free(h.body);
	return 0;
}

void probe_app_errors(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	struct app_counters c;
	if (counters(env, r, &c))
		return;
	double pct = c.requests > 0 ? 100.0 * c.errors / c.requests : 0;
	probe_value(env, d, r, pct, "自启动以来 %.0f 次请求，5xx %.0f 次 (%.2f%%)", c.requests, c.errors, pct);
}

void probe_app_p99(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	struct app_counters c;
	if (counters(env, r, &c))
		return;
	probe_value(env, d, r, c.p99_s * 1e3, "自启动以来 99%% 的请求在 %.0f ms 内完成（%.0f 次请求，"
		    "不含登录和改密码：口令散列按设计需 0.2–2 秒）", c.p99_s * 1e3, c.requests);
}

static int proc_threads(int pid)
{
	char path[64], line[128];
	int n = -1;
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

void probe_app_threads(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	int pid = env->host ? (int)getpid() : env->srv.running ? env->srv.pid : 0;
	int want = env->host ? env->host->threads : env->srv.threads;
	if (!pid) {
		probe_status(r, OPS_UNKNOWN, "服务未运行");
		return;
	}
	int n = proc_threads(pid);
	if (n < 0) {
		probe_status(r, OPS_UNKNOWN, "无法读取进程 %d 的线程数", pid);
		return;
	}
	/* the HTTP pool, the main thread and the scheduler */
	if (isnan(r->crit))
		r->crit = want + 1;
	probe_value(env, d, r, n, "服务进程 %d 共 %d 个线程（HTTP 工作线程配置 %d 个，另有主线程和调度器）",
		    pid, n, want);
}

void probe_app_scheduler(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	int64_t at;
	int pid;
	struct err e;
	if (store_ops_heartbeat_get(env->st, "scheduler", &at, &pid, &e)) {
		probe_status(r, OPS_UNKNOWN, "无法读取调度器心跳：%s", e.msg);
		return;
	}
	if (!at) {
		probe_status(r, OPS_CRIT, "调度器从未运行：请用 gonggai serve 启动服务");
		return;
	}
	char when[20];
	double age = (double)(env->now - at);
	probe_value(env, d, r, age < 0 ? 0 : age, "调度器（进程 %d）上次心跳 %s，%.0f 秒前%s", pid,
		    clock_cn_datetime(at, when), age, env->host || env->srv.running ? "" : "；服务未运行");
}

/* The State Council's notice for next year normally comes out in mid
** November: missing after that is a warning, from 15 December critical
** (month * 100 + day). */
#define CAL_NOTICE_DUE 1115
#define CAL_NOTICE_LATE 1215

void probe_calendar(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	char today[11];
	int y, m, day;
	clock_cn_date(env->now, today);
	sscanf(today, "%d-%d-%d", &y, &m, &day);
	struct cal *cal;
	struct err e;
	if (cal_build_store(env->st, &cal, &e)) {
		probe_status(r, OPS_UNKNOWN, "无法构建工作日历：%s", e.msg);
		return;
	}
	int cur = cal_year_source(cal, y), next = cal_year_source(cal, y + 1);
	cal_free(cal);
	r->has_value = 1;
	r->value = next != CAL_SRC_NONE;
	int md = m * 100 + day;
	static const char where[] = "系统管理 → 工作日历 导入（系统管理员），或 gonggai cal import --db PATH FILE";
	if (cur == CAL_SRC_NONE)
		probe_status(r, OPS_CRIT, "本年度 %d 没有官方节假日安排，所有期限按周一至周五计算：请立即导入（%s）",
			     y, where);
	else if (next != CAL_SRC_NONE)
		probe_status(r, OPS_OK, "%d 年节假日安排已加载（%s）", y + 1, cal_source_name(next));
	else if (md < CAL_NOTICE_DUE)
		probe_status(r, OPS_OK, "%d 年节假日安排尚未加载；国务院通知一般在 11 月中旬发布", y + 1);
	else
		probe_status(r, md >= CAL_NOTICE_LATE ? OPS_CRIT : OPS_WARN,
			     "%d 年节假日安排尚未加载%s：通知发布后请导入（%s），否则跨年期限按周一至周五计算", y + 1,
			     md >= CAL_NOTICE_LATE ? "，已过 12 月 15 日" : "", where);
}
