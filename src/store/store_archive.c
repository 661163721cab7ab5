/*
** store_archive.c: SQL of the 运维档案 (see store_archive.h).
*/
#include "store/store_archive.h"
#include "store/store_int.h"

#include <assert.h>

/* Replace the JSON text of key in every object of items by its value. */
static void parse_column(json_t *items, const char *key)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *t = json_string_value(json_object_get(it, key));
		json_t *v = t ? json_loads(t, 0, NULL) : NULL;
		json_object_set_new(it, key, v ? v : json_null());
	}
}

int store_archive_start_add(struct store *st, const struct store_start *r, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO app_starts(at, version, build, prev_version, prev_build, pid, "
				     "config_hash, config_keys, changed_keys, migrations) VALUES (?,?,?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, r->at);
	store_bind_text(s, 2, r->version);
	store_bind_text(s, 3, r->build);
	store_bind_text(s, 4, r->prev_version);
	store_bind_text(s, 5, r->prev_build);
	sqlite3_bind_int(s, 6, r->pid);
	store_bind_text(s, 7, r->config_hash);
	store_bind_text(s, 8, r->config_keys);
	store_bind_text(s, 9, r->changed_keys);
	store_bind_text(s, 10, r->migrations);
	return store_step_done(st, s, e, "app_starts insert");
}

int store_archive_start_last(struct store *st, json_t **out, struct err *e)
{
	json_t *items;
	sqlite3_stmt *s = store_stmt(st, "SELECT id, at, version, build, config_hash, config_keys FROM app_starts "
				     "ORDER BY id DESC LIMIT 1", e);
	if (!s || store_rows_json(st, s, &items, e))
		return e->code;
	parse_column(items, "config_keys");
	*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return 0;
}

int store_archive_migrations_since(struct store *st, int64_t since, json_t **names, struct err *e)
{
	json_t *items;
	size_t i;
	json_t *it;
	sqlite3_stmt *s = store_stmt(st, "SELECT name FROM schema_version "
				     "WHERE applied_at > ? ORDER BY version", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, since);
	if (store_rows_json(st, s, &items, e))
		return e->code;
	*names = json_array();
	json_array_foreach(items, i, it)
		json_array_append(*names, json_object_get(it, "name"));
	json_decref(items);
	return 0;
}

int store_archive_starts(struct store *st, int64_t from, int64_t to, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, at, version, build, prev_version, prev_build, pid, config_hash, "
				     "changed_keys, migrations FROM app_starts WHERE at >= ? AND at < ? ORDER BY at DESC, id DESC", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	if (store_rows_json(st, s, items, e))
		return e->code;
	parse_column(*items, "changed_keys");
	parse_column(*items, "migrations");
	return 0;
}

int store_archive_audit(struct store *st, int64_t from, int64_t to, const char *const *globs, json_t **items,
			struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, at, username, action, object, outcome, details FROM audit_log "
				     "WHERE at >= ?1 AND at < ?2 AND (action GLOB ?3 OR action GLOB ?4 OR action GLOB ?5 "
				     "OR action GLOB ?6 OR action GLOB ?7 OR action GLOB ?8 OR action GLOB ?9 "
				     "OR action GLOB ?10) ORDER BY at DESC, id DESC", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	int n = 0;
	for (; globs[n]; n++) {
		assert(n < STORE_ARCHIVE_GLOBS);
		store_bind_text(s, 3 + n, globs[n]);
	}
	if (store_rows_json(st, s, items, e))
		return e->code;
	parse_column(*items, "details");
	return 0;
}
