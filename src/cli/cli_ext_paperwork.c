/*
** cli_ext_paperwork.c: the sections of the O&M reports (paperwork.h), one
** provider per module's records, registered by cli_ext_paperwork. Each
** fill asks the owning module (ops, desk, quality, archive) for the
** figures of [from, to) as the system itself (all roles; pw_build has
** checked the reader).
*/
#include "cli/cli_ext.h"
#include "base/clock.h"
#include "ops/report.h"

#include <stdio.h>
#include <string.h>

#define PAGE 200

static void reader(struct principal *p)
{
	rbac_cli_principal(p);
	snprintf(p->username, sizeof p->username, "%s", "paperwork");
}

/* Whether v (epoch seconds, "YYYY-MM-DD" or an ISO time in +08:00) lies in [from, to). */
static int in_range(json_t *v, int64_t from, int64_t to)
{
	if (json_is_integer(v))
		return json_integer_value(v) >= from && json_integer_value(v) < to;
	if (!json_is_string(v))
		return 0;
	char t[24], f[24], u[24];
	snprintf(t, sizeof t, "%s", json_string_value(v));
	if (strlen(t) == 10)
		snprintf(t + 10, sizeof t - 10, " 00:00:00");
	if (strlen(t) > 10)
		t[10] = ' ';
	t[19] = 0;
	clock_cn_datetime(from, f);
	clock_cn_datetime(to, u);
	return strcmp(t, f) >= 0 && strcmp(t, u) < 0;
}

static json_t *item(const char *label, json_t *value, const char *unit)
{
	return json_pack("{s:s,s:o,s:s}", "label", label, "value", value, "unit", unit);
}

static json_t *table(const char *title, const char *const cols[][2], json_t *rows)
{
	json_t *c = json_array();
	for (int i = 0; cols[i][0]; i++)
		json_array_append_new(c, json_pack("{s:s,s:s}", "key", cols[i][0], "head", cols[i][1]));
	return json_pack("{s:s,s:o,s:o}", "title", title, "columns", c, "rows", rows);
}

/* part/whole in percent with two decimals; null when nothing was counted. */
static json_t *pct(int64_t part, int64_t whole)
{
	return whole ? json_real((double)(part * 10000 / whole) / 100.0) : json_null();
}

/* ---- 故障处理 (desk tickets) ------------------------------------------------------------ */

static json_t *clock_met(json_t *sla, const char *clock)
{
	json_t *m = json_object_get(json_object_get(sla, clock), "met");
	return json_is_boolean(m) ? json_string(json_is_true(m) ? "达标" : "超时") : json_string("—");
}

typedef int (*ticket_fn)(void *arg, json_t *ticket, struct err *e);

/* fn for every ticket reported in [from, to), as desk_ticket_list gives it. */
static int each_ticket(const struct desk_conf *cf, struct store *st, int64_t from, int64_t to, ticket_fn fn,
		       void *arg, struct err *e)
{
	struct desk_filter f = {.from = from, .to = to};
	struct principal who;
	json_t *items, *t;
	int64_t total = 0, n = 0;
	reader(&who);
	for (int page = 1; n < total || page == 1; page++) {
		size_t i;
		if (desk_ticket_list(st, cf, &who, clock_now(NULL), &f, 0, &(struct page){page, PAGE}, &items, &total,
				     e))
			return e->code;
		json_array_foreach(items, i, t) {
			if (fn(arg, t, e)) {
				json_decref(items);
				return e->code;
			}
			n++;
		}
		size_t got = json_array_size(items);
		json_decref(items);
		if (!got)
			break;
	}
	return 0;
}

static const char *report_kind(int level)
{
	return level == 1 ? "重大事件故障报告" : "故障处理报告";
}

struct ticket_tally {
	json_t *rows;
	int64_t n, lv[4], resp, resp_met, res, res_met;
};

static int ticket_row(void *arg, json_t *t, struct err *e)
{
	struct ticket_tally *x = arg;
	json_t *sla = json_object_get(t, "sla");
	int level = (int)json_integer_value(json_object_get(t, "level"));
	int64_t id = json_integer_value(json_object_get(t, "id"));
	json_t *r = json_object_get(json_object_get(sla, "response"), "met");
	json_t *s = json_object_get(json_object_get(sla, "resolution"), "met");
	x->lv[level >= 1 && level <= 3 ? level : 0]++;
	x->resp += json_is_boolean(r);
	x->resp_met += json_is_true(r);
	x->res += json_is_boolean(s);
	x->res_met += json_is_true(s);
	json_array_append_new(x->rows, json_pack("{s:I,s:i,s:O,s:O,s:O,s:o,s:o,s:s,s:o}", "id", (json_int_t)id, "level",
						 level, "title", json_object_get(t, "title"), "status",
						 json_object_get(t, "status_label"), "reported_at",
						 json_object_get(t, "reported_at"), "response", clock_met(sla, "response"),
						 "resolution", clock_met(sla, "resolution"), "report_kind",
						 report_kind(level), "report",
						 json_sprintf("/api/desk/tickets/%lld/report", (long long)id)));
	x->n++;
	(void)e;
	return 0;
}

static int tickets_fill(void *ctx, struct store *st, int64_t from, int64_t to, json_t **out, struct err *e)
{
	struct ticket_tally x = {.rows = json_array()};
	if (each_ticket(ctx, st, from, to, ticket_row, &x, e)) {
		json_decref(x.rows);
		return e->code;
	}
	static const char *const cols[][2] = {{"id", "工单号"}, {"level", "级别"}, {"title", "标题"}, {"status", "状态"},
					      {"reported_at", "报障时间"}, {"response", "响应"}, {"resolution", "解决"},
					      {"report_kind", "报告"}, {"report", "报告地址"}, {NULL, NULL}};
	*out = json_pack("{s:[o,o,o,o,o,o],s:[o],s:[s]}", "summary", item("故障工单", json_integer(x.n), "件"),
			 item("一级", json_integer(x.lv[1]), "件"), item("二级", json_integer(x.lv[2]), "件"),
			 item("三级", json_integer(x.lv[3]), "件"), item("响应及时率", pct(x.resp_met, x.resp), "%"),
			 item("解决及时率", pct(x.res_met, x.res), "%"), "tables",
			 table("故障工单及故障处理报告", cols, x.rows), "notes",
			 "每张工单的故障处理报告（一级为重大事件故障报告）见报告地址；及时率按已计时结束的时钟统计。");
	return 0;
}

/* ---- 故障处理报告 / 重大事件故障报告, collected ------------------------------------------- */

struct report_tally {
	struct store *st;
	const struct desk_conf *cf;
	json_t *rows;
	int64_t reports, major, rca, concluded;
};

static const char *text_or(json_t *t, const char *key, const char *none)
{
	const char *v = json_string_value(json_object_get(t, key));
	return v && *v ? v : none;
}

/* The conclusions of one ticket's report (desk_ticket_show: what the report prints). */
static int report_row(void *arg, json_t *listed, struct err *e)
{
	struct report_tally *x = arg;
	struct principal who;
	json_t *t;
	reader(&who);
	if (desk_ticket_show(x->st, x->cf, &who, clock_now(NULL), json_integer_value(json_object_get(listed, "id")), &t,
			     e))
		return e->code;
	int level = (int)json_integer_value(json_object_get(t, "level"));
	int64_t id = json_integer_value(json_object_get(t, "id"));
	int major = level == 1, has_rca = major && json_string_length(json_object_get(t, "rca"));
	x->reports += !major;
	x->major += major;
	x->rca += has_rca;
	x->concluded += json_string_length(json_object_get(t, "cause")) && json_string_length(json_object_get(t, "fix"));
	json_array_append_new(x->rows, json_pack("{s:I,s:s,s:O,s:O,s:O,s:O,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)id,
						 "report_kind", report_kind(level), "level",
						 json_object_get(t, "level_label"), "title", json_object_get(t, "title"),
						 "status", json_object_get(t, "status_label"), "reported_at",
						 json_object_get(t, "reported_at"), "cause", text_or(t, "cause", "（未填写）"),
						 "fix", text_or(t, "fix", "（未填写）"), "prevention",
						 text_or(t, "prevention", "（未填写）"), "rca",
						 major ? text_or(t, "rca", "（未提交）") : "—", "report",
						 json_sprintf("/api/desk/tickets/%lld/report", (long long)id)));
	json_decref(t);
	return 0;
}

static int reports_fill(void *ctx, struct store *st, int64_t from, int64_t to, json_t **out, struct err *e)
{
	struct report_tally x = {.st = st, .cf = ctx, .rows = json_array()};
	if (each_ticket(ctx, st, from, to, report_row, &x, e)) {
		json_decref(x.rows);
		return e->code;
	}
	static const char *const cols[][2] = {{"id", "工单号"}, {"report_kind", "报告"}, {"level", "级别"},
					      {"title", "标题"}, {"status", "状态"}, {"reported_at", "报障时间"},
					      {"cause", "故障原因"}, {"fix", "处理措施"}, {"prevention", "预防措施"},
					      {"rca", "根本原因与处理对策"}, {"report", "报告全文地址"}, {NULL, NULL}};
	*out = json_pack("{s:[o,o,o,o],s:[o],s:[s]}", "summary", item("故障处理报告", json_integer(x.reports), "份"),
			 item("重大事件故障报告", json_integer(x.major), "份"),
			 item("已提交根本原因分析", json_integer(x.rca), "份"),
			 item("原因与处理已填写", json_integer(x.concluded), "份"), "tables",
			 table("故障处理报告汇编", cols, x.rows), "notes",
			 "本期每张故障工单的故障处理报告（一级为重大事件故障报告，须在解决后 24 小时内提交根本原因分析）"
			 "的结论部分收录于此；报告全文（时限、处理经过、签字栏）按报告全文地址打印。");
	return 0;
}

/* ---- the other services of 第一条 (desk records listed by period) ----------------------- */

typedef int (*list_fn)(struct store *st, const struct principal *who, const struct page *pg, json_t **items,
		       int64_t *total, struct err *e);

struct listing {
	list_fn list;
	const char *time_key;         /* the record's time, filtered to [from, to) */
	const char *count_label, *unit;
	const char *sum_key, *sum_label, *sum_unit;   /* NULL: no sum            */
	const char *done_key, *done_value, *done_label;   /* NULL: no count by status */
	const char *title;
	const char *const cols[8][2];
};

static int requests(struct store *st, const struct principal *who, const struct page *pg, json_t **items,
		    int64_t *total, struct err *e)
{
	return desk_request_list(st, who, NULL, NULL, 0, pg, items, total, e);
}

static int consults(struct store *st, const struct principal *who, const struct page *pg, json_t **items,
		    int64_t *total, struct err *e)
{
	return desk_consult_list(st, who, NULL, pg, items, total, e);
}

static const struct listing listings[] = {
	{requests, "created_at", "受理需求", "项", NULL, NULL, NULL, "status", "delivered", "已交付", "需求受理记录",
	 {{"id", "编号"}, {"kind", "类别"}, {"title", "需求"}, {"unit", "提出单位"}, {"status", "状态"}, {NULL, NULL}}},
	{consults, "at", "技术咨询", "次", "minutes", "处理时长", "分钟", NULL, NULL, NULL, "技术咨询记录",
	 {{"id", "编号"}, {"caller", "咨询人"}, {"unit", "单位"}, {"channel", "渠道"}, {"question", "问题"},
	  {"answer", "解答"}, {NULL, NULL}}},
	{desk_training_list, "day", "培训场次", "次", "hours", "培训学时", "小时", NULL, NULL, NULL, "培训记录",
	 {{"day", "日期"}, {"topic", "主题"}, {"trainer", "讲师"}, {"hours", "学时"}, {"attendees", "参训人员"},
	  {NULL, NULL}}},
	{desk_drill_list, "started_at", "应急演练", "次", NULL, NULL, NULL, "status", "OK", "恢复演练通过", "应急演练记录",
	 {{"plan_name", "预案"}, {"started_at", "开始"}, {"participants", "参加人员"}, {"problems", "发现问题"},
	  {"status", "结果"}, {NULL, NULL}}},
	{desk_visit_list, "day", "回访次数", "次", "score_quality", "服务质量评分合计", "分", NULL, NULL, NULL, "回访记录",
	 {{"day", "日期"}, {"unit", "单位"}, {"contact", "联系人"}, {"score_response", "响应"},
	  {"score_quality", "质量"}, {"score_attitude", "态度"}, {"comments", "意见"}, {NULL, NULL}}},
};

/* Epoch times become readable dates in the rows of a listing. */
static json_t *readable(json_t *r)
{
	const char *k;
	json_t *v, *out = json_deep_copy(r);
	char t[24];
	json_object_foreach(out, k, v)
		if (json_is_integer(v) && json_integer_value(v) > 946684800 &&
		    (strstr(k, "_at") || strcmp(k, "at") == 0))
			json_object_set_new(out, k, json_string(clock_cn_datetime(json_integer_value(v), t)));
	return out;
}

static int listing_fill(void *ctx, struct store *st, int64_t from, int64_t to, json_t **out, struct err *e)
{
	const struct listing *l = ctx;
	struct principal who;
	json_t *rows = json_array(), *items, *r;
	int64_t total = 0, seen = 0, n = 0, done = 0;
	double sum = 0;
	reader(&who);
	for (int page = 1; seen < total || page == 1; page++) {
		size_t i;
		if (l->list(st, &who, &(struct page){page, PAGE}, &items, &total, e)) {
			json_decref(rows);
			return e->code;
		}
		json_array_foreach(items, i, r) {
			seen++;
			if (!in_range(json_object_get(r, l->time_key), from, to))
				continue;
			n++;
			if (l->sum_key)
				sum += json_number_value(json_object_get(r, l->sum_key));
			if (l->done_key)
				done += json_is_string(json_object_get(r, l->done_key)) &&
					strcmp(json_string_value(json_object_get(r, l->done_key)), l->done_value) == 0;
			json_array_append_new(rows, readable(r));
		}
		size_t got = json_array_size(items);
		json_decref(items);
		if (!got)
			break;
	}
	json_t *summary = json_pack("[o]", item(l->count_label, json_integer(n), l->unit));
	if (l->sum_key)
		json_array_append_new(summary, item(l->sum_label, json_real(sum), l->sum_unit));
	if (l->done_key)
		json_array_append_new(summary, item(l->done_label, json_integer(done), l->unit));
	*out = json_pack("{s:o,s:[o]}", "summary", summary, "tables", table(l->title, l->cols, rows));
	return 0;
}

/* ---- 数据质检 -------------------------------------------------------------------------- */

static int quality_fill(void *ctx, struct store *st, int64_t from, int64_t to, json_t **out, struct err *e)
{
	struct principal who;
	json_t *rows = json_array(), *res, *r, *ov;
	int64_t total = 0, seen = 0, opened = 0, fixed = 0, runs = 0;
	size_t i;
	(void)ctx;
	reader(&who);
	for (int page = 1; seen < total || page == 1; page++) {
		if (quality_findings(st, &who, &(struct quality_filter){0}, &(struct page){page, PAGE}, &res, e)) {
			json_decref(rows);
			return e->code;
		}
		total = json_integer_value(json_object_get(res, "total"));
		json_array_foreach(json_object_get(res, "items"), i, r) {
			int o = in_range(json_object_get(r, "found_at"), from, to);
			int f = in_range(json_object_get(r, "fixed_at"), from, to);
			seen++;
			opened += o;
			fixed += f;
			if (o || f)
				json_array_append(rows, r);
		}
		size_t got = json_array_size(json_object_get(res, "items"));
		json_decref(res);
		if (!got)
			break;
	}
	for (int page = 1; page < 50; page++) {
		if (quality_runs(st, &who, &(struct page){page, PAGE}, &res, e)) {
			json_decref(rows);
			return e->code;
		}
		json_array_foreach(json_object_get(res, "items"), i, r)
			runs += in_range(json_object_get(r, "started_at"), from, to);
		size_t got = json_array_size(json_object_get(res, "items"));
		json_decref(res);
		if (got < PAGE)
			break;
	}
	if (quality_overview(st, &who, clock_now(NULL), &ov, e)) {
		json_decref(rows);
		return e->code;
	}
	static const char *const cols[][2] = {{"id", "编号"}, {"rule", "规则"}, {"severity", "级别"},
					      {"object", "对象"}, {"department", "部门"}, {"message", "问题"},
					      {"status", "状态"}, {"found_at", "发现"}, {"fixed_at", "整改完成"},
					      {NULL, NULL}};
	*out = json_pack("{s:[o,o,o,o,o,o],s:[o],s:[s]}", "summary", item("质检运行", json_integer(runs), "次"),
			 item("新发现问题", json_integer(opened), "个"), item("整改完成", json_integer(fixed), "个"),
			 item("当前未整改", json_integer(json_integer_value(json_object_get(ov, "open"))), "个"),
			 item("当前逾期", json_integer(json_integer_value(json_object_get(ov, "overdue"))), "个"),
			 item("省级退回（当前）", json_integer((json_int_t)json_array_size(json_object_get(ov, "rejected"))),
			      "类"),
			 "tables", table("本期发现或整改的问题", cols, rows), "notes",
			 "当前未整改、逾期和省级退回为生成报告时的状态。");
	json_decref(ov);
	return 0;
}

/* ---- 数据异常修复 (repair) ------------------------------------------------------------------ */

/* The 数据修复单 of the period: proposed, applied, undone or decided in it,
** newest first (repair_list pages by id, newest first). */
static int repair_fill(void *ctx, struct store *st, int64_t from, int64_t to, json_t **out, struct err *e)
{
	struct principal who;
	json_t *rows = json_array(), *res, *r;
	int64_t total = 0, seen = 0, proposed = 0, applied = 0, undone = 0, rejected = 0;
	size_t i;
	(void)ctx;
	reader(&who);
	for (int page = 1; seen < total || page == 1; page++) {
		if (repair_list(st, &who, NULL, &(struct page){page, PAGE}, &res, e)) {
			json_decref(rows);
			return e->code;
		}
		total = json_integer_value(json_object_get(res, "total"));
		json_array_foreach(json_object_get(res, "items"), i, r) {
			int p = in_range(json_object_get(r, "proposed_at"), from, to);
			int a = in_range(json_object_get(r, "applied_at"), from, to);
			int u = in_range(json_object_get(r, "undone_at"), from, to);
			const char *status = json_string_value(json_object_get(r, "status"));
			int d = in_range(json_object_get(r, "decided_at"), from, to) && status &&
				strcmp(status, "rejected") == 0;
			seen++;
			proposed += p;
			applied += a;
			undone += u;
			rejected += d;
			if (p || a || u || d)
				json_array_append_new(rows, readable(r));
		}
		size_t got = json_array_size(json_object_get(res, "items"));
		json_decref(res);
		if (!got)
			break;
	}
	static const char *const cols[][2] = {{"id", "编号"}, {"op", "操作"}, {"target", "对象"}, {"reason", "理由"},
					      {"status", "状态"}, {"proposed_by", "提出人"}, {"decided_by", "审批人"},
					      {"applied_at", "执行时间"}, {NULL, NULL}};
	*out = json_pack("{s:[o,o,o,o],s:[o],s:[s]}", "summary", item("提出修复单", json_integer(proposed), "份"),
			 item("执行修复", json_integer(applied), "份"), item("撤销修复", json_integer(undone), "份"),
			 item("驳回", json_integer(rejected), "份"), "tables", table("本期数据修复单", cols, rows), "notes",
			 "每份修复单经委办局授权（repair_approve）审批后执行，执行与撤销均保留修改前后的完整数据。");
	return 0;
}

/* ---- 运维档案: maintenance events --------------------------------------------------------- */

static int archive_fill(void *ctx, struct store *st, int64_t from, int64_t to, json_t **out, struct err *e)
{
	const struct archive_sources *src = ctx;
	struct archive_filter f = {.from = from, .to = to};
	struct principal who;
	json_t *rows = json_array(), *items, *r, *kinds = json_object(), *summary = json_array(), *v;
	int64_t total = 0, seen = 0;
	const char *k;
	reader(&who);
	for (int page = 1; seen < total || page == 1; page++) {
		size_t i;
		if (archive_list(st, src, &who, &f, clock_now(NULL), &(struct page){page, PAGE}, &items, &total, e)) {
			json_decref(rows);
			json_decref(kinds);
			json_decref(summary);
			return e->code;
		}
		json_array_foreach(items, i, r) {
			const char *label = json_string_value(json_object_get(r, "kind_label"));
			seen++;
			label = label ? label : "其他";
			json_object_set_new(kinds, label, json_integer(json_integer_value(json_object_get(kinds, label)) + 1));
			json_array_append(rows, r);
		}
		size_t got = json_array_size(items);
		json_decref(items);
		if (!got)
			break;
	}
	json_array_append_new(summary, item("维护事件", json_integer(seen), "件"));
	json_object_foreach(kinds, k, v)
		json_array_append_new(summary, item(k, json_incref(v), "件"));
	json_decref(kinds);
	static const char *const cols[][2] = {{"at", "时间"}, {"kind_label", "类别"}, {"title", "事件"},
					      {"detail", "详情"}, {"actor", "执行人"}, {NULL, NULL}};
	*out = json_pack("{s:o,s:[o]}", "summary", summary, "tables", table("运维档案", cols, rows));
	return 0;
}

/* ---- 日常巡检 and 备份 (ops) ------------------------------------------------------------------- */

static int ops_data(const struct ops_conf *cf, struct store *st, int64_t from, int64_t to, json_t **d,
		    struct err *e)
{
	struct ops_period p = {.monthly = 1, .from = from, .to = to};
	clock_cn_date(from, p.label);
	return ops_report_data(st, cf, &p, clock_now(NULL), "paperwork", d, e);
}

static json_t *summary_int(json_t *d, const char *key)
{
	return json_integer(json_integer_value(json_object_get(json_object_get(d, "summary"), key)));
}

static int inspections_fill(void *ctx, struct store *st, int64_t from, int64_t to, json_t **out, struct err *e)
{
	json_t *d, *r, *app = NULL;
	size_t i;
	if (ops_data(ctx, st, from, to, &d, e))
		return e->code;
	json_array_foreach(json_object_get(d, "availability"), i, r)
		if (strcmp(json_string_value(json_object_get(r, "item")), "app.health") == 0)
			app = json_object_get(r, "availability");
	static const char *const av[][2] = {{"item", "巡检项"}, {"title", "名称"}, {"checks", "检查次数"},
					    {"down", "不可用次数"}, {"availability", "可用率(%)"}, {NULL, NULL}};
	static const char *const fl[][2] = {{"time", "时间"}, {"item", "巡检项"}, {"result", "结果"},
					    {"message", "说明"}, {"handling", "处理情况"}, {NULL, NULL}};
	*out = json_pack("{s:[o,o,o,o,o,o],s:[o,o],s:[s]}", "summary",
			 item("应用可用率", app ? json_copy(app) : json_null(), "%"), item("巡检次数", summary_int(d, "runs"), "次"),
			 item("检查项次", summary_int(d, "checks"), "项次"), item("警告", summary_int(d, "warn"), "项次"),
			 item("严重", summary_int(d, "crit"), "项次"), item("未知", summary_int(d, "unknown"), "项次"),
			 "tables", table("接口与服务可用率", av, json_incref(json_object_get(d, "availability"))),
			 table("巡检发现的问题及处理", fl, json_incref(json_object_get(d, "failures"))), "notes",
			 "应用可用率取自巡检自探测 app.health：严重和未知计为不可用。");
	json_decref(d);
	return 0;
}

static int backups_fill(void *ctx, struct store *st, int64_t from, int64_t to, json_t **out, struct err *e)
{
	struct principal who;
	json_t *d, *drills, *r, *last = NULL;
	int64_t total;
	size_t i;
	char t[24];
	if (ops_data(ctx, st, from, to, &d, e))
		return e->code;
	reader(&who);
	if (desk_drill_list(st, &who, &(struct page){1, PAGE}, &drills, &total, e)) {
		json_decref(d);
		return e->code;
	}
	json_array_foreach(drills, i, r) {   /* newest first */
		json_t *at = json_object_get(r, "started_at");
		if (!last && strcmp(json_string_value(json_object_get(r, "source")), "ops") == 0 &&
		    strcmp(json_string_value(json_object_get(r, "status")), "OK") == 0 && json_is_integer(at) &&
		    json_integer_value(at) < to)
			last = json_string(clock_cn_datetime(json_integer_value(at), t));
	}
	json_decref(drills);
	json_t *rows = json_array();
	json_array_foreach(json_object_get(d, "backups"), i, r) {
		json_t *row = json_pack("{s:O,s:O,s:O}", "path", json_object_get(r, "path"), "integrity",
					json_object_get(r, "integrity"), "size", json_object_get(r, "size_bytes"));
		if (json_is_integer(json_object_get(r, "created_at")))
			json_object_set_new(row, "created_at", json_string(clock_cn_datetime(
								      json_integer_value(json_object_get(r, "created_at")), t)));
		json_array_append_new(rows, row);
	}
	static const char *const cols[][2] = {{"created_at", "时间"}, {"path", "文件"}, {"size", "大小(字节)"},
					      {"integrity", "完整性"}, {NULL, NULL}};
	*out = json_pack("{s:[o,o,o,o,o],s:[o]}", "summary", item("备份次数", summary_int(d, "backups"), "次"),
			 item("备份成功", summary_int(d, "backups_ok"), "次"), item("恢复演练", summary_int(d, "drills"), "次"),
			 item("恢复演练通过", summary_int(d, "drills_ok"), "次"),
			 item("最近一次成功恢复演练", last ? last : json_string("无"), ""), "tables",
			 table("备份记录", cols, rows));
	json_decref(d);
	return 0;
}

/* ---- 数据上报 (exchange) ------------------------------------------------------------------------ */

static int exchange_fill(void *ctx, struct store *st, int64_t from, int64_t to, json_t **out, struct err *e)
{
	json_t *items, *r, *status;
	int64_t total = 0, seen = 0, pushes = 0, rows = 0, failed = 0, oldest = 0, backlog = 0;
	for (int page = 1; seen < total || page == 1; page++) {
		size_t i;
		if (exchange_runs(st, &(struct page){page, PAGE}, &items, &total, e))
			return e->code;
		json_array_foreach(items, i, r) {
			seen++;
			if (!in_range(json_object_get(r, "started_at"), from, to))
				continue;
			const char *kind = json_string_value(json_object_get(r, "kind"));
			const char *state = json_string_value(json_object_get(r, "state"));
			pushes += kind && strcmp(kind, "push") == 0;
			rows += json_integer_value(json_object_get(r, "rows"));
			failed += state && strcmp(state, "failed") == 0;
		}
		size_t got = json_array_size(items);
		json_decref(items);
		if (!got)
			break;
	}
	if (exchange_backlog(st, &oldest, &backlog, e))
		return e->code;
	if (exchange_status(st, ctx, &status, e))
		return e->code;
	int64_t rejected = 0;
	size_t k;
	json_array_foreach(json_object_get(status, "tables"), k, r)
		rejected += json_integer_value(json_object_get(r, "rejected"));
	static const char *const cols[][2] = {{"table", "表"}, {"pending", "待上报"}, {"sent", "已上报"},
					      {"accepted", "已接收"}, {"rejected", "被退回"}, {NULL, NULL}};
	*out = json_pack("{s:[o,o,o,o,o],s:[o],s:[s]}", "summary", item("上报轮次", json_integer(pushes), "次"),
			 item("上报行数", json_integer(rows), "行"), item("失败轮次", json_integer(failed), "次"),
			 item("被退回（当前）", json_integer(rejected), "行"), item("待上报（当前）", json_integer(backlog), "行"),
			 "tables", table("各表上报状态（当前）", cols, json_incref(json_object_get(status, "tables"))), "notes",
			 "上报行数为本期各轮交换记录的行数；被退回、待上报为生成报告时的状态。");
	json_decref(status);
	return 0;
}

void cli_ext_paperwork(struct cli_ext *x, const struct ops_conf *ops)
{
	static const char *const titles[] = {"需求受理", "技术咨询", "培训服务", "应急演练", "定期回访"};
	static const char *const ids[] = {"desk.requests", "desk.consults", "desk.trainings", "desk.drills",
					  "desk.visits"};
	struct pw_providers *ps = &x->paperwork;
	ps->n = 0;
	pw_add(ps, &(struct pw_provider){"ops.inspections", "日常巡检与应用可用率", inspections_fill, (void *)ops});
	pw_add(ps, &(struct pw_provider){"desk.tickets", "故障处理", tickets_fill, &x->desk});
	pw_add(ps, &(struct pw_provider){"desk.reports", "故障处理报告与重大事件故障报告", reports_fill, &x->desk});
	for (int i = 0; i < 5; i++)
		pw_add(ps, &(struct pw_provider){ids[i], titles[i], listing_fill, (void *)&listings[i]});
	pw_add(ps, &(struct pw_provider){"ops.backups", "备份与恢复", backups_fill, (void *)ops});
	pw_add(ps, &(struct pw_provider){"quality", "数据质量", quality_fill, NULL});
	pw_add(ps, &(struct pw_provider){"repair", "数据异常修复", repair_fill, NULL});
	pw_add(ps, &(struct pw_provider){"exchange", "数据上报", exchange_fill, &x->exchange});
	pw_add(ps, &(struct pw_provider){"archive", "维护事件（运维档案）", archive_fill, &x->archive});
}
