/*
** server.c: libmicrohttpd glue (see server.h). Per connection request state
** is a struct conn_ctx allocated on the first callback, filled with the
** body, and freed by the completion callback. It holds the request and the
** response, so a handler that waits for another thread (w->later, http.h)
** leaves them there while the connection is suspended: the worker serves
** its other connections meanwhile, and the callback after the resume
** finishes the request.
*/
#include "http/server.h"
#include "http/metrics.h"
#include "http/reqcheck.h"
#include "http/router.h"
#include "http/static.h"
#include "base/log.h"
#include "db/db.h"

#include <arpa/inet.h>
#include <assert.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct server {
	struct MHD_Daemon *d;
	struct app *app;
	int port;
	int inflight;          /* requests begun and not completed (atomic) */
	int pending;           /* later work started and not done (atomic) */
};

struct conn_ctx {
	struct server *s;
	struct MHD_Connection *conn;
	int begun;             /* the first callback has run               */
	struct err refused;    /* from the raw target (on_uri), code 0: none */
	char *body;
	size_t len, cap;
	int too_large;
	size_t limit;          /* router_body_limit of the request     */
	int waiting;           /* suspended until its later work is done */
	int idx;               /* route, for metrics                     */
	double started_ms;
	struct http_req r;
	struct http_resp w;
};

/* ---- addresses ------------------------------------------------------------ */

static void peer_address(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "-");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, n);
}

/* 1 when addr is listed in csv (exact addresses, or IPv4 a.b.c.d/n). */
static int addr_listed(const char *csv, const char *addr)
{
	char buf[512];
	struct in_addr a, net;
	snprintf(buf, sizeof buf, "%s", csv);
	for (char *save, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		char *slash = strchr(t, '/');
		if (!slash) {
			if (strcmp(t, addr) == 0)
				return 1;
			continue;
		}
		*slash = 0;
		int bits = atoi(slash + 1);
		if (bits < 0 || bits > 32 || inet_pton(AF_INET, t, &net) != 1 || inet_pton(AF_INET, addr, &a) != 1)
			continue;
		uint32_t mask = bits ? htonl(~0u << (32 - bits)) : 0;
		if ((a.s_addr & mask) == (net.s_addr & mask))
			return 1;
	}
	return 0;
}

/* The client for audit: the peer, or X-Forwarded-For's last hop when the
** peer is a trusted proxy. */
static void client_address(struct app *app, struct MHD_Connection *c, char *out, size_t n)
{
	peer_address(c, out, n);
	if (!app->trusted_proxies[0] || !addr_listed(app->trusted_proxies, out))
		return;
	const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff || !*xff)
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	if (strlen(last) < n && strspn(last, "0123456789abcdefABCDEF.:") == strlen(last))
		snprintf(out, n, "%s", last);
}

/* ---- responses ----------------------------------------------------------- */

static void add_retry_after(struct MHD_Response *resp, int seconds)
{
	char v[16];
	snprintf(v, sizeof v, "%d", seconds);
	MHD_add_response_header(resp, "Retry-After", v);
}

/* framable: a printable document the application frames (server.h). */
static enum MHD_Result send_resp(struct MHD_Connection *c, struct http_resp *w, int framable)
{
	struct MHD_Response *resp;
	const char *ctype = w->content_type;
	if (w->json) {
		char *text = json_dumps(w->json, JSON_COMPACT);
		json_decref(w->json);
		w->json = NULL;
		resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
		ctype = "application/json; charset=utf-8";
	} else if (w->body) {
		resp = MHD_create_response_from_buffer(w->body_len, w->body,
						       w->free_body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
		w->body = NULL;
	} else {
		resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	}
	if (ctype)
		MHD_add_response_header(resp, "Content-Type", ctype);
	if (w->cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", w->cookie);
	if (w->disposition[0])
		MHD_add_response_header(resp, "Content-Disposition", w->disposition);
	if (w->etag[0])
		MHD_add_response_header(resp, "ETag", w->etag);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", framable ? "SAMEORIGIN" : "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy", framable ? HTTP_CSP_DOCUMENT : HTTP_CSP);
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	if (w->retry_after)
		add_retry_after(resp, w->retry_after);
	MHD_add_response_header(resp, "Cache-Control", w->etag[0] ? "no-cache" : "no-store");
	enum MHD_Result r = MHD_queue_response(c, w->status, resp);
	MHD_destroy_response(resp);
	return r;
}

static void serve_metrics(struct app *app, struct http_req *r, struct http_resp *w)
{
	char peer[64];
	peer_address(r->conn, peer, sizeof peer);
	if (!addr_listed(app->metrics_allow, peer)) {
		struct err e;
		err_set(&e, ERR_FORBIDDEN, "", "metrics are not served to %s", peer);
		router_error(w, &e);
		return;
	}
	struct buf b = {0};
	metrics_render(app, &b);
	w->body = b.data;
	w->body_len = b.len;
	w->free_body = 1;
	w->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

/* Run one complete request; returns the route index for metrics. */
static int dispatch(struct app *app, struct http_req *r, struct http_resp *w)
{
	struct err e;
	if (strcmp(r->path, "/metrics") == 0 && strcmp(r->method, "GET") == 0) {
		serve_metrics(app, r, w);
		return router_count();
	}
	if (strncmp(r->path, "/api/", 5) != 0 && strncmp(r->path, "/verify/", 8) != 0) {
		static_serve(app, r, w);
		return router_count();
	}
	int known, idx = router_match(r, &known);
	if (idx < 0) {
		err_set(&e, known ? ERR_INVALID : ERR_NOTFOUND, "", known ? "method not allowed" : "no such endpoint");
		router_error(w, &e);
		if (known)
			w->status = 405;
		return router_count();
	}
	r->st = db_pool_get(app->pool);
	router_run(idx, r, w);
	db_pool_put(app->pool, r->st);
	r->st = NULL;
	return idx;
}

/* Append an upload chunk to the body (over HTTP_MAX_BODY only marks it). */
static int take_upload(struct conn_ctx *cx, const char *upload, size_t n)
{
	if (cx->too_large || cx->len + n > cx->limit) {
		cx->too_large = 1;
		return 0;
	}
	if (cx->len + n + 1 > cx->cap) {
		size_t cap = cx->cap ? cx->cap : 4096;
		while (cap < cx->len + n + 1)
			cap *= 2;
		char *b = realloc(cx->body, cap);
		if (!b)
			return -1;
		cx->body = b;
		cx->cap = cap;
	}
	memcpy(cx->body + cx->len, upload, n);
	cx->len += n;
	cx->body[cx->len] = 0;
	return 0;
}

/* Called once by the thread that did the later work (http.h). s and the
** connection are read before the resume: once resumed, cx may be gone. */
static void wake(void *token)
{
	struct conn_ctx *cx = token;
	struct server *s = cx->s;
	MHD_resume_connection(cx->conn);
	__atomic_sub_fetch(&s->pending, 1, __ATOMIC_RELEASE);
}

/* The request is answered: send w, count it. */
static enum MHD_Result answer(struct server *s, struct MHD_Connection *c, struct conn_ctx *cx)
{
	json_decref(cx->r.json);
	cx->r.json = NULL;
	const char *ct = cx->w.json ? NULL : cx->w.content_type;
	int framable = cx->r.path && strncmp(cx->r.path, "/api/", 5) == 0 && ct && strncmp(ct, "text/html", 9) == 0;
	enum MHD_Result rc = send_resp(c, &cx->w, framable);
	metrics_observe(s->app->metrics, cx->idx, cx->w.status, (clock_mono_ms() - cx->started_ms) / 1e3);
	return rc;
}

/* ---- checks before the body (reqcheck.h) --------------------------------- */

struct precheck {
	int nparams;
	struct err e;
};

static enum MHD_Result check_value(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct precheck *p = cls;
	int rc = kind == MHD_GET_ARGUMENT_KIND ? req_check_param(p->nparams++, key, value, &p->e)
					       : req_check_header(key, value, &p->e);
	return rc ? MHD_NO : MHD_YES;
}

/* The target, the headers and the query string, as soon as they are in. */
static int precheck(struct MHD_Connection *c, const char *url, struct err *e)
{
	struct precheck p = {0};
	if (req_check_target(url, e))
		return e->code;
	MHD_get_connection_values(c, MHD_HEADER_KIND, check_value, &p);
	if (!p.e.code)
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, check_value, &p);
	*e = p.e;
	return e->code;
}

/* As soon as the request line is in (libmicrohttpd's URI log callback, run
** before it stores the query parameters): the request state, which becomes
** the connection's con_cls. A query with too many parameters is refused at
** the first callback; should the library run out of connection memory
** storing them first (it then never asks us), the connection is dropped
** after a second instead of timeout_seconds. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct server *s = cls;
	struct conn_ctx *cx = calloc(1, sizeof *cx);
	if (!cx)
		return NULL;
	cx->s = s;
	cx->conn = c;
	cx->started_ms = clock_mono_ms();
	__atomic_add_fetch(&s->inflight, 1, __ATOMIC_RELAXED);
	if (req_check_query(uri, &cx->refused))
		MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, 1u);
	return cx;
}

/* First callback (headers in): the refusal at once, or go on. */
static enum MHD_Result begin(struct server *s, struct MHD_Connection *c, const char *url, struct conn_ctx *cx)
{
	struct err e = cx->refused;
	cx->begun = 1;
	if (!e.code && precheck(c, url, &e) == 0)
		return MHD_YES;
	cx->w = (struct http_resp){.status = 200};
	router_error(&cx->w, &e);
	cx->idx = router_count();
	return answer(s, c, cx);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct conn_ctx *cx = *con_cls;
	if (!cx)
		return MHD_NO;   /* out of memory in on_uri */
	if (!cx->begun) {
		cx->limit = router_body_limit(s->app, method, url);
		return begin(s, c, url, cx);
	}
	if (*upload_size) {
		int rc = take_upload(cx, upload, *upload_size);
		*upload_size = 0;
		return rc ? MHD_NO : MHD_YES;
	}
	if (cx->waiting) {   /* resumed: the later work is done */
		cx->waiting = 0;
		cx->r.st = db_pool_get(s->app->pool);
		router_finish(&cx->r, &cx->w);
		db_pool_put(s->app->pool, cx->r.st);
		cx->r.st = NULL;
		return answer(s, c, cx);
	}
	cx->r = (struct http_req){.method = method, .path = url, .conn = c, .body = cx->body ? cx->body : "",
				  .body_len = cx->len, .app = s->app, .now = clock_now(&s->app->clock)};
	cx->w = (struct http_resp){.status = 200};
	client_address(s->app, c, cx->r.me.source, sizeof cx->r.me.source);
	if (cx->too_large) {
		struct err e;
		err_set(&e, ERR_TOOLARGE, "", "请求体超过 %zu MiB (body larger than %zu MiB)", cx->limit >> 20,
			cx->limit >> 20);
		router_error(&cx->w, &e);
		cx->idx = router_count();
	} else {
		cx->idx = dispatch(s->app, &cx->r, &cx->w);
	}
	if (cx->w.later.start) {
		cx->waiting = 1;
		__atomic_add_fetch(&s->pending, 1, __ATOMIC_RELAXED);
		MHD_suspend_connection(c);
		cx->w.later.start(cx->w.later.arg, wake, cx);
		return MHD_YES;
	}
	return answer(s, c, cx);
}

/* The client went away while its later work was under way (that work is
** done: the connection was resumed). Finish it all the same, so what finish
** owns (the request's state, a calendar reference) is given back, and drop
** the answer nobody will read. */
static void drop_waiting(struct server *s, struct conn_ctx *cx)
{
	cx->waiting = 0;
	cx->r.st = db_pool_get(s->app->pool);
	router_finish(&cx->r, &cx->w);
	db_pool_put(s->app->pool, cx->r.st);
	cx->r.st = NULL;
	json_decref(cx->w.json);
	cx->w.json = NULL;
	if (cx->w.free_body)
		free(cx->w.body);
	cx->w.body = NULL;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct conn_ctx *cx = *con_cls;
	if (cx) {
		if (cx->waiting)
			drop_waiting(s, cx);
		__atomic_sub_fetch(&s->inflight, 1, __ATOMIC_RELAXED);
		json_decref(cx->r.json);
		free(cx->body);
		free(cx);
		*con_cls = NULL;
	}
}

/* ---- start/stop ------------------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct err *e)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon - listen >= (long)sizeof host)
		return err_set(e, ERR_INVALID, "listen", "expected HOST:PORT, got '%s'", listen);
	memcpy(host, listen, colon - listen);
	host[colon - listen] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return err_set(e, ERR_INVALID, "listen", "expected IPv4:PORT, got '%s'", listen);
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

int server_conf_load(const struct conf *c, struct app *app, struct err *e)
{
	if (conf_int_ok(c, "server", "max_connections", 16, 100000, e) ||
	    conf_int_ok(c, "server", "per_ip_connections", 0, 100000, e) ||
	    conf_int_ok(c, "server", "timeout_seconds", 1, 3600, e) ||
	    conf_int_ok(c, "server", "connection_memory_kib", 32, 65536, e))
		return e->code;
	const char *secure = conf_str(c, "server", "secure_cookies", "off");
	if (strcmp(secure, "on") != 0 && strcmp(secure, "off") != 0)
		return err_set(e, ERR_INVALID, "secure_cookies", "[server] secure_cookies must be on or off, got '%s'",
			       secure);
	struct http_limits *l = &app->limits;
	l->max_connections = (int)conf_int(c, "server", "max_connections", 1000);
	/* behind a trusted reverse proxy every client shares its address:
	** the proxy limits clients, so there is no cap per address by default */
	l->per_ip = (int)conf_int(c, "server", "per_ip_connections",
				  conf_str(c, "server", "trusted_proxies", "")[0] ? 0 : 64);
	l->timeout_s = (int)conf_int(c, "server", "timeout_seconds", 15);
	l->conn_memory_kib = (int)conf_int(c, "server", "connection_memory_kib", 32);
	app->secure_cookies = strcmp(secure, "on") == 0;
	return 0;
}

int server_start(struct app *app, const char *listen, struct server **out, struct err *e)
{
	struct sockaddr_in sa;
	if (parse_listen(listen, &sa, e))
		return e->code;
	const struct http_limits *l = &app->limits;
	assert(l->max_connections > 0 && l->timeout_s > 0 && l->conn_memory_kib > 0);
	struct server *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	s->app = app;
	s->d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
				MHD_USE_ERROR_LOG, ntohs(sa.sin_port), NULL, NULL,
				on_request, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->threads,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)l->timeout_s,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)l->max_connections,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)l->per_ip,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)l->conn_memory_kib * 1024,
				MHD_OPTION_END);
	if (!s->d) {
		free(s);
		return err_set(e, ERR_INTERNAL, "listen", "cannot listen on %s (address in use?)", listen);
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : ntohs(sa.sin_port);
	*out = s;
	return 0;
}

int server_port(const struct server *s)
{
	return s->port;
}

/* Requests under way get 10 s; a request waiting for later work (a case
** action in the writer's queue) is always waited for: the writer answers
** every job, and libmicrohttpd cannot stop with a connection suspended. */
void server_stop(struct server *s)
{
	if (!s)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->d);
	/* idle keep-alive connections do not count: only requests under way */
	for (int i = 1;; i++) {
		int busy = __atomic_load_n(&s->inflight, __ATOMIC_RELAXED);
		int pending = __atomic_load_n(&s->pending, __ATOMIC_ACQUIRE);
		if (busy == 0 || (pending == 0 && i > 1000))
			break;
		if (pending && i % 1000 == 0)
			log_info("serve", "stopping: %d requests still wait for the case writer", pending);
		usleep(10 * 1000);
	}
	MHD_stop_daemon(s->d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	free(s);
}
