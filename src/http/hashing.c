/*
** hashing.c: password work off the HTTP workers (see hashing.h).
*/
#include "http/hashing.h"

#include <stdlib.h>
#include <string.h>

struct hashing_job {
	struct http_req *r;
	hashing_work work;
	hashing_render render;
	void (*done)(void *token);
	void *token;
	int rc;
	struct err e;
	_Alignas(max_align_t) unsigned char state[];
};

static void run(struct store *st, void *arg)
{
	struct hashing_job *j = arg;
	if (st)
		j->rc = j->work(st, j->r, j->state, &j->e);
	else
		j->rc = err_set(&j->e, ERR_INTERNAL, "", "cannot open the database for password work");
	j->done(j->token);
}

static void start(void *arg, void (*done)(void *token), void *token)
{
	struct hashing_job *j = arg;
	const struct conf *c = j->r->app->conf;
	j->done = done;
	j->token = token;
	auth_gate_run_db(j->r->app->gate, conf_str(c, "database", "path", ""),
			 strcmp(conf_str(c, "database", "synchronous", "normal"), "full") == 0 ? STORE_SYNC_FULL : 0,
			 j->r->app->pool, run, j);
}

static int finish(struct http_req *r, struct http_resp *w, void *arg, struct err *e)
{
	struct hashing_job *j = arg;
	int rc = j->rc;
	if (rc)
		*e = j->e;
	else
		rc = j->render(r, w, j->state, e);
	free(j);
	return rc;
}

int http_hashing(struct http_req *r, struct http_resp *w, hashing_work work, hashing_render render,
		 size_t state_size, struct err *e)
{
	struct hashing_job *j = calloc(1, sizeof *j + state_size);
	if (!j)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	j->r = r;
	j->work = work;
	j->render = render;
	w->later = (struct http_later){start, finish, j};
	return 0;
}
