/*
** probe_host.c: the server itself (服务器巡检): load per core, available
** memory, disk use of the data and log filesystems, uptime, file
** descriptors of the server process, and the clock (NTP offset or the
** kernel's synchronisation state). Linux /proc and statvfs only.
*/
#include "ops/probe.h"

#include <dirent.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/timex.h>
#include <unistd.h>

void probe_load(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	double l1, l5, l15;
	FILE *f = fopen("/proc/loadavg", "r");
	int ok = f && fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) == 3;
	if (f)
		fclose(f);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (!ok || cores < 1) {
		probe_status(r, OPS_UNKNOWN, "无法读取 /proc/loadavg");
		return;
	}
	probe_value(env, d, r, l5 / cores, "5 分钟平均负载 %.2f，%ld 核，每核 %.2f（1/5/15 分钟：%.2f %.2f %.2f）",
		    l5, cores, l5 / cores, l1, l5, l15);
}

void probe_memory(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	char line[256];
	long long total = 0, avail = -1;
	FILE *f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof line, f)) {
		sscanf(line, "MemTotal: %lld kB", &total);
		sscanf(line, "MemAvailable: %lld kB", &avail);
	}
	if (f)
		fclose(f);
	if (total <= 0 || avail < 0) {
		probe_status(r, OPS_UNKNOWN, "无法读取 /proc/meminfo");
		return;
	}
	double pct = 100.0 * avail / total;
	probe_value(env, d, r, pct, "可用内存 %.0f MB / 共 %.0f MB（%.1f%%）", avail / 1024.0,
		    total / 1024.0, pct);
}

static void disk(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r,
		 const char *dir, const char *what)
{
	struct statvfs sv;
	if (statvfs(dir, &sv) != 0 || sv.f_blocks == 0) {
		probe_status(r, OPS_UNKNOWN, "无法读取 %s 所在文件系统", dir);
		return;
	}
	/* as df: used / (used + available to unprivileged users) */
	double used = (double)(sv.f_blocks - sv.f_bfree) * sv.f_frsize;
	double avail = (double)sv.f_bavail * sv.f_frsize;
	double pct = used + avail > 0 ? 100.0 * used / (used + avail) : 0;
	probe_value(env, d, r, pct, "%s %s：已用 %.1f%%，剩余 %.1f GB", what, dir,
		    pct, avail / 1e9);
}

static void dir_of(const char *path, char *out, size_t cap)
{
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s", path);
	char *abs = realpath(dirname(tmp), NULL);
	snprintf(out, cap, "%s", abs ? abs : tmp);
	free(abs);
}

void probe_disk_data(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	char dir[512];
	dir_of(env->cf->db_path, dir, sizeof dir);
	disk(env, d, r, dir, "数据目录");
}

void probe_disk_log(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	char dir[512];
	dir_of(env->cf->log_file[0] ? env->cf->log_file : env->cf->db_path, dir, sizeof dir);
	disk(env, d, r, dir, env->cf->log_file[0] ? "日志目录" : "日志目录（未配置日志文件，按数据目录）");
}

void probe_uptime(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	double up;
	FILE *f = fopen("/proc/uptime", "r");
	int ok = f && fscanf(f, "%lf", &up) == 1;
	if (f)
		fclose(f);
	if (!ok) {
		probe_status(r, OPS_UNKNOWN, "无法读取 /proc/uptime");
		return;
	}
	long days = (long)(up / 86400), hours = (long)fmod(up / 3600, 24);
	probe_value(env, d, r, up / 3600, "已运行 %ld 天 %ld 小时%s", days, hours,
		    up < 3600 ? "，近期重启过" : "");
}

/* Open descriptors and the soft limit of pid; -1 when unreadable. */
static int fd_usage(int pid, long *open_fds, long *limit)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/fd", pid);
	DIR *dir = opendir(path);
	if (!dir)
		return -1;
	*open_fds = 0;
	for (struct dirent *de; (de = readdir(dir));)
		if (de->d_name[0] != '.')
			(*open_fds)++;
	closedir(dir);
	snprintf(path, sizeof path, "/proc/%d/limits", pid);
	FILE *f = fopen(path, "r");
	*limit = 0;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "Max open files", 14) == 0)
			*limit = atol(line + 14);
	if (f)
		fclose(f);
	return *limit > 0 ? 0 : -1;
}

void probe_fds(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	int pid = env->host ? (int)getpid() : env->srv.running ? env->srv.pid : 0;
	long n, limit;
	if (!pid) {
		probe_status(r, OPS_UNKNOWN, "服务未运行，无法统计服务进程的文件描述符");
		return;
	}
	if (fd_usage(pid, &n, &limit)) {
		probe_status(r, OPS_UNKNOWN, "无法读取进程 %d 的文件描述符", pid);
		return;
	}
	double pct = 100.0 * n / limit;
	probe_value(env, d, r, pct, "服务进程 %d 打开 %ld 个，上限 %ld（%.1f%%）", pid, n, limit, pct);
}

static void clock_kernel(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	struct timex tx = {0};
	int state = adjtimex(&tx);
	if (state < 0) {
		probe_status(r, OPS_UNKNOWN, "adjtimex 失败，无法读取时钟同步状态");
		return;
	}
	double off = fabs((double)tx.offset) / ((tx.status & STA_NANO) ? 1e6 : 1e3);
	double err_ms = tx.esterror / 1e3;
	if ((tx.status & STA_UNSYNC) || state == TIME_ERROR) {
		/* unsynchronised: the offset is not known, only its bound */
		r->has_value = 1;
		r->value = err_ms;
		probe_status(r, OPS_WARN, "系统时钟未与 NTP 同步，偏差未知，可能达 %.0f ms（内核估计误差）；请配置 "
			     "chrony/ntpd 或 [inspect] ntp_server", err_ms);
		return;
	}
	probe_value(env, d, r, off, "时钟已同步，偏差 %.1f ms（内核估计误差 ±%.1f ms）", off, err_ms);
}

void probe_clock(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	if (!env->cf->ntp_server[0]) {
		clock_kernel(env, d, r);
		return;
	}
	double off;
	int timed_out;
	char msg[200];
	if (ops_ntp_offset(env->cf->ntp_server, env->cf->probe_timeout_ms, &off, &timed_out, msg, sizeof msg)) {
		probe_status(r, timed_out ? OPS_CRIT : OPS_UNKNOWN, "NTP 查询失败：%s", msg);
		return;
	}
	probe_value(env, d, r, fabs(off), "本机时钟比 %s %s %.1f ms", env->cf->ntp_server,
		    off >= 0 ? "快" : "慢", fabs(off));
}
