/*
** case_import.h: a 办件 with its whole history, as another system recorded
** it (the SPGL tables a city uploaded: src/importer). The status sequence
** must be one the state machine (case_fsm.h) allows: each reported status
** is reached by an action from the one before, after as many status-keeping
** steps (提交下一环节) as the item's steps need; nothing is invented but the
** actions' names. The row gets the clock copies from the one deadline
** function (case_copies), its instance, the project's stage and progress and
** the department link, like a case opened here. Statistics are the caller's
** (stats_case_refresh after the rows are in).
**
** Runs inside the caller's transaction; errors name the SPGL column
** (SPSXBM, SPLCBM, BLZT …) and the rule. No audit row: the import writes
** one for the whole batch.
*/
#ifndef GG_CASE_IMPORT_H
#define GG_CASE_IMPORT_H

#include <stdint.h>

#include "approval/case.h"

struct case_import_row {
	int status;                       /* BLZT                              */
	int64_t at;                       /* BLSJ                              */
	const char *handler, *opinion;    /* BLR, BLYJ (may be NULL)           */
};
struct case_import_special {
	int type;                         /* TBCX                              */
	const char *name;                 /* TBCXMC                            */
	int64_t start_at;
	int limit;                        /* TBCXSX                            */
};
struct case_import_doc {
	const char *number;               /* PFWH                              */
	int64_t issued_at;                /* PFRQ                              */
};

struct case_import {
	const char *number;               /* SPSXSLBM                          */
	int64_t project_id;
	const char *flow_code, *flow_version;   /* SPLCBM, SPLCBBH              */
	const char *item_code, *item_version;   /* SPSXBM, SPSXBBH              */
	const char *department;           /* SPBMBM; NULL: the item's           */
	int64_t instance_id;              /* 0: open an instance (number below) */
	const char *instance_number;      /* BLSPSLBM, NULL: the case number    */
	int instance_cases;               /* how many cases the instance holds  */
	const struct case_import_row *rows;
	int nrows;
	const struct case_import_special *specials;
	int nspecials;
	const struct case_import_doc *docs;
	int ndocs;
};

/* Create the case; *case_id and *instance_id (the one it joined or opened). */
int case_import(struct store *st, const struct case_env *env, const struct case_import *in, int64_t now,
		int64_t *case_id, int64_t *instance_id, struct err *e);

#endif
