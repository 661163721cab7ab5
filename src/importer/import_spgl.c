/*
** import_spgl.c: a city's SPGL history brought in (importer.h). The source
** (the exchange module, registered above) hands over the rows that count;
** they are kept in memory, then projects with their units, and 办件 with
** their status history, special procedures and approval documents are
** created in one transaction (approval/case_import.h for the 办件). Every
** row that cannot be brought in is reported with its table, LSH, column and
** rule, and the transaction is rolled back: a dry run always, a real run
** whenever anything failed.
*/
#include "importer/importer.h"
#include "approval/case_import.h"
#include "base/json.h"
#include "ids/ids.h"
#include "org/audit.h"
#include "stats/stats_live.h"
#include "store/store_catalog.h"
#include "store/store_project.h"
#include "store/store_repair.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { S_PROJECT, S_UNIT, S_CASE, S_STATUS, S_SPECIAL, S_DOCUMENT, S_COUNT };
static const char *const sources[S_COUNT] = {"project", "unit", "case", "status", "special", "document"};

struct spgl {
	struct store *st;
	const struct case_env *env;
	int64_t now;
	json_t *rows[S_COUNT];        /* records per source, as read              */
	json_t *errors;
	json_t *project_of;           /* GCDM and XMDM -> projects.id             */
	json_t *by_case[S_COUNT];     /* case number -> [records] (status, special, document) */
	json_t *instances;            /* BLSPSLBM -> {"id","n"}                   */
	json_t *cases;                /* imported case ids                         */
	int64_t created[S_COUNT];
};

static const char *s_of(const json_t *r, const char *k)
{
	const char *v = json_string_value(json_object_get(r, k));
	return v ? v : "";
}

static void fail(struct spgl *g, const json_t *r, const char *field, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(g->errors, json_pack("{s:s,s:s,s:s,s:s}", "table", s_of(r, "$table"), "lsh",
						   s_of(r, "$lsh"), "field", field, "message", msg));
}

static int collect(void *arg, const char *source, const json_t *rec, struct err *e)
{
	struct spgl *g = arg;
	(void)e;
	for (int i = 0; i < S_COUNT; i++)
		if (strcmp(source, sources[i]) == 0)
			json_array_append_new(g->rows[i], json_deep_copy(rec));
	return 0;
}

static int remember(struct spgl *g, const json_t *r, int kind, int64_t ref, struct err *e)
{
	g->created[kind]++;
	if (!*s_of(r, "$lsh"))
		return 0;
	return store_import_source_add(g->st, s_of(r, "$table"), s_of(r, "$lsh"), sources[kind], ref, g->now, e);
}

/* ---- projects ------------------------------------------------------------------------------------ */

static json_t *units_of(struct spgl *g, const char *code)
{
	static const char *const kinds[] = {"builder", "agent", "survey", "design", "construction", "supervision", "other"};
	json_t *out = json_array(), *u;
	size_t i;
	json_array_foreach(g->rows[S_UNIT], i, u) {
		int64_t k = json_get_int(u, "unit_kind", 7);
		if (strcmp(s_of(u, "project_code"), code) != 0)
			continue;
		json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", kinds[k >= 1 && k <= 7 ? k - 1 : 6],
						     "name", s_of(u, "unit_name"), "credit_code", s_of(u, "credit_code"),
						     "contact", "", "phone", ""));
	}
	return out;
}

/* The checks of a project row; 0 when it can be created. */
static int check_project(struct spgl *g, const json_t *r)
{
	struct err e = {0};
	json_t *flow;
	const char *code = s_of(r, "project_code");
	int64_t t = json_get_int(r, "flow_type", 0);
	if (ids_check_project_code(code, &e))
		fail(g, r, "XMDM", "%s", e.msg);
	else if (store_project_code_taken(g->st, code))
		fail(g, r, "XMDM", "项目 %s 已存在 (already here)", code);
	else if (ids_check_division(s_of(r, "division_code"), &e))
		fail(g, r, "JSDDXZQH", "%s", e.msg);
	else if (t < 1 || t > 10)
		fail(g, r, "SPLCLX", "SPLCLX的值不在代码项之中！");
	else if (strcmp(s_of(r, "planned_start"), s_of(r, "planned_finish")) >= 0)
		fail(g, r, "NKGSJ", "NKGSJ时间要早于NJCSJ时间");
	else if (json_number_value(json_object_get(r, "investment_wan")) < 0.5)
		fail(g, r, "ZTZE", "总投资应大于 0");
	else if (store_catalog_version(g->st, CATALOG_FLOWS, s_of(r, "flow_code"), s_of(r, "flow_version"), &flow, &e))
		fail(g, r, "SPLCBM", "审批流程 %s %s 不在目录中", s_of(r, "flow_code"), s_of(r, "flow_version"));
	else {
		json_decref(flow);
		return 0;
	}
	return -1;
}

static int one_project(struct spgl *g, const json_t *r, struct err *e)
{
	int64_t id = 0;
	struct err pe = {0};
	if (check_project(g, r))
		return 0;
	const char *code = s_of(r, "project_code"), *gcdm = s_of(r, "gcdm");
	json_t *p = json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:I}", "code", code, "gcdm",
			      strcmp(gcdm, code) == 0 ? "" : gcdm, "name", s_of(r, "project_name"), "flow_type",
			      (json_int_t)json_get_int(r, "flow_type", 0), "flow_code", s_of(r, "flow_code"), "division",
			      s_of(r, "division_code"), "address", s_of(r, "address"), "investment_wan",
			      (json_int_t)llround(json_number_value(json_object_get(r, "investment_wan"))), "land_area_m2",
			      (json_int_t)llround(json_number_value(json_object_get(r, "land_area"))), "floor_area_m2",
			      (json_int_t)llround(json_number_value(json_object_get(r, "floor_area"))), "planned_start",
			      s_of(r, "planned_start"), "planned_finish", s_of(r, "planned_finish"), "created_department", "",
			      "created_by", "import:spgl", "created_at",
			      (json_int_t)(json_get_int(r, "applied_at", 0) ? json_get_int(r, "applied_at", 0) : g->now));
	json_t *units = units_of(g, code);
	int rc = store_project_save(g->st, p, g->now, &id, &pe);
	if (!rc)
		rc = store_project_units_set(g->st, id, units, &pe);
	json_decref(p);
	json_decref(units);
	if (rc) {
		fail(g, r, "XMDM", "%s", pe.msg);
		return 0;
	}
	json_object_set_new(g->project_of, code, json_integer(id));
	if (*gcdm)
		json_object_set_new(g->project_of, gcdm, json_integer(id));
	json_t *u;
	size_t i;
	json_array_foreach(g->rows[S_UNIT], i, u)
		if (strcmp(s_of(u, "project_code"), code) == 0 && remember(g, u, S_UNIT, id, e))
			return e->code;
	return remember(g, r, S_PROJECT, id, e);
}

/* ---- 办件 --------------------------------------------------------------------------------------- */

/* Group the rows of source by case number, each group in order: by time,
** then by the source's own key (DFSJZJ "status:<id>" keeps the order rows
** were written in), then LSH. */
static int row_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int64_t tx = json_get_int(x, "at", 0), ty = json_get_int(y, "at", 0);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	const char *dx = strrchr(s_of(x, "$dfsjzj"), ':'), *dy = strrchr(s_of(y, "$dfsjzj"), ':');
	long long kx = dx ? atoll(dx + 1) : 0, ky = dy ? atoll(dy + 1) : 0;
	if (kx != ky)
		return kx < ky ? -1 : 1;
	return strcmp(s_of(x, "$lsh"), s_of(y, "$lsh"));
}

static void group(struct spgl *g, int src)
{
	json_t *r, *list;
	const char *k;
	size_t i;
	g->by_case[src] = json_object();
	json_array_foreach(g->rows[src], i, r) {
		list = json_object_get(g->by_case[src], s_of(r, "case_number"));
		if (!list)
			json_object_set_new(g->by_case[src], s_of(r, "case_number"), list = json_array());
		json_array_append(list, r);
	}
	json_object_foreach(g->by_case[src], k, list) {
		size_t n = json_array_size(list);
		json_t **v = malloc((n ? n : 1) * sizeof *v);
		for (i = 0; i < n; i++)
			v[i] = json_incref(json_array_get(list, i));
		qsort(v, n, sizeof *v, row_cmp);
		json_array_clear(list);
		for (i = 0; i < n; i++)
			json_array_append_new(list, v[i]);
		free(v);
	}
}

/* How many cases share each BLSPSLBM. */
static void count_instances(struct spgl *g)
{
	json_t *r, *n;
	size_t i;
	json_array_foreach(g->rows[S_CASE], i, r) {
		const char *k = s_of(r, "instance_number");
		if (!*k)
			continue;
		n = json_object_get(g->instances, k);
		if (!n)
			json_object_set_new(g->instances, k, n = json_pack("{s:I,s:I}", "id", (json_int_t)0, "n", (json_int_t)0));
		json_object_set_new(n, "n", json_integer(json_get_int(n, "n", 0) + 1));
	}
}

struct case_bufs {
	struct case_import_row rows[256];
	struct case_import_special specials[16];
	struct case_import_doc docs[16];
};

static void fill(struct spgl *g, const json_t *r, struct case_import *in, struct case_bufs *b)
{
	json_t *x, *list;
	size_t i;
	const char *num = s_of(r, "case_number");
	list = json_object_get(g->by_case[S_STATUS], num);
	json_array_foreach(list, i, x)
		if (in->nrows < 256)
			b->rows[in->nrows++] = (struct case_import_row){(int)json_get_int(x, "status", 0),
									json_get_int(x, "at", 0), json_string_value(json_object_get(x, "handler")),
									json_string_value(json_object_get(x, "opinion"))};
	list = json_object_get(g->by_case[S_SPECIAL], num);
	json_array_foreach(list, i, x)
		if (in->nspecials < 16)
			b->specials[in->nspecials++] = (struct case_import_special){(int)json_get_int(x, "special_type", 2),
				json_string_value(json_object_get(x, "special_name")), json_get_int(x, "start_at", 0),
				(int)json_get_int(x, "time_limit", 0)};
	list = json_object_get(g->by_case[S_DOCUMENT], num);
	json_array_foreach(list, i, x)
		if (in->ndocs < 16)
			b->docs[in->ndocs++] = (struct case_import_doc){s_of(x, "doc_number"), json_get_int(x, "issued_at", 0)};
	in->rows = b->rows;
	in->specials = b->specials;
	in->docs = b->docs;
}

/* Remember the source rows of a case's status, special and document records. */
static int remember_children(struct spgl *g, const char *num, int64_t id, struct err *e)
{
	static const int kinds[] = {S_STATUS, S_SPECIAL, S_DOCUMENT};
	json_t *x;
	size_t i;
	for (int k = 0; k < 3; k++)
		json_array_foreach(json_object_get(g->by_case[kinds[k]], num), i, x)
			if (remember(g, x, kinds[k], id, e))
				return e->code;
	return 0;
}

static int one_case(struct spgl *g, const json_t *r, struct err *e)
{
	struct case_bufs b;
	struct err ce = {0};
	int taken;
	int64_t case_id, inst_id;
	const char *num = s_of(r, "case_number"), *ins = s_of(r, "instance_number");
	json_t *pid = json_object_get(g->project_of, s_of(r, "gcdm")), *inst = *ins ? json_object_get(g->instances, ins) : NULL;
	struct case_import in = {
		.number = num, .project_id = json_integer_value(pid), .flow_code = s_of(r, "flow_code"),
		.flow_version = s_of(r, "flow_version"), .item_code = s_of(r, "item_code"),
		.item_version = s_of(r, "item_version"), .department = s_of(r, "department_code"),
		.instance_id = json_get_int(inst, "id", 0), .instance_number = *ins ? ins : NULL,
		.instance_cases = (int)json_get_int(inst, "n", 1),
	};
	if (!pid)
		fail(g, r, "GCDM", "办件工程代码在项目基本信息表无对应项目或对应的项目校验失败！");
	else if (store_import_case_taken(g->st, num, &taken, e))
		return e->code;
	else if (taken)
		fail(g, r, "SPSXSLBM", "办件 %s 已存在 (already here)", num);
	if (!pid || taken)
		return 0;
	fill(g, r, &in, &b);
	if (!in.nrows) {
		fail(g, r, "SPSXSLBM", "办件 %s 没有办理详细信息（SPGL_XMSPSXBLXXXXB）", num);
		return 0;
	}
	if (case_import(g->st, g->env, &in, g->now, &case_id, &inst_id, &ce)) {
		if (ce.code != ERR_INVALID && ce.code != ERR_CONFLICT)
			return err_set(e, ce.code, ce.field, "%s", ce.msg);
		fail(g, r, ce.field[0] ? ce.field : "SPSXSLBM", "%s", ce.msg);
		return 0;
	}
	if (inst)
		json_object_set_new(inst, "id", json_integer(inst_id));
	json_array_append_new(g->cases, json_integer(case_id));
	return remember_children(g, num, case_id, e) ? e->code : remember(g, r, S_CASE, case_id, e);
}

/* ---- the run ------------------------------------------------------------------------------------ */

static int create(struct spgl *g, const struct principal *who, struct err *e)
{
	json_t *r;
	size_t i;
	count_instances(g);
	for (int s = S_STATUS; s <= S_DOCUMENT; s++)
		group(g, s);
	json_array_foreach(g->rows[S_PROJECT], i, r)
		if (one_project(g, r, e))
			return e->code;
	json_array_foreach(g->rows[S_CASE], i, r)
		if (one_case(g, r, e))
			return e->code;
	json_array_foreach(g->cases, i, r)
		if (stats_case_refresh(g->st, g->env, json_integer_value(r), g->now, NULL, e))
			return e->code;
	return audit_write(g->st, who, g->now, "import.spgl", "import:spgl", "success",
			   json_pack("{s:I,s:I,s:I}", "projects", (json_int_t)g->created[S_PROJECT], "cases",
				     (json_int_t)g->created[S_CASE], "status_rows", (json_int_t)g->created[S_STATUS]),
			   e);
}

static json_t *report_of(struct spgl *g, int dry_run)
{
	json_t *read = json_object(), *made = json_object();
	for (int s = 0; s < S_COUNT; s++) {
		json_object_set_new(read, sources[s], json_integer((json_int_t)json_array_size(g->rows[s])));
		json_object_set_new(made, sources[s], json_integer(g->created[s]));
	}
	return json_pack("{s:b,s:o,s:o,s:O}", "dry_run", dry_run, "read", read, dry_run ? "would_create" : "created",
			 made, "errors", g->errors);
}

static void spgl_free(struct spgl *g)
{
	for (int s = 0; s < S_COUNT; s++) {
		json_decref(g->rows[s]);
		json_decref(g->by_case[s]);
	}
	json_decref(g->errors);
	json_decref(g->project_of);
	json_decref(g->instances);
	json_decref(g->cases);
}

int import_spgl(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		const struct import_spgl_source *src, int dry_run, json_t **report, struct err *e)
{
	struct spgl g = {.st = st, .env = env, .now = now};
	*report = NULL;
	if (!who->cli && !rbac_has(who, ROLE_OPS))
		return err_set(e, ERR_FORBIDDEN, "", "只有运维工程师可以导入数据 (ops only)");
	if (!src || !src->read)
		return err_set(e, ERR_INVALID, "source", "没有可读取的 SPGL 数据来源 (no source registered)");
	for (int s = 0; s < S_COUNT; s++)
		g.rows[s] = json_array();
	g.errors = json_array();
	g.project_of = json_object();
	g.instances = json_object();
	g.cases = json_array();
	int rc = src->read(src->ctx, collect, &g, e);
	if (!rc && !(rc = store_begin(st, e))) {
		rc = create(&g, who, e);
		if (rc || dry_run || json_array_size(g.errors)) {
			store_rollback(st);
		} else if (!(rc = store_commit(st, e))) {
			/* the statistics only steer the planner: the import stands without */
			store_optimize(st, &(struct err){0});
		}
	}
	if (!rc && json_array_size(g.errors)) {
		rc = err_set(e, ERR_INVALID, "source", "%zu 行不能导入，未导入任何数据", json_array_size(g.errors));
		memset(g.created, 0, dry_run ? 0 : sizeof g.created);
	}
	if (!rc || rc == ERR_INVALID)
		*report = report_of(&g, dry_run);
	spgl_free(&g);
	return rc;
}
