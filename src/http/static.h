/*
** static.h: the web application's files, with ETags and 304 answers; "/"
** and unknown paths without a dot serve index.html so the single-page
** application can route itself. By default the copy compiled into the
** binary (base/embed.h: web/ and the ECharts module), so the server needs
** neither web/ nor node_modules at run time; with app->web_root set
** (serve --web DIR, for development) the files on disk (ETag: size and
** mtime).
**
** Only files under the root are served, after symbolic links are resolved
** (a link out of web/ is refused), never a hidden file or a path with "..";
** below /vendor/ only the files the pages load (an allow list, mapped into
** node_modules/ next to the root). A miss is 404 with the JSON error shape.
*/
#ifndef GG_STATIC_H
#define GG_STATIC_H

#include <stddef.h>

#include "http/http.h"

void static_serve(struct app *app, struct http_req *r, struct http_resp *w);

struct embed_file;
/* The embedded file that serves path, or NULL. */
const struct embed_file *static_embedded(const char *path);

/* The file that serves path under root, resolved (realpath) into out:
** 0, or ERR_NOTFOUND with e set. */
int static_resolve(const char *root, const char *path, char *out, size_t cap, struct err *e);

#endif
