/*
** store_files.h: SQL of the window's paper (approval/case_files.c): the
** material checklist of a case, the files uploaded to it, and the
** verification codes of numbered documents (migration 0018) and their
** pages (0030). Uploaded files' bytes live on disk (base/filestore.c), so
** do documents' pages kept before 0030; these are their records.
** json_t results belong to the caller.
*/
#ifndef GG_STORE_FILES_H
#define GG_STORE_FILES_H

#include <jansson.h>
#include <stdint.h>

#include "base/buf.h"
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
/* Every file the database refers to (uploads, documents whose page is in
** the file store, desk attachments), each once: [{sha256, size}] (size -1
** when only a document refers to it). */
int store_files_all(struct store *st, json_t **rows, struct err *e);

/* A document issued now: its row in case_documents, sealed (verification
** code and the SHA-256 of its page), and its page kept beside it
** (case_document_pages, migration 0030), both in the caller's transaction. */
struct case_doc_issued {
	int64_t case_id, at;
	const char *kind, *number, *by, *code;
	const char *sha256;           /* of page */
	const void *page;
	size_t len;
};
int store_case_doc_issue(struct store *st, const struct case_doc_issued *d, struct err *e);
/* A document by its verification code: kind, number, issued_at, sha256,
** case_id and the department's name. ERR_NOTFOUND when unknown. */
struct case_doc_found {
	int64_t case_id, issued_at;
	char kind[24], number[64], sha256[65], department[128];
};
int store_case_doc_by_code(struct store *st, const char *code, struct case_doc_found *out, struct err *e);
/* The latest document of kind of case id: its id and sha256 ("" when not
** kept). */
int store_case_doc_sha(struct store *st, int64_t id, const char *kind, int64_t *doc_id, char sha256[65],
		       struct err *e);
/* The page kept in the database for document doc_id into out (freed by the
** caller; out->data NUL-terminated): 0, or ERR_NOTFOUND when it has none
** (issued before migration 0030: its page is in the file store). The
** caller checks it against the document's sha256. */
int store_case_doc_page(struct store *st, int64_t doc_id, struct buf *out, struct err *e);
/* Every document whose page is kept in the database and no longer matches
** its sha256 (or cannot be read): [{id, number}] ([] when all are intact). */
int store_case_doc_pages_check(struct store *st, json_t **bad, struct err *e);

#endif
