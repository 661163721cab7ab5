/*
** desk_int.h: what the files of desk/ share and nobody else uses.
*/
#ifndef GG_DESK_INT_H
#define GG_DESK_INT_H

#include "base/buf.h"
#include "desk/desk.h"

/* 1 when who handles tickets (role ops, or the command line). */
int desk_is_ops(const struct principal *who);
/* The principal of the system's own ticket entries ("system:desk"). */
void desk_system_principal(struct principal *p);
/* ISO 8601 ("2026-11-05T09:30", "...:00+08:00", "...Z", or a space for T;
** no offset means Asia/Shanghai) to epoch seconds; ERR_INVALID naming field. */
int desk_parse_time(const char *s, const char *field, int64_t *out, struct err *e);
/* Append event (at) to t's log with its audit row (desk.ticket.<event>,
** written at now) and, when a webhook is set, its outbox row. details is
** stolen (may be NULL). Inside the caller's transaction. */
int desk_record(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t at,
		int64_t now, const struct desk_ticket *t, const char *event, const char *note, json_t *details,
		struct err *e);
/* ERR_INVALID naming field when v is missing (required) or longer than max. */
int desk_text_ok(const char *v, const char *field, size_t max, int required, struct err *e);
/* links: NULL or [{type: inspection|backup|exchange|case|run, ref}] as text. */
int desk_links_ok(const json_t *links, char *out, size_t cap, struct err *e);
/* 1 when code is a consultation channel (phone wechat qq onsite remote). */
int desk_channel_ok(const char *code);
/* Insert a request with its first event and audit row, inside the caller's
** transaction (a visit's pain point becomes one). */
int desk_request_insert(struct store *st, const struct principal *who, int64_t now, struct desk_request *r,
			int64_t *id, struct err *e);
/* A ticket's clocks at now; *events (may be NULL) gets its log. */
int desk_clocks_of(struct store *st, const struct desk_conf *cf, const struct desk_ticket *t, int64_t now,
		   struct desk_sla *sla, json_t **events, struct err *e);
/* The monthly data as an XLSX workbook: to path when set, else into *body
** (malloc'd) through a temporary file. */
int desk_monthly_xlsx(const json_t *d, const char *path, char **body, size_t *len, struct err *e);
/* The shared head of the desk's printable pages. */
void desk_html_head(struct buf *b, const char *title, const char *meta);

#endif
