/*
** http.h: what an API handler sees. The server (server.c) reads a request
** whole, the router (router.c) matches it to a route, checks the session,
** the content type and the role gate, hands the handler a struct http_req
** with a pooled database connection and fills struct http_resp from what it
** returns: 0 with w->json (or a raw body) set, or an ERR_* code with e set,
** which becomes {"error":{"code","field","message"}} with the mapped status.
**
** Ownership: the handler gives w->json (jansson reference) and w->body
** (malloc'd, when w->free_body) to the server, which frees them after
** sending. Everything in r is borrowed for the duration of the call.
*/
#ifndef GG_HTTP_H
#define GG_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/json.h"
#include "http/app.h"
#include "org/rbac.h"
#include "store/store.h"

struct MHD_Connection;
struct http_resp;

#define HTTP_MAX_PARAMS 4

struct http_req {
	const char *method;
	const char *path;
	struct MHD_Connection *conn;
	const char *body;              /* NUL-terminated, may be empty       */
	size_t body_len;
	json_t *json;                  /* parsed body (object) or NULL       */
	const char *params[HTTP_MAX_PARAMS];  /* {name} segments in order     */
	struct principal me;           /* user_id 0 on public routes         */
	const char *token;             /* session token, NULL when none      */
	struct store *st;
	struct app *app;
	int64_t now;
	char pstore[512];              /* storage behind params              */
	int page_force;                /* > 0: http_page answers this page of */
	int page_size_force;           /*   page_size_force rows (the export) */
	const char *query_force;       /* a query key http_query answers with */
	char query_force_val[24];      /*   this value instead (the export's after=) */
};

/* Work another thread finishes for this request (the case writer's group
** commit): a handler that sets w->later and returns 0 gives its worker back
** while it waits, so one waiting request never holds up the other
** connections of that worker. The server suspends the connection, returns
** the pooled database connection and calls start(arg, done, token); the
** thread doing the work calls done(token) exactly once, from any thread.
** The server then calls finish(r, w, arg, e) on a worker with a fresh
** pooled connection and answers as for any handler (nonzero: the error
** body). r is the same request, kept whole (r->json, r->me, r->params)
** until then. finish always runs and owns arg. */
struct http_later {
	void (*start)(void *arg, void (*done)(void *token), void *token);
	int (*finish)(struct http_req *r, struct http_resp *w, void *arg, struct err *e);
	void *arg;
};

struct http_resp {
	int status;                    /* default 200                        */
	json_t *json;                  /* response body when set             */
	char *body;                    /* or raw bytes ...                   */
	size_t body_len;
	int free_body;                 /* ... malloc'd: server frees it      */
	const char *content_type;      /* for raw bodies                     */
	char cookie[160];              /* Set-Cookie value when non-empty    */
	char disposition[256];         /* Content-Disposition when non-empty */
	char etag[64];                 /* ETag when non-empty                */
	int retry_after;               /* Retry-After seconds when nonzero   */
	struct http_later later;       /* set by a handler that waits (above) */
};

typedef int (*http_handler)(struct http_req *r, struct http_resp *w, struct err *e);

enum route_flags {
	R_PUBLIC = 1,          /* no session needed                              */
	R_MUST_CHANGE_OK = 2,  /* allowed while the password must be changed,
				  and while the TOTP factor must be enrolled      */
	R_ENROLL_OK = 4,       /* also allowed while the TOTP factor must be
				  enrolled (org/auth.h)                           */
	R_RAW_BODY = 8,        /* the body is a file of any type (not JSON), up
				  to app->upload_max bytes                        */
};

struct route {
	const char *method;
	const char *pattern;   /* "/api/users/{id}": {x} matches one segment     */
	http_handler fn;
	unsigned roles;        /* any of these roles; 0: any logged-in account   */
	unsigned flags;
};

/* Query string value or NULL. */
const char *http_query(const struct http_req *r, const char *key);
/* Request header value or NULL. */
const char *http_header(const struct http_req *r, const char *name);
/* The time a dated action happens at: r->now, or in sanitizer builds
** (GG_TESTING) the "X-GG-Now: <epoch seconds>" header when present, so
** tests can act on chosen days; release builds ignore the header. Sessions
** and rate limits always use r->now. */
int64_t http_now(const struct http_req *r);
/* Content-Disposition: attachment with a UTF-8 name (RFC 5987) and an
** ASCII name for old clients. */
void http_attachment(struct http_resp *w, const char *name, const char *ascii_name);
/* Paging from ?page=&page_size= (default 1 and 20, max 200); 400 when bad. */
int http_page(const struct http_req *r, struct page *pg, struct err *e);
/* Integer path parameter i (e.g. {id}); ERR_NOTFOUND when not a number. */
int http_param_id(const struct http_req *r, int i, int64_t *out, struct err *e);
/* Integer query parameter with a default; ERR_INVALID naming it. */
int http_query_int(const struct http_req *r, const char *key, int64_t def,
		   int64_t min, int64_t max, int64_t *out, struct err *e);
/* Time query parameter: epoch seconds or YYYY-MM-DD (Asia/Shanghai; for the
** key "to" the end of that day, so ranges [from, to) include it). */
int http_query_time(const struct http_req *r, const char *key, int64_t def, int64_t *out, struct err *e);
/* Check the body against fields (see base/json.h); a missing body is {}. */
int http_body(struct http_req *r, const struct jfield *fields, struct err *e);
/* The list shape {"items":[...],"total":N,"page":P,"page_size":S}; steals items. */
json_t *http_list(json_t *items, int64_t total, const struct page *pg);

/* Route tables, one per api_*.c file, each ending with {NULL}. */
extern const struct route api_health_routes[];
extern const struct route api_session_routes[];
extern const struct route api_org_routes[];
extern const struct route api_audit_routes[];
extern const struct route api_audit_verify_routes[];
extern const struct route api_calendar_routes[];
extern const struct route api_catalog_routes[];
extern const struct route api_project_routes[];
extern const struct route api_case_routes[];
extern const struct route api_case_export_routes[];
extern const struct route api_project_export_routes[];
extern const struct route api_case_files_routes[];
extern const struct route api_ops_routes[];
extern const struct route api_stats_routes[];
extern const struct route api_quality_routes[];
extern const struct route api_repair_routes[];
extern const struct route api_import_routes[];
extern const struct route api_dict_routes[];
extern const struct route api_export_routes[];

/* The label of code in dictionary name (GET /api/dict), NULL when either is unknown. */
const char *api_dict_label(const char *name, const char *code);
extern const struct route api_archive_routes[];
extern const struct route api_paperwork_routes[];
extern const struct route api_business_routes[];
extern const struct route api_desk_routes[];
extern const struct route api_exchange_routes[];

#endif
