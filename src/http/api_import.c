/*
** api_import.c: 数据导入 over REST (importer/importer.h; docs/api.md 数据导入).
**   POST /api/import/projects   {"content": CSV text | "content_base64": the file's bytes
**       (a workbook, .xlsx), "dry_run": bool} (ops)
**       -> the import's report {"dry_run","rows","projects","units","created","errors"}: a dry
**       run answers 200 with the rows that fail in "errors"; a real run of a file with errors
**       is 400 with the report under "report" (nothing written).
** The web reads the chosen file and sends it here (bodies up to 1 MiB: an
** XLSX of up to ~750 KiB). Which format it is the importer tells by content.
*/
#include "http/http.h"
#include "base/json.h"
#include "importer/importer.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The file of the request: "content" as it is, or "content_base64" decoded
** (*owned is then the malloc'd copy). Exactly one of them. */
static int body_file(struct http_req *r, const char **data, size_t *len, char **owned, struct err *e)
{
	json_t *text = json_object_get(r->json, "content"), *b64 = json_object_get(r->json, "content_base64");
	*owned = NULL;
	if (!text == !b64)
		return err_set(e, ERR_INVALID, "content", "content 与 content_base64 必须且只能给出一个");
	if (text) {
		if (!json_is_string(text))
			return err_set(e, ERR_INVALID, "content", "content 必须是文本 (must be a string)");
		*data = json_string_value(text);
		*len = json_string_length(text);
		return 0;
	}
	if (!json_is_string(b64))
		return err_set(e, ERR_INVALID, "content_base64", "content_base64 必须是文本 (must be a string)");
	size_t cap = json_string_length(b64) / 4 * 3 + 3;
	*owned = malloc(cap);
	if (!*owned)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (sodium_base642bin((unsigned char *)*owned, cap, json_string_value(b64), json_string_length(b64), "\r\n",
			      len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(*owned);
		*owned = NULL;
		return err_set(e, ERR_INVALID, "content_base64", "content_base64 不是有效的 Base64 编码");
	}
	*data = *owned;
	return 0;
}

static int projects(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield fields[] = {
		{"content", J_STRING, 0}, {"content_base64", J_STRING, 0}, {"dry_run", J_BOOL, 0}, {NULL, 0, 0}};
	json_t *report = NULL;
	const char *data = NULL;
	size_t len = 0;
	char *owned;
	if (http_body(r, fields, e))
		return e->code;
	if (body_file(r, &data, &len, &owned, e))
		return e->code;
	int dry = json_is_true(json_object_get(r->json, "dry_run"));
	int rc = import_projects(r->st, &r->me, r->now, data, len, dry, &report, e);
	free(owned);
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
