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

#endif
