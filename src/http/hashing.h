/*
** hashing.h: handlers whose work hashes passwords (argon2: ~150 ms and
** 64 MiB each) hand it to the hashing threads of the server's auth gate
** (org/auth.h) and give their HTTP worker back meanwhile (http.h
** w->later), so logins and password changes never hold up /api/health or
** any other request. work runs on a hashing thread with a connection of
** its own and the request r (r->json, r->me, r->params; not r->st); render
** runs afterwards on a worker to answer, only when work returned 0. state
** is scratch of state_size bytes (zeroed) shared by the two.
*/
#ifndef GG_HASHING_H
#define GG_HASHING_H

#include "http/http.h"

typedef int (*hashing_work)(struct store *st, struct http_req *r, void *state, struct err *e);
typedef int (*hashing_render)(struct http_req *r, struct http_resp *w, void *state, struct err *e);

/* Set w->later for work then render; returns 0 (or ERR_INTERNAL). */
int http_hashing(struct http_req *r, struct http_resp *w, hashing_work work, hashing_render render,
		 size_t state_size, struct err *e);

#endif
