/*
** stats.c: counts, every derived rate and average, groupings and names
** (see stats.h). The column table below is the single list every output
** (JSON, CSV, terminal table, XLSX) walks, so a heading or a definition
** changes in one place. docs/api.md (统计) defines each column in words.
*/
#include "stats/stats.h"
#include "approval/case.h"

#include <string.h>

static const char *const count_keys[SC_COUNT] = {
	"received", "accepted", "refused", "concluded", "approved", "approved_tol", "denied",
	"cancelled", "withdrawn", "revoked", "overdue_done", "running", "warning",
	"overdue_running", "supplemented", "special", "coh_accepted", "coh_concluded",
	"coh_refused", "coh_overdue", "parallel_cases", "parallel_instances",
	"acceptance_items", "acceptance_passed", "joint_acceptances", "joint_passed",
	"wd_used_sum", "nd_used_sum", "limit_sum", "paused_sum",
};

const char *stats_count_key(int i)
{
	return i >= 0 && i < SC_COUNT ? count_keys[i] : "";
}

void stats_counts_zero(struct stats_counts *c)
{
	memset(c, 0, sizeof *c);
	c->wd_min = c->wd_max = c->wd_p90 = -1;
}

void stats_counts_add(struct stats_counts *dst, const struct stats_counts *src)
{
	for (int i = 0; i < SC_COUNT; i++)
		dst->n[i] += src->n[i];
}

void stats_hist_feed(struct stats_counts *c, int64_t wd, int64_t n)
{
	if (n <= 0)
		return;
	if (c->hist_n == 0)
		c->wd_min = wd;
	c->wd_max = wd;
	c->hist_n += n;
	/* nearest rank: the first value whose cumulative count reaches
	** ceil(0.9 * total), i.e. 10 * cum >= 9 * total */
	if (c->wd_p90 < 0 && 10 * c->hist_n >= 9 * c->n[SC_CONCLUDED])
		c->wd_p90 = wd;
}

/* ---- columns ------------------------------------------------------------- */

/* Derived columns follow the counts; their index in out[] is SC_COUNT + k. */
enum derived {
	D_ACCEPT_RATE = 0, D_CONCLUDE_RATE, D_OVERDUE_RATE, D_ONTIME_RATE, D_ABNORMAL_RATE,
	D_ACC_PASS_RATE, D_JOINT_PASS_RATE, D_AVG_WD, D_AVG_ND, D_AVG_LIMIT, D_USED_VS_LIMIT,
	D_P90_WD, D_MAX_WD, D_MIN_WD, D_AVG_PAUSED, D_COUNT
};

static const struct stats_column columns[SC_COUNT + D_COUNT] = {
	{"received", "接件数", SV_COUNT, 1},
	{"accepted", "受理数", SV_COUNT, 1},
	{"refused", "不予受理数", SV_COUNT, 1},
	{"concluded", "办结数", SV_COUNT, 1},
	{"approved", "办结(通过)", SV_COUNT, 0},
	{"approved_tol", "办结(容缺通过)", SV_COUNT, 0},
	{"denied", "办结(不通过)", SV_COUNT, 0},
	{"cancelled", "撤件数", SV_COUNT, 0},
	{"withdrawn", "撤回数", SV_COUNT, 0},
	{"revoked", "撤销数", SV_COUNT, 0},
	{"overdue_done", "逾期办结数", SV_COUNT, 1},
	{"running", "在办数", SV_COUNT, 1},
	{"warning", "预警数", SV_COUNT, 1},
	{"overdue_running", "逾期在办数", SV_COUNT, 1},
	{"supplemented", "补正数", SV_COUNT, 0},
	{"special", "特别程序数", SV_COUNT, 0},
	{"coh_accepted", "当期接件已受理", SV_COUNT, 0},
	{"coh_concluded", "当期接件已办结", SV_COUNT, 0},
	{"coh_refused", "当期接件不予受理", SV_COUNT, 0},
	{"coh_overdue", "当期接件逾期", SV_COUNT, 0},
	{"parallel_cases", "并联办件数", SV_COUNT, 0},
	{"parallel_instances", "并联审批实例数", SV_COUNT, 0},
	{"acceptance_items", "验收事项办结数", SV_COUNT, 0},
	{"acceptance_passed", "验收通过数", SV_COUNT, 0},
	{"joint_acceptances", "联合验收数", SV_COUNT, 0},
	{"joint_passed", "联合验收通过数", SV_COUNT, 0},
	{"wd_used_sum", "用时合计(工作日)", SV_COUNT, 0},
	{"nd_used_sum", "用时合计(自然日)", SV_COUNT, 0},
	{"limit_sum", "承诺时限合计(工作日)", SV_COUNT, 0},
	{"paused_sum", "暂停合计(工作日)", SV_COUNT, 0},
	[SC_COUNT + D_ACCEPT_RATE] = {"accept_rate", "受理率", SV_RATE, 1},
	[SC_COUNT + D_CONCLUDE_RATE] = {"conclude_rate", "办结率", SV_RATE, 1},
	[SC_COUNT + D_OVERDUE_RATE] = {"overdue_rate", "逾期率", SV_RATE, 0},
	[SC_COUNT + D_ONTIME_RATE] = {"ontime_rate", "按时办结率", SV_RATE, 1},
	[SC_COUNT + D_ABNORMAL_RATE] = {"abnormal_rate", "异常率", SV_RATE, 0},
	[SC_COUNT + D_ACC_PASS_RATE] = {"acceptance_pass_rate", "验收通过率", SV_RATE, 0},
	[SC_COUNT + D_JOINT_PASS_RATE] = {"joint_pass_rate", "联合验收通过率", SV_RATE, 0},
	[SC_COUNT + D_AVG_WD] = {"avg_wd_used", "平均用时(工作日)", SV_DAYS, 1},
	[SC_COUNT + D_AVG_ND] = {"avg_nd_used", "平均用时(自然日)", SV_DAYS, 0},
	[SC_COUNT + D_AVG_LIMIT] = {"avg_limit", "平均承诺时限(工作日)", SV_DAYS, 0},
	[SC_COUNT + D_USED_VS_LIMIT] = {"used_vs_limit", "用时/承诺时限", SV_RATIO, 0},
	[SC_COUNT + D_P90_WD] = {"p90_wd_used", "P90用时(工作日)", SV_COUNT, 0},
	[SC_COUNT + D_MAX_WD] = {"max_wd_used", "最长用时(工作日)", SV_COUNT, 0},
	[SC_COUNT + D_MIN_WD] = {"min_wd_used", "最短用时(工作日)", SV_COUNT, 0},
	[SC_COUNT + D_AVG_PAUSED] = {"avg_paused", "平均暂停(工作日)", SV_DAYS, 0},
};

size_t stats_column_count(void)
{
	return sizeof columns / sizeof columns[0];
}

const struct stats_column *stats_column(size_t i)
{
	return i < stats_column_count() ? &columns[i] : NULL;
}

int stats_column_find(const char *key)
{
	for (size_t i = 0; i < stats_column_count(); i++)
		if (strcmp(columns[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* The one division of the program: null when the denominator is 0. */
static double ratio(int64_t num, int64_t den)
{
	return den == 0 ? STATS_NULL : (double)num / (double)den;
}

static double opt(int64_t v)
{
	return v < 0 ? STATS_NULL : (double)v;
}

void stats_values(const struct stats_counts *c, double *out)
{
	const int64_t *n = c->n;
	for (int i = 0; i < SC_COUNT; i++)
		out[i] = (double)n[i];
	double *d = out + SC_COUNT;
	d[D_ACCEPT_RATE] = ratio(n[SC_COH_ACCEPTED], n[SC_RECEIVED]);
	d[D_CONCLUDE_RATE] = ratio(n[SC_COH_CONCLUDED], n[SC_COH_ACCEPTED]);
	d[D_OVERDUE_RATE] = ratio(n[SC_OVERDUE_DONE], n[SC_CONCLUDED]);
	d[D_ONTIME_RATE] = n[SC_CONCLUDED] == 0 ? STATS_NULL
		: ratio(n[SC_CONCLUDED] - n[SC_OVERDUE_DONE], n[SC_CONCLUDED]);
	d[D_ABNORMAL_RATE] = ratio(n[SC_COH_REFUSED] + n[SC_COH_OVERDUE], n[SC_RECEIVED]);
	d[D_ACC_PASS_RATE] = ratio(n[SC_ACC_PASSED], n[SC_ACC_ITEMS]);
	d[D_JOINT_PASS_RATE] = ratio(n[SC_JOINT_PASSED], n[SC_JOINT]);
	d[D_AVG_WD] = ratio(n[SC_WD_SUM], n[SC_CONCLUDED]);
	d[D_AVG_ND] = ratio(n[SC_ND_SUM], n[SC_CONCLUDED]);
	d[D_AVG_LIMIT] = ratio(n[SC_LIMIT_SUM], n[SC_CONCLUDED]);
	d[D_USED_VS_LIMIT] = ratio(n[SC_WD_SUM], n[SC_LIMIT_SUM]);
	d[D_P90_WD] = opt(c->wd_p90);
	d[D_MAX_WD] = opt(c->wd_max);
	d[D_MIN_WD] = opt(c->wd_min);
	d[D_AVG_PAUSED] = ratio(n[SC_PAUSED_SUM], n[SC_CONCLUDED]);
}

double stats_change(double cur, double base)
{
	if (stats_is_null(cur) || stats_is_null(base) || base == 0)
		return STATS_NULL;
	return (cur - base) / base;
}

double stats_diff(double cur, double base)
{
	if (stats_is_null(cur) || stats_is_null(base))
		return STATS_NULL;
	return cur - base;
}

/* ---- groupings and names ------------------------------------------------- */

static const char *const group_names[SG_COUNT] = {"district", "department", "item", "stage", "flow-type"};
static const char *const group_labels[SG_COUNT] = {"区县", "部门", "事项", "阶段", "项目类型"};

/* The same words for the web (GET /api/dict): stats.group, stats.period. */
static const struct dict_entry groups[] = {
	{"district", "区县"}, {"department", "部门"}, {"item", "事项"}, {"stage", "阶段"}, {"flow-type", "项目类型"},
	{NULL, NULL}};
static const struct dict_entry periods[] = {
	{"day", "日"}, {"month", "月"}, {"quarter", "季度"}, {"year", "年"}, {"range", "自定义"}, {NULL, NULL}};
const struct dict stats_dicts[] = {{"stats.group", groups}, {"stats.period", periods}, {NULL, NULL}};

const char *stats_group_name(int g)
{
	return g >= 0 && g < SG_COUNT ? group_names[g] : "";
}

const char *stats_group_label(int g)
{
	return g >= 0 && g < SG_COUNT ? group_labels[g] : "";
}

int stats_group_parse(const char *s)
{
	for (int g = 0; s && g < SG_COUNT; g++)
		if (strcmp(s, group_names[g]) == 0)
			return g;
	return -1;
}

const char *stats_stage_name(int stage)
{
	static const char *const names[] = {
		"", "立项用地规划许可", "工程建设许可", "施工许可", "竣工验收", "并行推进",
	};
	return stage >= 1 && stage <= 5 ? names[stage] : "";
}

/* SPLCLX, domain.md §2 (the targets: case_project_target). */
static const struct {
	const char *name;
} flow_types[] = {
	{""}, {"政府投资房屋建筑"}, {"政府投资线性工程"}, {"一般社会投资"}, {"小型社会投资"}, {"带方案出让用地"},
	{"工业"}, {"交通"}, {"水利"}, {"能源"}, {"其他"},
};

const char *stats_flow_type_name(int t)
{
	return t >= 1 && t <= 10 ? flow_types[t].name : "";
}

int stats_flow_type_target(int t)
{
	return case_project_target(t);     /* the project clock's, defined once */
}

static const char *const light_names[] = {"none", "green", "yellow", "red"};

const char *stats_light_name(int light)
{
	return light >= 0 && light <= SL_RED ? light_names[light] : "";
}

int stats_light_parse(const char *s)
{
	for (int i = 0; s && i <= SL_RED; i++)
		if (strcmp(s, light_names[i]) == 0)
			return i;
	return -1;
}

/* ---- whole projects ---------------------------------------------------------- */

void stats_flow_init(struct stats_flow_row *f, int t, int64_t projects)
{
	memset(f, 0, sizeof *f);
	f->flow_type = t;
	f->target = stats_flow_type_target(t);
	f->projects = projects;
	f->elapsed_max = f->elapsed_p90 = -1;
}

void stats_flow_feed(struct stats_flow_row *f, int64_t elapsed, int64_t n)
{
	if (n <= 0)
		return;
	f->fed += n;
	f->elapsed_sum += elapsed * n;
	f->elapsed_max = elapsed;
	if (f->target > 0 && elapsed <= f->target)
		f->within += n;
	if (f->elapsed_p90 < 0 && 10 * f->fed >= 9 * f->projects)
		f->elapsed_p90 = elapsed;
}

void stats_flow_values(const struct stats_flow_row *f, double *avg_elapsed, double *within_rate)
{
	*avg_elapsed = ratio(f->elapsed_sum, f->projects);
	*within_rate = f->target > 0 ? ratio(f->within, f->projects) : STATS_NULL;
}
