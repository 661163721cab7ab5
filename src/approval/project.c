/*
** project.c: projects and their units (see project.h).
**
** A change is validated as a whole project: update merges the stored
** project with the fields sent and runs the same checks as create, so no
** combination of partial updates can leave, say, a finish date before the
** start. Checks run in the order of the fields and stop at the first
** failure, whose field and rule the caller gets (400 at the API).
*/
#include "approval/project.h"
#include "base/clock.h"
#include "base/json.h"
#include "calendar/cal.h"
#include "ids/ids.h"
#include "org/audit.h"
#include "org/org.h"

#include <stdio.h>
#include <string.h>

#define INVESTMENT_MAX 100000000     /* 万元: 1 万亿 */
#define AREA_MAX 100000000           /* m² */
#define UNITS_MAX 20

static const char *const unit_kinds[][2] = {
	{"builder", "建设单位"}, {"agent", "代建单位"}, {"survey", "勘察单位"}, {"design", "设计单位"},
	{"construction", "施工单位"}, {"supervision", "监理单位"}, {"other", "其他单位"},
};
#define NKINDS (sizeof unit_kinds / sizeof unit_kinds[0])

static const struct jfield project_fields[] = {
	{"code", J_STRING, 1}, {"gcdm", J_STRING, 0}, {"name", J_STRING, 1}, {"flow_type", J_INT, 1},
	{"flow_code", J_STRING, 0}, {"division", J_STRING, 1}, {"address", J_STRING, 1},
	{"investment_wan", J_INT, 1}, {"land_area_m2", J_INT, 1}, {"floor_area_m2", J_INT, 1},
	{"planned_start", J_STRING, 1}, {"planned_finish", J_STRING, 1}, {"units", J_ARRAY, 1}, {NULL, 0, 0},
};
static const struct jfield update_fields[] = {
	{"code", J_STRING, 0}, {"gcdm", J_STRING, 0}, {"name", J_STRING, 0}, {"flow_type", J_INT, 0},
	{"flow_code", J_STRING, 0}, {"division", J_STRING, 0}, {"address", J_STRING, 0},
	{"investment_wan", J_INT, 0}, {"land_area_m2", J_INT, 0}, {"floor_area_m2", J_INT, 0},
	{"planned_start", J_STRING, 0}, {"planned_finish", J_STRING, 0}, {"units", J_ARRAY, 0}, {NULL, 0, 0},
};
static const struct jfield unit_fields[] = {
	{"kind", J_STRING, 1}, {"name", J_STRING, 1}, {"credit_code", J_STRING, 1},
	{"contact", J_STRING, 1}, {"phone", J_STRING, 1}, {NULL, 0, 0},
};

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int64_t num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* ---- scope ------------------------------------------------------------------ */

int project_may_read(const struct principal *who)
{
	return who->cli || rbac_has(who, ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD | ROLE_LEADER | ROLE_OPS);
}

/* district: storage for a district code (8 bytes) the scope may point to. */
static void scope_of(const struct principal *w, struct project_scope *sc, char *district)
{
	size_t n = strlen(w->department);
	memset(sc, 0, sizeof *sc);
	if (w->cli || rbac_has(w, ROLE_LEADER | ROLE_OPS)) {
		sc->all = 1;
		return;
	}
	if (!rbac_has(w, ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD))
		return;                         /* sees nothing */
	if (n) {
		sc->department = w->department;
		if (n > 7 && strcmp(w->department + n - 4, "-XSP") == 0) {
			if (strncmp(w->department, "610200-", 7) == 0) {
				sc->all = 1;            /* the city's 行政审批服务局 */
			} else {
				snprintf(district, 8, "%.6s", w->department);
				sc->district = district;
			}
		}
	} else if (w->district[0]) {
		sc->district = w->district;
	}
}

int project_visible(struct store *st, const struct principal *who, int64_t id)
{
	struct project_scope sc;
	char district[8];
	scope_of(who, &sc, district);
	return store_project_visible(st, id, &sc);
}

int project_link_department(struct store *st, int64_t id, const char *department, struct err *e)
{
	return store_project_link(st, id, department, e);
}

/* ---- lookups ------------------------------------------------------------------ */

static void fill(const json_t *row, struct project *p)
{
	memset(p, 0, sizeof *p);
	p->id = num(row, "id");
	snprintf(p->code, sizeof p->code, "%s", str(row, "code"));
	snprintf(p->gcdm, sizeof p->gcdm, "%s", str(row, "gcdm"));
	snprintf(p->name, sizeof p->name, "%s", str(row, "name"));
	p->flow_type = (int)num(row, "flow_type");
	snprintf(p->flow_code, sizeof p->flow_code, "%s", str(row, "flow_code"));
	snprintf(p->division, sizeof p->division, "%s", str(row, "division"));
	snprintf(p->created_department, sizeof p->created_department, "%s", str(row, "created_department"));
}

int project_lookup(struct store *st, int64_t id, struct project *p, struct err *e)
{
	json_t *row;
	if (store_project_get(st, id, &row, e))
		return e->code;
	fill(row, p);
	json_decref(row);
	return 0;
}

int project_lookup_code(struct store *st, const char *code, struct project *p, struct err *e)
{
	json_t *row;
	if (store_project_by_code(st, code, &row, e))
		return e->code;
	fill(row, p);
	json_decref(row);
	return 0;
}

/* ---- validation ------------------------------------------------------------------ */

static int text_ok(const char *s, int maxchars)
{
	int n = 0;
	if (!*s || *s == ' ' || s[strlen(s) - 1] == ' ')
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		n += (*p & 0xc0) != 0x80;
	}
	return n <= maxchars;
}

static int text_rule(const json_t *o, const char *k, int maxchars, const char *field, struct err *e)
{
	if (text_ok(str(o, k), maxchars))
		return 0;
	return err_set(e, ERR_INVALID, field, "不能为空，不能有首尾空格或控制字符，最多 %d 个字", maxchars);
}

/* Mobile 1[3-9]xxxxxxxxx or landline 0xx(x)-xxxxxxx(x), dash optional. */
static int phone_ok(const char *s)
{
	size_t n = strlen(s), i, digits = 0, dash = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '-' && i > 2 && i < 5 && !dash)
			dash = i;
		else if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else
			return 0;
	}
	if (s[0] == '1' && !dash)
		return n == 11 && s[1] >= '3';
	return s[0] == '0' && digits >= 10 && digits <= 12;
}

static const char *kind_name(const char *kind)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(kind, unit_kinds[i][0]) == 0)
			return unit_kinds[i][1];
	return NULL;
}

/* Normalise a unit's credit code in place and check one unit. */
static int check_unit(json_t *u, size_t i, struct err *e)
{
	char f[64], norm[IDS_MAX];
	struct err e2;
	if (json_check(u, unit_fields, e)) {
		char k[sizeof e->field];
		snprintf(k, sizeof k, "%s", e->field);
		snprintf(e->field, sizeof e->field, "units[%zu]%s%s", i, k[0] ? "." : "", k);
		return e->code;
	}
	snprintf(f, sizeof f, "units[%zu].kind", i);
	if (!kind_name(str(u, "kind")))
		return err_set(e, ERR_INVALID, f, "单位类型必须是 builder（建设单位）、agent（代建单位）、survey（勘察单位）、"
			       "design（设计单位）、construction（施工单位）、supervision（监理单位）或 other");
	snprintf(f, sizeof f, "units[%zu].name", i);
	if (text_rule(u, "name", 100, f, e))
		return e->code;
	snprintf(f, sizeof f, "units[%zu].credit_code", i);
	ids_normalize(str(u, "credit_code"), norm, sizeof norm);
	if (ids_check_uscc(norm, &e2))
		return err_set(e, ERR_INVALID, f, "统一社会信用代码无效：%s", e2.msg);
	json_object_set_new(u, "credit_code", json_string(norm));
	snprintf(f, sizeof f, "units[%zu].contact", i);
	if (text_rule(u, "contact", 50, f, e))
		return e->code;
	snprintf(f, sizeof f, "units[%zu].phone", i);
	if (!phone_ok(str(u, "phone")))
		return err_set(e, ERR_INVALID, f, "联系电话格式错误（手机 11 位，或固话 区号-号码）");
	return 0;
}

static int check_units(json_t *units, struct err *e)
{
	size_t i, j;
	json_t *u;
	int builders = 0;
	if (json_array_size(units) == 0 || json_array_size(units) > UNITS_MAX)
		return err_set(e, ERR_INVALID, "units", "项目单位至少 1 个，最多 %d 个", UNITS_MAX);
	json_array_foreach(units, i, u) {
		if (check_unit(u, i, e))
			return e->code;
		builders += strcmp(str(u, "kind"), "builder") == 0;
		for (j = 0; j < i; j++) {
			json_t *v = json_array_get(units, j);
			if (strcmp(str(v, "kind"), str(u, "kind")) == 0 &&
			    strcmp(str(v, "credit_code"), str(u, "credit_code")) == 0) {
				char f[64];
				snprintf(f, sizeof f, "units[%zu].credit_code", i);
				return err_set(e, ERR_INVALID, f, "同一类型的单位重复");
			}
		}
	}
	return builders ? 0 : err_set(e, ERR_INVALID, "units", "至少要有一个建设单位（kind = builder）");
}

/* Identifiers: project code, 工程代码, location division. */
static int check_ids(json_t *p, struct err *e)
{
	char norm[IDS_MAX];
	struct err e2;
	const struct ids_division *d;
	ids_normalize(str(p, "code"), norm, sizeof norm);
	if (ids_check_project_code(norm, &e2))
		return err_set(e, ERR_INVALID, "code", "投资项目代码无效：%s", e2.msg);
	json_object_set_new(p, "code", json_string(norm));
	const char *g = str(p, "gcdm");
	for (const char *c = g; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || *c == '-') || c - g >= 40)
			return err_set(e, ERR_INVALID, "gcdm", "工程代码最多 40 个字符，只能包含大写字母、数字和 -");
	ids_normalize(str(p, "division"), norm, sizeof norm);
	if (ids_check_division(norm, &e2))
		return err_set(e, ERR_INVALID, "division", "行政区划代码无效：%s", e2.msg);
	d = ids_division_find(norm);
	if (!d || (strcmp(d->code, "610200") != 0 && strcmp(d->parent, "610200") != 0))
		return err_set(e, ERR_INVALID, "division", "项目所在地必须是铜川市或其所辖区县（%s）", norm);
	json_object_set_new(p, "division", json_string(norm));
	return 0;
}

static int check_amounts(const json_t *p, struct err *e)
{
	int32_t a, b;
	if (num(p, "investment_wan") < 1 || num(p, "investment_wan") > INVESTMENT_MAX)
		return err_set(e, ERR_INVALID, "investment_wan", "总投资（万元）必须是 1 到 %d 之间的整数",
			       INVESTMENT_MAX);
	if (num(p, "land_area_m2") < 0 || num(p, "land_area_m2") > AREA_MAX)
		return err_set(e, ERR_INVALID, "land_area_m2", "用地面积（平方米）必须是 0 到 %d 之间的整数", AREA_MAX);
	if (num(p, "floor_area_m2") < 0 || num(p, "floor_area_m2") > AREA_MAX)
		return err_set(e, ERR_INVALID, "floor_area_m2", "建筑面积（平方米）必须是 0 到 %d 之间的整数", AREA_MAX);
	if (cal_date_parse(str(p, "planned_start"), &a, e))
		return err_set(e, ERR_INVALID, "planned_start", "计划开工日期无效（YYYY-MM-DD）");
	if (cal_date_parse(str(p, "planned_finish"), &b, e))
		return err_set(e, ERR_INVALID, "planned_finish", "计划竣工日期无效（YYYY-MM-DD）");
	if (a >= b)
		return err_set(e, ERR_INVALID, "planned_finish", "计划竣工日期必须晚于计划开工日期");
	return 0;
}

/* Every rule on a complete project object p (normalised in place). */
static int check_project(struct store *st, json_t *p, int64_t now, struct err *e)
{
	char today[16], flow[CATALOG_CODE_MAX + 1];
	const char *want = str(p, "flow_code");
	if (check_ids(p, e) || text_rule(p, "name", 200, "name", e))
		return e->code;
	if (num(p, "flow_type") < 1 || num(p, "flow_type") > 10)
		return err_set(e, ERR_INVALID, "flow_type", "流程类型 SPLCLX 必须是 1-10");
	if (catalog_flow_for_type(st, (int)num(p, "flow_type"), want, clock_cn_date(now, today),
				  *want ? "flow_code" : "flow_type", flow, e))
		return e->code;
	json_object_set_new(p, "flow_code", json_string(flow));
	if (text_rule(p, "address", 200, "address", e) || check_amounts(p, e))
		return e->code;
	return check_units(json_object_get(p, "units"), e);
}

/* ---- changes --------------------------------------------------------------------- */

static int may_write(const struct principal *who, unsigned roles)
{
	return who->cli || rbac_has(who, roles);
}

static int write_project(struct store *st, const struct principal *who, int64_t now, json_t *p,
			 int64_t *id, const char *action, json_t *details, struct err *e)
{
	char object[48];
	int rc = store_begin(st, e);
	if (rc) {
		json_decref(details);
		return rc;
	}
	rc = store_project_save(st, p, now, id, e);
	if (!rc && json_object_get(p, "units"))
		rc = store_project_units_set(st, *id, json_object_get(p, "units"), e);
	snprintf(object, sizeof object, "project:%lld", (long long)*id);
	if (!rc)
		rc = audit_write(st, who, now, action, object, "success", details, e);
	else
		json_decref(details);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int project_create(struct store *st, const struct principal *who, int64_t now, const json_t *body,
		   int64_t *id, struct err *e)
{
	json_t *p;
	int rc;
	*id = 0;
	if (!may_write(who, ROLE_CLERK | ROLE_HEAD))
		return err_set(e, ERR_FORBIDDEN, "", "只有窗口人员或部门负责人可以登记项目");
	if (json_check(body, project_fields, e))
		return e->code;
	p = json_deep_copy(body);
	if (!json_object_get(p, "gcdm"))
		json_object_set_new(p, "gcdm", json_string(""));
	rc = check_project(st, p, now, e);
	if (!rc && store_project_code_taken(st, str(p, "code")))
		rc = err_set(e, ERR_CONFLICT, "code", "投资项目代码 %s 已登记", str(p, "code"));
	if (!rc) {
		json_object_set_new(p, "created_department", json_string(who->department));
		json_object_set_new(p, "created_by", json_string(who->username));
		rc = write_project(st, who, now, p, id, "project.create",
				   json_pack("{s:s,s:s}", "code", str(p, "code"), "name", str(p, "name")), e);
		if (rc == ERR_CONFLICT)
			err_set(e, ERR_CONFLICT, "code", "投资项目代码 %s 已登记", str(p, "code"));
	}
	json_decref(p);
	return rc;
}

/* Names of the fields of body whose value differs from old. */
static json_t *changed(const json_t *old, const json_t *body)
{
	json_t *names = json_array(), *v;
	const char *k;
	json_object_foreach((json_t *)body, k, v)
		if (!json_equal(v, json_object_get(old, k)))
			json_array_append_new(names, json_string(k));
	return names;
}

/* Once a stage is applied for, where the project is and which flow it
** follows are fixed (its cases were dispatched and timed by them): 409
** naming the field. The code is fixed from the start. */
static int check_locked(struct store *st, int64_t id, const json_t *old, const json_t *p, struct err *e)
{
	static const char *const fields[][2] = {
		{"division", "所在地行政区划"}, {"flow_type", "流程类型"}, {"flow_code", "审批流程"},
	};
	int64_t n = 0;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (json_equal(json_object_get(old, fields[i][0]), json_object_get(p, fields[i][0])))
			continue;
		if (!n && store_project_applications(st, id, &n, e))
			return e->code;
		if (n)
			return err_set(e, ERR_CONFLICT, fields[i][0], "项目已申报审批阶段，%s不可修改：已有办件按原%s分派和计时 "
				       "(%s is fixed once a stage application exists)", fields[i][1], fields[i][1],
				       fields[i][0]);
	}
	return 0;
}

int project_update(struct store *st, const struct principal *who, int64_t now, int64_t id,
		   const json_t *body, struct err *e)
{
	json_t *old, *p, *v;
	const char *k;
	int rc;
	if (!may_write(who, ROLE_CLERK | ROLE_HEAD))
		return err_set(e, ERR_FORBIDDEN, "", "只有窗口人员或部门负责人可以修改项目");
	if (json_check(body, update_fields, e))
		return e->code;
	if (!project_visible(st, who, id))
		return err_set(e, ERR_NOTFOUND, "id", "项目不存在");
	if (store_project_get(st, id, &old, e))
		return e->code;
	if (json_object_get(body, "code") && strcmp(str(body, "code"), str(old, "code")) != 0) {
		json_decref(old);
		return err_set(e, ERR_INVALID, "code", "投资项目代码不可修改：登记错误的项目请删除后重新登记");
	}
	p = json_deep_copy(old);
	if (store_project_units(st, id, &v, e) == 0) {
		size_t i;
		json_t *u;
		json_array_foreach(v, i, u)
			json_object_del(u, "id");
		json_object_set_new(p, "units", v);
	}
	json_object_foreach((json_t *)body, k, v)
		json_object_set(p, k, v);
	rc = check_project(st, p, now, e);
	if (!rc)
		rc = check_locked(st, id, old, p, e);
	if (!rc)
		rc = write_project(st, who, now, p, &id, "project.update",
				   json_pack("{s:s,s:o}", "code", str(p, "code"), "changes", changed(old, body)), e);
	json_decref(old);
	json_decref(p);
	return rc;
}

int project_delete(struct store *st, const struct principal *who, int64_t now, int64_t id, struct err *e)
{
	char object[48];
	int64_t links = 0;
	json_t *old;
	if (!may_write(who, ROLE_HEAD))
		return err_set(e, ERR_FORBIDDEN, "", "只有部门负责人可以删除项目");
	if (!project_visible(st, who, id) || store_project_get(st, id, &old, e))
		return err_set(e, ERR_NOTFOUND, "id", "项目不存在");
	if (store_begin(st, e)) {
		json_decref(old);
		return e->code;
	}
	int rc = store_project_links(st, id, &links, e);
	if (!rc && links > 0)
		rc = err_set(e, ERR_CONFLICT, "id", "项目已有部门在办理事项，不能删除");
	if (!rc)
		rc = store_project_delete(st, id, now, e);
	snprintf(object, sizeof object, "project:%lld", (long long)id);
	if (!rc)
		rc = audit_write(st, who, now, "project.delete", object, "success",
				 json_pack("{s:s,s:s}", "code", str(old, "code"), "name", str(old, "name")), e);
	json_decref(old);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

/* ---- reading ------------------------------------------------------------------------ */

/* Names for codes, and units (phones masked when mask). */
static int decorate(struct store *st, json_t *p, int mask, struct err *e)
{
	json_t *units, *u;
	size_t i;
	const char *dn = ids_division_name(str(p, "division"));
	const char *tn = catalog_flow_type_name((int)num(p, "flow_type"));
	json_object_set_new(p, "division_name", json_string(dn ? dn : ""));
	json_object_set_new(p, "flow_type_name", json_string(tn ? tn : ""));
	if (store_project_units(st, num(p, "id"), &units, e))
		return e->code;
	json_array_foreach(units, i, u) {
		const char *kn = kind_name(str(u, "kind"));
		json_object_set_new(u, "kind_name", json_string(kn ? kn : ""));
		if (mask) {
			char masked[40];
			org_mask_phone(str(u, "phone"), masked, sizeof masked);
			json_object_set_new(u, "phone", json_string(masked));
		}
	}
	json_object_set_new(p, "units", units);
	return 0;
}

/* What the edit form must know: stage_applications (once there is one,
** division and flow are fixed: check_locked) and deletable (no department
** handles an item of it: project_delete). */
static int edit_state(struct store *st, int64_t id, json_t *p, struct err *e)
{
	int64_t applications = 0, links = 0;
	if (store_project_applications(st, id, &applications, e) || store_project_links(st, id, &links, e))
		return e->code;
	json_object_set_new(p, "stage_applications", json_integer(applications));
	json_object_set_new(p, "deletable", json_boolean(links == 0));
	return 0;
}

int project_get(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e)
{
	*out = NULL;
	if (!project_may_read(who) || !project_visible(st, who, id))
		return err_set(e, ERR_NOTFOUND, "id", "项目不存在");
	if (store_project_get(st, id, out, e))
		return e->code;
	if (decorate(st, *out, 0, e) || edit_state(st, id, *out, e)) {
		json_decref(*out);
		*out = NULL;
		return e->code;
	}
	return 0;
}

int project_list(struct store *st, const struct principal *who, const struct project_filter *f,
		 const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	struct project_scope sc;
	char district[8];
	json_t *p;
	size_t i;
	if (!project_may_read(who))
		return err_set(e, ERR_FORBIDDEN, "", "无权查看项目");
	scope_of(who, &sc, district);
	if (store_project_list(st, &sc, f, pg, items, total, e))
		return e->code;
	json_array_foreach(*items, i, p)
		if (decorate(st, p, 1, e)) {
			json_decref(*items);
			*items = NULL;
			return e->code;
		}
	return 0;
}
