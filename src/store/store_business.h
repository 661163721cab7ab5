/*
** store_business.h: the reads of the 营商环境 — 办理建筑许可 report
** (business/business.h): the projects whose 竣工验收 (stage 4) completed
** in a period and, for each, its 办件 with the fee of the item version they
** pinned, its stage rows and the pauses of the stage's cases. No rules
** here: the business module decides what counts.
**
** Ownership: json_t results belong to the caller (json_decref).
*/
#ifndef GG_STORE_BUSINESS_H
#define GG_STORE_BUSINESS_H

#include <jansson.h>
#include <stdint.h>

#include "calendar/cal.h"
#include "store/store.h"

/* Projects with case_progress.finished_at in [from, to), oldest completion
** first: [{id, code, name, flow_type, division, division_name, started_at,
** finished_at}]. */
int store_business_projects(struct store *st, int64_t from, int64_t to, json_t **rows, struct err *e);

/* Every case of a project, oldest first: [{id, stage, side_line, item_code,
** item_name, status, received_at, accepted_at (null), final_at (null), fee
** (fen, null: not recorded in the pinned version), fee_basis (null)}]. */
int store_business_cases(struct store *st, int64_t project_id, json_t **rows, struct err *e);

/* The stage rows of a project: [{stage, time_limit, started_at,
** completed_at (null)}], by stage. */
int store_business_stages(struct store *st, int64_t project_id, json_t **rows, struct err *e);

/* The pauses (补正 after acceptance, 特别程序) of the project's cases in
** stage `stage`, as calendar days; open pauses end at day 0. Up to max into
** out, *n the number there are. */
int store_business_pauses(struct store *st, int64_t project_id, int stage, struct cal_pause *out, size_t max,
			  size_t *n, struct err *e);

#endif
