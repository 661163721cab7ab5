/*
** stats_report.h: a finished period report and its four renderings (JSON
** for the API, CSV, a terminal table, XLSX).
**
** A report is plain data: the period with its two comparison periods, the
** scope (whole city or one department), one section per grouping (rows plus
** a totals row), the totals of the comparison periods, and the whole-project
** figures per flow type. It is filled by stats_report_build (stats_query.h)
** and rendered here; the renderers only format, every value comes from
** stats_values() (stats.h).
**
** Ownership: the report owns its sections and rows; stats_report_free
** releases them (the struct itself is the caller's). Renderers return
** caller-owned results (json_t reference, struct buf data, a file).
*/
#ifndef GG_STATS_REPORT_H
#define GG_STATS_REPORT_H

#include <jansson.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "stats/stats.h"

struct stats_row {
	char key[64];                 /* group code: "610202", item code, "3"    */
	char name[256];               /* display name: "王益区", "施工许可"       */
	struct stats_counts c;
};

struct stats_section {
	int group;                    /* enum stats_group                        */
	struct stats_row *rows;       /* ordered by key                          */
	size_t nrows;
	struct stats_row total;       /* 合计: the same counts over every 办件    */
};

#define STATS_MAX_SECTIONS SG_COUNT

struct stats_report {
	struct stats_period period, previous, last_year;
	char scope[160];              /* "全市" or the department's name          */
	char scope_department[48];    /* "" for the whole city                   */
	int64_t generated_at;         /* epoch seconds                           */
	struct stats_section sections[STATS_MAX_SECTIONS];
	size_t nsections;
	struct stats_counts prev_total, ly_total;
	struct stats_flow_row flows[10];
	size_t nflows;
};

void stats_report_init(struct stats_report *r);
void stats_report_free(struct stats_report *r);

/* {"period":{kind,from,to,label,partial}, "previous":{…}, "last_year":{…},
**  "scope", "generated_at", "columns":[{key,name,kind}],
**  "sections":[{"group","group_name","rows":[{key,name,<column>: value}],
**               "total":{…}}],
**  "compare":{"previous":{…}, "last_year":{…}, "mom":{…}, "yoy":{…}},
**  "projects":[{flow_type,name,target,projects,within,within_rate,
**               avg_elapsed,p90_elapsed,max_elapsed}]}
** Null values are JSON null. */
json_t *stats_report_json(const struct stats_report *r);

/* RFC 4180 CSV of section si (with a UTF-8 BOM, so Excel reads the Chinese
** headings): the group columns, every stats column, the totals row last. */
void stats_report_csv(const struct stats_report *r, size_t si, struct buf *out);

/* A fixed-width terminal table of section si with the brief columns,
** aligned for CJK display width, then the comparison lines. */
void stats_report_table(const struct stats_report *r, size_t si, struct buf *out);

/* Write the workbook to path: a summary sheet (汇总: period, scope, totals
** with 环比/同比, whole-project figures per flow type) and one sheet per
** section, Chinese headings, number formats, frozen header, totals row. */
int stats_report_xlsx(const struct stats_report *r, const char *path, struct err *e);

/* The same into memory (through a temporary file); *data malloc'd. */
int stats_report_xlsx_mem(const struct stats_report *r, char **data, size_t *len, struct err *e);

/* Format one value of column kind for text outputs ("" for null, "85.3%"
** for rates, "12.5" for days, "1234" for counts). */
void stats_format_value(int kind, double v, char *buf, size_t n);

#endif
