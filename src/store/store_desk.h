/*
** store_desk.h: rows of the service desk (migration 0013): tickets, their
** event log and the webhook outbox. The rules (who may do what, which action
** from which status, the SLA clocks) live in desk/desk.h; this file only
** reads and writes.
**
** Single tickets come back as a plain struct (strings copied in); listings as
** jansson arrays of objects (caller owns them, json_decref). Event rows are
** {id, ticket_id, at, action, actor, note, details} with details parsed.
*/
#ifndef GG_STORE_DESK_H
#define GG_STORE_DESK_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

struct desk_ticket {
	int64_t id;
	char kind[16];
	char title[256];
	char description[4000];
	int level;
	char category[24];
	char status[16];
	int64_t reporter_id;          /* 0: a caller or the system          */
	char reporter[96];
	int64_t reported_at, created_at, updated_at;
	char created_by[96];
	int64_t handler_id;           /* 0: nobody yet                       */
	char handler[64];
	char affected[1000];
	char source[16];              /* person | inspection | job           */
	char source_ref[96];          /* "" for person                       */
	char links[2000];             /* JSON array text                     */
	char cause[2000], fix[2000], prevention[2000];
	char rca[8000];
};

/* Insert t (id ignored) into *id. A second open ticket for the same
** source_ref is ERR_CONFLICT. */
int store_desk_ticket_insert(struct store *st, const struct desk_ticket *t, int64_t *id, struct err *e);
/* ERR_NOTFOUND when absent. */
int store_desk_ticket_get(struct store *st, int64_t id, struct desk_ticket *t, struct err *e);
/* Write back the mutable columns of t (status, handler, affected, links,
** cause, fix, prevention, rca, updated_at). */
int store_desk_ticket_update(struct store *st, const struct desk_ticket *t, struct err *e);
/* The open (not closed) ticket of source_ref: *id 0 when none. */
int store_desk_ticket_open_ref(struct store *st, const char *ref, int64_t *id, struct err *e);

struct desk_filter {
	const char *status;           /* one status code, "active" (not closed) or NULL */
	int level;                    /* 0: any                              */
	const char *category;         /* NULL: any                           */
	int64_t reporter_id;          /* 0: anyone                           */
	int64_t handler_id;           /* 0: anyone                           */
	int64_t from, to;             /* reported_at in [from, to); to 0: open */
	const char *q;                /* substring of title or source_ref    */
};

/* Tickets matching f, newest reported first, paged (columns of the table
** except the long texts). */
int store_desk_ticket_list(struct store *st, const struct desk_filter *f, const struct page *pg,
			   json_t **items, int64_t *total, struct err *e);
/* Ids of every ticket matching f, oldest first (for reports and sweeps). */
int store_desk_ticket_ids(struct store *st, const struct desk_filter *f, int64_t **ids, int *n,
			  struct err *e);

/* For the 运维档案: tickets reported in [from, to) ({id, reported_at, level,
** category, status, title, reporter, source_ref, cause}) and requests made in
** it ({id, created_at, kind, status, title, requester, unit}), oldest first. */
int store_desk_archive_tickets(struct store *st, int64_t from, int64_t to, json_t **items, struct err *e);
int store_desk_archive_requests(struct store *st, int64_t from, int64_t to, json_t **items, struct err *e);

/* Append an event (details: JSON text or NULL). */
int store_desk_event_add(struct store *st, int64_t ticket_id, int64_t at, const char *action,
			 const char *actor, const char *note, const char *details, struct err *e);
/* Events of a ticket in time order. */
int store_desk_events(struct store *st, int64_t ticket_id, json_t **items, struct err *e);

/* ---- webhook outbox ---------------------------------------------------------- */

int store_desk_outbox_add(struct store *st, int64_t now, const char *body, struct err *e);
/* Pending rows with next_at <= now, oldest first, at most limit:
** [{id, body, attempts}]. */
int store_desk_outbox_due(struct store *st, int64_t now, int limit, json_t **items, struct err *e);
/* Record an attempt: state sent|pending|failed, next_at for a retry. */
int store_desk_outbox_mark(struct store *st, int64_t id, const char *state, int attempts, int64_t next_at,
			   int64_t now, const char *error, struct err *e);
/* Rows by state: *pending, *sent, *failed. */
int store_desk_outbox_counts(struct store *st, int64_t *pending, int64_t *sent, int64_t *failed,
			     struct err *e);

/* ---- the other services of 第一条 ----------------------------------------------- */

struct desk_request {
	int64_t id;
	char kind[24];
	char title[256];
	char description[4000];
	char status[16];
	int64_t requester_id;          /* 0: entered for someone else        */
	char requester[96];
	char unit[128];
	char feasibility[2000];
	double estimate_days;          /* NAN: not estimated                 */
	char reply[2000];
	char reason[1000];
	char scheduled_for[11];
	int64_t delivered_at;
	char links[2000];
	int64_t visit_id;
	int64_t created_at, updated_at;
};

int store_desk_request_insert(struct store *st, const struct desk_request *r, int64_t *id, struct err *e);
int store_desk_request_get(struct store *st, int64_t id, struct desk_request *r, struct err *e);
int store_desk_request_update(struct store *st, const struct desk_request *r, struct err *e);
/* status NULL: any; requester_id 0: anyone; q: substring of the title. */
int store_desk_request_list(struct store *st, const char *status, int64_t requester_id, const char *q,
			    const struct page *pg, json_t **items, int64_t *total, struct err *e);
int store_desk_request_event_add(struct store *st, int64_t request_id, int64_t at, const char *action,
				 const char *actor, const char *note, struct err *e);
int store_desk_request_events(struct store *st, int64_t request_id, json_t **items, struct err *e);

/* Strings are borrowed for the call. */
struct desk_consult_row {
	int64_t at;
	const char *caller, *unit, *channel, *question, *answer, *category, *created_by;
	int minutes;
	int64_t article_id;            /* 0: none */
	int64_t created_at;
};
int store_desk_consult_insert(struct store *st, const struct desk_consult_row *c, int64_t *id, struct err *e);
/* Newest first; q: substring of the question, answer, caller or unit. */
int store_desk_consult_list(struct store *st, const char *q, int64_t from, int64_t to, const struct page *pg,
			    json_t **items, int64_t *total, struct err *e);

struct desk_article_row {
	int64_t id;                    /* update: the article               */
	const char *title, *body, *tags, *by;
	int64_t at;
};
int store_desk_article_insert(struct store *st, const struct desk_article_row *a, int64_t *id, struct err *e);
int store_desk_article_update(struct store *st, const struct desk_article_row *a, struct err *e);
int store_desk_article_get(struct store *st, int64_t id, json_t **out, struct err *e);
/* q: substring of the title, body or tags; tag: one tag exactly. */
int store_desk_article_search(struct store *st, const char *q, const char *tag, const struct page *pg,
			      json_t **items, int64_t *total, struct err *e);

struct desk_training_row {
	const char *day, *topic, *trainer, *materials, *by;
	double hours, feedback;        /* feedback NAN: none                 */
	int64_t at;
};
int store_desk_training_insert(struct store *st, const struct desk_training_row *t, int64_t *id, struct err *e);
int store_desk_training_attend(struct store *st, int64_t training_id, int64_t user_id, int completed,
			       struct err *e);
/* Newest first, each with "attendees": "a,b". */
int store_desk_training_list(struct store *st, const struct page *pg, json_t **items, int64_t *total,
			     struct err *e);
/* Attachments of desk records (desk_files, migration 0025). */
struct desk_file_row {
	int64_t id, owner_id, size, uploaded_at;
	char owner[16], name[256], mime[96], ext[16], sha256[65], uploaded_by[64];
};
int store_desk_file_add(struct store *st, struct desk_file_row *f, struct err *e);
/* [{id, name, mime, ext, size, sha256, uploaded_at, uploaded_by}] of one record, in upload order. */
int store_desk_files(struct store *st, const char *owner, int64_t owner_id, json_t **rows, struct err *e);
/* ERR_NOTFOUND naming id when there is no such file. */
int store_desk_file_get(struct store *st, int64_t id, struct desk_file_row *f, struct err *e);
/* 1 when training id exists. */
int store_desk_training_exists(struct store *st, int64_t id);
int store_desk_backbone_set(struct store *st, int64_t user_id, int on, int64_t at, const char *note,
			    struct err *e);
/* [{username, since, note, completed: "topic (day); ...", hours}] */
int store_desk_backbones(struct store *st, json_t **items, struct err *e);

struct desk_plan_row {
	const char *code, *name, *scenario, *steps, *roles;
	int64_t at;
};
int store_desk_plan_insert(struct store *st, const struct desk_plan_row *p, int64_t *id, struct err *e);
int store_desk_plan_list(struct store *st, json_t **items, struct err *e);
/* *found 0 when no plan has the id. */
int store_desk_plan_exists(struct store *st, int64_t id, int *found, struct err *e);

struct desk_drill_row {
	int64_t plan_id, started_at, ended_at, at;
	const char *participants, *results, *problems, *tickets, *by;
};
int store_desk_drill_insert(struct store *st, const struct desk_drill_row *d, int64_t *id, struct err *e);
/* The drill records and, as drills of the plan 'backup', the scheduler's
** restore drills (ops_runs job 'drill'), newest first: {source: desk|ops}. */
int store_desk_drill_list(struct store *st, const struct page *pg, json_t **items, int64_t *total,
			  struct err *e);

struct desk_visit_row {
	const char *day, *unit, *contact, *comments, *pain_points, *by;
	int score_response, score_quality, score_attitude;
	int64_t at;
};
int store_desk_visit_insert(struct store *st, const struct desk_visit_row *v, int64_t *id, struct err *e);
int store_desk_visit_get(struct store *st, int64_t id, json_t **out, struct err *e);
int store_desk_visit_set_pain_points(struct store *st, int64_t id, const char *pain_points, struct err *e);
int store_desk_visit_list(struct store *st, const struct page *pg, json_t **items, int64_t *total,
			  struct err *e);

/* The month's figures of the other services: {requests, requests_by_status,
** consults, consult_minutes, trainings, training_hours, attendances, drills,
** restore_drills, visits, score_response, score_quality, score_attitude};
** [from, to) in epoch seconds and [day_from, day_to) as YYYY-MM-DD. */
int store_desk_month_services(struct store *st, int64_t from, int64_t to, const char *day_from,
			      const char *day_to, json_t **out, struct err *e);

#endif
