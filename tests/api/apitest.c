/*
** apitest.c: see apitest.h.
*/
#include "apitest.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *bin(void)
{
	const char *b = getenv("GG_BIN");
	return b && *b ? b : "build/asan/gonggai";
}

int apitest_cli(struct apitest *t, const char *args, char *out, size_t outlen)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s --db '%s' 2>'%s/cli.err'", t->dir, bin(), args, t->db, t->dir);
	if (bin()[0] != '/') {   /* relative binary: keep the caller's directory */
		char cwd[512];
		if (!getcwd(cwd, sizeof cwd))
			return -1;
		snprintf(cmd, sizeof cmd, "cd '%s' && '%s/%s' %s --db '%s' 2>'%s/cli.err'", t->dir, cwd, bin(),
			 args, t->db, t->dir);
	}
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	size_t n = 0;
	char tmp[4096];
	size_t got;
	while ((got = fread(tmp, 1, sizeof tmp, p)) > 0) {
		if (out && n + 1 < outlen) {
			size_t k = got < outlen - n - 1 ? got : outlen - n - 1;
			memcpy(out + n, tmp, k);
			n += k;
		}
	}
	if (out)
		out[n] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Give an account APITEST_PASSWORD through the API (first-login change). */
static int settle_password(struct apitest *t, const char *user, const char *initial)
{
	struct client *c = client_new(t);
	char body[256];
	int rc = client_login(c, user, initial) == 200 ? 0 : -1;
	snprintf(body, sizeof body, "{\"old_password\":\"%s\",\"new_password\":\"%s\"}", initial, APITEST_PASSWORD);
	if (rc == 0 && client_do(c, "POST", "/api/me/password", body) != 200)
		rc = -1;
	client_free(c);
	return rc;
}

static int start_server(struct apitest *t)
{
	int fds[2];
	if (pipe(fds))
		return -1;
	char cfg[300];
	snprintf(cfg, sizeof cfg, "%s/gonggai.ini", t->dir);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl(bin(), bin(), "serve", "--db", t->db, "--listen", "127.0.0.1:0", "--config", cfg,
		      "--threads", "2", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	FILE *f = fdopen(fds[0], "r");
	char line[256] = "";
	int port = 0;
	if (f && fgets(line, sizeof line, f))
		sscanf(line, "listening on http://127.0.0.1:%d", &port);
	if (f)
		fclose(f);
	if (!port) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	t->pid = pid;
	snprintf(t->base, sizeof t->base, "http://127.0.0.1:%d", port);
	return 0;
}

int apitest_start(struct apitest *t, const char *extra_ini)
{
	char out[4096], path[320];
	memset(t, 0, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/gg-apitest-XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->db, sizeof t->db, "%s/gonggai.db", t->dir);
	snprintf(path, sizeof path, "%s/gonggai.ini", t->dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	/* the administrators' TOTP factor has its own test (test_api_totp.c);
	** elsewhere they log in with passwords alone unless extra_ini says so */
	fprintf(f, "[security]\nargon2_memlimit_kib = 8192\nargon2_opslimit = 1\n%s%s\n",
		extra_ini && strstr(extra_ini, "admin_totp") ? "" : "admin_totp = off\n", extra_ini ? extra_ini : "");
	fclose(f);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (apitest_cli(t, "init --json", out, sizeof out) != 0)
		return -1;
	json_t *j = json_loads(out, 0, NULL);
	if (!j || start_server(t) != 0) {
		json_decref(j);
		return -1;
	}
	size_t i;
	json_t *a;
	int rc = 0;
	json_array_foreach(json_object_get(j, "accounts"), i, a)
		rc |= settle_password(t, json_string_value(json_object_get(a, "username")),
				      json_string_value(json_object_get(a, "password")));
	json_decref(j);
	return rc;
}

int apitest_stop(struct apitest *t)
{
	int status = 0, rc = 0;
	if (t->pid > 0) {
		kill(t->pid, SIGTERM);
		waitpid(t->pid, &status, 0);
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		t->pid = 0;
	}
	char cmd[300];
	if (!getenv("GG_KEEP_TMP")) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", t->dir);
	}
	return rc;
}

int apitest_user(struct apitest *t, const char *username, const char *roles, const char *department)
{
	char args[512];
	snprintf(args, sizeof args, "user add --username %s --password Init-Passw0rd! --role %s %s%s",
		 username, roles, department ? "--department " : "", department ? department : "");
	if (apitest_cli(t, args, NULL, 0) != 0)
		return -1;
	return settle_password(t, username, "Init-Passw0rd!");
}

/* ---- client ------------------------------------------------------------ */

struct client {
	struct apitest *t;
	CURL *curl;
	char *body;
	size_t len;
	char extra[256];      /* client_header */
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct client *c = arg;
	char *b = realloc(c->body, c->len + size * n + 1);
	if (!b)
		return 0;
	memcpy(b + c->len, p, size * n);
	c->body = b;
	c->len += size * n;
	c->body[c->len] = 0;
	return size * n;
}

struct client *client_new(struct apitest *t)
{
	struct client *c = calloc(1, sizeof *c);
	c->t = t;
	c->curl = curl_easy_init();
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");   /* in-memory jar */
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 60L);
	return c;
}

void client_free(struct client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	free(c->body);
	free(c);
}

int client_req(struct client *c, const char *method, const char *path, const char *body,
	       const char *content_type, json_t **resp)
{
	char url[1024], ct[128];
	struct curl_slist *h = NULL;
	snprintf(url, sizeof url, "%s%s", c->t->base, path);
	snprintf(ct, sizeof ct, "Content-Type: %s", content_type ? content_type : "application/json");
	if (strcmp(method, "GET") != 0)
		h = curl_slist_append(h, ct);
	if (c->extra[0])
		h = curl_slist_append(h, c->extra);
	c->len = 0;
	if (c->body)
		c->body[0] = 0;
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, strcmp(method, "GET") == 0 ? 1L : 0L);
	if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)(body ? strlen(body) : 0));
	}
	long status = 0;
	if (curl_easy_perform(c->curl) == CURLE_OK)
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	if (resp)
		*resp = c->len ? json_loadb(c->body, c->len, 0, NULL) : NULL;
	return (int)status;
}

void client_header(struct client *c, const char *line)
{
	snprintf(c->extra, sizeof c->extra, "%s", line ? line : "");
}

int client_do(struct client *c, const char *method, const char *path, const char *body)
{
	return client_req(c, method, path, body, NULL, NULL);
}

const char *client_body(struct client *c)
{
	return c->body ? c->body : "";
}

int client_login(struct client *c, const char *user, const char *password)
{
	char body[256];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
	return client_do(c, "POST", "/api/session", body);
}
