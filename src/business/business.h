/*
** business.h: 营商环境 — 办理建筑许可 (dealing with construction permits,
** domain.md §10; the contract's 业务运营 4) and 工作成效 1)): for every
** project whose 竣工验收 (stage 4) completed in a period, the number of
** procedures, the time and the official cost, against the province's
** working-day target of its flow type, with medians per flow type and the
** slowest projects broken down stage by stage.
**
** Definitions (docs/operations.md §4 lists them for users):
**   project      case_progress.finished_at (stage 4 complete) in [from, to)
**   procedures   the project's 办件 concluded (办结 11, 12 or 13) by then
**   workdays     the project clock (case_project_span, approval/case.h):
**                working days from the first application (not counted) to
**                the completion of 竣工验收, waiting between stages included
**   natural days calendar days between the same two days
**   fee          Σ fee (fen) of the item versions pinned by the approved
**                办件 (11, 12); a version without a recorded fee (stored
**                before migration 0022) is counted in fee_unrecorded
**   target       case_project_target: 90 (flow types 1, 2), 65 (3), none
**                for the others; within = workdays ≤ target
**   medians      per flow type and over all projects; an even count gives
**                the mean of the two middle values
**   slowest      the BIZ_SLOWEST projects with the most workdays (then
**                natural days, then id), each stage 1-4 in order with the
**                working days waited before applying for it (from the
**                previous stage's completion, or the first application),
**                its own working days, the days in it when a case's clock
**                stood still (补正 after acceptance, 特别程序: their union)
**                and its longest item; waits and stage days add up to the
**                project's workdays. 并行推进 (stage 5) is listed apart.
**
** The report is a paperwork document (paperwork/paperwork.h: sections of
** summary, tables and notes) written by paperwork's XLSX and HTML writers,
** with the raw figures under "figures". Who: ops and leaders (and the
** command line); every rendering writes the audit row business.report.
**
** Ownership: *doc / *figures / *body belong to the caller.
*/
#ifndef GG_BUSINESS_H
#define GG_BUSINESS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "approval/case.h"
#include "base/dict.h"
#include "base/err.h"
#include "org/rbac.h"
#include "store/store.h"

#define BIZ_SLOWEST 10

/* business.report (the report's name for the 运维报告 page), for GET /api/dict. */
extern const struct dict biz_dicts[];

/* The figures of [from, to):
**   {"projects":[{id, code, name, flow_type, flow_type_name, division_name,
**                 first_applied, completed (YYYY-MM-DD), procedures,
**                 workdays, natural_days, fee_fen, fee_yuan, fee_unrecorded,
**                 target (null: none), within (bool, null: no target),
**                 over (workdays − target, null: no target)}],
**    "flow_types":[{flow_type, flow_type_name, target, projects, within,
**                   within_rate (%), median_procedures, median_workdays,
**                   median_natural_days, median_fee_yuan, max_workdays}],
**    "all": the same over every project (flow_type 0),
**    "slowest":[{id, code, name, flow_type_name, workdays, target,
**                "stages":[{stage, stage_name, started, completed,
**                           wait_workdays, workdays, paused_workdays,
**                           share (%), items, longest_item,
**                           longest_item_workdays}]}]}
** No permission check: callers are biz_build and tests. */
int biz_figures(struct store *st, const struct case_env *env, int64_t from, int64_t to, int64_t now,
		json_t **figures, struct err *e);

/* The report document (paperwork.h's shape, kind "business") of [from,
** to). ERR_FORBIDDEN unless who is ops, a leader or the CLI. */
int biz_build(struct store *st, const struct case_env *env, const struct principal *who, int64_t from,
	      int64_t to, int64_t now, json_t **doc, struct err *e);

/* Build, render (PW_XLSX, PW_HTML or PW_JSON of paperwork.h) and write the
** audit row business.report. With path the result goes to that file (*body
** NULL), else into *body / *len (malloc'd; PW_XLSX needs a path). */
int biz_render(struct store *st, const struct case_env *env, const struct principal *who, int64_t from,
	       int64_t to, int64_t now, int format, const char *path, char **body, size_t *len, struct err *e);

#endif
