/*
** quality_notice.c: the monthly 通报 (notice) of data quality — computed
** from the findings' events (the state of every finding at the start and
** at the end of the month), rendered as an A4 workbook (libxlsxwriter) or
** a printable HTML page on the letterhead of 铜川市行政审批服务局.
**
** Definitions (printed on the sheet itself, docs/quality.md):
**   期初未整改  open or overdue at the start of the month
**   本期新发现  found or reopened during the month
**   本期已整改  closed as fixed by a run during the month
**   期末未整改  open or overdue at the end (or now, for the running month)
**   其中逾期    of those, past their rectification deadline
**   省级退回    rejections by the province open at some time in the month
**   整改率      本期已整改 / (期初未整改 + 本期新发现); "—" when that is 0
*/
#include "quality/quality_int.h"
#include "approval/deadline.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "ids/ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define LETTERHEAD "铜川市行政审批服务局"
#define NOTICE_TITLE "工程建设项目审批数据质检通报"

static const char *const definitions[] = {
	"期初未整改：月初时处于待整改或逾期未整改状态的问题数。",
	"本期新发现：本月内质检新发现或整改后复发的问题数。",
	"本期已整改：本月内经质检复核不再出现、由系统关闭的问题数（整改以复核结果为准）。",
	"期末未整改：月末（本月尚未结束时为通报生成时）仍待整改或逾期未整改的问题数；其中逾期：已超过整改期限的问题数。",
	"省级退回：本月内曾处于未整改状态的省级平台校验失败（退回）数据数。",
	"整改率 = 本期已整改 ÷（期初未整改 + 本期新发现）×100%；分母为0时不计算。",
	"整改期限：期末未整改的问题须在通报规定期限前完成整改，逾期问题由局领导督办。",
	NULL,
};

/* ---- computing ---------------------------------------------------------------------------------- */

struct group {
	json_t *o;                    /* the row being filled */
	int64_t start, fresh, fixed, open_end, errors, warns, overdue, rejected;
	const char *oldest_at;
	const char *oldest_obj;
};

static void group_close(struct group *g, json_t *groups)
{
	if (!g->o)
		return;
	int64_t base = g->start + g->fresh;
	json_object_set_new(g->o, "open_at_start", json_integer(g->start));
	json_object_set_new(g->o, "new", json_integer(g->fresh));
	json_object_set_new(g->o, "fixed", json_integer(g->fixed));
	json_object_set_new(g->o, "open_end", json_integer(g->open_end));
	json_object_set_new(g->o, "errors", json_integer(g->errors));
	json_object_set_new(g->o, "warnings", json_integer(g->warns));
	json_object_set_new(g->o, "overdue", json_integer(g->overdue));
	json_object_set_new(g->o, "rejected", json_integer(g->rejected));
	json_object_set_new(g->o, "rate", base ? json_real((double)g->fixed * 100.0 / (double)base) : json_null());
	json_object_set_new(g->o, "oldest_object", g->oldest_obj ? json_string(g->oldest_obj) : json_null());
	json_object_set_new(g->o, "oldest_found_at", g->oldest_at ? json_string(g->oldest_at) : json_null());
	json_array_append_new(groups, g->o);
	memset(g, 0, sizeof *g);
}

static void group_add(struct group *g, const json_t *r)
{
	const char *end = json_get_str(r, "status_at_end", "");
	int open_end = !strcmp(end, "open") || !strcmp(end, "overdue");
	int at_start = json_get_int(r, "open_at_start", 0) != 0, fresh = json_get_int(r, "new_in", 0) != 0;
	g->start += at_start;
	g->fresh += fresh;
	g->fixed += json_get_int(r, "fixed_in", 0) != 0;
	g->open_end += open_end;
	g->errors += open_end && !strcmp(json_get_str(r, "severity", ""), "error");
	g->warns += open_end && !strcmp(json_get_str(r, "severity", ""), "warn");
	g->overdue += !strcmp(end, "overdue");
	g->rejected += (at_start || fresh) && !strcmp(json_get_str(r, "rule", ""), "exchange-rejected");
	const char *at = json_get_str(r, "found_at", "");
	if (open_end && (!g->oldest_at || strcmp(at, g->oldest_at) < 0)) {
		g->oldest_at = at;
		g->oldest_obj = json_get_str(r, "object", "");
	}
}

static json_t *group_new(const json_t *r)
{
	const char *dist = json_get_str(r, "district", ""), *dept = json_get_str(r, "department", NULL);
	const char *dn = ids_division_name(dist);
	return json_pack("{s:s,s:s,s:s?,s:s}", "district", dist, "district_name", dn ? dn : dist, "department", dept,
			 "department_name", json_get_str(r, "department_name", dept ? dept : "（无主管部门）"));
}

static int same_group(const json_t *a, const json_t *b)
{
	const char *x = json_get_str(a, "department", ""), *y = json_get_str(b, "department", "");
	return !strcmp(json_get_str(a, "district", ""), json_get_str(b, "district", "")) && !strcmp(x, y);
}

/* Groups, per-rule counts, the open list and the totals from the rows. */
static void aggregate(const json_t *rows, const struct q_ruleset *rs, json_t *out)
{
	json_t *groups = json_array(), *rules = json_object(), *open = json_array(), *r, *prev = NULL;
	struct group g = {0}, total = {0};
	size_t i;
	total.o = json_object();
	json_array_foreach(rows, i, r) {
		if (!prev || !same_group(prev, r)) {
			group_close(&g, groups);
			g.o = group_new(r);
		}
		group_add(&g, r);
		group_add(&total, r);
		prev = r;
		const char *end = json_get_str(r, "status_at_end", "");
		int open_end = !strcmp(end, "open") || !strcmp(end, "overdue");
		char key[160];
		snprintf(key, sizeof key, "%s|%s|%s", json_get_str(r, "district", ""), json_get_str(r, "department", ""),
			 json_get_str(r, "rule", ""));
		json_t *k = json_object_get(rules, key);
		if (!k) {
			const struct q_rule *qr = q_rule_find(rs, json_get_str(r, "rule", ""));
			k = json_pack("{s:s,s:s?,s:s,s:s,s:s,s:i,s:i}", "district", json_get_str(r, "district", ""),
				      "department", json_get_str(r, "department", NULL), "rule", json_get_str(r, "rule", ""),
				      "name", qr ? qr->name : json_get_str(r, "rule", ""), "severity",
				      json_get_str(r, "severity", ""), "new", 0, "open_end", 0);
			json_object_set_new(rules, key, k);
		}
		json_object_set_new(k, "new", json_integer(json_get_int(k, "new", 0) + (json_get_int(r, "new_in", 0) != 0)));
		json_object_set_new(k, "open_end", json_integer(json_get_int(k, "open_end", 0) + open_end));
		if (open_end)
			json_array_append(open, r);
	}
	group_close(&g, groups);
	json_t *tot = total.o;
	total.o = json_incref(tot);
	json_t *sink = json_array();
	group_close(&total, sink);
	json_decref(sink);
	json_t *by_rule = json_array(), *v;
	const char *key;
	json_object_foreach(rules, key, v)
		json_array_append(by_rule, v);
	json_decref(rules);
	json_object_set_new(out, "groups", groups);
	json_object_set_new(out, "by_rule", by_rule);
	json_object_set_new(out, "open", open);
	json_object_set_new(out, "totals", tot);
}

static int period_of(const char *period, int64_t now, int64_t *from, int64_t *to, int32_t *last, struct err *e)
{
	int y, m;
	char tail;
	if (!period || sscanf(period, "%4d-%2d%c", &y, &m, &tail) != 2 || strlen(period) != 7 || m < 1 || m > 12 ||
	    y < 2000 || y > 2100)
		return err_set(e, ERR_INVALID, "period", "通报月份应为 YYYY-MM: %s", period ? period : "");
	int32_t d0 = cal_date_from_ymd(y, m, 1), d1 = m == 12 ? cal_date_from_ymd(y + 1, 1, 1) : cal_date_from_ymd(y, m + 1, 1);
	*from = (int64_t)d0 * 86400 - 28800;
	*to = (int64_t)d1 * 86400 - 28800;
	if (*from > now)
		return err_set(e, ERR_INVALID, "period", "通报月份尚未开始: %s", period);
	if (*to > now)
		*to = now + 1;
	*last = deadline_day(*to - 1);
	return 0;
}

int quality_notice(struct store *st, const struct quality_env *env, const struct principal *who, int64_t now,
		   const char *period, json_t **out, struct err *e)
{
	struct q_scope sc;
	struct q_ruleset rs;
	int64_t from = 0, to = 0;
	int32_t last = 0, due = 0;
	json_t *rows, *defs = json_array();
	char a[CAL_DATE_LEN], b[CAL_DATE_LEN], c[CAL_DATE_LEN], gen[32];
	if (period_of(period, now, &from, &to, &last, e) || q_scope_of(who, &sc, e) ||
	    cal_add_workdays(env->cal, deadline_day(now), env->conf.notice_days, &due, NULL, e) ||
	    store_quality_notice_rows(st, from, to, sc.department, sc.district, &rows, e)) {
		json_decref(defs);
		return e->code;
	}
	if (q_rules_load(st, &rs, e)) {
		json_decref(rows);
		json_decref(defs);
		return e->code;
	}
	for (int i = 0; definitions[i]; i++)
		json_array_append_new(defs, json_string(definitions[i]));
	cal_date_format(deadline_day(from), a);
	cal_date_format(last, b);
	cal_date_format(due, c);
	*out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "letterhead", LETTERHEAD, "title", NOTICE_TITLE,
			 "period", period, "from", a, "to", b, "deadline", c, "generated_at", clock_cn_iso(now, gen),
			 "generated_by", who->username, "definitions", defs);
	aggregate(rows, &rs, *out);
	q_rules_free(&rs);
	json_decref(rows);
	return 0;
}

/* ---- rendering ---------------------------------------------------------------------------------- */

struct ncol {
	const char *head, *key;
	double width;
	int num;                      /* 0 text, 1 integer, 2 percentage */
};

static const struct ncol group_cols[] = {
	{"区县", "district_name", 10, 0}, {"部门", "department_name", 26, 0}, {"期初未整改", "open_at_start", 10, 1},
	{"本期新发现", "new", 10, 1}, {"本期已整改", "fixed", 10, 1}, {"期末未整改", "open_end", 10, 1},
	{"其中错误", "errors", 9, 1}, {"其中警告", "warnings", 9, 1}, {"其中逾期", "overdue", 9, 1},
	{"省级退回", "rejected", 9, 1}, {"整改率", "rate", 9, 2}, {"最早未整改问题", "oldest_object", 26, 0},
	{"发现时间", "oldest_found_at", 20, 0},
};
#define NGROUP_COLS (int)(sizeof group_cols / sizeof group_cols[0])
static const struct ncol rule_cols[] = {
	{"区县", "district", 10, 0}, {"部门", "department", 18, 0}, {"规则", "rule", 22, 0}, {"规则名称", "name", 26, 0},
	{"严重程度", "severity", 9, 0}, {"本期新发现", "new", 10, 1}, {"期末未整改", "open_end", 10, 1},
};
static const struct ncol open_cols[] = {
	{"编号", "id", 8, 1}, {"区县", "district", 9, 0}, {"部门", "department_name", 22, 0}, {"规则", "rule", 20, 0},
	{"对象", "object", 26, 0}, {"问题", "message", 60, 0}, {"发现时间", "found_at", 20, 0},
	{"整改期限", "deadline", 11, 0}, {"状态", "status_at_end", 9, 0},
};

struct xf {
	lxw_format *letter, *title, *sub, *head, *cell, *num, *pct, *note;
};

static void xcell(lxw_worksheet *ws, const struct xf *f, int row, int c, const struct ncol *col, const json_t *v)
{
	if (col->num == 1 && json_is_integer(v))
		worksheet_write_number(ws, row, c, (double)json_integer_value(v), f->num);
	else if (col->num == 2 && json_is_number(v))
		worksheet_write_number(ws, row, c, json_number_value(v) / 100.0, f->pct);
	else if (col->num == 2)
		worksheet_write_string(ws, row, c, "—", f->cell);
	else if (!strcmp(col->key, "status_at_end"))
		worksheet_write_string(ws, row, c, !strcmp(json_string_value(v) ? json_string_value(v) : "", "overdue")
							   ? "逾期未整改" : "待整改", f->cell);
	else
		worksheet_write_string(ws, row, c, json_is_string(v) ? json_string_value(v) : "", f->cell);
}

/* A table from row `top`: header, rows; returns the next free row. */
static int xtable(lxw_worksheet *ws, const struct xf *f, int top, const struct ncol *cols, int n, const json_t *rows)
{
	size_t i;
	json_t *r;
	for (int c = 0; c < n; c++) {
		worksheet_set_column(ws, c, c, cols[c].width, NULL);
		worksheet_write_string(ws, top, c, cols[c].head, f->head);
	}
	json_array_foreach(rows, i, r)
		for (int c = 0; c < n; c++)
			xcell(ws, f, top + 1 + (int)i, c, &cols[c], json_object_get(r, cols[c].key));
	return top + 1 + (int)json_array_size(rows);
}

static void page_setup(lxw_worksheet *ws, int repeat_row)
{
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);   /* A4 */
	worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
	worksheet_repeat_rows(ws, repeat_row, repeat_row);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
}

static void notice_sheet(lxw_workbook *wb, const struct xf *f, const json_t *n)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "通报");
	char t[256];
	int last = NGROUP_COLS - 1, row;
	worksheet_merge_range(ws, 0, 0, 0, last, LETTERHEAD, f->letter);
	worksheet_set_row(ws, 0, 36, NULL);
	snprintf(t, sizeof t, "%s（%s）", NOTICE_TITLE, json_get_str(n, "period", ""));
	worksheet_merge_range(ws, 1, 0, 1, last, t, f->title);
	snprintf(t, sizeof t, "统计期间：%s 至 %s　　生成时间：%s　　整改期限：请于 %s 前完成期末未整改问题的整改",
		 json_get_str(n, "from", ""), json_get_str(n, "to", ""), json_get_str(n, "generated_at", ""),
		 json_get_str(n, "deadline", ""));
	worksheet_merge_range(ws, 2, 0, 2, last, t, f->sub);
	json_t *rows = json_deep_copy(json_object_get(n, "groups"));
	json_t *tot = json_deep_copy(json_object_get(n, "totals"));
	json_object_set_new(tot, "district_name", json_string("合计"));
	json_object_set_new(tot, "department_name", json_string(""));
	json_array_append_new(rows, tot);
	row = xtable(ws, f, 4, group_cols, NGROUP_COLS, rows);
	json_decref(rows);
	worksheet_merge_range(ws, row + 1, 0, row + 1, last, "指标说明", f->head);
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(n, "definitions"), i, d) {
		worksheet_merge_range(ws, row + 2 + (int)i, 0, row + 2 + (int)i, last, json_string_value(d), f->note);
		worksheet_set_row(ws, row + 2 + (int)i, 18, NULL);
	}
	worksheet_freeze_panes(ws, 5, 0);
	page_setup(ws, 4);
}

static int xlsx_file(const json_t *n, const char *path, struct err *e)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return err_set(e, ERR_INTERNAL, "output", "无法创建工作簿 %s", path);
	struct xf f;
	lxw_format **all[] = {&f.letter, &f.title, &f.sub, &f.head, &f.cell, &f.num, &f.pct, &f.note};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		*all[i] = workbook_add_format(wb);
	format_set_bold(f.letter);
	format_set_font_size(f.letter, 20);
	format_set_font_color(f.letter, LXW_COLOR_RED);
	format_set_align(f.letter, LXW_ALIGN_CENTER);
	format_set_bottom(f.letter, LXW_BORDER_DOUBLE);
	format_set_bottom_color(f.letter, LXW_COLOR_RED);
	format_set_bold(f.title);
	format_set_font_size(f.title, 15);
	format_set_align(f.title, LXW_ALIGN_CENTER);
	format_set_align(f.sub, LXW_ALIGN_CENTER);
	format_set_bold(f.head);
	format_set_bg_color(f.head, 0xDDEBF7);
	format_set_border(f.head, LXW_BORDER_THIN);
	format_set_text_wrap(f.head);
	lxw_format *bordered[] = {f.cell, f.num, f.pct};
	for (int i = 0; i < 3; i++) {
		format_set_border(bordered[i], LXW_BORDER_THIN);
		format_set_align(bordered[i], LXW_ALIGN_VERTICAL_TOP);
	}
	format_set_text_wrap(f.cell);
	format_set_num_format(f.num, "0");
	format_set_num_format(f.pct, "0.0%");
	format_set_text_wrap(f.note);
	workbook_set_properties(wb, &(lxw_doc_properties){.title = NOTICE_TITLE, .author = "gonggai",
							  .company = LETTERHEAD});
	notice_sheet(wb, &f, n);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "按规则");
	xtable(ws, &f, 0, rule_cols, 7, json_object_get(n, "by_rule"));
	worksheet_freeze_panes(ws, 1, 0);
	page_setup(ws, 0);
	ws = workbook_add_worksheet(wb, "未整改问题清单");
	xtable(ws, &f, 0, open_cols, 9, json_object_get(n, "open"));
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, (int)json_array_size(json_object_get(n, "open")), 8);
	page_setup(ws, 0);
	lxw_error rc = workbook_close(wb);
	if (rc != LXW_NO_ERROR)
		return err_set(e, ERR_INTERNAL, "output", "写入工作簿失败: %s", lxw_strerror(rc));
	return 0;
}

int quality_notice_xlsx(const json_t *notice, char **data, size_t *len, struct err *e)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/gonggai-notice-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(e, ERR_INTERNAL, "output", "无法创建临时文件 (mkstemp)");
	close(fd);
	int rc = xlsx_file(notice, path, e);
	FILE *fp = rc ? NULL : fopen(path, "rb");
	*data = NULL;
	if (!rc && !fp)
		rc = err_set(e, ERR_INTERNAL, "output", "无法读取临时文件");
	if (fp) {
		fseek(fp, 0, SEEK_END);
		long sz = ftell(fp);
		rewind(fp);
		*data = sz > 0 ? malloc((size_t)sz) : NULL;
		if (!*data || fread(*data, 1, (size_t)sz, fp) != (size_t)sz) {
			free(*data);
			*data = NULL;
			rc = err_set(e, ERR_INTERNAL, "output", "读取临时文件失败");
		} else {
			*len = (size_t)sz;
		}
		fclose(fp);
	}
	unlink(path);
	return rc;
}

static void htable(struct buf *b, const struct ncol *cols, int n, const json_t *rows)
{
	size_t i;
	json_t *r;
	buf_puts(b, "<table><thead><tr>");
	for (int c = 0; c < n; c++) {
		buf_puts(b, "<th>");
		buf_html(b, cols[c].head);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead><tbody>\n");
	json_array_foreach(rows, i, r) {
		buf_puts(b, "<tr>");
		for (int c = 0; c < n; c++) {
			const json_t *v = json_object_get(r, cols[c].key);
			buf_puts(b, cols[c].num ? "<td class=n>" : "<td>");
			if (cols[c].num == 2 && json_is_number(v))
				buf_printf(b, "%.1f%%", json_number_value(v));
			else if (cols[c].num && json_is_integer(v))
				buf_int(b, json_integer_value(v));
			else if (cols[c].num)
				buf_puts(b, "—");
			else
				buf_html(b, json_is_string(v) ? json_string_value(v) : "");
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody></table>\n");
}

int quality_notice_html(const json_t *n, char **html, struct err *e)
{
	struct buf b = {0};
	size_t i;
	json_t *d;
	buf_puts(&b, "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>" NOTICE_TITLE "</title><style>"
		     "@page{size:A4 landscape;margin:12mm}body{font-family:'Noto Sans CJK SC',sans-serif;font-size:10pt}"
		     "h1{color:#c00;text-align:center;font-size:22pt;border-bottom:3px double #c00;padding-bottom:6px}"
		     "h2{text-align:center;font-size:15pt}.sub{text-align:center}table{border-collapse:collapse;width:100%;"
		     "margin:8px 0}th,td{border:1px solid #999;padding:3px 5px}th{background:#ddebf7}td.n{text-align:right}"
		     "thead{display:table-header-group}tr{page-break-inside:avoid}</style>\n<h1>" LETTERHEAD "</h1>\n<h2>"
		     NOTICE_TITLE "（");
	buf_html(&b, json_get_str(n, "period", ""));
	buf_puts(&b, "）</h2>\n<p class=sub>统计期间：");
	buf_html(&b, json_get_str(n, "from", ""));
	buf_puts(&b, " 至 ");
	buf_html(&b, json_get_str(n, "to", ""));
	buf_puts(&b, "　生成时间：");
	buf_html(&b, json_get_str(n, "generated_at", ""));
	buf_puts(&b, "　整改期限：请于 <b>");
	buf_html(&b, json_get_str(n, "deadline", ""));
	buf_puts(&b, "</b> 前完成期末未整改问题的整改</p>\n");
	json_t *rows = json_deep_copy(json_object_get(n, "groups"));
	json_t *tot = json_deep_copy(json_object_get(n, "totals"));
	json_object_set_new(tot, "district_name", json_string("合计"));
	json_array_append_new(rows, tot);
	htable(&b, group_cols, NGROUP_COLS, rows);
	json_decref(rows);
	buf_puts(&b, "<h3>指标说明</h3><ol>");
	json_array_foreach(json_object_get(n, "definitions"), i, d) {
		buf_puts(&b, "<li>");
		buf_html(&b, json_string_value(d));
		buf_puts(&b, "</li>");
	}
	buf_puts(&b, "</ol>\n<h3>按规则统计</h3>\n");
	htable(&b, rule_cols, 7, json_object_get(n, "by_rule"));
	buf_puts(&b, "<h3>未整改问题清单</h3>\n");
	htable(&b, open_cols, 9, json_object_get(n, "open"));
	buf_puts(&b, "</html>\n");
	if (!b.data)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	*html = b.data;
	return 0;
}
