/*
** static.c: files of the web application (see static.h).
*/
#include "http/static.h"
#include "http/router.h"
#include "base/embed.h"

#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the pages load from npm, served below /vendor/ from node_modules/. */
static const char *const vendor_files[] = {
	"echarts/dist/echarts.esm.min.js",
	NULL,
};

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

static int not_found(const char *path, struct err *e)
{
	return err_set(e, ERR_NOTFOUND, "", "不存在 (no such file: %.200s)", path);
}

/* 1 when path may name a file: no "..", no hidden names, no backslash or
** control bytes. */
static int plain_path(const char *path)
{
	if (strstr(path, "..") || strstr(path, "/.") || strlen(path) > 400)
		return 0;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p < 0x20 || *p == 0x7F || *p == '\\')
			return 0;
	return 1;
}

/* 1 when the resolved file real lies inside the directory dir. */
static int inside(const char *dir, const char *real)
{
	char base[PATH_MAX];
	if (!realpath(dir, base))
		return 0;
	size_t n = strlen(base);
	return strncmp(real, base, n) == 0 && real[n] == '/';
}

/* Where path leads in the project's layout: "web/..." or, below /vendor/,
** "node_modules/<allowed file>". 0, or -1 when nothing may be served. */
static int logical_path(const char *path, char *out, size_t cap)
{
	if (!path || path[0] != '/' || !plain_path(path))
		return -1;
	if (strncmp(path, "/vendor/", 8) == 0) {
		for (size_t i = 0; vendor_files[i]; i++)
			if (strcmp(vendor_files[i], path + 8) == 0) {
				snprintf(out, cap, "node_modules/%s", vendor_files[i]);
				return 0;
			}
		return -1;
	}
	if (!strchr(strrchr(path, '/'), '.'))
		snprintf(out, cap, "web/index.html");
	else
		snprintf(out, cap, "web%s", path);
	return 0;
}

int static_resolve(const char *root, const char *path, char *out, size_t cap, struct err *e)
{
	char rel[512], want[PATH_MAX], dir[PATH_MAX], real[PATH_MAX];
	if (logical_path(path, rel, sizeof rel))
		return not_found(path ? path : "", e);
	if (strncmp(rel, "web/", 4) == 0)
		snprintf(dir, sizeof dir, "%s", root);
	else
		snprintf(dir, sizeof dir, "%s/../node_modules", root);
	snprintf(want, sizeof want, "%s/%s", dir, strchr(rel, '/') + 1);
	if (!realpath(want, real) || !inside(dir, real) || strlen(real) >= cap)
		return not_found(path, e);
	memcpy(out, real, strlen(real) + 1);
	return 0;
}

const struct embed_file *static_embedded(const char *path)
{
	char rel[512];
	if (logical_path(path, rel, sizeof rel))
		return NULL;
	for (const struct embed_file *f = embed_files; f->path; f++)
		if (strcmp(f->path, rel) == 0)
			return f;
	return NULL;
}

/* The copy in the binary (no web_root configured). */
static int send_embedded(struct http_req *r, struct http_resp *w, struct err *e)
{
	const struct embed_file *f = static_embedded(r->path);
	if (!f)
		return not_found(r->path, e);
	snprintf(w->etag, sizeof w->etag, "\"%s\"", f->sum);
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	if (inm && strcmp(inm, w->etag) == 0) {
		w->status = 304;
		return 0;
	}
	w->body = (char *)f->data;   /* static: sent without a copy, never freed */
	w->body_len = f->len;
	w->content_type = mime_of(f->path);
	return 0;
}

/* Read the regular file at path into w (ETag, 304 when it matches). */
static int send_file(struct http_req *r, struct http_resp *w, const char *path, struct err *e)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return not_found(r->path, e);
	}
	snprintf(w->etag, sizeof w->etag, "\"%llx-%llx\"", (unsigned long long)sb.st_size,
		 (unsigned long long)sb.st_mtime);
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	if (inm && strcmp(inm, w->etag) == 0) {
		close(fd);
		w->status = 304;
		return 0;
	}
	char *data = malloc(sb.st_size ? sb.st_size : 1);
	size_t n = 0;
	ssize_t got = 1;
	while (data && n < (size_t)sb.st_size && (got = read(fd, data + n, sb.st_size - n)) > 0)
		n += got;
	close(fd);
	if (!data || n != (size_t)sb.st_size) {
		free(data);
		return err_set(e, ERR_INTERNAL, "", "cannot read %s", r->path);
	}
	w->body = data;
	w->body_len = n;
	w->free_body = 1;
	w->content_type = mime_of(path);
	return 0;
}

void static_serve(struct app *app, struct http_req *r, struct http_resp *w)
{
	char path[PATH_MAX];
	struct err e;
	err_clear(&e);
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		not_found(r->path, &e);
	else if (!app->web_root[0])
		send_embedded(r, w, &e);
	else if (static_resolve(app->web_root, r->path, path, sizeof path, &e) == 0)
		send_file(r, w, path, &e);
	if (e.code)
		router_error(w, &e);
}
