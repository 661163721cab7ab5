/*
** api_dict.c: GET /api/dict, every name the web shows, from the tables the
** domain modules define (base/dict.h). To add a module's names, list its
** `<mod>_dicts` below. Any signed-in account may read it.
*/
#include "approval/names.h"
#include "org/audit_names.h"
#include "base/dict.h"
#include "http/http.h"
#include "archive/archive.h"
#include "org/org.h"
#include "workday/workday.h"
#include "business/business.h"
#include "desk/desk.h"
#include "exchange/exchange.h"
#include "ops/ops.h"
#include "paperwork/paperwork.h"
#include "quality/quality.h"
#include "repair/repair.h"
#include "stats/stats.h"

#include <string.h>

static const struct dict *const modules[] = {
	ops_dicts,
	approval_dicts,
	audit_dicts,
	quality_dicts,
	repair_dicts,
	archive_dicts,
	desk_dicts,
	pw_dicts,
	biz_dicts,
	desk_service_dicts,
	exchange_dicts,
	org_dicts,
	stats_dicts,
	workday_dicts,
};

const char *api_dict_label(const char *name, const char *code)
{
	for (size_t m = 0; m < sizeof modules / sizeof modules[0]; m++)
		for (const struct dict *d = modules[m]; d->name; d++)
			if (strcmp(d->name, name) == 0) {
				for (const struct dict_entry *en = d->entries; en->code; en++)
					if (strcmp(en->code, code) == 0)
						return en->label;
				return NULL;
			}
	return NULL;
}

static json_t *entries_json(const struct dict_entry *en)
{
	json_t *a = json_array();
	for (; en->code; en++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "code", en->code, "label", en->label));
	return a;
}

static int dict(struct http_req *r, struct http_resp *w, struct err *e)
{
	json_t *o = json_object();
	for (size_t m = 0; m < sizeof modules / sizeof modules[0]; m++)
		for (const struct dict *d = modules[m]; d->name; d++)
			json_object_set_new(o, d->name, entries_json(d->entries));
	w->json = o;
	return 0;
}

const struct route api_dict_routes[] = {
	{"GET", "/api/dict", dict, 0, R_MUST_CHANGE_OK},
	{NULL},
};
