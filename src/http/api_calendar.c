/*
** api_calendar.c: the working-day calendar over REST.
**   GET /api/calendar              years with a notice: source, and for loaded
**                                  years rows, sha256, loaded_at, loaded_by
**   GET /api/calendar/{year}       the year as the server computes with it:
**                                  source, working-day count, named days
**   PUT /api/calendar/{year}       {"csv": "date,kind,name\n..."}: load a
**                                  notice (sysadmin only; validated, stored,
**                                  audited as calendar.import), then rebuild
**                                  the server's calendar so it wins at once
** Reading is open to every logged-in account: clerks plan with holidays too.
*/
#include "http/http.h"
#include "workday/workday.h"

#include <string.h>

static int year_param(const struct http_req *r, int *year, struct err *e)
{
	const char *v = r->params[0];
	if (!v || strlen(v) != 4 || strspn(v, "0123456789") != 4 ||
	    (*year = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0'))
	    < CAL_FIRST_YEAR || *year > CAL_LAST_YEAR)
		return err_set(e, ERR_INVALID, "year", "年份必须在 %d 到 %d 之间 (year %d..%d)",
			       CAL_FIRST_YEAR, CAL_LAST_YEAR, CAL_FIRST_YEAR, CAL_LAST_YEAR);
	return 0;
}

static int list_years(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e))
		return e->code;
	const struct cal *c = cal_shared_get(r->app->cal);
	int rc = cal_year_list(r->st, c, &pg, &items, &total, e);
	cal_shared_put(r->app->cal, c);
	if (rc)
		return rc;
	w->json = http_list(items, total, &pg);
	return 0;
}

/* The named days and working-day count of `year` in c. */
static json_t *year_json(const struct cal *c, int year)
{
	static const char *const kinds[] = {"normal", "holiday", "workday"};
	int32_t from = cal_date_from_ymd(year, 1, 1), to = cal_date_from_ymd(year, 12, 31);
	const struct cal_entry *ent;
	size_t n = cal_entries(c, from, to, &ent);
	json_t *days = json_array();
	for (size_t i = 0; i < n; i++) {
		char d[CAL_DATE_LEN];
		cal_date_format(ent[i].day, d);
		json_array_append_new(days, json_pack("{s:s, s:s, s:s}", "date", d,
						      "kind", kinds[ent[i].kind], "name", ent[i].name));
	}
	int work = 0;
	struct err e;
	struct cal_dayinfo first;
	cal_count_workdays(c, from, to, &work, NULL, &e);
	if (cal_day(c, from, &first, &e) == 0)
		work += first.workday;
	int src = cal_year_source(c, year);
	return json_pack("{s:i, s:s, s:b, s:i, s:o}", "year", year, "source", cal_source_name(src),
			 "provisional", src == CAL_SRC_NONE, "workdays", work, "days", days);
}

static int get_year(struct http_req *r, struct http_resp *w, struct err *e)
{
	int year;
	if (year_param(r, &year, e))
		return e->code;
	const struct cal *c = cal_shared_get(r->app->cal);
	w->json = year_json(c, year);
	cal_shared_put(r->app->cal, c);
	return 0;
}

static int put_year(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield fields[] = {{"csv", J_STRING, 1}, {NULL}};
	int year;
	if (year_param(r, &year, e) || http_body(r, fields, e))
		return e->code;
	json_t *csv = json_object_get(r->json, "csv");
	struct cal_import_result res;
	if (cal_import(r->st, &r->me, r->now, year, json_string_value(csv),
		       json_string_length(csv), &res, e))
		return e->code;
	if (cal_shared_rebuild(r->app->cal, r->st, e))
		return e->code;
	w->json = json_pack("{s:i, s:s, s:i, s:s, s:s}", "year", year, "source", "loaded",
			    "rows", res.rows, "replaced", cal_source_name(res.replaced),
			    "sha256", res.sha256);
	return 0;
}

const struct route api_calendar_routes[] = {
	{"GET", "/api/calendar", list_years, 0, 0},
	{"GET", "/api/calendar/{year}", get_year, 0, 0},
	{"PUT", "/api/calendar/{year}", put_year, ROLE_SYSADMIN, 0},
	{NULL},
};
