/*
** business_report.c: the 办理建筑许可 figures (business.c) as a report
** document of paperwork's shape, its rendering by paperwork's writers and
** the audit row.
*/
#include "business/business.h"
#include "base/clock.h"
#include "org/audit.h"
#include "paperwork/paperwork.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE "营商环境—办理建筑许可"

static const struct dict_entry reports[] = {{"business", TITLE}, {NULL, NULL}};

const struct dict biz_dicts[] = {{"business.report", reports}, {NULL, NULL}};

static json_t *item(const char *label, json_t *value, const char *unit)
{
	return json_pack("{s:s,s:o,s:s}", "label", label, "value", value ? value : json_null(), "unit", unit);
}

static json_t *table(const char *title, const char *const cols[][2], json_t *rows)
{
	json_t *c = json_array();
	for (int i = 0; cols[i][0]; i++)
		json_array_append_new(c, json_pack("{s:s,s:s}", "key", cols[i][0], "head", cols[i][1]));
	return json_pack("{s:s,s:o,s:o}", "title", title, "columns", c, "rows", rows);
}

static json_t *get(const json_t *o, const char *k)
{
	return json_incref(json_object_get(o, k));
}

static json_t *flows_section(const json_t *f)
{
	static const char *const cols[][2] = {
		{"flow_type_name", "项目类型"}, {"target", "目标(工作日)"}, {"projects", "项目数"},
		{"within", "目标内"}, {"within_rate", "达标率(%)"}, {"median_procedures", "办理事项(中位数)"},
		{"median_workdays", "工作日(中位数)"}, {"median_natural_days", "自然日(中位数)"},
		{"median_fee_yuan", "官方收费(元,中位数)"}, {"max_workdays", "最长(工作日)"}, {NULL, NULL}};
	const json_t *all = json_object_get(f, "all");
	json_t *rows = json_deep_copy(json_object_get(f, "flow_types"));
	json_array_append_new(rows, json_deep_copy(all));
	return json_pack("{s:s,s:s,s:[o,o,o,o,o,o,o],s:[o],s:[s,s,s,s]}", "id", "business.flows", "title",
			 "按项目类型：办理事项、时间和费用", "summary", item("竣工验收项目", get(all, "projects"), "个"),
			 item("目标内完成", get(all, "within"), "个"), item("达标率", get(all, "within_rate"), "%"),
			 item("办理事项（中位数）", get(all, "median_procedures"), "项"),
			 item("工作日（中位数）", get(all, "median_workdays"), "天"),
			 item("自然日（中位数）", get(all, "median_natural_days"), "天"),
			 item("官方收费（中位数）", get(all, "median_fee_yuan"), "元"), "tables",
			 table("各项目类型", cols, rows), "notes",
			 "统计范围：报告期内完成竣工验收（第四阶段办结）的项目。",
			 "办理事项：项目截至竣工验收完成时办结（通过、容缺后补通过、不通过）的办件数。",
			 "用时：自首次申报（当日不计）至竣工验收完成的工作日（含阶段间等待），及相应自然日；"
			 "目标为省办发〔2021〕18号：政府投资类 90 个工作日、一般社会投资类 65 个工作日，其他类型无目标。",
			 "官方收费：通过的办件所用事项版本登记的收费标准之和（审批事项目录 fee）；"
			 "中位数：偶数个时取中间两数的平均。");
}

static json_t *projects_section(const json_t *f)
{
	static const char *const cols[][2] = {
		{"code", "投资项目代码"}, {"name", "项目名称"}, {"flow_type_name", "项目类型"}, {"division_name", "区县"},
		{"first_applied", "首次申报"}, {"completed", "竣工验收完成"}, {"procedures", "办理事项"},
		{"workdays", "工作日"}, {"natural_days", "自然日"}, {"fee_yuan", "官方收费(元)"},
		{"fee_unrecorded", "收费未登记(项)"}, {"target", "目标(工作日)"}, {"verdict", "是否达标"},
		{"over", "超出(工作日)"}, {NULL, NULL}};
	json_t *rows = json_deep_copy(json_object_get(f, "projects")), *r;
	size_t i;
	json_array_foreach(rows, i, r) {
		json_t *w = json_object_get(r, "within");
		json_object_set_new(r, "verdict", json_string(json_is_null(w) ? "无目标" : json_is_true(w) ? "达标" : "超时"));
	}
	return json_pack("{s:s,s:s,s:[o],s:[s]}", "id", "business.projects", "title", "竣工验收项目明细", "tables",
			 table("项目", cols, rows), "notes",
			 "超出为工作日减目标，负数为提前；收费未登记指所用事项版本在登记收费标准之前生效。");
}

static json_t *slowest_section(const json_t *f)
{
	static const char *const cols[][2] = {
		{"stage_name", "阶段"}, {"started", "申报"}, {"completed", "完成"}, {"wait_workdays", "申报前等待(工作日)"},
		{"workdays", "阶段用时(工作日)"}, {"paused_workdays", "其中补正/特别程序(工作日)"},
		{"share", "占全程(%)"}, {"items", "办理事项"}, {"longest_item", "用时最长的事项"},
		{"longest_item_workdays", "该事项(工作日)"}, {NULL, NULL}};
	json_t *tables = json_array(), *p;
	size_t i;
	json_array_foreach(json_object_get(f, "slowest"), i, p) {
		char title[600];
		json_t *target = json_object_get(p, "target");
		int n = snprintf(title, sizeof title, "%zu. %s（%s）：%lld 个工作日", i + 1,
				 json_string_value(json_object_get(p, "name")), json_string_value(json_object_get(p, "code")),
				 (long long)json_integer_value(json_object_get(p, "workdays")));
		if (json_is_integer(target) && n > 0 && (size_t)n < sizeof title)
			snprintf(title + n, sizeof title - (size_t)n, "，目标 %lld", (long long)json_integer_value(target));
		json_array_append_new(tables, table(title, cols, json_deep_copy(json_object_get(p, "stages"))));
	}
	return json_pack("{s:s,s:s,s:o,s:[s,s]}", "id", "business.slowest", "title", "用时最长的项目及各阶段用时",
			 "tables", tables, "notes",
			 "申报前等待：上一阶段完成（第一阶段为首次申报）至本阶段申报的工作日；第一至四阶段的等待与阶段用时之和等于项目工作日。",
			 "补正/特别程序：本阶段任一办件计时暂停的工作日（受理后补正和特别程序，取并集）；并行推进阶段单列，不计入全程。");
}

int biz_build(struct store *st, const struct case_env *env, const struct principal *who, int64_t from,
	      int64_t to, int64_t now, json_t **doc, struct err *e)
{
	char f[16], t[16], g[32];
	json_t *fig;
	if (!rbac_has(who, ROLE_OPS | ROLE_LEADER))
		return err_set(e, ERR_FORBIDDEN, "report", "只有运维人员和领导可以生成营商环境报告 (ops and leaders only)");
	if (biz_figures(st, env, from, to, now, &fig, e))
		return e->code;
	clock_cn_date(from, f);
	clock_cn_date(to - 1, t);
	*doc = json_pack("{s:s,s:s,s:s+++,s:s,s:s,s:s,s:s,s:[o,o,o],s:o}", "kind", "business", "title", TITLE,
			 "period", f, " 至 ", t, "", "from", f, "to", t, "generated_at", clock_cn_datetime(now, g),
			 "generated_by", who->username, "sections", flows_section(fig), projects_section(fig),
			 slowest_section(fig), "figures", fig);
	return *doc ? 0 : err_set(e, ERR_INTERNAL, "", "out of memory");
}

int biz_render(struct store *st, const struct case_env *env, const struct principal *who, int64_t from,
	       int64_t to, int64_t now, int format, const char *path, char **body, size_t *len, struct err *e)
{
	static const char *const fmts[] = {"", "xlsx", "html", "json"};
	json_t *doc;
	assert(format >= PW_XLSX && format <= PW_JSON);
	if (format == PW_XLSX && !path)
		return err_set(e, ERR_INVALID, "output", "XLSX 需要输出文件 (xlsx needs a file)");
	if (body)
		*body = NULL;
	if (biz_build(st, env, who, from, to, now, &doc, e))
		return e->code;
	int rc = pw_write(doc, format, path, body, len, e);
	if (!rc)
		rc = audit_write(st, who, now, "business.report", "report:business", "success",
				 json_pack("{s:O,s:O,s:s,s:s?,s:O}", "from", json_object_get(doc, "from"), "to",
					   json_object_get(doc, "to"), "format", fmts[format], "file", path, "projects",
					   json_object_get(json_object_get(json_object_get(doc, "figures"), "all"),
							   "projects")),
				 e);
	json_decref(doc);
	if (rc && body) {
		free(*body);
		*body = NULL;
	}
	return rc;
}
