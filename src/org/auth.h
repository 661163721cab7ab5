/*
** auth.h: passwords and logins.
**
** Passwords are argon2id strings from libsodium (crypto_pwhash_str). Hashing
** costs tens of milliseconds and 64 MiB, so at most max_concurrent_hashing
** run at once, on the threads of struct auth_gate (owned by the server,
** shared by its threads), never on an HTTP worker.
** Policy (等保 common practice, every number configurable in [security]):
** >= 8 characters with 3 of 4 classes, whitespace neither counting as a
** character nor as a class, no invisible (zero-width, control) characters;
** not one of the last 5 (compared without whitespace and ASCII case), at
** most one change a day by the user, expiry after 90 days; lock after 5
** failures in a row for 30 minutes, for names that are no account alike
** (same answers, same argon2 work); 10 failed logins a minute from one
** address, then 429 until the minute is over. Administrators also give a
** TOTP code (org/totp.h) once enrolled; its secret is stored sealed under
** the key file (store/store_key.h).
*/
#ifndef GG_AUTH_H
#define GG_AUTH_H

#include <stdint.h>

#include "base/conf.h"
#include "org/rbac.h"
#include "store/store.h"
#include "store/store_org.h"

struct auth_policy {
	int min_length;
	int min_classes;
	int history;             /* refuse the last N passwords           */
	int max_age_days;        /* 0: never expires                      */
	int lock_failures;
	int lock_minutes;
	int idle_minutes;        /* session idle timeout                  */
	unsigned long long opslimit;
	size_t memlimit;
	int admin_totp;          /* [security] admin_totp = required (1) | off */
	int min_age_days;        /* between two changes by the user himself */
	int rate_per_minute;     /* failed logins per address and minute    */
};

/* Defaults overridden by [security] in c (may be NULL). e on a bad value. */
int auth_policy_load(const struct conf *c, struct auth_policy *p, struct err *e);

/* The server's state of logins (auth_gate.c): max_concurrent hashing
** threads, the failure window of each client address and the lock of
** names that are no account. NULL (the command line): hashing on the
** calling thread, no address window, no lock of unknown names. */
struct auth_gate;
struct auth_gate *auth_gate_new(int max_concurrent);
void auth_gate_free(struct auth_gate *g);
/* Run fn(arg) on a hashing thread (at once on the caller's when g is NULL).
** The server's handlers pass their argon2 work here (http.h w->later). */
void auth_gate_run(struct auth_gate *g, void (*fn)(void *arg), void *arg);
/* The same with a connection to the database at path: each hashing thread
** opens its own (flags as store_open; queued on pool's writer gate) at
** its first such job and keeps it, so argon2 never holds one of pool's
** connections. st is NULL when the database cannot be opened. */
void auth_gate_run_db(struct auth_gate *g, const char *path, int flags, struct store_pool *pool,
		      void (*fn)(struct store *st, void *arg), void *arg);
/* For auth.c: the semaphore around one hash, a hash to check unknown names
** against (same cost as a real one), the address window (seconds to wait,
** 0 when free; a failure counted) and the lock of unknown names (until). */
void auth_gate_enter(struct auth_gate *g);
void auth_gate_leave(struct auth_gate *g);
const char *auth_gate_dummy(struct auth_gate *g, const struct auth_policy *p);
int64_t auth_gate_blocked(struct auth_gate *g, const char *source, int64_t now);
void auth_gate_failed(struct auth_gate *g, const struct auth_policy *p, const char *source, int64_t now);
int64_t auth_gate_name_locked(struct auth_gate *g, const char *username, int64_t now);
int64_t auth_gate_name_failed(struct auth_gate *g, const struct auth_policy *p, const char *username, int64_t now);

/* Complexity rules only (no history): 0 or ERR_INVALID naming the rule. */
int auth_password_policy(const struct auth_policy *p, const char *username,
			 const char *password, struct err *e);
/* Hash into out (>= 256 bytes). */
int auth_hash(const struct auth_policy *p, struct auth_gate *g, const char *password,
	      char out[256], struct err *e);
/* 1 when password matches hash. */
int auth_check(struct auth_gate *g, const char *hash, const char *password);
/* 16 random characters meeting every class; buf >= 17. */
void auth_random_password(char *buf);

/* Log in at time now: ERR_AUTH (unknown user, wrong password, disabled, or
** for an account with a TOTP factor a missing, wrong or used code: no hint
** which), ERR_LOCKED, ERR_TOOMANY (the address failed too often; the
** message says how many seconds to wait), or 0 with *u filled and
** u->must_change set also when the password has expired. Writes the audit
** row and the failure counters (a bad code counts like a bad password)
** with single statements of their own columns, so a disable or a password
** reset landing while the hash is checked is never undone, and a lock
** takes exactly lock_failures failures however many run at once. source is
** the client address. */
int auth_login(struct store *st, const struct auth_policy *p, struct auth_gate *g,
	       int64_t now, const char *username, const char *password, const char *otp,
	       const char *source, struct user *u, struct err *e);

/* 1 when u must enrol a TOTP factor before anything else: an administrator
** (三员) without one while [security] admin_totp = required (等保 level 3
** asks two factors of administrators, one of them cryptographic). */
int auth_must_enroll(const struct auth_policy *p, const struct user *u);

/* Enrolment of who's own TOTP factor: begin hands out a new secret (kept as
** pending, secret >= TOTP_SECRET_LEN + 1; 409 when enrolled already),
** confirm makes it the account's factor when code is right (400 field code;
** 409 without a pending secret). reset (secadmin or the command line, not
** for oneself) removes the factor: the account enrols again. Each is one
** transaction with its audit row (user.totp.secret / enroll / reset); the
** secret itself is never written to the audit log. */
int auth_totp_begin(struct store *st, const struct principal *who, int64_t now, char *secret, struct err *e);
int auth_totp_confirm(struct store *st, const struct principal *who, int64_t now, const char *code, struct err *e);
int auth_totp_reset(struct store *st, const struct principal *who, int64_t now, int64_t id, struct err *e);

/* Change u's password after checking old (unless old is NULL: an admin
** reset, which sets must_change). Audited as who. A wrong old password
** counts as a failed login (ERR_INVALID old_password, ERR_LOCKED at the
** limit); a change by the user within min_age_days of the last one is
** ERR_CONFLICT (not when the password must be changed). */
int auth_set_password(struct store *st, const struct auth_policy *p, struct auth_gate *g,
		      const struct principal *who, int64_t now, int64_t user_id,
		      const char *old, const char *new_pw, struct err *e);

/* 1 when u must change the password now (flag set or expired). */
int auth_must_change(const struct auth_policy *p, const struct user *u, int64_t now);

#endif
