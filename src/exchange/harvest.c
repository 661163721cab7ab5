/*
** harvest.c: collect what changed since the last push into exchange_rows,
** in chunks of one SQLite transaction each (a chunk and the high-water mark
** or queue entries it consumed commit together, so a crash loses nothing).
**
** Appended rows (办件, status rows, documents, uploaded files) are read
** without JSON (store_xchg_scan); those new to exchange_rows whose parents
** are ready go at once, a keyed batch: the chunk's transaction inserts them
** recorded as sent (LSH '*') with the batch's intent naming them, the
** round's sender (push.c) copies them to the front DB once it committed and
** the next chunk's transaction removes the intent (or, when the front DB
** refused the batch, makes its rows and the chunk's due). The flows and
** stage items the new 办件 need are collected before them (case_items).
** The rest, and everything collected from the queue, is put due.
**
** With a sender, a thread of its own (struct reader, on a read-only
** connection) reads and maps the appended rows — content text, hash, COPY
** line — one chunk ahead, while the round's thread checks their parents
** and writes them. Rows sent at once are kept without their content
** (XCHG_CONTENT_SOURCE): a withdrawal, or a batch the front DB refused
** (xchg_unsend queues their sources), derives it again from the source
** through the correction steps.
**
** DFSJZJ keys: flow:<flow version id>, stage:<flow>:<n>, item:<flow>:<item
** version id>, project:<id>, unit:<project>:<credit code>:<DWLX>, case:<id>,
** status:<case_status id>, special:<id>, doc:<id> (批复文件), att:<id>
** (documents as attachments), file:<case_files id> (uploaded files).
** A 办件 row waits for its project and its stage item; every other row for
** the one above it (spgl.md's order).
*/
#include "exchange/xchg_int.h"

#include "base/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 2000

/* A set of ids (cases, projects) as bits. */
struct bits {
	uint64_t *w;
	size_t n;
};

struct hv {
	struct store *st;
	struct xmap *m;
	const struct exchange_conf *cf;
	int64_t now;
	int64_t rows;
	json_t *seen;     /* flow:<id>, item:<flow>:<iv> already collected this round */
	int *at;                      /* xrow_ctx.at of each table of m, this chunk (read here) */
	int imports;      /* anything brought in from a front DB (import_sources) */
	const struct xsender *send;   /* NULL: everything waits for the send phase */
	struct xfast fast[2];         /* the chunk's rows going at once, by table  */
	/* ids of the cases and projects whose rows are known ready as parents
	** this round (while appended rows are collected, a row stops being
	** ready only when its batch is refused: then both are emptied) */
	struct bits known[2];
	struct reader *rd;            /* the appended rows being read ahead, or NULL */
	json_t *fast_ready;           /* the projects' chunk, when its rows may go at once:
				         its parents' readiness (parent_ready) */
	struct err *e;
};

struct parent {
	const char *source, *key;
};

static int put_fast(struct hv *h, int fast, const char *source, const json_t *rec, const char *dfsjzj,
		    const char *object, const char *dept, struct parent p1, const char *withdrawn);

/* 1 when the source row came from the front DB (gonggai import spgl): the
** project (project:ID, unit:PID:…) or the 办件 (case:ID, and rows with a
** case_id) it belongs to is in import_sources. */
static int adopted(struct hv *h, const json_t *rec, const char *dfsjzj, int *yes)
{
	long long id = 0;
	*yes = 0;
	if (!h->imports)
		return 0;
	if (sscanf(dfsjzj, "project:%lld", &id) == 1 || sscanf(dfsjzj, "unit:%lld:", &id) == 1)
		return store_xchg_imported(h->st, "project", id, yes, h->e);
	if (sscanf(dfsjzj, "case:%lld", &id) == 1 || json_is_integer(json_object_get(rec, "case_id")))
		return store_xchg_imported(h->st, "case", id ? id : json_integer_value(json_object_get(rec, "case_id")),
					   yes, h->e);
	return 0;
}

static int put(struct hv *h, const char *source, const json_t *rec, const char *dfsjzj, const char *object,
	       const char *dept, struct parent p1, struct parent p2, const char *withdrawn)
{
	int from_front;
	struct xtable *t = xmap_table_of(h->m, source);
	if (!t)
		return 0;
	if (adopted(h, rec, dfsjzj, &from_front))
		return h->e->code;
	struct xtable *t1 = p1.source ? xmap_table_of(h->m, p1.source) : NULL;
	struct xtable *t2 = p2.source ? xmap_table_of(h->m, p2.source) : NULL;
	struct buf content = {0};
	char hash[33];
	xmap_row_json(t, rec, &(struct xrow_ctx){.dfsjzj = dfsjzj, .xzqhdm = h->cf->xzqhdm, .withdrawn = withdrawn},
		      &content, NULL, NULL, 0);
	const char *text = content.data;
	xmap_hash_text(text, hash);
	struct xchg_row r = {
		.tbl = t->table, .dfsjzj = dfsjzj, .object = object, .department = dept && *dept ? dept : NULL,
		.ptbl = t1 ? t1->table : NULL, .pkey = t1 ? p1.key : NULL,
		.ptbl2 = t2 ? t2->table : NULL, .pkey2 = t2 ? p2.key : NULL,
		.content = text, .hash = hash, .withdrawn = withdrawn, .adopted = from_front,
	};
	int rc = store_xchg_put(h->st, &r, h->now, h->e);
	buf_free(&content);
	h->rows++;
	return rc;
}

static const char *s_of(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static int64_t i_of(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int seen(struct hv *h, const char *key)
{
	if (json_object_get(h->seen, key))
		return 1;
	json_object_set_new(h->seen, key, json_true());
	return 0;
}

static int stage_item(struct hv *h, int64_t flow_id, const json_t *it)
{
	char key[64], stage[64], object[160];
	snprintf(key, sizeof key, "item:%lld:%lld", (long long)flow_id, (long long)i_of(it, "item_version_id"));
	snprintf(stage, sizeof stage, "stage:%lld:%lld", (long long)flow_id, (long long)i_of(it, "stage_number"));
	snprintf(object, sizeof object, "%s %s", s_of(it, "flow_code"), s_of(it, "flow_version"));
	json_object_set_new(h->seen, key, json_true());
	return put(h, "stage_item", it, key, object, s_of(it, "department_code"), (struct parent){"stage", stage},
		   (struct parent){0}, NULL);
}

/* A flow version in use: its row, its stages (and the virtual stage 5) and
** its stage items, once per round. */
static int flow(struct hv *h, int64_t flow_id)
{
	char key[48], object[160], sk[64];
	json_t *f, *stages, *items, *v;
	size_t i;
	int rc = 0, has5 = 0;
	snprintf(key, sizeof key, "flow:%lld", (long long)flow_id);
	if (seen(h, key))
		return 0;
	if (store_xchg_flow(h->st, flow_id, &f, &stages, &items, h->e))
		return h->e->code;
	snprintf(object, sizeof object, "%s %s", s_of(f, "flow_code"), s_of(f, "flow_version"));
	rc = put(h, "flow", f, key, object, NULL, (struct parent){0}, (struct parent){0}, NULL);
	json_array_foreach(stages, i, v) {
		if (rc)
			break;
		has5 |= i_of(v, "stage_number") == 5;
		snprintf(sk, sizeof sk, "stage:%lld:%lld", (long long)flow_id, (long long)i_of(v, "stage_number"));
		rc = put(h, "stage", v, sk, object, s_of(v, "lead_department"), (struct parent){"flow", key},
			 (struct parent){0}, NULL);
	}
	if (!rc && !has5) {
		json_t *v5 = json_pack("{s:s,s:s,s:s+,s:s,s:i,s:s,s:i,s:i}", "flow_code", s_of(f, "flow_code"),
				       "flow_version", s_of(f, "flow_version"), "stage_code", s_of(f, "flow_code"), "-5",
				       "stage_name", "并行推进", "stage_number", 5, "std_stage", "5", "time_limit", 0,
				       "completion_rule", 2);
		snprintf(sk, sizeof sk, "stage:%lld:5", (long long)flow_id);
		rc = put(h, "stage", v5, sk, object, NULL, (struct parent){"flow", key}, (struct parent){0}, NULL);
		json_decref(v5);
	}
	json_array_foreach(items, i, v) {
		if (rc)
			break;
		rc = stage_item(h, flow_id, v);
	}
	json_decref(f);
	json_decref(stages);
	json_decref(items);
	return rc;
}

static int unit_kind(const char *k)
{
	static const char *const kinds[] = {"builder", "agent", "survey", "design", "construction", "supervision", NULL};
	for (int i = 0; kinds[i]; i++)
		if (strcmp(kinds[i], k) == 0)
			return i + 1;
	return 7;
}

/* Withdraw unit rows of the project no longer among its units. */
static int units_gone(struct hv *h, int64_t id, json_t *keep)
{
	struct xtable *t = xmap_table_of(h->m, "unit");
	json_t *old = json_array(), *r;
	char prefix[48];
	size_t i;
	int rc = 0;
	snprintf(prefix, sizeof prefix, "unit:%lld:", (long long)id);
	if (t && store_xchg_rows_keyed(h->st, t->table, (const char *[]){prefix}, 1, old, h->e))
		rc = h->e->code;
	json_array_foreach(old, i, r) {
		if (rc)
			break;
		if (strcmp(s_of(r, "tbl"), t->table) == 0 && !json_object_get(keep, s_of(r, "dfsjzj")))
			rc = xchg_withdraw_row(h->st, r, "单位已从项目中移除", h->now, h->e);
	}
	json_decref(old);
	return rc;
}

static int project(struct hv *h, int64_t id)
{
	json_t *p, *units, *u;
	char key[48], uk[160];
	size_t i;
	if (store_xchg_project(h->st, id, &p, &units, h->e))
		return h->e->code == ERR_NOTFOUND ? 0 : h->e->code;
	int rc = 0;
	if (json_is_integer(json_object_get(p, "flow_id"))) {
		int64_t fid = i_of(p, "flow_id");
		const char *gone = json_is_null(json_object_get(p, "deleted_at")) ? NULL : "项目已删除";
		char fk[48];
		json_t *keep = json_object();
		snprintf(key, sizeof key, "project:%lld", (long long)id);
		snprintf(fk, sizeof fk, "flow:%lld", (long long)fid);
		rc = flow(h, fid);
		if (!rc)
			rc = put_fast(h, 0, "project", p, key, s_of(p, "project_code"), s_of(p, "department"),
				      (struct parent){"flow", fk}, gone);
		json_array_foreach(units, i, u) {
			if (rc)
				break;
			int kind = unit_kind(s_of(u, "kind"));
			json_object_set_new(u, "unit_kind", json_integer(kind));
			snprintf(uk, sizeof uk, "unit:%lld:%s:%d", (long long)id, s_of(u, "credit_code"), kind);
			json_object_set_new(keep, uk, json_true());
			rc = put_fast(h, 1, "unit", u, uk, s_of(p, "project_code"), s_of(p, "department"),
				      (struct parent){"project", key}, gone);
		}
		if (!rc)
			rc = units_gone(h, id, keep);
		json_decref(keep);
	}
	json_decref(p);
	json_decref(units);
	return rc;
}

/* The flow version of a 办件 and its stage item (key ik) are collected. */
static int case_parents(struct hv *h, int64_t fid, int64_t iv, char *ik, size_t cap)
{
	int rc = flow(h, fid);
	snprintf(ik, cap, "item:%lld:%lld", (long long)fid, (long long)iv);
	if (!rc && !json_object_get(h->seen, ik)) {
		json_t *it;
		rc = store_xchg_stage_item(h->st, fid, iv, &it, h->e);
		if (rc == ERR_NOTFOUND) {
			err_clear(h->e);
			rc = 0;            /* an item outside the flow: the province will say so */
		} else if (!rc) {
			rc = stage_item(h, fid, it);
			json_decref(it);
		}
	}
	return rc;
}

static int one_case(struct hv *h, const json_t *c)
{
	char key[48], pk[48], ik[64];
	int rc = case_parents(h, i_of(c, "flow_id"), i_of(c, "item_version_id"), ik, sizeof ik);
	snprintf(key, sizeof key, "case:%lld", (long long)i_of(c, "id"));
	snprintf(pk, sizeof pk, "project:%lld", (long long)i_of(c, "project_id"));
	return rc ? rc : put(h, "case", c, key, s_of(c, "case_number"), s_of(c, "department_code"),
			     (struct parent){"project", pk}, (struct parent){"stage_item", ik}, NULL);
}

static int one_status(struct hv *h, const json_t *s)
{
	char key[48], ck[48];
	const json_t *prev = json_object_get(s, "prev_status");
	if (json_is_integer(prev) && json_integer_value(prev) == i_of(s, "status"))
		return 0;                  /* a step change or a transfer: not a status change */
	snprintf(key, sizeof key, "status:%lld", (long long)i_of(s, "id"));
	snprintf(ck, sizeof ck, "case:%lld", (long long)i_of(s, "case_id"));
	return put(h, "status", s, key, s_of(s, "case_number"), s_of(s, "department_code"),
		   (struct parent){"case", ck}, (struct parent){0}, NULL);
}

static const char *doc_title(const char *kind)
{
	static const char *const t[][2] = {
		{"acceptance", "受理通知书"}, {"refusal", "不予受理决定书"}, {"supplement", "一次性补正告知书"},
		{"approval", "准予行政许可决定书"}, {"denial", "不予行政许可决定书"}, {"joint", "联合验收意见书"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i][0], kind) == 0)
			return t[i][1];
	return "文书";
}

/* The approval document (批复文件) of an approved 办件, and every issued
** document as an attachment. */
static int one_document(struct hv *h, json_t *d)
{
	char key[48], ck[48], title[400];
	snprintf(ck, sizeof ck, "case:%lld", (long long)i_of(d, "case_id"));
	snprintf(title, sizeof title, "%s%s", s_of(d, "item_name"), doc_title(s_of(d, "kind")));
	json_object_set_new(d, "title", json_string(title));
	json_object_set_new(d, "doc_class", json_integer(2));
	json_object_set_new(d, "ext", json_string("html"));
	int rc = 0;
	if (strcmp(s_of(d, "kind"), "approval") == 0) {
		snprintf(key, sizeof key, "doc:%lld", (long long)i_of(d, "id"));
		rc = put(h, "document", d, key, s_of(d, "case_number"), s_of(d, "department_code"),
			 (struct parent){"case", ck}, (struct parent){0}, NULL);
	}
	snprintf(key, sizeof key, "att:%lld", (long long)i_of(d, "id"));
	return rc ? rc : put(h, "attachment", d, key, s_of(d, "case_number"), s_of(d, "department_code"),
			     (struct parent){"case", ck}, (struct parent){0}, NULL);
}

/* An uploaded file (case_files) as an attachment, FJFL its kind (1). */
static int one_file(struct hv *h, const json_t *f)
{
	char key[48], ck[48];
	snprintf(ck, sizeof ck, "case:%lld", (long long)i_of(f, "case_id"));
	snprintf(key, sizeof key, "file:%lld", (long long)i_of(f, "id"));
	return put(h, "attachment", f, key, s_of(f, "case_number"), s_of(f, "department_code"),
		   (struct parent){"case", ck}, (struct parent){0}, NULL);
}

static const char *special_name(const char *kind)
{
	static const char *const t[][2] = {
		{"hearing", "听证"}, {"tender", "招标"}, {"auction", "拍卖"}, {"inspection", "检验"},
		{"testing", "检测"}, {"quarantine", "检疫"}, {"appraisal", "鉴定"}, {"expert", "专家评审"},
		{"extension", "延长审批"}, {"other", "其他"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i][0], kind) == 0)
			return t[i][1];
	return "其他";
}

static int special(struct hv *h, int64_t id)
{
	json_t *x;
	char key[48], ck[48];
	if (store_xchg_special(h->st, id, &x, h->e))
		return h->e->code == ERR_NOTFOUND ? 0 : h->e->code;
	json_object_set_new(x, "special_name", json_string(special_name(s_of(x, "kind"))));
	snprintf(key, sizeof key, "special:%lld", (long long)id);
	snprintf(ck, sizeof ck, "case:%lld", (long long)i_of(x, "case_id"));
	int rc = put(h, "special", x, key, s_of(x, "case_number"), s_of(x, "department_code"),
		     (struct parent){"case", ck}, (struct parent){0}, NULL);
	json_decref(x);
	return rc;
}

static int rederive(struct hv *h, const char *dfsjzj);

static int withdrawal(struct hv *h, int64_t id)
{
	json_t *r;
	if (store_xchg_row(h->st, id, &r, h->e))
		return h->e->code == ERR_NOTFOUND ? 0 : h->e->code;
	if (strcmp(s_of(r, "content"), XCHG_CONTENT_SOURCE) == 0) {    /* sent at once: its content again */
		int rc = rederive(h, s_of(r, "dfsjzj"));
		json_decref(r);
		if (rc || store_xchg_row(h->st, id, &r, h->e))
			return h->e->code;
		if (strcmp(s_of(r, "content"), XCHG_CONTENT_SOURCE) == 0) {
			log_msg(LOG_WARN, "exchange", "%s %s: its source row is gone, the withdrawal cannot be written",
				s_of(r, "tbl"), s_of(r, "dfsjzj"));
			json_decref(r);
			return 0;
		}
	}
	struct xtable *t = NULL;
	for (int i = 0; i < h->m->ntables && !t; i++)
		if (strcmp(h->m->tables[i].table, s_of(r, "tbl")) == 0)
			t = &h->m->tables[i];
	int rc = 0;
	if (t) {
		json_t *content = json_loads(s_of(r, "content"), 0, NULL);
		json_t *c2 = json_object();
		const char *reason = s_of(r, "withdrawn");
		for (int i = 0; i < t->ncols && content; i++) {
			const char *src = t->cols[i].source;
			json_t *v = json_object_get(content, t->cols[i].name);
			if (strcmp(src, "$now") == 0)
				continue;
			json_object_set_new(c2, t->cols[i].name, strcmp(src, "$valid") == 0 ? json_integer(0)
					    : strcmp(src, "$invalid_reason") == 0 ? json_string(reason)
					    : v ? json_incref(v) : json_null());
		}
		char hash[33];
		char *text = json_dumps(c2, JSON_COMPACT);
		xmap_hash_text(text, hash);
		struct xchg_row x = {
			.tbl = t->table, .dfsjzj = s_of(r, "dfsjzj"), .object = s_of(r, "object"),
			.department = json_string_value(json_object_get(r, "department")),
			.ptbl = json_string_value(json_object_get(r, "ptbl")),
			.pkey = json_string_value(json_object_get(r, "pkey")),
			.ptbl2 = json_string_value(json_object_get(r, "ptbl2")),
			.pkey2 = json_string_value(json_object_get(r, "pkey2")),
			.content = text, .hash = hash, .withdrawn = reason,
		};
		rc = store_xchg_put(h->st, &x, h->now, h->e);
		free(text);
		json_decref(c2);
		json_decref(content);
	}
	json_decref(r);
	return rc;
}

/* ---- appended rows without JSON, going at once when they can ------------------------------------ */

void xfast_reset(struct xfast *b)
{
	buf_free(&b->copy);
	memset(b, 0, sizeof *b);
}

int xchg_blob_next(char **p, char *f[9])
{
	char *s = *p;
	if (!s || !*s)
		return 0;
	for (int i = 0; i < 9; i++)
		f[i] = NULL;
	for (int i = 0; i < 9; i++) {
		char *w = s, *start = s;
		int null = s[0] == '\\' && s[1] == 'N' && (s[2] == '\t' || s[2] == '\n' || !s[2]);
		if (null)
			s += 2;
		for (; !null && *s && *s != '\t' && *s != '\n'; s++) {
			if (*s == '\\' && s[1]) {
				s++;
				*w++ = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : *s;
			} else
				*w++ = *s;
		}
		char end = *s;
		if (!null) {
			*w = 0;            /* may overwrite the separator: end keeps it */
			f[i] = start;
		}
		if (end)
			s++;
		if (end != '\t')
			break;
	}
	*p = s;
	return 1;
}

static int bit_get(const struct bits *b, int64_t i)
{
	return i >= 0 && (size_t)(i >> 6) < b->n && (b->w[i >> 6] >> (i & 63) & 1);
}

static void bit_set(struct bits *b, int64_t i)
{
	size_t k = (size_t)(i >> 6);
	if (i < 0)
		return;
	if (k >= b->n) {
		size_t n = (k + 1) * 2;
		uint64_t *w = realloc(b->w, n * sizeof *w);
		if (!w)
			return;           /* not remembered: looked up again */
		memset(w + b->n, 0, (n - b->n) * sizeof *w);
		b->w = w;
		b->n = n;
	}
	b->w[k] |= 1ULL << (i & 63);
}

/* The set a parent key's id belongs in (case:ID, project:ID), or NULL. */
static struct bits *known_of(struct hv *h, const char *key, int64_t *id)
{
	int c = strncmp(key, "case:", 5) == 0, p = strncmp(key, "project:", 8) == 0;
	if (!c && !p)
		return NULL;
	*id = strtoll(key + (c ? 5 : 8), NULL, 10);
	return &h->known[c ? 0 : 1];
}

static struct xchg_val rv(const struct xrec *r, const char *name)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->v[i];
	return (struct xchg_val){.type = XCHG_NULL};
}

static int64_t ri(const struct xrec *r, const char *name)
{
	struct xchg_val v = rv(r, name);
	return v.type == XCHG_INT ? v.i : 0;
}

static const char *rs(const struct xrec *r, const char *name)
{
	struct xchg_val v = rv(r, name);
	return v.type == XCHG_TEXT ? v.s : "";
}

/* ---- appended rows: read and mapped (maybe in a thread), then kept --------------------------------- */

/* One appended row mapped, waiting to be kept: strings are offsets into its
** chunk's text, its COPY row (len 0: a value does not fit the front DB, or
** goes by text COPY) into the chunk's copy. */
struct prow {
	const struct xtable *t, *t1, *t2;    /* its table and its parents' (NULL: none) */
	int fast;                            /* which of the chunk's batches: 0, or 1 (附件 of a document) */
	size_t key, object, dept, pkey1, pkey2, content, copy, copylen;
	char hash[33];
	int64_t fid, iv;                     /* a 办件's flow and item version (case_parents) */
};

/* A chunk of appended rows of one kind past the mark. */
struct pchunk {
	struct prow *rows;
	int n, cap;
	struct buf text, copy;
	int64_t last;                        /* id of the last source row read */
	int nsrc, rc;                        /* source rows read; the reader's outcome */
	struct err e;
};

/* What maps rows (the reading thread or, without it, the round itself). */
struct mapper {
	const struct xmap *m;
	const struct exchange_conf *cf;
	const char *kind, *now_text;
	int *at;                             /* xrow_ctx.at of each table, this chunk */
	struct pchunk *c;
};

static size_t text_put(struct buf *b, const char *s)
{
	size_t at = b->len;
	buf_append(b, s ? s : "", strlen(s ? s : "") + 1);
	return at;
}

static const char *text_at(const struct pchunk *c, size_t at)
{
	return c->text.data + at;
}

/* Map one row of source `source` into the chunk. */
static int map_row(struct mapper *mp, int fast, const char *source, const struct xrec *rec, const char *dfsjzj,
		   const char *object, const char *dept, struct parent p1, struct parent p2, int64_t fid, int64_t iv)
{
	struct pchunk *c = mp->c;
	const struct xtable *t = xmap_table_of((struct xmap *)mp->m, source);
	if (!t)
		return 0;
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 1024;
		struct prow *rows = realloc(c->rows, sizeof *rows * (size_t)cap);
		if (!rows)
			return err_set(&c->e, ERR_INTERNAL, "", "out of memory");
		c->rows = rows;
		c->cap = cap;
	}
	struct prow *r = &c->rows[c->n++];
	char reason[400];
	*r = (struct prow){.t = t, .fast = fast, .fid = fid, .iv = iv,
			   .t1 = p1.source ? xmap_table_of((struct xmap *)mp->m, p1.source) : NULL,
			   .t2 = p2.source ? xmap_table_of((struct xmap *)mp->m, p2.source) : NULL};
	r->key = text_put(&c->text, dfsjzj);
	r->object = text_put(&c->text, object);
	r->dept = text_put(&c->text, dept);
	r->pkey1 = text_put(&c->text, p1.key);
	r->pkey2 = text_put(&c->text, p2.key);
	r->content = c->text.len;
	r->copy = c->copy.len;
	struct xrow_ctx x = {.dfsjzj = dfsjzj, .xzqhdm = mp->cf->xzqhdm, .now_text = mp->now_text,
			     .at = mp->at + (t - mp->m->tables) * XROW_AT};
	int fits = xmap_row(t, rec, &x, &c->text, &c->copy, reason, sizeof reason) == 0;
	buf_append(&c->text, "", 1);
	xmap_hash_text(c->text.data + r->content, r->hash);
	if (!fits)
		c->copy.len = r->copy;           /* the send phase refuses it, with the reason */
	r->copylen = c->copy.len - r->copy;
	return 0;
}

/* A document: the 批复文件 of an approval and an attachment, with the
** title, class (2 issued document) and type the record lacks. */
static int map_document(struct mapper *mp, const struct xrec *rec, const char *ck)
{
	const char *names[64];
	struct xchg_val v[64];
	char title[400], key[48];
	int n = rec->n < 61 ? rec->n : 61, rc = 0;
	memcpy(names, rec->names, sizeof *names * (size_t)n);
	memcpy(v, rec->v, sizeof *v * (size_t)n);
	snprintf(title, sizeof title, "%s%s", rs(rec, "item_name"), doc_title(rs(rec, "kind")));
	names[n] = "title";
	v[n++] = (struct xchg_val){.type = XCHG_TEXT, .s = title};
	names[n] = "doc_class";
	v[n++] = (struct xchg_val){.type = XCHG_INT, .i = 2};
	names[n] = "ext";
	v[n++] = (struct xchg_val){.type = XCHG_TEXT, .s = "html"};
	struct xrec r = {.n = n, .names = names, .v = v};
	const char *number = rs(rec, "case_number"), *dept = rs(rec, "department_code");
	if (strcmp(rs(rec, "kind"), "approval") == 0) {
		snprintf(key, sizeof key, "doc:%lld", (long long)ri(rec, "id"));
		rc = map_row(mp, 0, "document", &r, key, number, dept, (struct parent){"case", ck}, (struct parent){0}, 0, 0);
	}
	snprintf(key, sizeof key, "att:%lld", (long long)ri(rec, "id"));
	return rc ? rc : map_row(mp, 1, "attachment", &r, key, number, dept, (struct parent){"case", ck},
				 (struct parent){0}, 0, 0);
}

static int map_one(void *arg, int n, const char *const *names, const struct xchg_val *v)
{
	struct mapper *mp = arg;
	struct xrec rec = {.n = n, .names = names, .v = v};
	char key[48], pk[48], ik[64];
	const char *number = rs(&rec, "case_number"), *dept = rs(&rec, "department_code");
	int rc;
	snprintf(pk, sizeof pk, "case:%lld", (long long)ri(&rec, "case_id"));
	switch (mp->kind[0]) {
	case 'c': {                     /* case */
		int64_t fid = ri(&rec, "flow_id"), iv = ri(&rec, "item_version_id");
		snprintf(ik, sizeof ik, "item:%lld:%lld", (long long)fid, (long long)iv);
		snprintf(key, sizeof key, "case:%lld", (long long)ri(&rec, "id"));
		snprintf(pk, sizeof pk, "project:%lld", (long long)ri(&rec, "project_id"));
		rc = map_row(mp, 0, "case", &rec, key, number, dept, (struct parent){"project", pk},
			     (struct parent){"stage_item", ik}, fid, iv);
		break;
	}
	case 's': {                     /* status */
		struct xchg_val prev = rv(&rec, "prev_status");
		if (prev.type == XCHG_INT && prev.i == ri(&rec, "status"))
			return 0;               /* a step change or a transfer: not a status change */
		snprintf(key, sizeof key, "status:%lld", (long long)ri(&rec, "id"));
		rc = map_row(mp, 0, "status", &rec, key, number, dept, (struct parent){"case", pk}, (struct parent){0}, 0,
			     0);
		break;
	}
	case 'd':                       /* document */
		rc = map_document(mp, &rec, pk);
		break;
	default:                        /* file */
		snprintf(key, sizeof key, "file:%lld", (long long)ri(&rec, "id"));
		rc = map_row(mp, 0, "attachment", &rec, key, number, dept, (struct parent){"case", pk},
			     (struct parent){0}, 0, 0);
	}
	return rc ? (mp->c->rc = rc) : 0;
}

static void pchunk_clear(struct pchunk *c)
{
	c->n = c->nsrc = c->rc = 0;
	c->text.len = c->copy.len = 0;
	c->last = 0;
	err_clear(&c->e);
}

static void pchunk_free(struct pchunk *c)
{
	free(c->rows);
	buf_free(&c->text);
	buf_free(&c->copy);
	memset(c, 0, sizeof *c);
}

/* Read and map up to limit rows of mp->kind with id > after from st. */
static void map_chunk(struct mapper *mp, struct store *st, struct pchunk *c, int64_t after, int limit)
{
	pchunk_clear(c);
	mp->c = c;
	c->last = after;
	for (int i = 0; i < mp->m->ntables * XROW_AT; i++)
		mp->at[i] = -1;
	int rc = store_xchg_scan(st, mp->kind, after, limit, map_one, mp, &c->last, &c->nsrc, &c->e);
	if (rc && !c->rc)
		c->rc = rc;
}

/* The reading thread of one kind: it maps the chunk after the one the
** round keeps, on a connection of its own (the appended tables are only
** read, by id past the mark). */
struct reader {
	struct mapper mp;
	struct store *st;
	int64_t after;
	int limit;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pchunk slot[2];
	int full[2], next, stop, started;
};

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	for (int k = 0;; k ^= 1) {
		pthread_mutex_lock(&rd->mu);
		while (rd->full[k] && !rd->stop)
			pthread_cond_wait(&rd->cv, &rd->mu);
		int stop = rd->stop;
		pthread_mutex_unlock(&rd->mu);
		if (stop)
			break;
		struct pchunk *c = &rd->slot[k];
		map_chunk(&rd->mp, rd->st, c, rd->after, rd->limit);
		rd->after = c->last;
		int end = c->rc || c->nsrc < rd->limit;
		pthread_mutex_lock(&rd->mu);
		rd->full[k] = 1;
		pthread_cond_broadcast(&rd->cv);
		pthread_mutex_unlock(&rd->mu);
		if (end)
			break;
	}
	return NULL;
}

/* Start reading kind past after in a thread; 0 (and the round reads
** itself) when there is no second connection or thread. */
static int reader_start(struct reader *rd, struct hv *h, const char *kind, int64_t after, int limit)
{
	memset(rd, 0, sizeof *rd);
	struct err e = {0};
	rd->mp = (struct mapper){.m = h->m, .cf = h->cf, .kind = kind, .now_text = h->send->now_text,
				 .at = calloc((size_t)h->m->ntables * XROW_AT, sizeof(int))};
	rd->after = after;
	rd->limit = limit;
	if (!rd->mp.at || store_open(store_path(h->st), STORE_READONLY, &rd->st, &e)) {
		free(rd->mp.at);
		return 0;
	}
	pthread_mutex_init(&rd->mu, NULL);
	pthread_cond_init(&rd->cv, NULL);
	if (pthread_create(&rd->thread, NULL, reader_main, rd) != 0) {
		pthread_mutex_destroy(&rd->mu);
		pthread_cond_destroy(&rd->cv);
		store_close(rd->st);
		free(rd->mp.at);
		return 0;
	}
	return rd->started = 1;
}

static struct pchunk *reader_take(struct reader *rd)
{
	pthread_mutex_lock(&rd->mu);
	while (!rd->full[rd->next])
		pthread_cond_wait(&rd->cv, &rd->mu);
	pthread_mutex_unlock(&rd->mu);
	return &rd->slot[rd->next];
}

static void reader_give_back(struct reader *rd)
{
	pthread_mutex_lock(&rd->mu);
	rd->full[rd->next] = 0;
	rd->next ^= 1;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
}

static void reader_stop(struct reader *rd)
{
	if (!rd->started)
		return;
	pthread_mutex_lock(&rd->mu);
	rd->stop = 1;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
	pthread_join(rd->thread, NULL);
	pthread_mutex_destroy(&rd->mu);
	pthread_cond_destroy(&rd->cv);
	store_close(rd->st);
	free(rd->mp.at);
	pchunk_free(&rd->slot[0]);
	pchunk_free(&rd->slot[1]);
	rd->started = 0;
}

/* The parents' readiness of this chunk (a key not in known[]). */
struct lean {
	struct hv *h;
	json_t *ready;            /* parent key -> true | false, this chunk */
};

static int parent_ready(struct lean *l, const struct xtable *pt, const char *key, int *yes)
{
	int64_t id = 0;
	struct bits *k = known_of(l->h, key, &id);
	if (k && bit_get(k, id)) {
		*yes = 1;
		return 0;
	}
	json_t *v = json_object_get(l->ready, key);
	if (v) {
		*yes = json_is_true(v);
		return 0;
	}
	if (store_xchg_ready(l->h->st, pt->table, key, l->h->cf->wait_accepted, yes, l->h->e))
		return l->h->e->code;
	if (k && *yes)
		bit_set(k, id);
	else
		json_object_set_new(l->ready, key, json_boolean(*yes));
	return 0;
}

/* A project's or a unit's row (fast: which of the chunk's batches) goes at
** once when the chunk allows it (h->fast_ready), it is valid and new to
** exchange_rows, its parent is ready and every value fits the front DB;
** else it is put due as any other. Its content is kept: a unit taken off
** its project later has no source left to derive it from. */
static int put_fast(struct hv *h, int fast, const char *source, const json_t *rec, const char *dfsjzj,
		    const char *object, const char *dept, struct parent p1, const char *withdrawn)
{
	struct xtable *t = xmap_table_of(h->m, source), *t1 = p1.source ? xmap_table_of(h->m, p1.source) : NULL;
	struct lean l = {.h = h, .ready = h->fast_ready};
	int yes = 1;
	if (t && l.ready && !withdrawn && t->present && t->key_indexed && t1 && parent_ready(&l, t1, p1.key, &yes))
		return h->e->code;
	if (!t || !l.ready || withdrawn || !t->present || !t->key_indexed || !yes)
		return put(h, source, rec, dfsjzj, object, dept, p1, (struct parent){0}, withdrawn);
	struct buf content = {0}, copy = {0};
	char hash[33], reason[400];
	int fits = xmap_row_json(t, rec, &(struct xrow_ctx){.dfsjzj = dfsjzj, .xzqhdm = h->cf->xzqhdm,
							     .now_text = h->send->now_text},
				 &content, &copy, reason, sizeof reason) == 0;
	xmap_hash_text(content.data, hash);
	struct xchg_row r = {
		.tbl = t->table, .dfsjzj = dfsjzj, .object = object, .department = dept && *dept ? dept : NULL,
		.ptbl = t1 ? t1->table : NULL, .pkey = t1 ? p1.key : NULL, .content = content.data, .hash = hash,
	};
	int64_t id = 0, pid;
	int rc = fits ? store_xchg_put_keyed(h->st, &r, h->now, &id, h->e) : 0;
	if (!rc && id) {
		struct xfast *b = &h->fast[fast];
		struct bits *k = h->cf->wait_accepted ? NULL : known_of(h, dfsjzj, &pid);
		if (k)
			bit_set(k, pid);      /* sent now: a parent ready for its units and 办件 */
		buf_append(&b->copy, copy.data, copy.len);
		b->t = t;
		b->lo = b->lo ? b->lo : id;
		b->hi = id;
		b->n++;
	} else if (!rc)
		rc = store_xchg_put(h->st, &r, h->now, h->e);   /* known, or refused by the send phase */
	buf_free(&content);
	buf_free(&copy);
	h->rows++;
	return rc;
}

/* Keep one mapped row: into its batch when its parents are ready (sent, or
** accepted, as wait_for_parent asks), every value fits the front DB and
** it is new to exchange_rows (the one write: sent, without its content);
** else into exchange_rows, due. */
static int keep_row(struct lean *l, const struct pchunk *c, const struct prow *p)
{
	struct hv *h = l->h;
	struct xfast *b = &h->fast[p->fast];
	const char *key = text_at(c, p->key), *pk1 = text_at(c, p->pkey1), *pk2 = text_at(c, p->pkey2);
	char ik[64];
	if (p->fid && case_parents(h, p->fid, p->iv, ik, sizeof ik))
		return h->e->code;
	int ready = h->send && p->t->present && p->t->key_indexed && p->copylen > 0, yes = 1;
	if (ready && p->t1 && parent_ready(l, p->t1, pk1, &yes))
		return h->e->code;
	ready = ready && yes;
	if (ready && p->t2 && parent_ready(l, p->t2, pk2, &yes))
		return h->e->code;
	ready = ready && yes;
	h->rows++;
	const char *dept = text_at(c, p->dept);
	struct xchg_row r = {
		.tbl = p->t->table, .dfsjzj = key, .object = text_at(c, p->object), .department = *dept ? dept : NULL,
		.ptbl = p->t1 ? p->t1->table : NULL, .pkey = p->t1 ? pk1 : NULL,
		.ptbl2 = p->t2 ? p->t2->table : NULL, .pkey2 = p->t2 ? pk2 : NULL,
		.content = XCHG_CONTENT_SOURCE, .hash = p->hash,  /* sent at once: derived again if ever needed */
	};
	int64_t id = 0;
	int rc = ready ? store_xchg_put_keyed(h->st, &r, h->now, &id, h->e) : 0;
	if (!rc && id) {
		int64_t pid;
		struct bits *k = h->cf->wait_accepted ? NULL : known_of(h, key, &pid);
		if (k)
			bit_set(k, pid);      /* sent now: a parent ready for what follows */
		buf_append(&b->copy, c->copy.data + p->copy, p->copylen);
		b->t = p->t;
		b->lo = b->lo ? b->lo : id;
		b->hi = id;
		b->n++;
	} else if (!rc) {
		r.content = text_at(c, p->content);   /* due: the send phase takes it */
		rc = store_xchg_put(h->st, &r, h->now, h->e);
	}
	return rc;
}

/* The end of a chunk that may hold rows going at once, in its transaction:
** the batches the front DB took before are settled; when it refused one,
** the ids it believed sent are forgotten and the chunk's batches are due
** instead (they may hold children of its rows); else their intents. */
static int chunk_end(struct hv *h)
{
	int refused = 0, rc = 0;
	if (h->send)
		rc = h->send->finish(h->send->arg, &refused, h->e);
	for (int i = 0; refused && i < 2; i++)
		if (h->known[i].w)
			memset(h->known[i].w, 0, h->known[i].n * sizeof *h->known[i].w);
	for (int i = 0; i < 2 && !rc; i++) {
		struct xfast *b = &h->fast[i];
		if (b->n && refused) {
			rc = xchg_unsend(h->st, b->t->table, b->lo, b->hi, h->now, h->e);
			xfast_reset(b);
		} else if (b->n)
			rc = store_xchg_intent_keyed(h->st, b->t->table, b->lo, b->hi, h->now, &b->batch, h->e);
	}
	return rc;
}

/* A chunk of appended rows of kind past its mark (read by rd, or here when
** rd has no thread), with the intents of the batches going at once (sent
** by flush() once the chunk committed); the batch sent before is settled
** in the same transaction. */
static int lean_chunk(struct hv *h, struct reader *rd, const char *kind, int *more)
{
	struct lean l = {.h = h, .ready = json_object()};
	int64_t last;
	int limit = h->cf->batch_rows > 0 ? h->cf->batch_rows : 1000;
	struct pchunk own = {0}, *c = &own;
	int rc = store_xchg_mark(h->st, kind, &last, h->e);
	if (!rc && rd && rd->started)
		c = reader_take(rd);
	else if (!rc) {
		struct mapper mp = {.m = h->m, .cf = h->cf, .kind = kind, .at = h->at,
				    .now_text = h->send ? h->send->now_text : NULL};
		map_chunk(&mp, h->st, c, last, limit);
	}
	if (!rc && c->rc) {
		*h->e = c->e;
		rc = c->rc;
	}
	for (int i = 0; !rc && i < c->n; i++)
		rc = keep_row(&l, c, &c->rows[i]);
	json_decref(l.ready);
	*more = c->nsrc == limit;
	if (!rc && c->nsrc)
		rc = store_xchg_mark_set(h->st, kind, c->last, h->e);
	if (c == &own)
		pchunk_free(&own);
	else
		reader_give_back(rd);
	return rc ? rc : chunk_end(h);
}

/* Send the committed chunk's batches (批复文件 before 附件, spgl.md's order). */
static int flush(struct hv *h)
{
	int rc = 0;
	for (int i = 0; i < 2; i++) {
		if (!rc && h->fast[i].n)
			rc = h->send->send(h->send->arg, &h->fast[i], h->e);
		xfast_reset(&h->fast[i]);
	}
	return rc;
}

/* ---- driving the chunks ---------------------------------------------------------------------- */

/* Consume queued refs of kind with fn, a chunk per transaction; *more 1
** when the queue held a full chunk. */
static int queue_chunk(struct hv *h, const char *kind, int (*fn)(struct hv *, int64_t), int *more)
{
	json_t *q, *v;
	size_t i;
	int fast = h->send && !h->imports && strcmp(kind, "project") == 0;   /* see project_flows */
	int rc = store_xchg_dirty(h->st, kind, CHUNK, &q, h->e);
	if (rc)
		return rc;
	*more = json_array_size(q) == CHUNK;
	if (fast)
		h->fast_ready = json_object();
	json_array_foreach(q, i, v) {
		if (rc)
			break;
		rc = fn(h, i_of(v, "ref"));
		if (!rc)
			rc = store_xchg_dirty_done(h->st, kind, i_of(v, "ref"), h->e);
	}
	json_decref(q);
	json_decref(h->fast_ready);
	h->fast_ready = NULL;
	return rc || !fast ? rc : chunk_end(h);
}

typedef int (*after_fn)(struct store *, int64_t, int, json_t **, struct err *);

/* Consume appended rows past the mark of kind; *more as above. */
static int mark_chunk(struct hv *h, const char *kind, after_fn read, int (*fn)(struct hv *, const json_t *),
		      int *more)
{
	json_t *rows, *v;
	size_t i;
	int64_t last;
	if (store_xchg_mark(h->st, kind, &last, h->e) || read(h->st, last, CHUNK, &rows, h->e))
		return h->e->code;
	int rc = 0;
	*more = json_array_size(rows) == CHUNK;
	json_array_foreach(rows, i, v) {
		if (rc)
			break;
		rc = fn(h, v);
		last = i_of(v, "id");
	}
	if (!rc && json_array_size(rows))
		rc = store_xchg_mark_set(h->st, kind, last, h->e);
	json_decref(rows);
	return rc;
}

static int doc_fn(struct hv *h, const json_t *d)
{
	return one_document(h, (json_t *)d);
}

/* A row collected before and corrected since (exchange_touch): collect it again. */
static int again(struct hv *h, int64_t ref, after_fn read, int (*fn)(struct hv *, const json_t *))
{
	json_t *rows;
	if (read(h->st, ref - 1, 1, &rows, h->e))
		return h->e->code;
	json_t *r = json_array_get(rows, 0);
	int rc = r && i_of(r, "id") == ref ? fn(h, r) : 0;
	json_decref(rows);
	return rc;
}

static int case_again(struct hv *h, int64_t ref)
{
	return again(h, ref, store_xchg_cases_after, one_case);
}

static int status_again(struct hv *h, int64_t ref)
{
	return again(h, ref, store_xchg_status_after, one_status);
}

static int doc_again(struct hv *h, int64_t ref)
{
	return again(h, ref, store_xchg_documents_after, doc_fn);
}

static int file_fn(struct hv *h, const json_t *f)
{
	return one_file(h, f);
}

static int file_again(struct hv *h, int64_t ref)
{
	return again(h, ref, store_xchg_files_after, file_fn);
}

/* Rows sent at once keep no content (XCHG_CONTENT_SOURCE): the queue kind
** that collects such a row's source again, by DFSJZJ prefix. */
static const char *const derived[][2] = {
	{"case:", "case"}, {"status:", "status"}, {"doc:", "document"}, {"att:", "document"}, {"file:", "file"},
};

static int rederive(struct hv *h, const char *dfsjzj)
{
	static int (*const fn[])(struct hv *, int64_t) = {case_again, status_again, doc_again, doc_again, file_again};
	for (size_t i = 0; i < sizeof derived / sizeof derived[0]; i++) {
		size_t n = strlen(derived[i][0]);
		if (strncmp(dfsjzj, derived[i][0], n) == 0)
			return fn[i](h, strtoll(dfsjzj + n, NULL, 10));
	}
	return 0;
}

int xchg_unsend(struct store *st, const char *tbl, int64_t lo, int64_t hi, int64_t now, struct err *e)
{
	json_t *rows = NULL, *v;
	size_t i;
	int rc = store_xchg_keyed_rows(st, tbl, lo, hi, &rows, e);
	json_array_foreach(rows, i, v) {
		const char *key = json_string_value(json_object_get(v, "dfsjzj"));
		for (size_t k = 0; !rc && k < sizeof derived / sizeof derived[0]; k++) {
			size_t n = strlen(derived[k][0]);
			if (strncmp(key, derived[k][0], n) == 0)
				rc = store_xchg_dirty_add(st, derived[k][1], strtoll(key + n, NULL, 10), e);
		}
		if (rc)
			break;
	}
	json_decref(rows);
	return rc ? rc : store_xchg_unsend(st, tbl, lo, hi, now, e);
}

/* A chunk of appended rows of kind: without JSON unless rows were brought
** in from a front DB (their first put is an adoption: the JSON path). */
static int appended(struct hv *h, const char *kind, after_fn read, int (*fn)(struct hv *, const json_t *), int *more)
{
	return h->imports ? mark_chunk(h, kind, read, fn, more) : lean_chunk(h, h->rd, kind, more);
}

static const char *const appended_kinds[] = {"case", "status", "document", "file"};

/* Step s of the round: 0 projects, 1 cases, 2 status rows, 3 documents, 4
** files, 5 special procedures, 6–9 corrected (or to be derived again)
** cases, status rows, documents and files, 10 withdrawals. */
static int step(struct hv *h, int s, int *more)
{
	switch (s) {
	case 0: return queue_chunk(h, "project", project, more);
	case 1: return appended(h, "case", store_xchg_cases_after, one_case, more);
	case 2: return appended(h, "status", store_xchg_status_after, one_status, more);
	case 3: return appended(h, "document", store_xchg_documents_after, doc_fn, more);
	case 4: return appended(h, "file", store_xchg_files_after, file_fn, more);
	case 5: return queue_chunk(h, "special", special, more);
	case 6: return queue_chunk(h, "case", case_again, more);
	case 7: return queue_chunk(h, "status", status_again, more);
	case 8: return queue_chunk(h, "document", doc_again, more);
	case 9: return queue_chunk(h, "file", file_again, more);
	default: return queue_chunk(h, "withdraw", withdrawal, more);
	}
}

/* The flows of the queued projects, collected (and sent, by the caller)
** before them: the projects and their units can then go at once. */
static int project_flows(struct hv *h)
{
	json_t *flows, *v;
	size_t i;
	int rc = store_begin(h->st, h->e);
	if (!rc && !(rc = store_xchg_project_flows(h->st, &flows, h->e))) {
		json_array_foreach(flows, i, v) {
			if (rc)
				break;
			rc = flow(h, i_of(v, "flow_id"));
		}
		json_decref(flows);
	}
	return rc ? (store_rollback(h->st), rc) : store_commit(h->st, h->e);
}

/* The flows and stage items the 办件 past the mark need, collected before
** them: sent with the projects, they let the 办件 go at once. */
static int case_items(struct hv *h)
{
	json_t *pairs, *v;
	size_t i;
	int64_t last;
	char ik[64];
	int rc = store_begin(h->st, h->e);
	if (!rc)
		rc = store_xchg_mark(h->st, "case", &last, h->e);
	if (!rc && !(rc = store_xchg_case_items_after(h->st, last, &pairs, h->e))) {
		json_array_foreach(pairs, i, v) {
			if (rc)
				break;
			rc = case_parents(h, i_of(v, "flow_id"), i_of(v, "item_version_id"), ik, sizeof ik);
		}
		json_decref(pairs);
	}
	return rc ? (store_rollback(h->st), rc) : store_commit(h->st, h->e);
}

int xchg_harvest(struct store *st, struct xmap *m, const struct exchange_conf *cf, int64_t now,
		 const struct xsender *send, int64_t *rows, struct err *e)
{
	struct hv h = {.st = st, .m = m, .cf = cf, .now = now, .seen = json_object(), .send = send, .e = e,
		       .at = calloc((size_t)m->ntables * XROW_AT, sizeof(int))};
	int rc = h.at ? store_xchg_imported_any(st, &h.imports, e) : err_set(e, ERR_INTERNAL, "", "out of memory");
	for (int s = 0; s < 11 && !rc; s++) {
		if (s == 0 && send && !h.imports && !(rc = project_flows(&h)))
			rc = send->parents(send->arg, e);
		if (s == 1 && send && !h.imports && !rc)
			rc = case_items(&h);
		if (s == 1 && send && !rc)
			rc = send->parents(send->arg, e);
		struct reader rd = {0};
		int64_t mark;
		if (!rc && s >= 1 && s <= 4 && send && !h.imports && !(rc = store_xchg_mark(st, appended_kinds[s - 1], &mark, e)))
			h.rd = reader_start(&rd, &h, appended_kinds[s - 1], mark, cf->batch_rows > 0 ? cf->batch_rows : 1000)
				? &rd : NULL;
		int more = 1;
		while (more && !rc) {
			if ((rc = store_begin(st, e)))
				break;
			rc = step(&h, s, &more);
			if (rc)
				store_rollback(st);
			else
				rc = store_commit(st, e);
			if (!rc && send)
				rc = flush(&h);
			xfast_reset(&h.fast[0]);
			xfast_reset(&h.fast[1]);
		}
		reader_stop(&rd);
		h.rd = NULL;
	}
	json_decref(h.seen);
	free(h.known[0].w);
	free(h.known[1].w);
	free(h.at);
	*rows = h.rows;
	return rc;
}

int xchg_withdraw_row(struct store *st, const json_t *row, const char *reason, int64_t now, struct err *e)
{
	int marked;
	(void)now;
	return store_xchg_withdraw_mark(st, json_integer_value(json_object_get(row, "id")), reason, &marked, e);
}
