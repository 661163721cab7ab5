/*
** test_doc_pages.c: an issued document's page is kept in the database with
** its row (migration 0030), so no document row is ever without its bytes
** and no bytes without a row: after a rollback, after a process killed in
** the middle of a transaction that issued documents, after a case writer
** killed between its batches; the pages read back as issued (checked
** against the recorded SHA-256, a damaged one refused, reported and failing
** backup verify); a page
** kept in the file store before 0030 is still served and is the only kind
** of document a backup copies as a file.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "approval/case.h"
#include "approval/case_int.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/filestore.h"
#include "cli/cli.h"
#include "db/db.h"
#include "ops/backup.h"
#include "store/store_files.h"
#include "workday/workday.h"

static char Dir[64], Db[128];
static struct store *St;
static struct cal *Cal;
static struct case_env Env;
static struct principal Cli;

static int setup(void **state)
{
	struct err e;
	snprintf(Dir, sizeof Dir, "/tmp/test-doc-pages-XXXXXX");
	if (!mkdtemp(Dir))
		return -1;
	snprintf(Db, sizeof Db, "%s/demo.db", Dir);
	char *argv[] = {"demo", "--db", Db, "--projects", "200", "--seed", "11", NULL};
	FILE *saved = stdout;
	stdout = fopen("/dev/null", "w");
	int rc = cli_demo(7, argv);
	fclose(stdout);
	stdout = saved;
	if (rc != 0 || store_open(Db, 0, &St, &e) || cal_build_store(St, &Cal, &e))
		return -1;
	Env = (struct case_env){.cal = Cal, .dl = DEADLINE_CONF_DEFAULT, .observers = db_case_observers()};
	rbac_cli_principal(&Cli);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	cal_free(Cal);
	store_close(St);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", Dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* One number from a fresh read-only connection (what survived on disk). */
static int64_t count(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n = -1;
	sqlite3_open_v2(Db, &db, SQLITE_OPEN_READONLY, NULL);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return n;
}

#define DOCS "SELECT count(*) FROM case_documents"
#define PAGES "SELECT count(*) FROM case_document_pages"

/* No sealed document without its page, no page without its sealed
** document, every page its recorded SHA-256, no document written as a file. */
static void assert_whole(void)
{
	struct store *st;
	struct err e;
	json_t *bad;
	char files[200];
	assert_int_equal(count("SELECT count(*) FROM case_documents d WHERE d.sha256 IS NOT NULL AND NOT EXISTS "
			       "(SELECT 1 FROM case_document_pages p WHERE p.document_id = d.id)"), 0);
	assert_int_equal(count("SELECT count(*) FROM case_document_pages p WHERE NOT EXISTS (SELECT 1 FROM "
			       "case_documents d WHERE d.id = p.document_id AND d.sha256 IS NOT NULL)"), 0);
	assert_int_equal(store_open(Db, STORE_READONLY, &st, &e), 0);
	assert_int_equal(store_case_doc_pages_check(st, &bad, &e), 0);
	assert_int_equal(json_array_size(bad), 0);
	json_decref(bad);
	store_close(st);
	snprintf(files, sizeof files, "%s.files", Db);
	assert_int_not_equal(access(files, F_OK), 0);
}

/* Up to max open cases just received (refusing one issues a document). */
static int received(int64_t *ids, int max)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = 0;
	sqlite3_open_v2(Db, &db, SQLITE_OPEN_READONLY, NULL);
	sqlite3_prepare_v2(db, "SELECT id FROM cases WHERE open = 1 AND status = 1 ORDER BY id DESC", -1, &s, NULL);
	while (n < max && sqlite3_step(s) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static const struct case_input Refuse = {.action = CASE_A_REFUSE, .opinion = "申请材料不属于本机关职权范围"};

static void test_rollback_leaves_nothing(void **state)
{
	int64_t ids[2];
	struct err e;
	assert_int_equal(received(ids, 2), 2);
	int64_t docs = count(DOCS), pages = count(PAGES);
	assert_int_equal(store_begin(St, &e), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(case_act_locked(St, &Env, &Cli, clock_now(NULL), ids[i], &Refuse, &e), 0);
	store_rollback(St);
	assert_int_equal(count(DOCS), docs);
	assert_int_equal(count(PAGES), pages);
	assert_whole();
}

/* A child that dies by SIGKILL in the middle of a transaction that issued
** documents: nothing of it is there after recovery. */
static void test_crash_mid_transaction(void **state)
{
	int64_t ids[3];
	int status;
	assert_int_equal(received(ids, 3), 3);
	int64_t docs = count(DOCS), pages = count(PAGES);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *st;
		struct err e;
		if (store_open(Db, STORE_SYNC_FULL, &st, &e) || store_begin(st, &e))
			_exit(3);
		for (int i = 0; i < 3; i++)
			if (case_act_locked(st, &Env, &Cli, clock_now(NULL), ids[i], &Refuse, &e))
				_exit(4);
		raise(SIGKILL);
		_exit(5);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_int_equal(count(DOCS), docs);
	assert_int_equal(count(PAGES), pages);
	assert_whole();
}

#define NWRITE 8

struct killer {
	int fd, answered, rc[NWRITE];
	int64_t ids[NWRITE];
	struct err e[NWRITE];
};

/* The writer answered a job: tell the parent which, die at the third. */
static void answered(void *token)
{
	struct killer *k = token;
	int64_t id = -1;
	for (int i = 0; i < NWRITE; i++)
		if (k->rc[i] == 0 && k->ids[i] > 0) {
			id = k->ids[i];
			k->ids[i] = -k->ids[i];
			break;
		}
	if (id > 0 && write(k->fd, &id, sizeof id) != sizeof id)
		_exit(6);
	if (++k->answered == 3)
		raise(SIGKILL);
}

/* The server's group-commit writer killed with jobs still queued: what it
** answered is there with its pages, the rest is wholly absent. */
static void test_crash_writer(void **state)
{
	static struct killer k;
	int fds[2], status;
	int n = received(k.ids, NWRITE);
	assert_true(n >= 6);
	int64_t docs = count(DOCS), pages = count(PAGES), id;
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct case_writer *w;
		struct err e;
		close(fds[0]);
		k.fd = fds[1];
		for (int i = 0; i < n; i++)
			k.rc[i] = -1;
		if (case_writer_start(Db, STORE_SYNC_FULL, NULL, &w, &e))
			_exit(3);
		for (int i = 0; i < n; i++)
			if (case_writer_submit(w, &Env, &Cli, clock_now(NULL), k.ids[i], &Refuse, &k.rc[i], &k.e[i],
					       answered, &k))
				_exit(4);
		case_writer_stop(w);     /* the third answer kills the process first */
		_exit(5);
	}
	close(fds[1]);
	int told = 0;
	while (read(fds[0], &id, sizeof id) == sizeof id) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM case_documents d JOIN case_document_pages p ON "
			 "p.document_id = d.id WHERE d.case_id = %lld AND d.kind = 'refusal'", (long long)id);
		assert_int_equal(count(sql), 1);
		told++;
	}
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_true(told >= 1);
	int64_t issued = count(DOCS) - docs;
	assert_true(issued >= told && issued <= n);
	assert_int_equal(count(PAGES) - pages, issued);
	assert_whole();
}

/* A served page: the kept bytes with the QR marker replaced by a drawing. */
static void served(int64_t id, struct buf *out)
{
	struct err e;
	assert_int_equal(case_document(St, &Env, &Cli, clock_now(NULL), id, "refusal", out, &e), 0);
	assert_non_null(strstr(out->data, "不予受理决定书"));
	assert_non_null(strstr(out->data, "<svg"));
	assert_null(strstr(out->data, "<!--gg-qr:"));
}

static void exec_sql(const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(Db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* A page in the database whose bytes no longer match its SHA-256 is
** refused when served, reported by the check and fails a backup's verify. */
static void test_damaged_page(void **state)
{
	int64_t id, doc;
	struct err e;
	struct buf b;
	char sha[65], sql[200];
	json_t *bad;
	assert_int_equal(received(&id, 1), 1);
	assert_int_equal(case_act(St, &Env, &Cli, clock_now(NULL), id, &Refuse, NULL, &e), 0);
	served(id, &b);
	buf_free(&b);
	assert_whole();
	assert_int_equal(store_case_doc_sha(St, id, "refusal", &doc, sha, &e), 0);
	snprintf(sql, sizeof sql, "UPDATE case_documents SET sha256 = '%064d' WHERE id = %lld", 0, (long long)doc);
	exec_sql(sql);
	assert_int_equal(case_document(St, &Env, &Cli, clock_now(NULL), id, "refusal", &b, &e), ERR_INTERNAL);
	assert_string_equal(e.field, "sha256");
	assert_int_equal(store_case_doc_pages_check(St, &bad, &e), 0);
	assert_int_equal(json_array_size(bad), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(bad, 0), "id")), doc);
	json_decref(bad);
	/* backup verify reads the pages a backup holds (here: the database as a backup) */
	int n;
	assert_int_equal(ops_backup_files_check(Db, &n, &e), ERR_INVALID);
	assert_string_equal(e.field, "files");
	snprintf(sql, sizeof sql, "UPDATE case_documents SET sha256 = '%s' WHERE id = %lld", sha, (long long)doc);
	exec_sql(sql);
	assert_int_equal(ops_backup_files_check(Db, &n, &e), 0);
	assert_whole();
}

/* Pages before 0030 lived in the file store: such a document is served
** from there, and it alone is a file a backup copies (run last: it leaves
** a document whose page is a file). */
static void test_old_files(void **state)
{
	int64_t id, doc;
	struct err e;
	struct buf a, b, page;
	char sha[65], dir[200], got[65], sql[200];
	json_t *rows;
	assert_int_equal(received(&id, 1), 1);
	assert_int_equal(case_act(St, &Env, &Cli, clock_now(NULL), id, &Refuse, NULL, &e), 0);
	served(id, &a);
	assert_int_equal(store_case_doc_sha(St, id, "refusal", &doc, sha, &e), 0);
	assert_int_equal(store_files_all(St, &rows, &e), 0);
	assert_int_equal(json_array_size(rows), 0);     /* the pages are in the database */
	json_decref(rows);

	/* as kept before 0030: the file, no page row */
	assert_int_equal(store_case_doc_page(St, doc, &page, &e), 0);
	assert_int_equal(filestore_dir(Db, dir, sizeof dir, &e), 0);
	assert_int_equal(filestore_put(dir, page.data, page.len, 1, got, &e), 0);
	assert_string_equal(got, sha);
	buf_free(&page);
	snprintf(sql, sizeof sql, "DELETE FROM case_document_pages WHERE document_id = %lld", (long long)doc);
	exec_sql(sql);
	assert_int_equal(store_case_doc_page(St, doc, &page, &e), ERR_NOTFOUND);
	served(id, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	buf_free(&a);
	buf_free(&b);
	assert_int_equal(store_files_all(St, &rows, &e), 0);
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "sha256")), sha);
	json_decref(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rollback_leaves_nothing),
		cmocka_unit_test(test_crash_mid_transaction),
		cmocka_unit_test(test_crash_writer),
		cmocka_unit_test(test_damaged_page),
		cmocka_unit_test(test_old_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
