/*
** test_store_list.c: the list helper of the store (store/store_list.h): a
** filter holds only the conditions given, the count and the page come from
** the same description, pages are cut by LIMIT/OFFSET, the capped count
** says when more match; a parameter name the statement does not hold, a
** parameter left without a value and an unnamed `?` stop the test build
** (checked in a child process, which must die of the assert).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store_int.h"
#include "store/store_list.h"

static char path[64];
static struct store *St;

static void unlink_all(void)
{
	const char *ext[] = {"", "-wal", "-shm", ".key"};
	char p[80];
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", path, ext[i]);
		unlink(p);
	}
}

/* t(id, kind, n): 100 rows, kind "a" for even ids, n = id % 10. */
static int setup(void **state)
{
	struct err e;
	snprintf(path, sizeof path, "/tmp/gg-test-storelist-%d.db", getpid());
	unlink_all();
	if (store_open(path, STORE_CREATE, &St, &e))
		return -1;
	if (store_exec(St, "CREATE TABLE t(id INTEGER PRIMARY KEY, kind TEXT, n INTEGER); "
		       "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100) "
		       "INSERT INTO t SELECT i, CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END, i % 10 FROM r", &e))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	store_close(St);
	unlink_all();
	return 0;
}

static void filter(struct store_list *l, const char *kind, int n)
{
	if (kind)
		store_list_text(l, "kind = :kind", ":kind", kind);
	if (n >= 0)
		store_list_int(l, "n = :n", ":n", n);
}

static void test_count_and_page(void **state)
{
	struct err e;
	struct page pg = {.page = 2, .page_size = 3};
	int64_t total;
	json_t *items;
	struct store_list l = STORE_LIST("t list");
	filter(&l, "a", 4);
	assert_string_equal(l.where.data, " WHERE kind = :kind AND n = :n");
	assert_int_equal(store_list_count(St, &l, "FROM t", &total, &e), 0);
	assert_int_equal(total, 10);                   /* 4, 14, ... 94 */
	assert_int_equal(store_list_page(St, &l, "SELECT id, kind FROM t", "ORDER BY id DESC", &pg, &items, &e), 0);
	assert_int_equal(json_array_size(items), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), 64);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 2), "id")), 44);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "kind")), "a");
	json_decref(items);
	store_list_free(&l);
}

static void test_unset_filters_add_nothing(void **state)
{
	struct err e;
	int64_t total;
	struct store_list l = STORE_LIST("t list");
	filter(&l, NULL, -1);
	assert_int_equal(l.where.len, 0);
	assert_int_equal(store_list_count(St, &l, "FROM t", &total, &e), 0);
	assert_int_equal(total, 100);
	sqlite3_stmt *s = store_list_stmt(St, &l, "SELECT id FROM t", "ORDER BY id", 5, 10, &e);
	assert_non_null(s);
	assert_string_equal(sqlite3_sql(s), "SELECT id FROM t ORDER BY id LIMIT 5 OFFSET 10");
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 11);
	sqlite3_finalize(s);
	store_list_free(&l);
}

static void test_capped(void **state)
{
	struct err e;
	int64_t total;
	int capped;
	struct store_list l = STORE_LIST("t list");
	filter(&l, "b", -1);
	assert_int_equal(store_list_count_capped(St, &l, "FROM t", 20, &total, &capped, &e), 0);
	assert_int_equal(total, 20);
	assert_int_equal(capped, 1);
	assert_int_equal(store_list_count_capped(St, &l, "FROM t", 50, &total, &capped, &e), 0);
	assert_int_equal(total, 50);
	assert_int_equal(capped, 0);
	store_list_free(&l);
}

/* A name used twice in the SQL is one parameter with one value. */
static void test_name_used_twice(void **state)
{
	struct err e;
	int64_t total;
	struct store_list l = STORE_LIST("t list");
	store_list_int(&l, "(n = :n OR id = :n)", ":n", 3);
	assert_int_equal(store_list_count(St, &l, "FROM t", &total, &e), 0);
	assert_int_equal(total, 10);   /* n = 3: 3, 13, ... 93; id 3 among them */
	store_list_free(&l);
}

/* Run fn in a child: it must die of SIGABRT (the assert of the test build). */
static void dies(void (*fn)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGABRT, SIG_DFL);
		fn();
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void count_of(struct store_list *l)
{
	struct err e;
	int64_t total;
	store_list_count(St, l, "FROM t", &total, &e);
}

static void wrong_name(void)
{
	struct store_list l = STORE_LIST("t list");
	store_list_text(&l, "kind = :kind", ":knid", "a");
	count_of(&l);
}

static void no_value(void)
{
	struct store_list l = STORE_LIST("t list");
	store_list_and(&l, "kind = :kind");
	count_of(&l);
}

static void unnamed(void)
{
	struct store_list l = STORE_LIST("t list");
	store_list_text(&l, "kind = :kind AND n = ?", ":kind", "a");
	count_of(&l);
}

static void test_wrong_names_are_loud(void **state)
{
	dies(wrong_name);
	dies(no_value);
	dies(unnamed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_and_page),
		cmocka_unit_test(test_unset_filters_add_nothing),
		cmocka_unit_test(test_capped),
		cmocka_unit_test(test_name_used_twice),
		cmocka_unit_test(test_wrong_names_are_loud),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
