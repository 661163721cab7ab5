/*
** store_list.c: the filter description every paged list is built from (see
** store_list.h).
*/
#include "store/store_int.h"
#include "store/store_list.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

void store_list_free(struct store_list *l)
{
	buf_free(&l->where);
	l->nconds = l->nbinds = l->overflow = 0;
}

void store_list_and(struct store_list *l, const char *cond)
{
	buf_puts(&l->where, l->nconds++ ? " AND " : " WHERE ");
	buf_puts(&l->where, cond);
}

/* The next value's slot; when all are taken, l is marked and its
** statements fail (store_list_stmt). */
static void bind_add(struct store_list *l, const struct store_list_bind *b)
{
	assert(b->name[0] == ':');
	assert(l->nbinds < STORE_LIST_BINDS);
	for (int i = 0; i < l->nbinds; i++)
		assert(strcmp(l->b[i].name, b->name) != 0);   /* one value per name */
	if (l->nbinds < STORE_LIST_BINDS)
		l->b[l->nbinds++] = *b;
	else
		l->overflow = 1;
}

void store_list_bind_text(struct store_list *l, const char *name, const char *v)
{
	bind_add(l, &(struct store_list_bind){.name = name, .s = v});
}

void store_list_bind_int(struct store_list *l, const char *name, int64_t v)
{
	bind_add(l, &(struct store_list_bind){.name = name, .is_int = 1, .i = v});
}

void store_list_text(struct store_list *l, const char *cond, const char *name, const char *v)
{
	store_list_and(l, cond);
	store_list_bind_text(l, name, v);
}

void store_list_int(struct store_list *l, const char *cond, const char *name, int64_t v)
{
	store_list_and(l, cond);
	store_list_bind_int(l, name, v);
}

/* A list whose names do not match its statement is a programming error:
** loud in the test build, ERR_INTERNAL otherwise. */
static int misnamed(const struct store_list *l, const char *name, const char *how, struct err *e)
{
#ifdef GG_TESTING
	fprintf(stderr, "%s: parameter %s %s\n", l->what, name, how);
	assert(!"a list's parameter names match its statement");
#endif
	return err_set(e, ERR_INTERNAL, "", "%s: parameter %s %s", l->what, name, how);
}

static int bind_one(sqlite3_stmt *s, const struct store_list *l, const struct store_list_bind *b, char *set,
		    struct err *e)
{
	int i = sqlite3_bind_parameter_index(s, b->name);
	if (!i)
		return misnamed(l, b->name, "is not in the statement", e);
	set[i] = 1;
	if (b->is_int)
		sqlite3_bind_int64(s, i, b->i);
	else
		store_bind_text(s, i, b->s);
	return 0;
}

/* Bind l's values by name; every parameter of s must be named and given a
** value. */
static int bind_all(sqlite3_stmt *s, const struct store_list *l, struct err *e)
{
	char set[STORE_LIST_BINDS + 1] = {0};
	int n = sqlite3_bind_parameter_count(s);
	if (n > STORE_LIST_BINDS)
		return misnamed(l, "count", "exceeds STORE_LIST_BINDS", e);
	for (int k = 0; k < l->nbinds; k++)
		if (bind_one(s, l, &l->b[k], set, e))
			return e->code;
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(s, i);
		if (!name || name[0] != ':')
			return misnamed(l, name ? name : "?", "has no name (write :name)", e);
		if (!set[i])
			return misnamed(l, name, "has no value", e);
	}
	return 0;
}

sqlite3_stmt *store_list_stmt(struct store *st, const struct store_list *l, const char *head, const char *tail,
			      int limit, int64_t offset, struct err *e)
{
	struct buf q = {0};
	sqlite3_stmt *s = NULL;
	if (l->overflow) {
		misnamed(l, "values", "exceed STORE_LIST_BINDS", e);
		return NULL;
	}
	buf_puts(&q, head);
	if (l->where.len)
		buf_puts(&q, l->where.data);
	if (tail && *tail)
		buf_printf(&q, " %s", tail);
	/* numbers, not parameters: a page known to be small lets the planner
	** prefer an index that needs a short sort (the 待办 list's cases_todo) */
	if (limit >= 0)
		buf_printf(&q, " LIMIT %d OFFSET %lld", limit, (long long)offset);
	if (sqlite3_prepare_v2(store_db(st), q.data, -1, &s, NULL) != SQLITE_OK) {
		store_sqlerr(st, e, l->what);
		s = NULL;
	} else if (bind_all(s, l, e)) {
		sqlite3_finalize(s);
		s = NULL;
	}
	buf_free(&q);
	return s;
}

/* Step a count statement made by store_list_stmt, then finalise it. */
static int counted(struct store *st, const struct store_list *l, sqlite3_stmt *s, int64_t *n, struct err *e)
{
	if (!s)
		return e->code;
	int rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (rc != SQLITE_ROW)
		store_sqlerr(st, e, l->what);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : e->code;
}

int store_list_count(struct store *st, const struct store_list *l, const char *from, int64_t *total,
		     struct err *e)
{
	struct buf head = {0};
	buf_printf(&head, "SELECT count(*) %s", from);
	sqlite3_stmt *s = store_list_stmt(st, l, head.data, NULL, -1, 0, e);
	buf_free(&head);
	return counted(st, l, s, total, e);
}

int store_list_count_capped(struct store *st, const struct store_list *l, const char *from, int64_t cap,
			    int64_t *total, int *capped, struct err *e)
{
	struct buf head = {0}, tail = {0};
	int64_t n;
	buf_printf(&head, "SELECT count(*) FROM (SELECT 1 %s", from);
	buf_printf(&tail, "LIMIT %lld)", (long long)cap + 1);
	sqlite3_stmt *s = store_list_stmt(st, l, head.data, tail.data, -1, 0, e);
	buf_free(&head);
	buf_free(&tail);
	if (counted(st, l, s, &n, e))
		return e->code;
	*capped = n > cap;
	*total = *capped ? cap : n;
	return 0;
}

int store_list_page(struct store *st, const struct store_list *l, const char *select_from, const char *order,
		    const struct page *pg, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_list_stmt(st, l, select_from, order, pg->page_size,
					  (int64_t)(pg->page - 1) * pg->page_size, e);
	if (!s)
		return e->code;
	int rc = store_rows_json(st, s, items, e);
	sqlite3_finalize(s);
	return rc;
}
