/*
** api_project.c: projects (工程建设项目) over REST (docs/api.md).
**   GET    /api/projects            ?q=&flow_type=&division=&page=&page_size=
**   POST   /api/projects            register (201 with the project)
**   GET    /api/projects/{id}
**   PATCH  /api/projects/{id}       change the fields sent (units replace all)
**   DELETE /api/projects/{id}       204; 409 once a department handles it
** Data scope, roles and the audit row are decided in approval/project.c;
** the route gates below only turn away roles that never qualify.
*/
#include "http/http.h"
#include "approval/project.h"

#include <string.h>

#define READERS (ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD | ROLE_LEADER | ROLE_OPS)
#define WRITERS (ROLE_CLERK | ROLE_HEAD)

static int list_projects(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct project_filter f = {0};
	struct page pg;
	int64_t type, total;
	json_t *items;
	if (http_page(r, &pg, e) || http_query_int(r, "flow_type", 0, 0, 10, &type, e))
		return e->code;
	f.q = http_query(r, "q");
	f.flow_type = (int)type;
	f.division = http_query(r, "division");
	int capped;
	if (project_list(r->st, &r->me, &f, &pg, &items, &total, &capped, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	json_object_set_new(w->json, "total_capped", json_boolean(capped));
	return 0;
}

/* The project as the caller may see it, or just its id. */
static void answer_project(struct http_req *r, struct http_resp *w, int64_t id)
{
	struct err e2;
	if (project_get(r->st, &r->me, id, &w->json, &e2))
		w->json = json_pack("{s:I}", "id", (json_int_t)id);
}

static int create_project(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (!r->json)
		r->json = json_object();
	if (project_create(r->st, &r->me, r->now, r->json, &id, e))
		return e->code;
	w->status = 201;
	answer_project(r, w, id);
	return 0;
}

static int get_project(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	return project_get(r->st, &r->me, id, &w->json, e);
}

static int update_project(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	if (!r->json)
		r->json = json_object();
	if (project_update(r->st, &r->me, r->now, id, r->json, e))
		return e->code;
	answer_project(r, w, id);
	return 0;
}

static int delete_project(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e) || project_delete(r->st, &r->me, r->now, id, e))
		return e->code;
	w->status = 204;
	return 0;
}

const struct route api_project_routes[] = {
	{"GET", "/api/projects", list_projects, READERS, 0},
	{"POST", "/api/projects", create_project, WRITERS, 0},
	{"GET", "/api/projects/{id}", get_project, READERS, 0},
	{"PATCH", "/api/projects/{id}", update_project, WRITERS, 0},
	{"DELETE", "/api/projects/{id}", delete_project, ROLE_HEAD, 0},
	{NULL},
};
