/*
** audit.c: hash chain over audit_log rows (see audit.h). The hashed text is
** every column but the hashes, joined with 0x1f separators, then the previous
** hash. Records up to the key's anchor (written before the installation had
** a key) use SHA-256; later ones HMAC-SHA-256 under a subkey of the key file
** (store/store_key.h). Changing the separators or column order would
** invalidate every stored chain, so this encoding is frozen.
*/
#include "org/audit.h"
#include "store/store_key.h"
#include "store/store_org.h"

#include <assert.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The chain's key for r: NULL for records up to the anchor (plain
** SHA-256); else the audit subkey into sub. ERR_INTERNAL when a key is
** needed and the key file is not loaded. */
static int chain_key(struct store *st, int64_t id, unsigned char sub[crypto_auth_hmacsha256_KEYBYTES],
		     const unsigned char **key, struct err *e)
{
	const struct store_secret *k = store_secret(st);
	const unsigned char *master;
	*key = NULL;
	if (k->state == STORE_KEY_NONE || (k->state == STORE_KEY_LOADED && id <= k->anchor))
		return 0;
	if (k->state != STORE_KEY_LOADED)
		return err_set(e, ERR_INTERNAL, "key_file", "%s", k->problem);
	master = store_key_for(k, id);
	assert(master);
	crypto_kdf_derive_from_key(sub, crypto_auth_hmacsha256_KEYBYTES, 1, "ggaudit_", master);
	*key = sub;
	return 0;
}

static void row_hash(const struct audit_row *r, const char *prev, const unsigned char *key, char out[65])
{
	crypto_auth_hmacsha256_state hm;
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];
	char num[64];
	if (key)
		crypto_auth_hmacsha256_init(&hm, key, crypto_auth_hmacsha256_KEYBYTES);
	else
		crypto_hash_sha256_init(&h);
#define UPDATE(p, n) (key ? crypto_auth_hmacsha256_update(&hm, (const unsigned char *)(p), (n)) \
		      : crypto_hash_sha256_update(&h, (const unsigned char *)(p), (n)))
	snprintf(num, sizeof num, "%" PRId64 "\x1f%" PRId64 "\x1f%" PRId64 "\x1f", r->id, r->at, r->user_id);
	UPDATE(num, strlen(num));
	const char *parts[] = {r->username, r->source, r->action, r->object, r->outcome, r->details, prev};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		UPDATE(parts[i], strlen(parts[i]));
		UPDATE("\x1f", 1);
	}
#undef UPDATE
	if (key)
		crypto_auth_hmacsha256_final(&hm, d);
	else
		crypto_hash_sha256_final(&h, d);
	sodium_memzero(&hm, sizeof hm);
	sodium_bin2hex(out, 65, d, sizeof d);
}

int audit_write(struct store *st, const struct principal *who, int64_t at,
		const char *action, const char *object, const char *outcome,
		json_t *details, struct err *e)
{
	char *text = details ? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(details);
	struct audit_row r = {
		.at = at, .user_id = who->user_id,
		.username = who->username[0] ? who->username : "anonymous",
		.source = who->source[0] ? who->source : "-",
		.action = action, .object = object ? object : "", .outcome = outcome,
		.details = text ? text : "{}",
	};
	int rc = store_begin(st, e);
	if (rc)
		goto out;
	if ((rc = store_audit_head(st, &r.id, r.prev_hash, e)) != 0)
		goto fail;
	r.id++;
	unsigned char sub[crypto_auth_hmacsha256_KEYBYTES];
	const unsigned char *key;
	if ((rc = chain_key(st, r.id, sub, &key, e)) != 0)
		goto fail;
	row_hash(&r, r.prev_hash, key, r.hash);
	sodium_memzero(sub, sizeof sub);
	if ((rc = store_audit_append(st, &r, e)) != 0)
		goto fail;
	rc = store_commit(st, e);
	goto out;
fail:
	store_rollback(st);
out:
	free(text);
	return rc;
}

struct walk {
	struct store *st;
	struct audit_verdict *v;
	char prev[65];
	int64_t expect_id;
};

static int check_row(void *arg, const struct audit_row *r)
{
	struct walk *w = arg;
	char h[65];
	w->v->records++;
	if (r->id != w->expect_id) {
		w->v->bad_id = r->id;
		snprintf(w->v->reason, sizeof w->v->reason,
			 "expected record %" PRId64 " here: deleted or reordered", w->expect_id);
		return 1;
	}
	if (strcmp(r->prev_hash, w->prev) != 0) {
		w->v->bad_id = r->id;
		snprintf(w->v->reason, sizeof w->v->reason, "previous-hash link broken");
		return 1;
	}
	unsigned char sub[crypto_auth_hmacsha256_KEYBYTES];
	const unsigned char *key;
	struct err e;
	if (chain_key(w->st, r->id, sub, &key, &e)) {
		w->v->bad_id = r->id;
		snprintf(w->v->reason, sizeof w->v->reason, "cannot check keyed records: %.120s", e.msg);
		return 1;
	}
	row_hash(r, r->prev_hash, key, h);
	sodium_memzero(sub, sizeof sub);
	if (strcmp(h, r->hash) != 0) {
		w->v->bad_id = r->id;
		snprintf(w->v->reason, sizeof w->v->reason, "content does not match its hash (altered)");
		return 1;
	}
	snprintf(w->prev, sizeof w->prev, "%s", r->hash);
	w->expect_id++;
	return 0;
}

int audit_verify(struct store *st, struct audit_verdict *v, struct err *e)
{
	struct walk w = {.st = st, .v = v, .expect_id = 1};
	int64_t head_id;
	char head_hash[65];
	memset(v, 0, sizeof *v);
	memset(w.prev, '0', 64);
	w.prev[64] = 0;
	if (store_audit_scan(st, check_row, &w, e))
		return e->code;
	if (v->bad_id)
		return 0;
	if (store_audit_head(st, &head_id, head_hash, e))
		return e->code;
	if (head_id != w.expect_id - 1 || strcmp(head_hash, w.prev) != 0) {
		v->bad_id = w.expect_id;
		snprintf(v->reason, sizeof v->reason,
			 "chain ends at %" PRId64 " but head says %" PRId64 ": records removed at the end",
			 w.expect_id - 1, head_id);
	}
	return 0;
}

int audit_rotate_key(struct store *st, const struct principal *who, int64_t now, int64_t *from, struct err *e)
{
	int64_t last;
	char head[65];
	if (store_begin(st, e))
		return e->code;
	if (store_audit_head(st, &last, head, e) || store_key_rotate(st, last + 1, e) ||
	    audit_write(st, who, now, "security.key.rotate", store_secret(st)->path, "success",
			json_pack("{s:I}", "from", (json_int_t)(last + 1)), e)) {
		store_rollback(st);
		return e->code;
	}
	*from = last + 1;
	return store_commit(st, e);
}

int audit_list(struct store *st, const struct principal *who, int64_t now, const char *user, const char *action,
	       int64_t from, int64_t to, const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	if (store_audit_list(st, user, action, from, to, pg, items, total, e))
		return e->code;
	if (audit_write(st, who, now, "audit.read", "audit_log", "success",
			json_pack("{s:s?,s:s?,s:i}", "user", user, "action", action, "page", pg->page), e)) {
		json_decref(*items);
		return e->code;
	}
	return 0;
}
