/*
** importer.h: bringing a bureau's records in from elsewhere (issue 18,
** 帮客户导数据): a spreadsheet of projects and their units (CSV), and the
** SPGL history a city uploaded to the province over the years (import_spgl,
** when the exchange module is present).
**
** Every import has a dry run that validates everything and writes nothing,
** and reports every row that fails (row, field, rule); the real run is all
** or nothing: one transaction, one audit row (import.projects), and the
** records' own audit rows from the domain calls that create them. Validation
** is the domain's own (approval/project.h): an imported project is checked
** exactly like one typed in.
**
** Projects CSV: a header row, then one row per project unit; rows with the
** same project code belong to one project (its columns repeated). Columns
** are matched by name, case-insensitively, never by position: SPGL names
** (XMDM XMMC GCDM SPLCLX JSDDXZQH JSDD ZTZE YDMJ JZMJ NKGSJ NJCSJ DWMC
** DWTYSHXYDM DWLX LXR LXDH), the Chinese headings (项目代码 项目名称 …) or the
** API's field names. The file is a workbook (.xlsx: its first sheet, told
** by content, not by name; dates formatted as dates become YYYY-MM-DD) or
** CSV text (UTF-8; a BOM is skipped; quoted fields may hold commas, quotes
** ("") and line breaks).
**
** Ownership: *report belongs to the caller; inputs are borrowed.
*/
#ifndef GG_IMPORTER_H
#define GG_IMPORTER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "org/rbac.h"
#include "store/store.h"

/* *report = {"dry_run","rows","projects","units","created":[codes],"errors":[{"row","field","message"}]}.
** Returns 0 when the file was read and (unless dry_run) everything was
** created; with errors in the file ERR_INVALID (report still set, nothing
** written). Who: ops (帮客户导数据) or the CLI; the projects are created on the
** bureau's behalf: project_create runs with the clerk role added to the
** importing account, audited under its name. */
int import_projects(struct store *st, const struct principal *who, int64_t now, const char *data, size_t len,
		    int dry_run, json_t **report, struct err *e);

/* ---- SPGL history ------------------------------------------------------------------------ */

/* The rows of a city's SPGL tables, from the exchange module (registered
** above: the importer does not include it). read() calls each() once per
** row that counts — SJYXBS = 1 and the latest row of its business key —
** with source the mapping's kind ("project", "unit", "case", "status",
** "special", "document"; others are ignored) and rec the mapping's source
** names (project_code, case_number, status, at …) with the values turned
** back into ours (codes as integers, dates "YYYY-MM-DD", times epoch
** seconds, versions "1.0", amounts as numbers) plus "$table", "$lsh" and
** "$dfsjzj". A non-zero return of each() stops it and is returned. */
typedef int (*import_row_fn)(void *arg, const char *source, const json_t *rec, struct err *e);
struct import_spgl_source {
	int (*read)(void *ctx, import_row_fn each, void *arg, struct err *e);
	void *ctx;
};

/* Bring the history in: projects (matched to nothing: an existing code is
** an error), units, 办件 with items matched by SPSXBM and version to the
** catalogue (an unknown one is reported, never invented), status history,
** special procedures, approval documents; statistics recounted for each
** imported 办件; each record remembers its source (table, LSH) in
** import_sources. *report = {"dry_run","read":{source:n},"created"|
** "would_create":{source:n},"errors":[{"table","lsh","field","message"}]}.
** All or nothing: with any error nothing is written (ERR_INVALID, report
** set); a dry run never writes. Who: ops or the CLI. */
struct case_env;
int import_spgl(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		const struct import_spgl_source *src, int dry_run, json_t **report, struct err *e);

/* CSV text to rows: a JSON array of arrays of strings; *lines (may be NULL)
** the 1-based line each row starts on. ERR_INVALID names the line of an
** unterminated quote. */
int import_csv_parse(const char *text, size_t len, json_t **rows, json_t **lines, struct err *e);

/* The first worksheet of an .xlsx workbook to rows, the same shape as
** import_csv_parse; *lines the sheet's row numbers. ERR_INVALID names what
** is wrong with the file (not a ZIP, a missing part, bad XML, a limit). */
int import_xlsx_parse(const void *data, size_t len, json_t **rows, json_t **lines, struct err *e);

#endif
