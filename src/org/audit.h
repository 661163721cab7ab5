/*
** audit.h: the tamper-evident audit log (等保 level 3).
**
** audit_write appends one row inside the caller's transaction (it opens a
** nested one when called outside any), so a state change and its audit row
** commit or roll back together. Each row stores HMAC-SHA-256, under the key
** file outside the database (store/store_key.h), over its own content and
** the previous row's value (rows written before the installation had a key,
** up to its anchor: plain SHA-256); ids are contiguous. Nothing in the
** program updates or deletes a row (triggers refuse it too); audit_verify
** walks the chain and names the first row that does not fit, so whoever can
** write the database file but not read the key file cannot rewrite it.
*/
#ifndef GG_AUDIT_H
#define GG_AUDIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "org/rbac.h"
#include "store/store.h"

/* action: dotted verb ("user.create", "session.login"); object: what it
** touched ("user:12"); outcome: "success" | "failure" | "denied";
** details: a JSON object or NULL (stolen: audit_write decrefs it). */
int audit_write(struct store *st, const struct principal *who, int64_t at,
		const char *action, const char *object, const char *outcome,
		json_t *details, struct err *e);

/* Many records in one transaction (the caller's, or its own): one read and
** one write of the chain's head, for generators of history and bulk
** importers. details: JSON object text or NULL ("{}"); strings borrowed. */
struct audit_entry {
	int64_t at, user_id;
	const char *username, *source, *action, *object, *outcome, *details;
};
int audit_write_many(struct store *st, const struct audit_entry *v, size_t n, struct err *e);

/* ---- the auditor's list (audit_list.c) -------------------------------------------- */

/* Filters; NULL or "" strings: any. action: exact ("case.accept") or a group
** ("case.*": every action starting with "case."). from/to: [from, to) epoch
** seconds (0 / INT64_MAX: open). after: the id of the last record of the
** page before (keyset continuation: the page number then only labels the
** page); 0 pages by number. */
struct audit_query {
	const char *user, *action, *object, *outcome;
	int64_t from, to;
	int64_t after;
	int continued;         /* a later page of one reading (an export): neither
				  counted (total 0, capped) nor audited again      */
};

/* Counts stop here: a filtered list says "at least AUDIT_COUNT_CAP" rather
** than counting millions of entries on every page. */
#define AUDIT_COUNT_CAP 100000

struct audit_list_result {
	json_t *items;         /* newest first by (at, id); the caller's           */
	int64_t total;         /* matching records (AUDIT_COUNT_CAP when capped)   */
	int capped;            /* total is a lower bound                          */
	int64_t next_after;    /* after= for the next page, 0 when this is the last */
};

/* One page of the log for who (the auditor; the caller checked the role),
** recorded itself as audit.read. ERR_INVALID names the filter at fault. */
int audit_list(struct store *st, const struct principal *who, int64_t now, const struct audit_query *q,
	       const struct page *pg, struct audit_list_result *out, struct err *e);

struct audit_verdict {
	int64_t records;       /* rows checked                              */
	int64_t bad_id;        /* first bad row (0 when intact)             */
	char reason[160];      /* what was wrong with it                    */
};

/* 0 with v->bad_id == 0 when the chain is intact; 0 with bad_id set when
** it is broken; an error only when the database could not be read. */
int audit_verify(struct store *st, struct audit_verdict *v, struct err *e);

/* A new key for the chain from the next record on, whose first is this
** change's own audit row (security.key.rotate); older keys stay in the key
** file for the records they keyed. *from: that first record. Only while no
** other process has the database open (the caller makes sure). */
int audit_rotate_key(struct store *st, const struct principal *who, int64_t now, int64_t *from, struct err *e);

#endif
