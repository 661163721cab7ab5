/*
** backup.h: online backup, verification, restore and the restore drill
** (数据库巡检：备份策略；应急演练).
**
** Backup: the SQLite backup API copies the live database page by page inside
** one read transaction of the source connection, so the copy is a consistent
** snapshot and, in WAL mode, the server keeps reading and writing meanwhile.
** The copy is written as DIR/gonggai-YYYYMMDD-HHMMSS.db.part, switched to
** rollback-journal mode (one self-contained file), checked with PRAGMA
** integrity_check, renamed into place, hashed (SHA-256, libsodium) and the
** hash is stored twice: in the record (ops_backups) and in a sidecar file
** FILE.sha256 (sha256sum format), so a backup can be verified even when the
** live database is lost. Retention then keeps, in [ops] backup_dir, every
** backup of the last 24 hours, the newest backup of each of the last
** [ops] backup_keep_daily days and of each of the last backup_keep_monthly
** months, and removes the others (files, sidecars; the records stay).
**
** Restore: under the exclusive lock (ops/lock.h: refused while a server
** holds the database), verify the file (checksum, integrity), move the
** current database aside as PATH.replaced-YYYYMMDD-HHMMSS (with its WAL),
** copy the backup into place, open it (migrations bring an older schema up to
** date) and record the restore in it.
**
** Drill: the newest backup is restored into a scratch file under [ops]
** tmp_dir, checked (checksum, integrity_check, audit hash chain) and its
** row counts compared with the live database; the result is a run record.
**
** Every action is a run record (ops_runs) and an audit row (ops.backup,
** ops.restore, ops.drill, ops.backup.verify).
*/
#ifndef GG_OPS_BACKUP_H
#define GG_OPS_BACKUP_H

#include <jansson.h>
#include <stdint.h>

#include "ops/ops.h"

struct ops_backup_out {
	int64_t run_id;
	struct ops_backup_rec rec;    /* the record written                    */
	double hash_ms;
	int removed;                  /* backups removed by retention           */
};

/* Back up the database of st (its own connection, used by this thread only)
** into dir (NULL: [ops] backup_dir). *stop non-zero interrupts between steps.
** A copy that fails its integrity check is removed and the run fails. */
int ops_backup(struct store *st, const struct ops_conf *cf, const struct principal *who, int64_t now,
	       const char *dir, int64_t run_id, const volatile int *stop, struct ops_backup_out *out,
	       struct err *e);

/* The copy phase alone, for the benchmark: back up src into dest_path. */
int ops_backup_copy(struct store *src, const char *dest_path, const volatile int *stop, double *copy_ms,
		    struct err *e);

struct ops_verify {
	char recorded[65];            /* "" when no record and no sidecar      */
	char actual[65];
	char source[16];              /* "record" | "sidecar" | ""             */
	char integrity[200];          /* "ok" or the first problem             */
	int ok;                       /* checksum and integrity both good       */
};

/* Verify file against the record in st (may be NULL) or its sidecar. Only
** I/O failures are errors; a mismatch is v->ok == 0 with the reason in e
** (field "sha256" or "integrity"). */
int ops_backup_verify(struct store *st, const char *file, struct ops_verify *v, struct err *e);

/* Files (backup_files.c): the uploads and the documents issued before
** migration 0030 a database refers to by SHA-256 live beside it
** (base/filestore.h); a backup keeps them in DIR/files beside its backup
** files, shared by every backup of DIR (later documents' pages are inside
** the database). *n counts the files. ops_backup_files copies those of the
** backup at backup_path from the live store of `live`;
** ops_backup_files_check reads each back against its name and the pages
** inside the backup against their SHA-256 (ERR_INVALID, field "files", when
** one is missing or damaged); ops_backup_files_restore copies them into the
** store of db_path. */
int ops_backup_files(struct store *live, const char *backup_path, int *n, struct err *e);
int ops_backup_files_check(const char *backup_path, int *n, struct err *e);
int ops_backup_files_restore(const char *backup_path, const char *db_path, int *n, struct err *e);

/* PRAGMA integrity_check of a database file: 0 when "ok", else -1 with
** the first problem (or why it could not be opened) in first. */
int ops_integrity_file(const char *path, char *first, size_t cap, double *ms);

/* SHA-256 of a file, hex. */
int ops_sha256_file(const char *path, char hex[65], struct err *e);

struct ops_restore_out {
	char aside[600];              /* where the replaced database went ("" : none) */
	char sha256[65];
	int64_t bytes;
	int schema_version;
	int64_t run_id;
};

/* Restore file into db_path (see above). who: the CLI principal. */
int ops_restore(const struct ops_conf *cf, const char *file, const struct principal *who, int64_t now,
		struct ops_restore_out *out, struct err *e);

/* The restore drill. Whenever the run was recorded, *report (caller's) holds
** the details also stored in it, even when the drill failed (then the
** return value is the error and e says why). */
int ops_drill(struct store *st, const struct ops_conf *cf, const struct principal *who, int64_t now,
	      int64_t run_id, json_t **report, struct err *e);

#endif
