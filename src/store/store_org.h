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
	char totp_secret[40];     /* base32, "" when not enrolled (org/totp.h) */
	char totp_pending[40];    /* handed out for enrolment, not confirmed   */
	int64_t totp_step;        /* last TOTP step accepted                   */
};

int store_user_by_name(struct store *st, const char *username, struct user *u, struct err *e);
int store_user_by_id(struct store *st, int64_t id, struct user *u, struct err *e);
/* Insert u (id assigned). Duplicate username: ERR_CONFLICT. */
int store_user_insert(struct store *st, struct user *u, struct err *e);
/* Write every mutable column of u (not roles, not the TOTP columns). */
int store_user_update(struct store *st, const struct user *u, struct err *e);
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

int store_pwhist_add(struct store *st, int64_t user_id, const char *hash, int64_t at, struct err *e);
/* Up to n most recent hashes into out[i] (each 256 bytes); *count set. */
int store_pwhist_recent(struct store *st, int64_t user_id, int n, char (*out)[256], int *count,
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
