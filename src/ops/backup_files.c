/*
** backup_files.c: the uploaded files and issued documents in backups (see
** backup.h). A backup DIR/gonggai-….db refers to files by SHA-256; they
** are kept in DIR/files, one content-addressed store shared by every
** backup of DIR (a file is the same bytes whoever refers to it, so it is
** copied once), and never removed by retention. Documents issued since
** migration 0030 keep their pages inside the database, so inside the
** backup; verify checks them against their SHA-256 as it reads the files.
*/
#include "ops/backup.h"
#include "base/filestore.h"
#include "store/store_files.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define FILES_SCHEMA 18    /* migration 0018 brought the file tables */
#define PAGES_SCHEMA 30    /* 0030: documents' pages inside the database */

/* DIR/files for the backup file path. */
static void backup_store(const char *backup_path, char *out, size_t cap)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", backup_path);
	snprintf(out, cap, "%s/files", dirname(tmp));
}

/* The files the database at path refers to ([] before migration 0018). */
static int referenced(const char *path, json_t **rows, struct err *e)
{
	struct store *st;
	if (store_open(path, STORE_READONLY, &st, e))
		return e->code;
	int rc = store_schema_version(st) < FILES_SCHEMA ? (*rows = json_array(), 0) : store_files_all(st, rows, e);
	store_close(st);
	return rc;
}

/* Copy (or check, when to is NULL) every file path refers to. */
static int each_file(const char *path, const char *from, const char *to, int *n, struct err *e)
{
	json_t *rows, *r;
	size_t i;
	int rc = 0;
	*n = 0;
	if (referenced(path, &rows, e))
		return e->code;
	json_array_foreach(rows, i, r) {
		const char *sha = json_string_value(json_object_get(r, "sha256"));
		struct buf b;
		rc = to ? filestore_copy(from, to, sha, e) : filestore_read(from, sha, &b, e);
		if (rc)
			break;
		if (!to)
			buf_free(&b);
		(*n)++;
	}
	json_decref(rows);
	return rc;
}

int ops_backup_files(struct store *live, const char *backup_path, int *n, struct err *e)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct err e2;
	*n = 0;
	if (filestore_dir(store_path(live), from, sizeof from, &e2))
		return 0;     /* an in-memory database has no files */
	backup_store(backup_path, to, sizeof to);
	if (each_file(backup_path, from, to, n, e))
		return err_set(e, e->code, "files", "备份文件时出错：%s", e->msg);
	return 0;
}

/* The document pages kept inside the database at path (migration 0030)
** against their SHA-256: ERR_INVALID naming the first damaged one. */
static int pages_check(const char *path, struct err *e)
{
	struct store *st;
	json_t *bad = NULL;
	if (store_open(path, STORE_READONLY, &st, e))
		return e->code;
	int rc = store_schema_version(st) < PAGES_SCHEMA ? 0 : store_case_doc_pages_check(st, &bad, e);
	store_close(st);
	if (!rc && json_array_size(bad))
		rc = err_set(e, ERR_INVALID, "files", "备份中 %zu 份文书页面已损坏（校验和不符），如 %s",
			     json_array_size(bad), json_string_value(json_object_get(json_array_get(bad, 0), "number")));
	json_decref(bad);
	return rc;
}

int ops_backup_files_check(const char *backup_path, int *n, struct err *e)
{
	char dir[PATH_MAX];
	backup_store(backup_path, dir, sizeof dir);
	if (each_file(backup_path, dir, NULL, n, e))
		return err_set(e, ERR_INVALID, "files", "备份引用的文件缺失或损坏：%s", e->msg);
	return pages_check(backup_path, e);
}

int ops_backup_files_restore(const char *backup_path, const char *db_path, int *n, struct err *e)
{
	char from[PATH_MAX], to[PATH_MAX];
	backup_store(backup_path, from, sizeof from);
	if (filestore_dir(db_path, to, sizeof to, e))
		return e->code;
	if (each_file(backup_path, from, to, n, e))
		return err_set(e, e->code, "files", "恢复文件时出错：%s", e->msg);
	return 0;
}
