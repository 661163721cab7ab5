/*
** import_projects.c: a spreadsheet of projects and units (importer.h). The
** rows become the request objects of approval/project.h and go through
** project_create: first each project in a transaction rolled back (the dry
** run, which collects every error), then, when none failed and this is no
** dry run, all of them in one transaction.
*/
#include "importer/importer.h"
#include "approval/project.h"
#include "base/json.h"
#include "org/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum ctype { C_TEXT, C_INT, C_KIND };
struct column {
	const char *field;            /* project field, or "unit.<field>" */
	enum ctype type;
	const char *names[4];         /* header names, matched case-insensitively */
};
static const struct column columns[] = {
	{"code", C_TEXT, {"XMDM", "项目代码", "code"}},
	{"gcdm", C_TEXT, {"GCDM", "工程代码", "gcdm"}},
	{"name", C_TEXT, {"XMMC", "项目名称", "name"}},
	{"flow_type", C_INT, {"SPLCLX", "审批流程类型", "flow_type"}},
	{"division", C_TEXT, {"JSDDXZQH", "建设地点行政区划", "division", "XZQHDM"}},
	{"address", C_TEXT, {"JSDD", "建设地点", "address"}},
	{"investment_wan", C_INT, {"ZTZE", "总投资（万元）", "总投资", "investment_wan"}},
	{"land_area_m2", C_INT, {"YDMJ", "用地面积", "land_area_m2"}},
	{"floor_area_m2", C_INT, {"JZMJ", "建筑面积", "floor_area_m2"}},
	{"planned_start", C_TEXT, {"NKGSJ", "拟开工时间", "planned_start"}},
	{"planned_finish", C_TEXT, {"NJCSJ", "拟建成时间", "planned_finish"}},
	{"unit.name", C_TEXT, {"DWMC", "单位名称", "unit_name"}},
	{"unit.credit_code", C_TEXT, {"DWTYSHXYDM", "统一社会信用代码", "credit_code"}},
	{"unit.kind", C_KIND, {"DWLX", "单位类型", "kind"}},
	{"unit.contact", C_TEXT, {"LXR", "联系人", "contact"}},
	{"unit.phone", C_TEXT, {"LXDH", "联系电话", "phone"}},
};
#define NCOLS (sizeof columns / sizeof columns[0])

/* SPGL DWLX (1 建设单位 … 7 其他), the Chinese names, or our codes. */
static const char *const kinds[][3] = {
	{"1", "建设单位", "builder"}, {"2", "代建单位", "agent"}, {"3", "勘察单位", "survey"},
	{"4", "设计单位", "design"}, {"5", "施工单位", "construction"}, {"6", "监理单位", "supervision"},
	{"7", "其他单位", "other"},
};

static void add_error(json_t *errors, int64_t row, const char *field, const char *msg)
{
	json_array_append_new(errors, json_pack("{s:I,s:s,s:s}", "row", (json_int_t)row, "field", field, "message", msg));
}

/* Position of each column in the header, -1 when absent. */
static int header(const json_t *head, int pos[NCOLS], json_t *errors)
{
	for (size_t c = 0; c < NCOLS; c++) {
		pos[c] = -1;
		for (size_t i = 0; i < json_array_size(head) && pos[c] < 0; i++)
			for (int k = 0; k < 4 && columns[c].names[k]; k++)
				if (strcasecmp(json_string_value(json_array_get(head, i)), columns[c].names[k]) == 0)
					pos[c] = (int)i;
		if (pos[c] < 0 && strcmp(columns[c].field, "gcdm") != 0) {
			char msg[160];
			snprintf(msg, sizeof msg, "缺少列 %s（或 %s）", columns[c].names[0], columns[c].names[1]);
			add_error(errors, 1, columns[c].field, msg);
		}
	}
	return json_array_size(errors) ? -1 : 0;
}

/* The cell as the field's JSON value; NULL (error added) when it cannot be one. */
static json_t *cell(const struct column *c, const char *v, int64_t line, json_t *errors)
{
	char *end;
	if (c->type == C_INT) {
		double d = strtod(v, &end);
		if (!*v || *end || d != (double)(long long)d) {
			add_error(errors, line, c->field, "应为整数");
			return NULL;
		}
		return json_integer((json_int_t)d);
	}
	if (c->type == C_KIND) {
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			for (int k = 0; k < 3; k++)
				if (strcmp(v, kinds[i][k]) == 0)
					return json_string(kinds[i][2]);
		add_error(errors, line, c->field, "单位类型应为 1–7、建设单位…其他单位 或 builder…other");
		return NULL;
	}
	return json_string(v);
}

/* Rows (after the header) grouped by project code into request objects,
** each with "_line" and "_unit_lines" for the report. */
static json_t *group(const json_t *rows, const json_t *lines, const int pos[NCOLS], json_t *errors)
{
	json_t *projects = json_object(), *order = json_array();
	for (size_t r = 1; r < json_array_size(rows); r++) {
		json_t *row = json_array_get(rows, r), *unit = json_object();
		int64_t line = json_integer_value(json_array_get(lines, r));
		const char *code = json_string_value(json_array_get(row, (size_t)pos[0]));
		json_t *p = json_object_get(projects, code ? code : "");
		int first = !p;
		if (first) {
			p = json_pack("{s:I,s:[],s:[]}", "_line", (json_int_t)line, "units", "_unit_lines");
			json_object_set_new(projects, code ? code : "", p);
			json_array_append_new(order, json_string(code ? code : ""));
		}
		size_t before = json_array_size(errors);
		for (size_t c = 0; c < NCOLS; c++) {
			int is_unit = strncmp(columns[c].field, "unit.", 5) == 0;
			if (pos[c] < 0 || (!is_unit && !first))
				continue;
			const char *v = json_string_value(json_array_get(row, (size_t)pos[c]));
			json_t *val = cell(&columns[c], v ? v : "", line, errors);
			if (val)
				json_object_set_new(is_unit ? unit : p, is_unit ? columns[c].field + 5 : columns[c].field, val);
		}
		if (json_array_size(errors) > before)
			json_object_set_new(p, "_bad", json_true());   /* its cells are reported already */
		json_array_append_new(json_object_get(p, "units"), unit);
		json_array_append_new(json_object_get(p, "_unit_lines"), json_integer(line));
	}
	json_t *out = json_array(), *code;
	size_t i;
	json_array_foreach(order, i, code)
		json_array_append(out, json_object_get(projects, json_string_value(code)));
	json_decref(order);
	json_decref(projects);
	return out;
}

/* The request object without the report's bookkeeping. */
static json_t *body_of(const json_t *p)
{
	json_t *b = json_deep_copy(p);
	json_object_del(b, "_line");
	json_object_del(b, "_unit_lines");
	json_object_del(b, "_bad");
	return b;
}

/* project_create's error mapped to the CSV row and column it came from. */
static void create_error(const json_t *p, const struct err *e, json_t *errors)
{
	unsigned idx;
	char rest[48];
	int64_t line = json_get_int(p, "_line", 0);
	char field[64];
	snprintf(field, sizeof field, "%s", e->field);
	if (sscanf(e->field, "units[%u].%47s", &idx, rest) == 2) {
		line = json_integer_value(json_array_get(json_object_get(p, "_unit_lines"), idx));
		snprintf(field, sizeof field, "unit.%s", rest);
	}
	add_error(errors, line, field, e->msg);
}

/* Each project through project_create in a transaction that is rolled back. */
static void dry(struct store *st, const struct principal *who, int64_t now, const json_t *projects, json_t *errors)
{
	json_t *p;
	size_t i;
	json_array_foreach(projects, i, p) {
		struct err e = {0};
		int64_t id;
		if (json_object_get(p, "_bad"))
			continue;
		json_t *b = body_of(p);
		if (store_begin(st, &e)) {
			add_error(errors, 0, "", e.msg);
		} else {
			if (project_create(st, who, now, b, &id, &e))
				create_error(p, &e, errors);
			store_rollback(st);
		}
		json_decref(b);
	}
}

static int create_all(struct store *st, const struct principal *who, int64_t now, const json_t *projects,
		      json_t *created, struct err *e)
{
	json_t *p;
	size_t i;
	int64_t id;
	if (store_begin(st, e))
		return e->code;
	json_array_foreach(projects, i, p) {
		json_t *b = body_of(p);
		int rc = project_create(st, who, now, b, &id, e);
		json_decref(b);
		if (rc) {
			store_rollback(st);
			return rc;
		}
		json_array_append_new(created, json_string(json_get_str(p, "code", "")));
	}
	if (audit_write(st, who, now, "import.projects", "import:projects", "success",
			json_pack("{s:I}", "projects", (json_int_t)json_array_size(created)), e)) {
		store_rollback(st);
		return e->code;
	}
	return store_commit(st, e);
}

/* A workbook is a ZIP archive: it starts "PK\3\4"; anything else is read as CSV text. */
static int read_rows(const char *data, size_t len, json_t **rows, json_t **lines, struct err *e)
{
	if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0)
		return import_xlsx_parse(data, len, rows, lines, e);
	return import_csv_parse(data, len, rows, lines, e);
}

int import_projects(struct store *st, const struct principal *who, int64_t now, const char *data, size_t len,
		    int dry_run, json_t **report, struct err *e)
{
	json_t *rows, *lines, *errors, *created, *projects;
	int pos[NCOLS];
	size_t units = 0;
	*report = NULL;
	if (!who->cli && !rbac_has(who, ROLE_OPS))
		return err_set(e, ERR_FORBIDDEN, "", "只有运维工程师可以导入数据 (ops only)");
	struct principal importer = *who;
	importer.roles |= ROLE_CLERK;
	who = &importer;
	errors = json_array();
	created = json_array();
	projects = json_array();
	if (read_rows(data, len, &rows, &lines, e)) {
		json_decref(errors);
		json_decref(created);
		json_decref(projects);
		return e->code;
	}
	if (json_array_size(rows) < 2)
		add_error(errors, 1, "", "文件中没有数据行（第一行应为列名）");
	else if (!header(json_array_get(rows, 0), pos, errors)) {
		json_decref(projects);
		projects = group(rows, lines, pos, errors);
	}
	for (size_t i = 0; i < json_array_size(projects); i++)
		units += json_array_size(json_object_get(json_array_get(projects, i), "units"));
	dry(st, who, now, projects, errors);
	int rc = 0;
	if (json_array_size(errors))
		rc = err_set(e, ERR_INVALID, "file", "%zu 处错误，未导入任何数据", json_array_size(errors));
	else if (!dry_run)
		rc = create_all(st, who, now, projects, created, e);
	*report = json_pack("{s:b,s:I,s:I,s:I,s:o,s:o}", "dry_run", dry_run, "rows",
			    (json_int_t)(json_array_size(rows) ? json_array_size(rows) - 1 : 0), "projects",
			    (json_int_t)json_array_size(projects), "units", (json_int_t)units, "created", created, "errors",
			    errors);
	json_decref(rows);
	json_decref(lines);
	json_decref(projects);
	return rc;
}
