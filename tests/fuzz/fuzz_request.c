/*
** fuzz_request.c: the request path without a socket. The input is a
** request as the server sees it once libmicrohttpd has parsed it:
**   METHOD SP TARGET LF
**   (Name: value | ?key=value) LF ...      headers and query parameters
**   LF
**   body
** and goes through what the server does with each part (every step with
** any target, not only one the first check lets through): the checks before
** routing (http/reqcheck.h), route matching and the {id} parameter, the
** static-file resolution (symlinks, vendor allow list), the error body for
** a message that echoes the target, the JSON body parser and field checks.
*/
#include "fuzz.h"
#include "base/json.h"
#include "http/reqcheck.h"
#include "http/router.h"
#include "http/static.h"

#include <limits.h>
#include <unistd.h>

static char ROOT[64];

static void remove_root(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(ROOT) - strlen("/web")), ROOT);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", ROOT);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char cmd[256];
	snprintf(ROOT, sizeof ROOT, "/tmp/gg-fuzzweb-%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "mkdir -p %s/web/css %s/node_modules/echarts/dist && touch %s/web/index.html "
		 "%s/web/app.js %s/node_modules/echarts/dist/echarts.esm.min.js && ln -sfn /etc %s/web/etc",
		 ROOT, ROOT, ROOT, ROOT, ROOT, ROOT);
	FUZZ_ASSERT(system(cmd) == 0);
	snprintf(ROOT + strlen(ROOT), sizeof ROOT - strlen(ROOT), "/web");
	atexit(remove_root);
	return 0;
}

/* Route matching, the {id} parameter and the static files for one target. */
static void route(const char *method, const char *path)
{
	struct http_req r = {.method = method, .path = path};
	struct err e;
	int known;
	int idx = router_match(&r, &known);
	FUZZ_ASSERT(idx < router_count());
	if (idx >= 0) {
		int64_t id;
		if (http_param_id(&r, 0, &id, &e) == 0)
			FUZZ_ASSERT(id > 0);
	}
	char file[PATH_MAX];
	if (static_resolve(ROOT, path, file, sizeof file, &e) == 0) {
		FUZZ_ASSERT(strncmp(file, "/tmp/", 5) == 0);
		FUZZ_ASSERT(!strstr(file, "/etc/") && !strstr(file, "/.."));
	}
	/* an error that echoes the target still has a JSON body */
	struct http_resp w = {0};
	err_set(&e, ERR_NOTFOUND, path, "不存在 (not found: %s)", path);
	router_error(&w, &e);
	FUZZ_ASSERT(w.json);
	char *text = json_dumps(w.json, JSON_COMPACT);
	FUZZ_ASSERT(text);
	free(text);
	json_decref(w.json);
}

static void body(const char *text, size_t len)
{
	static const struct jfield fields[] = {
		{"action", J_STRING, 1}, {"limit", J_INT, 0}, {"ratio", J_NUMBER, 0}, {"active", J_BOOL, 0},
		{"items", J_ARRAY, 0}, {"units", J_OBJECT, 0}, {"note", J_STRING_OR_NULL, 0}, {NULL},
	};
	json_t *j = NULL;
	struct err e;
	if (json_parse_object(text, len, &j, &e) == 0) {
		FUZZ_ASSERT(json_is_object(j));
		if (json_check(j, fields, &e) == 0)
			FUZZ_ASSERT(json_is_string(json_object_get(j, "action")));
		else
			FUZZ_ASSERT(e.code == ERR_INVALID);
	}
	json_decref(j);
}

/* Headers and query parameters, one per line, until an empty line. */
static const char *fields(const char *p)
{
	struct err e;
	int nparams = 0;
	while (*p && *p != '\n') {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char *line = strndup(p, n);
		FUZZ_ASSERT(line);
		char *sep = strchr(line, line[0] == '?' ? '=' : ':');
		if (sep)
			*sep++ = 0;
		if (line[0] == '?')
			req_check_param(nparams++, line + 1, sep, &e);
		else
			req_check_header(line, sep ? sep + strspn(sep, " ") : "", &e);
		free(line);
		p += n + (eol != NULL);
	}
	return *p ? p + 1 : p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	char *scrubbed = strdup(s);
	req_scrub(scrubbed);
	json_t *str = json_string(scrubbed);   /* scrubbed text is always valid UTF-8 */
	FUZZ_ASSERT(str);
	json_decref(str);
	free(scrubbed);

	char *eol = strchr(s, '\n');
	if (eol)
		*eol = 0;
	char *sp = strchr(s, ' ');
	struct err e;
	if (sp) {   /* the server refuses a bad target first; the rest must cope with any all the same */
		*sp = 0;
		req_check_target(sp + 1, &e);
		req_check_query(sp + 1, &e);
		route(s, sp + 1);
	}
	if (eol) {
		const char *b = fields(eol + 1);
		body(b, size - (size_t)(b - s));
	}
	free(s);
	return 0;
}
