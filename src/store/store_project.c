/*
** store_project.c: SQL of projects, units and project_departments (see
** store_project.h).
**
** The data scope is one WHERE clause shared by list and visibility: a
** project is in scope when the reader sees all, or it lies in the reader's
** district, or the reader's department registered it or handles it
** (project_departments, filled by the lifecycle when it opens a case).
*/
#include "store/store_project.h"
#include "store/store_int.h"
#include "store/store_list.h"
#include "store/store_search.h"

#include <stdio.h>
#include <string.h>

#define PROJECT_COLS "p.id, p.code, p.gcdm, p.name, p.flow_type, p.flow_code, p.division_code AS division, " \
	"p.address, p.investment_wan, p.land_area_m2, p.floor_area_m2, p.planned_start, p.planned_finish, " \
	"p.created_department, p.created_by, p.created_at, p.updated_at"

/* ?1 all, ?2 district, ?3 department */
#define SCOPE "(?1 = 1 OR (?2 IS NOT NULL AND p.division_code = ?2) OR (?3 IS NOT NULL AND " \
	"(p.created_department = ?3 OR EXISTS (SELECT 1 FROM project_departments d " \
	"WHERE d.department_code = ?3 AND d.project_id = p.id))))"

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

int store_project_save(struct store *st, const json_t *p, int64_t now, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, *id
		? "UPDATE projects SET code = ?1, gcdm = ?2, name = ?3, flow_type = ?4, flow_code = ?5, "
		  "division_code = ?6, address = ?7, investment_wan = ?8, land_area_m2 = ?9, floor_area_m2 = ?10, "
		  "planned_start = ?11, planned_finish = ?12, updated_at = ?15 WHERE id = ?16 AND deleted_at IS NULL"
		: "INSERT INTO projects(code, gcdm, name, flow_type, flow_code, division_code, address, "
		  "investment_wan, land_area_m2, floor_area_m2, planned_start, planned_finish, created_department, "
		  "created_by, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?15)",
		e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, str(p, "code"));
	store_bind_text(s, 2, str(p, "gcdm"));
	store_bind_text(s, 3, str(p, "name"));
	sqlite3_bind_int64(s, 4, num(p, "flow_type"));
	store_bind_text(s, 5, str(p, "flow_code"));
	store_bind_text(s, 6, str(p, "division"));
	store_bind_text(s, 7, str(p, "address"));
	sqlite3_bind_int64(s, 8, num(p, "investment_wan"));
	sqlite3_bind_int64(s, 9, num(p, "land_area_m2"));
	sqlite3_bind_int64(s, 10, num(p, "floor_area_m2"));
	store_bind_text(s, 11, str(p, "planned_start"));
	store_bind_text(s, 12, str(p, "planned_finish"));
	store_bind_text(s, 13, str(p, "created_department") ? str(p, "created_department") : "");
	store_bind_text(s, 14, str(p, "created_by") ? str(p, "created_by") : "");
	sqlite3_bind_int64(s, 15, now);
	sqlite3_bind_int64(s, 16, *id);
	if (store_step_done(st, s, e, "project"))
		return e->code;
	if (*id && sqlite3_changes(store_db(st)) == 0)
		return err_set(e, ERR_NOTFOUND, "id", "项目不存在");
	if (!*id)
		*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_project_units_set(struct store *st, int64_t id, const json_t *units, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM project_units WHERE project_id = ?", e);
	size_t i;
	json_t *u;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	if (store_step_done(st, s, e, "project units"))
		return e->code;
	json_array_foreach(units, i, u) {
		s = store_stmt(st, "INSERT INTO project_units(project_id, position, kind, name, credit_code, "
			       "contact, phone) VALUES (?,?,?,?,?,?,?)", e);
		if (!s)
			return e->code;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, (int)i);
		store_bind_text(s, 3, str(u, "kind"));
		store_bind_text(s, 4, str(u, "name"));
		store_bind_text(s, 5, str(u, "credit_code"));
		store_bind_text(s, 6, str(u, "contact"));
		store_bind_text(s, 7, str(u, "phone"));
		if (store_step_done(st, s, e, "project unit"))
			return e->code;
	}
	return 0;
}

int store_project_delete(struct store *st, int64_t id, int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE projects SET deleted_at = ?2, updated_at = ?2 "
				     "WHERE id = ?1 AND deleted_at IS NULL", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	if (store_step_done(st, s, e, "project delete"))
		return e->code;
	return sqlite3_changes(store_db(st)) ? 0 : err_set(e, ERR_NOTFOUND, "id", "项目不存在");
}

static int one(struct store *st, sqlite3_stmt *s, json_t **row, struct err *e)
{
	json_t *rows;
	if (store_rows_json(st, s, &rows, e))
		return e->code;
	*row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return *row ? 0 : err_set(e, ERR_NOTFOUND, "id", "项目不存在");
}

int store_project_get(struct store *st, int64_t id, json_t **row, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " PROJECT_COLS " FROM projects p "
				     "WHERE p.id = ? AND p.deleted_at IS NULL", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return one(st, s, row, e);
}

int store_project_by_code(struct store *st, const char *code, json_t **row, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " PROJECT_COLS " FROM projects p "
				     "WHERE p.code = ? AND p.deleted_at IS NULL", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	return one(st, s, row, e);
}

int store_project_code_taken(struct store *st, const char *code)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT 1 FROM projects WHERE code = ?", NULL);
	int taken;
	if (!s)
		return 0;
	store_bind_text(s, 1, code);
	taken = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return taken;
}

int store_project_units(struct store *st, int64_t id, json_t **units, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, kind, name, credit_code, contact, phone FROM project_units "
				     "WHERE project_id = ? ORDER BY position", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return store_rows_json(st, s, units, e);
}

static void bind_scope(sqlite3_stmt *s, const struct project_scope *sc)
{
	sqlite3_bind_int(s, 1, sc->all);
	store_bind_text(s, 2, sc->district);
	store_bind_text(s, 3, sc->department);
}

/* The list's filter from the scope and the filters present; hits: the ids
** the search found in the trigram table (store_search.h), NULL without q or
** when q is too short for it. A department's projects are those it created
** and those project_departments lists. wide: more than STORE_COUNT_CAP
** match, so the page walks the projects newest first testing these lists
** (the unary +, a probe) instead of driving by them and sorting them all. */
static void project_filter(const struct project_scope *sc, const struct project_filter *f, const char *hits,
			   int wide, struct store_list *l)
{
	const char *plus = wide ? "+" : "";
	struct buf scope = {0};
	store_list_and(l, "p.deleted_at IS NULL");
	if (!sc->all && (sc->district || sc->department)) {
		buf_puts(&scope, "(");
		if (sc->district) {
			buf_printf(&scope, "%sp.division_code = :scope_district", plus);
			store_list_bind_text(l, ":scope_district", sc->district);
		}
		if (sc->department) {
			/* wide: a probe of project_departments' key per project walked */
			buf_printf(&scope, wide ? "%s+p.created_department = :scope_department OR EXISTS (SELECT 1 FROM "
				   "project_departments d WHERE d.department_code = :scope_department AND d.project_id = p.id)"
				   : "%sp.created_department = :scope_department OR p.id IN (SELECT project_id FROM "
				   "project_departments WHERE department_code = :scope_department)", sc->district ? " OR " : "");
			store_list_bind_text(l, ":scope_department", sc->department);
		}
		buf_puts(&scope, ")");
		store_list_and(l, scope.data);
		buf_free(&scope);
	} else if (!sc->all) {
		store_list_and(l, "0");
	}
	if (f->q && hits)
		store_list_text(l, wide ? "+p.id IN (SELECT value FROM json_each(:hits))"
				: "p.id IN (SELECT value FROM json_each(:hits))", ":hits", hits);
	else if (f->q)
		store_list_text(l, "(instr(p.name, :q) > 0 OR instr(p.code, :q) > 0)", ":q", f->q);
	if (f->flow_type)
		store_list_int(l, "p.flow_type = :flow_type", ":flow_type", f->flow_type);
	if (f->division)
		store_list_text(l, "p.division_code = :division", ":division", f->division);
}

/* A department's list alone: more than STORE_COUNT_CAP projects linked to
** it (a linked project cannot be deleted) means the count is capped,
** known from at most that many keys of project_departments. */
static int department_many(struct store *st, const struct project_scope *sc, const struct project_filter *f,
			   int *many, struct err *e)
{
	*many = 0;
	if (sc->all || sc->district || !sc->department || f->q || f->flow_type || f->division)
		return 0;
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM (SELECT 1 FROM project_departments "
				     "WHERE department_code = ? LIMIT ?)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, sc->department);
	sqlite3_bind_int(s, 2, STORE_COUNT_CAP + 1);
	int rc = sqlite3_step(s);
	*many = rc == SQLITE_ROW && sqlite3_column_int(s, 0) > STORE_COUNT_CAP;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "project count");
}

int store_project_list(struct store *st, const struct project_scope *sc, const struct project_filter *f,
		       const struct page *pg, json_t **items, int64_t *total, int *capped, struct err *e)
{
	struct buf phrase = {0}, hits = {0};
	struct store_list count = STORE_LIST("project count"), list = STORE_LIST("project list");
	int64_t nhits;
	int many, rc = department_many(st, sc, f, &many, e);
	if (!rc && f->q && store_search_indexed(f->q)) {
		store_search_terms(f->q, &phrase);
		rc = store_search_ids(st, "projects_fts", f->q, phrase.data, &hits, &nhits, e);
	}
	if (!rc && many) {
		*total = STORE_COUNT_CAP;
		*capped = 1;
	} else if (!rc) {
		project_filter(sc, f, hits.data, 0, &count);
		rc = store_list_count_capped(st, &count, "FROM projects p", STORE_COUNT_CAP, total, capped, e);
	}
	if (!rc) {
		project_filter(sc, f, hits.data, *capped, &list);
		rc = store_list_page(st, &list, "SELECT " PROJECT_COLS " FROM projects p", "ORDER BY p.id DESC", pg,
				     items, e);
	}
	store_list_free(&count);
	store_list_free(&list);
	buf_free(&phrase);
	buf_free(&hits);
	return rc;
}

int store_project_visible(struct store *st, int64_t id, const struct project_scope *sc)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT 1 FROM projects p WHERE p.id = ?4 AND " SCOPE, NULL);
	int yes;
	if (!s)
		return 0;
	bind_scope(s, sc);
	sqlite3_bind_int64(s, 4, id);
	yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

int store_project_link(struct store *st, int64_t id, const char *department, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO project_departments(project_id, department_code) "
				     "VALUES (?, ?) ON CONFLICT DO NOTHING", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, department);
	return store_step_done(st, s, e, "project department");
}

int store_project_links(struct store *st, int64_t id, int64_t *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM project_departments WHERE project_id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return store_count(st, s, n, e);
}

int store_project_applications(struct store *st, int64_t id, int64_t *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM case_instances WHERE project_id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return store_count(st, s, n, e);
}
