/*
** backup.c: the online backup and its retention (see backup.h). Restore,
** verification and the drill are in restore.c.
** The copy itself is the store's (store_backup_to).
*/
#include "ops/backup.h"
#include "base/clock.h"
#include "base/json.h"
#include "org/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


int ops_sha256_file(const char *path, char hex[65], struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_NOTFOUND, "file", "无法读取 %s: %s", path, strerror(errno));
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];
	size_t cap = 1 << 20;
	unsigned char *buf = malloc(cap);
	ssize_t n = 0;
	crypto_hash_sha256_init(&h);
	while (buf && (n = read(fd, buf, cap)) > 0)
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
	close(fd);
	free(buf);
	if (!buf || n < 0)
		return err_set(e, ERR_INTERNAL, "file", "cannot read %s", path);
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(hex, 65, d, sizeof d);
	return 0;
}

static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int ops_backup_copy(struct store *src, const char *dest_path, const volatile int *stop, double *copy_ms,
		    struct err *e)
{
	double t0 = clock_mono_ms();
	int rc = store_backup_to(src, dest_path, stop, e);
	if (!rc && fsync_path(dest_path) != 0)
		rc = err_set(e, ERR_INTERNAL, "backup", "fsync %s: %s", dest_path, strerror(errno));
	*copy_ms = clock_mono_ms() - t0;
	return rc;
}

/* integrity_check that a stopping server can interrupt (stop may be NULL). */
static int integrity(const char *path, const volatile int *stop, char *first, size_t cap, double *ms)
{
	struct store *c;
	struct err e;
	int problems = 0;
	double t0 = clock_mono_ms();
	if (store_open(path, STORE_READONLY, &c, &e)) {
		snprintf(first, cap, "%s", e.msg);
		*ms = clock_mono_ms() - t0;
		return -1;
	}
	if (stop)
		store_interrupt_on(c, stop);
	store_ops_check(c, 1, first, cap, &problems, &e);
	store_close(c);
	*ms = clock_mono_ms() - t0;
	return problems || strcmp(first, "ok") != 0 ? -1 : 0;
}

int ops_integrity_file(const char *path, char *first, size_t cap, double *ms)
{
	return integrity(path, NULL, first, cap, ms);
}

static int write_sidecar(const char *path, const char *hex, struct err *e)
{
	char side[600];
	const char *base = strrchr(path, '/');
	snprintf(side, sizeof side, "%s.sha256", path);
	FILE *f = fopen(side, "w");
	if (!f || fprintf(f, "%s  %s\n", hex, base ? base + 1 : path) < 0 || fclose(f) != 0)
		return err_set(e, ERR_INTERNAL, "backup", "cannot write %s", side);
	return 0;
}

/* DIR/gonggai-YYYYMMDD-HHMMSS.db, with -2, -3 ... when taken. */
static void backup_name(const char *dir, int64_t now, char *out, size_t cap)
{
	char t[20];
	struct stat sb;
	clock_cn_datetime(now, t);
	for (int i = 1; i < 100; i++) {
		char suffix[8] = "";
		if (i > 1)
			snprintf(suffix, sizeof suffix, "-%d", i);
		snprintf(out, cap, "%s/gonggai-%.4s%.2s%.2s-%.2s%.2s%.2s%s.db", dir, t, t + 5, t + 8, t + 11,
			 t + 14, t + 17, suffix);
		if (stat(out, &sb) != 0)
			return;
	}
}

int ops_mkdir(const char *dir, char *abs, size_t cap, struct err *e)
{
	char tmp[600];
	snprintf(tmp, sizeof tmp, "%s", dir);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(tmp, 0750);
			*p = '/';
		}
	if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
		return err_set(e, ERR_INTERNAL, "dir", "cannot create %s: %s", dir, strerror(errno));
	char *r = realpath(tmp, NULL);
	if (!r)
		return err_set(e, ERR_INTERNAL, "dir", "cannot resolve %s: %s", dir, strerror(errno));
	snprintf(abs, cap, "%s", r);
	free(r);
	return 0;
}

/* Copy, check, rename, hash: fills b (not yet stored). */
static int make_copy(struct store *st, const char *dir, int64_t now, const volatile int *stop,
		     struct ops_backup_rec *b, double *hash_ms, struct err *e)
{
	char part[620];
	struct stat sb;
	backup_name(dir, now, b->path, sizeof b->path);
	snprintf(part, sizeof part, "%s.part", b->path);
	if (ops_backup_copy(st, part, stop, &b->copy_ms, e)) {
		unlink(part);
		return e->code;
	}
	if (integrity(part, stop, b->integrity, sizeof b->integrity, &b->check_ms)) {
		unlink(part);
		if (stop && *stop)
			return err_set(e, ERR_INTERNAL, "backup", "备份被中断（服务停止）(interrupted)");
		return err_set(e, ERR_INTERNAL, "integrity", "备份副本未通过完整性检查，已删除：%s", b->integrity);
	}
	if (rename(part, b->path) != 0)
		return err_set(e, ERR_INTERNAL, "backup", "rename %s: %s", part, strerror(errno));
	double t0 = clock_mono_ms();
	int nfiles;
	if (ops_sha256_file(b->path, b->sha256, e) || write_sidecar(b->path, b->sha256, e) ||
	    ops_backup_files(st, b->path, &nfiles, e))
		return e->code;
	*hash_ms = clock_mono_ms() - t0;
	fsync_path(dir);
	if (stat(b->path, &sb) == 0)
		b->size_bytes = sb.st_size;
	b->created_at = now;
	return 0;
}

/* ---- retention -------------------------------------------------------------------- */

static int in_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/' && !strchr(path + n + 1, '/');
}

/* keep[i] = made in the last 24 hours, or newest of its day within the last
** `days` days, or of its month within the last `months` months (v is newest
** first). The 24 hours protect a manual backup taken before an upgrade from
** the next backup of the same day. */
static void retention_marks(const struct ops_backup_rec *v, int n, int64_t now, int days, int months, int *keep)
{
	char last_day[11] = "", last_month[8] = "";
	int ndays = 0, nmonths = 0;
	for (int i = 0; i < n; i++) {
		char day[11];
		clock_cn_date(v[i].created_at, day);
		keep[i] = now - v[i].created_at < 86400;
		if (strcmp(day, last_day) != 0) {
			snprintf(last_day, sizeof last_day, "%s", day);
			if (ndays++ < days)
				keep[i] = 1;
		}
		if (strncmp(day, last_month, 7) != 0) {
			snprintf(last_month, sizeof last_month, "%.7s", day);
			if (nmonths++ < months)
				keep[i] = 1;
		}
	}
}

static int apply_retention(struct store *st, const struct ops_conf *cf, const char *dir, int64_t now,
			   int *removed, struct err *e)
{
	struct ops_backup_rec *all;
	int n, k = 0;
	*removed = 0;
	if (store_ops_backups_present(st, &all, &n, e))
		return e->code;
	struct ops_backup_rec *v = calloc(n ? n : 1, sizeof *v);
	int *keep = calloc(n ? n : 1, sizeof *keep);
	for (int i = 0; v && keep && i < n; i++)
		if (in_dir(all[i].path, dir))
			v[k++] = all[i];
	free(all);
	if (!v || !keep) {
		free(v);
		free(keep);
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	}
	retention_marks(v, k, now, cf->backup_keep_daily, cf->backup_keep_monthly, keep);
	int rc = 0;
	for (int i = 0; i < k && !rc; i++) {
		if (keep[i])
			continue;
		char side[600];
		snprintf(side, sizeof side, "%s.sha256", v[i].path);
		unlink(v[i].path);
		unlink(side);
		rc = store_ops_backup_removed(st, v[i].id, now, "retention", e);
		(*removed)++;
	}
	free(v);
	free(keep);
	return rc;
}

/* ---- the job --------------------------------------------------------------------------- */

static int record(struct store *st, const struct ops_conf *cf, const struct principal *who, int64_t now,
		  const char *dir, struct ops_backup_out *out, struct err *e)
{
	char object[40], msg[300];
	if (store_begin(st, e))
		return e->code;
	out->rec.run_id = out->run_id;
	if (store_ops_backup_add(st, &out->rec, e) || apply_retention(st, cf, dir, now, &out->removed, e))
		goto fail;
	json_t *d = json_pack("{s:I,s:s,s:I,s:s,s:f,s:f,s:f,s:i}", "backup_id", (json_int_t)out->rec.id,
			      "path", out->rec.path, "size_bytes", (json_int_t)out->rec.size_bytes, "sha256",
			      out->rec.sha256, "copy_ms", out->rec.copy_ms, "check_ms", out->rec.check_ms,
			      "hash_ms", out->hash_ms, "removed_by_retention", out->removed);
	char *text = json_text(d);
	snprintf(msg, sizeof msg, "备份完成 %s（%.1f MB，复制 %.0f ms，完整性检查 %.0f ms）", out->rec.path,
		 out->rec.size_bytes / 1048576.0, out->rec.copy_ms, out->rec.check_ms);
	snprintf(object, sizeof object, "ops_backup:%lld", (long long)out->rec.id);
	int rc = store_ops_run_finish(st, out->run_id, "done", "OK", msg, text, now, e);
	free(text);
	if (rc)
		json_decref(d);
	else
		rc = audit_write(st, who, now, "ops.backup", object, "success", d, e);
	if (rc)
		goto fail;
	return store_commit(st, e);
fail:
	store_rollback(st);
	return e->code;
}

int ops_backup(struct store *st, const struct ops_conf *cf, const struct principal *who, int64_t now,
	       const char *dir, int64_t run_id, const volatile int *stop, struct ops_backup_out *out,
	       struct err *e)
{
	struct principal sched;
	char trigger[80], abs[512];
	memset(out, 0, sizeof *out);
	if (!who) {
		ops_scheduler_principal(&sched);
		who = &sched;
	}
	ops_trigger(who, trigger, sizeof trigger);
	if (run_id <= 0 && store_ops_run_claim(st, "backup", trigger, now, cf->lease_backup, 1, &run_id, NULL, e))
		return e->code;
	out->run_id = run_id;
	if (ops_mkdir(dir ? dir : cf->backup_dir, abs, sizeof abs, e) ||
	    make_copy(st, abs, now, stop, &out->rec, &out->hash_ms, e) ||
	    record(st, cf, who, now, abs, out, e)) {
		struct err e2;
		char object[40];
		snprintf(object, sizeof object, "ops_run:%lld", (long long)run_id);
		store_ops_run_finish(st, run_id, stop && *stop ? "interrupted" : "failed", "CRIT", e->msg, NULL, now, &e2);
		audit_write(st, who, now, "ops.backup", object, "failure", json_pack("{s:s}", "error", e->msg), &e2);
		return e->code;
	}
	return 0;
}
