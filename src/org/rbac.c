/*
** rbac.c: role bits and scope decisions (see rbac.h).
*/
#include "org/rbac.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const role_codes[] = {
	"clerk", "reviewer", "head", "leader", "ops", "catalog", "sysadmin", "secadmin", "auditor",
	"repair_approve",
};
#define NROLES (sizeof role_codes / sizeof role_codes[0])

unsigned rbac_role_bit(const char *code)
{
	for (unsigned i = 0; code && i < NROLES; i++)
		if (strcmp(code, role_codes[i]) == 0)
			return 1u << i;
	return 0;
}

const char *rbac_role_code(unsigned bit)
{
	for (unsigned i = 0; i < NROLES; i++)
		if (bit == 1u << i)
			return role_codes[i];
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
