/*
** desk.h: the 运维服务台 (contract 第一条/第二条): fault tickets (故障工单)
** with their state machine, SLA clocks computed from the event log, tickets
** the system opens for failing inspection items and scheduled jobs, webhook
** notifications and the desk's reports.
**
** Tickets. Levels 1..3 (一级 core business down or many users, 二级 some
** users, 三级 one user's own environment); categories config, bug,
** third_party, user_env, infrastructure. Every action is one row of the
** ticket's event log and one audit row, in one transaction; which action is
** allowed from which status is the table in desk_fsm.c.
**
** Clocks (7×24, real minutes), all computed by desk_sla from reported_at and
** the events, never stored:
**   response    reported_at → first `respond`
**   resolution  reported_at → the `resolve` in force, minus pauses (pause →
**               resume) and the time a resolved ticket waited before reopen
**   third_party first `escalate_third_party` → first `third_party_responded`
**   rca         (level 1) first `resolve` → `rca_submit`
** Targets come from [desk] of gonggai.ini (desk_conf_load, defaults are the
** contract's). A clock warns at warn_percent of its target and records the
** minute it breached.
**
** Who: ops (and the command line) handle every ticket; every account may
** report a fault and follow, verify or reopen the tickets it reported;
** leaders read all tickets and the SLA compliance.
**
** Ownership: JSON results belong to the caller (json_decref); struct
** desk_conf is filled once and only read afterwards.
*/
#ifndef GG_DESK_H
#define GG_DESK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/conf.h"
#include "base/dict.h"
#include "base/err.h"
#include "org/rbac.h"
#include "store/store.h"
#include "store/store_desk.h"

struct ops_inspection;

enum desk_category { DC_CONFIG, DC_BUG, DC_THIRD_PARTY, DC_USER_ENV, DC_INFRA, DC_N };

enum desk_status {
	DS_OPEN, DS_ASSIGNED, DS_IN_PROGRESS, DS_THIRD_PARTY, DS_PAUSED, DS_RESOLVED, DS_VERIFIED,
	DS_CLOSED, DS_N
};

enum desk_action {
	DA_ASSIGN, DA_RESPOND, DA_ESCALATE, DA_TP_RESPONDED, DA_PAUSE, DA_RESUME, DA_RESOLVE, DA_VERIFY,
	DA_REOPEN, DA_CLOSE, DA_RCA, DA_N
};

/* Codes and Chinese labels ("open" / "待响应"); -1 for an unknown code. */
const char *desk_status_code(int s);
int desk_status_parse(const char *code);
const char *desk_action_code(int a);
int desk_action_parse(const char *code);
const char *desk_category_code(int c);
int desk_category_parse(const char *code);
/* The status an action leads to from `from`, or -1 when the table forbids
** it. */
int desk_next_status(int from, int action);
/* Chinese label of code in the named dictionary (the code when unknown). */
const char *desk_label(const char *dict_name, const char *code);

/* The desk's names for GET /api/dict: desk.status, desk.action,
** desk.category, desk.level, desk.event, desk.clock. */
extern const struct dict desk_dicts[];
/* desk.request_status, desk.request_action, desk.request_kind, desk.channel. */
extern const struct dict desk_service_dicts[];

/* ---- configuration ---------------------------------------------------------------- */

#define DESK_MAX_MAP 32

struct desk_level_map {
	char prefix[64];              /* item or job prefix, "*" for the rest  */
	int level;
};

struct desk_conf {
	int respond_min[4];           /* [level]: 1, 5, 10                      */
	int resolve_min[4][DC_N];     /* [level][category]                      */
	int third_party_min;          /* 30                                     */
	int rca_min;                  /* 1440                                   */
	int warn_percent;             /* 80                                     */
	int open_on_warn;             /* WARN also opens tickets (default off)  */
	struct desk_level_map map[DESK_MAX_MAP];
	int nmap;
	char webhook_url[512];        /* "" : no notifications                  */
	int webhook_timeout_ms;       /* 5000                                   */
	int webhook_attempts;         /* 5                                      */
	int interval_s;               /* 10: how often serve's desk worker runs */
};

/* [desk] of c (NULL: defaults). ERR_INVALID names a malformed key. */
int desk_conf_load(const struct conf *c, struct desk_conf *out, struct err *e);
/* Level of a failing inspection item or job ("job.backup"): longest
** matching prefix of the [desk] levels map. */
int desk_level_for(const struct desk_conf *cf, const char *ref);

/* ---- clocks ----------------------------------------------------------------------- */

struct desk_clock {
	int applies;                  /* 0: this clock is null for the ticket  */
	int target_min;
	int64_t started;              /* 0: not started yet                    */
	int64_t due;                  /* 0 when not started                    */
	int64_t stopped;              /* 0 while running                       */
	int64_t elapsed_s;            /* counted seconds (pauses excluded)      */
	int64_t breached_at;          /* 0 when not (yet) breached             */
	int met;                      /* -1 running / not started, 0, 1        */
	int warning;                  /* running and past warn_percent         */
	int paused;                   /* suspended by a pause (resolution)     */
};

struct desk_sla {
	struct desk_clock response, resolution, third_party, rca;
};

/* The clocks of a ticket at `now` from its events (store_desk_events). */
void desk_sla(const struct desk_conf *cf, const struct desk_ticket *t, const json_t *events, int64_t now,
	      struct desk_sla *out);
/* {"target_minutes","started","due","elapsed_minutes","met","breached",
** "breached_at","warning","paused","stopped"} or null when the clock does
** not apply. */
json_t *desk_clock_json(const struct desk_clock *c);
json_t *desk_sla_json(const struct desk_sla *s);

/* ---- tickets ---------------------------------------------------------------------- */

struct desk_ticket_in {
	const char *kind;             /* "fault" (NULL: fault)                  */
	int level;
	const char *category, *title, *description, *affected;
	const char *reported_at;      /* ISO 8601 / "YYYY-MM-DD HH:MM" or NULL  */
	const char *caller;           /* ops: the caller of a phone report      */
	const json_t *links;          /* [{"type","ref"}] or NULL               */
};

struct desk_act_in {
	const char *action, *note;
	const char *handler;          /* assign                                 */
	const char *reason;           /* pause                                  */
	const char *cause, *fix, *prevention;   /* resolve                      */
	const char *rca;              /* rca_submit                             */
};

int desk_ticket_add(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
		    const struct desk_ticket_in *in, int64_t *id, struct err *e);
int desk_ticket_act(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
		    int64_t id, const struct desk_act_in *in, struct err *e);
/* The ticket with its events, clocks and the actions open to who. */
int desk_ticket_show(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
		     int64_t id, json_t **out, struct err *e);
/* Tickets visible to who (mine = only those who reported), each with its
** clocks. */
int desk_ticket_list(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
		     const struct desk_filter *f, int mine, const struct page *pg, json_t **items,
		     int64_t *total, struct err *e);
/* Counts for the 工作台 badge: {"open","warning","breached","mine"}. */
int desk_badge(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
	       json_t **out, struct err *e);

/* ---- observers (registered from above) --------------------------------------------- */

/* After an inspection run seen at `now`: a CRIT item (WARN too with
** open_on_warn) opens a ticket or, when its ticket is open, adds an
** `observed` event when the status changed; an item back to OK adds
** `recovered` to its open ticket, which then waits for a person to verify
** and close it. One transaction. */
int desk_on_inspection(struct store *st, const struct desk_conf *cf, int64_t now,
		       const struct ops_inspection *in, struct err *e);
/* A scheduled job failed: the same for source "job.<name>". */
int desk_on_job_failed(struct store *st, const struct desk_conf *cf, int64_t now, const char *job,
		       int64_t run_id, const char *message, struct err *e);
/* A job succeeded (run run_id): when its job.<name> ticket is still open
** and the system's last word on it was a failure, a `job_recovered` event
** ("作业已恢复成功, run N"). The ticket stays where it is: a person
** resolves and closes it, as after an inspection item's recovery. Nothing
** (not even a transaction) when the job has no open ticket. */
int desk_on_job_succeeded(struct store *st, const struct desk_conf *cf, int64_t now, const char *job,
			  int64_t run_id, struct err *e);

/* ---- notifications ------------------------------------------------------------------ */

/* Send due webhook deliveries (POST of the JSON event, timeout from the
** configuration); a failure is retried with a growing delay up to
** webhook_attempts times, then marked failed. *sent / *failed count this
** call. Never called on a request path. */
int desk_notify_flush(struct store *st, const struct desk_conf *cf, int64_t now, int *sent, int *failed,
		      struct err *e);

/* Record, once per clock, the warning (at the sweep) and the breach (at the
** instant the target ran out) of every open ticket as events of its log
** (sla_warning, sla_breach), so the handler and the webhook hear of them.
** The clocks themselves stay computed from the actions. *recorded counts. */
int desk_sla_sweep(struct store *st, const struct desk_conf *cf, int64_t now, int *recorded, struct err *e);

/* The desk worker of `serve`: its own connection to db_path; every
** interval_s it sweeps the clocks and sends due webhook deliveries.
** stop() joins and frees it (NULL is fine). */
struct desk_sender;
int desk_sender_start(const char *db_path, const struct desk_conf *cf, struct desk_sender **out, struct err *e);
void desk_sender_stop(struct desk_sender *s);

/* ---- reports ------------------------------------------------------------------------- */

enum desk_report_format { DESK_XLSX = 1, DESK_HTML = 2, DESK_JSON = 3 };

/* 故障处理报告 (or 重大事件故障报告 for level 1) of one ticket as printable
** HTML; *body malloc'd. Audited desk.report. */
int desk_report_ticket(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
		       int64_t id, char **body, size_t *len, struct err *e);
/* Monthly summary of period "YYYY-MM" (ops and leaders). With path the
** result goes to that file, else into *body (malloc'd); DESK_JSON gives the
** data itself (desk_monthly_data) as JSON text. XLSX and HTML are audited
** desk.report. */
int desk_report_monthly(struct store *st, const struct desk_conf *cf, const struct principal *who,
			int64_t now, const char *period, int format, const char *path, char **body,
			size_t *len, struct err *e);
/* The monthly figures as data (the report's source). */
int desk_monthly_data(struct store *st, const struct desk_conf *cf, int64_t now, const char *period,
		      json_t **out, struct err *e);

/* ---- the other services of 第一条 (desk_request.c, desk_care.c) ---------------------------
**
** Each takes its input as a JSON object, checked here field by field (the
** same object arrives from the API body and from the command line's --data),
** writes its audit row, and answers JSON. Ops handle everything; every
** account may submit a request and follow its own; every account reads
** the knowledge base (帮助中心); leaders read the rest. */

/* 需求受理. in: {kind, title, description?, unit?, requester? (ops), links?}. */
int desk_request_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		     struct err *e);
/* in: {action: assess|reply|accept|schedule|reject|deliver, note?, feasibility?,
** estimate_days?, reply?, reason?, scheduled_for?, links?}. */
int desk_request_act(struct store *st, const struct principal *who, int64_t now, int64_t id, const json_t *in,
		     struct err *e);
int desk_request_show(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e);
int desk_request_list(struct store *st, const struct principal *who, const char *status, const char *q, int mine,
		      const struct page *pg, json_t **items, int64_t *total, struct err *e);

/* 技术咨询. in: {at?, caller, unit?, channel, question, answer?, category?,
** minutes?, article_id? | article?: {title, tags?} (creates one from the answer)}. */
int desk_consult_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		     struct err *e);
int desk_consult_list(struct store *st, const struct principal *who, const char *q, const struct page *pg,
		      json_t **items, int64_t *total, struct err *e);
/* 知识库. in: {title, body, tags?}; id > 0 updates. */
int desk_article_save(struct store *st, const struct principal *who, int64_t now, int64_t id, const json_t *in,
		      int64_t *out_id, struct err *e);
int desk_article_show(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e);
int desk_article_search(struct store *st, const struct principal *who, const char *q, const char *tag,
			const struct page *pg, json_t **items, int64_t *total, struct err *e);

/* 培训服务. in: {day, topic, trainer, hours, materials?, feedback?, attendees?: [username]}. */
int desk_training_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		      struct err *e);
/* Newest first, each with "files": its materials as desk_training_file_add lists them. */
int desk_training_list(struct store *st, const struct principal *who, const struct page *pg, json_t **items,
		       int64_t *total, struct err *e);
/* 培训资料: a file (PDF, images, Office, OFD — by content, at most max_bytes)
** attached to training training_id (ops), kept in the database's file store
** and its backups; audited desk.training.file. *out = {id, name, mime, ext,
** size, sha256, uploaded_at, uploaded_by}. */
int desk_training_file_add(struct store *st, const struct principal *who, int64_t now, int64_t training_id,
			   const char *name, const void *data, size_t len, int64_t max_bytes, json_t **out,
			   struct err *e);
/* One attachment's record and bytes, checked against its hash (ops, leaders);
** data->data is freed by the caller. */
int desk_file_read(struct store *st, const struct principal *who, int64_t id, struct desk_file_row *meta,
		   struct buf *data, struct err *e);
/* in: {username, on: bool, note?}: who is a 技术骨干. */
int desk_backbone_set(struct store *st, const struct principal *who, int64_t now, const json_t *in,
		      struct err *e);
int desk_backbone_list(struct store *st, const struct principal *who, json_t **items, struct err *e);

/* 应急演练. plan in: {code, name, scenario, steps: [{step, role?, expected_minutes?}], roles?};
** drill in: {plan_id, started_at, ended_at, participants?, results?: [{step, ok, minutes?, note?}],
** problems?, tickets?: [ticket id]}. */
int desk_plan_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		  struct err *e);
int desk_plan_list(struct store *st, const struct principal *who, json_t **items, struct err *e);
int desk_drill_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		   struct err *e);
/* Drill records and the scheduler's restore drills (plan 'backup'). */
int desk_drill_list(struct store *st, const struct principal *who, const struct page *pg, json_t **items,
		    int64_t *total, struct err *e);

/* 定期回访. in: {day, unit, contact?, score_response, score_quality, score_attitude
** (1..5), comments?, pain_points?: [text]}. */
int desk_visit_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		   struct err *e);
int desk_visit_list(struct store *st, const struct principal *who, const struct page *pg, json_t **items,
		    int64_t *total, struct err *e);
/* Pain point index of visit id becomes a request (once): *request_id. */
int desk_visit_to_request(struct store *st, const struct principal *who, int64_t now, int64_t id, int index,
			  int64_t *request_id, struct err *e);

/* Events for the 运维档案 (registered from above as its sources): append
** {at, kind: "incident", title, detail, actor, ref} for each fault reported
** in [from, to), and kind "request" for each request made in it. ctx unused. */
int desk_archive_incidents(void *ctx, struct store *st, int64_t from, int64_t to, json_t *out, struct err *e);
int desk_archive_requests(void *ctx, struct store *st, int64_t from, int64_t to, json_t *out, struct err *e);

/* The principal of an account name, for the command line's --as. */
int desk_principal_for(struct store *st, const char *username, struct principal *p, struct err *e);

#endif
