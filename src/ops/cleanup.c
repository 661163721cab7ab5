/*
** cleanup.c: log rotation and removal of files past retention (see
** cleanup.h). Only regular files are considered, by name pattern in the
** three places cleanup owns: rotated logs next to [log] file, everything in
** [ops] tmp_dir, and *.part in [ops] backup_dir.
*/
#include "ops/cleanup.h"
#include "base/clock.h"
#include "base/json.h"
#include "org/audit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int add_file(struct ops_cleanup_plan *p, const char *path, const struct stat *sb, int kind)
{
	struct ops_cleanup_file *v = realloc(p->files, (p->n + 1) * sizeof *v);
	if (!v)
		return -1;
	p->files = v;
	struct ops_cleanup_file *f = &v[p->n++];
	snprintf(f->path, sizeof f->path, "%s", path);
	f->bytes = sb->st_size;
	f->mtime = sb->st_mtime;
	f->kind = kind;
	return 0;
}

/* Regular files of dir whose name passes keep(), older than cutoff. */
static int scan_dir(struct ops_cleanup_plan *p, const char *dir, int (*keep)(const char *name, const void *arg),
		    const void *arg, int64_t cutoff, int kind, struct err *e)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : err_set(e, ERR_INTERNAL, "dir", "cannot read %s: %s", dir, strerror(errno));
	for (struct dirent *de; (de = readdir(d));) {
		char path[600];
		struct stat sb;
		if (de->d_name[0] == '.' || !keep(de->d_name, arg))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_mtime >= cutoff)
			continue;
		if (add_file(p, path, &sb, kind)) {
			closedir(d);
			return err_set(e, ERR_INTERNAL, "", "out of memory");
		}
	}
	closedir(d);
	return 0;
}

/* "gonggai.log.20261125-080000" for base "gonggai.log" */
static int is_rotated(const char *name, const void *arg)
{
	const char *base = arg;
	size_t n = strlen(base);
	if (strncmp(name, base, n) != 0 || name[n] != '.')
		return 0;
	const char *s = name + n + 1;
	return strlen(s) == 15 && s[8] == '-' && strspn(s, "0123456789") == 8 && strspn(s + 9, "0123456789") == 6;
}

static int any_name(const char *name, const void *arg)
{
	return 1;
}

static int is_part(const char *name, const void *arg)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".part") == 0;
}

/* Time of the first line "2026-11-25T08:00:00+08:00 ..." of the log, 0 if none. */
static int64_t first_line_time(const char *path)
{
	char line[64] = "";
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char *ok = fgets(line, sizeof line, f);
	fclose(f);
	int h, m, s;
	char date[11];
	if (!ok || strlen(line) < 19 || line[10] != 'T' || sscanf(line + 11, "%2d:%2d:%2d", &h, &m, &s) != 3)
		return 0;
	snprintf(date, sizeof date, "%.10s", line);
	int64_t mid = clock_cn_midnight(date);
	return mid < 0 ? 0 : mid + h * 3600 + m * 60 + s;
}

static void plan_log(const struct ops_conf *cf, int64_t now, struct ops_cleanup_plan *p)
{
	struct stat sb;
	if (!cf->log_file[0] || stat(cf->log_file, &sb) != 0)
		return;
	p->log_bytes = sb.st_size;
	p->log_first = first_line_time(cf->log_file);
	if (sb.st_size >= cf->log_rotate_bytes) {
		p->rotate = 1;
		snprintf(p->rotate_why, sizeof p->rotate_why, "大小 %.1f MB ≥ %lld MB", sb.st_size / 1048576.0,
			 (long long)(cf->log_rotate_bytes / 1048576));
	} else if (sb.st_size > 0 && p->log_first && now - p->log_first >= (int64_t)cf->log_rotate_days * 86400) {
		p->rotate = 1;
		snprintf(p->rotate_why, sizeof p->rotate_why, "最早一行已超过 %d 天", cf->log_rotate_days);
	}
}

int ops_cleanup_scan(const struct ops_conf *cf, int64_t now, struct ops_cleanup_plan *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	plan_log(cf, now, p);
	int64_t tmp_cut = now - (int64_t)cf->tmp_keep_hours * 3600;
	if (cf->log_file[0]) {
		char a[512], b[512];
		snprintf(a, sizeof a, "%s", cf->log_file);
		snprintf(b, sizeof b, "%s", cf->log_file);
		if (scan_dir(p, dirname(a), is_rotated, basename(b), now - (int64_t)cf->log_keep_days * 86400,
			     CLEAN_LOG, e))
			goto fail;
	}
	if (scan_dir(p, cf->tmp_dir, any_name, NULL, tmp_cut, CLEAN_TMP, e) ||
	    scan_dir(p, cf->backup_dir, is_part, NULL, tmp_cut, CLEAN_PART, e))
		goto fail;
	return 0;
fail:
	ops_cleanup_plan_free(p);
	return e->code;
}

void ops_cleanup_plan_free(struct ops_cleanup_plan *p)
{
	free(p->files);
	p->files = NULL;
	p->n = 0;
}

/* Copy the log to FILE.YYYYMMDD-HHMMSS, then truncate it in place. */
static int rotate(const struct ops_conf *cf, int64_t now, char *to, size_t cap, struct err *e)
{
	char stamp[20];
	clock_cn_datetime(now, stamp);
	snprintf(to, cap, "%s.%.4s%.2s%.2s-%.2s%.2s%.2s", cf->log_file, stamp, stamp + 5, stamp + 8,
		 stamp + 11, stamp + 14, stamp + 17);
	int in = open(cf->log_file, O_RDWR | O_CLOEXEC);
	int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	char buf[65536];
	ssize_t n = 0;
	while (out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	int ok = in >= 0 && out >= 0 && n == 0 && fsync(out) == 0 && ftruncate(in, 0) == 0;
	int err = errno;
	if (out >= 0)
		close(out);
	if (in >= 0)
		close(in);
	if (!ok) {
		if (out >= 0)
			unlink(to);
		return err_set(e, ERR_INTERNAL, "log", "cannot rotate %s: %s", cf->log_file, strerror(err));
	}
	return 0;
}

static const char *kind_name(int kind)
{
	return kind == CLEAN_LOG ? "log" : kind == CLEAN_TMP ? "tmp" : "part";
}

/* Apply the plan into report; failures to remove one file are reported, not fatal. */
static int apply(const struct ops_conf *cf, int64_t now, int dry_run, struct ops_cleanup_plan *p,
		 json_t *report, struct err *e)
{
	json_t *removed = json_array();
	int64_t freed = 0;
	json_object_set_new(report, "removed", removed);
	if (p->rotate) {
		char to[600] = "";
		if (!dry_run && rotate(cf, now, to, sizeof to, e))
			return e->code;
		json_object_set_new(report, "rotated", json_pack("{s:s,s:s,s:I,s:s}", "from", cf->log_file, "to",
								 dry_run ? "" : to, "bytes", (json_int_t)p->log_bytes,
								 "why", p->rotate_why));
	}
	for (int i = 0; i < p->n; i++) {
		const struct ops_cleanup_file *f = &p->files[i];
		int ok = dry_run || unlink(f->path) == 0 || errno == ENOENT;
		json_array_append_new(removed, json_pack("{s:s,s:I,s:s,s:b}", "path", f->path, "bytes",
							 (json_int_t)f->bytes, "kind", kind_name(f->kind),
							 "ok", ok));
		if (ok)
			freed += f->bytes;
	}
	json_object_set_new(report, "freed_bytes", json_integer(freed));
	return 0;
}

static int finish(struct store *st, const struct principal *who, int64_t now, int64_t run_id,
		  json_t *report, struct err *e)
{
	char msg[200], object[40], *text = json_text(report);
	snprintf(msg, sizeof msg, "%s删除 %zu 个文件，释放 %.1f MB%s",
		 json_is_true(json_object_get(report, "dry_run")) ? "（演习）将" : "",
		 json_array_size(json_object_get(report, "removed")),
		 json_integer_value(json_object_get(report, "freed_bytes")) / 1048576.0,
		 json_is_object(json_object_get(report, "rotated")) ? "，轮转应用日志" : "");
	snprintf(object, sizeof object, "ops_run:%lld", (long long)run_id);
	if (store_begin(st, e)) {
		free(text);
		return e->code;
	}
	int rc = store_ops_run_finish(st, run_id, "done", "OK", msg, text, now, e);
	if (!rc)
		rc = audit_write(st, who, now, "ops.cleanup", object, "success",
				 json_pack("{s:b,s:O,s:O}", "dry_run", json_is_true(json_object_get(report, "dry_run")),
					   "freed_bytes", json_object_get(report, "freed_bytes"),
					   "files", json_object_get(report, "removed")), e);
	free(text);
	if (rc) {
		store_rollback(st);
		return e->code;
	}
	return store_commit(st, e);
}

int ops_cleanup(struct store *st, const struct ops_conf *cf, const struct principal *who, int64_t now,
		int dry_run, int64_t run_id, json_t **report, struct err *e)
{
	struct principal sched;
	char trigger[80];
	struct ops_cleanup_plan p;
	if (!who) {
		ops_scheduler_principal(&sched);
		who = &sched;
	}
	ops_trigger(who, trigger, sizeof trigger);
	if (run_id <= 0 && store_ops_run_claim(st, "cleanup", trigger, now, cf->lease_inspect, 1, &run_id, NULL, e))
		return e->code;
	json_t *r = json_pack("{s:I,s:b,s:n}", "run_id", (json_int_t)run_id, "dry_run", dry_run, "rotated");
	int64_t pruned = 0;
	if (ops_cleanup_scan(cf, now, &p, e))
		goto fail;
	int rc = apply(cf, now, dry_run, &p, r, e);
	ops_cleanup_plan_free(&p);
	if (rc || (!dry_run && store_ops_prune(st, now - (int64_t)cf->results_keep_days * 86400, &pruned, e)))
		goto fail;
	json_object_set_new(r, "pruned_results", json_integer(pruned));
	/* nightly: the planner's statistics follow the data (docs/architecture.md) */
	if (!dry_run && store_optimize(st, e))
		goto fail;
	if (finish(st, who, now, run_id, r, e))
		goto fail;
	*report = r;
	return 0;
fail:
	json_decref(r);
	struct err e2;
	store_ops_run_finish(st, run_id, "failed", "CRIT", e->msg, NULL, now, &e2);
	return e->code;
}
