/*
** store_business.c: the SQL of the 办理建筑许可 report (store_business.h).
*/
#include "store/store_business.h"

#include <sqlite3.h>

/* Calendar day (Asia/Shanghai, UTC+8 all year) of an epoch column. */
#define DAY_OF(col) "((" col " + 28800) / 86400)"

int store_business_projects(struct store *st, int64_t from, int64_t to, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT p.id, p.code, p.name, p.flow_type, p.division_code AS division, "
		"coalesce(d.name, '') AS division_name, g.started_at, g.finished_at "
		"FROM case_progress g JOIN projects p ON p.id = g.project_id "
		"LEFT JOIN districts d ON d.code = p.division_code "
		"WHERE g.finished_at IS NOT NULL AND g.finished_at >= ?1 AND g.finished_at < ?2 "
		"ORDER BY g.finished_at, p.id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	return store_rows_json(st, s, rows, e);
}

int store_business_cases(struct store *st, int64_t project_id, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT c.id, c.stage, c.side_line, c.item_code, i.name AS item_name, c.status, c.received_at, "
		"c.accepted_at, c.final_at, i.fee, i.fee_basis FROM cases c "
		"JOIN catalog_items i ON i.id = c.item_version_id WHERE c.project_id = ? ORDER BY c.id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, project_id);
	return store_rows_json(st, s, rows, e);
}

int store_business_stages(struct store *st, int64_t project_id, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT stage, time_limit, started_at, completed_at FROM case_stages "
				     "WHERE project_id = ? ORDER BY stage", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, project_id);
	return store_rows_json(st, s, rows, e);
}

int store_business_pauses(struct store *st, int64_t project_id, int stage, struct cal_pause *out, size_t max,
			  size_t *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT " DAY_OF("u.start_at") ", coalesce(" DAY_OF("u.end_at") ", 0) FROM case_supplements u "
		"JOIN cases c ON c.id = u.case_id WHERE c.project_id = ?1 AND c.stage = ?2 AND u.after_acceptance "
		"UNION ALL SELECT " DAY_OF("x.start_at") ", coalesce(" DAY_OF("x.end_at") ", 0) FROM case_specials x "
		"JOIN cases c ON c.id = x.case_id WHERE c.project_id = ?1 AND c.stage = ?2", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, project_id);
	sqlite3_bind_int(s, 2, stage);
	size_t k = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (k < max) {
			out[k].start = sqlite3_column_int(s, 0);
			out[k].end = sqlite3_column_int(s, 1);
		}
		k++;
	}
	sqlite3_reset(s);
	*n = k;
	return rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "business pauses");
}
