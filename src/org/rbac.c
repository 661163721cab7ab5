/*
** rbac.c: role bits and scope decisions (see rbac.h).
*/
#include "org/rbac.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Every role in bit order (enum role): its code and name, the dictionary
** org.role pages show ... */
const struct dict_entry rbac_role_names[] = {
	{"clerk", "窗口人员"}, {"reviewer", "审查人员"}, {"head", "部门负责人"}, {"leader", "局领导"},
	{"ops", "运维工程师"}, {"catalog", "事项管理员"}, {"sysadmin", "系统管理员"}, {"secadmin", "安全管理员"},
	{"auditor", "审计管理员"}, {"repair_approve", "数据修复审批"}, {NULL, NULL},
};
#define NROLES (sizeof rbac_role_names / sizeof rbac_role_names[0] - 1)

/* ... and, in the same order, the data it reads (the dictionary
** org.role_scope) and what it does. The roles table of the database keeps
** the codes for the users' foreign key; the names are these. */
static const struct { const char *scope, *description; } role_info[] = {
	{"department", "窗口收件、受理、补正告知"},
	{"department", "委办局审查环节办理"},
	{"department", "部门决定环节、本部门统计"},
	{"city", "全市办件与统计只读"},
	{"none", "巡检、备份、日志清理、数据修复"},
	{"none", "审批流程与事项配置"},
	{"none", "组织机构、账号、系统配置（三员之一）"},
	{"none", "角色授权、密码重置、安全策略（三员之一）"},
	{"none", "只读审计日志（三员之一）"},
	{"none", "审核批准运维提出的数据修复单（委办局授权；不得由运维或三员兼任）"},
};
_Static_assert(sizeof role_info / sizeof role_info[0] == NROLES, "one role_info row per role");

const char *rbac_role_name(const char *code)
{
	const char *n = dict_label(rbac_role_names, code);
	return n ? n : code;
}

int rbac_role_info(size_t i, const char **code, const char **name, const char **scope, const char **description)
{
	if (i >= NROLES)
		return 0;
	*code = rbac_role_names[i].code;
	*name = rbac_role_names[i].label;
	*scope = role_info[i].scope;
	*description = role_info[i].description;
	return 1;
}

unsigned rbac_role_bit(const char *code)
{
	for (unsigned i = 0; code && i < NROLES; i++)
		if (strcmp(code, rbac_role_names[i].code) == 0)
			return 1u << i;
	return 0;
}

const char *rbac_role_code(unsigned bit)
{
	for (unsigned i = 0; i < NROLES; i++)
		if (bit == 1u << i)
			return rbac_role_names[i].code;
	return NULL;
}

unsigned rbac_parse_roles(const char *csv)
{
	unsigned bits = 0;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", csv ? csv : "");
	for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		bits |= rbac_role_bit(t);
	return bits;
}

int rbac_has(const struct principal *p, unsigned mask)
{
	return (p->roles & mask) != 0;
}

int rbac_roles_compatible(unsigned roles)
{
	unsigned admins = roles & ROLE_ADMINS;
	if (admins & (admins - 1))
		return -1;          /* two of the three administrators */
	if (admins && (roles & (ROLE_BUSINESS | ROLE_OPS | ROLE_REPAIR)))
		return -1;          /* an administrator handling cases or ops */
	if ((roles & (ROLE_CLERK | ROLE_HEAD)) == (ROLE_CLERK | ROLE_HEAD))
		return -2;          /* who receives does not decide */
	if ((roles & (ROLE_REPAIR | ROLE_OPS)) == (ROLE_REPAIR | ROLE_OPS))
		return -3;          /* who repairs data does not approve it */
	return 0;
}

int rbac_city_wide(const struct principal *p)
{
	return p->cli || (p->roles & ROLE_LEADER);
}

int rbac_window(const struct principal *p, char out[7])
{
	const char *d = p->department;
	size_t n = strlen(d);
	if (!(p->roles & (ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD)) || n != 10 || strcmp(d + 6, "-XSP") != 0)
		return 0;
	memcpy(out, d, 6);
	out[6] = 0;
	return strcmp(out + 4, "00") == 0 ? 2 : 1;
}

int rbac_can_see(const struct principal *p, const char *department, const char *district)
{
	char win[7];
	if (rbac_city_wide(p))
		return 1;
	if (!(p->roles & (ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD)))
		return 0;
	switch (rbac_window(p, win)) {
	case 2:
		return 1;
	case 1:
		if (district && strcmp(district, win) == 0)
			return 1;
		break;
	}
	if (p->department[0] && department && strcmp(p->department, department) == 0)
		return 1;
	/* an account tied to a district but no department reads that district */
	return !p->department[0] && p->district[0] && district && strcmp(p->district, district) == 0;
}

void rbac_cli_principal(struct principal *p)
{
	memset(p, 0, sizeof *p);
	struct passwd *pw = getpwuid(getuid());
	snprintf(p->username, sizeof p->username, "cli:%s", pw ? pw->pw_name : "unknown");
	p->roles = ROLE_ALL;
	p->cli = 1;
	snprintf(p->source, sizeof p->source, "cli");
}
