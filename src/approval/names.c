/*
** names.c: the approval dictionaries (see names.h). The catalogue's names
** (catalog_stage_name …) and the state machine's action labels read these
** tables, so each word exists once.
*/
#include "approval/names.h"

#include <stdio.h>

static const struct dict_entry case_status[] = {
	{"1", "已接件"}, {"2", "已撤件"}, {"3", "已受理"}, {"4", "不受理"}, {"5", "不予受理"},
	{"6", "补正中"}, {"7", "已补正"}, {"8", "办理中"}, {"9", "特别程序中"}, {"10", "特别程序已结束"},
	{"11", "准予许可"}, {"12", "容缺通过"}, {"13", "不予许可"}, {"14", "已撤回"}, {"15", "已撤销"},
	{NULL, NULL},
};

/* What a list is filtered by: 4 (exchanged data only) is not offered. */
static const struct dict_entry case_status_filter[] = {
	{"1", "已接件"}, {"3", "已受理"}, {"6", "补正中"}, {"7", "已补正"}, {"8", "办理中"},
	{"9", "特别程序中"}, {"10", "特别程序已结束"}, {"11", "准予许可"}, {"12", "容缺通过"},
	{"13", "不予许可"}, {"5", "不予受理"}, {"2", "已撤件"}, {"14", "已撤回"}, {"15", "已撤销"},
	{NULL, NULL},
};

const struct dict_entry approval_stage_names[] = {
	{"1", "立项用地规划许可"}, {"2", "工程建设许可"}, {"3", "施工许可"}, {"4", "竣工验收"}, {"5", "并行推进"},
	{NULL, NULL},
};

const struct dict_entry approval_side_line_names[] = {
	{"51", "多评合一"}, {"52", "方案联审"}, {"53", "联合审图"}, {"54C", "联合测绘"}, {"54Y", "联合验收"},
	{NULL, NULL},
};

const struct dict_entry approval_flow_type_names[] = {
	{"1", "政府投资房屋建筑类"}, {"2", "政府投资线性工程类"}, {"3", "一般社会投资类"}, {"4", "小型社会投资类"},
	{"5", "带方案出让用地"}, {"6", "工业类"}, {"7", "交通类"}, {"8", "水利类"}, {"9", "能源类"}, {"10", "其他"},
	{NULL, NULL},
};

const struct dict_entry approval_action_names[] = {
	{"receive", "接件"}, {"accept", "受理"}, {"refuse", "不予受理"}, {"supplement", "补正告知"},
	{"supplement_done", "补正完成"}, {"start_review", "开始办理"}, {"next_step", "提交下一环节"},
	{"return", "退回"}, {"transfer", "转办"}, {"special_start", "特别程序开始"},
	{"special_end", "特别程序结束"}, {"approve", "准予许可"}, {"approve_tolerance", "容缺通过"},
	{"deny", "不予许可"}, {"withdraw", "撤回"}, {"revoke", "撤销"}, {"materials_received", "容缺材料收齐"},
	{NULL, NULL},
};

const struct dict_entry approval_case_sorts[] = {
	{"received", "接件时间"}, {"due", "到期日"}, {"updated", "最近办理"}, {"number", "办件编号"}, {NULL, NULL}};

const struct dict_entry approval_light_names[] = {
	{"green", "正常"}, {"yellow", "预警"}, {"red", "逾期"}, {NULL, NULL},
};

static const struct dict_entry step_roles[] = {
	{"clerk", "窗口受理人员"}, {"reviewer", "审查人员"}, {"head", "部门负责人"}, {NULL, NULL},
};

static const struct dict_entry documents[] = {
	{"acceptance", "受理通知书"}, {"refusal", "不予受理决定书"}, {"supplement", "一次性补正告知书"},
	{"approval", "准予行政许可决定书"}, {"denial", "不予行政许可决定书"}, {"joint", "联合验收意见书"},
	{"receipt", "收件回执"}, {"special", "特别程序告知书"}, {"tolerance", "容缺受理告知书"},
	{NULL, NULL},
};

static const struct dict_entry material_forms[] = {
	{"original", "原件"}, {"copy", "复印件"}, {"original_and_copy", "原件及复印件"}, {"electronic", "电子件"},
	{NULL, NULL},
};

static const struct dict_entry special_kinds[] = {
	{"hearing", "听证"}, {"tender", "招标"}, {"auction", "拍卖"}, {"inspection", "检验"}, {"testing", "检测"},
	{"quarantine", "检疫"}, {"appraisal", "鉴定"}, {"expert", "专家评审"}, {"extension", "延长审批期限"},
	{"other", "其他"}, {NULL, NULL},
};

static const struct dict_entry special_types[] = {{"1", "延长审批"}, {"2", "其他"}, {NULL, NULL}};

static const struct dict_entry completion_rules[] = {
	{"1", "全部里程碑事项办结"}, {"2", "任一事项办结"}, {NULL, NULL},
};

static const struct dict_entry applicant_kinds[] = {{"1", "自然人"}, {"2", "法人"}, {"3", "自然人和法人"}, {NULL, NULL}};

static const struct dict_entry case_types[] = {{"1", "即办件"}, {"2", "承诺件"}, {NULL, NULL}};

const struct dict_entry approval_unit_kinds[] = {
	{"builder", "建设单位"}, {"agent", "代建单位"}, {"survey", "勘察单位"}, {"design", "设计单位"},
	{"construction", "施工单位"}, {"supervision", "监理单位"}, {"other", "其他单位"}, {NULL, NULL},
};

const struct dict approval_dicts[] = {
	{"approval.case_status", case_status},
	{"approval.case_status_filter", case_status_filter},
	{"approval.stage", approval_stage_names},
	{"approval.side_line", approval_side_line_names},
	{"approval.flow_type", approval_flow_type_names},
	{"approval.case_action", approval_action_names},
	{"approval.light", approval_light_names},
	{"approval.case_sort", approval_case_sorts},
	{"approval.step_role", step_roles},
	{"approval.document", documents},
	{"approval.material_form", material_forms},
	{"approval.special_kind", special_kinds},
	{"approval.special_type", special_types},
	{"approval.completion_rule", completion_rules},
	{"approval.applicant_kind", applicant_kinds},
	{"approval.case_type", case_types},
	{"approval.unit_kind", approval_unit_kinds},
	{NULL, NULL},
};

const char *approval_status_label(int status)
{
	char code[8];
	snprintf(code, sizeof code, "%d", status);
	const char *l = dict_label(case_status, code);
	return l ? l : "未知";
}

const char *approval_form_label(const char *form)
{
	const char *l = form ? dict_label(material_forms, form) : NULL;
	return l ? l : "";
}

const char *approval_special_kind_label(const char *kind)
{
	const char *l = kind ? dict_label(special_kinds, kind) : NULL;
	return l ? l : "其他";
}
