/*
** restore.c: verifying a backup file, restoring it over the live database,
** and the restore drill (see backup.h).
**
** A restore never deletes anything: the database it replaces is renamed
** aside with its WAL, and the backup file itself is copied, not moved.
*/
#include "ops/backup.h"
#include "base/clock.h"
#include "base/json.h"
#include "ops/lock.h"
#include "org/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- verification ------------------------------------------------------------------- */

static void read_sidecar(const char *path, char out[65])
{
	char side[PATH_MAX + 8], line[128] = "";
	snprintf(side, sizeof side, "%s.sha256", path);
	FILE *f = fopen(side, "r");
	out[0] = 0;
	if (f && fgets(line, sizeof line, f) && strspn(line, "0123456789abcdef") >= 64)
		snprintf(out, 65, "%.64s", line);
	if (f)
		fclose(f);
}

/* The recorded checksum of abs: from the database record, else the sidecar. */
static void recorded_sha(struct store *st, const char *abs, struct ops_verify *v)
{
	struct ops_backup_rec b;
	struct err e;
	if (st && store_ops_backup_by_path(st, abs, &b, &e) == 0) {
		snprintf(v->recorded, sizeof v->recorded, "%s", b.sha256);
		snprintf(v->source, sizeof v->source, "record");
		return;
	}
	read_sidecar(abs, v->recorded);
	if (v->recorded[0])
		snprintf(v->source, sizeof v->source, "sidecar");
}

/* Checksum part only: 0 when it matches, else e names the mismatch. */
static int check_sha(struct store *st, const char *abs, struct ops_verify *v, struct err *e)
{
	char side[65];
	recorded_sha(st, abs, v);
	if (ops_sha256_file(abs, v->actual, e))
		return e->code;
	if (!v->recorded[0])
		return err_set(e, ERR_INVALID, "sha256", "%s 没有记录的 SHA-256（既无备份记录也无 .sha256 文件），"
			       "无法确认完整 (no recorded checksum)", abs);
	read_sidecar(abs, side);
	if (strcmp(v->recorded, v->actual) != 0 || (side[0] && strcmp(side, v->actual) != 0))
		return err_set(e, ERR_INVALID, "sha256", "%s 的 SHA-256 与%s记录不符：记录 %s，实际 %s "
			       "(checksum mismatch: the file changed since it was made)", abs,
			       strcmp(v->source, "record") == 0 ? "备份" : ".sha256 文件", v->recorded, v->actual);
	return 0;
}

int ops_backup_verify(struct store *st, const char *file, struct ops_verify *v, struct err *e)
{
	char abs[PATH_MAX];
	double ms;
	memset(v, 0, sizeof *v);
	if (!realpath(file, abs))
		return err_set(e, ERR_NOTFOUND, "file", "备份文件不存在: %s (%s)", file, strerror(errno));
	int rc = check_sha(st, abs, v, e);
	if (rc && strcmp(e->field, "sha256") != 0)
		return rc;   /* could not read the file */
	int bad = ops_integrity_file(abs, v->integrity, sizeof v->integrity, &ms);
	if (!rc && bad)
		err_set(e, ERR_INVALID, "integrity", "%s 未通过完整性检查：%s", abs, v->integrity);
	int nfiles, lost = !rc && !bad && ops_backup_files_check(abs, &nfiles, e);
	v->ok = !rc && !bad && !lost;
	return 0;
}

/* ---- restore ------------------------------------------------------------------------- */

static int copy_file(const char *from, const char *to, struct err *e)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	static const size_t cap = 1 << 20;
	char *buf = malloc(cap);
	ssize_t n = 0;
	while (buf && out >= 0 && (n = read(in, buf, cap)) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	int ok = buf && in >= 0 && out >= 0 && n == 0 && fsync(out) == 0;
	int err = errno;
	free(buf);
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0)
		ok = 0;
	if (!ok) {
		unlink(to);
		return err_set(e, ERR_INTERNAL, "file", "cannot copy %s to %s: %s", from, to, strerror(err));
	}
	return 0;
}

static void with_suffix(const char *path, const char *suffix, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", path, suffix);
}

/* Move db (and -wal) to db.replaced-STAMP; out gets the name ("" when no db). */
static int move_aside(const char *db, int64_t now, char *out, size_t cap, struct err *e)
{
	struct stat sb;
	char t[20], from[PATH_MAX], to[PATH_MAX];
	out[0] = 0;
	if (stat(db, &sb) != 0)
		return 0;
	clock_cn_datetime(now, t);
	snprintf(out, cap, "%s.replaced-%.4s%.2s%.2s-%.2s%.2s%.2s", db, t, t + 5, t + 8, t + 11, t + 14, t + 17);
	if (rename(db, out) != 0)
		return err_set(e, ERR_INTERNAL, "db", "cannot move %s aside: %s", db, strerror(errno));
	with_suffix(db, "-wal", from, sizeof from);
	with_suffix(out, "-wal", to, sizeof to);
	if (stat(from, &sb) == 0)
		rename(from, to);
	with_suffix(db, "-shm", from, sizeof from);
	unlink(from);
	return 0;
}

/* The restored file does not know the backup it came from: record it, so
** verification by record and retention keep working for it. */
static int adopt_backup(struct store *st, const char *file, const struct ops_restore_out *out, int64_t now,
			struct err *e)
{
	struct ops_backup_rec b;
	struct err e2;
	if (store_ops_backup_by_path(st, file, &b, &e2) == 0)
		return 0;
	struct stat sb;
	memset(&b, 0, sizeof b);
	b.run_id = out->run_id;
	b.created_at = stat(file, &sb) == 0 ? (int64_t)sb.st_mtime : now;
	b.size_bytes = out->bytes;
	snprintf(b.path, sizeof b.path, "%s", file);
	snprintf(b.sha256, sizeof b.sha256, "%s", out->sha256);
	snprintf(b.integrity, sizeof b.integrity, "ok");
	return store_ops_backup_add(st, &b, e);
}

static int record_restore(const struct ops_conf *cf, const char *file, const struct principal *who, int64_t now,
			  struct ops_restore_out *out, struct err *e)
{
	struct store *st;
	char trigger[80], object[40];
	if (store_open(cf->db_path, 0, &st, e))
		return e->code;
	out->schema_version = store_schema_version(st);
	ops_trigger(who, trigger, sizeof trigger);
	json_t *d = json_pack("{s:s,s:s,s:I,s:s,s:i}", "from", file, "sha256", out->sha256, "bytes",
			      (json_int_t)out->bytes, "aside", out->aside, "schema_version", out->schema_version);
	char *text = json_text(d);
	int rc = store_ops_runs_interrupt(st, now, "恢复前的快照中处于运行状态 (running in the restored snapshot)", e);
	if (!rc)
		rc = store_ops_run_claim(st, "restore", trigger, now, 60, 0, &out->run_id, NULL, e);
	if (!rc)
		rc = store_ops_run_finish(st, out->run_id, "done", "OK", "数据库已从备份恢复", text, now, e);
	if (!rc)
		rc = adopt_backup(st, file, out, now, e);
	snprintf(object, sizeof object, "ops_run:%lld", (long long)out->run_id);
	if (!rc)
		rc = audit_write(st, who, now, "ops.restore", object, "success", d, e);
	else
		json_decref(d);
	free(text);
	store_close(st);
	return rc;
}

static int swap_in(const struct ops_conf *cf, const char *abs, int64_t now, struct ops_restore_out *out,
		   struct err *e)
{
	char part[PATH_MAX], dir[PATH_MAX];
	with_suffix(cf->db_path, ".restore.part", part, sizeof part);
	if (copy_file(abs, part, e))
		return e->code;
	store_checkpoint_file(cf->db_path);
	if (move_aside(cf->db_path, now, out->aside, sizeof out->aside, e)) {
		unlink(part);
		return e->code;
	}
	if (rename(part, cf->db_path) != 0) {
		int err = errno;
		if (out->aside[0])
			rename(out->aside, cf->db_path);
		unlink(part);
		return err_set(e, ERR_INTERNAL, "db", "cannot put the backup in place: %s", strerror(err));
	}
	snprintf(dir, sizeof dir, "%s", cf->db_path);
	int fd = open(dirname(dir), O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

int ops_restore(const struct ops_conf *cf, const char *file, const struct principal *who, int64_t now,
		struct ops_restore_out *out, struct err *e)
{
	struct ops_lock lk;
	struct ops_verify v;
	struct store *live = NULL;
	struct err e2;
	char abs[PATH_MAX];
	memset(out, 0, sizeof *out);
	if (!realpath(file, abs))
		return err_set(e, ERR_NOTFOUND, "file", "备份文件不存在: %s (%s)", file, strerror(errno));
	if (ops_lock_exclusive(cf->db_path, &lk, e))
		return e->code;
	store_open(cf->db_path, STORE_READONLY, &live, &e2);   /* for the record; may be gone */
	int rc = ops_backup_verify(live, abs, &v, e);
	store_close(live);
	if (!rc && !v.ok)
		rc = e->code ? e->code : ERR_INVALID;
	struct stat sb;
	if (!rc) {
		snprintf(out->sha256, sizeof out->sha256, "%s", v.actual);
		out->bytes = stat(abs, &sb) == 0 ? sb.st_size : 0;
		rc = swap_in(cf, abs, now, out, e);
	}
	int nfiles;
	if (!rc)
		rc = ops_backup_files_restore(abs, cf->db_path, &nfiles, e);
	if (!rc)
		rc = record_restore(cf, abs, who, now, out, e);
	ops_lock_release(&lk);
	return rc;
}

/* ---- drill ------------------------------------------------------------------------------ */

/* Newest good backup still on disk. */
static int drill_source(struct store *st, struct ops_backup_rec *b, struct err *e)
{
	struct ops_backup_rec *v;
	int n, found = 0;
	if (store_ops_backups_present(st, &v, &n, e))
		return e->code;
	for (int i = 0; i < n && !found; i++) {
		struct stat sb;
		if (stat(v[i].path, &sb) == 0) {
			*b = v[i];
			found = 1;
		}
	}
	free(v);
	return found ? 0 : err_set(e, ERR_NOTFOUND, "backup", "没有可用于演练的备份文件 (no backup on disk)");
}

/* Row counts of the scratch copy against the live database. */
static int compare_counts(struct store *live, struct store *copy, json_t *report, struct err *e)
{
	json_t *a, *b, *tables = json_array(), *missing = json_array();
	const char *name;
	json_t *v;
	if (store_ops_table_counts(copy, &a, e) || store_ops_table_counts(live, &b, e)) {
		json_decref(tables);
		json_decref(missing);
		return e->code;
	}
	json_object_foreach(a, name, v) {
		json_t *lv = json_object_get(b, name);
		if (!lv)
			json_array_append_new(missing, json_string(name));
		json_int_t n = json_integer_value(v), l = json_integer_value(lv);
		json_array_append_new(tables, json_pack("{s:s,s:I,s:o,s:o}", "table", name, "backup", n, "live",
							lv ? json_integer(l) : json_null(), "delta",
							lv ? json_integer(l - n) : json_null()));
	}
	json_decref(a);
	json_decref(b);
	json_object_set_new(report, "tables", tables);
	json_object_set_new(report, "missing_tables", missing);
	return 0;
}

/* Restore b into a scratch file and check it; fills report, returns 1 when good. */
static int drill_check(struct store *st, const struct ops_conf *cf, const struct ops_backup_rec *b,
		       int64_t run_id, json_t *report, struct err *e)
{
	struct ops_verify v = {0};
	char dir[512], scratch[600], first[200];
	double t0 = clock_mono_ms(), check_ms;
	int sha_ok = check_sha(st, b->path, &v, e) == 0;
	json_object_set_new(report, "sha256_ok", json_boolean(sha_ok));
	if (!sha_ok || ops_mkdir(cf->tmp_dir, dir, sizeof dir, e))
		return 0;
	snprintf(scratch, sizeof scratch, "%s/drill-%lld.db", dir, (long long)run_id);
	if (copy_file(b->path, scratch, e))
		return 0;
	json_object_set_new(report, "restore_ms", json_real(clock_mono_ms() - t0));
	int good = ops_integrity_file(scratch, first, sizeof first, &check_ms) == 0;
	json_object_set_new(report, "integrity", json_string(first));
	json_object_set_new(report, "check_ms", json_real(check_ms));
	struct store *copy = NULL;
	struct audit_verdict av = {0};
	if (good && (store_open(scratch, STORE_READONLY, &copy, e) || audit_verify(copy, &av, e) ||
		     compare_counts(st, copy, report, e)))
		good = 0;
	store_close(copy);
	unlink(scratch);
	json_object_set_new(report, "audit_chain", json_pack("{s:I,s:I,s:s}", "records", (json_int_t)av.records,
							     "bad_id", (json_int_t)av.bad_id, "reason", av.reason));
	if (good && av.bad_id)
		good = !err_set(e, ERR_INVALID, "audit", "备份中的审计链在记录 %lld 处断裂：%s",
				(long long)av.bad_id, av.reason);
	if (good && json_array_size(json_object_get(report, "missing_tables")))
		good = !err_set(e, ERR_INVALID, "tables", "备份中的表在现库中不存在");
	if (!good && !e->msg[0])
		err_set(e, ERR_INVALID, "integrity", "恢复副本未通过完整性检查：%s", first);
	return good;
}

int ops_drill(struct store *st, const struct ops_conf *cf, const struct principal *who, int64_t now,
	      int64_t run_id, json_t **report, struct err *e)
{
	struct principal sched;
	struct ops_backup_rec b;
	char trigger[80], object[40], msg[300];
	if (!who) {
		ops_scheduler_principal(&sched);
		who = &sched;
	}
	ops_trigger(who, trigger, sizeof trigger);
	if (run_id <= 0 && store_ops_run_claim(st, "drill", trigger, now, cf->lease_backup, 1, &run_id, NULL, e))
		return e->code;
	json_t *r = json_pack("{s:I}", "run_id", (json_int_t)run_id);
	err_clear(e);
	int good = drill_source(st, &b, e) == 0;
	if (good) {
		json_object_set_new(r, "backup", json_pack("{s:s,s:I,s:s}", "path", b.path, "created_at",
							   (json_int_t)b.created_at, "sha256", b.sha256));
		good = drill_check(st, cf, &b, run_id, r, e);
	}
	json_object_set_new(r, "ok", json_boolean(good));
	if (good)
		snprintf(msg, sizeof msg, "恢复演练通过：%s 可恢复，完整性、审计链、行数核对正常", b.path);
	else
		snprintf(msg, sizeof msg, "恢复演练失败：%s", e->msg);
	json_object_set_new(r, "message", json_string(msg));
	char *text = json_text(r);
	struct err e2;
	snprintf(object, sizeof object, "ops_run:%lld", (long long)run_id);
	int rc = store_ops_run_finish(st, run_id, good ? "done" : "failed", good ? "OK" : "CRIT", msg, text, now, &e2);
	free(text);
	if (!rc)
		rc = audit_write(st, who, now, "ops.drill", object, good ? "success" : "failure",
				 json_pack("{s:b,s:s}", "ok", good, "message", msg), &e2);
	if (rc) {
		json_decref(r);
		*e = e2;
		return e->code;
	}
	*report = r;
	return good ? 0 : (e->code ? e->code : ERR_INVALID);
}
