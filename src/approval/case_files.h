/*
** case_files.h: the window's paper of a case (issue 20): its material
** checklist (copied from the pinned item version, ticked at 收件), the files
** uploaded against a material or the case, and the public verification of
** a numbered document by the code printed on it.
**
** Rules: the checklist may be ticked by the case's department (or a window
** clerk who sees the case) until 受理; 受理 reads it (case.c): a required
** material unticked refuses 受理 unless 容缺 applies. Files: accepted
** types are decided by content (base/filestore.h), at most the configured
** size ([files] max_mb, default 20), stored under their SHA-256 beside the
** database, readable by whoever may read the case, never removed. Every
** change writes an audit row in its transaction.
**
** Ownership: json_t results belong to the caller; inputs are borrowed.
*/
#ifndef GG_CASE_FILES_H
#define GG_CASE_FILES_H

#include <jansson.h>
#include <stdint.h>

#include "approval/case.h"
#include "base/buf.h"
#include "base/conf.h"
#include "store/store_files.h"

#define CASE_FILES_MAX_MB 20

/* [files] max_mb (1-512) in bytes; ERR_INVALID naming files.max_mb. */
int case_files_max_bytes(const struct conf *c, int64_t *out, struct err *e);

/* The checklist of case id: {"checklist": true when ticked at least once,
** "materials": [{position, name, required, form, copies, tolerable,
** template, received}]} (received false everywhere before the first tick). */
int case_materials_get(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e);
/* Tick what was handed in (received: array of material names of the
** pinned version; the others become unticked). Only before 受理 (409). */
int case_materials_tick(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
			int64_t id, const json_t *received, struct err *e);

struct case_upload {
	const char *name;             /* file name as the applicant gave it    */
	const char *material;         /* checklist name, NULL/"": the case     */
	const void *data;
	size_t len;
	int64_t max_bytes;            /* case_files_max_bytes                  */
};
/* Store an upload; *out = its row as case_files_get lists it. */
int case_file_upload(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		     int64_t id, const struct case_upload *u, json_t **out, struct err *e);
/* The files of case id (visible to who): [{id, material, name, mime, ext,
** size, sha256, kind, uploaded_at, uploaded_by}]. */
int case_files_get(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e);
/* One file's record and bytes (checked against its hash) for who; data->data
** is freed by the caller. */
int case_file_read(struct store *st, const struct principal *who, int64_t file_id, struct case_file_rec *meta,
		   struct buf *data, struct err *e);

/* For the exchange (SPGL_XMQTFJXXB), no principal: the files of case id as
** [{"FJID": "<id>", "FJMC": name, "FJLX": ext, "FJFL": 1, "sha256", "size",
** "material", "uploaded_at"}] in upload order ([] when none). */
int case_files_list(struct store *st, int64_t case_id, json_t **out, struct err *e);

/* Public: the document with verification code `code` as a small printable
** HTML page saying its title, number, date and issuing department, nothing
** more. ERR_NOTFOUND for an unknown or malformed code. */
int case_verify_page(struct store *st, const char *code, struct buf *out, struct err *e);

#endif
