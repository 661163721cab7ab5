/*
** demo_accounts.c: the accounts of a demonstration database (gonggai demo):
** for every department a window clerk, a reviewer and a head, so every
** 办件 of the generated history has someone who may act on it (no stuck
** case on a fresh demo) and every account has its own 已办 (the history
** rows name them); the leader, an O&M engineer, a catalogue keeper and the
** three administrators. Usernames: demo_<abbr>_<role> for the city's
** departments (demo_zjj_reviewer), demo_<district>_<abbr>_<role> for a
** district's (demo_610203_xsp_clerk); display names are people's names.
** All share one password, already changed. For demonstrations only.
*/
#include "approval/case.h"
#include "org/org.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
				       "马", "朱", "胡", "郭", "何", "高", "林", "郑"};
static const char *const given[] = {"丽", "敏", "洋", "静", "帆", "倩", "强", "伟", "磊", "军", "杰", "勇",
				    "涛", "鹏", "刚", "斌", "浩", "超", "峰", "明", "亮", "平", "华", "芳"};

static const struct { const char *user, *roles, *name; } fixed[] = {
	{"demo_leader", "leader", "局领导"},
	{"demo_ops", "ops", "运维工程师"},
	{"demo_catalog", "catalog", "事项管理员"},
	{"demo_sysadmin", "sysadmin", "系统管理员"},
	{"demo_secadmin", "secadmin", "安全管理员"},
	{"demo_auditor", "auditor", "审计管理员"},
};

static const char *const dept_roles[] = {"clerk", "reviewer", "head"};

/* "610200-ZJJ" → "demo_zjj_<role>", "610203-XSP" → "demo_610203_xsp_<role>". */
static void username_of(const char *dept, const char *role, char *out, size_t n)
{
	const char *dash = strchr(dept, '-');
	char abbr[32];
	size_t i = 0;
	for (const char *p = dash ? dash + 1 : dept; *p && i + 1 < sizeof abbr; p++)
		abbr[i++] = (char)tolower((unsigned char)*p);
	abbr[i] = 0;
	if (dash && strncmp(dept, "610200-", 7) != 0)
		snprintf(out, n, "demo_%.*s_%s_%s", (int)(dash - dept), dept, abbr, role);
	else
		snprintf(out, n, "demo_%s_%s", abbr, role);
}

static int push(struct case_demo_accounts *out, const char *user, const char *roles, const char *dept,
		const char *name, struct err *e)
{
	struct case_demo_account *a = realloc(out->a, (out->n + 1) * sizeof *a);
	if (!a)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	out->a = a;
	a = &out->a[out->n++];
	memset(a, 0, sizeof *a);
	snprintf(a->username, sizeof a->username, "%s", user);
	snprintf(a->roles, sizeof a->roles, "%s", roles);
	snprintf(a->department, sizeof a->department, "%s", dept ? dept : "");
	snprintf(a->display_name, sizeof a->display_name, "%s", name);
	return 0;
}

/* The list: fixed accounts, then three per department in code order. */
static int plan(struct store *st, struct case_demo_accounts *out, struct err *e)
{
	json_t *items = NULL, *d;
	int64_t total = 0;
	size_t i;
	char user[96], name[32];
	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (push(out, fixed[i].user, fixed[i].roles, NULL, fixed[i].name, e))
			return e->code;
	if (store_department_list(st, NULL, &(struct page){1, 200}, &items, &total, e))
		return e->code;
	int k = 0;
	json_array_foreach(items, i, d) {
		const char *code = json_string_value(json_object_get(d, "code"));
		for (int r = 0; r < 3; r++, k++) {
			username_of(code, dept_roles[r], user, sizeof user);
			snprintf(name, sizeof name, "%s%s", surnames[k % 20], given[(k / 20 + k * 7) % 24]);
			if (push(out, user, dept_roles[r], code, name, e)) {
				json_decref(items);
				return e->code;
			}
		}
	}
	json_decref(items);
	return 0;
}

int case_demo_accounts(struct store *st, const char *password, int64_t now, struct case_demo_accounts *out,
		       struct err *e)
{
	struct auth_policy pol;
	struct principal cli;
	char hash[256] = "";
	memset(out, 0, sizeof *out);
	rbac_cli_principal(&cli);
	if (auth_policy_load(NULL, &pol, e) || plan(st, out, e))
		return e->code;
	for (size_t i = 0; i < out->n; i++) {
		struct case_demo_account *a = &out->a[i];
		struct user u;
		struct user_input in = {.username = a->username, .password = password, .display_name = a->display_name,
					.department = a->department[0] ? a->department : NULL,
					.roles = rbac_parse_roles(a->roles)};
		if (org_user_add(st, &pol, NULL, &cli, now, &in, &a->id, e) || store_user_by_id(st, a->id, &u, e))
			return e->code;
		/* one password for all: hash it once at full cost, the others
		** cheaply, and give them the first hash */
		if (!hash[0]) {
			snprintf(hash, sizeof hash, "%s", u.password_hash);
			pol.opslimit = 1;
			pol.memlimit = 8192 * 1024;
		}
		snprintf(u.password_hash, sizeof u.password_hash, "%s", hash);
		u.must_change = 0;        /* a demonstration account: ready to use */
		u.password_changed_at = now;
		if (store_user_update(st, &u, e))
			return e->code;
	}
	return 0;
}

const struct case_demo_account *case_demo_account_for(const struct case_demo_accounts *as, const char *department,
						      const char *role)
{
	for (size_t i = 0; as && i < as->n; i++)
		if (strcmp(as->a[i].department, department) == 0 && strcmp(as->a[i].roles, role) == 0)
			return &as->a[i];
	return NULL;
}

void case_demo_accounts_free(struct case_demo_accounts *as)
{
	free(as->a);
	memset(as, 0, sizeof *as);
}
