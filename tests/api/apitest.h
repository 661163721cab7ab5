/*
** apitest.h: HTTP-level test helper. Starts `gonggai serve` (the sanitizer
** build, $GG_BIN or build/asan/gonggai) on a fresh database in a temporary
** directory on a free loopback port, sets known passwords for the initial
** accounts, and offers JSON requests through libcurl with a cookie jar per
** client. Used by tests/api/test_api_*.c.
*/
#ifndef GG_APITEST_H
#define GG_APITEST_H

#include <jansson.h>

struct apitest {
	char dir[256];        /* temporary directory                 */
	char db[300];         /* database path                       */
	char base[64];        /* "http://127.0.0.1:PORT"              */
	int pid;
};

/* The password every initial account gets (already changed, not must-change). */
#define APITEST_PASSWORD "Test-Passw0rd!"

/* Create a database (gonggai init) and start a server; extra_ini (may be
** NULL) is written to gonggai.ini after "[security]" (admin_totp = off
** unless extra_ini sets it). Returns 0 on success. */
int apitest_start(struct apitest *t, const char *extra_ini);
/* SIGTERM the server, wait for it, remove the directory. Returns the
** server's exit status (-1 when a signal ended it). */
int apitest_stop(struct apitest *t);
/* Run the gonggai binary with args (shell-quoted string) against t->db;
** stdout captured into out (may be NULL). Returns the exit status. */
int apitest_cli(struct apitest *t, const char *args, char *out, size_t outlen);

/* A client with its own cookie jar. */
struct client;
struct client *client_new(struct apitest *t);
void client_free(struct client *c);
/* Request; body may be NULL. content_type NULL means application/json.
** Returns the status; *resp gets the parsed JSON body (or NULL). */
int client_req(struct client *c, const char *method, const char *path, const char *body,
	       const char *content_type, json_t **resp);
/* Same, discarding the body. */
int client_do(struct client *c, const char *method, const char *path, const char *body);
/* An extra header line ("X-GG-Now: 1700000000") sent with every later
** request of c; NULL or "" removes it. */
void client_header(struct client *c, const char *line);
/* Raw body text of the last response (owned by c). */
const char *client_body(struct client *c);
/* POST /api/session; returns the status. */
int client_login(struct client *c, const char *user, const char *password);
/* Create a user with roles via the CLI with APITEST_PASSWORD, already changed. */
int apitest_user(struct apitest *t, const char *username, const char *roles, const char *department);

#endif
