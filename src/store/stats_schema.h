/*
** stats_schema.h: the columns and groupings of the statistics rollup tables
** (migrations 0006, 0007, 0021): which counts a cell holds, in table order,
** and which keys a cell is grouped by. The store owns the tables, so the
** store owns their shape; stats/stats.h gives the counts their meaning and
** their derived values, stats/stats_cells.c decides which cells a 办件
** counts in.
**
** Only enums: no functions, no I/O.
*/
#ifndef GG_STATS_SCHEMA_H
#define GG_STATS_SCHEMA_H

/* The summable counts. Their order is the column order of the rollup tables
** (store/store_stats.c) and must not change without a migration. */
enum stats_count {
	SC_RECEIVED = 0,      /* 接件数: received in the period                   */
	SC_ACCEPTED,          /* 受理数: accepted in the period                   */
	SC_REFUSED,           /* 不予受理数: status 4/5 decided in the period     */
	SC_CONCLUDED,         /* 办结数: 11+12+13 finished in the period          */
	SC_APPROVED,          /* 办结(通过) 11                                    */
	SC_APPROVED_TOL,      /* 办结(容缺后补通过) 12                             */
	SC_DENIED,            /* 办结(不通过) 13                                  */
	SC_CANCELLED,         /* 撤件 2, in the period                            */
	SC_WITHDRAWN,         /* 撤回 14                                          */
	SC_REVOKED,           /* 撤销 15                                          */
	SC_OVERDUE_DONE,      /* 逾期办结: concluded in the period, late          */
	SC_RUNNING,           /* 在办: received in the period, running now        */
	SC_WARNING,           /* 预警: … running now with a yellow light          */
	SC_OVERDUE_RUNNING,   /* 逾期在办: … running now with a red light         */
	SC_SUPPLEMENTED,      /* 补正数: received in the period, ≥1 补正          */
	SC_SPECIAL,           /* 特别程序数: received in the period, ≥1 特别程序   */
	SC_COH_ACCEPTED,      /* received in the period and accepted (so far)     */
	SC_COH_CONCLUDED,     /* received in the period and concluded (so far)    */
	SC_COH_REFUSED,       /* received in the period and refused               */
	SC_COH_OVERDUE,       /* received in the period: concluded late or red now */
	SC_PARALLEL_CASES,    /* 并联办件: received in the period, instance ≥2    */
	SC_PARALLEL_INST,     /* 并联审批实例: opened in the period, ≥2 办件      */
	SC_ACC_ITEMS,         /* 验收事项: stage-4 办件 concluded in the period   */
	SC_ACC_PASSED,        /* … of which 11 or 12                              */
	SC_JOINT,             /* 联合验收 (54Y) with a combined result in period  */
	SC_JOINT_PASSED,      /* … passed                                         */
	SC_WD_SUM,            /* Σ working days used, concluded in the period     */
	SC_ND_SUM,            /* Σ natural days used                              */
	SC_LIMIT_SUM,         /* Σ promised limits (working days)                 */
	SC_PAUSED_SUM,        /* Σ paused working days (补正, 特别程序)            */
	SC_COUNT
};

/* The groupings of a report; SG_COUNT: none (one row, the totals). */
enum stats_group { SG_DISTRICT = 0, SG_DEPARTMENT, SG_ITEM, SG_STAGE, SG_FLOW_TYPE, SG_COUNT };

#endif
