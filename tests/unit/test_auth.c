/*
** test_auth.c: password policy, lockout and its expiry, password expiry,
** history (normalised: whitespace, zero-width characters, ASCII case) and
** minimum age, session idle expiry, re-check and size, role separation,
** data scope, logins racing a disable and each other (exact lockout),
** unknown names and the address window, sealed TOTP secrets, with an
** injected clock and a real (temporary) database.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>

#include "org/audit.h"
#include "org/auth.h"
#include "org/totp.h"
#include "org/org.h"
#include "org/session.h"

struct fx {
	char path[64];
	struct store *st;
	struct auth_policy pol;
	struct principal cli;
	int64_t now;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;
	snprintf(f->path, sizeof f->path, "/tmp/gg-test-auth-%d.db", getpid());
	unlink(f->path);
	if (store_open(f->path, STORE_CREATE, &f->st, &e) || org_seed(f->st, 1700000000, &e))
		return -1;
	struct conf *c = conf_new();
	conf_set(c, "security", "argon2_memlimit_kib", "8192");
	conf_set(c, "security", "argon2_opslimit", "1");
	auth_policy_load(c, &f->pol, &e);
	conf_free(c);
	rbac_cli_principal(&f->cli);
	f->now = 1700000000;
	struct user_input in = {.username = "alice", .password = "Init-Passw0rd", .roles = ROLE_CLERK,
				.department = "610200-XSP"};
	int64_t id;
	if (org_user_add(f->st, &f->pol, NULL, &f->cli, f->now, &in, &id, &e))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	unlink(f->path);
	char p[80];
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s.key", f->path);
	unlink(p);
	free(f);
	return 0;
}

static void test_policy(void **state)
{
	struct fx *f = *state;
	struct err e;
	assert_int_equal(auth_password_policy(&f->pol, "bob", "Ab1!", &e), ERR_INVALID);
	assert_string_equal(e.field, "new_password");
	assert_int_equal(auth_password_policy(&f->pol, "bob", "abcdefgh1", &e), ERR_INVALID); /* 2 classes */
	assert_int_equal(auth_password_policy(&f->pol, "bob", "abcdefG1", &e), 0);
	assert_int_equal(auth_password_policy(&f->pol, "bob", "abcdefg!1", &e), 0);
	assert_int_equal(auth_password_policy(&f->pol, "bob", "xxBob-2024", &e), ERR_INVALID); /* username */
	assert_int_equal(auth_password_policy(&f->pol, "bob", "密码密码Ab1!", &e), 0);
	char pw[17];
	for (int i = 0; i < 50; i++) {
		auth_random_password(pw);
		assert_int_equal(strlen(pw), 16);
		assert_int_equal(auth_password_policy(&f->pol, "sysadmin", pw, &e), 0);
	}
}

static void test_lockout_and_expiry(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct user u;
	int64_t t = f->now + 100;
	for (int i = 0; i < 4; i++)
		assert_int_equal(auth_login(f->st, &f->pol, NULL, t, "alice", "bad", NULL, "10.0.0.1", &u, &e), ERR_AUTH);
	assert_int_equal(auth_login(f->st, &f->pol, NULL, t, "alice", "bad", NULL, "10.0.0.1", &u, &e), ERR_LOCKED);
	assert_int_equal(auth_login(f->st, &f->pol, NULL, t + 60, "alice", "Init-Passw0rd", NULL, "10.0.0.1", &u, &e),
			 ERR_LOCKED);
	/* 30 minutes later the lock has expired */
	assert_int_equal(auth_login(f->st, &f->pol, NULL, t + 30 * 60 + 1, "alice", "Init-Passw0rd", NULL, "10.0.0.1",
				    &u, &e), 0);
	assert_true(u.must_change);    /* set by an administrator */
	/* a success resets the failure counter: 4 more failures do not lock */
	for (int i = 0; i < 4; i++)
		assert_int_equal(auth_login(f->st, &f->pol, NULL, t + 2000, "alice", "bad", NULL, "-", &u, &e), ERR_AUTH);
	assert_int_equal(auth_login(f->st, &f->pol, NULL, t + 2000, "alice", "Init-Passw0rd", NULL, "-", &u, &e), 0);
	/* change it, then let it expire after 90 days */
	struct principal me;
	org_principal(&u, &me);
	assert_int_equal(auth_set_password(f->st, &f->pol, NULL, &me, t + 3000, u.id, "Init-Passw0rd",
					   "Second-Passw0rd", &e), 0);
	assert_int_equal(auth_login(f->st, &f->pol, NULL, t + 4000, "alice", "Second-Passw0rd", NULL, "-", &u, &e), 0);
	assert_false(u.must_change);
	assert_int_equal(auth_login(f->st, &f->pol, NULL, t + 3000 + 91LL * 86400, "alice", "Second-Passw0rd", NULL, "-",
				    &u, &e), 0);
	assert_true(u.must_change);
	/* history: the initial password is refused, as is the current one */
	assert_int_equal(auth_set_password(f->st, &f->pol, NULL, &me, t + 3000 + 2 * 86400, u.id, "Second-Passw0rd",
					   "Init-Passw0rd", &e), ERR_INVALID);
	assert_int_equal(auth_set_password(f->st, &f->pol, NULL, &me, t + 3000 + 2 * 86400, u.id, "Second-Passw0rd",
					   "Second-Passw0rd", &e), ERR_INVALID);
	/* a disabled account cannot log in, with the same error as a wrong password */
	assert_int_equal(org_user_set_active(f->st, &f->cli, t, u.id, 0, &e), 0);
	assert_int_equal(auth_login(f->st, &f->pol, NULL, t + 5000, "alice", "Second-Passw0rd", NULL, "-", &u, &e), ERR_AUTH);
	assert_int_equal(org_user_set_active(f->st, &f->cli, t, u.id, 1, &e), 0);
}

/* A new clerk with the password Init-Passw0rd (to be changed). */
static int64_t make_user(struct fx *f, const char *name)
{
	struct user_input in = {.username = name, .password = "Init-Passw0rd", .roles = ROLE_CLERK,
				.department = "610200-XSP"};
	struct err e;
	int64_t id;
	assert_int_equal(org_user_add(f->st, &f->pol, NULL, &f->cli, f->now, &in, &id, &e), 0);
	return id;
}

/* Whitespace and zero-width characters neither pad a password nor make a
** new one out of an old one; ASCII case does not either; one change a day. */
static void test_password_normalisation(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct user u;
	struct principal me;
	assert_int_equal(auth_password_policy(&f->pol, "bob", "Ab1!    ", &e), ERR_INVALID);   /* 4 + spaces */
	assert_int_equal(auth_password_policy(&f->pol, "bob", "abcdefg1 ", &e), ERR_INVALID);  /* space is no class */
	assert_int_equal(auth_password_policy(&f->pol, "bob", "abcdefg1\xe3\x80\x80", &e), ERR_INVALID);
	assert_int_equal(auth_password_policy(&f->pol, "bob", "Good-Passw0rd\xe2\x80\x8b", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "zero-width"));
	assert_int_equal(auth_password_policy(&f->pol, "bob", "Good-Pass\xef\xbb\xbfw0rd", &e), ERR_INVALID);
	assert_int_equal(auth_password_policy(&f->pol, "bob", "Good Passw0rd", &e), 0);       /* a passphrase */
	int64_t t = f->now + 10;
	assert_int_equal(store_user_by_id(f->st, make_user(f, "norma"), &u, &e), 0);
	org_principal(&u, &me);
	assert_int_equal(auth_set_password(f->st, &f->pol, NULL, &me, t, u.id, "Init-Passw0rd", "First-Passw0rd", &e), 0);
	/* the next change by the user waits a day */
	assert_int_equal(auth_set_password(f->st, &f->pol, NULL, &me, t + 3600, u.id, "First-Passw0rd",
					   "Other-Passw0rd", &e), ERR_CONFLICT);
	assert_string_equal(e.field, "new_password");
	t += 86400 + 1;
	/* an old one padded or in another case is the old one */
	assert_int_equal(auth_set_password(f->st, &f->pol, NULL, &me, t, u.id, "First-Passw0rd", " FIRST-passw0rd ", &e),
			 ERR_INVALID);
	assert_int_equal(auth_set_password(f->st, &f->pol, NULL, &me, t, u.id, "First-Passw0rd", "Second-Passw0rd!", &e),
			 0);
	t += 86400 + 1;
	assert_int_equal(auth_set_password(f->st, &f->pol, NULL, &me, t, u.id, "Second-Passw0rd!", "first-PASSW0RD",
					   &e), ERR_INVALID);
	assert_int_equal(auth_set_password(f->st, &f->pol, NULL, &me, t, u.id, "Second-Passw0rd!",
					   "First-Pass\xe2\x80\x8bw0rd", &e), ERR_INVALID);
	/* an administrator's reset needs no waiting, and the user's first change after it neither */
	assert_int_equal(org_user_reset_password(f->st, &f->pol, NULL, &f->cli, t + 10, u.id, "Init-Passw0rd", NULL, &e),
			 ERR_INVALID);    /* history applies to resets too */
	assert_int_equal(org_user_reset_password(f->st, &f->pol, NULL, &f->cli, t + 10, u.id, "Reset-Passw0rd9", NULL,
						 &e), 0);
	assert_int_equal(auth_set_password(f->st, &f->pol, NULL, &me, t + 20, u.id, "Reset-Passw0rd9", "Mine-Passw0rd9",
					   &e), 0);
}

struct racer {
	const char *path, *user, *password;
	const struct auth_policy *pol;
	int64_t now;
	int rounds, results[4];      /* 0, ERR_AUTH, ERR_LOCKED, other */
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct store *st;
	struct err e;
	struct user u;
	assert_int_equal(store_open(r->path, 0, &st, &e), 0);
	for (int i = 0; i < r->rounds; i++) {
		int rc = auth_login(st, r->pol, NULL, r->now, r->user, r->password, NULL, "10.0.0.9", &u, &e);
		r->results[rc == 0 ? 0 : rc == ERR_AUTH ? 1 : rc == ERR_LOCKED ? 2 : 3]++;
	}
	store_close(st);
	return NULL;
}

/* A disable landing while four logins hash the password is never undone
** (the logins write their own columns, not the row they read). */
static void test_disable_during_logins(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct user u;
	pthread_t th[4];
	struct racer r[4];
	assert_int_equal(store_user_by_id(f->st, make_user(f, "racer"), &u, &e), 0);
	for (int i = 0; i < 4; i++) {
		r[i] = (struct racer){.path = f->path, .user = "racer", .password = "Init-Passw0rd", .pol = &f->pol,
				      .now = f->now + 50, .rounds = 12};
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	usleep(30000);
	assert_int_equal(org_user_set_active(f->st, &f->cli, f->now + 50, u.id, 0, &e), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(store_user_by_name(f->st, "racer", &u, &e), 0);
	assert_false(u.active);
	for (int i = 0; i < 4; i++)
		assert_int_equal(r[i].results[3], 0);
	int rc = auth_login(f->st, &f->pol, NULL, f->now + 60, "racer", "Init-Passw0rd", NULL, "-", &u, &e);
	assert_true(rc == ERR_AUTH || rc == ERR_LOCKED);
}

/* Eight wrong passwords at once: exactly lock_failures - 1 answers 401,
** the others 423 (no failure counted twice, none lost). */
static void test_exact_lockout(void **state)
{
	struct fx *f = *state;
	pthread_t th[8];
	struct racer r[8];
	int unauthorized = 0, locked = 0;
	make_user(f, "target");
	for (int i = 0; i < 8; i++) {
		r[i] = (struct racer){.path = f->path, .user = "target", .password = "wrong", .pol = &f->pol,
				      .now = f->now + 5000, .rounds = 1};
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		unauthorized += r[i].results[1];
		locked += r[i].results[2];
	}
	assert_int_equal(unauthorized, f->pol.lock_failures - 1);
	assert_int_equal(locked, 8 - (f->pol.lock_failures - 1));
}

/* A name that is no account answers like one (401, then 423 after five);
** an address failing ten times a minute waits for the minute's end. */
static void test_unknown_names_and_rate(void **state)
{
	struct fx *f = *state;
	struct err e, e2;
	struct user u;
	struct auth_gate *g = auth_gate_new(2);
	int64_t t = f->now + 9000;
	make_user(f, "ratey");
	for (int i = 0; i < 4; i++)
		assert_int_equal(auth_login(f->st, &f->pol, g, t, "nobody", "x", NULL, "10.1.0.1", &u, &e), ERR_AUTH);
	assert_int_equal(auth_login(f->st, &f->pol, g, t, "nobody", "x", NULL, "10.1.0.1", &u, &e), ERR_LOCKED);
	assert_int_equal(auth_login(f->st, &f->pol, g, t, "nobody", "x", NULL, "10.1.0.2", &u, &e2), ERR_LOCKED);
	assert_string_equal(e.msg, e2.msg);
	for (int i = 0; i < 4; i++)     /* 10.1.0.1: 9 failures now (the locked one counts none) */
		assert_int_not_equal(auth_login(f->st, &f->pol, g, t + 1, "ghost", "x", NULL, "10.1.0.1", &u, &e),
				     ERR_TOOMANY);
	assert_int_equal(auth_login(f->st, &f->pol, g, t + 2, "ghost", "x", NULL, "10.1.0.1", &u, &e), ERR_LOCKED);
	assert_int_equal(auth_login(f->st, &f->pol, g, t + 3, "ratey", "Init-Passw0rd", NULL, "10.1.0.1", &u, &e),
			 ERR_TOOMANY);
	assert_non_null(strstr(e.msg, "retry after"));
	/* another address is not held up, and the minute's end frees this one */
	assert_int_equal(auth_login(f->st, &f->pol, g, t + 3, "ratey", "Init-Passw0rd", NULL, "10.1.0.3", &u, &e), 0);
	assert_int_equal(auth_login(f->st, &f->pol, g, t + 61, "ratey", "Init-Passw0rd", NULL, "10.1.0.1", &u, &e), 0);
	auth_gate_free(g);
}

/* The TOTP secret is stored sealed under the key file, never as it is. */
static void test_totp_sealed(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct user u;
	struct principal me;
	char secret[TOTP_SECRET_LEN + 1], code[8];
	assert_int_equal(store_user_by_id(f->st, make_user(f, "sealy"), &u, &e), 0);
	org_principal(&u, &me);
	assert_int_equal(auth_totp_begin(f->st, &me, f->now, secret, &e), 0);
	assert_int_equal(store_user_by_id(f->st, u.id, &u, &e), 0);
	assert_memory_equal(u.totp_pending, "s1:", 3);
	assert_null(strstr(u.totp_pending, secret));
	assert_int_equal(totp_code(secret, f->now, code, &e), 0);
	assert_int_equal(auth_totp_confirm(f->st, &me, f->now, code, &e), 0);
	assert_int_equal(store_user_by_id(f->st, u.id, &u, &e), 0);
	assert_memory_equal(u.totp_secret, "s1:", 3);
	assert_int_equal(totp_code(secret, f->now + 60, code, &e), 0);
	assert_int_equal(auth_login(f->st, &f->pol, NULL, f->now + 60, "sealy", "Init-Passw0rd", code, "-", &u, &e), 0);
	/* sealed under a key since rotated, it still opens */
	int64_t from;
	assert_int_equal(audit_rotate_key(f->st, &f->cli, f->now + 90, &from, &e), 0);
	assert_int_equal(totp_code(secret, f->now + 90, code, &e), 0);
	assert_int_equal(auth_login(f->st, &f->pol, NULL, f->now + 90, "sealy", "Init-Passw0rd", code, "-", &u, &e), 0);
	/* a secret stored before the key file (plain) is sealed at its next good code */
	snprintf(u.totp_secret, sizeof u.totp_secret, "%s", secret);
	u.totp_step = 0;
	assert_int_equal(store_user_totp_save(f->st, &u, &e), 0);
	assert_int_equal(totp_code(secret, f->now + 120, code, &e), 0);
	assert_int_equal(auth_login(f->st, &f->pol, NULL, f->now + 120, "sealy", "Init-Passw0rd", code, "-", &u, &e), 0);
	assert_int_equal(store_user_by_id(f->st, u.id, &u, &e), 0);
	assert_memory_equal(u.totp_secret, "s1:", 3);
	assert_int_equal(auth_totp_reset(f->st, &f->cli, f->now + 60, u.id, &e), 0);
}

static void test_sessions(void **state)
{
	struct session_table *t = session_table_new(30 * 60, 5);
	struct principal p = {.user_id = 7, .roles = ROLE_CLERK}, got;
	char tok[SESSION_TOKEN_LEN + 1], other[SESSION_TOKEN_LEN + 1];
	int64_t now = 1000000;
	session_create(t, &p, now, tok);
	assert_int_equal(strlen(tok), SESSION_TOKEN_LEN);
	assert_int_equal(session_get(t, tok, now + 1, &got), SESSION_OK);
	assert_int_equal(got.user_id, 7);
	assert_int_equal(session_get(t, tok, now + 10, &got), SESSION_STALE);   /* re-check due */
	session_refresh(t, tok, &p, now + 10);
	/* activity keeps it alive past the first 30 minutes */
	assert_int_equal(session_get(t, tok, now + 25 * 60, &got), SESSION_STALE);
	session_refresh(t, tok, &p, now + 25 * 60);
	assert_int_equal(session_get(t, tok, now + 50 * 60, &got), SESSION_STALE);
	/* 30 idle minutes end it */
	assert_int_equal(session_get(t, tok, now + 80 * 60 + 1, &got), SESSION_NONE);
	assert_int_equal(session_get(t, "short", now, &got), SESSION_NONE);
	/* many sessions: growth keeps every live one */
	for (int i = 0; i < 1000; i++) {
		p.user_id = i + 100;
		session_create(t, &p, now, other);
	}
	assert_int_equal(session_get(t, other, now + 1, &got), SESSION_OK);
	assert_int_equal(got.user_id, 1099);
	session_drop_user(t, 1099);
	assert_int_equal(session_get(t, other, now + 1, &got), SESSION_NONE);
	assert_int_equal(session_count(t, now + 1), 999);
	/* a password change ends the account's other sessions, not this one */
	p.user_id = 5;
	session_create(t, &p, now, tok);
	session_create(t, &p, now, other);
	session_drop_others(t, 5, tok);
	assert_int_equal(session_get(t, tok, now + 1, &got), SESSION_OK);
	assert_int_equal(session_get(t, other, now + 1, &got), SESSION_NONE);
	session_table_free(t);
	/* 200 000 logins and logouts leave the table the size of what is live */
	t = session_table_new(30 * 60, 5);
	for (int i = 0; i < 200000; i++) {
		p.user_id = i;
		session_create(t, &p, now, tok);
		session_drop(t, tok);
	}
	assert_true(session_capacity(t) <= 512);
	session_table_free(t);
}

static void test_roles(void **state)
{
	assert_int_equal(rbac_roles_compatible(ROLE_SYSADMIN), 0);
	assert_int_equal(rbac_roles_compatible(ROLE_SYSADMIN | ROLE_AUDITOR), -1);
	assert_int_equal(rbac_roles_compatible(ROLE_SECADMIN | ROLE_CLERK), -1);
	assert_int_equal(rbac_roles_compatible(ROLE_CLERK | ROLE_REVIEWER), 0);
	assert_int_equal(rbac_roles_compatible(ROLE_REVIEWER | ROLE_HEAD), 0);
	assert_int_equal(rbac_roles_compatible(ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD), -2);  /* receives and decides */
	assert_int_equal(rbac_parse_roles("clerk,head,bogus"), ROLE_CLERK | ROLE_HEAD);
	struct principal p = {.roles = ROLE_REVIEWER};
	strcpy(p.department, "610200-ZJJ");
	assert_true(rbac_can_see(&p, "610200-ZJJ", "610200"));
	assert_false(rbac_can_see(&p, "610200-FGW", "610200"));
	p.roles = ROLE_SYSADMIN;                /* administrators read no case data */
	assert_false(rbac_can_see(&p, "610200-ZJJ", "610200"));
	p.roles = ROLE_LEADER;
	assert_true(rbac_can_see(&p, "610204-XSP", "610204"));
	struct principal d = {.roles = ROLE_CLERK};
	strcpy(d.district, "610204");           /* district account without department */
	assert_true(rbac_can_see(&d, "610204-ZJJ", "610204"));
	assert_false(rbac_can_see(&d, "610203-ZJJ", "610203"));
	/* a 行政审批服务局 window reads its division's cases of every department */
	struct principal w = {.roles = ROLE_CLERK};
	char div[7];
	strcpy(w.department, "610204-XSP");
	assert_int_equal(rbac_window(&w, div), 1);
	assert_string_equal(div, "610204");
	assert_true(rbac_can_see(&w, "610200-ZRZY", "610204"));
	assert_false(rbac_can_see(&w, "610200-ZRZY", "610203"));
	strcpy(w.department, "610200-XSP");
	assert_int_equal(rbac_window(&w, div), 2);
	assert_true(rbac_can_see(&w, "610204-ZJJ", "610204"));
	strcpy(w.department, "610200-ZJJ");
	assert_int_equal(rbac_window(&w, div), 0);
}

static void test_account_rules(void **state)
{
	struct fx *f = *state;
	struct err e;
	int64_t id;
	struct principal sys = {.user_id = 1, .roles = ROLE_SYSADMIN}, clerk = {.user_id = 9, .roles = ROLE_CLERK};
	strcpy(sys.username, "sysadmin");
	struct user_input in = {.username = "Bad Name", .password = "Init-Passw0rd", .roles = ROLE_CLERK};
	assert_int_equal(org_user_add(f->st, &f->pol, NULL, &sys, f->now, &in, &id, &e), ERR_INVALID);
	assert_string_equal(e.field, "username");
	in.username = "bob";
	in.department = "610200-NOPE";
	assert_int_equal(org_user_add(f->st, &f->pol, NULL, &sys, f->now, &in, &id, &e), ERR_INVALID);
	assert_string_equal(e.field, "department");
	in.department = "610200-ZJJ";
	assert_int_equal(org_user_add(f->st, &f->pol, NULL, &clerk, f->now, &in, &id, &e), ERR_FORBIDDEN);
	in.roles = ROLE_AUDITOR;
	assert_int_equal(org_user_add(f->st, &f->pol, NULL, &sys, f->now, &in, &id, &e), ERR_FORBIDDEN);
	in.roles = ROLE_CLERK;     /* sysadmin creates accounts without roles */
	assert_int_equal(org_user_add(f->st, &f->pol, NULL, &sys, f->now, &in, &id, &e), ERR_FORBIDDEN);
	assert_string_equal(e.field, "roles");
	in.roles = 0;
	assert_int_equal(org_user_add(f->st, &f->pol, NULL, &sys, f->now, &in, &id, &e), 0);
	assert_int_equal(org_user_add(f->st, &f->pol, NULL, &sys, f->now, &in, &id, &e), ERR_CONFLICT);
	assert_int_equal(org_user_grant(f->st, &sys, f->now, id, "clerk", 1, &e), ERR_FORBIDDEN);
	assert_int_equal(org_user_grant(f->st, &f->cli, f->now, id, "clerk", 1, &e), 0);
	/* who receives does not decide: clerk and head never on one account */
	assert_int_equal(org_user_grant(f->st, &f->cli, f->now, id, "head", 1, &e), ERR_CONFLICT);
	assert_string_equal(e.field, "roles");
	assert_int_equal(org_user_grant(f->st, &f->cli, f->now, id, "reviewer", 1, &e), 0);
	struct user u;
	assert_int_equal(store_user_by_id(f->st, id, &u, &e), 0);
	assert_string_equal(u.roles, "clerk,reviewer");
	char masked[32];
	org_mask_phone("13812345678", masked, sizeof masked);
	assert_string_equal(masked, "138****5678");
	org_mask_phone("110", masked, sizeof masked);
	assert_string_equal(masked, "****");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_lockout_and_expiry),
		cmocka_unit_test(test_password_normalisation),
		cmocka_unit_test(test_disable_during_logins),
		cmocka_unit_test(test_exact_lockout),
		cmocka_unit_test(test_unknown_names_and_rate),
		cmocka_unit_test(test_totp_sealed),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_account_rules),
	};
	return cmocka_run_group_tests_name("auth", tests, setup, teardown);
}
