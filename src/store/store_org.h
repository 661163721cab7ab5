/*
** store_org.h: rows of the organisation (districts, departments, roles),
** accounts and the audit log. Single records come back as plain structs the
** domain reasons about; listings for the API come back as jansson arrays of
** objects (caller owns them, json_decref) plus the total before paging.
*/
#ifndef GG_STORE_ORG_H
#define GG_STORE_ORG_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* ---- districts and departments ------------------------------------------ */
int store_district_put(struct store *st, const char *code, const char *name,
		       const char *parent, int level, int64_t now, struct err *e);
int store_district_exists(struct store *st, const char *code);
int store_district_list(struct store *st, const struct page *pg, json_t **items, int64_t *total, struct err *e);
int store_district_update(struct store *st, const char *code, const char *name, int active,
			  int64_t now, struct err *e);

int store_department_put(struct store *st, const char *code, const char *name,
			 const char *district, int64_t now, struct err *e);
int store_department_exists(struct store *st, const char *code);
/* district may be NULL for all. */
int store_department_list(struct store *st, const char *district, const struct page *pg,
			  json_t **items, int64_t *total, struct err *e);
int store_department_update(struct store *st, const char *code, const char *name, int active,
			    int64_t now, struct err *e);
/* 1 when the department exists and is disabled (停用). */
/* Move a department to another district (the caller checked it exists). */
int store_department_move(struct store *st, const char *code, const char *district, int64_t now, struct err *e);
/* *district of department code ("" when none); *cases every case it ever handled. */
int store_department_place(struct store *st, const char *code, char district[16], int64_t *cases, struct err *e);
int store_department_inactive(struct store *st, const char *code);
/* Open cases of the department and its active accounts. */
int store_department_load(struct store *st, const char *code, int64_t *running_cases,
			  int64_t *active_accounts, struct err *e);
/* Disable every active account of the department; *users gets
** [{id, username}] of those disabled (caller decrefs). */
int store_department_disable_users(struct store *st, const char *code, int64_t now, json_t **users,
				   struct err *e);
int store_role_list(struct store *st, json_t **items, struct err *e);

/* ---- users ------------------------------------------------------------ */
struct user {
	int64_t id;
	char username[64];
	char display_name[128];
	char phone[32];
	char password_hash[256];
	int must_change;
	int64_t password_changed_at;
	int failed_logins;
	int64_t locked_until;
	char department[48];      /* "" when none */
	char district[16];        /* "" when none */
	int active;
	char roles[256];          /* comma-separated role codes, sorted */
	int64_t created_at, updated_at;
	char totp_secret[160];    /* sealed (org/auth.c), "" when not enrolled */
	char totp_pending[160];   /* handed out for enrolment, not confirmed   */
	int64_t totp_step;        /* last TOTP step accepted                   */
	int64_t last_login_at;    /* 0: never                                  */
};

int store_user_by_name(struct store *st, const char *username, struct user *u, struct err *e);
int store_user_by_id(struct store *st, int64_t id, struct user *u, struct err *e);
/* Insert u (id assigned). Duplicate username: ERR_CONFLICT. */
int store_user_insert(struct store *st, struct user *u, struct err *e);
/* Write every mutable column of u (not roles, not the TOTP columns, not
** last_login_at). Only inside the transaction that read u: logins never
** write a whole row (store_user_login_*). */
int store_user_update(struct store *st, const struct user *u, struct err *e);
/* A failed login of id at now, one statement: counted unless the account
** is locked (*counted 0); at limit failures in a row the counter restarts
** and the account is locked until lock_until. *until: its lock afterwards. */
int store_user_login_failed(struct store *st, int64_t id, int64_t now, int limit, int64_t lock_until,
			    int *counted, int64_t *until, struct err *e);
/* A successful login, one statement: failures reset and last_login_at set,
** only while the account is active, not locked and still has hash (*ok). */
int store_user_login_ok(struct store *st, int64_t id, int64_t now, const char *hash, int *ok, struct err *e);
/* Replace the password hash of id when it is still old_hash (*ok), setting
** must_change, password_changed_at, and clearing failures and lock. */
int store_user_set_password(struct store *st, int64_t id, const char *old_hash, const char *hash,
			    int must_change, int64_t now, int *ok, struct err *e);
/* Write u's TOTP columns (secret, pending, step). */
int store_user_totp_save(struct store *st, const struct user *u, struct err *e);
/* Take TOTP step for user id if no later or equal step was taken: *taken 1,
** else 0 (a concurrent login used that code first). One statement. */
int store_user_totp_claim(struct store *st, int64_t id, int64_t step, int *taken, struct err *e);
int store_user_role_add(struct store *st, int64_t user_id, const char *role, struct err *e);
int store_user_role_del(struct store *st, int64_t user_id, const char *role, struct err *e);
/* Filters may be NULL. Items carry no password hash. */
int store_user_list(struct store *st, const char *department, const char *role,
		    const struct page *pg, json_t **items, int64_t *total, struct err *e);

/* Password history: the hash of each password set and of its normalised
** form (org/auth.c; "" in rows from before migration 0011). */
struct store_pwhist {
	char hash[256], norm_hash[256];
};
int store_pwhist_add(struct store *st, int64_t user_id, const char *hash, const char *norm_hash, int64_t at,
		     struct err *e);
/* Up to n most recent rows into out; *count set. */
int store_pwhist_recent(struct store *st, int64_t user_id, int n, struct store_pwhist *out, int *count,
			struct err *e);

/* ---- audit ------------------------------------------------------------ */
struct audit_row {
	int64_t id, at, user_id;   /* user_id 0: none (system, anonymous) */
	const char *username, *source, *action, *object, *outcome, *details;
	char prev_hash[65], hash[65];
};

int store_audit_head(struct store *st, int64_t *last_id, char last_hash[65], struct err *e);
/* Insert r (with r->id = last_id + 1) and move the head; inside a transaction. */
int store_audit_append(struct store *st, const struct audit_row *r, struct err *e);
/* Call fn for every row in id order; stops when fn returns non-zero. */
int store_audit_scan(struct store *st, int (*fn)(void *arg, const struct audit_row *r),
		     void *arg, struct err *e);
/* Newest first; action exact or a group "case.*" (every "case." action). */
int store_audit_list(struct store *st, const char *username, const char *action,
		     int64_t from, int64_t to, const struct page *pg,
		     json_t **items, int64_t *total, struct err *e);

#endif
