/*
** store_files.h: SQL of the window's paper (approval/case_files.c): the
** material checklist of a case, the files uploaded to it, and the
** verification codes of numbered documents (migration 0018). The files'
** bytes live on disk (approval/filestore.c); these are their records.
** json_t results belong to the caller.
*/
#ifndef GG_STORE_FILES_H
#define GG_STORE_FILES_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* One line of a case's checklist. */
struct case_material_row {
	int position;
	const char *name, *form;
	int required, copies, tolerable, received;
};

/* Insert or replace line m of case id. */
int store_case_material_put(struct store *st, int64_t id, const struct case_material_row *m, int64_t at,
			    const char *by, struct err *e);
/* The checklist of case id in order: [{position, name, required, form,
** copies, tolerable, received, updated_at, updated_by}] ([] when none). */
int store_case_materials(struct store *st, int64_t id, json_t **rows, struct err *e);

/* One uploaded file. */
struct case_file_rec {
	int64_t id, case_id;
	char material[204];
	char name[256];
	char mime[80];
	char ext[8];
	int64_t size;
	char sha256[65];
	int kind;                     /* FJFL: 1 material, 2 issued document */
	int64_t uploaded_at;
	char uploaded_by[96];
};
int store_case_file_add(struct store *st, struct case_file_rec *f, struct err *e);   /* sets f->id */
int store_case_file_get(struct store *st, int64_t file_id, struct case_file_rec *f, struct err *e);
/* [{id, material, name, mime, ext, size, sha256, kind, uploaded_at, uploaded_by}] of case id. */
int store_case_files(struct store *st, int64_t id, json_t **rows, struct err *e);
/* Every file the database refers to (uploads, issued documents, desk attachments), each
** once: [{sha256, size}] (size -1 when only a document refers to it). */
int store_files_all(struct store *st, json_t **rows, struct err *e);

/* 1 when st commits with synchronous=FULL (each commit on disk). */
int store_sync_full(struct store *st);

/* Seal the document numbered `number`: its verification code and the
** SHA-256 of the file issued. */
int store_case_doc_seal(struct store *st, const char *number, const char *code, const char *sha256,
			struct err *e);
/* A document by its verification code: kind, number, issued_at, sha256,
** case_id and the department's name. ERR_NOTFOUND when unknown. */
struct case_doc_found {
	int64_t case_id, issued_at;
	char kind[24], number[64], sha256[65], department[128];
};
int store_case_doc_by_code(struct store *st, const char *code, struct case_doc_found *out, struct err *e);
/* The latest document of kind of case id: its sha256 ("" when not kept). */
int store_case_doc_sha(struct store *st, int64_t id, const char *kind, char sha256[65], struct err *e);

#endif
