/*
** store_archive.h: SQL of the 运维档案 (src/archive/archive.h): the starts
** of the server, and the maintenance rows of the audit log by time range.
** Results are JSON arrays owned by the caller.
*/
#ifndef GG_STORE_ARCHIVE_H
#define GG_STORE_ARCHIVE_H

#include "store/store.h"

struct store_start {
	int64_t at;
	const char *version, *build;
	const char *prev_version, *prev_build;   /* NULL for the first start */
	int pid;
	const char *config_hash;
	const char *config_keys;  /* JSON text */
	const char *changed_keys; /* JSON text */
	const char *migrations;   /* JSON text */
};

int store_archive_start_add(struct store *st, const struct store_start *s, struct err *e);
/* The newest start as {id, at, version, build, config_hash, config_keys}
** (config_keys parsed), *out NULL when there is none. */
int store_archive_start_last(struct store *st, json_t **out, struct err *e);
/* File names ("0017_archive.sql") of the migrations applied after since. */
int store_archive_migrations_since(struct store *st, int64_t since, json_t **names, struct err *e);
/* Starts in [from, to), newest first, each {id, at, version, build,
** prev_version, prev_build, pid, config_hash, changed_keys, migrations}
** (JSON columns parsed). */
int store_archive_starts(struct store *st, int64_t from, int64_t to, json_t **items, struct err *e);

#define STORE_ARCHIVE_GLOBS 8
/* Audit rows in [from, to) whose action matches one of globs (SQLite GLOB
** patterns, at most STORE_ARCHIVE_GLOBS, NULL-terminated), newest first,
** each {id, at, username, action, object, outcome, details} (details
** parsed). */
int store_archive_audit(struct store *st, int64_t from, int64_t to, const char *const *globs,
			json_t **items, struct err *e);

#endif
