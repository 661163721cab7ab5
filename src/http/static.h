/*
** static.h: the web application's files from app->web_root, with ETags
** (size and mtime) and 304 answers; "/" and unknown paths without a dot
** serve index.html so the single-page application can route itself.
*/
#ifndef GG_STATIC_H
#define GG_STATIC_H

#include "http/http.h"

void static_serve(struct app *app, struct http_req *r, struct http_resp *w);

#endif
