/*
** api_import.c: 数据导入 over REST (importer/importer.h; docs/api.md 数据导入).
**   POST /api/import/projects   {"content": CSV text, "dry_run": bool} (ops)
**       -> the import's report {"dry_run","rows","projects","units","created","errors"}: a dry
**       run answers 200 with the rows that fail in "errors"; a real run of a file with errors
**       is 400 with the report under "report" (nothing written).
** The web reads the chosen file as text and sends it here (bodies up to 1 MiB).
*/
#include "http/http.h"
#include "base/json.h"
#include "importer/importer.h"

#include <string.h>

static int projects(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield fields[] = {{"content", J_STRING, 1}, {"dry_run", J_BOOL, 0}, {NULL, 0, 0}};
	json_t *report = NULL;
	if (http_body(r, fields, e))
		return e->code;
	json_t *content = json_object_get(r->json, "content");
	int rc = import_projects_csv(r->st, &r->me, r->now, json_string_value(content), json_string_length(content),
				     json_is_true(json_object_get(r->json, "dry_run")), &report, e);
	int dry = json_is_true(json_object_get(r->json, "dry_run"));
	if (rc == ERR_INVALID && report && dry) {
		w->json = report;
		return 0;
	}
	if (rc == ERR_INVALID && report) {
		w->status = 400;
		w->json = json_pack("{s:{s:s,s:s,s:s},s:o}", "error", "code", err_name(rc), "field", e->field, "message",
				    e->msg, "report", report);
		return 0;
	}
	if (rc) {
		json_decref(report);
		return rc;
	}
	w->json = report;
	return 0;
}

const struct route api_import_routes[] = {
	{"POST", "/api/import/projects", projects, ROLE_OPS, 0},
	{NULL, NULL, NULL, 0, 0},
};
