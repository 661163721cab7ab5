/*
** test_ops_backup.c: backups and what surrounds them: backup then verify,
** a corrupted copy named by sha256 or integrity, restore giving back exactly
** the data of the backup (the replaced file kept aside), the lock that stops
** a restore under a running server, retention over days and months, the
** drill, log rotation and cleanup (dry run first), and the report data
** (merged rows, how a failure ended).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "ops/backup.h"
#include "ops/cleanup.h"
#include "ops/lock.h"
#include "ops/report.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

static char dir[64];
static char db[128];
static struct ops_conf CF;
static struct principal CLI;

static int setup(void **state)
{
	struct store *st;
	struct err e;
	snprintf(dir, sizeof dir, "/tmp/h-ops-unit-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	if (store_open(db, STORE_CREATE, &st, &e))
		return -1;
	store_close(st);
	rbac_cli_principal(&CLI);
	return ops_conf_load(NULL, db, &CF, &e);
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

static int64_t count(struct store *st, const char *table)
{
	json_t *c;
	struct err e;
	assert_int_equal(store_ops_table_counts(st, &c, &e), 0);
	int64_t n = json_integer_value(json_object_get(c, table));
	json_decref(c);
	return n;
}

static void flip_byte(const char *path, off_t at)
{
	int fd = open(path, O_RDWR);
	unsigned char b;
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, at), 1);
	b ^= 0x5a;
	assert_int_equal(pwrite(fd, &b, 1, at), 1);
	close(fd);
}

static void test_backup_verify_corrupt(void **state)
{
	struct store *st;
	struct err e = {0};
	struct ops_backup_out out;
	struct ops_verify v;
	char copy[600], cmd[1400];
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	assert_int_equal(ops_backup(st, &CF, &CLI, clock_now(NULL), NULL, 0, NULL, &out, &e), 0);
	assert_string_equal(out.rec.integrity, "ok");
	assert_true(exists(out.rec.path));
	assert_int_equal(strlen(out.rec.sha256), 64);
	assert_int_equal(ops_backup_verify(st, out.rec.path, &v, &e), 0);
	assert_true(v.ok);
	assert_string_equal(v.source, "record");
	/* without the database the sidecar answers */
	assert_int_equal(ops_backup_verify(NULL, out.rec.path, &v, &e), 0);
	assert_true(v.ok);
	assert_string_equal(v.source, "sidecar");
	/* one flipped byte: the checksum says so, naming the field */
	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s' && cp '%s.sha256' '%s.sha256'", out.rec.path, copy, out.rec.path, copy);
	assert_int_equal(system(cmd), 0);
	flip_byte(copy, 4096 * 3 + 100);
	err_clear(&e);
	assert_int_equal(ops_backup_verify(NULL, copy, &v, &e), 0);
	assert_false(v.ok);
	assert_string_equal(e.field, "sha256");
	/* damaged before it was hashed (sidecar matches): integrity_check catches it */
	int fd = open(copy, O_RDWR);
	char zeros[4096] = {0};
	assert_int_equal(pwrite(fd, zeros, sizeof zeros, 4096), 4096);
	close(fd);
	char hex[65], side[640];
	assert_int_equal(ops_sha256_file(copy, hex, &e), 0);
	snprintf(side, sizeof side, "%s.sha256", copy);
	FILE *f = fopen(side, "w");
	fprintf(f, "%s  copy.db\n", hex);
	fclose(f);
	err_clear(&e);
	assert_int_equal(ops_backup_verify(NULL, copy, &v, &e), 0);
	assert_false(v.ok);
	assert_string_equal(e.field, "integrity");
	/* no checksum anywhere: refused, not trusted */
	unlink(side);
	assert_int_equal(ops_backup_verify(NULL, copy, &v, &e), 0);
	assert_false(v.ok);
	assert_string_equal(e.field, "sha256");
	store_close(st);
}

static void test_restore_round_trip(void **state)
{
	struct store *st;
	struct err e = {0};
	struct ops_backup_out out;
	struct ops_restore_out ro;
	struct ops_lock lk;
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	assert_int_equal(store_exec(st, "INSERT INTO districts(code, name, level, updated_at) "
				    "VALUES ('999991', '备份前', 3, 0)", &e), 0);
	assert_int_equal(ops_backup(st, &CF, &CLI, clock_now(NULL), NULL, 0, NULL, &out, &e), 0);
	int64_t districts = count(st, "districts");
	assert_int_equal(store_exec(st, "INSERT INTO districts(code, name, level, updated_at) "
				    "VALUES ('999992', '备份后', 3, 0)", &e), 0);
	assert_int_equal(count(st, "districts"), districts + 1);
	store_close(st);
	/* a server holds the database: refused, naming it */
	struct ops_server srv = {.url = "http://127.0.0.1:9"};
	assert_int_equal(ops_lock_shared(db, &lk, &e), 0);
	assert_int_equal(ops_lock_publish(&lk, &srv, &e), 0);
	assert_int_equal(ops_restore(&CF, out.rec.path, &CLI, clock_now(NULL), &ro, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "pid"));
	/* and a server cannot start during a restore */
	struct ops_lock ex, sh;
	ops_lock_release(&lk);
	assert_int_equal(ops_lock_exclusive(db, &ex, &e), 0);
	assert_int_equal(ops_lock_shared(db, &sh, &e), ERR_CONFLICT);
	ops_lock_release(&ex);
	/* restore: the data of the backup, the replaced file kept aside */
	assert_int_equal(ops_restore(&CF, out.rec.path, &CLI, clock_now(NULL), &ro, &e), 0);
	assert_true(exists(ro.aside));
	assert_string_equal(ro.sha256, out.rec.sha256);
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	assert_int_equal(count(st, "districts"), districts);
	struct ops_backup_rec b;
	assert_int_equal(store_ops_backup_by_path(st, out.rec.path, &b, &e), 0);   /* adopted */
	json_t *runs;
	int64_t total;
	struct page pg = {1, 50};
	assert_int_equal(store_ops_run_list(st, "restore", &pg, &runs, &total, &e), 0);
	assert_int_equal(total, 1);
	json_decref(runs);
	assert_int_equal(store_ops_run_list(st, "backup", &pg, &runs, &total, &e), 0);
	/* the backup's own run was 'running' inside its snapshot: closed by the restore */
	assert_string_equal(json_string_value(json_object_get(json_array_get(runs, 0), "state")), "interrupted");
	json_decref(runs);
	store_close(st);
	struct store *aside;
	assert_int_equal(store_open(ro.aside, STORE_READONLY, &aside, &e), 0);
	assert_int_equal(count(aside, "districts"), districts + 1);
	store_close(aside);
}

static void test_drill(void **state)
{
	struct store *st;
	struct err e = {0};
	json_t *r = NULL;
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	assert_int_equal(ops_drill(st, &CF, &CLI, clock_now(NULL), 0, &r, &e), 0);
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_string_equal(json_string_value(json_object_get(r, "integrity")), "ok");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "audit_chain"), "bad_id")), 0);
	assert_true(json_array_size(json_object_get(r, "tables")) > 5);
	json_decref(r);
	store_close(st);
}

static void test_retention(void **state)
{
	char dirs[200], d[11];
	struct ops_conf cf = CF;
	struct store *st;
	struct err e = {0};
	struct ops_backup_out out[10];
	snprintf(cf.backup_dir, sizeof cf.backup_dir, "%s/retention", dir);
	cf.backup_keep_daily = 3;
	cf.backup_keep_monthly = 2;
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	int64_t t0 = clock_cn_midnight("2026-10-28") + 2 * 3600;
	for (int i = 0; i < 10; i++)   /* 10-28 .. 11-06, 02:00 */
		assert_int_equal(ops_backup(st, &cf, NULL, t0 + i * 86400, NULL, 0, NULL, &out[i], &e), 0);
	/* kept: 11-06 11-05 11-04 (daily), 10-31 (newest of October) */
	for (int i = 0; i < 10; i++) {
		clock_cn_date(out[i].rec.created_at, d);
		int keep = i >= 7 || i == 3;
		if (keep != exists(out[i].rec.path))
			fail_msg("%s: kept %d, exists %d", d, keep, exists(out[i].rec.path));
	}
	snprintf(dirs, sizeof dirs, "%s.sha256", out[0].rec.path);
	assert_false(exists(dirs));
	store_close(st);
}

static void touch_old(const char *path, size_t bytes, int64_t age)
{
	FILE *f = fopen(path, "w");
	for (size_t i = 0; i < bytes; i++)
		fputc('x', f);
	fclose(f);
	struct timeval tv[2] = {{time(NULL) - age, 0}, {time(NULL) - age, 0}};
	utimes(path, tv);
}

static void test_cleanup(void **state)
{
	struct ops_conf cf = CF;
	struct store *st;
	struct err e = {0};
	json_t *r;
	char p[5][300];
	snprintf(cf.log_file, sizeof cf.log_file, "%s/gonggai.log", dir);
	cf.log_rotate_bytes = 1000;
	mkdir(cf.tmp_dir, 0750);
	snprintf(p[0], 300, "%s.20250101-000000", cf.log_file);   /* rotated, 200 days old */
	snprintf(p[1], 300, "%s.20261101-000000", cf.log_file);   /* rotated, recent       */
	snprintf(p[2], 300, "%s/old-report.xlsx", cf.tmp_dir);    /* 2 days old            */
	snprintf(p[3], 300, "%s/fresh.tmp", cf.tmp_dir);
	snprintf(p[4], 300, "%s/gonggai-x.db.part", cf.backup_dir);
	touch_old(p[0], 500, 200 * 86400);
	touch_old(p[1], 500, 3 * 86400);
	touch_old(p[2], 700, 2 * 86400);
	touch_old(p[3], 10, 0);
	touch_old(p[4], 300, 3 * 86400);
	touch_old(cf.log_file, 1500, 0);
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	assert_int_equal(ops_cleanup(st, &cf, &CLI, clock_now(NULL), 1, 0, &r, &e), 0);
	assert_int_equal(json_array_size(json_object_get(r, "removed")), 3);
	assert_int_equal(json_integer_value(json_object_get(r, "freed_bytes")), 1500);
	assert_true(json_is_object(json_object_get(r, "rotated")));
	json_decref(r);
	for (int i = 0; i < 5; i++)
		assert_true(exists(p[i]));   /* dry run: nothing gone */
	int64_t audit_before = count(st, "audit_log");
	assert_int_equal(ops_cleanup(st, &cf, &CLI, clock_now(NULL), 0, 0, &r, &e), 0);
	assert_false(exists(p[0]));
	assert_true(exists(p[1]));
	assert_false(exists(p[2]));
	assert_true(exists(p[3]));
	assert_false(exists(p[4]));
	const char *to = json_string_value(json_object_get(json_object_get(r, "rotated"), "to"));
	struct stat sb;
	assert_int_equal(stat(to, &sb), 0);
	assert_int_equal(sb.st_size, 1500);
	assert_int_equal(stat(cf.log_file, &sb), 0);
	assert_int_equal(sb.st_size, 0);   /* truncated in place */
	json_decref(r);
	assert_int_equal(count(st, "audit_log"), audit_before + 1);   /* only its own row added */
	store_close(st);
}

static void add(struct store *st, int64_t run, int64_t at, const char *item, int status)
{
	struct ops_result r = {.status = status, .has_value = 1, .value = 1, .warn = 1, .crit = 2};
	int changed;
	struct err e;
	snprintf(r.item, sizeof r.item, "%s", item);
	snprintf(r.unit, sizeof r.unit, "ms");
	snprintf(r.message, sizeof r.message, "msg");
	assert_int_equal(store_ops_result_add(st, run, at, &r, &changed, &e), 0);
}

static void test_report(void **state)
{
	struct store *st;
	struct err e = {0};
	struct ops_period p;
	json_t *d;
	int64_t run, t = clock_cn_midnight("2026-11-20") + 8 * 3600;
	assert_int_equal(ops_period_parse("2026-11-20", NULL, &p, &e), 0);
	assert_int_equal(ops_period_parse("2026-11-20", "2026-11", &p, &e), ERR_INVALID);
	assert_int_equal(ops_period_parse(NULL, "2026-13", &p, &e), ERR_INVALID);
	assert_int_equal(ops_period_parse(NULL, "2026-11", &p, &e), 0);
	assert_int_equal(p.to - p.from, 30 * 86400);
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	assert_int_equal(store_ops_run_claim(st, "inspect.net", "t", t, 60, 0, &run, NULL, &e), 0);
	add(st, run, t, "net.gw", OPS_OK);
	add(st, run, t + 300, "net.gw", OPS_OK);
	add(st, run, t + 600, "net.gw", OPS_CRIT);
	add(st, run, t + 900, "net.gw", OPS_OK);
	assert_int_equal(ops_period_parse("2026-11-20", NULL, &p, &e), 0);
	assert_int_equal(ops_report_data(st, &CF, &p, t + 1000, "cli:test", &d, &e), 0);
	json_t *rec = json_object_get(d, "records");
	assert_int_equal(json_array_size(rec), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rec, 0), "count")), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rec, 0), "time")), "08:00–08:05（2 次）");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rec, 1), "handling")),
			    "已于 11-20 08:15:00 恢复正常");
	assert_int_equal(json_array_size(json_object_get(d, "failures")), 1);
	json_t *av = json_array_get(json_object_get(d, "availability"), 0);
	assert_string_equal(json_string_value(json_object_get(av, "item")), "net.gw");
	assert_true(json_real_value(json_object_get(av, "availability")) == 75.0);
	char *body;
	size_t len;
	assert_int_equal(ops_report_html(d, &body, &len, &e), 0);
	assert_non_null(strstr(body, "@page{size:A4"));
	assert_non_null(strstr(body, "巡检记录表"));
	free(body);
	char x[200];
	snprintf(x, sizeof x, "%s/r.xlsx", dir);
	assert_int_equal(ops_report_xlsx(d, x, &e), 0);
	assert_true(exists(x));
	json_decref(d);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_verify_corrupt),
		cmocka_unit_test(test_restore_round_trip),
		cmocka_unit_test(test_drill),
		cmocka_unit_test(test_retention),
		cmocka_unit_test(test_cleanup),
		cmocka_unit_test(test_report),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
