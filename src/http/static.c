/*
** static.c: files of the web application (see static.h). Paths are checked
** to stay under the root (no "..", no hidden files); node_modules is served
** only below /vendor/ (mapped to node_modules/) so ECharts comes from npm.
*/
#include "http/static.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *mime_of(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
		{".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".map", "application/json"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static void not_found(struct http_resp *w)
{
	w->status = 404;
	w->body = "not found\n";
	w->body_len = strlen(w->body);
	w->content_type = "text/plain; charset=utf-8";
}

void static_serve(struct app *app, struct http_req *r, struct http_resp *w)
{
	char path[1024];
	const char *p = r->path;
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return not_found(w);
	if (strstr(p, "..") || strstr(p, "/.") || strlen(p) > 400)
		return not_found(w);
	if (strncmp(p, "/vendor/", 8) == 0)
		snprintf(path, sizeof path, "%s/../node_modules/%s", app->web_root, p + 8);
	else if (strcmp(p, "/") == 0 || !strchr(strrchr(p, '/'), '.'))
		snprintf(path, sizeof path, "%s/index.html", app->web_root);
	else
		snprintf(path, sizeof path, "%s%s", app->web_root, p);
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return not_found(w);
	snprintf(w->etag, sizeof w->etag, "\"%llx-%llx\"", (unsigned long long)sb.st_size,
		 (unsigned long long)sb.st_mtime);
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	if (inm && strcmp(inm, w->etag) == 0) {
		w->status = 304;
		return;
	}
	FILE *f = fopen(path, "rb");
	if (!f)
		return not_found(w);
	char *data = malloc(sb.st_size ? sb.st_size : 1);
	size_t n = data ? fread(data, 1, sb.st_size, f) : 0;
	fclose(f);
	if (!data || n != (size_t)sb.st_size) {
		free(data);
		return not_found(w);
	}
	w->body = data;
	w->body_len = n;
	w->free_body = 1;
	w->content_type = mime_of(path);
}
