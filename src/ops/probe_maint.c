/*
** probe_maint.c: 系统维护 — the maintenance the contract pays for (OS,
** database and antivirus updates, restore drills), checked instead of
** remembered:
**   os.updates      pending security updates from the package manager's
**                   lists, read-only (apt-get -s); UNKNOWN when it cannot tell
**   lib.versions    the libraries linked in against minimums in configuration
**   av.signatures   age of the ClamAV signatures; UNKNOWN without ClamAV
**   db.drill_age    days since the last successful restore drill
*/
#include "ops/probe.h"
#include "base/clock.h"

#include <curl/curl.h>
#include <jansson.h>
#include <liboath/oath.h>
#include <microhttpd.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <xlsxwriter.h>

#define APT_LISTS "/var/lib/apt/lists"
#define OLD_LISTS_DAYS 7

/* ---- os.updates ----------------------------------------------------------------- */

struct upgrades {
	int all, security;
	char first[160];          /* names of the first security updates */
};

/* Count the "Inst " lines of an apt-get simulation; security ones come
** from a suite whose name ends in -security. */
static void count_upgrades(FILE *f, struct upgrades *u)
{
	char line[1024];
	memset(u, 0, sizeof *u);
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "Inst ", 5) != 0)
			continue;
		u->all++;
		if (!strstr(line, "-security"))
			continue;
		u->security++;
		char name[64];
		size_t n = strlen(u->first);
		if (sscanf(line + 5, "%63s", name) != 1)
			continue;
		if (n + strlen(name) + 8 < sizeof u->first)   /* room for "、" and a closing "等" */
			snprintf(u->first + n, sizeof u->first - n, "%s%s", n ? "、" : "", name);
		else if (!strstr(u->first, "等"))
			snprintf(u->first + n, sizeof u->first - n, "等");
	}
}

void probe_os_updates(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	const char *cmd = env->cf->updates_command;
	struct upgrades u;
	if (!cmd[0]) {
		probe_status(r, OPS_UNKNOWN, "未配置检查命令（[inspect] updates_command），无法判断");
		return;
	}
	FILE *f = popen(cmd, "r");
	if (!f) {
		probe_status(r, OPS_UNKNOWN, "无法运行 %s，无法判断待装更新", cmd);
		return;
	}
	count_upgrades(f, &u);
	int status = pclose(f);
	if (status != 0) {
		probe_status(r, OPS_UNKNOWN, "%s 执行失败（退出码 %d），无法判断待装更新", cmd,
			     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return;
	}
	struct stat sb;
	char lists[80] = "";
	if (stat(APT_LISTS, &sb) == 0 && env->now - sb.st_mtime > OLD_LISTS_DAYS * 86400)
		snprintf(lists, sizeof lists, "；软件包列表已 %lld 天未更新（apt-get update），结果可能偏少",
			 (long long)((env->now - sb.st_mtime) / 86400));
	if (u.security)
		probe_value(env, d, r, u.security, "待安装安全更新 %d 个（共 %d 个可升级）：%s%s", u.security, u.all,
			    u.first, lists);
	else
		probe_value(env, d, r, 0, "没有待安装的安全更新（共 %d 个可升级）%s", u.all, lists);
}

/* ---- lib.versions --------------------------------------------------------------- */

/* Compare dotted versions numerically: <0, 0, >0. */
int ops_version_cmp(const char *a, const char *b)
{
	for (;;) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);   /* nothing left reads as 0 */
		if (x != y)
			return x < y ? -1 : 1;
		if (*ea != '.' && *eb != '.')
			return 0;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
	}
}

static const char *curl_ver(void)
{
	return curl_version_info(CURLVERSION_NOW)->version;
}

static const char *oath_ver(void)
{
	return oath_check_version(NULL);
}

static const char *xlsx_ver(void)
{
	return LXW_VERSION;
}

static const char *qr_ver(void)
{
	static char v[32];   /* written once with the same text: libqrencode allocates it */
	if (!v[0]) {
		char *s = QRcode_APIVersionString();
		snprintf(v, sizeof v, "%s", s ? s : "?");
	}
	return v;
}

static const struct {
	const char *name;
	const char *(*version)(void);
} libs[] = {
	{"sqlite", store_engine_version}, {"libmicrohttpd", MHD_get_version}, {"jansson", jansson_version_str},
	{"libsodium", sodium_version_string}, {"libcurl", curl_ver}, {"libxlsxwriter", xlsx_ver},
	{"liboath", oath_ver}, {"libqrencode", qr_ver},
};

/* The minimum for lib in "name=1.2.3,name=…", or NULL. */
static const char *minimum_of(const char *mins, const char *lib, char *buf, size_t cap)
{
	size_t n = strlen(lib);
	for (const char *p = mins; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (strncmp(p, lib, n) == 0 && p[n] == '=') {
			size_t len = strcspn(p + n + 1, ", ");
			snprintf(buf, cap, "%.*s", (int)len, p + n + 1);
			return buf;
		}
		p += strcspn(p, ",");
	}
	return NULL;
}

void probe_lib_versions(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	char seen[400] = "", low[300] = "", min[32];
	int nlow = 0;
	for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
		const char *v = libs[i].version();
		const char *want = minimum_of(env->cf->min_versions, libs[i].name, min, sizeof min);
		size_t n = strlen(seen);
		snprintf(seen + n, sizeof seen - n, "%s%s %s", n ? "，" : "", libs[i].name, v ? v : "?");
		if (want && (!v || ops_version_cmp(v, want) < 0)) {
			n = strlen(low);
			snprintf(low + n, sizeof low - n, "%s%s %s 低于要求的 %s", nlow ? "；" : "", libs[i].name,
				 v ? v : "?", want);
			nlow++;
		}
	}
	if (nlow)
		probe_value(env, d, r, nlow, "%s（[inspect] min_versions）。在用：%s", low, seen);
	else
		probe_value(env, d, r, 0, "均不低于要求的最低版本。在用：%s", seen);
}

/* ---- av.signatures ---------------------------------------------------------------- */

/* Build time from a CVD header "ClamAV-VDB:07 Dec 2026 04-30 +0000:…"; 0 when
** the file has none (a .cld being updated). */
static int64_t cvd_time(const char *path)
{
	char head[128] = "";
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(head, 1, sizeof head - 1, f);
	fclose(f);
	head[n] = 0;
	struct tm tm = {0};
	int off = 0;
	if (strncmp(head, "ClamAV-VDB:", 11) != 0 || !strptime(head + 11, "%d %b %Y %H-%M", &tm))
		return 0;
	const char *z = strstr(head + 11, " +");
	if (z)
		off = atoi(z + 2);
	return (int64_t)timegm(&tm) - (off / 100 * 3600 + off % 100 * 60);
}

void probe_av_signatures(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	static const char *const files[] = {"daily.cld", "daily.cvd"};
	const char *dir = env->cf->clamav_dir;
	int64_t newest = 0;
	struct stat sb;
	if (stat(dir, &sb) != 0) {
		probe_status(r, OPS_UNKNOWN, "未安装 ClamAV（%s 不存在），无法检查病毒库", dir);
		return;
	}
	for (size_t i = 0; i < 2; i++) {
		char path[600];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		if (stat(path, &sb) != 0)
			continue;
		int64_t t = cvd_time(path);
		if (!t)
			t = sb.st_mtime;
		if (t > newest)
			newest = t;
	}
	if (!newest) {
		probe_status(r, OPS_UNKNOWN, "%s 中没有病毒库文件 daily.cvd/daily.cld（freshclam 未运行？）", dir);
		return;
	}
	char when[20];
	double days = (env->now - newest) / 86400.0;
	probe_value(env, d, r, days, "病毒库 daily 更新于 %s（%.1f 天前）", clock_cn_datetime(newest, when), days);
}

/* ---- db.drill_age ----------------------------------------------------------------- */

void probe_db_drill_age(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	int64_t at;
	struct err e;
	char when[20];
	if (store_ops_run_last_ok(env->st, "drill", &at, &e)) {
		probe_status(r, OPS_UNKNOWN, "无法读取恢复演练记录：%s", e.msg);
		return;
	}
	if (!at) {
		int64_t created;
		if (store_ops_created_at(env->st, &created, &e) || !created)
			created = env->now;
		double days = (env->now - created) / 86400.0;
		probe_value(env, d, r, days, "从未成功进行恢复演练；数据库建于 %.1f 天前%s", days,
			    days < r->warn ? "，等待首次每周演练" : "：请执行 gonggai backup drill");
		return;
	}
	double days = (env->now - at) / 86400.0;
	probe_value(env, d, r, days, "最近一次成功的恢复演练 %s（%.1f 天前）", clock_cn_datetime(at, when), days);
}
