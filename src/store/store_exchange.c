/*
** store_exchange.c: SQL of the 前置库 exchange (see store_exchange.h).
**
** Source records name their columns after the `source` keys of the mapping
** files (data/exchange/NAME.json); GCDM is the project code while a project has
** no 工程代码 of its own.
**
** The readers past a high-water mark join with CROSS JOIN: it keeps the
** appended table as the outer loop (by id, LIMIT n). Left to itself the
** planner scanned departments first and read every 办件 per chunk.
*/
#include "store/store_exchange.h"
#include "store/store_int.h"
#include "store/store_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GCDM "CASE WHEN p.gcdm = '' THEN p.code ELSE p.gcdm END AS gcdm"

int store_xchg_tune(struct store *st, struct store_checkpointer **cp, struct err *e)
{
	*cp = NULL;
	/* 128 MiB of cache */
	if (store_exec(st, "PRAGMA cache_size = -131072", e))
		return e->code;
	/* WAL checkpoints in a thread of their own, every 16 MiB of WAL (a
	** database that cannot have one keeps SQLite's, every 64 MiB) */
	struct err e2 = {0};
	if (store_checkpointer_start(store_path(st), 0, 4096, cp, &e2) == 0 && store_checkpoint_defer(st, *cp, &e2)) {
		store_checkpointer_stop(*cp);
		*cp = NULL;
	}
	return *cp ? 0 : store_exec(st, "PRAGMA wal_autocheckpoint = 16384", e);
}

void store_xchg_untune(struct store *st, struct store_checkpointer *cp)
{
	struct err e = {0};
	store_exec(st, "PRAGMA wal_autocheckpoint = 1000", &e);     /* SQLite's own hook again */
	store_checkpointer_stop(cp);
}

/* Run a bound statement into a JSON array (the statement is reset). */
static int rows(struct store *st, sqlite3_stmt *s, json_t **out, struct err *e)
{
	return store_rows_json(st, s, out, e);
}

/* The only row of a bound statement, or ERR_NOTFOUND naming what. */
static int one(struct store *st, sqlite3_stmt *s, const char *what, json_t **out, struct err *e)
{
	json_t *all;
	if (rows(st, s, &all, e))
		return e->code;
	if (json_array_size(all) == 0) {
		json_decref(all);
		return err_set(e, ERR_NOTFOUND, what, "%s not found", what);
	}
	*out = json_incref(json_array_get(all, 0));
	json_decref(all);
	return 0;
}

#define STAGE_ITEM_COLS \
	"f.code AS flow_code, f.version AS flow_version, " \
	"CASE WHEN si.side_line <> '' THEN 5 ELSE s.number END AS stage_number, i.code AS item_code, " \
	"i.version AS item_version, i.name AS item_name, " \
	"CASE WHEN i.national_code = '' THEN '9990' ELSE i.national_code END AS national_code, " \
	"i.commitment, i.case_type, i.applicant_kind, '2,3' AS delivery, i.promised_limit AS time_limit, " \
	"i.department_code, d.name AS department_name, NULL AS prior_items, i.milestone, " \
	"i.id AS item_version_id, s.number AS stage_real "

int store_xchg_flow(struct store *st, int64_t flow_id, json_t **flow, json_t **stages, json_t **items,
		    struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT code AS flow_code, version AS flow_version, name AS flow_name, flow_type, effective_from, "
		"NULL AS description, NULL AS none FROM catalog_flows WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, flow_id);
	if (one(st, s, "flow", flow, e))
		return e->code;
	s = store_stmt(st,
		"SELECT f.code AS flow_code, f.version AS flow_version, f.code || '-' || s.number AS stage_code, "
		"s.name AS stage_name, s.number AS stage_number, CAST(s.number AS TEXT) AS std_stage, s.time_limit, "
		"s.completion_rule, s.lead_department FROM catalog_stages s JOIN catalog_flows f ON f.id = s.flow_id "
		"WHERE s.flow_id = ? ORDER BY s.number", e);
	if (!s)
		goto fail;
	sqlite3_bind_int64(s, 1, flow_id);
	if (rows(st, s, stages, e))
		goto fail;
	s = store_stmt(st,
		"SELECT " STAGE_ITEM_COLS "FROM catalog_stages s JOIN catalog_flows f ON f.id = s.flow_id "
		"JOIN catalog_stage_items si ON si.stage_id = s.id "
		"JOIN catalog_items i ON i.id = COALESCE((SELECT x.id FROM catalog_items x WHERE x.code = si.item_code "
		"  AND x.effective_from <= f.effective_from ORDER BY x.effective_from DESC LIMIT 1), "
		"  (SELECT x.id FROM catalog_items x WHERE x.code = si.item_code ORDER BY x.effective_from LIMIT 1)) "
		"JOIN departments d ON d.code = i.department_code WHERE s.flow_id = ? ORDER BY s.number, si.position", e);
	if (!s || (sqlite3_bind_int64(s, 1, flow_id), rows(st, s, items, e))) {
		json_decref(*stages);
		goto fail;
	}
	return 0;
fail:
	json_decref(*flow);
	return e->code;
}

int store_xchg_stage_item(struct store *st, int64_t flow_id, int64_t item_version_id, json_t **item,
			  struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT " STAGE_ITEM_COLS "FROM catalog_items i JOIN catalog_stages s ON s.flow_id = ?1 "
		"JOIN catalog_stage_items si ON si.stage_id = s.id AND si.item_code = i.code "
		"JOIN catalog_flows f ON f.id = s.flow_id JOIN departments d ON d.code = i.department_code "
		"WHERE i.id = ?2 ORDER BY s.number LIMIT 1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, flow_id);
	sqlite3_bind_int64(s, 2, item_version_id);
	return one(st, s, "stage item", item, e);
}

int store_xchg_project(struct store *st, int64_t id, json_t **project, json_t **units, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT p.id, p.code AS project_code, p.name AS project_name, " GCDM ", p.flow_type, "
		"p.planned_start, p.planned_finish, CASE WHEN g.finished_at IS NULL THEN 0 ELSE 1 END AS finished, "
		"g.finished_at, p.investment_wan, p.division_code, p.address, NULL AS scale, NULL AS none, "
		"p.land_area_m2 AS land_area, p.floor_area_m2 AS floor_area, g.started_at AS applied_at, "
		"f.code AS flow_code, f.version AS flow_version, g.flow_id, p.deleted_at, "
		"NULLIF(p.created_department, '') AS department "
		"FROM projects p LEFT JOIN case_progress g ON g.project_id = p.id "
		"LEFT JOIN catalog_flows f ON f.id = g.flow_id WHERE p.id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	if (one(st, s, "project", project, e))
		return e->code;
	s = store_stmt(st,
		"SELECT p.code AS project_code, " GCDM ", u.credit_code, u.name AS unit_name, u.kind "
		"FROM project_units u JOIN projects p ON p.id = u.project_id WHERE u.project_id = ? ORDER BY u.position",
		e);
	if (!s || (sqlite3_bind_int64(s, 1, id), rows(st, s, units, e))) {
		json_decref(*project);
		return e->code;
	}
	return 0;
}

static const char *const SQL_CASES =
	"SELECT c.id, c.project_id, n.flow_id, c.item_version_id, p.code AS project_code, " GCDM ", "
	"c.item_code, i.version AS item_version, f.code AS flow_code, f.version AS flow_version, "
	"c.number AS case_number, c.department_code, d.name AS department_name, 1 AS accept_mode, "
	"1 AS publish_mode, CASE WHEN n.ncases > 1 THEN n.number END AS instance_number, c.time_limit, "
	"NULL AS none FROM cases c CROSS JOIN case_instances n ON n.id = c.instance_id "
	"CROSS JOIN projects p ON p.id = c.project_id CROSS JOIN catalog_items i ON i.id = c.item_version_id "
	"CROSS JOIN catalog_flows f ON f.id = n.flow_id CROSS JOIN departments d ON d.code = c.department_code "
	"WHERE c.id > ? ORDER BY c.id LIMIT ?";

int store_xchg_cases_after(struct store *st, int64_t after, int limit, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CASES, e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	return rows(st, s, out, e);
}

static const char *const SQL_STATUS =
	"SELECT s.id, s.case_id, " GCDM ", c.number AS case_number, c.department_code, "
	"COALESCE(d.name, cd.name) AS department_name, "
	"CASE WHEN s.username = '' THEN '系统' ELSE s.username END AS handler, s.status, "
	"NULLIF(s.opinion, '') AS opinion, s.at, NULL AS none, "
	"(SELECT q.status FROM case_status q WHERE q.case_id = s.case_id AND q.id < s.id "
	" ORDER BY q.id DESC LIMIT 1) AS prev_status "
	"FROM case_status s CROSS JOIN cases c ON c.id = s.case_id CROSS JOIN projects p ON p.id = c.project_id "
	"CROSS JOIN departments cd ON cd.code = c.department_code "
	"LEFT JOIN departments d ON d.code = s.department_code WHERE s.id > ? ORDER BY s.id LIMIT ?";

int store_xchg_status_after(struct store *st, int64_t after, int limit, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, SQL_STATUS, e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	return rows(st, s, out, e);
}

static const char *const SQL_DOCUMENTS =
	"SELECT o.id, o.case_id, o.kind, " GCDM ", c.number AS case_number, c.department_code, o.number AS doc_number, "
	"o.issued_at, CASE WHEN n.ncases > 1 THEN n.number END AS instance_number, i.name AS item_name, "
	"'9999-01-01' AS term, NULL AS none FROM case_documents o CROSS JOIN cases c ON c.id = o.case_id "
	"CROSS JOIN case_instances n ON n.id = c.instance_id CROSS JOIN projects p ON p.id = c.project_id "
	"CROSS JOIN catalog_items i ON i.id = c.item_version_id WHERE o.id > ? ORDER BY o.id LIMIT ?";

int store_xchg_documents_after(struct store *st, int64_t after, int limit, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, SQL_DOCUMENTS, e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	return rows(st, s, out, e);
}

static const char *const SQL_FILES =
	"SELECT f.id, f.case_id, " GCDM ", c.number AS case_number, c.department_code, f.name AS title, "
	"f.kind AS doc_class, f.ext, CAST(f.id AS TEXT) AS doc_number, "
	"CASE WHEN n.ncases > 1 THEN n.number END AS instance_number, NULL AS none "
	"FROM case_files f CROSS JOIN cases c ON c.id = f.case_id CROSS JOIN case_instances n ON n.id = c.instance_id "
	"CROSS JOIN projects p ON p.id = c.project_id WHERE f.id > ? ORDER BY f.id LIMIT ?";

int store_xchg_files_after(struct store *st, int64_t after, int limit, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, SQL_FILES, e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	return rows(st, s, out, e);
}

int store_xchg_scan(struct store *st, const char *kind, int64_t after, int limit, store_xchg_row_fn fn, void *arg,
		    int64_t *last, int *nrows, struct err *e)
{
	const char *sql = strcmp(kind, "case") == 0 ? SQL_CASES : strcmp(kind, "status") == 0 ? SQL_STATUS
		: strcmp(kind, "document") == 0 ? SQL_DOCUMENTS : strcmp(kind, "file") == 0 ? SQL_FILES : NULL;
	if (!sql)
		return err_set(e, ERR_INVALID, "kind", "no appended rows of kind %s", kind);
	sqlite3_stmt *s = store_stmt(st, sql, e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	int n = sqlite3_column_count(s), rc, frc = 0;
	const char *names[64];
	struct xchg_val v[64];
	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++)
		names[i] = sqlite3_column_name(s, i);
	*nrows = 0;
	while (!frc && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			v[i] = (struct xchg_val){.type = XCHG_NULL};
			switch (sqlite3_column_type(s, i)) {
			case SQLITE_INTEGER:
				v[i] = (struct xchg_val){.type = XCHG_INT, .i = sqlite3_column_int64(s, i)};
				break;
			case SQLITE_FLOAT:
				v[i] = (struct xchg_val){.type = XCHG_REAL, .d = sqlite3_column_double(s, i)};
				break;
			case SQLITE_TEXT:
			case SQLITE_BLOB:
				v[i] = (struct xchg_val){.type = XCHG_TEXT, .s = store_col_text(s, i)};
				break;
			}
		}
		*last = sqlite3_column_int64(s, 0);
		(*nrows)++;
		frc = fn(arg, n, names, v);
	}
	sqlite3_reset(s);
	if (frc)
		return frc;
	return rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, kind);
}

int store_xchg_case_items_after(struct store *st, int64_t after, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT DISTINCT n.flow_id, c.item_version_id FROM cases c "
				     "CROSS JOIN case_instances n ON n.id = c.instance_id WHERE c.id > ? ORDER BY 1, 2", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, after);
	return rows(st, s, out, e);
}

int store_xchg_project_flows(struct store *st, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT DISTINCT g.flow_id FROM exchange_dirty d "
				     "JOIN case_progress g ON g.project_id = d.ref "
				     "WHERE d.kind = 'project' AND g.flow_id IS NOT NULL ORDER BY 1", e);
	return s ? rows(st, s, out, e) : e->code;
}

int store_xchg_special(struct store *st, int64_t id, json_t **row, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT x.id, x.case_id, " GCDM ", c.number AS case_number, c.department_code, x.type AS special_type, "
		"x.kind, x.start_at, 1 AS limit_kind, x.time_limit, NULL AS none "
		"FROM case_specials x JOIN cases c ON c.id = x.case_id JOIN projects p ON p.id = c.project_id "
		"WHERE x.id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return one(st, s, "special", row, e);
}

int store_xchg_object(struct store *st, const char *kind, int64_t id, char *out, size_t cap, struct err *e)
{
	int is_case = strcmp(kind, "case") == 0;
	sqlite3_stmt *s = store_stmt(st, is_case ? "SELECT number FROM cases WHERE id = ?"
					      : "SELECT code FROM projects WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(out, cap, "%s", store_col_text(s, 0));
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, kind, "%s %lld 不存在", is_case ? "办件" : "项目", (long long)id);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, kind);
}

/* ---- change queue ------------------------------------------------------------------ */

int store_xchg_dirty(struct store *st, const char *kind, int limit, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT kind, ref FROM exchange_dirty WHERE kind = ? ORDER BY ref LIMIT ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, kind);
	sqlite3_bind_int(s, 2, limit);
	return rows(st, s, out, e);
}

int store_xchg_dirty_done(struct store *st, const char *kind, int64_t ref, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM exchange_dirty WHERE kind = ? AND ref = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, kind);
	sqlite3_bind_int64(s, 2, ref);
	return store_step_done(st, s, e, "exchange queue");
}

static int scalar(struct store *st, sqlite3_stmt *s, int64_t *v, struct err *e)
{
	int rc = sqlite3_step(s);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "exchange");
}

int store_xchg_dirty_add(struct store *st, const char *kind, int64_t ref, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT OR IGNORE INTO exchange_dirty(kind, ref) VALUES (?1, ?2)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, kind);
	sqlite3_bind_int64(s, 2, ref);
	return store_step_done(st, s, e, "exchange_dirty");
}

int store_xchg_dirty_count(struct store *st, int64_t *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT COUNT(*) FROM exchange_dirty", e);
	return s ? scalar(st, s, n, e) : e->code;
}

int store_xchg_mark(struct store *st, const char *kind, int64_t *last, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT last_id FROM exchange_marks WHERE kind = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, kind);
	return scalar(st, s, last, e);
}

int store_xchg_mark_set(struct store *st, const char *kind, int64_t last, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO exchange_marks(kind, last_id) VALUES (?1, ?2) "
				     "ON CONFLICT(kind) DO UPDATE SET last_id = excluded.last_id", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, kind);
	sqlite3_bind_int64(s, 2, last);
	return store_step_done(st, s, e, "exchange mark");
}

/* ---- table names as ids (0032) ------------------------------------------------------------ */

/* The id of SPGL table name in exchange_tables; with create, a name new to
** it is added in the caller's transaction. 0 for NULL and, without create,
** for a name never seen (it matches no row). */
static int tbl_id(struct store *st, const char *name, int create, int64_t *id, struct err *e)
{
	struct store_names *c = store_names(st);
	*id = 0;
	if (!name)
		return 0;
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->name[i], name) == 0) {
			*id = c->id[i];
			return 0;
		}
	sqlite3_stmt *s;
	if (create) {
		s = store_stmt(st, "INSERT INTO exchange_tables(name) VALUES (?) ON CONFLICT(name) DO NOTHING", e);
		if (!s)
			return e->code;
		store_bind_text(s, 1, name);
		if (store_step_done(st, s, e, "exchange table"))
			return e->code;
	}
	s = store_stmt(st, "SELECT id FROM exchange_tables WHERE name = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, name);
	if (scalar(st, s, id, e))
		return e->code;
	if (*id && c->n < STORE_NAMES_MAX && strlen(name) < sizeof c->name[0]) {
		snprintf(c->name[c->n], sizeof c->name[0], "%s", name);
		c->id[c->n++] = *id;
	}
	return 0;
}

/* The ids of a row's table and its parents' tables. */
struct row_tbls {
	int64_t t, p, p2;
};

static int row_tbls(struct store *st, const struct xchg_row *r, struct row_tbls *ids, struct err *e)
{
	if (tbl_id(st, r->tbl, 1, &ids->t, e) || tbl_id(st, r->ptbl, 1, &ids->p, e) ||
	    tbl_id(st, r->ptbl2, 1, &ids->p2, e))
		return e->code;
	return 0;
}

/* A row's table and parents' tables by name, for the SELECTs of r. */
#define ROW_NAMES "(SELECT name FROM exchange_tables WHERE id = r.tbl) AS tbl, r.dfsjzj, r.object, " \
	"r.department, (SELECT name FROM exchange_tables WHERE id = r.ptbl) AS ptbl, r.pkey, " \
	"(SELECT name FROM exchange_tables WHERE id = r.ptbl2) AS ptbl2, r.pkey2"

/* ---- reported rows --------------------------------------------------------------------- */

/* Bind ?1..?10 of an insert: tbl dfsjzj object department ptbl pkey ptbl2
** pkey2 content hash. */
static void bind_row(sqlite3_stmt *s, const struct xchg_row *r, const struct row_tbls *ids)
{
	const char *v[] = {NULL, r->dfsjzj, r->object, r->department, NULL, r->pkey, NULL, r->pkey2, r->content, r->hash};
	for (int i = 0; i < 10; i++)
		sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_STATIC);
	store_bind_id(s, 1, ids->t);
	store_bind_id(s, 5, ids->p);
	store_bind_id(s, 7, ids->p2);
}

/* A row that came from the front DB is there already: its first content is sent and accepted. */
static int adopt(struct store *st, const struct xchg_row *r, const struct row_tbls *ids, int64_t now,
		 struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO exchange_rows(tbl, dfsjzj, object, department, ptbl, pkey, ptbl2, pkey2, content, hash, "
		"due_since, sent_hash, sent_lsh, sent_at, sjsczt, verdict_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		"?10, NULL, ?10, 'import', ?11, 3, ?11) ON CONFLICT(tbl, dfsjzj) DO NOTHING", e);
	if (!s)
		return e->code;
	bind_row(s, r, ids);
	sqlite3_bind_int64(s, 11, now);
	return store_step_done(st, s, e, "exchange row");
}

int store_xchg_imported_any(struct store *st, int *yes, struct err *e)
{
	int64_t n;
	sqlite3_stmt *s = store_stmt(st, "SELECT EXISTS (SELECT 1 FROM import_sources WHERE kind IN ('project', 'case'))",
				     e);
	if (!s || scalar(st, s, &n, e))
		return e->code;
	*yes = n > 0;
	return 0;
}

int store_xchg_imported(struct store *st, const char *kind, int64_t ref, int *yes, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT EXISTS (SELECT 1 FROM import_sources WHERE kind = ?1 AND ref = ?2)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, kind);
	sqlite3_bind_int64(s, 2, ref);
	int rc = sqlite3_step(s);
	*yes = rc == SQLITE_ROW && sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "import_sources");
}

int store_xchg_put(struct store *st, const struct xchg_row *r, int64_t now, struct err *e)
{
	struct row_tbls ids;
	if (row_tbls(st, r, &ids, e) || (r->adopted && !r->withdrawn && adopt(st, r, &ids, now, e)))
		return e->code;
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO exchange_rows(tbl, dfsjzj, object, department, ptbl, pkey, ptbl2, pkey2, content, hash, "
		"withdrawn, due_since) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
		"CASE WHEN ?11 IS NULL THEN ?12 END) "
		"ON CONFLICT(tbl, dfsjzj) DO UPDATE SET object = excluded.object, department = excluded.department, "
		"ptbl = excluded.ptbl, pkey = excluded.pkey, ptbl2 = excluded.ptbl2, pkey2 = excluded.pkey2, "
		"content = excluded.content, hash = excluded.hash, withdrawn = excluded.withdrawn, "
		"due_since = CASE WHEN excluded.hash = exchange_rows.sent_hash THEN NULL "
		"  WHEN excluded.withdrawn IS NOT NULL AND exchange_rows.sent_hash IS NULL THEN NULL "
		"  ELSE COALESCE(exchange_rows.due_since, ?12) END "
		"WHERE exchange_rows.hash <> excluded.hash "
		"AND (exchange_rows.withdrawn IS NULL OR excluded.withdrawn IS NOT NULL)", e);
	if (!s)
		return e->code;
	bind_row(s, r, &ids);
	store_bind_text(s, 11, r->withdrawn);
	sqlite3_bind_int64(s, 12, now);
	if (store_step_done(st, s, e, "exchange row"))
		return e->code;
	if (sqlite3_changes(store_db(st)) > 0)
		return 0;
	/* unchanged (or withdrawn): a row sent at once gets its content back */
	s = store_stmt(st, "UPDATE exchange_rows SET content = ?3 WHERE tbl = ?1 AND dfsjzj = ?2 "
		       "AND content = '" XCHG_CONTENT_SOURCE "'", e);
	if (!s)
		return e->code;
	store_bind_id(s, 1, ids.t);
	store_bind_text(s, 2, r->dfsjzj);
	store_bind_text(s, 3, r->content);
	return store_step_done(st, s, e, "exchange row");
}

/* The tables (a skip-scan of UNIQUE (tbl, dfsjzj): one seek per table) joined
** with the key, or the key's range when it ends in ':'. */
int store_xchg_rows_keyed(struct store *st, const char *tbl, const char *const *keys, int n, json_t *out,
			  struct err *e)
{
	int64_t tid = 0;
	if (tbl && tbl_id(st, tbl, 0, &tid, e))
		return e->code;
	sqlite3_stmt *s = tbl ? store_stmt(st,
		"SELECT r.id, " ROW_NAMES ", r.content, r.withdrawn "
		"FROM exchange_rows r WHERE r.tbl = ?3 AND r.dfsjzj >= ?1 AND r.dfsjzj <= ?2 ORDER BY r.id", e)
		: store_stmt(st,
		"WITH RECURSIVE t(x) AS (SELECT MIN(tbl) FROM exchange_rows UNION ALL "
		"  SELECT (SELECT MIN(tbl) FROM exchange_rows WHERE tbl > t.x) FROM t WHERE t.x IS NOT NULL) "
		"SELECT r.id, " ROW_NAMES ", r.content, r.withdrawn "
		"FROM t JOIN exchange_rows r ON r.tbl = t.x AND r.dfsjzj >= ?1 AND r.dfsjzj <= ?2 ORDER BY r.id", e);
	if (!s)
		return e->code;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(keys[i]);
		char hi[200];
		json_t *got;
		if (len == 0 || len + 2 > sizeof hi)
			continue;
		memcpy(hi, keys[i], len + 1);
		if (hi[len - 1] == ':')          /* a prefix: every key it starts (keys are ASCII) */
			memcpy(hi + len, "\xff", 2);
		store_bind_text(s, 1, keys[i]);
		sqlite3_bind_text(s, 2, hi, -1, SQLITE_TRANSIENT);
		if (tbl)
			sqlite3_bind_int64(s, 3, tid);
		if (rows(st, s, &got, e))
			return e->code;
		json_array_extend(out, got);
		json_decref(got);
	}
	return 0;
}

int store_xchg_case_parts(struct store *st, int64_t case_id, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT 'status' AS kind, id FROM case_status WHERE case_id = ?1 "
		"UNION ALL SELECT 'special', id FROM case_specials WHERE case_id = ?1 "
		"UNION ALL SELECT 'document', id FROM case_documents WHERE case_id = ?1 "
		"UNION ALL SELECT 'file', id FROM case_files WHERE case_id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, case_id);
	return rows(st, s, out, e);
}

int store_xchg_row(struct store *st, int64_t id, json_t **row, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT r.id, " ROW_NAMES ", r.content, r.withdrawn FROM exchange_rows r WHERE r.id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return one(st, s, "exchange row", row, e);
}

int store_xchg_withdraw_mark(struct store *st, int64_t id, const char *reason, int *marked, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE exchange_rows SET withdrawn = ? WHERE id = ? AND withdrawn IS NULL", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, reason);
	sqlite3_bind_int64(s, 2, id);
	if (store_step_done(st, s, e, "exchange withdrawal"))
		return e->code;
	*marked = sqlite3_changes(store_db(st)) > 0;
	if (!*marked)
		return 0;
	s = store_stmt(st, "INSERT OR IGNORE INTO exchange_dirty(kind, ref) VALUES ('withdraw', ?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(st, s, e, "exchange withdrawal");
}

#define READY(p, k) "(r." k " IS NULL OR (" p ".id IS NOT NULL AND " p ".due_since IS NULL " \
	"AND (" p ".sjsczt = 3 OR (?3 = 0 AND " p ".sjsczt IN (0, 1)))))"

int store_xchg_due(struct store *st, const char *tbl, int wait_accepted, int64_t after, int limit,
		   json_t **out, struct err *e)
{
	int64_t tid;
	if (tbl_id(st, tbl, 0, &tid, e))
		return e->code;
	sqlite3_stmt *s = store_stmt(st,
		"SELECT r.id, r.dfsjzj, r.content, r.hash, r.sent_lsh AS lsh FROM exchange_rows r "
		"LEFT JOIN exchange_rows p ON p.tbl = r.ptbl AND p.dfsjzj = r.pkey "
		"LEFT JOIN exchange_rows q ON q.tbl = r.ptbl2 AND q.dfsjzj = r.pkey2 "
		"WHERE r.tbl = ?1 AND r.due_since IS NOT NULL AND r.id > ?2 AND r.content <> '" XCHG_CONTENT_SOURCE "' "
		"AND " READY("p", "pkey") " AND " READY("q", "pkey2") " ORDER BY r.id LIMIT ?4", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, tid);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, wait_accepted);
	sqlite3_bind_int(s, 4, limit);
	return rows(st, s, out, e);
}

int store_xchg_intent(struct store *st, const char *tbl, const int64_t *ids, int n, int64_t now, int64_t *batch,
		      struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO exchange_batches(tbl, ids, started_at) VALUES (?, ?, ?)", e);
	if (!s)
		return e->code;
	size_t cap = (size_t)n * 21 + 3, len = 1;
	char *text = malloc(cap);
	if (!text)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	text[0] = '[';
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s%lld", i ? "," : "", (long long)ids[i]);
	snprintf(text + len, cap - len, "]");
	store_bind_text(s, 1, tbl);
	sqlite3_bind_text(s, 2, text, -1, free);
	sqlite3_bind_int64(s, 3, now);
	if (store_step_done(st, s, e, "exchange intent"))
		return e->code;
	*batch = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_xchg_batch_done(struct store *st, int64_t batch, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM exchange_batches WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, batch);
	return store_step_done(st, s, e, "exchange batch");
}

int store_xchg_sent(struct store *st, int64_t row_id, const char *hash, const char *lsh, int64_t batch,
		    int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT OR IGNORE INTO exchange_sent(lsh, row_id, batch, sent_at) SELECT sent_lsh, id, ?2, sent_at "
		"FROM exchange_rows WHERE id = ?1 AND sent_lsh NOT IN ('', 'import', '" XCHG_LSH_BYKEY "') "
		"AND sent_lsh IS NOT ?3", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, row_id);
	sqlite3_bind_int64(s, 2, batch);
	store_bind_text(s, 3, lsh);
	if (store_step_done(st, s, e, "exchange sent"))
		return e->code;
	s = store_stmt(st,
		"UPDATE exchange_rows SET due_since = CASE WHEN hash = ?2 THEN NULL ELSE due_since END, "
		"sent_hash = ?2, sent_lsh = ?3, sent_at = ?4, sjsczt = 0, sbyy = NULL, verdict_at = NULL WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, row_id);
	store_bind_text(s, 2, hash);
	store_bind_text(s, 3, lsh);
	sqlite3_bind_int64(s, 4, now);
	return store_step_done(st, s, e, "exchange sent");
}

int store_xchg_put_sent(struct store *st, const struct xchg_row *r, const char *lsh, int64_t now, struct err *e)
{
	struct row_tbls ids;
	if (row_tbls(st, r, &ids, e))
		return e->code;
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO exchange_rows(tbl, dfsjzj, object, department, ptbl, pkey, ptbl2, pkey2, content, hash, "
		"due_since, sent_hash, sent_lsh, sent_at, sjsczt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, ?10, "
		"?11, ?12, 0) ON CONFLICT(tbl, dfsjzj) DO UPDATE SET content = excluded.content, hash = excluded.hash, "
		"due_since = NULL, sent_hash = excluded.hash, sent_lsh = excluded.sent_lsh, sent_at = excluded.sent_at, "
		"sjsczt = 0, sbyy = NULL, verdict_at = NULL", e);
	if (!s)
		return e->code;
	bind_row(s, r, &ids);
	store_bind_text(s, 11, lsh);
	sqlite3_bind_int64(s, 12, now);
	return store_step_done(st, s, e, "exchange row");
}

int store_xchg_put_keyed(struct store *st, const struct xchg_row *r, int64_t now, int64_t *id, struct err *e)
{
	struct row_tbls ids;
	if (row_tbls(st, r, &ids, e))
		return e->code;
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO exchange_rows(tbl, dfsjzj, object, department, ptbl, pkey, ptbl2, pkey2, content, hash, "
		"due_since, sent_hash, sent_lsh, sent_at, sjsczt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, ?10, "
		"'" XCHG_LSH_BYKEY "', ?11, 0) ON CONFLICT(tbl, dfsjzj) DO NOTHING", e);
	if (!s)
		return e->code;
	bind_row(s, r, &ids);
	sqlite3_bind_int64(s, 11, now);
	if (store_step_done(st, s, e, "exchange row"))
		return e->code;
	*id = sqlite3_changes(store_db(st)) > 0 ? sqlite3_last_insert_rowid(store_db(st)) : 0;
	return 0;
}

int store_xchg_intent_keyed(struct store *st, const char *tbl, int64_t lo, int64_t hi, int64_t now,
			    int64_t *batch, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO exchange_batches(tbl, ids, lo, hi, started_at) "
				     "VALUES (?, '[]', ?, ?, ?)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, tbl);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, hi);
	sqlite3_bind_int64(s, 4, now);
	if (store_step_done(st, s, e, "exchange intent"))
		return e->code;
	*batch = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_xchg_keyed_rows(struct store *st, const char *tbl, int64_t lo, int64_t hi, json_t **out, struct err *e)
{
	int64_t tid;
	if (tbl_id(st, tbl, 0, &tid, e))
		return e->code;
	sqlite3_stmt *s = store_stmt(st, "SELECT id, dfsjzj FROM exchange_rows WHERE id BETWEEN ?2 AND ?3 AND tbl = ?1 "
				     "AND sent_lsh = '" XCHG_LSH_BYKEY "' ORDER BY id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, tid);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, hi);
	return rows(st, s, out, e);
}

int store_xchg_unsend(struct store *st, const char *tbl, int64_t lo, int64_t hi, int64_t now, struct err *e)
{
	int64_t tid;
	if (tbl_id(st, tbl, 0, &tid, e))
		return e->code;
	sqlite3_stmt *s = store_stmt(st,
		"UPDATE exchange_rows SET due_since = ?4, sent_hash = NULL, sent_lsh = NULL, sent_at = NULL, sjsczt = NULL "
		"WHERE id BETWEEN ?2 AND ?3 AND tbl = ?1 AND sent_lsh = '" XCHG_LSH_BYKEY "'", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, tid);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, hi);
	sqlite3_bind_int64(s, 4, now);
	return store_step_done(st, s, e, "exchange batch");
}

int store_xchg_lsh_learned(struct store *st, int64_t row_id, const char *lsh, int sjsczt, const char *sbyy,
			   int64_t now, int *changed, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"UPDATE exchange_rows SET sent_lsh = ?2, "
		"verdict_at = CASE WHEN ?3 >= 0 AND (sjsczt IS NOT ?3 OR sbyy IS NOT ?4) THEN ?5 ELSE verdict_at END, "
		"sjsczt = CASE WHEN ?3 >= 0 THEN ?3 ELSE sjsczt END, sbyy = CASE WHEN ?3 >= 0 THEN ?4 ELSE sbyy END "
		"WHERE id = ?1 AND sent_lsh = '" XCHG_LSH_BYKEY "' RETURNING verdict_at IS ?5", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, row_id);
	store_bind_text(s, 2, lsh);
	sqlite3_bind_int(s, 3, sjsczt);
	store_bind_text(s, 4, sbyy);
	sqlite3_bind_int64(s, 5, now);
	int rc = sqlite3_step(s);
	*changed = rc == SQLITE_ROW && sqlite3_column_int(s, 0);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "exchange verdict");
}

int store_xchg_ready(struct store *st, const char *tbl, const char *dfsjzj, int wait_accepted, int *ready,
		     struct err *e)
{
	int64_t n, tid;
	if (tbl_id(st, tbl, 0, &tid, e))
		return e->code;
	sqlite3_stmt *s = store_stmt(st,
		"SELECT EXISTS (SELECT 1 FROM exchange_rows WHERE tbl = ?1 AND dfsjzj = ?2 AND due_since IS NULL "
		"AND (sjsczt = 3 OR (?3 = 0 AND sjsczt IN (0, 1))))", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, tid);
	store_bind_text(s, 2, dfsjzj);
	sqlite3_bind_int(s, 3, wait_accepted);
	if (scalar(st, s, &n, e))
		return e->code;
	*ready = n > 0;
	return 0;
}

int store_xchg_refused(struct store *st, int64_t row_id, const char *hash, const char *reason, int64_t now,
		       struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"UPDATE exchange_rows SET due_since = NULL, sent_hash = ?2, sent_lsh = '', sent_at = ?4, "
		"sjsczt = 2, sbyy = ?3, verdict_at = ?4 WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, row_id);
	store_bind_text(s, 2, hash);
	store_bind_text(s, 3, reason);
	sqlite3_bind_int64(s, 4, now);
	return store_step_done(st, s, e, "exchange refusal");
}

int store_xchg_batches(struct store *st, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id AS batch, tbl, rows, lo, hi FROM exchange_batches ORDER BY id", e);
	return s ? rows(st, s, out, e) : e->code;
}

int store_xchg_batch_rows(struct store *st, int64_t batch, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT r.id, r.dfsjzj, r.hash FROM exchange_batches b, json_each(b.ids) j "
				     "JOIN exchange_rows r ON r.id = j.value WHERE b.id = ? ORDER BY r.id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, batch);
	return rows(st, s, out, e);
}

int store_xchg_lsh_known(struct store *st, int64_t row_id, const char *lsh, int *known, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT EXISTS (SELECT 1 FROM exchange_rows WHERE id = ?1 AND sent_lsh = ?2) "
				     "OR EXISTS (SELECT 1 FROM exchange_sent WHERE row_id = ?1 AND lsh = ?2)", e);
	int64_t n;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, row_id);
	store_bind_text(s, 2, lsh);
	if (scalar(st, s, &n, e))
		return e->code;
	*known = n > 0;
	return 0;
}

/* One group of exchange_rows_state at a time: its rows are in id order. */
int store_xchg_open(struct store *st, const char *tbl, int sjsczt, int due, int64_t after, int limit, json_t **out,
		    struct err *e)
{
	int64_t tid;
	if (tbl_id(st, tbl, 0, &tid, e))
		return e->code;
	sqlite3_stmt *s = store_stmt(st,
		"SELECT id, sent_lsh AS lsh, dfsjzj FROM exchange_rows WHERE tbl = ?1 AND sjsczt = ?2 "
		"AND (due_since IS NULL) = ?3 AND id > ?4 AND sent_lsh <> '' ORDER BY id LIMIT ?5", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, tid);
	sqlite3_bind_int(s, 2, sjsczt);
	sqlite3_bind_int(s, 3, !due);
	sqlite3_bind_int64(s, 4, after);
	sqlite3_bind_int(s, 5, limit);
	return rows(st, s, out, e);
}

int store_xchg_verdict(struct store *st, int64_t row_id, const char *lsh, int sjsczt, const char *sbyy,
		       int64_t now, int *changed, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"UPDATE exchange_rows SET sjsczt = ?3, sbyy = ?4, verdict_at = ?5 "
		"WHERE id = ?1 AND sent_lsh = ?2 AND (sjsczt IS NOT ?3 OR sbyy IS NOT ?4)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, row_id);
	store_bind_text(s, 2, lsh);
	sqlite3_bind_int(s, 3, sjsczt);
	store_bind_text(s, 4, sbyy);
	sqlite3_bind_int64(s, 5, now);
	if (store_step_done(st, s, e, "exchange verdict"))
		return e->code;
	*changed = sqlite3_changes(store_db(st)) > 0;
	return 0;
}

/* ---- status ------------------------------------------------------------------------------ */

int store_xchg_counts(struct store *st, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT (SELECT name FROM exchange_tables WHERE id = tbl) AS \"table\", SUM(due_since IS NOT NULL) AS pending, "
		"SUM(due_since IS NULL AND sjsczt IN (0, 1)) AS sent, SUM(due_since IS NULL AND sjsczt = 3) AS accepted, "
		"SUM(due_since IS NULL AND sjsczt = 2) AS rejected FROM exchange_rows GROUP BY tbl", e);
	return s ? rows(st, s, out, e) : e->code;
}

int store_xchg_rejected(struct store *st, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT (SELECT name FROM exchange_tables WHERE id = tbl) AS \"table\", dfsjzj, object, department, "
		"sbyy AS reason, verdict_at AS since "
		"FROM exchange_rows WHERE sjsczt = 2 AND due_since IS NULL ORDER BY verdict_at, id", e);
	return s ? rows(st, s, out, e) : e->code;
}

int store_xchg_idle(struct store *st, int *idle, struct err *e)
{
	int64_t n;
	sqlite3_stmt *s = store_stmt(st,
		"WITH RECURSIVE t(x) AS (SELECT MIN(tbl) FROM exchange_rows UNION ALL "   /* the tables: one seek each */
		"  SELECT (SELECT MIN(tbl) FROM exchange_rows WHERE tbl > t.x) FROM t WHERE t.x IS NOT NULL) "
		"SELECT EXISTS (SELECT 1 FROM exchange_batches) OR EXISTS (SELECT 1 FROM exchange_dirty) "
		"OR EXISTS (SELECT 1 FROM exchange_rows WHERE due_since IS NOT NULL) "
		"OR EXISTS (SELECT 1 FROM t WHERE EXISTS (SELECT 1 FROM exchange_rows r WHERE r.tbl = t.x "
		"  AND r.sjsczt IN (0, 1) AND r.sent_lsh <> '')) "
		"OR (SELECT COALESCE(MAX(id), 0) FROM cases) > "
		"  COALESCE((SELECT last_id FROM exchange_marks WHERE kind = 'case'), 0) "
		"OR (SELECT COALESCE(MAX(id), 0) FROM case_status) > "
		"  COALESCE((SELECT last_id FROM exchange_marks WHERE kind = 'status'), 0) "
		"OR (SELECT COALESCE(MAX(id), 0) FROM case_documents) > "
		"  COALESCE((SELECT last_id FROM exchange_marks WHERE kind = 'document'), 0) "
		"OR (SELECT COALESCE(MAX(id), 0) FROM case_files) > "
		"  COALESCE((SELECT last_id FROM exchange_marks WHERE kind = 'file'), 0)", e);
	if (!s || scalar(st, s, &n, e))
		return e->code;
	*idle = n == 0;
	return 0;
}

int store_xchg_backlog(struct store *st, int64_t *oldest, int64_t *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT COALESCE(MIN(due_since), 0), COUNT(*) FROM exchange_rows "
				     "WHERE due_since IS NOT NULL", e);
	if (!s)
		return e->code;
	int rc = sqlite3_step(s);
	*oldest = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "exchange backlog");
}

/* ---- runs ---------------------------------------------------------------------------------- */

int store_xchg_run_start(struct store *st, const char *kind, const char *trigger, int64_t now, int64_t *id,
			 struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO exchange_runs(kind, trigger, started_at, state) "
				     "VALUES (?, ?, ?, 'running')", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, kind);
	store_bind_text(s, 2, trigger);
	sqlite3_bind_int64(s, 3, now);
	if (store_step_done(st, s, e, "exchange run"))
		return e->code;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_xchg_run_finish(struct store *st, int64_t id, const char *state, int64_t n, const char *report,
			  const char *message, int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE exchange_runs SET state = ?2, rows = ?3, report = ?4, message = ?5, "
				     "finished_at = ?6 WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, state);
	sqlite3_bind_int64(s, 3, n);
	store_bind_text(s, 4, report);
	store_bind_text(s, 5, message ? message : "");
	sqlite3_bind_int64(s, 6, now);
	return store_step_done(st, s, e, "exchange run");
}

int store_xchg_run_last(struct store *st, const char *kind, int64_t *at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT started_at FROM exchange_runs WHERE kind = ? AND state = 'done' "
				     "ORDER BY id DESC LIMIT 1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, kind);
	return scalar(st, s, at, e);
}

int store_xchg_runs(struct store *st, const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("exchange runs");
	int rc = store_list_count(st, &l, "FROM exchange_runs", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT id, kind, trigger, started_at, finished_at, state, rows, report, message "
				     "FROM exchange_runs", "ORDER BY id DESC", pg, items, e);
	store_list_free(&l);
	return rc;
}
