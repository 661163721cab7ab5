/*
** test_audit_list.c: the auditor's list (org/audit.h audit_list) against
** the query it replaced (store_audit_list_scan: every filter written
** `?n IS NULL OR …`, ordered by id, counted exactly) on a log written
** through audit_write_many: every filter alone and combined, action groups
** (the first-dot group and a deeper prefix), time ranges, deep pages; after=
** walks the same records as the page numbers; counts stop at
** AUDIT_COUNT_CAP and say so; bad filters name the field; reading writes
** its own audit.read record and the chain stays intact.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "org/audit.h"
#include "store/store_org.h"

static char path[64];
static struct store *St;
static struct principal Auditor;
static int64_t Now = 1800000000;   /* each read later than every record */

#define T0 1700000000
#define NROWS 3000

static void unlink_all(void)
{
	const char *ext[] = {"", "-wal", "-shm", ".key"};
	char p[80];
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", path, ext[i]);
		unlink(p);
	}
}

static const char *const Users[] = {"alice", "bob", "carol", "dave"};
static const char *const Actions[] = {"case.accept", "case.approve", "session.login", "user.password.change",
				      "user.create", "project.create"};

/* NROWS records, at rising with id, a deterministic mix. */
static int setup(void **state)
{
	struct err e;
	static struct audit_entry v[NROWS];
	static char obj[NROWS][24];
	snprintf(path, sizeof path, "/tmp/gg-test-auditlist-%d.db", getpid());
	unlink_all();
	if (store_open(path, STORE_CREATE, &St, &e))
		return -1;
	for (int i = 0; i < NROWS; i++) {
		snprintf(obj[i], sizeof obj[i], "case:%d", i % 97);
		v[i] = (struct audit_entry){
			.at = T0 + i * 600, .user_id = 1 + i % 4, .username = Users[(i * 7) % 4], .source = "10.0.0.1",
			.action = Actions[(i * 5 + i / 7) % 6], .object = obj[i],
			.outcome = i % 31 == 0 ? "failure" : i % 53 == 0 ? "denied" : "success",
			.details = i % 2 ? "{\"n\":1}" : NULL,
		};
	}
	if (audit_write_many(St, v, NROWS, &e))
		return -1;
	memset(&Auditor, 0, sizeof Auditor);
	Auditor.user_id = 9;
	strcpy(Auditor.username, "auditor");
	strcpy(Auditor.source, "127.0.0.1");
	return 0;
}

static int teardown(void **state)
{
	store_close(St);
	unlink_all();
	return 0;
}

static void ids(json_t *items, char *out, size_t n)
{
	size_t len = 0, i;
	json_t *it;
	out[0] = 0;
	json_array_foreach(items, i, it)
		len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%lld,",
					(long long)json_integer_value(json_object_get(it, "id")));
}

/* audit_list and the old query agree on page pg of q: the ids in order,
** the total, and every column of the rows. */
static void expect_same(const struct audit_query *q, int page, int size)
{
	struct audit_list_result got;
	struct page pg = {page, size};
	json_t *want;
	int64_t total;
	struct err e;
	char a[8192], b[8192];
	/* the old query first: audit_list records its own reading */
	assert_int_equal(store_audit_list_scan(St, q->user, q->action, q->object, q->outcome, q->from, q->to, &pg,
					       &want, &total, &e), 0);
	assert_int_equal(audit_list(St, &Auditor, Now++, q, &pg, &got, &e), 0);
	ids(got.items, a, sizeof a);
	ids(want, b, sizeof b);
	if (strcmp(a, b) != 0 || got.total != total)
		fail_msg("user %s action %s object %s outcome %s [%lld,%lld) page %d: %s (%lld) vs %s (%lld)",
			 q->user ? q->user : "-", q->action ? q->action : "-", q->object ? q->object : "-",
			 q->outcome ? q->outcome : "-", (long long)q->from, (long long)q->to, page, a,
			 (long long)got.total, b, (long long)total);
	assert_true(json_equal(got.items, want));
	assert_false(got.capped);
	json_decref(got.items);
	json_decref(want);
}

static void test_filters_match_the_old_query(void **state)
{
	const char *users[] = {NULL, "alice", "nobody"};
	const char *actions[] = {NULL, "case.accept", "case.*", "user.*", "user.password.*", "session.login"};
	const char *objects[] = {NULL, "case:5"};
	const char *outcomes[] = {NULL, "failure"};
	const int64_t ranges[][2] = {{0, INT64_MAX}, {T0 + 600 * 500, T0 + 600 * 1700}, {T0 + 600 * 2999, INT64_MAX}};
	for (size_t u = 0; u < 3; u++)
		for (size_t a = 0; a < 6; a++)
			for (size_t o = 0; o < 2; o++)
				for (size_t c = 0; c < 2; c++)
					for (size_t r = 0; r < 3; r++) {
						struct audit_query q = {users[u], actions[a], objects[o], outcomes[c],
									ranges[r][0], ranges[r][1], 0, 0};
						expect_same(&q, 1, 20);
						expect_same(&q, 3, 7);
					}
}

static void test_deep_pages(void **state)
{
	struct audit_query q = {.to = INT64_MAX};
	expect_same(&q, 100, 20);
	expect_same(&q, 151, 20);        /* past the end: empty */
	q.user = "bob";
	expect_same(&q, 30, 20);
	q.action = "case.*";
	expect_same(&q, 12, 10);
}

/* Following next_after page by page visits what the page numbers show. */
static void test_after_walks_the_pages(void **state)
{
	struct audit_query q = {.user = "carol", .action = "case.*", .to = INT64_MAX};
	struct err e;
	int64_t after = 0;
	int pages = 0;
	for (int p = 1;; p++) {
		struct audit_list_result byno, bykey;
		struct page pg = {p, 25};
		char a[4096], b[4096];
		/* by number first: its own audit.read record is not "carol" */
		assert_int_equal(audit_list(St, &Auditor, Now++, &q, &pg, &byno, &e), 0);
		q.after = after;
		assert_int_equal(audit_list(St, &Auditor, Now++, &q, &pg, &bykey, &e), 0);
		q.after = 0;
		ids(byno.items, a, sizeof a);
		ids(bykey.items, b, sizeof b);
		assert_string_equal(a, b);
		assert_int_equal(byno.total, bykey.total);
		after = bykey.next_after;
		size_t n = json_array_size(bykey.items);
		json_decref(byno.items);
		json_decref(bykey.items);
		pages++;
		if (!after) {
			assert_true(n < 25);
			break;
		}
		assert_int_equal(n, 25);
	}
	assert_true(pages > 3);
}

static void test_bad_filters_name_the_field(void **state)
{
	struct audit_list_result r;
	struct page pg = {1, 20};
	struct err e;
	struct audit_query q = {.action = "case.accept'--", .to = INT64_MAX};
	assert_int_equal(audit_list(St, &Auditor, Now++, &q, &pg, &r, &e), ERR_INVALID);
	assert_string_equal(e.field, "action");
	q = (struct audit_query){.action = ".*", .to = INT64_MAX};
	assert_int_equal(audit_list(St, &Auditor, Now++, &q, &pg, &r, &e), ERR_INVALID);
	q = (struct audit_query){.outcome = "ok", .to = INT64_MAX};
	assert_int_equal(audit_list(St, &Auditor, Now++, &q, &pg, &r, &e), ERR_INVALID);
	assert_string_equal(e.field, "outcome");
	q = (struct audit_query){.after = 99999999, .to = INT64_MAX};
	assert_int_equal(audit_list(St, &Auditor, Now++, &q, &pg, &r, &e), ERR_INVALID);
	assert_string_equal(e.field, "after");
}

/* The unfiltered total is the head's id; a filtered one counts up to the cap. */
static void test_counts(void **state)
{
	struct audit_list_result r;
	struct page pg = {1, 5};
	struct err e;
	int64_t head;
	char hash[65];
	struct audit_query q = {.to = INT64_MAX};
	assert_int_equal(store_audit_head(St, &head, hash, &e), 0);
	assert_int_equal(audit_list(St, &Auditor, Now++, &q, &pg, &r, &e), 0);
	assert_int_equal(r.total, head);
	assert_false(r.capped);
	json_decref(r.items);
	/* grow the log past the cap: the count stops there */
	enum { BATCH = 10000 };
	static struct audit_entry v[BATCH];
	for (int i = 0; i < BATCH; i++)
		v[i] = (struct audit_entry){.at = T0 + 3000 * 600 + i, .username = "eve", .action = "session.login",
					    .object = "eve", .outcome = "success"};
	for (int64_t n = 0; n <= AUDIT_COUNT_CAP; n += BATCH)
		assert_int_equal(audit_write_many(St, v, BATCH, &e), 0);
	q.user = "eve";
	assert_int_equal(audit_list(St, &Auditor, Now++, &q, &pg, &r, &e), 0);
	assert_int_equal(r.total, AUDIT_COUNT_CAP);
	assert_true(r.capped);
	assert_int_equal(json_array_size(r.items), 5);
	json_decref(r.items);
	struct audit_verdict vd;
	assert_int_equal(audit_verify(St, &vd, &e), 0);
	assert_int_equal(vd.bad_id, 0);
	assert_true(vd.records > AUDIT_COUNT_CAP);
}

/* Reading is audited: the last record is this read, with its filters. */
static void test_reading_is_recorded(void **state)
{
	struct audit_list_result r;
	struct page pg = {2, 10};
	struct err e;
	struct audit_query q = {.user = "alice", .object = "case:7", .to = INT64_MAX};
	assert_int_equal(audit_list(St, &Auditor, Now++, &q, &pg, &r, &e), 0);
	json_decref(r.items);
	struct audit_query last = {.user = "auditor", .action = "audit.read", .to = INT64_MAX};
	struct page one = {1, 1};
	assert_int_equal(audit_list(St, &Auditor, Now++, &last, &one, &r, &e), 0);
	json_t *row = json_array_get(r.items, 0);
	json_t *d = json_loads(json_string_value(json_object_get(row, "details")), 0, NULL);
	assert_string_equal(json_string_value(json_object_get(d, "user")), "alice");
	assert_string_equal(json_string_value(json_object_get(d, "object")), "case:7");
	assert_int_equal(json_integer_value(json_object_get(d, "page")), 2);
	json_decref(d);
	json_decref(r.items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters_match_the_old_query),
		cmocka_unit_test(test_deep_pages),
		cmocka_unit_test(test_after_walks_the_pages),
		cmocka_unit_test(test_bad_filters_name_the_field),
		cmocka_unit_test(test_reading_is_recorded),
		cmocka_unit_test(test_counts),
	};
	return cmocka_run_group_tests_name("audit list", tests, setup, teardown);
}
