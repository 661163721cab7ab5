/*
** org.c: base organisation of 铜川市 and account management (see org.h).
*/
#include "org/org.h"
#include "org/audit.h"
#include "base/json.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- base data -------------------------------------------------------------- */

static const struct { const char *code, *name, *parent; int level; } base_districts[] = {
	{"610000", "陕西省", NULL, 1},
	{"610200", "铜川市", "610000", 2},
	{"610202", "王益区", "610200", 3},
	{"610203", "印台区", "610200", 3},
	{"610204", "耀州区", "610200", 3},
	{"610222", "宜君县", "610200", 3},
};

static const struct dict_entry district_levels[] = {{"1", "省"}, {"2", "市"}, {"3", "区县"}, {NULL, NULL}};

static const struct dict_entry role_scopes[] = {
	{"city", "全市"}, {"department", "本部门"}, {"district", "本区县"}, {"none", "不涉及办件数据"}, {NULL, NULL}};

const struct dict org_dicts[] = {
	{"org.role", rbac_role_names},
	{"org.role_scope", role_scopes},
	{"org.district_level", district_levels},
	{NULL, NULL},
};

static const struct { const char *abbr, *name; } city_departments[] = {
	{"XSP", "铜川市行政审批服务局"}, {"FGW", "铜川市发展和改革委员会"},
	{"ZRZY", "铜川市自然资源和规划局"}, {"ZJJ", "铜川市住房和城乡建设局"},
	{"STHJ", "铜川市生态环境局"}, {"RFB", "铜川市人民防空办公室"}, {"SWJ", "铜川市水务局"},
	{"CGJ", "铜川市城市管理执法局"}, {"QXJ", "铜川市气象局"}, {"WLJ", "铜川市文化和旅游局"},
	{"JTJ", "铜川市交通运输局"}, {"LYJ", "铜川市林业局"}, {"ZWJ", "铜川市政务服务中心"},
	{"XFJ", "铜川市消防救援支队"}, {"DAJ", "铜川市城建档案馆"},
};

int org_seed(struct store *st, int64_t now, struct err *e)
{
	char code[48], name[160];
	if (store_begin(st, e))
		return e->code;
	for (size_t i = 0; i < sizeof base_districts / sizeof base_districts[0]; i++)
		if (store_district_put(st, base_districts[i].code, base_districts[i].name,
				       base_districts[i].parent, base_districts[i].level, now, e))
			goto fail;
	for (size_t i = 0; i < sizeof city_departments / sizeof city_departments[0]; i++) {
		snprintf(code, sizeof code, "610200-%s", city_departments[i].abbr);
		if (store_department_put(st, code, city_departments[i].name, "610200", now, e))
			goto fail;
	}
	for (size_t i = 0; i < sizeof base_districts / sizeof base_districts[0]; i++) {
		if (base_districts[i].level != 3)
			continue;
		const char *dc = base_districts[i].code, *dn = base_districts[i].name;
		static const char *const branch[][2] = {
			{"XSP", "%s行政审批服务局"}, {"ZJJ", "%s住房和城乡建设局"},
			{"ZRZY", "铜川市自然资源和规划局%s分局"},
		};
		for (int b = 0; b < 3; b++) {
			char shortname[64];
			snprintf(shortname, sizeof shortname, "%s", dn);
			if (b == 2)   /* 王益区 -> 王益分局 */
				shortname[strlen(shortname) - 3] = 0;
			snprintf(code, sizeof code, "%s-%s", dc, branch[b][0]);
			snprintf(name, sizeof name, branch[b][1], shortname);
			if (store_department_put(st, code, name, dc, now, e))
				goto fail;
		}
	}
	return store_commit(st, e);
fail:
	store_rollback(st);
	return e->code;
}

/* ---- accounts ----------------------------------------------------------------- */

void org_mask_phone(const char *in, char *out, size_t n)
{
	size_t len = strlen(in);
	if (len < 7) {
		snprintf(out, n, "%s", len ? "****" : "");
		return;
	}
	snprintf(out, n, "%.3s****%s", in, in + len - 4);
}

static int may_manage_accounts(const struct principal *who, struct err *e)
{
	if (who->cli || rbac_has(who, ROLE_SYSADMIN | ROLE_SECADMIN))
		return 0;
	return err_set(e, ERR_FORBIDDEN, "", "需要系统管理员或安全管理员权限 (sysadmin or secadmin only)");
}

json_t *org_user_json(const struct user *u, int mask)
{
	char phone[40];
	if (mask)
		org_mask_phone(u->phone, phone, sizeof phone);
	else
		snprintf(phone, sizeof phone, "%s", u->phone);
	json_t *roles = json_array();
	char buf[256];
	snprintf(buf, sizeof buf, "%s", u->roles);
	for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(roles, json_string(t));
	return json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?,s:o,s:b,s:b,s:I,s:I,s:b,s:I}",
			 "id", (json_int_t)u->id, "username", u->username, "display_name", u->display_name,
			 "phone", phone, "department", u->department[0] ? u->department : NULL,
			 "district", u->district[0] ? u->district : NULL, "roles", roles,
			 "active", u->active, "must_change", u->must_change,
			 "locked_until", (json_int_t)u->locked_until,
			 "password_changed_at", (json_int_t)u->password_changed_at,
			 "totp_enrolled", u->totp_secret[0] != 0, "last_login_at", (json_int_t)u->last_login_at);
}

json_t *org_user_view(const struct principal *who, const struct user *u)
{
	return org_user_json(u, !who->cli && who->user_id != u->id);
}

int org_user_list(struct store *st, const struct principal *who, const char *department, const char *role,
		  const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	json_t *it;
	size_t i;
	if (may_manage_accounts(who, e))
		return e->code;
	if (role && *role && rbac_role_bit(role) == 0)
		return err_set(e, ERR_INVALID, "role", "未知角色 '%s' (unknown role)", role);
	if (store_user_list(st, department, role, pg, items, total, e))
		return e->code;
	json_array_foreach(*items, i, it) {
		char masked[40], roles[256];
		if (!who->cli && json_get_int(it, "id", 0) != who->user_id) {
			org_mask_phone(json_get_str(it, "phone", ""), masked, sizeof masked);
			json_object_set_new(it, "phone", json_string(masked));
		}
		json_object_set_new(it, "active", json_boolean(json_get_int(it, "active", 0)));
		json_object_set_new(it, "must_change", json_boolean(json_get_int(it, "must_change", 0)));
		json_object_set_new(it, "totp_enrolled", json_boolean(json_get_int(it, "totp_enrolled", 0)));
		snprintf(roles, sizeof roles, "%s", json_get_str(it, "roles", ""));
		json_t *arr = json_array();
		for (char *save, *t = strtok_r(roles, ",", &save); t; t = strtok_r(NULL, ",", &save))
			json_array_append_new(arr, json_string(t));
		json_object_set_new(it, "roles", arr);
	}
	return 0;
}

void org_principal(const struct user *u, struct principal *p)
{
	memset(p, 0, sizeof *p);
	p->user_id = u->id;
	snprintf(p->username, sizeof p->username, "%s", u->username);
	p->roles = rbac_parse_roles(u->roles);
	snprintf(p->department, sizeof p->department, "%s", u->department);
	snprintf(p->district, sizeof p->district, "%s", u->district);
	p->must_change = u->must_change;
}

int org_user_get(struct store *st, int64_t id, struct user *u, struct err *e)
{
	return store_user_by_id(st, id, u, e);
}

int org_user_by_name(struct store *st, const char *username, struct user *u, struct err *e)
{
	return store_user_by_name(st, username, u, e);
}

int org_district_list(struct store *st, const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	return store_district_list(st, pg, items, total, e);
}

int org_department_list(struct store *st, const char *district, const struct page *pg, json_t **items,
			int64_t *total, struct err *e)
{
	return store_department_list(st, district, pg, items, total, e);
}

int org_role_list(struct store *st, json_t **items, struct err *e)
{
	const char *code, *name, *scope, *description;
	json_t *a = json_array();
	for (size_t i = 0; a && rbac_role_info(i, &code, &name, &scope, &description); i++)
		if (json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", code, "code", code, "name",
						       name, "scope", scope, "description", description))) {
			json_decref(a);
			a = NULL;
		}
	if (!a)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	*items = a;
	return 0;
}


static int check_username(const char *s, struct err *e)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 3 || n > 32)
		return err_set(e, ERR_INVALID, "username", "用户名长度 3-32 (3 to 32 characters)");
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && !strchr("._-", s[i]))
			return err_set(e, ERR_INVALID, "username",
				       "用户名只能包含小写字母、数字和 . _ - (lower-case letters, digits, . _ -)");
	return 0;
}

static int check_placement(struct store *st, const struct user_input *in, struct err *e)
{
	if (in->department && in->department[0] && !store_department_exists(st, in->department))
		return err_set(e, ERR_INVALID, "department", "部门不存在: %s (unknown department)", in->department);
	if (in->district && in->district[0] && !store_district_exists(st, in->district))
		return err_set(e, ERR_INVALID, "district", "行政区划不存在: %s (unknown district)", in->district);
	if (in->phone && in->phone[0]) {
		for (const char *c = in->phone; *c; c++)
			if (!isdigit((unsigned char)*c) && *c != '-')
				return err_set(e, ERR_INVALID, "phone", "电话只能包含数字和 - (digits and '-')");
		if (strlen(in->phone) > 20)
			return err_set(e, ERR_INVALID, "phone", "电话过长 (at most 20 characters)");
	}
	return 0;
}

static int check_roles(const struct principal *who, unsigned roles, struct err *e)
{
	int bad = rbac_roles_compatible(roles);
	if (bad == -1)
		return err_set(e, ERR_INVALID, "roles", "三员分立：系统、安全、审计管理员不能兼任，也不能兼任业务角色 "
			       "(administrator roles are exclusive)");
	if (bad == -2)
		return err_set(e, ERR_CONFLICT, "roles", "职责分离：同一账号不能兼任窗口人员(clerk)和部门负责人(head)，"
			       "收件人不作决定 (separation of duties: clerk and head on one account)");
	if (bad == -3)
		return err_set(e, ERR_CONFLICT, "roles", "职责分离：数据修复审批(repair_approve)不能由运维工程师(ops)兼任 "
			       "(who repairs data does not approve it)");
	if ((roles & ROLE_ADMINS) && !who->cli)
		return err_set(e, ERR_FORBIDDEN, "roles", "管理员角色只能在服务器命令行授予 (admin roles: CLI only)");
	return 0;
}

/* 三员分立: through the API no administrator acts on an administrator's
** account (password, TOTP, activation, roles, profile); the command line
** (`gonggai user ...`, audited as cli:<login>) does. */
static int check_target(const struct principal *who, const struct user *u, struct err *e)
{
	if (who->cli || !(rbac_parse_roles(u->roles) & ROLE_ADMINS))
		return 0;
	return err_set(e, ERR_FORBIDDEN, "id", "三员分立：管理员账号只能在服务器命令行修改 "
		       "(an administrator's account changes through `gonggai user` only)");
}

static void object_of(int64_t id, char *buf, size_t n)
{
	snprintf(buf, n, "user:%lld", (long long)id);
}

/* The policy names the field of a password change (new_password); an
** account created or reset by an administrator takes it as "password". */
static int password_field(struct err *e)
{
	if (strcmp(e->field, "new_password") == 0)
		snprintf(e->field, sizeof e->field, "password");
	return e->code;
}

int org_user_add(struct store *st, const struct auth_policy *pol, struct auth_gate *g,
		 const struct principal *who, int64_t now, const struct user_input *in,
		 int64_t *id, struct err *e)
{
	struct user u = {.must_change = 1, .active = 1, .password_changed_at = now,
			 .created_at = now, .updated_at = now};
	char object[48];
	if (may_manage_accounts(who, e) || check_username(in->username, e) ||
	    check_roles(who, in->roles, e) || check_placement(st, in, e))
		return e->code;
	if (auth_password_policy(pol, in->username, in->password ? in->password : "", e))
		return password_field(e);
	if (in->roles && !who->cli && !rbac_has(who, ROLE_SECADMIN))
		return err_set(e, ERR_FORBIDDEN, "roles", "三员分立：系统管理员创建的账号不带角色，角色由安全管理员授予 "
			       "(sysadmin creates accounts without roles; secadmin grants them)");
	snprintf(u.username, sizeof u.username, "%s", in->username);
	snprintf(u.display_name, sizeof u.display_name, "%s", in->display_name ? in->display_name : "");
	snprintf(u.phone, sizeof u.phone, "%s", in->phone ? in->phone : "");
	snprintf(u.department, sizeof u.department, "%s", in->department ? in->department : "");
	snprintf(u.district, sizeof u.district, "%s", in->district ? in->district : "");
	if (auth_hash(pol, g, in->password, u.password_hash, e) || store_begin(st, e))
		return e->code;
	if (store_user_insert(st, &u, e))
		goto fail;
	for (unsigned bit = 1; bit & ROLE_ALL; bit <<= 1)
		if ((in->roles & bit) && store_user_role_add(st, u.id, rbac_role_code(bit), e))
			goto fail;
	object_of(u.id, object, sizeof object);
	if (audit_write(st, who, now, "user.create", object, "success",
			json_pack("{s:s,s:s?,s:s?,s:I}", "username", u.username,
				  "department", in->department, "district", in->district,
				  "roles", (json_int_t)in->roles), e))
		goto fail;
	if (store_commit(st, e))
		return e->code;
	*id = u.id;
	return 0;
fail:
	store_rollback(st);
	return e->code;
}

/* Load, let fn change, save and audit one account in one transaction. */
static int user_change(struct store *st, const struct principal *who, int64_t now, int64_t id,
		       const char *action, json_t *details,
		       int (*fn)(struct store *, struct user *, const void *, struct err *),
		       const void *arg, struct err *e)
{
	struct user u;
	char object[48];
	if (store_begin(st, e)) {
		json_decref(details);
		return e->code;
	}
	if (store_user_by_id(st, id, &u, e) || check_target(who, &u, e) || fn(st, &u, arg, e))
		goto fail;
	u.updated_at = now;
	object_of(id, object, sizeof object);
	if (store_user_update(st, &u, e))
		goto fail;
	json_object_set_new(details, "username", json_string(u.username));
	if (audit_write(st, who, now, action, object, "success", details, e))
		return store_rollback(st), e->code;
	return store_commit(st, e);
fail:
	json_decref(details);
	store_rollback(st);
	return e->code;
}

static int apply_profile(struct store *st, struct user *u, const void *arg, struct err *e)
{
	const struct user_input *in = arg;
	if (check_placement(st, in, e))
		return e->code;
	if (in->display_name)
		snprintf(u->display_name, sizeof u->display_name, "%s", in->display_name);
	if (in->phone)
		snprintf(u->phone, sizeof u->phone, "%s", in->phone);
	if (in->department)
		snprintf(u->department, sizeof u->department, "%s", in->department);
	if (in->district)
		snprintf(u->district, sizeof u->district, "%s", in->district);
	return 0;
}

int org_user_update(struct store *st, const struct principal *who, int64_t now, int64_t id,
		    const struct user_input *in, struct err *e)
{
	if (may_manage_accounts(who, e))
		return e->code;
	return user_change(st, who, now, id, "user.update",
			   json_pack("{s:s?,s:s?}", "department", in->department, "district", in->district),
			   apply_profile, in, e);
}

static int apply_active(struct store *st, struct user *u, const void *arg, struct err *e)
{
	u->active = *(const int *)arg;
	if (u->active && u->department[0] && store_department_inactive(st, u->department))
		return err_set(e, ERR_CONFLICT, "active", "账号所属部门 %s 已停用，不能启用账号 (department disabled)",
			       u->department);
	if (u->active) {
		u->locked_until = 0;
		u->failed_logins = 0;
	}
	return 0;
}

int org_user_set_active(struct store *st, const struct principal *who, int64_t now, int64_t id,
			int active, struct err *e)
{
	if (may_manage_accounts(who, e))
		return e->code;
	if (who->user_id == id && !active)
		return err_set(e, ERR_CONFLICT, "id", "不能停用自己的账号 (cannot disable yourself)");
	return user_change(st, who, now, id, active ? "user.enable" : "user.disable",
			   json_object(), apply_active, &active, e);
}

static int apply_unlock(struct store *st, struct user *u, const void *arg, struct err *e)
{
	if (!u->locked_until && !u->failed_logins)
		return err_set(e, ERR_CONFLICT, "id", "账号未被锁定 (not locked)");
	u->locked_until = 0;
	u->failed_logins = 0;
	return 0;
}

int org_user_unlock(struct store *st, const struct principal *who, int64_t now, int64_t id, struct err *e)
{
	if (!who->cli && !rbac_has(who, ROLE_SECADMIN))
		return err_set(e, ERR_FORBIDDEN, "", "只有安全管理员可以解锁账号 (secadmin only)");
	return user_change(st, who, now, id, "user.unlock", json_object(), apply_unlock, NULL, e);
}

struct grant_arg {
	const struct principal *who;
	const char *role;
	int grant;
};

static int apply_grant(struct store *st, struct user *u, const void *arg, struct err *e)
{
	const struct grant_arg *a = arg;
	unsigned bit = rbac_role_bit(a->role);
	unsigned roles = rbac_parse_roles(u->roles);
	roles = a->grant ? roles | bit : roles & ~bit;
	if ((bit & ROLE_ADMINS) && !a->who->cli)
		return err_set(e, ERR_FORBIDDEN, "role", "管理员角色只能在服务器命令行调整 (admin roles: CLI only)");
	if (a->grant && check_roles(a->who, roles, e))
		return e->code;
	return a->grant ? store_user_role_add(st, u->id, a->role, e) : store_user_role_del(st, u->id, a->role, e);
}

int org_user_grant(struct store *st, const struct principal *who, int64_t now, int64_t id,
		   const char *role, int grant, struct err *e)
{
	if (!who->cli && !rbac_has(who, ROLE_SECADMIN))
		return err_set(e, ERR_FORBIDDEN, "", "只有安全管理员可以授权 (secadmin only)");
	if (!rbac_role_bit(role))
		return err_set(e, ERR_INVALID, "role", "未知角色: %s (unknown role)", role);
	if (who->user_id == id)
		return err_set(e, ERR_FORBIDDEN, "id", "不能修改自己的角色 (cannot change your own roles)");
	struct grant_arg a = {who, role, grant};
	return user_change(st, who, now, id, grant ? "user.grant" : "user.revoke",
			   json_pack("{s:s}", "role", role), apply_grant, &a, e);
}

int org_user_reset_password(struct store *st, const struct auth_policy *pol, struct auth_gate *g,
			    const struct principal *who, int64_t now, int64_t id,
			    const char *pw, char *out_pw, struct err *e)
{
	char gen[17];
	struct user u;
	if (!who->cli && !rbac_has(who, ROLE_SECADMIN))
		return err_set(e, ERR_FORBIDDEN, "", "只有安全管理员可以重置密码 (secadmin only)");
	if (store_user_by_id(st, id, &u, e) || check_target(who, &u, e))
		return e->code;
	if (!pw) {
		auth_random_password(gen);
		pw = gen;
	}
	if (auth_set_password(st, pol, g, who, now, id, NULL, pw, e))
		return password_field(e);
	if (out_pw)
		snprintf(out_pw, 17, "%s", pw);
	return 0;
}

/* ---- districts and departments -------------------------------------------- */

static int org_save(struct store *st, const struct principal *who, int64_t now, const char *action,
		    const char *code, json_t *details, int rc, struct err *e)
{
	if (rc) {
		json_decref(details);
		store_rollback(st);
		return rc;
	}
	if (audit_write(st, who, now, action, code, "success", details, e)) {
		store_rollback(st);
		return e->code;
	}
	return store_commit(st, e);
}

int org_district_save(struct store *st, const struct principal *who, int64_t now, const char *code,
		      const char *name, const char *parent, int active, int create, struct err *e)
{
	if (!who->cli && !rbac_has(who, ROLE_SYSADMIN))
		return err_set(e, ERR_FORBIDDEN, "", "只有系统管理员可以维护行政区划 (sysadmin only)");
	if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6)
		return err_set(e, ERR_INVALID, "code", "行政区划代码必须是 6 位数字 (6 digits, GB/T 2260)");
	if (create && (!name || !*name))
		return err_set(e, ERR_INVALID, "name", "缺少名称 (required)");
	if (create && store_district_exists(st, code))
		return err_set(e, ERR_CONFLICT, "code", "行政区划已存在: %s (exists)", code);
	if (store_begin(st, e))
		return e->code;
	int rc = create ? store_district_put(st, code, name, parent ? parent : "610200", 3, now, e)
		: store_district_update(st, code, name, active, now, e);
	return org_save(st, who, now, create ? "district.create" : "district.update", code,
			json_pack("{s:s?,s:i}", "name", name, "active", active), rc, e);
}

/* 停用: with open cases or active accounts only when confirmed; the
** accounts are disabled in the same transaction and listed in the audit
** row (fx->disabled: the caller ends their sessions, as for one account).
** 启用 never re-enables them. */
static int department_disable(struct store *st, int64_t now, const char *code, int confirm,
			      struct org_dept_effect *fx, json_t *details, struct err *e)
{
	json_t *users = NULL;
	if (store_department_load(st, code, &fx->running_cases, &fx->active_accounts, e))
		return e->code;
	if ((fx->running_cases || fx->active_accounts) && !confirm)
		return err_set(e, ERR_CONFLICT, "confirm", "部门 %s 有在办件 %lld 件、启用账号 %lld 个；停用部门将同时停用"
			       "这些账号，请确认 (running cases and active accounts: confirm required)", code,
			       (long long)fx->running_cases, (long long)fx->active_accounts);
	if (store_department_disable_users(st, code, now, &users, e))
		return e->code;
	fx->disabled_accounts = (int64_t)json_array_size(users);
	fx->disabled = json_incref(users);
	json_object_set_new(details, "running_cases", json_integer(fx->running_cases));
	json_object_set_new(details, "disabled_accounts", users);
	return 0;
}

/* A department moves to another district only while it has handled no case
** (its cases were dispatched, counted and reported under the old one). */
static int department_move(struct store *st, const char *code, const char *district, int64_t now, struct err *e)
{
	char current[16];
	int64_t cases = 0;
	if (!store_district_exists(st, district))
		return err_set(e, ERR_INVALID, "district", "行政区划不存在 (unknown district)");
	if (store_department_place(st, code, current, &cases, e))
		return e->code;
	if (!current[0])
		return err_set(e, ERR_NOTFOUND, "code", "不存在: %s (not found)", code);
	if (strcmp(current, district) == 0)
		return 0;
	if (cases > 0)
		return err_set(e, ERR_CONFLICT, "district", "部门已办理 %lld 件办件，所属行政区划不可修改：办件按原区划统计和上报 "
			       "(the district is fixed once the department has cases)", (long long)cases);
	return store_department_move(st, code, district, now, e);
}

int org_department_save(struct store *st, const struct principal *who, int64_t now, const char *code,
			const char *name, const char *district, int active, int create, int confirm,
			struct org_dept_effect *fx, struct err *e)
{
	struct org_dept_effect none;
	if (!fx)
		fx = &none;
	memset(fx, 0, sizeof *fx);
	if (!who->cli && !rbac_has(who, ROLE_SYSADMIN))
		return err_set(e, ERR_FORBIDDEN, "", "只有系统管理员可以维护部门 (sysadmin only)");
	if (!code || strlen(code) < 3 || strlen(code) > 40)
		return err_set(e, ERR_INVALID, "code", "部门编码长度 3-40 (3 to 40 characters)");
	if (create && (!name || !*name))
		return err_set(e, ERR_INVALID, "name", "缺少名称 (required)");
	if (create && (!district || !store_district_exists(st, district)))
		return err_set(e, ERR_INVALID, "district", "行政区划不存在 (unknown district)");
	if (create && store_department_exists(st, code))
		return err_set(e, ERR_CONFLICT, "code", "部门已存在: %s (exists)", code);
	if (store_begin(st, e))
		return e->code;
	json_t *details = json_pack("{s:s?,s:s?,s:i}", "name", name, "district", district, "active", active);
	int rc = 0;
	if (!create && active == 0 && store_department_exists(st, code))
		rc = department_disable(st, now, code, confirm, fx, details, e);
	else if (!create && active == 1 && store_department_inactive(st, code))
		fx->reenabled = 1;
	if (!rc && !create && district)
		rc = department_move(st, code, district, now, e);
	if (!rc)
		rc = create ? store_department_put(st, code, name, district, now, e)
			: store_department_update(st, code, name, active, now, e);
	rc = org_save(st, who, now, create ? "department.create" : "department.update", code, details, rc, e);
	if (rc || fx == &none) {
		json_decref(fx->disabled);
		fx->disabled = NULL;
	}
	return rc;
}
