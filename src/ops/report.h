/*
** report.h: inspection reports (文档管理: 日巡检报告, 月巡检报告 with the
** 巡检记录表), for one day or one month in Asia/Shanghai.
**
** The report is built once as data (a JSON object, ops_report_data) and
** rendered by two writers: XLSX through libxlsxwriter (one sheet per section,
** column widths set, title and header rows frozen) and HTML printable on A4
** (repeated table headers, no row split across pages). Sections:
**   概况        counts of runs and results by status, backups, drills
**   巡检记录表  one row per item and outcome: time, item, result, value,
**               threshold, handling; consecutive identical results of an item
**               on one day are merged into one row with their count
**   异常及处理  every non-OK episode and how it ended
**   备份记录    backups made in the period and restore drills
**   接口可用率  availability and latency of app.health, exchange.target, net.*
**   趋势        per day: database size, growth, load, p99, 5xx rate
**
** Ownership: ops_report_data and ops_report_render give the caller a JSON
** reference / a malloc'd buffer to free.
*/
#ifndef GG_OPS_REPORT_H
#define GG_OPS_REPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "ops/ops.h"

enum ops_report_format { OPS_REPORT_XLSX = 1, OPS_REPORT_HTML = 2 };

struct ops_period {
	char label[11];           /* "2026-11-25" or "2026-11"          */
	int monthly;
	int64_t from, to;         /* [from, to) epoch seconds            */
};

/* Exactly one of day ("YYYY-MM-DD") and month ("YYYY-MM"). */
int ops_period_parse(const char *day, const char *month, struct ops_period *p, struct err *e);
/* "xlsx" | "html" */
int ops_report_format_parse(const char *s, int *format, struct err *e);

int ops_report_data(struct store *st, const struct ops_conf *cf, const struct ops_period *p, int64_t now,
		    const char *by, json_t **out, struct err *e);

/* Build and render; writes the audit row ops.report. With path the result
** goes to that file (*body NULL), else into *body and *len (malloc'd). */
int ops_report_render(struct store *st, const struct ops_conf *cf, const struct principal *who, int64_t now,
		      const struct ops_period *p, int format, const char *path, char **body, size_t *len,
		      struct err *e);

/* The writers (report_xlsx.c, report_html.c). */
int ops_report_xlsx(const json_t *data, const char *path, struct err *e);
int ops_report_html(const json_t *data, char **body, size_t *len, struct err *e);

#endif
