/*
** archive.h: 运维档案 — one chronological, filterable record of every
** maintenance event (the contract's 文档管理: "建立专门的运维档案 … 包括软件
** 产品维护及修改记录"), read from the records the system already keeps:
**   software  every start of `gonggai serve`: version, build (the binary's
**             SHA-256), an upgrade old → new with the migrations it applied
**   config    the effective configuration changed since the previous start
**             (names of the changed keys; values never leave the server)
**   catalog   catalogue imports and new item/flow versions (audit log)
**   calendar  holiday notices imported (audit log)
**   org       organisation and account changes, one summary per day
**   backup    backups, restores and restore drills (ops runs)
**   system    initialisation, demo imports
** and the kinds of modules above registered as sources (incidents and
** requests of the service desk, repairs …).
**
** Who reads it: ops, leaders and the system administrator. Ranges are
** bounded (≤ 400 days, default the last 31) so a listing never walks the
** whole audit log.
*/
#ifndef GG_ARCHIVE_H
#define GG_ARCHIVE_H

#include <jansson.h>
#include <stdint.h>

#include "base/conf.h"
#include "base/dict.h"
#include "base/err.h"
#include "org/rbac.h"
#include "store/store.h"

/* archive.kind: the kinds and their labels, for GET /api/dict. */
extern const struct dict archive_dicts[];

/* A module above that adds events: list appends {at (epoch), kind, title,
** detail, actor, ref} objects for [from, to) to out. */
struct archive_source {
	const char *kind;         /* one of archive.kind                     */
	int (*list)(void *ctx, struct store *st, int64_t from, int64_t to, json_t *out, struct err *e);
	void *ctx;
};

#define ARCHIVE_MAX_SOURCES 8
struct archive_sources {
	struct archive_source s[ARCHIVE_MAX_SOURCES];
	int n;
};

struct archive_filter {
	int64_t from, to;         /* [from, to); 0: the last 31 days up to now */
	const char *kind;         /* NULL: every kind                          */
};

/* Record this start of the server (in one transaction with its audit row
** system.start): version, build, the configuration's key hashes, and what
** changed since the previous start: keys, version, migrations applied
** (every migration at the first start). */
int archive_record_start(struct store *st, const struct conf *c, int64_t now, struct err *e);

/* Fill f from the texts people type (any may be NULL): from and to are
** days YYYY-MM-DD in Asia/Shanghai, to inclusive. ERR_INVALID naming the
** field. */
int archive_filter_parse(const char *from, const char *to, const char *kind, struct archive_filter *f,
			 struct err *e);
/* Validate f (ERR_INVALID naming from/to/kind) and fill in defaults. */
int archive_filter_check(struct archive_filter *f, int64_t now, struct err *e);

/* The events of f newest first, paged: {at (ISO), kind, kind_label, title,
** detail, actor, ref}. ERR_FORBIDDEN unless who may read the archive. */
int archive_list(struct store *st, const struct archive_sources *src, const struct principal *who,
		 struct archive_filter *f, int64_t now, const struct page *pg, json_t **items, int64_t *total,
		 struct err *e);

/* Every event of f as an XLSX workbook written to path. */
int archive_xlsx(struct store *st, const struct archive_sources *src, const struct principal *who,
		 struct archive_filter *f, int64_t now, const char *path, struct err *e);

#endif
