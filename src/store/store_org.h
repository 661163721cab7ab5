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
/* The same in two halves for a bulk append: rows one by one, then the head
** once (org/audit.c's audit_write_many, inside its transaction). */
int store_audit_insert(struct store *st, const struct audit_row *r, struct err *e);
int store_audit_set_head(struct store *st, int64_t last_id, const char *last_hash, struct err *e);
/* The planner's statistics of the log's indexes, from a sample of each
** (after a bulk append: a young log's statistics mislead the planner). */
int store_audit_analyze(struct store *st, struct err *e);
/* Call fn for every row in id order; stops when fn returns non-zero. */
int store_audit_scan(struct store *st, int (*fn)(void *arg, const struct audit_row *r),
		     void *arg, struct err *e);

/* The auditor's list (store_audit.c; migration 0021 for its indexes):
** newest first by (at, id). Only the filters set reach the WHERE, each
** with an index ending in `at`. Strings NULL: any. */
struct store_audit_filter {
	const char *username;
	const char *action;        /* exact                                   */
	const char *group;         /* "case.": the part up to the first dot   */
	const char *prefix;        /* any other prefix "user.password."       */
	const char *object;        /* exact                                   */
	const char *outcome;
	int64_t from, to;          /* [from, to); 0 and INT64_MAX: open       */
	int64_t after_at, after_id; /* keyset: rows after (at, id) in the list
				       order; after_id 0: none                */
};
/* Up to limit rows after skipping offset, as JSON objects (id, at,
** user_id, username, source, action, object, outcome, details, hash);
** *items owned by the caller. */
int store_audit_page(struct store *st, const struct store_audit_filter *f, int64_t offset, int limit,
		     json_t **items, struct err *e);
/* The rows matching f, counted up to cap (*n == cap: cap or more). */
int store_audit_count(struct store *st, const struct store_audit_filter *f, int64_t cap, int64_t *n,
		      struct err *e);
/* at of record id; *found 0 when there is none. */
int store_audit_at(struct store *st, int64_t id, int64_t *at, int *found, struct err *e);
/* The list as one fixed statement whose filters are `?n IS NULL OR ...`
** (the form before 0021), newest first by id, with an exact count: the
** benchmark's baseline and the tests' oracle. action: exact or a group
** "case.*"; NULL strings: any. */
int store_audit_list_scan(struct store *st, const char *username, const char *action, const char *object,
			  const char *outcome, int64_t from, int64_t to, const struct page *pg,
			  json_t **items, int64_t *total, struct err *e);

#endif
