/*
** project_export.h: the project list as a file (GET /api/projects/export):
** every project the list filters match in the caller's data scope, however
** many, as CSV (UTF-8 with a BOM, formula-guarded cells as case_export.h)
** or XLSX, read 200 at a time inside one read transaction. The same rules
** of scope and masking as project_list (phones are not exported).
**
** Ownership: out->data is malloc'd and belongs to the caller.
*/
#ifndef GG_PROJECT_EXPORT_H
#define GG_PROJECT_EXPORT_H

#include "approval/case_export.h"
#include "approval/project.h"

/* Every project matching f visible to who, as format (CASE_EXPORT_CSV or
** CASE_EXPORT_XLSX); out->name 项目列表-<Shanghai date>-<rows>条.<ext>,
** out->ascii_name projects-<date>-<rows>.<ext>. */
int project_export_run(struct store *st, const struct principal *who, int64_t now, const struct project_filter *f,
		       int format, struct case_export *out, struct err *e);

#endif
