/*
** case_export.h: the 办件 list as a file (GET /api/cases/export): every case
** the list filters match in the caller's data scope, however many, as CSV
** (UTF-8 with a BOM for Excel) or XLSX. The columns carry the national codes
** (status BLZT, stage, side line) beside their names, the clock as the list
** shows it (deadline_case), times in Asia/Shanghai.
**
** Rows are read from the store 200 at a time inside one read transaction
** (one snapshot) and written straight into the file: CSV into a growing
** buffer, XLSX through libxlsxwriter's constant-memory mode into a temporary
** file in $TMPDIR (or /tmp), read back and removed before returning. CSV
** text cells that begin with = + - @ TAB or CR get a leading ' so a
** spreadsheet does not run them as formulas (OWASP CSV injection).
**
** Ownership: *data is malloc'd and belongs to the caller.
*/
#ifndef GG_CASE_EXPORT_H
#define GG_CASE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "approval/case.h"

enum case_export_format { CASE_EXPORT_CSV = 0, CASE_EXPORT_XLSX = 1 };

/* "csv" / "xlsx" to the format; -1 when unknown. */
int case_export_format_parse(const char *s);

struct case_export {
	char *data;                   /* the file                               */
	size_t len;
	int64_t rows;                 /* cases in it                            */
	char name[128];               /* 办件列表-<Shanghai date>-<rows>条.<ext>   */
	char ascii_name[64];          /* cases-<date>-<rows>.<ext>              */
};

/* Every case matching q visible to who at now, as format. */
int case_export_run(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		    const struct case_query *q, int format, struct case_export *out, struct err *e);

/* CSV cells are written by base/csv.h's csv_cell (RFC 4180, OWASP guard). */

#endif
