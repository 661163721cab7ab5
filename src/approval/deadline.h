/*
** deadline.h: THE clock of a 办件 (domain.md §4, §12, §13). One function,
** deadline_case, turns a case's facts, "now", the working-day calendar and
** the thresholds into every number a user or a report sees: due date,
** working days used and left, paused working days, the light (green /
** yellow / red) of a running case, on_time of a concluded one, the receipt
** clock of 行政许可法 §32 and the due date of 容缺 materials. Lists, details,
** statistics, exports and the demo generator all call it; nothing else
** computes a deadline. deadline_span does the same for a stage or a whole
** project (elapsed working days against a limit).
**
** Rules (calendar conventions in calendar/cal.h):
**   due          = add(accepted, limit + paused)   (acceptance day not counted)
**   paused       = working days in the union of the pauses' (start, end]
**                  after acceptance; an open pause runs to the reference day,
**                  so while paused the due date moves and workdays_left stays
**   reference    = today while running, the final day once final
**   used         = count(accepted, reference) - paused
**   left         = count(reference, due)     (negative once overdue)
**   light        running and accepted only: red once the due day has ended
**                (left < 0, or a rest day after it), yellow when left <= max(warn_days,
**                floor(limit * warn_percent / 100)), else green; "none" before
**                acceptance and for final cases
**   on_time      办结 (11 12 13) after acceptance: final day <= due; else -1
**   receipt      the §32 clock runs from receipt_day (received, or the end
**                of a pre-acceptance supplement) until the case is accepted,
**                refused or sent for supplement: due = add(receipt_day,
**                receipt_days); flagged when it ran out before being stopped
**                (or is still running past it), or an earlier round did
**   tolerance    容缺 materials: due = add(final day, tolerance_days);
**                overdue when not received by the end of that day
**
** Days are calendar day numbers (calendar/cal.h), DEADLINE_NONE (0) when a
** fact is absent (1970-01-01 is outside the calendar's range anyway).
** Pure: no I/O, no allocation but deadline_json's result (caller decrefs).
*/
#ifndef GG_DEADLINE_H
#define GG_DEADLINE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/conf.h"
#include "base/err.h"
#include "calendar/cal.h"

#define DEADLINE_NONE 0

enum deadline_light { LIGHT_NONE = 0, LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED };

/* Thresholds, from [cases] in gonggai.ini (deadline_conf_load). */
struct deadline_conf {
	int warn_percent;         /* warn_percent   = 20  (0..100)          */
	int warn_days;            /* warn_days      = 2   (0..365)          */
	int receipt_days;         /* receipt_days   = 5   (1..60) §32       */
	int tolerance_days;       /* tolerance_days = 20  (1..365) default 容缺 term */
};

#define DEADLINE_CONF_DEFAULT ((struct deadline_conf){20, 2, 5, 20})

/* Read and validate the [cases] keys (absent keys: defaults). c may be NULL. */
int deadline_conf_load(const struct conf *c, struct deadline_conf *out, struct err *e);

struct deadline_facts {
	int status;                   /* BLZT code now                          */
	int limit;                    /* promised limit of the pinned version   */
	int32_t accepted_day;         /* DEADLINE_NONE before acceptance        */
	int32_t final_day;            /* day of the final status, or NONE       */
	const struct cal_pause *pauses;  /* 补正/特别程序; end NONE when open    */
	size_t npauses;
	int32_t receipt_day;          /* start of the current §32 round, or NONE */
	int32_t receipt_end;          /* day that round was stopped, or NONE    */
	int receipt_late_before;      /* an earlier round ran out               */
	int tolerance_days;           /* 容缺 term in working days, 0: none      */
	int32_t tolerance_done;       /* materials received on, or NONE         */
};

struct deadline {
	int status;
	int running;                  /* not final                              */
	int32_t due_day;              /* NONE before acceptance                 */
	int32_t warn_day;             /* first yellow day, NONE before acceptance */
	int workdays_used, workdays_left, paused_workdays;
	int light;                    /* enum deadline_light                    */
	int on_time;                  /* 1, 0, or -1 when not applicable        */
	int32_t receipt_due;          /* NONE when no round ever started        */
	int receipt_running;          /* the §32 round is still running         */
	int receipt_left;             /* while the round runs, else 0           */
	int receipt_overdue;          /* flagged (see above)                    */
	int32_t tolerance_due;        /* NONE when no 容缺                       */
	int tolerance_overdue;
	int provisional;              /* a year without a notice was used, or 0 */
};

/* Calendar day (Asia/Shanghai) of an instant. */
int32_t deadline_day(int64_t t);

/* Everything about a case's clock at instant now. */
int deadline_case(const struct cal *cal, const struct deadline_conf *cf,
		  const struct deadline_facts *f, int64_t now, struct deadline *out,
		  struct err *e);

/* The light for `left` working days of a running clock with this limit. */
int deadline_light(const struct deadline_conf *cf, int limit, int left);
const char *deadline_light_name(int light);     /* "green" ... , NULL for none */
/* "green"/"yellow"/"red" to the enum, -1 when unknown. */
int deadline_light_parse(const char *s);

/* A stage or a whole project: started on `start`, finished on `end` (NONE
** while running), against `limit` working days (0: no limit). */
struct deadline_span {
	int elapsed;                  /* count(start, end or today)            */
	int limit;
	int left;                     /* limit - elapsed (when limit > 0)      */
	int light;                    /* running with a limit, else NONE       */
	int on_time;                  /* finished with a limit, else -1        */
};
int deadline_span(const struct cal *cal, const struct deadline_conf *cf, int32_t start,
		  int32_t end, int limit, int64_t now, struct deadline_span *out, struct err *e);

/* The API shape of a case's clock, names fixed by the issue:
** {"status":{"code","name"},"due_date","workdays_used","workdays_left",
**  "paused_workdays","light","on_time","warn_date","receipt":{...},
**  "tolerance":{...}|null,"provisional_year"}. New reference. */
json_t *deadline_json(const struct deadline *d);
/* "YYYY-MM-DD" of a day number without printf (out: CAL_DATE_LEN bytes). */
void deadline_date(int32_t day, char out[CAL_DATE_LEN]);
/* The same members as text, without the braces ("\"status\":{...},..."),
** appended to b: the fast path of the API renders JSON by hand. */
void deadline_text(struct buf *b, const struct deadline *d);
json_t *deadline_span_json(const struct deadline_span *s);

#endif
