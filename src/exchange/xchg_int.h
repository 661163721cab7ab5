/*
** xchg_int.h: inside the exchange module. The mapping (mapping.c: load,
** validate, turn a source record into a row's content, turn a content value
** into the text the front DB column takes), the front DB (front.c: libpq
** connection, column discovery, inserts, feedback) and the collection of
** what changed (harvest.c).
**
** A struct xmap owns its tables and columns; column `source`, `codes` and
** the table strings point into map->doc and live as long as the map.
*/
#ifndef GG_XCHG_INT_H
#define GG_XCHG_INT_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdint.h>

#include "base/buf.h"
#include "exchange/exchange.h"
#include "store/store.h"
#include "store/store_exchange.h"

enum xtype { XT_TEXT, XT_CODE, XT_VERSION, XT_DECIMAL, XT_DATE, XT_TIMESTAMP };
/* What a front-DB column is (information_schema.columns.data_type). */
enum pgkind { PK_NONE, PK_CHAR, PK_INT, PK_NUMERIC, PK_FLOAT, PK_DATE, PK_TIMESTAMP, PK_TIMESTAMPTZ, PK_BOOL,
	      PK_OTHER };

/* Sources a row's content takes from us rather than from the record. */
enum { XS_RECORD, XS_NONE, XS_DFSJZJ, XS_XZQHDM, XS_VALID, XS_REASON, XS_STATE, XS_NOW };

struct xcol {
	const char *name;           /* upper case, as in spgl.md                     */
	const char *source;         /* record key, "none", or $dfsjzj $xzqhdm $valid
				       $invalid_reason $state $now                   */
	enum xtype type;
	int max, precision, scale;  /* text length; decimal digits (0: unknown)      */
	int required, optional;     /* optional: skipped when the target lacks it    */
	const json_t *codes;        /* array or NULL                                 */
	int special;                /* XS_* of source: the record's or ours          */
	char jkey[72];              /* ,"NAME": as a row's content writes it         */
	size_t jkey_len;
	/* the target column, after front_discover() */
	int present;
	char tname[128];            /* its name in the catalogue                     */
	enum pgkind kind;
	char tdesc[64];             /* data_type as shown                            */
	int len, tprec, tscale;     /* char length, numeric precision/scale (0: none) */
	unsigned toid;              /* its type's OID (a domain's own, not its base's) */
};

struct xtable {
	const char *table, *title, *source;
	struct xcol *cols;          /* the standard columns first                    */
	int ncols;
	int present;                /* after front_discover()                        */
	char tname[128];
	int has_lsh;
	int key_indexed;            /* an index leads with the DFSJZJ column: COPY */
	int binary;                 /* every present column has a binary encoding
				       (xmap_bin_type): COPY in binary format */
	char lsh_name[128], sbyy_name[128];   /* catalogue names of LSH and SBYY ("" none) */
	char extra_notnull[256];    /* target NOT NULL columns without default we do not fill */
};

struct xmap {
	json_t *doc;
	char name[128];
	struct xtable *tables;
	int ntables;
};

/* mapping.c */
int xmap_load(const char *name, struct xmap **out, struct err *e);
void xmap_free(struct xmap *m);
/* The table reporting source kind (flow, stage, ...), NULL when the mapping
** does not report it. */
struct xtable *xmap_table_of(struct xmap *m, const char *source);
/* The content of one row: object COLUMN -> logical value, in column order,
** without $now columns. withdrawn NULL for a valid row. Caller owns it. */
json_t *xmap_content(const struct xtable *t, const json_t *rec, const char *dfsjzj, const char *xzqhdm,
		     const char *withdrawn);
/* Hex digest of a content object (or of its compact text); buf >= 33 bytes. */
void xmap_hash(const json_t *content, char *buf);
void xmap_hash_text(const char *text, char *buf);
/* A source record without JSON: n values, v[i] named names[i]. */
struct xrec {
	int n;
	const char *const *names;
	const struct xchg_val *v;
};
/* What a row's content takes besides its record. withdrawn NULL for a
** valid row; now_text the SCSJ of a COPY line (Asia/Shanghai); at (NULL:
** none) the caller's XROW_AT ints, -1 at first, where the record's values
** of the table's first XROW_AT columns were found last time (records of one
** reader keep their names' order). */
#define XROW_AT 64
struct xrow_ctx {
	const char *dfsjzj, *xzqhdm, *withdrawn, *now_text;
	int *at;
};
/* The content of one row as text (the compact JSON object COLUMN -> logical
** value, in column order, without $now columns: byte for byte what
** json_dumps(xmap_content(...), JSON_COMPACT) gives) appended to content;
** with copy, also its row of COPY for the present columns: a line of text,
** or with t->binary a tuple of the binary format (field count and fields,
** no file header or trailer: front.c adds them). Returns -1 with the reason
** (as xmap_value) when a value does not fit the target, or when a value
** has no exact binary encoding (the send phase then sends the row by text
** COPY); copy is then incomplete; content is whole. */
int xmap_row(const struct xtable *t, const struct xrec *rec, const struct xrow_ctx *x, struct buf *content,
	     struct buf *copy, char *reason, size_t rcap);
/* The same from a JSON record (copy NULL: no COPY line). */
int xmap_row_json(const struct xtable *t, const json_t *rec, const struct xrow_ctx *x, struct buf *content,
		  struct buf *copy, char *reason, size_t rcap);
/* One field of COPY's text format (NULL: \N). */
void xmap_copy_field(struct buf *b, const char *v);
/* 1 when columns of type OID oid have a binary encoding here. */
int xmap_bin_type(unsigned oid);
/* One field of COPY's binary format for column c (its toid has
** xmap_bin_type): the value PostgreSQL's input function makes of the text
** xmap_value_text gave (NULL: SQL NULL), as its receive function takes it.
** -1 (b unchanged) when text is not in a form encoded here exactly (NaN,
** infinity, a time of day past 23:59:59, year 0, another time zone...):
** that row goes by text COPY, whose input function then decides. */
int xmap_bin_field(const struct xcol *c, const char *text, struct buf *b);
/* The text for column c of the target from logical value v: *out is NULL
** (SQL NULL), v's own text, or buf. -1 with reason as below. */
int xmap_value_text(const struct xcol *c, const struct xchg_val *v, char *buf, size_t cap, const char **out,
		    char *reason, size_t rcap);
/* The text for column c of the target from content value v (NULL for SQL
** NULL, else malloc'd). A value the column cannot take or that breaks the
** mapping's rules (required, code list) fills reason (Chinese, names the
** column) and returns -1. */
int xmap_value(const struct xcol *c, const json_t *v, char **out, char *reason, size_t cap);
/* Compatibility of every mapped column with the discovered target:
** appends {"column","severity","message"} to problems; counts errors. */
int xmap_compare(const struct xtable *t, json_t *problems, int *errors, int *warnings);

/* front.c */
struct front;
int front_open(const char *conninfo, struct front **out, struct err *e);
void front_close(struct front *f);
/* Wait for (and hold) the exchange's session advisory lock. */
int front_lock(struct front *f, struct err *e);
/* Fill the target fields of every table and column of m. */
int front_discover(struct front *f, struct xmap *m, struct err *e);
/* Insert n rows (values[i][j] for the present columns of t in order,
** NULL = SQL NULL) in one transaction, by COPY when t->key_indexed (binary
** when t->binary and every value has its encoding, else text), else by
** INSERT ... RETURNING; lsh[i] gets each row's LSH (malloc'd).
** On a data error (not the connection) *bad is set and nothing is inserted. */
int front_insert(struct front *f, const struct xtable *t, char ***values, int n, char **lsh, int *bad,
		 struct err *e);
/* The same for rows already in COPY's format (a table with key_indexed): n
** lines of text, or with binary n tuples without header and trailer,
** whose DFSJZJ are keys[i]. */
int front_copy(struct front *f, const struct xtable *t, int binary, const char *data, size_t len,
	       const char *const *keys, int n, char **lsh, int *bad, struct err *e);
/* A keyed batch (its LSHs are not read back), rows as xmap_row made them
** (binary tuples when t->binary): start queues it and returns at once
** (there must be room) while a thread of the connection runs BEGIN, the
** COPY and COMMIT of each batch in turn (the caller works meanwhile; data
** must live until its end, and the connection is not used otherwise while
** any is busy); end waits for the oldest batch not ended: 0 when
** committed, else the error, with *bad set when the front DB refused the
** data or the batch was not sent because one before it failed (nothing of
** it inserted either way). done: the oldest has its outcome. */
#define FRONT_QUEUE 4       /* keyed batches queued or going at a time */
void front_copy_start(struct front *f, const struct xtable *t, const char *data, size_t len);
int front_copy_end(struct front *f, const struct xtable *t, int *bad, struct err *e);
int front_copy_busy(const struct front *f);   /* batches started and not ended */
int front_copy_room(const struct front *f);   /* how many more may start */
int front_copy_done(struct front *f);
/* For each dfsjzj, call found(arg, dfsjzj, lsh) with every row of t with it
** and our XZQHDM.
** A callback that fails returns its code having filled the same e itself. */
int front_rows_of(struct front *f, const struct xtable *t, const char *xzqhdm, const char **keys, int n,
		  int (*found)(void *arg, const char *dfsjzj, const char *lsh), void *arg, struct err *e);
/* For each lsh, call got(arg, lsh, sjsczt, sbyy) (sbyy NULL when none). */
int front_verdicts(struct front *f, const struct xtable *t, const char **lsh, int n,
		   int (*got)(void *arg, const char *lsh, int sjsczt, const char *sbyy), void *arg, struct err *e);
/* For each dfsjzj, call got(arg, dfsjzj, lsh, sjsczt, sbyy) with every row
** of t with it and our XZQHDM (the verdicts of a keyed batch's rows). */
int front_verdicts_keyed(struct front *f, const struct xtable *t, const char *xzqhdm, const char **keys, int n,
			 int (*got)(void *arg, const char *dfsjzj, const char *lsh, int sjsczt, const char *sbyy),
			 void *arg, struct err *e);

/* Run one read statement (params as text); *res the caller's (PQclear). */
int front_read(struct front *f, const char *sql, int n, const char *const *params, PGresult **res, struct err *e);
/* name quoted as an identifier of the front DB (malloc'd). */
char *front_ident(struct front *f, const char *name);

/* Rows collected ready to go at once, for one table (harvest.c fills it,
** push.c sends it): a keyed batch. Its rows are in exchange_rows already
** (ids lo..hi of the table with sent_lsh '*', written with the chunk that
** collected them, as is its intent); copy is their COPY rows in t's
** format (xmap_row: binary tuples when t->binary). */
struct xfast {
	const struct xtable *t;
	struct buf copy;
	int n;
	int64_t lo, hi;
	int64_t batch;            /* its intent (exchange_batches), 0 before */
};
void xfast_reset(struct xfast *b);
/* Split the next line of a 0023 intent's rows at *p (in place): f[0..8] =
** dfsjzj object department ptbl pkey ptbl2 pkey2 content hash (NULL for
** \N); 0 at the end. */
int xchg_blob_next(char **p, char *f[9]);

/* The round's side of a harvest: send() is called after the chunk that
** filled b committed (with its rows and intent); it starts the COPY (the
** front DB's answer comes to the next finish()). */
struct xsender {
	void *arg;
	const char *now_text;     /* SCSJ */
	int (*send)(void *arg, struct xfast *b, struct err *e);
	/* after the projects and the catalogue (step 0): send them, parents of
	** the appended rows that follow */
	int (*parents)(void *arg, struct err *e);
	/* at the end of a chunk, in its transaction: settle the batch sent
	** before, once the front DB took it (one commit less); *refused 1 when
	** the front DB refused it (its rows are due again, and so must be the
	** chunk's, which may be their children) */
	int (*finish)(void *arg, int *refused, struct err *e);
};

/* harvest.c: collect what changed since the last push into exchange_rows
** (projects and what they need; appended 办件, status rows, documents,
** files; special procedures, corrections and
** withdrawals). With s, appended rows whose parents are ready go at once
** through s (the first upload and the steady state's new rows: no second
** pass over exchange_rows). */
int xchg_harvest(struct store *st, struct xmap *m, const struct exchange_conf *cf, int64_t now,
		 const struct xsender *s, int64_t *rows, struct err *e);
/* Rows lo..hi of tbl sent at once (LSH '*') did not reach the front DB:
** due again, their sources queued so that the round derives their
** content again (they were kept without it). */
int xchg_unsend(struct store *st, const char *tbl, int64_t lo, int64_t hi, int64_t now, struct err *e);
/* The content of an existing row made a withdrawal, as put by harvest. */
int xchg_withdraw_row(struct store *st, const json_t *row, const char *reason, int64_t now, struct err *e);

#endif
