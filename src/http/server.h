/*
** server.h: the HTTP server on libmicrohttpd. One epoll thread pool sized to
** the cores; each request is checked as soon as its headers are in
** (http/reqcheck.h: refused at once with 400), read whole (bodies over 1 MiB
** are refused with 413 without buffering), answered on the callback after
** the body, and timed into the metrics. /api/... goes to the router,
** /metrics to the metrics renderer (source-address allow list), anything
** else to the static files. Connections are limited in number, per
** address, in idle time and in memory (struct http_limits, app.h); every
** response carries the security headers below.
**
** Stopping: requests under way get 10 s; requests waiting for later work
** (the case writer, http.h) are always waited for, so each is answered (or
** finished and dropped when its client has gone) before the daemon stops.
*/
#ifndef GG_SERVER_H
#define GG_SERVER_H

#include "http/app.h"

#define HTTP_MAX_BODY (1024 * 1024)

/* Sent with every response, with X-Frame-Options and X-Content-Type-Options:
** nosniff: scripts, styles, images and API calls from this origin only
** (inline styles allowed for the charts and the printable documents). No
** page may be framed (X-Frame-Options: DENY) except the printable HTML
** documents under /api/ (受理通知书, 巡检报告 …), which the application shows
** in a dialog's frame: those may be framed by this origin only. */
#define HTTP_CSP_BASE "default-src 'self'; script-src 'self'; " \
	"style-src 'self' 'unsafe-inline'; " \
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
#define HTTP_CSP HTTP_CSP_BASE "frame-ancestors 'none'"
#define HTTP_CSP_DOCUMENT HTTP_CSP_BASE "frame-ancestors 'self'"

struct server;

/* Read [server] max_connections, per_ip_connections, timeout_seconds,
** connection_memory_kib and secure_cookies into app->limits and
** app->secure_cookies (docs/operations.md); ERR_INVALID naming a bad key. */
int server_conf_load(const struct conf *c, struct app *app, struct err *e);

/* Listen on host:port ("127.0.0.1:8080"; port 0 picks a free one). */
int server_start(struct app *app, const char *listen, struct server **out, struct err *e);
/* The port actually bound. */
int server_port(const struct server *s);
/* Stop accepting, let in-flight requests finish (up to 10 s), stop. */
void server_stop(struct server *s);

#endif
