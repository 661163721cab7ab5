/*
** auth.c: password policy, hashing with a bound, login with lockout, password
** change with history (see auth.h).
*/
#include "org/auth.h"
#include "org/totp.h"
#include "org/audit.h"
#include "store/store_key.h"

#include <assert.h>
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int auth_policy_load(const struct conf *c, struct auth_policy *p, struct err *e)
{
	static const struct { const char *key; int64_t def, min, max; } keys[] = {
		{"password_min_length", 8, 8, 128}, {"password_min_classes", 3, 1, 4},
		{"password_history", 5, 0, 24}, {"password_max_age_days", 90, 0, 3650},
		{"lockout_failures", 5, 1, 100}, {"lockout_minutes", 30, 1, 1440},
		{"idle_minutes", 30, 1, 1440}, {"argon2_memlimit_kib", 65536, 8, 1048576},
		{"argon2_opslimit", 2, 1, 10}, {"password_min_age_days", 1, 0, 30},
		{"login_failures_per_minute", 10, 1, 10000},
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
		.min_age_days = v[9], .rate_per_minute = v[10],
	};
	return 0;
}

int auth_must_enroll(const struct auth_policy *p, const struct user *u)
{
	return p->admin_totp && !u->totp_secret[0] && (rbac_parse_roles(u->roles) & ROLE_ADMINS);
}

/* Length in bytes of the invisible (1) or whitespace (2) character at s,
** with its kind in *kind; 0 for any other character. Invisible: controls,
** soft hyphen, zero-width and direction marks, word joiner, BOM. */
static size_t special_at(const unsigned char *s, int *kind)
{
	static const struct { unsigned char b[4]; int kind; } table[] = {
		{{0xc2, 0xad}, 1}, {{0xe1, 0xa0, 0x8e}, 1}, {{0xef, 0xbb, 0xbf}, 1},
		{{0xc2, 0xa0}, 2}, {{0xe3, 0x80, 0x80}, 2}, {{0xe2, 0x80, 0xaf}, 2}, {{0xe2, 0x81, 0x9f}, 2},
	};
	*kind = 0;
	if (*s < 0x20 || *s == 0x7f) {
		*kind = 1;
		return 1;
	}
	if (*s == ' ') {
		*kind = 2;
		return 1;
	}
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x80 && s[2] <= 0x8a)   /* U+2000..200A spaces */
		return *kind = 2, 3;
	if (s[0] == 0xe2 && ((s[1] == 0x80 && ((s[2] >= 0x8b && s[2] <= 0x8f) || (s[2] >= 0xa8 && s[2] <= 0xae))) ||
			     (s[1] == 0x81 && s[2] >= 0xa0 && s[2] <= 0xaf)))      /* zero-width, marks, joiners */
		return *kind = 1, 3;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		size_t n = table[i].b[2] ? 3 : 2, k = 0;
		while (k < n && s[k] == table[i].b[k])      /* stops at the NUL */
			k++;
		if (k == n)
			return *kind = table[i].kind, n;
	}
	return 0;
}

/* The password as it is compared with earlier ones: whitespace removed,
** ASCII letters folded to lower case (out >= strlen(pw) + 1). ERR_INVALID
** for invisible characters. *chars: code points left. */
static int password_norm(const char *pw, char *out, int fold, size_t *chars, struct err *e)
{
	const unsigned char *s = (const unsigned char *)pw;
	size_t o = 0;
	*chars = 0;
	while (*s) {
		int kind;
		size_t n = special_at(s, &kind);
		if (kind == 1)
			return err_set(e, ERR_INVALID, "new_password",
				       "密码不得包含控制字符或零宽字符 (no control or zero-width characters)");
		if (kind == 2) {
			s += n;
			continue;
		}
		if ((*s & 0xc0) != 0x80)
			(*chars)++;
		out[o++] = fold ? (char)tolower(*s) : (char)*s;
		s++;
	}
	out[o] = 0;
	return 0;
}

int auth_password_policy(const struct auth_policy *p, const char *username,
			 const char *password, struct err *e)
{
	int lower = 0, upper = 0, digit = 0, other = 0;
	size_t chars;
	char *bare = malloc(strlen(password) + 1);
	if (!bare)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (password_norm(password, bare, 0, &chars, e)) {
		free(bare);
		return e->code;
	}
	for (const unsigned char *s = (const unsigned char *)bare; *s; s++) {
		if (islower(*s)) lower = 1;
		else if (isupper(*s)) upper = 1;
		else if (isdigit(*s)) digit = 1;
		else other = 1;
	}
	int bad_name = username && *username && strcasestr(bare, username);
	free(bare);
	if ((int)chars < p->min_length)
		return err_set(e, ERR_INVALID, "new_password", "密码至少 %d 位，空白不计 (at least %d characters, "
			       "whitespace not counted)", p->min_length, p->min_length);
	if (lower + upper + digit + other < p->min_classes)
		return err_set(e, ERR_INVALID, "new_password",
			       "密码须包含大写字母、小写字母、数字、符号中的至少 %d 类，空白不算 "
			       "(%d of 4 character classes; whitespace is none)", p->min_classes, p->min_classes);
	if (bad_name)
		return err_set(e, ERR_INVALID, "new_password", "密码不得包含用户名 (must not contain the username)");
	return 0;
}

int auth_hash(const struct auth_policy *p, struct auth_gate *g, const char *password,
	      char out[256], struct err *e)
{
	auth_gate_enter(g);
	int rc = crypto_pwhash_str(out, password, strlen(password), p->opslimit, p->memlimit);
	auth_gate_leave(g);
	if (rc != 0)
		return err_set(e, ERR_INTERNAL, "", "password hashing failed (out of memory)");
	return 0;
}

int auth_check(struct auth_gate *g, const char *hash, const char *password)
{
	if (!hash[0])
		return 0;
	auth_gate_enter(g);
	int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	auth_gate_leave(g);
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

/* The audit row of a login attempt (its own transaction unless the
** caller's is open). */
static int login_audit(struct store *st, int64_t uid, int64_t now, const char *username, const char *source,
		       const char *outcome, const char *reason, struct err *e)
{
	struct principal who = {.user_id = uid};
	char object[96];
	snprintf(who.username, sizeof who.username, "%s", username);
	snprintf(who.source, sizeof who.source, "%s", source);
	snprintf(object, sizeof object, "user:%s", username);
	return audit_write(st, &who, now, "session.login", object, outcome, json_pack("{s:s}", "reason", reason), e);
}

/* A failure of account id counted (unless it is locked meanwhile) by one
** statement, with its audit row, in one transaction. *until: the lock of
** the account afterwards (0 when not locked). */
static int count_failure(struct store *st, const struct auth_policy *p, int64_t id, int64_t now,
			 const char *username, const char *source, const char *why, int64_t *until, struct err *e)
{
	int counted;
	if (store_begin(st, e))
		return e->code;
	if (store_user_login_failed(st, id, now, p->lock_failures, now + (int64_t)p->lock_minutes * 60, &counted,
				    until, e) ||
	    login_audit(st, id, now, username, source, "failure", counted ? why : "locked", e)) {
		store_rollback(st);
		return e->code;
	}
	return store_commit(st, e);
}

/* One message for every failed login, so it never tells which part was
** wrong (nor, for an administrator, that the password was right). */
#define WRONG_LOGIN "用户名、密码或动态口令错误 (wrong username, password or one-time code)"

static int locked(const struct auth_policy *p, int64_t until, int64_t now, struct err *e)
{
	return err_set(e, ERR_LOCKED, "username", "连续登录失败次数过多，账号已锁定，请 %lld 分钟后再试 (account locked)",
		       (long long)((until - now + 59) / 60));
}

/* A failed login (id 0 for a name that is no account, which locks the
** same way in the gate's memory): counted for the address and the
** account, recorded; ERR_LOCKED when the account is locked now, else
** ERR_AUTH. */
static int refuse(struct store *st, const struct auth_policy *p, struct auth_gate *g, int64_t id, int64_t now,
		  const char *username, const char *source, const char *why, struct err *e)
{
	int64_t until = 0;
	auth_gate_failed(g, p, source, now);
	if (id && count_failure(st, p, id, now, username, source, why, &until, e))
		return e->code;
	if (!id) {
		until = auth_gate_name_failed(g, p, username, now);
		if (login_audit(st, 0, now, username, source, "failure", why, e))
			return e->code;
	}
	return until > now ? locked(p, until, now, e) : err_set(e, ERR_AUTH, "", WRONG_LOGIN);
}

/* Open a sealed TOTP secret (auth_totp_*): "s1:" + hex(nonce | secretbox)
** under the key file's TOTP subkey; a secret stored before the key existed
** (base32) is used as it is. out >= TOTP_SECRET_LEN + 1. */
static int totp_unseal(struct store *st, const char *stored, char *out, struct err *e);
static int totp_seal(struct store *st, const char *plain, char *out, size_t n, struct err *e);

/* A secret stored before the key file existed (plain base32) is sealed at
** the account's next good code; a failure leaves it as it was. */
static void reseal_legacy(struct store *st, struct user *u, const char *secret, int64_t now)
{
	struct err e;
	struct user sealed = *u;
	char object[48];
	snprintf(object, sizeof object, "user:%lld", (long long)u->id);
	sealed.updated_at = now;
	if (strncmp(u->totp_secret, "s1:", 3) == 0 ||
	    totp_seal(st, secret, sealed.totp_secret, sizeof sealed.totp_secret, &e))
		return;
	if (store_begin(st, &e))
		return;
	if (store_user_totp_save(st, &sealed, &e) ||
	    audit_write(st, &(struct principal){.user_id = u->id, .username = "system", .source = "-"}, now,
			"user.totp.seal", object, "success", json_pack("{s:s}", "username", u->username), &e)) {
		store_rollback(st);
		return;
	}
	if (store_commit(st, &e) == 0)
		memcpy(u->totp_secret, sealed.totp_secret, sizeof u->totp_secret);
}

/* The second factor of an account that has one: ERR_AUTH (recorded as a
** failed login) unless otp is a code of a step not used before. The step
** is taken with one conditional UPDATE, so two logins racing with the same
** code cannot both pass. */
static int second_factor(struct store *st, const struct auth_policy *p, struct auth_gate *g, int64_t now,
			 const char *otp, const char *source, struct user *u, struct err *e)
{
	int64_t step;
	int taken = 0;
	char secret[TOTP_SECRET_LEN + 1];
	struct err e2;
	if (!u->totp_secret[0])
		return 0;
	if (totp_unseal(st, u->totp_secret, secret, e))
		return e->code;
	if (otp && *otp && totp_verify(secret, now, otp, u->totp_step, &step, &e2) == 0) {
		if (store_begin(st, e))
			return e->code;
		if (store_user_totp_claim(st, u->id, step, &taken, e)) {
			store_rollback(st);
			return e->code;
		}
		if (store_commit(st, e))
			return e->code;
	}
	if (taken) {
		u->totp_step = step;
		reseal_legacy(st, u, secret, now);
		sodium_memzero(secret, sizeof secret);
		return 0;
	}
	sodium_memzero(secret, sizeof secret);
	return refuse(st, p, g, u->id, now, u->username, source, otp && *otp ? "wrong otp" : "otp missing", e);
}

/* The success: failures reset and last login set by one statement that
** holds only while the account is still active, unlocked and has the hash
** just checked; else the login is refused as what changed meanwhile. */
static int login_success(struct store *st, const struct auth_policy *p, struct auth_gate *g, int64_t now,
			 const char *source, struct user *u, struct err *e)
{
	int ok;
	if (store_begin(st, e))
		return e->code;
	if (store_user_login_ok(st, u->id, now, u->password_hash, &ok, e) ||
	    (ok && login_audit(st, u->id, now, u->username, source, "success",
			       u->totp_secret[0] ? "password+totp" : "password", e))) {
		store_rollback(st);
		return e->code;
	}
	if (store_commit(st, e))
		return e->code;
	if (ok)
		return 0;
	if (store_user_by_id(st, u->id, u, e))
		return e->code;
	if (u->locked_until > now) {
		login_audit(st, u->id, now, u->username, source, "failure", "locked", e);
		return locked(p, u->locked_until, now, e);
	}
	return refuse(st, p, g, u->id, now, u->username, source, u->active ? "password changed" : "disabled", e);
}

int auth_login(struct store *st, const struct auth_policy *p, struct auth_gate *g,
	       int64_t now, const char *username, const char *password, const char *otp,
	       const char *source, struct user *u, struct err *e)
{
	struct err e2;
	int64_t wait = auth_gate_blocked(g, source, now), until;
	if (wait > 0) {
		if (login_audit(st, 0, now, username, source, "denied", "rate limited", e))
			return e->code;
		return err_set(e, ERR_TOOMANY, "", "登录失败次数过多，请 %lld 秒后再试 (too many failed logins from "
			       "this address; retry after %lld s)", (long long)wait, (long long)wait);
	}
	int found = store_user_by_name(st, username, u, &e2) == 0;
	if (!found && e2.code != ERR_NOTFOUND)
		return err_set(e, ERR_INTERNAL, "", "%s", e2.msg);
	until = found ? u->locked_until : auth_gate_name_locked(g, username, now);
	if (until > now) {
		if (login_audit(st, found ? u->id : 0, now, username, source, "failure", "locked", e))
			return e->code;
		return locked(p, until, now, e);
	}
	/* a name that is no account costs the same argon2 work as one */
	int ok = auth_check(g, found ? u->password_hash : auth_gate_dummy(g, p), password) && found;
	if (!ok || !u->active)
		return refuse(st, p, g, found ? u->id : 0, now, username, source,
			      !found ? "unknown user" : !ok ? "wrong password" : "disabled", e);
	if (second_factor(st, p, g, now, otp, source, u, e) || login_success(st, p, g, now, source, u, e))
		return e->code;
	u->must_change = auth_must_change(p, u, now);
	return 0;
}

/* ERR_INVALID when new_pw is one of the last p->history passwords or the
** current one; norm is new_pw normalised (password_norm). *recorded: the
** current password is the newest row of the history (not so for an
** initial password or one set before migration 0011). */
static int check_history(struct store *st, const struct auth_policy *p, struct auth_gate *g,
			 const struct user *u, const char *new_pw, const char *norm, int *recorded, struct err *e)
{
	struct store_pwhist *old = calloc(p->history + 1, sizeof *old);
	int n = 0;
	if (!old)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	int rc = store_pwhist_recent(st, u->id, p->history ? p->history : 1, old, &n, e);
	*recorded = n > 0 && strcmp(old[0].hash, u->password_hash) == 0;
	if (!p->history)
		n = 0;
	for (int i = 0; rc == 0 && i < n; i++)
		if (old[i].norm_hash[0] ? auth_check(g, old[i].norm_hash, norm) : auth_check(g, old[i].hash, new_pw))
			rc = err_set(e, ERR_INVALID, "new_password", "不得与最近 %d 次使用过的密码相同（不计空白和大小写）"
				     "(must differ from the last %d passwords, whitespace and case aside)",
				     p->history, p->history);
	if (rc == 0 && auth_check(g, u->password_hash, new_pw))
		rc = err_set(e, ERR_INVALID, "new_password", "新密码不得与当前密码相同 (must differ from the current one)");
	sodium_memzero(old, (p->history + 1) * sizeof *old);
	free(old);
	return rc;
}

/* Checks of a change by the user: not locked, old password right (a wrong
** one counts as a failed login), not within the minimum age. */
static int check_own_change(struct store *st, const struct auth_policy *p, struct auth_gate *g,
			    const struct principal *who, int64_t now, const struct user *u, const char *old,
			    struct err *e)
{
	int64_t until;
	if (u->locked_until > now)
		return locked(p, u->locked_until, now, e);
	if (!auth_check(g, u->password_hash, old)) {
		if (count_failure(st, p, u->id, now, u->username, who->source[0] ? who->source : "-",
				  "wrong old password", &until, e))
			return e->code;
		if (until > now)
			return locked(p, until, now, e);
		return err_set(e, ERR_INVALID, "old_password", "原密码错误 (old password is wrong)");
	}
	if (!u->must_change && p->min_age_days > 0 && now - u->password_changed_at < (int64_t)p->min_age_days * 86400)
		return err_set(e, ERR_CONFLICT, "new_password", "密码 %d 天内只能修改一次 (changed less than %d day(s) "
			       "ago)", p->min_age_days, p->min_age_days);
	return 0;
}

/* The two hashes of new_pw (as typed and normalised) after every check. */
static int new_hashes(struct store *st, const struct auth_policy *p, struct auth_gate *g, const struct user *u,
		      const char *new_pw, char hash[256], char norm_hash[256], int *recorded, struct err *e)
{
	size_t chars, size = strlen(new_pw) + 1;
	char *norm = calloc(1, size);
	if (!norm)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	int rc = auth_password_policy(p, u->username, new_pw, e);
	if (rc == 0)
		rc = password_norm(new_pw, norm, 1, &chars, e);
	if (rc == 0)
		rc = check_history(st, p, g, u, new_pw, norm, recorded, e);
	if (rc == 0)
		rc = auth_hash(p, g, new_pw, hash, e);
	if (rc == 0)
		rc = auth_hash(p, g, norm, norm_hash, e);
	sodium_memzero(norm, size);
	free(norm);
	return rc;
}

int auth_set_password(struct store *st, const struct auth_policy *p, struct auth_gate *g,
		      const struct principal *who, int64_t now, int64_t user_id,
		      const char *old, const char *new_pw, struct err *e)
{
	struct user u;
	char hash[256], norm_hash[256], object[48];
	int ok, recorded = 0;
	if (store_user_by_id(st, user_id, &u, e))
		return e->code;
	if (old && check_own_change(st, p, g, who, now, &u, old, e))
		return e->code;
	if (new_hashes(st, p, g, &u, new_pw, hash, norm_hash, &recorded, e) || store_begin(st, e))
		return e->code;
	snprintf(object, sizeof object, "user:%lld", (long long)u.id);
	if (store_user_set_password(st, u.id, u.password_hash, hash, old ? 0 : 1, now, &ok, e) ||
	    (ok && !recorded && store_pwhist_add(st, u.id, u.password_hash, "", u.password_changed_at, e)) ||
	    (ok && store_pwhist_add(st, u.id, hash, norm_hash, now, e)))
		goto fail;
	if (!ok) {
		err_set(e, ERR_CONFLICT, "new_password", "密码刚被他人修改，请重试 (changed meanwhile; try again)");
		goto fail;
	}
	if (audit_write(st, who, now, old ? "user.password.change" : "user.password.reset", object,
			"success", json_pack("{s:s}", "username", u.username), e))
		goto fail;
	return store_commit(st, e);
fail:
	store_rollback(st);
	return e->code;
}

/* ---- the TOTP factor: enrolment and reset ------------------------------------- */

#define SEALED_PREFIX "s1:"

/* The TOTP subkey of key generation gen (-1: the current one); ERR_NOTFOUND
** past the oldest. */
static int totp_key(struct store *st, int gen, unsigned char sub[crypto_secretbox_KEYBYTES], struct err *e)
{
	const struct store_secret *k = store_secret(st);
	if (k->state != STORE_KEY_LOADED)
		return err_set(e, ERR_INTERNAL, "key_file", "TOTP secrets are sealed with the key file: %s",
			       k->state == STORE_KEY_MISSING ? k->problem : "none recorded");
	if (gen >= k->ngen)
		return err_set(e, ERR_NOTFOUND, "key_file", "no older key");
	crypto_kdf_derive_from_key(sub, crypto_secretbox_KEYBYTES, 2, "ggtotp__",
				   gen < 0 ? store_key_current(k) : k->gen[k->ngen - 1 - gen].key);
	return 0;
}

/* plain (base32) sealed into out (>= sizeof u->totp_secret). */
static int totp_seal(struct store *st, const char *plain, char *out, size_t n, struct err *e)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TOTP_SECRET_LEN];
	size_t len = strlen(plain);
	assert(len <= TOTP_SECRET_LEN);
	assert(n >= sizeof SEALED_PREFIX + 2 * (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len));
	if (totp_key(st, -1, key, e))
		return e->code;
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, len, box, key);
	sodium_memzero(key, sizeof key);
	snprintf(out, n, "%s", SEALED_PREFIX);
	sodium_bin2hex(out + strlen(SEALED_PREFIX), n - strlen(SEALED_PREFIX), box,
		       crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len);
	return 0;
}

static int totp_unseal(struct store *st, const char *stored, char *out, struct err *e)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TOTP_SECRET_LEN];
	size_t n = 0;
	if (strncmp(stored, SEALED_PREFIX, strlen(SEALED_PREFIX)) != 0) {
		snprintf(out, TOTP_SECRET_LEN + 1, "%s", stored);     /* from before the key */
		return 0;
	}
	stored += strlen(SEALED_PREFIX);
	if (sodium_hex2bin(box, sizeof box, stored, strlen(stored), NULL, &n, NULL) != 0 ||
	    n <= crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return err_set(e, ERR_INTERNAL, "totp", "stored TOTP secret is malformed");
	size_t len = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	int bad = 1;
	for (int gen = 0; bad; gen++) {       /* the current key, then older ones (rotated) */
		int rc = totp_key(st, gen, key, e);
		if (rc == ERR_NOTFOUND)
			break;
		if (rc)
			return rc;
		bad = crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
						 n - crypto_secretbox_NONCEBYTES, box, key);
	}
	sodium_memzero(key, sizeof key);
	if (bad)
		return err_set(e, ERR_INTERNAL, "totp", "stored TOTP secret does not open with the key file");
	out[len] = 0;
	return 0;
}

/* Load user id, let fn change its TOTP columns, save them and the audit row
** in one transaction. */
static int totp_change(struct store *st, const struct principal *who, int64_t now, int64_t id, const char *action,
		       int (*fn)(struct store *, struct user *, int64_t, void *, struct err *), void *arg,
		       struct err *e)
{
	struct user u;
	char object[48];
	if (store_begin(st, e))
		return e->code;
	if (store_user_by_id(st, id, &u, e) || fn(st, &u, now, arg, e))
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

/* arg: where the new secret goes (stored sealed) */
static int new_pending(struct store *st, struct user *u, int64_t now, void *arg, struct err *e)
{
	if (u->totp_secret[0])
		return err_set(e, ERR_CONFLICT, "", "动态口令已绑定；更换须由安全管理员先重置 (already enrolled)");
	if (totp_new_secret(arg, e))
		return e->code;
	return totp_seal(st, arg, u->totp_pending, sizeof u->totp_pending, e);
}

int auth_totp_begin(struct store *st, const struct principal *who, int64_t now, char *secret, struct err *e)
{
	return totp_change(st, who, now, who->user_id, "user.totp.secret", new_pending, secret, e);
}

/* arg: the code typed */
static int confirm(struct store *st, struct user *u, int64_t now, void *arg, struct err *e)
{
	int64_t step;
	struct err why;
	char pending[TOTP_SECRET_LEN + 1];
	if (!u->totp_pending[0])
		return err_set(e, ERR_CONFLICT, "", "请先获取动态口令密钥 (request a secret first)");
	if (totp_unseal(st, u->totp_pending, pending, e))
		return e->code;
	int bad = totp_verify(pending, now, arg, 0, &step, &why);
	sodium_memzero(pending, sizeof pending);
	if (bad)
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

/* arg: who resets; an administrator's factor is reset from the command line only */
static int clear(struct store *st, struct user *u, int64_t now, void *arg, struct err *e)
{
	const struct principal *who = arg;
	if (!who->cli && (rbac_parse_roles(u->roles) & ROLE_ADMINS))
		return err_set(e, ERR_FORBIDDEN, "id", "三员分立：管理员账号的动态口令只能在服务器命令行重置 "
			       "(an administrator's factor: gonggai user reset-totp only)");
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
	return totp_change(st, who, now, id, "user.totp.reset", clear, (void *)who, e);
}
