/*
** case_fsm.c: the 办件 state machine as data (see case_fsm.h): the status
** table, the action table and the transition table. Everything here is
** static const; case_next is a lookup plus a guard.
*/
#include "approval/case_fsm.h"
#include "approval/names.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* ---- statuses (BLZT, domain.md §3) ----------------------------------------- */

static const struct {
	const char *name;
	int cls;
	int final;
} statuses[CASE_STATUS_MAX + 1] = {
	[CASE_NONE] = {"未接件", CASE_CLASS_NONE, 0},
	[CASE_RECEIVED] = {"已接件", CASE_CLASS_RUNNING, 0},
	[CASE_CANCELLED] = {"已撤件", CASE_CLASS_WITHDRAWN, 1},
	[CASE_ACCEPTED] = {"受理", CASE_CLASS_RUNNING, 0},
	[CASE_NOT_ACCEPTED] = {"不受理", CASE_CLASS_NOT_ACCEPTED, 1},
	[CASE_REFUSED] = {"不予受理", CASE_CLASS_NOT_ACCEPTED, 1},
	[CASE_SUPP_START] = {"补正开始", CASE_CLASS_RUNNING, 0},
	[CASE_SUPP_END] = {"补正结束", CASE_CLASS_RUNNING, 0},
	[CASE_PROCESSING] = {"部门开始办理", CASE_CLASS_RUNNING, 0},
	[CASE_SPECIAL_START] = {"特别程序开始", CASE_CLASS_RUNNING, 0},
	[CASE_SPECIAL_END] = {"特别程序结束", CASE_CLASS_RUNNING, 0},
	[CASE_APPROVED] = {"办结(通过)", CASE_CLASS_PASSED, 1},
	[CASE_APPROVED_TOL] = {"办结(容缺后补通过)", CASE_CLASS_PASSED_TOL, 1},
	[CASE_DENIED] = {"办结(不通过)", CASE_CLASS_FAILED, 1},
	[CASE_WITHDRAWN] = {"撤回", CASE_CLASS_WITHDRAWN, 1},
	[CASE_REVOKED] = {"撤销", CASE_CLASS_REVOKED, 1},
};

static int status_ok(int s) { return s >= 0 && s <= CASE_STATUS_MAX; }

const char *case_status_name(int s) { return status_ok(s) ? statuses[s].name : "未知"; }
int case_status_class(int s) { return status_ok(s) ? statuses[s].cls : CASE_CLASS_NONE; }
int case_status_final(int s) { return status_ok(s) && statuses[s].final; }

int case_status_concluded(int s)
{
	return s == CASE_APPROVED || s == CASE_APPROVED_TOL || s == CASE_DENIED;
}

int case_status_pausing(int s, int accepted)
{
	return (s == CASE_SUPP_START && accepted) || s == CASE_SPECIAL_START;
}

/* ---- actions ----------------------------------------------------------------- */

/* Labels: approval_action_names (names.c), by the API name. */
static const struct {
	const char *name;
	int actor;
} actions[CASE_A_COUNT] = {
	[CASE_A_RECEIVE] = {"receive", CASE_ACTOR_STEP},
	[CASE_A_ACCEPT] = {"accept", CASE_ACTOR_STEP},
	[CASE_A_REFUSE] = {"refuse", CASE_ACTOR_STEP},
	[CASE_A_SUPPLEMENT] = {"supplement", CASE_ACTOR_STEP},
	[CASE_A_SUPPLEMENT_DONE] = {"supplement_done", CASE_ACTOR_STEP},
	[CASE_A_START_REVIEW] = {"start_review", CASE_ACTOR_STEP},
	[CASE_A_NEXT_STEP] = {"next_step", CASE_ACTOR_STEP},
	[CASE_A_RETURN] = {"return", CASE_ACTOR_STEP},
	[CASE_A_TRANSFER] = {"transfer", CASE_ACTOR_STEP},
	[CASE_A_SPECIAL_START] = {"special_start", CASE_ACTOR_STEP},
	[CASE_A_SPECIAL_END] = {"special_end", CASE_ACTOR_STEP},
	[CASE_A_APPROVE] = {"approve", CASE_ACTOR_STEP},
	[CASE_A_APPROVE_TOLERANCE] = {"approve_tolerance", CASE_ACTOR_STEP},
	[CASE_A_DENY] = {"deny", CASE_ACTOR_STEP},
	[CASE_A_WITHDRAW] = {"withdraw", CASE_ACTOR_WINDOW},
	[CASE_A_REVOKE] = {"revoke", CASE_ACTOR_HEAD},
};

static int action_ok(int a) { return a >= 0 && a < CASE_A_COUNT; }

const char *case_action_name(int a) { return action_ok(a) ? actions[a].name : "?"; }
const char *case_action_label(int a)
{
	const char *l = action_ok(a) ? dict_label(approval_action_names, actions[a].name) : NULL;
	return l ? l : "?";
}
int case_action_actor(int a) { return action_ok(a) ? actions[a].actor : CASE_ACTOR_STEP; }

int case_action_parse(const char *name)
{
	for (int a = 0; name && a < CASE_A_COUNT; a++)
		if (strcmp(name, actions[a].name) == 0)
			return a;
	return -1;
}

/* ---- transitions -------------------------------------------------------------- */

#define TO_SAME (-1)        /* keep the current status code                  */
#define TO_WITHDRAW (-2)    /* 2 before acceptance, 14 after                  */

enum step_effect { STEP_KEEP, STEP_REVIEW, STEP_NEXT, STEP_PREV };
enum guard { G_NONE, G_ONCE, G_NOT_LAST, G_LAST, G_ABOVE_ONE, G_LAST_TOL };

struct transition {
	int phase, action, to, step, guard;
};

/* Decisions, withdrawal and revocation shared by the two working phases. */
#define WORKING(ph) \
	{ph, CASE_A_SUPPLEMENT, CASE_SUPP_START, STEP_KEEP, G_NONE}, \
	{ph, CASE_A_SPECIAL_START, CASE_SPECIAL_START, STEP_KEEP, G_NONE}, \
	{ph, CASE_A_TRANSFER, TO_SAME, STEP_KEEP, G_NONE}, \
	{ph, CASE_A_APPROVE, CASE_APPROVED, STEP_KEEP, G_LAST}, \
	{ph, CASE_A_APPROVE_TOLERANCE, CASE_APPROVED_TOL, STEP_KEEP, G_LAST_TOL}, \
	{ph, CASE_A_DENY, CASE_DENIED, STEP_KEEP, G_LAST}, \
	{ph, CASE_A_WITHDRAW, TO_WITHDRAW, STEP_KEEP, G_NONE}, \
	{ph, CASE_A_REVOKE, CASE_REVOKED, STEP_KEEP, G_NONE}

static const struct transition table[] = {
	{CASE_PH_NEW, CASE_A_RECEIVE, CASE_RECEIVED, STEP_KEEP, G_NONE},

	{CASE_PH_RECEIVED, CASE_A_ACCEPT, CASE_ACCEPTED, STEP_REVIEW, G_NONE},
	{CASE_PH_RECEIVED, CASE_A_REFUSE, CASE_REFUSED, STEP_KEEP, G_NONE},
	{CASE_PH_RECEIVED, CASE_A_SUPPLEMENT, CASE_SUPP_START, STEP_KEEP, G_ONCE},
	{CASE_PH_RECEIVED, CASE_A_TRANSFER, TO_SAME, STEP_KEEP, G_NONE},
	{CASE_PH_RECEIVED, CASE_A_WITHDRAW, TO_WITHDRAW, STEP_KEEP, G_NONE},
	{CASE_PH_RECEIVED, CASE_A_REVOKE, CASE_REVOKED, STEP_KEEP, G_NONE},

	{CASE_PH_SUPP_PRE, CASE_A_SUPPLEMENT_DONE, CASE_SUPP_END, STEP_KEEP, G_NONE},
	{CASE_PH_SUPP_PRE, CASE_A_WITHDRAW, TO_WITHDRAW, STEP_KEEP, G_NONE},
	{CASE_PH_SUPP_PRE, CASE_A_REVOKE, CASE_REVOKED, STEP_KEEP, G_NONE},

	{CASE_PH_ACCEPTED, CASE_A_START_REVIEW, CASE_PROCESSING, STEP_KEEP, G_NONE},
	WORKING(CASE_PH_ACCEPTED),

	{CASE_PH_PROCESSING, CASE_A_NEXT_STEP, CASE_PROCESSING, STEP_NEXT, G_NOT_LAST},
	{CASE_PH_PROCESSING, CASE_A_RETURN, CASE_PROCESSING, STEP_PREV, G_ABOVE_ONE},
	WORKING(CASE_PH_PROCESSING),

	{CASE_PH_SUPP, CASE_A_SUPPLEMENT_DONE, CASE_SUPP_END, STEP_KEEP, G_NONE},
	{CASE_PH_SUPP, CASE_A_WITHDRAW, TO_WITHDRAW, STEP_KEEP, G_NONE},
	{CASE_PH_SUPP, CASE_A_REVOKE, CASE_REVOKED, STEP_KEEP, G_NONE},

	{CASE_PH_SPECIAL, CASE_A_SPECIAL_END, CASE_SPECIAL_END, STEP_KEEP, G_NONE},
	{CASE_PH_SPECIAL, CASE_A_WITHDRAW, TO_WITHDRAW, STEP_KEEP, G_NONE},
	{CASE_PH_SPECIAL, CASE_A_REVOKE, CASE_REVOKED, STEP_KEEP, G_NONE},
};
#define NTABLE (sizeof table / sizeof table[0])

int case_phase(const struct case_state *s)
{
	switch (s->status) {
	case CASE_NONE: return CASE_PH_NEW;
	case CASE_RECEIVED: return CASE_PH_RECEIVED;
	case CASE_SUPP_START: return s->accepted ? CASE_PH_SUPP : CASE_PH_SUPP_PRE;
	case CASE_SUPP_END: return s->accepted ? CASE_PH_PROCESSING : CASE_PH_RECEIVED;
	case CASE_ACCEPTED: return CASE_PH_ACCEPTED;
	case CASE_PROCESSING:
	case CASE_SPECIAL_END: return CASE_PH_PROCESSING;
	case CASE_SPECIAL_START: return CASE_PH_SPECIAL;
	default: return CASE_PH_FINAL;
	}
}

static int guard_ok(const struct case_state *s, int g)
{
	int last = s->step >= s->nsteps - 1;
	switch (g) {
	case G_ONCE: return s->pre_supplements == 0;
	case G_NOT_LAST: return !last;
	case G_LAST: return last;
	case G_ABOVE_ONE: return s->step > 1;
	case G_LAST_TOL: return last && s->tolerance_ok;
	default: return 1;
	}
}

static const struct transition *find(const struct case_state *s, int action)
{
	int ph = case_phase(s);
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].phase == ph && table[i].action == action)
			return guard_ok(s, table[i].guard) ? &table[i] : NULL;
	return NULL;
}

/* One pass over the table: a (phase, action) pair is in it once at most
** (tables_sound), so this is find() of every action. */
unsigned case_allowed(const struct case_state *s)
{
	int ph = case_phase(s);
	unsigned mask = 0;
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].phase == ph && guard_ok(s, table[i].guard))
			mask |= 1u << table[i].action;
	return mask;
}

void case_allowed_names(const struct case_state *s, char *buf, size_t n)
{
	unsigned mask = case_allowed(s);
	size_t used = 0;
	buf[0] = 0;
	for (int a = 0; a < CASE_A_COUNT && used < n; a++)
		if (mask & (1u << a))
			used += snprintf(buf + used, n - used, "%s%s", used ? ", " : "", actions[a].name);
}

#ifdef GG_TESTING
/* The tables' invariants, checked on every transition of the test build:
** every status and action named; each transition leaves a working phase for
** a real status (or the same one, or the withdrawal pair), and no (phase,
** action) pair appears twice — find() takes the first, so a second would be
** dead silently. */
static int tables_sound(void)
{
	for (int i = 0; i <= CASE_STATUS_MAX; i++)
		if (!statuses[i].name)
			return 0;
	for (int a = 0; a < CASE_A_COUNT; a++)
		if (!actions[a].name)
			return 0;
	for (size_t i = 0; i < NTABLE; i++) {
		const struct transition *t = &table[i];
		if (t->phase < CASE_PH_NEW || t->phase >= CASE_PH_FINAL || !action_ok(t->action) ||
		    !(t->to == TO_SAME || t->to == TO_WITHDRAW || (t->to > CASE_NONE && t->to <= CASE_STATUS_MAX)))
			return 0;
		for (size_t j = i + 1; j < NTABLE; j++)
			if (table[j].phase == t->phase && table[j].action == t->action)
				return 0;
	}
	return 1;
}
#endif

int case_next(const struct case_state *s, int action, struct case_state *out, struct err *e)
{
#ifdef GG_TESTING
	assert(tables_sound());
#endif
	assert(s->nsteps >= 1);
	const struct transition *t = action_ok(action) ? find(s, action) : NULL;
	if (!t) {
		char allowed[256];
		case_allowed_names(s, allowed, sizeof allowed);
		return err_set(e, ERR_CONFLICT, "action",
			       "办件状态为「%s」，不能执行「%s」；允许的操作: %s "
			       "(status %d does not allow %s)", case_status_name(s->status),
			       case_action_label(action), allowed[0] ? allowed : "无 (none)",
			       s->status, case_action_name(action));
	}
	struct case_state n = *s;
	if (t->to == TO_WITHDRAW)
		n.status = s->accepted ? CASE_WITHDRAWN : CASE_CANCELLED;
	else if (t->to != TO_SAME)
		n.status = t->to;
	if (action == CASE_A_ACCEPT)
		n.accepted = 1;
	if (action == CASE_A_SUPPLEMENT && !s->accepted)
		n.pre_supplements++;
	switch (t->step) {
	case STEP_REVIEW: n.step = s->nsteps > 1 ? 1 : 0; break;
	case STEP_NEXT: n.step = s->step + 1; break;
	case STEP_PREV: n.step = s->step - 1; break;
	default: break;
	}
	*out = n;
	return 0;
}
