/*
** store_files.c: SQL of the material checklists, uploaded files and sealed
** documents (see store_files.h).
*/
#include "store/store_files.h"
#include "store/store_int.h"

#include "base/filestore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int store_case_material_put(struct store *st, int64_t id, const struct case_material_row *m, int64_t at,
			    const char *by, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT OR REPLACE INTO case_materials(case_id, position, name, required, "
				     "form, copies, tolerable, received, updated_at, updated_by) "
				     "VALUES (?,?,?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, m->position);
	store_bind_text(s, 3, m->name);
	sqlite3_bind_int(s, 4, m->required);
	store_bind_text(s, 5, m->form);
	sqlite3_bind_int(s, 6, m->copies);
	sqlite3_bind_int(s, 7, m->tolerable);
	sqlite3_bind_int(s, 8, m->received);
	sqlite3_bind_int64(s, 9, at);
	store_bind_text(s, 10, by);
	return store_step_done(st, s, e, "case material");
}

int store_case_materials(struct store *st, int64_t id, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT position, name, required, form, copies, tolerable, received, "
				     "updated_at, updated_by FROM case_materials WHERE case_id = ? ORDER BY position", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return store_rows_json(st, s, rows, e);
}

int store_case_file_add(struct store *st, struct case_file_rec *f, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_files(case_id, material, name, mime, ext, size, sha256, "
				     "kind, uploaded_at, uploaded_by) VALUES (?,?,?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, f->case_id);
	store_bind_text(s, 2, f->material);
	store_bind_text(s, 3, f->name);
	store_bind_text(s, 4, f->mime);
	store_bind_text(s, 5, f->ext);
	sqlite3_bind_int64(s, 6, f->size);
	store_bind_text(s, 7, f->sha256);
	sqlite3_bind_int(s, 8, f->kind);
	sqlite3_bind_int64(s, 9, f->uploaded_at);
	store_bind_text(s, 10, f->uploaded_by);
	if (store_step_done(st, s, e, "case file"))
		return e->code;
	f->id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_case_file_get(struct store *st, int64_t file_id, struct case_file_rec *f, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, case_id, material, name, mime, ext, size, sha256, kind, "
				     "uploaded_at, uploaded_by FROM case_files WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, file_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		f->id = sqlite3_column_int64(s, 0);
		f->case_id = sqlite3_column_int64(s, 1);
		snprintf(f->material, sizeof f->material, "%s", store_col_text(s, 2));
		snprintf(f->name, sizeof f->name, "%s", store_col_text(s, 3));
		snprintf(f->mime, sizeof f->mime, "%s", store_col_text(s, 4));
		snprintf(f->ext, sizeof f->ext, "%s", store_col_text(s, 5));
		f->size = sqlite3_column_int64(s, 6);
		snprintf(f->sha256, sizeof f->sha256, "%s", store_col_text(s, 7));
		f->kind = sqlite3_column_int(s, 8);
		f->uploaded_at = sqlite3_column_int64(s, 9);
		snprintf(f->uploaded_by, sizeof f->uploaded_by, "%s", store_col_text(s, 10));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "id", "文件不存在 (no such file)");
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "case file");
}

int store_case_files(struct store *st, int64_t id, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, material, name, mime, ext, size, sha256, kind, uploaded_at, "
				     "uploaded_by FROM case_files WHERE case_id = ? ORDER BY id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return store_rows_json(st, s, rows, e);
}

int store_files_all(struct store *st, json_t **rows, struct err *e)
{
	/* desk_files from migration 0025 on (a backup may be older); document
	** pages kept in the database (0030) are no files */
	int v = store_schema_version(st);
	sqlite3_stmt *s = v >= 30
		? store_stmt(st, "SELECT sha256, max(size) AS size FROM ("
			     "SELECT sha256, size FROM case_files UNION ALL "
			     "SELECT sha256, -1 FROM case_documents d WHERE sha256 IS NOT NULL AND NOT EXISTS "
			     "(SELECT 1 FROM case_document_pages p WHERE p.document_id = d.id) UNION ALL "
			     "SELECT sha256, size FROM desk_files) "
			     "GROUP BY sha256 ORDER BY sha256", e)
		: v >= 25
		? store_stmt(st, "SELECT sha256, max(size) AS size FROM ("
			     "SELECT sha256, size FROM case_files UNION ALL "
			     "SELECT sha256, -1 FROM case_documents WHERE sha256 IS NOT NULL UNION ALL "
			     "SELECT sha256, size FROM desk_files) "
			     "GROUP BY sha256 ORDER BY sha256", e)
		: store_stmt(st, "SELECT sha256, max(size) AS size FROM ("
			     "SELECT sha256, size FROM case_files UNION ALL "
			     "SELECT sha256, -1 FROM case_documents WHERE sha256 IS NOT NULL) "
			     "GROUP BY sha256 ORDER BY sha256", e);
	return s ? store_rows_json(st, s, rows, e) : e->code;
}

int store_case_doc_issue(struct store *st, const struct case_doc_issued *d, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_documents(case_id, kind, number, issued_at, issued_by, "
				     "verify_code, sha256) VALUES (?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, d->case_id);
	store_bind_text(s, 2, d->kind);
	store_bind_text(s, 3, d->number);
	sqlite3_bind_int64(s, 4, d->at);
	store_bind_text(s, 5, d->by);
	store_bind_text(s, 6, d->code);
	store_bind_text(s, 7, d->sha256);
	if (store_step_done(st, s, e, "document"))
		return e->code;
	int64_t id = sqlite3_last_insert_rowid(store_db(st));
	if (!(s = store_stmt(st, "INSERT INTO case_document_pages(document_id, page) VALUES (?,?)", e)))
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_blob(s, 2, d->page, (int)d->len, SQLITE_STATIC);
	return store_step_done(st, s, e, "document page");
}

/* The page of row s (column col) into out, NUL-terminated. */
static int page_copy(sqlite3_stmt *s, int col, struct buf *out, struct err *e)
{
	size_t n = (size_t)sqlite3_column_bytes(s, col);
	const void *p = sqlite3_column_blob(s, col);
	*out = (struct buf){0};
	if (!(out->data = malloc(n + 1)))
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (n)
		memcpy(out->data, p, n);
	out->data[n] = 0;
	out->len = n;
	out->cap = n + 1;
	return 0;
}

int store_case_doc_page(struct store *st, int64_t doc_id, struct buf *out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT page FROM case_document_pages WHERE document_id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, doc_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		rc = page_copy(s, 0, out, e) ? -1 : SQLITE_ROW;
	else if (rc == SQLITE_DONE)
		err_set(e, ERR_NOTFOUND, "id", "文书页面不在数据库中 (page not kept in the database)");
	else
		store_sqlerr(st, e, "document page");
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : e->code;
}

int store_case_doc_pages_check(struct store *st, json_t **bad, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT d.id, d.number, coalesce(d.sha256, ''), p.page "
				     "FROM case_document_pages p JOIN case_documents d ON d.id = p.document_id "
				     "ORDER BY d.id", e);
	if (!s)
		return e->code;
	int rc;
	*bad = json_array();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct buf b;
		struct err e2;
		char got[65] = "";
		if (page_copy(s, 3, &b, &e2) == 0) {
			filestore_hash(b.data, b.len, got);
			buf_free(&b);
		}
		if (strcmp(got, store_col_text(s, 2)) != 0)
			json_array_append_new(*bad, json_pack("{s:I,s:s}", "id", (json_int_t)sqlite3_column_int64(s, 0),
							      "number", store_col_text(s, 1)));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		json_decref(*bad);
		return store_sqlerr(st, e, "document pages");
	}
	return 0;
}

int store_case_doc_by_code(struct store *st, const char *code, struct case_doc_found *out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT d.case_id, d.issued_at, d.kind, d.number, coalesce(d.sha256, ''), "
				     "coalesce(dep.name, c.department_code) FROM case_documents d "
				     "JOIN cases c ON c.id = d.case_id "
				     "LEFT JOIN departments dep ON dep.code = c.department_code "
				     "WHERE d.verify_code = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->case_id = sqlite3_column_int64(s, 0);
		out->issued_at = sqlite3_column_int64(s, 1);
		snprintf(out->kind, sizeof out->kind, "%s", store_col_text(s, 2));
		snprintf(out->number, sizeof out->number, "%s", store_col_text(s, 3));
		snprintf(out->sha256, sizeof out->sha256, "%s", store_col_text(s, 4));
		snprintf(out->department, sizeof out->department, "%s", store_col_text(s, 5));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "code", "没有此核验码的文书 (no document with this code)");
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "document");
}

int store_case_doc_sha(struct store *st, int64_t id, const char *kind, int64_t *doc_id, char sha256[65],
		       struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, coalesce(sha256, '') FROM case_documents WHERE case_id = ? "
				     "AND kind = ? ORDER BY id DESC LIMIT 1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, kind);
	int rc = sqlite3_step(s);
	sha256[0] = 0;
	if (rc == SQLITE_ROW) {
		*doc_id = sqlite3_column_int64(s, 0);
		snprintf(sha256, 65, "%s", store_col_text(s, 1));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "kind", "该办件没有此类文书 (no such document for this case)");
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "document");
}
