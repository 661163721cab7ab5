/*
** paperwork.h: the O&M reports the contract's 文档管理 asks for (月度运维报告,
** 年度运维总结报告), written from the records the system already keeps.
**
** A report is data first: a JSON document
**   {"kind","title","period","from","to","generated_at","generated_by",
**    "sections":[{"id","title","summary":[{"label","value","unit"}],
**                 "tables":[{"title","columns":[{"key","head"}],"rows":[{…}]}],
**                 "notes":[text]}]}
** rendered by one XLSX writer (one sheet per section) and one A4 HTML
** writer. The sections come from providers registered from above (the
** wiring in src/cli), so this module includes no other domain module: each
** provider's fill asks its own module for the figures of [from, to).
**
** monthly  every provider's section for the period
** annual   every provider's section for the whole period, each with a
**          table 月度趋势 of its numeric summary values month by month,
**          then one section per service row of the contract's 第一条
**          (技术咨询 … 工作成效) with the figures and examples of the
**          providers that evidence it
**
** Who: ops, leaders and the command line. Ownership: *doc and *body belong
** to the caller (json_decref / free); providers are borrowed.
*/
#ifndef GG_PAPERWORK_H
#define GG_PAPERWORK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dict.h"
#include "base/err.h"
#include "org/rbac.h"
#include "store/store.h"

enum pw_kind { PW_MONTHLY = 1, PW_ANNUAL = 2 };
enum pw_format { PW_XLSX = 1, PW_HTML = 2, PW_JSON = 3 };

/* A section of a report. fill sets *section to
** {"summary":[…],"tables":[…],"notes":[…]} (any may be missing) for
** [from, to); the builder adds id and title. Numeric summary values are
** JSON numbers (the annual trend uses them). */
struct pw_provider {
	const char *id;           /* "desk.tickets"                           */
	const char *title;        /* "故障处理"                               */
	int (*fill)(void *ctx, struct store *st, int64_t from, int64_t to, json_t **section, struct err *e);
	void *ctx;
};

#define PW_MAX_PROVIDERS 16
struct pw_providers {
	struct pw_provider p[PW_MAX_PROVIDERS];
	int n;
};

/* Append one provider (asserts there is room). */
void pw_add(struct pw_providers *ps, const struct pw_provider *p);

/* paperwork.kind (报告类别), paperwork.service (第一条 服务内容), for GET /api/dict. */
extern const struct dict pw_dicts[];

/* "monthly" | "annual"; "xlsx" | "html" | "json". ERR_INVALID naming kind / format. */
int pw_kind_parse(const char *s, int *kind, struct err *e);
int pw_format_parse(const char *s, int *format, struct err *e);

/* The period from days YYYY-MM-DD (Asia/Shanghai, to inclusive) into
** [*from, *to). Both required, from ≤ to, at most 400 days (an annual
** report is a contract year). ERR_INVALID naming from / to. */
int pw_period_parse(const char *from, const char *to, int64_t *f, int64_t *t, struct err *e);

/* Build the report. ERR_FORBIDDEN unless who is ops, a leader or the CLI. */
int pw_build(struct store *st, const struct pw_providers *ps, const struct principal *who, int kind,
	     int64_t from, int64_t to, int64_t now, json_t **doc, struct err *e);

/* Build, render and write the audit row paperwork.report. With path the
** result goes to that file (*body NULL), else into *body / *len (malloc'd;
** PW_XLSX needs a path). */
int pw_render(struct store *st, const struct pw_providers *ps, const struct principal *who, int kind,
	      int64_t from, int64_t to, int64_t now, int format, const char *path, char **body, size_t *len,
	      struct err *e);

/* Write doc (any document of this shape, e.g. business.h's) in format:
** to path, or with path NULL into *body / *len (malloc'd; PW_XLSX needs
** a path). */
int pw_write(const json_t *doc, int format, const char *path, char **body, size_t *len, struct err *e);

/* The writers (paperwork_xlsx.c, paperwork_html.c). */
int pw_xlsx(const json_t *doc, const char *path, struct err *e);
int pw_html(const json_t *doc, char **body, size_t *len, struct err *e);

#endif
