/*
** front.c: the province's front DB through libpq. Reads the catalogue,
** inserts our rows (one transaction per batch), and reads SJSCZT/SBYY and,
** after a crash, LSH of our own rows. Identifiers are the catalogue's own
** names, quoted, so a table created with plain (lower-cased) or quoted
** upper-case names both work.
**
** Rows go by COPY ... FROM STDIN (the column list by name, LSH left to its
** default) when the table has an index on DFSJZJ: the LSHs the
** front DB gave are then read back in the same transaction by DFSJZJ and
** xmin (rows this transaction wrote). Without such an index that read
** would scan the table once per batch, so those tables get multi-row
** INSERT ... RETURNING instead.
**
** COPY goes in PostgreSQL's binary format when every present column of
** the table is of a type mapping.c encodes (xmap_bin_type: int2/4/8,
** float4/8, numeric, bool, date, timestamp, timestamptz, text, varchar,
** bpchar; not a domain, array or other type) and the server is 12 or
** later (t->binary, set by front_discover): parsing the text of numbers,
** dates and timestamps is much of what COPY costs PostgreSQL (loading the
** same rows by binary COPY in batches of 1000 took ~10 % less of its CPU,
** a first upload ~15 %), and we spare the escaping of the text. The
** values are what the text would have given: mapping.c encodes the very
** text xmap_value_text makes (its checks and refusals stay the one rule),
** as the type's input function reads it; the receive functions apply the
** column's typmod (numeric scale, varchar/bpchar length) as input does. A table with any other column type goes by text
** COPY, and so does a batch (front_insert) or row (xmap_row) with a value
** the encoder does not take exactly (NaN, infinity, an unusual time): the
** type's input function decides on it then. A data error of a binary
** COPY names the column and tuple ("line n") as text COPY's does.
**
** Keyed batches (front_copy_start/front_copy_end) go in a thread of their
** own, in the order started: BEGIN, COPY, COMMIT each, while the caller
** collects the next chunks, so that the front DB's work and ours overlap
** (a blocking PQputCopyData returns only once the server has read nearly
** all of it). Up to FRONT_QUEUE batches wait or go at a time, so that our
** side does not stop at every batch the front DB is still taking. When one
** fails, those queued behind it are not sent (they end as refused, their
** rows due again): they may hold children of its rows. The connection is
** the thread's while a batch is queued or going (front_copy_busy).
*/
#include "exchange/xchg_int.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FRONT_PREP 32
#define FRONT_CHUNK 500     /* rows per INSERT statement */

/* Full-size chunks go through a statement prepared once per table and
** connection (prep[i] is the table; its name is "gg_ins_<i>"). */
struct front {
	PGconn *c;
	const struct xtable *prep[FRONT_PREP];
	int prep_rows[FRONT_PREP];
	int nprep;
	/* keyed batches (front_copy_start): jobs started, sent by the copier
	** and ended by the caller count up; job k is q[k % FRONT_QUEUE] */
	struct copy_job {
		const struct xtable *t;
		const char *data;
		size_t len;
		int rc, bad;
		int cancelled;            /* not sent: a batch before it failed */
		struct err e;
	} q[FRONT_QUEUE];
	uint64_t started, sent, ended;
	uint64_t cancel_below;        /* jobs before it are not sent */
	int copier_up, stop;
	pthread_t copier;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void copier_stop(struct front *f);


/* Copy libpq's last message without its trailing newline. */
static int pgerr(struct front *f, struct err *e, int code, const char *what, const PGresult *r)
{
	char msg[300];
	snprintf(msg, sizeof msg, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(f->c));
	if (!*msg)
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(f->c));
	msg[strcspn(msg, "\n")] = 0;
	return err_set(e, code, "target", "前置库 %s: %s", what, msg);
}

int front_open(const char *conninfo, struct front **out, struct err *e)
{
	const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
	const char *vals[] = {"10", "gonggai-exchange", conninfo, NULL};
	struct front *f = calloc(1, sizeof *f);
	if (!f)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (!conninfo || !*conninfo) {
		free(f);
		return err_set(e, ERR_INVALID, "target", "[exchange] target is empty: the exchange is off");
	}
	f->c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(f->c) != CONNECTION_OK || PQsetClientEncoding(f->c, "UTF8") != 0) {
		pgerr(f, e, ERR_INTERNAL, "连接失败", NULL);
		front_close(f);
		return e->code;
	}
	*out = f;
	return 0;
}

void front_close(struct front *f)
{
	if (!f)
		return;
	copier_stop(f);
	PQfinish(f->c);
	free(f);
}

/* Run sql; 0 when it returned tuples or a command status. */
static int run(struct front *f, const char *sql, int n, const char *const *params, PGresult **out,
	       const char *what, struct err *e)
{
	PGresult *r = PQexecParams(f->c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		pgerr(f, e, ERR_INTERNAL, what, r);
		PQclear(r);
		return e->code;
	}
	if (out)
		*out = r;
	else
		PQclear(r);
	return 0;
}

int front_lock(struct front *f, struct err *e)
{
	/* 0x67676578 "ggex": held for the session, released when it ends (also
	** by a crash), so a settling push waits for a killed one's backend. */
	return run(f, "SELECT pg_advisory_lock(1734829432)", 0, NULL, NULL, "advisory lock", e);
}

/* data_type, or the type category (pg_type.typcategory) of a type this
** list does not name: a string type (citext, a domain's base...) is text. */
static enum pgkind kind_of(const char *t, const char *category)
{
	static const struct { const char *name; enum pgkind k; } kinds[] = {
		{"character varying", PK_CHAR}, {"character", PK_CHAR}, {"text", PK_CHAR},
		{"smallint", PK_INT}, {"integer", PK_INT}, {"bigint", PK_INT}, {"numeric", PK_NUMERIC},
		{"real", PK_FLOAT}, {"double precision", PK_FLOAT}, {"date", PK_DATE},
		{"timestamp without time zone", PK_TIMESTAMP}, {"timestamp with time zone", PK_TIMESTAMPTZ},
		{"boolean", PK_BOOL},
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].name, t) == 0)
			return kinds[i].k;
	return strcmp(category, "S") == 0 ? PK_CHAR : PK_OTHER;
}

static struct xcol *col_named(struct xtable *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcasecmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

/* One catalogue row: table, column, type, length, precision, scale,
** nullable, has default, leads an index, type category, type OID. */
static void discover_row(struct xmap *m, PGresult *r, int i)
{
	const char *tn = PQgetvalue(r, i, 0), *cn = PQgetvalue(r, i, 1);
	for (int k = 0; k < m->ntables; k++) {
		struct xtable *t = &m->tables[k];
		if (strcasecmp(t->table, tn) != 0)
			continue;
		t->present = 1;
		snprintf(t->tname, sizeof t->tname, "%s", tn);
		struct xcol *c = col_named(t, cn);
		if (strcasecmp(cn, "LSH") == 0) {
			t->has_lsh = 1;
			snprintf(t->lsh_name, sizeof t->lsh_name, "%s", cn);
		} else if (strcasecmp(cn, "SBYY") == 0)
			snprintf(t->sbyy_name, sizeof t->sbyy_name, "%s", cn);
		if (c) {
			c->present = 1;
			snprintf(c->tname, sizeof c->tname, "%s", cn);
			snprintf(c->tdesc, sizeof c->tdesc, "%s", PQgetvalue(r, i, 2));
			c->kind = kind_of(c->tdesc, PQgetvalue(r, i, 9));
			if (strcmp(c->source, "$dfsjzj") == 0 && strcmp(PQgetvalue(r, i, 8), "1") == 0)
				t->key_indexed = 1;
			c->len = atoi(PQgetvalue(r, i, 3));
			c->tprec = atoi(PQgetvalue(r, i, 4));
			c->tscale = atoi(PQgetvalue(r, i, 5));
			c->toid = (unsigned)strtoul(PQgetvalue(r, i, 10), NULL, 10);
		} else if (strcasecmp(cn, "LSH") != 0 && strcmp(PQgetvalue(r, i, 6), "NO") == 0 &&
			   strcmp(PQgetvalue(r, i, 7), "0") == 0) {
			size_t used = strlen(t->extra_notnull);
			snprintf(t->extra_notnull + used, sizeof t->extra_notnull - used, "%s%s", used ? "," : "", cn);
		}
	}
}

int front_discover(struct front *f, struct xmap *m, struct err *e)
{
	PGresult *r;
	/* information_schema.columns, read from pg_catalog (the view costs ~40 ms
	** per push): same names, data_type, lengths, precision and scale. */
	if (run(f, "SELECT c.relname::text, a.attname::text, format_type(y.oid, NULL), "
		   "CASE WHEN y.typname IN ('varchar', 'bpchar') AND m.tm > 0 THEN m.tm - 4 ELSE 0 END, "
		   "CASE y.typname WHEN 'int2' THEN 16 WHEN 'int4' THEN 32 WHEN 'int8' THEN 64 WHEN 'float4' THEN 24 "
		   "  WHEN 'float8' THEN 53 WHEN 'numeric' THEN CASE WHEN m.tm > 0 THEN ((m.tm - 4) >> 16) & 65535 ELSE 0 END "
		   "  ELSE 0 END, "
		   "CASE WHEN y.typname = 'numeric' AND m.tm > 0 THEN (m.tm - 4) & 65535 ELSE 0 END, "
		   "CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END, (a.atthasdef OR a.attidentity <> '')::int, "
		   "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indkey[0] = a.attnum)::int, "
		   "y.typcategory::text, a.atttypid::bigint "
		   "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
		   "JOIN pg_type t ON t.oid = a.atttypid "
		   "JOIN pg_type y ON y.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END "
		   "CROSS JOIN LATERAL (SELECT CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS tm) m "
		   "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'f') "
		   "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum", 0, NULL, &r, "pg_catalog", e))
		return e->code;
	for (int k = 0; k < m->ntables; k++) {
		struct xtable *t = &m->tables[k];
		t->present = t->has_lsh = t->key_indexed = 0;
		t->extra_notnull[0] = t->lsh_name[0] = t->sbyy_name[0] = 0;
		for (int i = 0; i < t->ncols; i++)
			t->cols[i].present = 0;
	}
	for (int i = 0; i < PQntuples(r); i++)
		discover_row(m, r, i);
	PQclear(r);
	for (int k = 0; k < m->ntables; k++) {
		struct xtable *t = &m->tables[k];
		t->binary = t->present && PQserverVersion(f->c) >= 120000;
		for (int i = 0; i < t->ncols; i++)
			if (t->cols[i].present && !xmap_bin_type(t->cols[i].toid))
				t->binary = 0;
	}
	return 0;
}

/* ---- inserts ------------------------------------------------------------------------------ */

struct sbuf {
	char *p;
	size_t n, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		b->cap = (b->n + len + 1) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = 0;
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_ident(struct front *f, struct sbuf *b, const char *name)
{
	char *q = PQescapeIdentifier(f->c, name, strlen(name));
	sb_str(b, q ? q : name);
	PQfreemem(q);
}

/* "INSERT INTO t (c1, ...) VALUES ($1, ...), ... RETURNING lsh, dfsjzj" for rows rows. */
static char *insert_sql(struct front *f, const struct xtable *t, int rows, int *ncols, int *key)
{
	struct sbuf b = {0};
	const char *dfs = NULL;
	int n = 0;
	sb_str(&b, "INSERT INTO ");
	sb_ident(f, &b, t->tname);
	sb_str(&b, " (");
	for (int i = 0; i < t->ncols; i++) {
		if (!t->cols[i].present)
			continue;
		if (strcmp(t->cols[i].source, "$dfsjzj") == 0) {
			*key = n;
			dfs = t->cols[i].tname;
		}
		sb_str(&b, n++ ? ", " : "");
		sb_ident(f, &b, t->cols[i].tname);
	}
	sb_str(&b, ") VALUES ");
	for (int r = 0; r < rows; r++) {
		char p[16];
		sb_str(&b, r ? ", (" : "(");
		for (int i = 0; i < n; i++) {
			snprintf(p, sizeof p, "%s$%d", i ? ", " : "", r * n + i + 1);
			sb_str(&b, p);
		}
		sb_str(&b, ")");
	}
	sb_str(&b, " RETURNING ");
	sb_ident(f, &b, t->lsh_name);
	sb_str(&b, "::text, ");
	sb_ident(f, &b, dfs ? dfs : "dfsjzj");
	sb_str(&b, "::text");
	*ncols = n;
	return b.p;
}

/* The prepared statement for rows rows of t, preparing it on first use;
** NULL (and e set) when PostgreSQL refuses it. */
static const char *prepared(struct front *f, const struct xtable *t, int rows, struct err *e)
{
	static const char *const names[FRONT_PREP] = {
		"gg_ins_0", "gg_ins_1", "gg_ins_2", "gg_ins_3", "gg_ins_4", "gg_ins_5", "gg_ins_6", "gg_ins_7",
		"gg_ins_8", "gg_ins_9", "gg_ins_10", "gg_ins_11", "gg_ins_12", "gg_ins_13", "gg_ins_14", "gg_ins_15",
		"gg_ins_16", "gg_ins_17", "gg_ins_18", "gg_ins_19", "gg_ins_20", "gg_ins_21", "gg_ins_22", "gg_ins_23",
		"gg_ins_24", "gg_ins_25", "gg_ins_26", "gg_ins_27", "gg_ins_28", "gg_ins_29", "gg_ins_30", "gg_ins_31",
	};
	int ncols, key;
	for (int i = 0; i < f->nprep; i++)
		if (f->prep[i] == t && f->prep_rows[i] == rows)
			return names[i];
	if (f->nprep == FRONT_PREP)
		return NULL;
	char *sql = insert_sql(f, t, rows, &ncols, &key);
	PGresult *r = PQprepare(f->c, names[f->nprep], sql, 0, NULL);
	free(sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		pgerr(f, e, ERR_INTERNAL, t->table, r);
	PQclear(r);
	if (!ok)
		return NULL;
	f->prep[f->nprep] = t;
	f->prep_rows[f->nprep] = rows;
	return names[f->nprep++];
}

/* Rows [from, from+rows) as one statement; lsh filled by DFSJZJ. */
static int insert_chunk(struct front *f, const struct xtable *t, char ***values, int from, int rows, int full,
			char **lsh, int *bad, struct err *e)
{
	int ncols = 0, key = 0;
	char *sql = insert_sql(f, t, rows, &ncols, &key);
	const char **params = malloc(sizeof *params * (size_t)(rows * ncols));
	for (int r = 0; r < rows; r++)
		for (int i = 0; i < ncols; i++)
			params[r * ncols + i] = values[from + r][i];
	const char *name = full ? prepared(f, t, rows, e) : NULL;
	if (full && !name)
		err_clear(e);          /* not prepared: the plain statement says what is wrong */
	PGresult *res = name ? PQexecPrepared(f->c, name, rows * ncols, params, NULL, NULL, 0)
		: PQexecParams(f->c, sql, rows * ncols, NULL, params, NULL, NULL, 0);
	free(sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		*bad = PQstatus(f->c) == CONNECTION_OK;
		pgerr(f, e, ERR_INTERNAL, t->table, res);
		PQclear(res);
		free(params);
		return e->code;
	}
	for (int i = 0; i < PQntuples(res) && i < rows; i++) {
		const char *k = PQgetvalue(res, i, 1);
		int at = strcmp(k, values[from + i][key]) == 0 ? i : -1;
		for (int j = 0; at < 0 && j < rows; j++)
			if (strcmp(k, values[from + j][key]) == 0)
				at = j;
		if (at >= 0)
			lsh[from + at] = strdup(PQgetvalue(res, i, 0));
	}
	PQclear(res);
	free(params);
	return 0;
}

static char *array_literal(const char **v, int n);
static const char *col_of(const struct xtable *t, const char *source);

/* ---- COPY -------------------------------------------------------------------------------- */

/* A data error of COPY as "<message> (列 <column>, 第 <n> 行)" from the
** context PostgreSQL gives ("COPY t, line n, column c: ..."). */
static int copy_error(struct front *f, const struct xtable *t, const PGresult *r, struct err *e)
{
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	const char *ctx = PQresultErrorField(r, PG_DIAG_CONTEXT);
	const char *at = ctx ? strstr(ctx, ", line ") : NULL;
	char col[130] = "";
	int line = 0;
	if (!msg)
		return pgerr(f, e, ERR_INTERNAL, t->table, r);
	if (at && sscanf(at, ", line %d, column %129[^:\n]", &line, col) >= 1 && *col)
		return err_set(e, ERR_INTERNAL, "target", "前置库 %s 列 %s 不接受第 %d 行的值: %s", t->table, col, line,
			       msg);
	return err_set(e, ERR_INTERNAL, "target", "前置库 %s: %s%s%.*s", t->table, msg, ctx ? " — " : "",
		       ctx ? (int)strcspn(ctx, "\n") : 0, ctx ? ctx : "");
}

/* "COPY t (c1, ...) FROM STDIN [WITH (FORMAT binary)]"; *key the position
** of DFSJZJ among them. */
static char *copy_sql(struct front *f, const struct xtable *t, int binary, int *key)
{
	struct sbuf b = {0};
	int n = 0;
	sb_str(&b, "COPY ");
	sb_ident(f, &b, t->tname);
	sb_str(&b, " (");
	for (int i = 0; i < t->ncols; i++) {
		if (!t->cols[i].present)
			continue;
		if (strcmp(t->cols[i].source, "$dfsjzj") == 0)
			*key = n;
		sb_str(&b, n++ ? ", " : "");
		sb_ident(f, &b, t->cols[i].tname);
	}
	sb_str(&b, binary ? ") FROM STDIN WITH (FORMAT binary)" : ") FROM STDIN");
	return b.p;
}

/* Send len bytes of COPY text, or of binary tuples between the binary
** format's header (signature, flags 0, no extension) and trailer (-1), and
** the end, without waiting for the front DB to take them (copy_wait). */
static int copy_send(struct front *f, const struct xtable *t, int binary, const char *data, size_t len, int *bad,
		     struct err *e)
{
	static const char header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
	int key = 0, ok = 1;
	char *sql = copy_sql(f, t, binary, &key);
	PGresult *r = PQexec(f->c, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		*bad = PQstatus(f->c) == CONNECTION_OK;
		pgerr(f, e, ERR_INTERNAL, t->table, r);
		PQclear(r);
		return e->code;
	}
	PQclear(r);
	if (binary)
		ok = PQputCopyData(f->c, header, sizeof header) == 1;
	for (size_t at = 0; at < len && ok; at += 262144)
		ok = PQputCopyData(f->c, data + at, (int)(len - at < 262144 ? len - at : 262144)) == 1;
	if (ok && binary)
		ok = PQputCopyData(f->c, "\377\377", 2) == 1;
	if (!ok || PQputCopyEnd(f->c, NULL) != 1)
		return pgerr(f, e, ERR_INTERNAL, t->table, NULL);
	return 0;
}

/* The outcome of the COPY sent: 0 when the front DB took every row. */
static int copy_wait(struct front *f, const struct xtable *t, int *bad, struct err *e)
{
	PGresult *r;
	int rc = 0;
	while ((r = PQgetResult(f->c))) {
		if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK) {
			*bad = PQstatus(f->c) == CONNECTION_OK;
			rc = copy_error(f, t, r, e);
		}
		PQclear(r);
	}
	return rc;
}

/* The LSH of each row just copied: this transaction's rows (xmin is our
** transaction id: txid_current() without its epoch) with those DFSJZJ. */
static int copied_lsh(struct front *f, const struct xtable *t, const char *const *keys, int n, char **lsh,
		      struct err *e)
{
	struct sbuf b = {0};
	PGresult *r;
	const char *dfs = col_of(t, "$dfsjzj");
	sb_str(&b, "SELECT ");
	sb_ident(f, &b, t->lsh_name);
	sb_str(&b, "::text, ");
	sb_ident(f, &b, dfs);
	sb_str(&b, "::text FROM ");
	sb_ident(f, &b, t->tname);
	sb_str(&b, " WHERE ");
	sb_ident(f, &b, dfs);
	sb_str(&b, " = ANY($1) AND xmin::text::bigint = txid_current() % 4294967296");
	char *arr = array_literal((const char **)keys, n);
	const char *params[1] = {arr};
	int rc = run(f, b.p, 1, params, &r, t->table, e);
	free(b.p);
	free(arr);
	if (rc)
		return rc;
	for (int i = 0, at = 0; i < PQntuples(r); i++, at++) {
		const char *k = PQgetvalue(r, i, 1);
		if (at >= n || strcmp(k, keys[at]) != 0)      /* not in our order: look it up */
			for (at = 0; at < n && strcmp(k, keys[at]) != 0; at++)
				;
		if (at < n && !lsh[at])
			lsh[at] = strdup(PQgetvalue(r, i, 0));
	}
	PQclear(r);
	return 0;
}

/* Commit, unless a row has no LSH. */
static int finish(struct front *f, const struct xtable *t, int n, char **lsh, struct err *e)
{
	for (int i = 0; i < n; i++)
		if (!lsh[i]) {
			PQclear(PQexec(f->c, "ROLLBACK"));
			return err_set(e, ERR_INTERNAL, "target", "前置库 %s: no LSH came back for a row", t->table);
		}
	return run(f, "COMMIT", 0, NULL, NULL, "COMMIT", e);
}

/* BEGIN and send a COPY (its outcome is read by copy_finish or copy_wait). */
static int copy_begin(struct front *f, const struct xtable *t, int binary, const char *data, size_t len, int *bad,
		      struct err *e)
{
	assert(t->key_indexed);
	*bad = 0;
	if (run(f, "BEGIN", 0, NULL, NULL, "BEGIN", e))
		return e->code;
	if (copy_send(f, t, binary, data, len, bad, e)) {
		copy_wait(f, t, bad, &(struct err){0});
		PQclear(PQexec(f->c, "ROLLBACK"));
		return e->code;
	}
	return 0;
}

/* The whole transaction of a keyed batch. */
static void copy_job_run(struct front *f, struct copy_job *j)
{
	j->rc = copy_begin(f, j->t, j->t->binary, j->data, j->len, &j->bad, &j->e);
	if (!j->rc && copy_wait(f, j->t, &j->bad, &j->e)) {
		j->rc = j->e.code;
		PQclear(PQexec(f->c, "ROLLBACK"));
	} else if (!j->rc)
		j->rc = run(f, "COMMIT", 0, NULL, NULL, "COMMIT", &j->e);
}

/* Send job k (or cancel it: refused, nothing sent); then it is sent. With
** the copier thread up, the caller holds f->mu, which is released while the
** front DB works; without it, the caller runs it itself. */
static void copy_one(struct front *f, uint64_t k)
{
	struct copy_job *j = &f->q[k % FRONT_QUEUE];
	if (k < f->cancel_below || f->stop) {
		j->cancelled = j->bad = 1;
		j->rc = err_set(&j->e, ERR_INTERNAL, "target", "前置库 %s: 前一批未能写入，本批未发送", j->t->table);
	} else {
		if (f->copier_up)
			pthread_mutex_unlock(&f->mu);
		copy_job_run(f, j);
		if (f->copier_up)
			pthread_mutex_lock(&f->mu);
		if (j->rc)
			f->cancel_below = UINT64_MAX;   /* until the caller hears of it */
	}
	f->sent = k + 1;
	if (f->copier_up)
		pthread_cond_broadcast(&f->cv);
}

static void *copier_main(void *arg)
{
	struct front *f = arg;
	pthread_mutex_lock(&f->mu);
	for (;;) {
		while (f->sent == f->started && !f->stop)
			pthread_cond_wait(&f->cv, &f->mu);
		if (f->sent == f->started)
			break;
		copy_one(f, f->sent);
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

/* Jobs still queued end cancelled; the thread is joined. */
static void copier_stop(struct front *f)
{
	if (!f->copier_up)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->copier, NULL);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	f->copier_up = 0;
}

int front_copy_busy(const struct front *f)
{
	return f->ended < f->started;
}

int front_copy_room(const struct front *f)
{
	return FRONT_QUEUE - (int)(f->started - f->ended);
}

void front_copy_start(struct front *f, const struct xtable *t, const char *data, size_t len)
{
	assert(t->key_indexed && front_copy_room(f) > 0);
	if (!f->copier_up && pthread_mutex_init(&f->mu, NULL) == 0) {
		pthread_cond_init(&f->cv, NULL);
		f->stop = 0;
		f->copier_up = pthread_create(&f->copier, NULL, copier_main, f) == 0;
		if (!f->copier_up) {
			pthread_mutex_destroy(&f->mu);
			pthread_cond_destroy(&f->cv);
		}
	}
	struct copy_job *j = &f->q[f->started % FRONT_QUEUE];
	*j = (struct copy_job){.t = t, .data = data, .len = len};
	if (!f->copier_up) {            /* no thread: the batch goes now */
		copy_one(f, f->started++);
		return;
	}
	pthread_mutex_lock(&f->mu);
	f->started++;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

int front_copy_done(struct front *f)
{
	if (!front_copy_busy(f))
		return 0;
	if (!f->copier_up)
		return 1;
	pthread_mutex_lock(&f->mu);
	int done = f->sent > f->ended;
	pthread_mutex_unlock(&f->mu);
	return done;
}

int front_copy_end(struct front *f, const struct xtable *t, int *bad, struct err *e)
{
	assert(front_copy_busy(f));
	if (f->copier_up) {
		pthread_mutex_lock(&f->mu);
		while (f->sent <= f->ended)
			pthread_cond_wait(&f->cv, &f->mu);
	}
	struct copy_job *j = &f->q[f->ended % FRONT_QUEUE];
	assert(j->t == t);
	if (j->rc && !j->cancelled)
		f->cancel_below = f->started;  /* what the caller started before it knew */
	f->ended++;
	if (f->copier_up)
		pthread_mutex_unlock(&f->mu);
	*bad = j->bad;
	if (j->rc)
		*e = j->e;
	return j->rc;
}

/* The end of a COPY begun by copy_begin: the LSHs of its rows, and commit. */
static int copy_finish(struct front *f, const struct xtable *t, const char *const *keys, int n, char **lsh, int *bad,
		       struct err *e)
{
	*bad = 0;
	int rc = copy_wait(f, t, bad, e);
	if (!rc)
		rc = copied_lsh(f, t, keys, n, lsh, e);
	if (rc) {
		PQclear(PQexec(f->c, "ROLLBACK"));
		return rc;
	}
	return finish(f, t, n, lsh, e);
}

int front_copy(struct front *f, const struct xtable *t, int binary, const char *data, size_t len,
	       const char *const *keys, int n, char **lsh, int *bad, struct err *e)
{
	if (copy_begin(f, t, binary, data, len, bad, e))
		return e->code;
	return copy_finish(f, t, keys, n, lsh, bad, e);
}

/* n rows of values as binary tuples into data; -1 (data empty) when a
** value has no exact binary encoding (the rows then go by text). */
static int copy_binary(const struct xtable *t, char ***values, int n, int ncols, struct buf *data)
{
	char count[2] = {(char)(ncols >> 8), (char)ncols};
	for (int i = 0; i < n; i++) {
		buf_append(data, count, 2);
		for (int c = 0, j = 0; c < t->ncols; c++)
			if (t->cols[c].present && xmap_bin_field(&t->cols[c], values[i][j++], data)) {
				data->len = 0;
				return -1;
			}
	}
	return 0;
}

int front_insert(struct front *f, const struct xtable *t, char ***values, int n, char **lsh, int *bad,
		 struct err *e)
{
	int ncols = 0, key = 0, rc = 0;
	for (int i = 0; i < t->ncols; i++) {
		if (t->cols[i].present && strcmp(t->cols[i].source, "$dfsjzj") == 0)
			key = ncols;
		ncols += t->cols[i].present;
	}
	if (t->key_indexed) {
		struct buf data = {0};
		const char **keys = malloc(sizeof *keys * (size_t)(n + 1));
		int binary = t->binary && copy_binary(t, values, n, ncols, &data) == 0;
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < ncols && !binary; j++) {
				if (j)
					buf_append(&data, "\t", 1);
				xmap_copy_field(&data, values[i][j]);
			}
			if (!binary)
				buf_append(&data, "\n", 1);
			keys[i] = values[i][key];
		}
		rc = front_copy(f, t, binary, data.data, data.len, keys, n, lsh, bad, e);
		buf_free(&data);
		free(keys);
		return rc;
	}
	int per = ncols ? 60000 / ncols : 1;
	if (per > FRONT_CHUNK)
		per = FRONT_CHUNK;
	*bad = 0;
	if (run(f, "BEGIN", 0, NULL, NULL, "BEGIN", e))
		return e->code;
	for (int from = 0; from < n && !rc; from += per)
		rc = insert_chunk(f, t, values, from, n - from < per ? n - from : per, n - from >= per, lsh, bad, e);
	if (rc) {
		PQclear(PQexec(f->c, "ROLLBACK"));
		return rc;
	}
	return finish(f, t, n, lsh, e);
}

/* ---- reading our rows back ---------------------------------------------------------------- */

/* '{"a","b"}' for ANY($1) whatever the column's type. */
static char *array_literal(const char **v, int n)
{
	struct sbuf b = {0};
	sb_str(&b, "{");
	for (int i = 0; i < n; i++) {
		sb_str(&b, i ? ",\"" : "\"");
		for (const char *p = v[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_add(&b, "\\", 1);
			sb_add(&b, p, 1);
		}
		sb_str(&b, "\"");
	}
	sb_str(&b, "}");
	return b.p;
}

static const char *col_of(const struct xtable *t, const char *source)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].source, source) == 0 && t->cols[i].present)
			return t->cols[i].tname;
	return NULL;
}

int front_rows_of(struct front *f, const struct xtable *t, const char *xzqhdm, const char **keys, int n,
		  int (*found)(void *arg, const char *dfsjzj, const char *lsh), void *arg, struct err *e)
{
	struct sbuf b = {0};
	PGresult *r;
	const char *dfs = col_of(t, "$dfsjzj"), *div = col_of(t, "$xzqhdm");
	sb_str(&b, "SELECT ");
	sb_ident(f, &b, dfs ? dfs : "dfsjzj");
	sb_str(&b, "::text, ");
	sb_ident(f, &b, t->lsh_name);
	sb_str(&b, "::text FROM ");
	sb_ident(f, &b, t->tname);
	sb_str(&b, " WHERE ");
	sb_ident(f, &b, dfs ? dfs : "dfsjzj");
	sb_str(&b, " = ANY($1)");
	if (div) {              /* other cities' rows may use keys like ours */
		sb_str(&b, " AND ");
		sb_ident(f, &b, div);
		sb_str(&b, "::text = $2");
	}
	char *arr = array_literal(keys, n);
	const char *params[2] = {arr, xzqhdm};
	int rc = run(f, b.p, div ? 2 : 1, params, &r, t->table, e);
	free(b.p);
	free(arr);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r) && !rc; i++)
		rc = found(arg, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
	PQclear(r);
	return rc;   /* a failing found() filled e through its arg */
}

/* "<LSH>::text, <SJSCZT>::text, <SBYY or NULL>::text FROM <table> WHERE ":
** the verdict columns of t as text, whatever their types there. */
static void sb_verdict_from(struct front *f, struct sbuf *b, const struct xtable *t)
{
	const char *state = col_of(t, "$state");
	sb_ident(f, b, t->lsh_name);
	sb_str(b, "::text, ");
	sb_ident(f, b, state ? state : "sjsczt");
	sb_str(b, "::text, ");
	if (t->sbyy_name[0]) {
		sb_ident(f, b, t->sbyy_name);
		sb_str(b, "::text");
	} else
		sb_str(b, "NULL::text");
	sb_str(b, " FROM ");
	sb_ident(f, b, t->tname);
	sb_str(b, " WHERE ");
}

int front_verdicts(struct front *f, const struct xtable *t, const char **lsh, int n,
		   int (*got)(void *arg, const char *lsh, int sjsczt, const char *sbyy), void *arg, struct err *e)
{
	struct sbuf b = {0};
	PGresult *r;
	sb_str(&b, "SELECT ");
	sb_verdict_from(f, &b, t);
	sb_ident(f, &b, t->lsh_name);
	sb_str(&b, " = ANY($1)");
	char *arr = array_literal(lsh, n);
	const char *params[1] = {arr};
	int rc = run(f, b.p, 1, params, &r, t->table, e);
	free(b.p);
	free(arr);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r) && !rc; i++)
		rc = got(arg, PQgetvalue(r, i, 0), atoi(PQgetvalue(r, i, 1)),
			 PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2));
	PQclear(r);
	return rc;   /* a failing got() filled e through its arg */
}

int front_verdicts_keyed(struct front *f, const struct xtable *t, const char *xzqhdm, const char **keys, int n,
			 int (*got)(void *arg, const char *dfsjzj, const char *lsh, int sjsczt, const char *sbyy),
			 void *arg, struct err *e)
{
	struct sbuf b = {0};
	PGresult *r;
	const char *dfs = col_of(t, "$dfsjzj"), *div = col_of(t, "$xzqhdm");
	sb_str(&b, "SELECT ");
	sb_ident(f, &b, dfs ? dfs : "dfsjzj");
	sb_str(&b, "::text, ");
	sb_verdict_from(f, &b, t);
	sb_ident(f, &b, dfs ? dfs : "dfsjzj");
	sb_str(&b, " = ANY($1)");
	if (div) {
		sb_str(&b, " AND ");
		sb_ident(f, &b, div);
		sb_str(&b, "::text = $2");
	}
	char *arr = array_literal(keys, n);
	const char *params[2] = {arr, xzqhdm};
	int rc = run(f, b.p, div ? 2 : 1, params, &r, t->table, e);
	free(b.p);
	free(arr);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r) && !rc; i++)
		rc = got(arg, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), atoi(PQgetvalue(r, i, 2)),
			 PQgetisnull(r, i, 3) ? NULL : PQgetvalue(r, i, 3));
	PQclear(r);
	return rc;   /* a failing got() filled e through its arg */
}

/* ---- reading a front DB's history (history.c) ------------------------------------------------- */

int front_read(struct front *f, const char *sql, int n, const char *const *params, PGresult **res, struct err *e)
{
	return run(f, sql, n, params, res, "read", e);
}

char *front_ident(struct front *f, const char *name)
{
	char *q = PQescapeIdentifier(f->c, name, strlen(name));
	char *out = strdup(q ? q : "\"?\"");
	PQfreemem(q);
	return out;
}
