/*
** rbac.h: roles, the principal acting, and least privilege.
**
** Roles are a bit set. The three administrators of 等保 level 3 are kept
** apart: sysadmin runs the organisation and configuration, secadmin grants
** roles and resets passwords, auditor only reads the audit log; no account
** may hold two of them, and none of them reads approval data.
** Data scope: `leader` reads city-wide; other business roles read their
** department (and its district).
*/
#ifndef GG_RBAC_H
#define GG_RBAC_H

#include <stddef.h>
#include <stdint.h>

#include "base/dict.h"

enum role {
	ROLE_CLERK = 1 << 0,
	ROLE_REVIEWER = 1 << 1,
	ROLE_HEAD = 1 << 2,
	ROLE_LEADER = 1 << 3,
	ROLE_OPS = 1 << 4,
	ROLE_CATALOG = 1 << 5,
	ROLE_SYSADMIN = 1 << 6,
	ROLE_SECADMIN = 1 << 7,
	ROLE_AUDITOR = 1 << 8,
	ROLE_REPAIR = 1 << 9,     /* repair_approve: the bureau approves 数据修复 (src/repair) */
};
#define ROLE_ADMINS (ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR)
#define ROLE_BUSINESS (ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD | ROLE_LEADER)
#define ROLE_ALL 0x3ff

/* Who is acting: a logged-in account, or the command line (cli = 1, all
** roles: whoever runs the binary owns the database file anyway). */
struct principal {
	int64_t user_id;          /* 0 for the CLI and anonymous requests */
	char username[64];
	unsigned roles;
	char department[48];
	char district[16];
	int must_change;
	int must_enroll;          /* an administrator without a TOTP factor yet */
	int cli;
	char source[64];          /* client address or "cli" */
};

/* Every role's code and name in bit order, ending {NULL}: the dictionary
** org.role. The one place a role is named. */
extern const struct dict_entry rbac_role_names[];
/* The name of a role code ("窗口人员"); the code itself when unknown. */
const char *rbac_role_name(const char *code);
/* Role i (bit order): 0 past the last; its scope is a code of the
** dictionary org.role_scope. Static strings. */
int rbac_role_info(size_t i, const char **code, const char **name, const char **scope, const char **description);

/* Bit of a role code ("clerk" ...), 0 when unknown. */
unsigned rbac_role_bit(const char *code);
const char *rbac_role_code(unsigned bit);
/* Parse "clerk,reviewer" into bits (unknown codes ignored). */
unsigned rbac_parse_roles(const char *csv);
/* 1 when p holds any of the roles in mask. */
int rbac_has(const struct principal *p, unsigned mask);
/* 0 when the role set is allowed on one account; -1 when it mixes
** administrators (三员分立), -2 when it holds both clerk and head
** (separation of duties in a department: who receives does not decide),
** -3 when it holds repair_approve with ops (who repairs data does not
** approve it). */
int rbac_roles_compatible(unsigned roles);
/* The window (综合窗口) of a 行政审批服务局: an account of a department coded
** "<division>-XSP" receives applications for every department, so it reads
** the cases of its division — the whole city for the city-level bureau.
** Returns 0 when p is no window clerk/reviewer/head, 1 for a district
** window (division written to out, 7 bytes), 2 for the city-level one. */
int rbac_window(const struct principal *p, char out[7]);
/* 1 when p may read data of the given department/district. */
int rbac_can_see(const struct principal *p, const char *department, const char *district);
/* 1 when p reads city-wide (leader or the CLI). */
int rbac_city_wide(const struct principal *p);
/* The CLI principal: source "cli", username "cli:<login>". */
void rbac_cli_principal(struct principal *p);

#endif
