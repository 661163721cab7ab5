/*
** router.h: matching a request to a route and running it with the checks
** every route shares (session, forced password change, role gate, content
** type, body size, JSON parsing). Used by server.c only.
*/
#ifndef GG_ROUTER_H
#define GG_ROUTER_H

#include "http/http.h"

/* Number of routes (metrics are indexed by route; index == count: unmatched). */
int router_count(void);
const char *router_pattern(int idx);
const char *router_method(int idx);

/* Find the route for method+path; fills r->params. -1 when none; *path_known
** set when the path matches some route with another method (405). */
int router_match(struct http_req *r, int *path_known);

/* Largest body accepted for method+path: app->upload_max for an R_RAW_BODY
** route, else HTTP_MAX_BODY. */
size_t router_body_limit(const struct app *app, const char *method, const char *path);

/* Run route idx for r: checks, handler, error body. w is filled. */
void router_run(int idx, struct http_req *r, struct http_resp *w);
/* The second half of a request whose handler set w->later (http.h), once
** its work is done; r->st must be a pooled connection again. */
void router_finish(struct http_req *r, struct http_resp *w);

/* GET path (a route of this API, without query: the query stays r's own)
** as the already signed-in r->me, with that route's role gate, and fill w
** as it would answer; r->path and r->params are restored afterwards. 0, or
** ERR_NOTFOUND for a path no GET route serves, ERR_FORBIDDEN for a gate,
** or the handler's error. Used by the list export (api_export.c). */
int router_call(struct http_req *r, const char *path, struct http_resp *w, struct err *e);

/* An error body for e into w. */
void router_error(struct http_resp *w, const struct err *e);

#endif
