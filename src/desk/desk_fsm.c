/*
** desk_fsm.c: the names of the desk and the state machine of a fault
** ticket: which action is allowed from which status and where it leads.
*/
#include "desk/desk.h"

#include <assert.h>
#include <string.h>

static const struct dict_entry statuses[] = {
	{"open", "待响应"}, {"assigned", "已指派"}, {"in_progress", "处理中"}, {"third_party", "待第三方"},
	{"paused", "挂起(等待用户)"}, {"resolved", "已解决"}, {"verified", "已验证"}, {"closed", "已关闭"},
	{NULL, NULL},
};

static const struct dict_entry actions[] = {
	{"assign", "指派"}, {"respond", "响应"}, {"escalate_third_party", "转第三方"},
	{"third_party_responded", "第三方已响应"}, {"pause", "挂起"}, {"resume", "恢复处理"},
	{"resolve", "解决"}, {"verify", "验证"}, {"reopen", "重新打开"}, {"close", "关闭"},
	{"rca_submit", "提交根本原因与处理对策报告"}, {NULL, NULL},
};

static const struct dict_entry categories[] = {
	{"config", "配置类"}, {"bug", "系统缺陷"}, {"third_party", "第三方"}, {"user_env", "用户环境"},
	{"infrastructure", "基础设施"}, {NULL, NULL},
};

static const struct dict_entry levels[] = {
	{"1", "一级(核心业务中断或大量用户)"}, {"2", "二级(部分用户)"}, {"3", "三级(单个用户环境)"},
	{NULL, NULL},
};

/* Every kind of event of the log: the actions plus what the system adds. */
static const struct dict_entry events[] = {
	{"created", "创建"}, {"observed", "巡检再次发现"}, {"recovered", "巡检已恢复"},
	{"job_failed", "任务失败"}, {"job_recovered", "任务已恢复"}, {"assign", "指派"}, {"respond", "响应"},
	{"escalate_third_party", "转第三方"}, {"third_party_responded", "第三方已响应"}, {"pause", "挂起"},
	{"resume", "恢复处理"}, {"resolve", "解决"}, {"verify", "验证"}, {"reopen", "重新打开"},
	{"close", "关闭"}, {"rca_submit", "提交RCA报告"}, {"sla_warning", "时限预警"}, {"sla_breach", "时限超时"},
	{NULL, NULL},
};

static const struct dict_entry clocks[] = {
	{"response", "响应时限"}, {"resolution", "解决时限"}, {"third_party", "第三方响应时限"},
	{"rca", "RCA报告时限"}, {NULL, NULL},
};

const struct dict desk_dicts[] = {
	{"desk.status", statuses}, {"desk.action", actions}, {"desk.category", categories},
	{"desk.level", levels}, {"desk.event", events}, {"desk.clock", clocks}, {NULL, NULL},
};

#define X (-1)
#define O DS_OPEN
#define A DS_ASSIGNED
#define P DS_IN_PROGRESS
#define T DS_THIRD_PARTY
#define W DS_PAUSED
#define R DS_RESOLVED
#define V DS_VERIFIED
#define C DS_CLOSED

/* next[from][action]: the status after the action, X when not allowed. */
static const signed char next[DS_N][DA_N] = {
	/*            assign respond escal tp_resp pause resume resolve verify reopen close rca */
	[DS_OPEN]        = {A, P, X, X, X, X, X, X, X, X, X},
	[DS_ASSIGNED]    = {A, P, X, X, X, X, X, X, X, X, X},
	[DS_IN_PROGRESS] = {P, X, T, X, W, X, R, X, X, X, X},
	[DS_THIRD_PARTY] = {T, X, X, P, W, X, R, X, X, X, X},
	[DS_PAUSED]      = {W, X, X, X, X, P, X, X, X, X, X},
	[DS_RESOLVED]    = {X, X, X, X, X, X, X, V, P, C, R},
	[DS_VERIFIED]    = {X, X, X, X, X, X, X, X, P, C, V},
	[DS_CLOSED]      = {X, X, X, X, X, X, X, X, P, X, C},
};

#undef X
#undef O
#undef A
#undef P
#undef T
#undef W
#undef R
#undef V
#undef C

int desk_next_status(int from, int action)
{
	assert(from >= 0 && from < DS_N && action >= 0 && action < DA_N);
	return next[from][action];
}

static int parse(const struct dict_entry *d, int n, const char *code)
{
	for (int i = 0; i < n && code; i++)
		if (strcmp(d[i].code, code) == 0)
			return i;
	return -1;
}

const char *desk_status_code(int s)
{
	assert(s >= 0 && s < DS_N);
	return statuses[s].code;
}

int desk_status_parse(const char *code)
{
	return parse(statuses, DS_N, code);
}

const char *desk_action_code(int a)
{
	assert(a >= 0 && a < DA_N);
	return actions[a].code;
}

int desk_action_parse(const char *code)
{
	return parse(actions, DA_N, code);
}

const char *desk_category_code(int c)
{
	assert(c >= 0 && c < DC_N);
	return categories[c].code;
}

int desk_category_parse(const char *code)
{
	return parse(categories, DC_N, code);
}

const char *desk_label(const char *dict_name, const char *code)
{
	const struct dict *const sets[] = {desk_dicts, desk_service_dicts};
	for (int k = 0; k < 2; k++)
		for (const struct dict *d = sets[k]; d->name; d++) {
			if (strcmp(d->name, dict_name) != 0)
				continue;
			const char *label = dict_label(d->entries, code);
			if (label)
				return label;
		}
	return code ? code : "";
}
