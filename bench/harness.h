/*
** harness.h: what the HTTP benchmarks share — a gonggai server started on a
** free port with a configuration of their own, a session opened by login,
** answers collected by libcurl. Header only: each benchmark is one program
** (Makefile: bench/bench_*.c), so every function here is static inline.
**
** The caller owns the server (stop it with harness_stop) and frees a
** collected body's p.
*/
#ifndef GG_BENCH_HARNESS_H
#define GG_BENCH_HARNESS_H

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

/* The server binary: GG_BENCH_BIN, or ./gonggai. */
static inline const char *harness_bin(void)
{
	const char *b = getenv("GG_BENCH_BIN");
	return b && *b ? b : "./gonggai";
}

/* Write ini_text to ini_path and start `serve` on db with it, on a free port
** of 127.0.0.1: 0 with *pid and *port set, -1 when it did not come up. */
static inline int harness_serve(const char *ini_path, const char *ini_text, const char *db, pid_t *pid, int *port)
{
	char line[256] = "";
	int fds[2];
	FILE *f = fopen(ini_path, "w");
	if (!f || pipe(fds)) {
		if (f)
			fclose(f);
		return -1;
	}
	fputs(ini_text, f);
	fclose(f);
	if ((*pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl(harness_bin(), harness_bin(), "serve", "--db", db, "--listen", "127.0.0.1:0", "--config", ini_path,
		      (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	FILE *r = fdopen(fds[0], "r");
	*port = 0;
	if (r && fgets(line, sizeof line, r))
		sscanf(line, "listening on http://127.0.0.1:%d", port);
	if (r)
		fclose(r);
	return *port ? 0 : -1;
}

static inline void harness_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
}

/* An answer's body, NUL-terminated. */
struct body {
	char *p;
	size_t n;
};

/* CURLOPT_WRITEFUNCTION collecting into a struct body. */
static inline size_t harness_keep(char *p, size_t s, size_t n, void *arg)
{
	struct body *b = arg;
	char *q = realloc(b->p, b->n + s * n + 1);
	if (!q)
		return 0;
	memcpy(q + b->n, p, s * n);
	b->p = q;
	b->n += s * n;
	q[b->n] = 0;
	return s * n;
}

/* CURLOPT_WRITEFUNCTION dropping the body. */
static inline size_t harness_sink(char *p, size_t s, size_t n, void *arg)
{
	return s * n;
}

/* CURLOPT_HEADERFUNCTION: the session cookie into a char[128]. */
static inline size_t harness_cookie(char *p, size_t s, size_t n, void *arg)
{
	if (strncasecmp(p, "Set-Cookie: gg_session=", 23) == 0)
		sscanf(p + 23, "%127[^;\r\n]", (char *)arg);
	return s * n;
}

/* Log user in on port: its session token into token (char[128]); -1 with
** the server's answer on stderr when it was refused. */
static inline int harness_login(int port, const char *user, const char *password, char *token)
{
	char url[128], body[256];
	struct body b = {0};
	CURL *c = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/session", port);
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
	token[0] = 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, harness_keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, harness_cookie);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, token);
	int ok = curl_easy_perform(c) == CURLE_OK && token[0];
	if (!ok)
		fprintf(stderr, "login %s: %s\n", user, b.p ? b.p : "no answer");
	free(b.p);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return ok ? 0 : -1;
}

#endif
