/*
** case_fsm.h: the state machine of one 办件 (item case), pure.
**
** States are the national status codes BLZT 1..15 (domain.md §3), kept as a
** table of data (code, Chinese name, class) in case_fsm.c so a corrected
** official list is a data edit. 0 is "not yet received" (before the first
** row). The code alone does not decide what may follow: 补正结束 (7) before
** acceptance leads back to the window, after acceptance back to the
** department; so a state is the code plus the facts that matter (accepted,
** the current step 环节 of the pinned item version, how many supplements were
** requested before acceptance, whether the item allows 容缺).
**
** Phases (derived from the state, each a row group of the transition table):
**   new           0                    receive
**   received      1, 7 before accept   accept refuse supplement(once: 一次性告知)
**                                      transfer withdraw revoke
**   supp_pre      6 before accept      supplement_done withdraw revoke
**   accepted      3                    start_review supplement special_start
**                                      transfer decide* withdraw revoke
**   processing    8, 7/10 after accept next_step return supplement special_start
**                                      transfer decide* withdraw revoke
**   supp          6 after accept       supplement_done withdraw revoke
**   special       9                    special_end withdraw revoke
**   final         2 4 5 11..15         nothing
** decide* = approve, approve_tolerance (only when the item allows 容缺), deny;
** only at the last step. next_step only before the last step; return only
** back to step 1 at the lowest (the 受理 step 0 is done once accepted).
** withdraw before acceptance is 2 已撤件, after acceptance 14 撤回.
**
** Who acts: the current step's role in the case's department (case.c checks
** it), except revoke (撤销), a decision of the department head, and
** withdraw (撤回), which the window clerk may also record.
**
** No I/O, no allocation, no global mutable state.
*/
#ifndef GG_CASE_FSM_H
#define GG_CASE_FSM_H

#include <stddef.h>

#include "base/err.h"

/* BLZT status codes. */
enum case_status {
	CASE_NONE = 0,
	CASE_RECEIVED = 1,        /* 已接件              */
	CASE_CANCELLED = 2,       /* 已撤件 (before acceptance) */
	CASE_ACCEPTED = 3,        /* 受理                */
	CASE_NOT_ACCEPTED = 4,    /* 不受理 (kept for exchanged data; no action yields it) */
	CASE_REFUSED = 5,         /* 不予受理            */
	CASE_SUPP_START = 6,      /* 补正开始            */
	CASE_SUPP_END = 7,        /* 补正结束            */
	CASE_PROCESSING = 8,      /* 部门开始办理        */
	CASE_SPECIAL_START = 9,   /* 特别程序开始        */
	CASE_SPECIAL_END = 10,    /* 特别程序结束        */
	CASE_APPROVED = 11,       /* 办结(通过)          */
	CASE_APPROVED_TOL = 12,   /* 办结(容缺后补通过)  */
	CASE_DENIED = 13,         /* 办结(不通过)        */
	CASE_WITHDRAWN = 14,      /* 撤回                */
	CASE_REVOKED = 15,        /* 撤销                */
	CASE_STATUS_MAX = 15,
};

/* What a status means for counting (statistics use these, domain.md §11). */
enum case_class {
	CASE_CLASS_NONE = 0,
	CASE_CLASS_RUNNING,       /* 1 3 6 7 8 9 10: 在办            */
	CASE_CLASS_PASSED,        /* 11: 办结通过                    */
	CASE_CLASS_PASSED_TOL,    /* 12: 容缺通过                    */
	CASE_CLASS_FAILED,        /* 13: 不通过                      */
	CASE_CLASS_NOT_ACCEPTED,  /* 4 5: 不予受理                   */
	CASE_CLASS_WITHDRAWN,     /* 2 14: 撤件/撤回                 */
	CASE_CLASS_REVOKED,       /* 15: 撤销                        */
};

enum case_action {
	CASE_A_RECEIVE = 0,
	CASE_A_ACCEPT,
	CASE_A_REFUSE,
	CASE_A_SUPPLEMENT,
	CASE_A_SUPPLEMENT_DONE,
	CASE_A_START_REVIEW,
	CASE_A_NEXT_STEP,
	CASE_A_RETURN,
	CASE_A_TRANSFER,
	CASE_A_SPECIAL_START,
	CASE_A_SPECIAL_END,
	CASE_A_APPROVE,
	CASE_A_APPROVE_TOLERANCE,
	CASE_A_DENY,
	CASE_A_WITHDRAW,
	CASE_A_REVOKE,
	CASE_A_COUNT,
};

/* Who may take an action. */
enum case_actor {
	CASE_ACTOR_STEP = 0,      /* the role of the current step          */
	CASE_ACTOR_HEAD = 1,      /* the department head, whatever the step */
	CASE_ACTOR_WINDOW = 2,    /* the step's role or a window clerk (the
				   * applicant withdraws at the window)     */
};

enum case_phase {
	CASE_PH_NEW = 0, CASE_PH_RECEIVED, CASE_PH_SUPP_PRE, CASE_PH_ACCEPTED,
	CASE_PH_PROCESSING, CASE_PH_SUPP, CASE_PH_SPECIAL, CASE_PH_FINAL,
};

struct case_state {
	int status;               /* enum case_status                      */
	int accepted;             /* 1 once accepted (3 was reached)        */
	int step;                 /* current step, 0 = 受理                  */
	int nsteps;               /* steps of the pinned item version, >= 1 */
	int pre_supplements;      /* supplements requested before acceptance */
	int tolerance_ok;         /* the item allows 容缺                    */
};

/* ---- data ---------------------------------------------------------------- */
/* Chinese name of a status code ("已接件"), "未知" when out of range. */
const char *case_status_name(int status);
int case_status_class(int status);
/* 1 for the final statuses (2 4 5 11..15): nothing may follow. */
int case_status_final(int status);
/* 1 for 办结 (11 12 13), the statuses that count as "completed". */
int case_status_concluded(int status);
/* 1 for statuses that stop the clock while current (6 after acceptance, 9). */
int case_status_pausing(int status, int accepted);

/* Action names as the API spells them ("accept") and in Chinese ("受理"). */
const char *case_action_name(int action);
const char *case_action_label(int action);
/* Action from its API name; -1 when unknown. */
int case_action_parse(const char *name);
int case_action_actor(int action);

/* ---- transitions ---------------------------------------------------------- */
int case_phase(const struct case_state *s);
/* Bit (1 << action) for every action allowed from s. */
unsigned case_allowed(const struct case_state *s);
/* Apply action to s into *out (s and out may alias). A forbidden action is
** ERR_CONFLICT with field "action" and a message naming the state and the
** allowed actions, e.g. "办件状态为「受理」，不能执行「准予许可」；允许的操作:
** start_review, supplement, ...". */
int case_next(const struct case_state *s, int action, struct case_state *out, struct err *e);
/* Write the allowed action names of s, comma-separated, into buf. */
void case_allowed_names(const struct case_state *s, char *buf, size_t n);

#endif
