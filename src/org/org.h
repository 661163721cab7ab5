/*
** org.h: the organisation and its accounts: the 铜川市 base data loaded by
** `gonggai init`, and every account change (create, update, disable, roles,
** password reset), each checked against who asks, validated, and audited in
** the same transaction.
**
** Who may do what (least privilege, 三员分立):
**   sysadmin  districts, departments, business accounts create (without
**             roles)/update/disable
**   secadmin  the same, and grants/revokes business roles, resets passwords
**             and TOTP factors of business accounts
**   auditor   nothing here (reads the audit log only)
** No administrator acts on an administrator's account through the API:
** its password, TOTP factor, activation, profile and roles change only from
** the command line (`gonggai user ...`, audited as cli:<login>), which also
** alone grants administrator roles; nobody changes their own roles. In a
** department no account holds both clerk and head (409): who receives an
** application does not decide it.
*/
#ifndef GG_ORG_H
#define GG_ORG_H

#include <jansson.h>

#include "org/auth.h"
#include "org/rbac.h"
#include "store/store_org.h"

/* Load 陕西省/铜川市, its districts and departments (idempotent). */
int org_seed(struct store *st, int64_t now, struct err *e);

struct user_input {
	const char *username, *password, *display_name, *phone;
	const char *department, *district;   /* NULL or "" for none */
	unsigned roles;
};

int org_user_add(struct store *st, const struct auth_policy *pol, struct auth_gate *g,
		 const struct principal *who, int64_t now, const struct user_input *in,
		 int64_t *id, struct err *e);
/* Update profile fields that are non-NULL in in (username, password, roles ignored). */
int org_user_update(struct store *st, const struct principal *who, int64_t now, int64_t id,
		    const struct user_input *in, struct err *e);
int org_user_set_active(struct store *st, const struct principal *who, int64_t now, int64_t id,
			int active, struct err *e);
/* 解锁: clear the lockout and the failed-login count of account id, its
** password unchanged (secadmin or the CLI; audited user.unlock; 409 when
** the account is not locked). */
int org_user_unlock(struct store *st, const struct principal *who, int64_t now, int64_t id, struct err *e);
int org_user_grant(struct store *st, const struct principal *who, int64_t now, int64_t id,
		   const char *role, int grant, struct err *e);
/* Admin reset: new password (or a random one written to out_pw when pw is
** NULL; out_pw >= 17 bytes), must change at next login. */
int org_user_reset_password(struct store *st, const struct auth_policy *pol, struct auth_gate *g,
			    const struct principal *who, int64_t now, int64_t id,
			    const char *pw, char *out_pw, struct err *e);
int org_user_by_name(struct store *st, const char *username, struct user *u, struct err *e);

/* The account as the API shows it (no hash; phone masked when mask). */
json_t *org_user_json(const struct user *u, int mask);
/* The account as who sees it: another person's phone is always masked
** (not for the command line). */
json_t *org_user_view(const struct principal *who, const struct user *u);
/* Accounts for the administrators (sysadmin, secadmin, CLI), filters may be
** NULL; phones of others masked, roles as arrays. *items owned by caller. */
int org_user_list(struct store *st, const struct principal *who, const char *department, const char *role,
		  const struct page *pg, json_t **items, int64_t *total, struct err *e);
/* Principal for a stored account (source left empty). */
void org_principal(const struct user *u, struct principal *p);

/* District/department changes (sysadmin). name NULL: unchanged; active -1: unchanged. */
int org_district_save(struct store *st, const struct principal *who, int64_t now, const char *code,
		      const char *name, const char *parent, int active, int create, struct err *e);
/* What a department change did. Disabling (active 0) a department with
** open cases or active accounts needs confirm, else ERR_CONFLICT (field
** "confirm") with the two counts set; confirmed, its active accounts are
** disabled in the same transaction. Re-enabling leaves them disabled
** (reenabled 1 says so). fx may be NULL; on success fx->disabled is
** [{id, username}] of the accounts disabled (or NULL), caller decrefs; the
** caller ends their sessions. A district given on update moves the
** department while it has handled no case (else ERR_CONFLICT, field
** "district"). */
struct org_dept_effect {
	int64_t running_cases, active_accounts, disabled_accounts;
	int reenabled;
	json_t *disabled;
};
int org_department_save(struct store *st, const struct principal *who, int64_t now, const char *code,
			const char *name, const char *district, int active, int create, int confirm,
			struct org_dept_effect *fx, struct err *e);

/* "138****5678": keeps the first 3 and last 4 of a phone, masks the rest. */
void org_mask_phone(const char *in, char *out, size_t n);

#endif
