/*
** session.h: logged-in sessions, in memory.
**
** A session is a random 256-bit token (sent as an HttpOnly, SameSite=Strict
** cookie) mapped to the account's principal. It expires after idle_minutes
** without a request. The principal is re-read from the database at most every
** recheck seconds, so a disabled account or a revoked role takes effect
** within that delay even when changed by the CLI. Sessions do not survive a
** restart (users log in again), which is also what an operator wants after a
** security incident.
**
** Thread-safe: one mutex over an open-addressing table; lookups are O(1).
*/
#ifndef GG_SESSION_H
#define GG_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "org/rbac.h"

#define SESSION_TOKEN_LEN 64   /* hex characters */

struct session_table;

struct session_table *session_table_new(int idle_seconds, int recheck_seconds);
void session_table_free(struct session_table *t);

/* New session for p at now; token written to out (SESSION_TOKEN_LEN + 1). */
int session_create(struct session_table *t, const struct principal *p, int64_t now, char *out);

enum session_state { SESSION_NONE, SESSION_OK, SESSION_STALE };
/* Look up token at now. SESSION_OK: *p filled, idle timer reset.
** SESSION_STALE: like OK but the caller must refresh the principal from the
** database and call session_refresh (or session_drop when gone). */
enum session_state session_get(struct session_table *t, const char *token, int64_t now,
			       struct principal *p);
void session_refresh(struct session_table *t, const char *token, const struct principal *p, int64_t now);
void session_drop(struct session_table *t, const char *token);
/* Drop every session of user_id (disable, role change, password reset). */
void session_drop_user(struct session_table *t, int64_t user_id);
/* Drop every session of user_id but keep (its own password change). */
void session_drop_others(struct session_table *t, int64_t user_id, const char *keep);
int session_count(struct session_table *t, int64_t now);
/* Slots of the table (memory: about 400 bytes each). */
size_t session_capacity(struct session_table *t);

#endif
