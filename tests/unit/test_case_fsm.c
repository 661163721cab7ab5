/*
** test_case_fsm.c: the 办件 state machine (approval/case_fsm.h).
**
** Every action is tried from every reachable shape of state (each status,
** before and after acceptance, at the first, a middle and the last step,
** with and without 容缺, before and after the one pre-acceptance supplement)
** and compared with an oracle written here independently, as the rules read
** in domain.md §3 and the issue, not as the table in case_fsm.c is laid out.
** Then whole paths, the 409 message, and the status data.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "approval/case_fsm.h"

/* Expected status after action from s, or -1 when forbidden. */
static int oracle(const struct case_state *s, int a)
{
	int st = s->status, last = s->step == s->nsteps - 1;
	int final = st == 2 || st == 4 || st == 5 || st >= 11;
	if (final)
		return -1;
	if (st == 0)
		return a == CASE_A_RECEIVE ? 1 : -1;
	if (a == CASE_A_REVOKE)
		return 15;
	if (a == CASE_A_WITHDRAW)
		return s->accepted ? 14 : 2;
	int window = st == 1 || (st == 7 && !s->accepted);
	if (window) {
		if (a == CASE_A_ACCEPT) return 3;
		if (a == CASE_A_REFUSE) return 5;
		if (a == CASE_A_SUPPLEMENT) return s->pre_supplements ? -1 : 6;
		if (a == CASE_A_TRANSFER) return st;
		return -1;
	}
	if (st == 6)
		return a == CASE_A_SUPPLEMENT_DONE ? 7 : -1;
	if (st == 9)
		return a == CASE_A_SPECIAL_END ? 10 : -1;
	/* working: 3, 8, 7 and 10 after acceptance */
	switch (a) {
	case CASE_A_SUPPLEMENT: return 6;
	case CASE_A_SPECIAL_START: return 9;
	case CASE_A_TRANSFER: return st;
	case CASE_A_APPROVE: return last ? 11 : -1;
	case CASE_A_DENY: return last ? 13 : -1;
	case CASE_A_APPROVE_TOLERANCE: return last && s->tolerance_ok ? 12 : -1;
	case CASE_A_START_REVIEW: return st == 3 ? 8 : -1;
	case CASE_A_NEXT_STEP: return st != 3 && !last ? 8 : -1;
	case CASE_A_RETURN: return st != 3 && s->step > 1 ? 8 : -1;
	default: return -1;
	}
}

static void check_one(const struct case_state *s, int a)
{
	struct case_state out;
	struct err e = {0};
	int want = oracle(s, a);
	int rc = case_next(s, a, &out, &e);
	char what[160];
	snprintf(what, sizeof what, "status %d accepted %d step %d/%d pre %d tol %d action %s",
		 s->status, s->accepted, s->step, s->nsteps, s->pre_supplements, s->tolerance_ok,
		 case_action_name(a));
	if (want < 0) {
		if (rc != ERR_CONFLICT)
			fail_msg("%s: allowed, expected 409", what);
		assert_string_equal(e.field, "action");
		assert_non_null(strstr(e.msg, case_status_name(s->status)));
		assert_false(case_allowed(s) & (1u << a));
		return;
	}
	if (rc != 0)
		fail_msg("%s: refused (%s), expected status %d", what, e.msg, want);
	if (out.status != want)
		fail_msg("%s: status %d, expected %d", what, out.status, want);
	assert_true(case_allowed(s) & (1u << a));
	/* step movement */
	int step = s->step;
	if (a == CASE_A_ACCEPT) step = s->nsteps > 1 ? 1 : 0;
	if (a == CASE_A_NEXT_STEP) step++;
	if (a == CASE_A_RETURN) step--;
	assert_int_equal(out.step, step);
	assert_int_equal(out.accepted, s->accepted || a == CASE_A_ACCEPT);
	assert_int_equal(out.pre_supplements, s->pre_supplements + (a == CASE_A_SUPPLEMENT && !s->accepted));
}

static void test_every_transition(void **state)
{
	int checked = 0, allowed = 0;
	for (int st = 0; st <= CASE_STATUS_MAX; st++)
		for (int acc = 0; acc <= 1; acc++)
			for (int nsteps = 1; nsteps <= 4; nsteps += 3)
				for (int step = 0; step < nsteps; step++)
					for (int pre = 0; pre <= 1; pre++)
						for (int tol = 0; tol <= 1; tol++)
							for (int a = 0; a < CASE_A_COUNT; a++) {
								struct case_state s = {st, acc, step, nsteps, pre, tol};
								check_one(&s, a);
								checked++;
								allowed += oracle(&s, a) >= 0;
							}
	assert_true(checked > 10000);
	assert_true(allowed > 500);
	/* out-of-range action */
	struct case_state s = {1, 0, 0, 3, 0, 0}, out;
	struct err e;
	assert_int_equal(case_next(&s, CASE_A_COUNT, &out, &e), ERR_CONFLICT);
	assert_int_equal(case_next(&s, -1, &out, &e), ERR_CONFLICT);
}

static struct case_state step_through(struct case_state s, const int *acts, size_t n)
{
	struct err e;
	for (size_t i = 0; i < n; i++)
		if (case_next(&s, acts[i], &s, &e) != 0)
			fail_msg("step %zu (%s): %s", i, case_action_name(acts[i]), e.msg);
	return s;
}

static void test_paths(void **state)
{
	/* 受理 → 审查 → 决定, with a supplement before acceptance and a special
	** procedure and a return on the way */
	const int full[] = {CASE_A_RECEIVE, CASE_A_SUPPLEMENT, CASE_A_SUPPLEMENT_DONE, CASE_A_ACCEPT,
			    CASE_A_START_REVIEW, CASE_A_SPECIAL_START, CASE_A_SPECIAL_END,
			    CASE_A_NEXT_STEP, CASE_A_RETURN, CASE_A_SUPPLEMENT, CASE_A_SUPPLEMENT_DONE,
			    CASE_A_NEXT_STEP, CASE_A_APPROVE};
	struct case_state s = step_through((struct case_state){0, 0, 0, 3, 0, 0}, full,
					   sizeof full / sizeof full[0]);
	assert_int_equal(s.status, CASE_APPROVED);
	assert_int_equal(s.step, 2);
	assert_int_equal(s.pre_supplements, 1);
	assert_int_equal(case_allowed(&s), 0);

	/* 即办件: one step, decided by the window right after acceptance */
	const int quick[] = {CASE_A_RECEIVE, CASE_A_ACCEPT, CASE_A_APPROVE};
	s = step_through((struct case_state){0, 0, 0, 1, 0, 0}, quick, 3);
	assert_int_equal(s.status, CASE_APPROVED);
	assert_int_equal(s.step, 0);

	/* 容缺 */
	const int tol[] = {CASE_A_RECEIVE, CASE_A_ACCEPT, CASE_A_START_REVIEW, CASE_A_NEXT_STEP,
			   CASE_A_APPROVE_TOLERANCE};
	s = step_through((struct case_state){0, 0, 0, 3, 0, 1}, tol, 5);
	assert_int_equal(s.status, CASE_APPROVED_TOL);

	/* withdrawal: 已撤件 before acceptance, 撤回 after */
	const int w1[] = {CASE_A_RECEIVE, CASE_A_SUPPLEMENT, CASE_A_WITHDRAW};
	assert_int_equal(step_through((struct case_state){0, 0, 0, 3, 0, 0}, w1, 3).status, CASE_CANCELLED);
	const int w2[] = {CASE_A_RECEIVE, CASE_A_ACCEPT, CASE_A_SUPPLEMENT, CASE_A_WITHDRAW};
	assert_int_equal(step_through((struct case_state){0, 0, 0, 3, 0, 0}, w2, 4).status, CASE_WITHDRAWN);
	const int rv[] = {CASE_A_RECEIVE, CASE_A_ACCEPT, CASE_A_START_REVIEW, CASE_A_SPECIAL_START,
			  CASE_A_REVOKE};
	assert_int_equal(step_through((struct case_state){0, 0, 0, 3, 0, 0}, rv, 5).status, CASE_REVOKED);
}

static void test_once_only_supplement(void **state)
{
	/* 一次性告知: a second request before acceptance is refused, but
	** during review the department may ask again */
	const int p[] = {CASE_A_RECEIVE, CASE_A_SUPPLEMENT, CASE_A_SUPPLEMENT_DONE};
	struct case_state s = step_through((struct case_state){0, 0, 0, 3, 0, 0}, p, 3);
	struct err e;
	assert_int_equal(case_next(&s, CASE_A_SUPPLEMENT, &s, &e), ERR_CONFLICT);
	assert_int_equal(case_next(&s, CASE_A_ACCEPT, &s, &e), 0);
	assert_int_equal(case_next(&s, CASE_A_SUPPLEMENT, &s, &e), 0);
	assert_int_equal(case_next(&s, CASE_A_SUPPLEMENT_DONE, &s, &e), 0);
	assert_int_equal(case_next(&s, CASE_A_SUPPLEMENT, &s, &e), 0);
}

static void test_conflict_message(void **state)
{
	struct case_state s = {CASE_ACCEPTED, 1, 1, 3, 0, 0}, out;
	struct err e;
	char names[256];
	assert_int_equal(case_next(&s, CASE_A_APPROVE, &out, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "受理"));
	assert_non_null(strstr(e.msg, "准予许可"));
	case_allowed_names(&s, names, sizeof names);
	assert_string_equal(names, "supplement, start_review, transfer, special_start, withdraw, revoke");
	assert_non_null(strstr(e.msg, names));
	s.status = CASE_APPROVED;
	assert_int_equal(case_next(&s, CASE_A_REVOKE, &out, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "无"));
}

static void test_data(void **state)
{
	assert_string_equal(case_status_name(1), "已接件");
	assert_string_equal(case_status_name(12), "办结(容缺后补通过)");
	assert_string_equal(case_status_name(99), "未知");
	for (int s = 0; s <= CASE_STATUS_MAX; s++) {
		int final = s == 2 || s == 4 || s == 5 || s >= 11;
		assert_int_equal(case_status_final(s), final);
		assert_int_equal(case_status_concluded(s), s >= 11 && s <= 13);
		if (s && !final)
			assert_int_equal(case_status_class(s), CASE_CLASS_RUNNING);
	}
	assert_int_equal(case_status_class(14), CASE_CLASS_WITHDRAWN);
	assert_int_equal(case_status_class(2), CASE_CLASS_WITHDRAWN);
	assert_int_equal(case_status_class(15), CASE_CLASS_REVOKED);
	assert_int_equal(case_status_class(5), CASE_CLASS_NOT_ACCEPTED);
	assert_true(case_status_pausing(6, 1));
	assert_false(case_status_pausing(6, 0));
	assert_true(case_status_pausing(9, 1));
	for (int a = 0; a < CASE_A_COUNT; a++)
		assert_int_equal(case_action_parse(case_action_name(a)), a);
	assert_int_equal(case_action_parse("approve"), CASE_A_APPROVE);
	assert_int_equal(case_action_parse("nope"), -1);
	assert_int_equal(case_action_parse(NULL), -1);
	assert_int_equal(case_action_actor(CASE_A_REVOKE), CASE_ACTOR_HEAD);
	assert_int_equal(case_action_actor(CASE_A_APPROVE), CASE_ACTOR_STEP);
	assert_int_equal(case_action_actor(CASE_A_WITHDRAW), CASE_ACTOR_WINDOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_transition),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_once_only_supplement),
		cmocka_unit_test(test_conflict_message),
		cmocka_unit_test(test_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
