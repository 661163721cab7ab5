/*
** auth.c: password policy, hashing with a bound, login with lockout, password
** change with history (see auth.h).
*/
#include "org/auth.h"
#include "org/totp.h"
#include "org/audit.h"

#include <ctype.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct auth_gate {
	sem_t sem;
};

struct auth_gate *auth_gate_new(int max_concurrent)
{
	struct auth_gate *g = malloc(sizeof *g);
	if (g)
		sem_init(&g->sem, 0, max_concurrent > 0 ? max_concurrent : 1);
	return g;
}

void auth_gate_free(struct auth_gate *g)
{
	if (g) {
		sem_destroy(&g->sem);
		free(g);
	}
}

static void gate_enter(struct auth_gate *g) { if (g) sem_wait(&g->sem); }
static void gate_leave(struct auth_gate *g) { if (g) sem_post(&g->sem); }

int auth_policy_load(const struct conf *c, struct auth_policy *p, struct err *e)
{
	static const struct { const char *key; int64_t def, min, max; } keys[] = {
		{"password_min_length", 8, 8, 128}, {"password_min_classes", 3, 1, 4},
		{"password_history", 5, 0, 24}, {"password_max_age_days", 90, 0, 3650},
		{"lockout_failures", 5, 1, 100}, {"lockout_minutes", 30, 1, 1440},
		{"idle_minutes", 30, 1, 1440}, {"argon2_memlimit_kib", 65536, 8, 1048576},
		{"argon2_opslimit", 2, 1, 10},
	};
	int64_t v[sizeof keys / sizeof keys[0]];
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (conf_int_ok(c, "security", keys[i].key, keys[i].min, keys[i].max, e))
			return e->code;
		v[i] = conf_int(c, "security", keys[i].key, keys[i].def);
	}
	const char *totp = conf_str(c, "security", "admin_totp", "required");
	if (strcmp(totp, "required") != 0 && strcmp(totp, "off") != 0)
		return err_set(e, ERR_INVALID, "security.admin_totp", "[security] admin_totp: required | off, got '%s'",
			       totp);
	*p = (struct auth_policy){
		.min_length = v[0], .min_classes = v[1], .history = v[2], .max_age_days = v[3],
		.lock_failures = v[4], .lock_minutes = v[5], .idle_minutes = v[6],
		.memlimit = (size_t)v[7] * 1024, .opslimit = v[8], .admin_totp = strcmp(totp, "required") == 0,
	};
	return 0;
}

int auth_must_enroll(const struct auth_policy *p, const struct user *u)
{
	return p->admin_totp && !u->totp_secret[0] && (rbac_parse_roles(u->roles) & ROLE_ADMINS);
}

int auth_password_policy(const struct auth_policy *p, const char *username,
			 const char *password, struct err *e)
{
	int lower = 0, upper = 0, digit = 0, other = 0;
	size_t chars = 0;
	for (const unsigned char *s = (const unsigned char *)password; *s; s++) {
		if ((*s & 0xc0) != 0x80)
			chars++;
		if (islower(*s)) lower = 1;
		else if (isupper(*s)) upper = 1;
		else if (isdigit(*s)) digit = 1;
		else other = 1;
	}
	if ((int)chars < p->min_length)
		return err_set(e, ERR_INVALID, "new_password", "密码至少 %d 位 (at least %d characters)",
			       p->min_length, p->min_length);
	if (lower + upper + digit + other < p->min_classes)
		return err_set(e, ERR_INVALID, "new_password",
			       "密码须包含大写字母、小写字母、数字、符号中的至少 %d 类 (%d of 4 character classes)",
			       p->min_classes, p->min_classes);
	if (username && *username && strcasestr(password, username))
		return err_set(e, ERR_INVALID, "new_password", "密码不得包含用户名 (must not contain the username)");
	return 0;
}

int auth_hash(const struct auth_policy *p, struct auth_gate *g, const char *password,
	      char out[256], struct err *e)
{
	gate_enter(g);
	int rc = crypto_pwhash_str(out, password, strlen(password), p->opslimit, p->memlimit);
	gate_leave(g);
	if (rc != 0)
		return err_set(e, ERR_INTERNAL, "", "password hashing failed (out of memory)");
	return 0;
}

int auth_check(struct auth_gate *g, const char *hash, const char *password)
{
	if (!hash[0])
		return 0;
	gate_enter(g);
	int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	gate_leave(g);
	return ok;
}

void auth_random_password(char *buf)
{
	static const char *classes[] = {"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz",
					"23456789", "#%+-=@"};
	for (int i = 0; i < 16; i++) {
		const char *set = classes[i < 4 ? i : randombytes_uniform(4)];
		buf[i] = set[randombytes_uniform(strlen(set))];
	}
	for (int i = 15; i > 0; i--) {     /* shuffle so the classes are not in front */
		int j = randombytes_uniform(i + 1);
		char t = buf[i]; buf[i] = buf[j]; buf[j] = t;
	}
	buf[16] = 0;
}

int auth_must_change(const struct auth_policy *p, const struct user *u, int64_t now)
{
	if (u->must_change)
		return 1;
	return p->max_age_days > 0 && now - u->password_changed_at > (int64_t)p->max_age_days * 86400;
}

/* Record the outcome of a login attempt: counters and audit in one tx. */
static int login_record(struct store *st, const struct auth_policy *p, struct user *u,
			int64_t now, const char *username, const char *source,
			const char *outcome, const char *reason, struct err *e)
{
	struct principal who = {.user_id = u ? u->id : 0};
	snprintf(who.username, sizeof who.username, "%s", username);
	snprintf(who.source, sizeof who.source, "%s", source);
	struct err e2;
	if (store_begin(st, &e2))
		return err_set(e, ERR_INTERNAL, "", "%s", e2.msg);
	if (u) {
		if (strcmp(outcome, "success") == 0) {
			u->failed_logins = 0;
			u->locked_until = 0;
		} else if (strcmp(reason, "locked") != 0 && ++u->failed_logins >= p->lock_failures) {
			u->locked_until = now + (int64_t)p->lock_minutes * 60;
			u->failed_logins = 0;
		}
		if (store_user_update(st, u, &e2))
			goto fail;
	}
	char object[96];
	snprintf(object, sizeof object, "user:%s", username);
	if (audit_write(st, &who, now, "session.login", object, outcome,
			json_pack("{s:s}", "reason", reason), &e2))
		goto fail;
	return store_commit(st, &e2) ? err_set(e, ERR_INTERNAL, "", "%s", e2.msg) : 0;
fail:
	store_rollback(st);
	return err_set(e, ERR_INTERNAL, "", "%s", e2.msg);
}

/* One message for every failed login, so it never tells which part was
** wrong (nor, for an administrator, that the password was right). */
#define WRONG_LOGIN "用户名、密码或动态口令错误 (wrong username, password or one-time code)"

/* A failed login (u NULL for an unknown name): recorded, and ERR_LOCKED when
** this failure locked the account, else ERR_AUTH. */
static int refuse(struct store *st, const struct auth_policy *p, struct user *u, int64_t now, const char *username,
		  const char *source, const char *why, struct err *e)
{
	if (login_record(st, p, u, now, username, source, "failure", why, e))
		return e->code;
	if (u && u->locked_until > now)
		return err_set(e, ERR_LOCKED, "username", "连续登录失败次数过多，账号已锁定 %d 分钟 (account locked)",
			       p->lock_minutes);
	return err_set(e, ERR_AUTH, "", WRONG_LOGIN);
}

/* The second factor of an account that has one: ERR_AUTH (recorded as a
** failed login) unless otp is a code of a step not used before. The step
** is taken with one conditional UPDATE, so two logins racing with the same
** code cannot both pass. */
static int second_factor(struct store *st, const struct auth_policy *p, int64_t now, const char *username,
			 const char *otp, const char *source, struct user *u, struct err *e)
{
	int64_t step;
	int taken = 0;
	struct err e2;
	if (!u->totp_secret[0])
		return 0;
	if (otp && *otp && totp_verify(u->totp_secret, now, otp, u->totp_step, &step, &e2) == 0) {
		if (store_begin(st, &e2))
			return err_set(e, ERR_INTERNAL, "", "%s", e2.msg);
		if (store_user_totp_claim(st, u->id, step, &taken, &e2)) {
			store_rollback(st);
			return err_set(e, ERR_INTERNAL, "", "%s", e2.msg);
		}
		if (store_commit(st, &e2))
			return err_set(e, ERR_INTERNAL, "", "%s", e2.msg);
	}
	if (taken) {
		u->totp_step = step;
		return 0;
	}
	return refuse(st, p, u, now, username, source, otp && *otp ? "wrong otp" : "otp missing", e);
}

int auth_login(struct store *st, const struct auth_policy *p, struct auth_gate *g,
	       int64_t now, const char *username, const char *password, const char *otp,
	       const char *source, struct user *u, struct err *e)
{
	struct err e2;
	int found = store_user_by_name(st, username, u, &e2) == 0;
	if (!found && e2.code != ERR_NOTFOUND)
		return err_set(e, ERR_INTERNAL, "", "%s", e2.msg);
	if (found && u->locked_until > now) {
		if (login_record(st, p, u, now, username, source, "failure", "locked", e))
			return e->code;
		return err_set(e, ERR_LOCKED, "username", "账号已锁定，请 %lld 分钟后再试 (account locked)",
			       (long long)((u->locked_until - now + 59) / 60));
	}
	int ok = found && auth_check(g, u->password_hash, password) && u->active;
	if (!ok) {
		const char *why = !found ? "unknown user" : !u->active ? "disabled" : "wrong password";
		return refuse(st, p, found ? u : NULL, now, username, source, why, e);
	}
	if (second_factor(st, p, now, username, otp, source, u, e))
		return e->code;
	if (login_record(st, p, u, now, username, source, "success", u->totp_secret[0] ? "password+totp" : "password",
			 e))
		return e->code;
	u->must_change = auth_must_change(p, u, now);
	return 0;
}

/* ERR_INVALID when new_pw equals one of the last p->history passwords. */
static int check_history(struct store *st, const struct auth_policy *p, struct auth_gate *g,
			 const struct user *u, const char *new_pw, struct err *e)
{
	char (*old)[256] = calloc(p->history + 1, 256);
	int n = 0;
	if (!old)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	int rc = p->history ? store_pwhist_recent(st, u->id, p->history, old, &n, e) : 0;
	for (int i = 0; rc == 0 && i < n; i++)
		if (auth_check(g, old[i], new_pw))
			rc = err_set(e, ERR_INVALID, "new_password", "不得与最近 %d 次使用过的密码相同 "
				     "(must differ from the last %d passwords)", p->history, p->history);
	if (rc == 0 && auth_check(g, u->password_hash, new_pw))
		rc = err_set(e, ERR_INVALID, "new_password", "新密码不得与当前密码相同 (must differ from the current one)");
	free(old);
	return rc;
}

int auth_set_password(struct store *st, const struct auth_policy *p, struct auth_gate *g,
		      const struct principal *who, int64_t now, int64_t user_id,
		      const char *old, const char *new_pw, struct err *e)
{
	struct user u;
	char hash[256];
	if (store_user_by_id(st, user_id, &u, e))
		return e->code;
	if (old && !auth_check(g, u.password_hash, old))
		return err_set(e, ERR_INVALID, "old_password", "原密码错误 (old password is wrong)");
	if (auth_password_policy(p, u.username, new_pw, e) || check_history(st, p, g, &u, new_pw, e))
		return e->code;
	if (auth_hash(p, g, new_pw, hash, e))
		return e->code;
	if (store_begin(st, e))
		return e->code;
	if (store_pwhist_add(st, u.id, u.password_hash, now, e))
		goto fail;
	snprintf(u.password_hash, sizeof u.password_hash, "%s", hash);
	u.must_change = old ? 0 : 1;
	u.password_changed_at = now;
	u.failed_logins = 0;
	u.locked_until = 0;
	u.updated_at = now;
	char object[48];
	snprintf(object, sizeof object, "user:%lld", (long long)u.id);
	if (store_user_update(st, &u, e) ||
	    audit_write(st, who, now, old ? "user.password.change" : "user.password.reset", object,
			"success", json_pack("{s:s}", "username", u.username), e))
		goto fail;
	return store_commit(st, e);
fail:
	store_rollback(st);
	return e->code;
}

/* ---- the TOTP factor: enrolment and reset ------------------------------------- */

/* Load user id, let fn change its TOTP columns, save them and the audit row
** in one transaction. */
static int totp_change(struct store *st, const struct principal *who, int64_t now, int64_t id, const char *action,
		       int (*fn)(struct user *, int64_t, void *, struct err *), void *arg, struct err *e)
{
	struct user u;
	char object[48];
	if (store_begin(st, e))
		return e->code;
	if (store_user_by_id(st, id, &u, e) || fn(&u, now, arg, e))
		goto fail;
	u.updated_at = now;
	snprintf(object, sizeof object, "user:%lld", (long long)id);
	if (store_user_totp_save(st, &u, e) ||
	    audit_write(st, who, now, action, object, "success", json_pack("{s:s}", "username", u.username), e))
		goto fail;
	return store_commit(st, e);
fail:
	store_rollback(st);
	return e->code;
}

/* arg: where the new secret goes */
static int new_pending(struct user *u, int64_t now, void *arg, struct err *e)
{
	if (u->totp_secret[0])
		return err_set(e, ERR_CONFLICT, "", "动态口令已绑定；更换须由安全管理员先重置 (already enrolled)");
	if (totp_new_secret(u->totp_pending, e))
		return e->code;
	memcpy(arg, u->totp_pending, TOTP_SECRET_LEN + 1);
	return 0;
}

int auth_totp_begin(struct store *st, const struct principal *who, int64_t now, char *secret, struct err *e)
{
	return totp_change(st, who, now, who->user_id, "user.totp.secret", new_pending, secret, e);
}

/* arg: the code typed */
static int confirm(struct user *u, int64_t now, void *arg, struct err *e)
{
	int64_t step;
	struct err why;
	if (!u->totp_pending[0])
		return err_set(e, ERR_CONFLICT, "", "请先获取动态口令密钥 (request a secret first)");
	if (totp_verify(u->totp_pending, now, arg, 0, &step, &why))
		return err_set(e, ERR_INVALID, "code", "%s", why.msg);
	memcpy(u->totp_secret, u->totp_pending, sizeof u->totp_secret);
	u->totp_pending[0] = 0;
	u->totp_step = step;
	return 0;
}

int auth_totp_confirm(struct store *st, const struct principal *who, int64_t now, const char *code, struct err *e)
{
	char typed[16];
	snprintf(typed, sizeof typed, "%s", code ? code : "");
	return totp_change(st, who, now, who->user_id, "user.totp.enroll", confirm, typed, e);
}

static int clear(struct user *u, int64_t now, void *arg, struct err *e)
{
	u->totp_secret[0] = u->totp_pending[0] = 0;
	u->totp_step = 0;
	return 0;
}

int auth_totp_reset(struct store *st, const struct principal *who, int64_t now, int64_t id, struct err *e)
{
	if (!who->cli && !rbac_has(who, ROLE_SECADMIN))
		return err_set(e, ERR_FORBIDDEN, "", "只有安全管理员可以重置动态口令 (secadmin only)");
	if (!who->cli && who->user_id == id)
		return err_set(e, ERR_FORBIDDEN, "id", "不能重置自己的动态口令 (not your own)");
	return totp_change(st, who, now, id, "user.totp.reset", clear, NULL, e);
}
