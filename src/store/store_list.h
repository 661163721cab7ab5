/*
** store_list.h: how every paged list of the store is written (store files
** only, like store_int.h).
**
** A list is one filter description: the conditions of the filters given,
** each naming its parameters (":dept"), and their values. The count and the
** page are both built from it, so a filter is written once:
**
**     struct store_list l = STORE_LIST("user list");
**     if (department)
**             store_list_text(&l, "u.department_code = :dept", ":dept", department);
**     int rc = store_list_count(st, &l, "FROM users u", total, e);
**     if (!rc)
**             rc = store_list_page(st, &l, "SELECT u.id, ... FROM users u", "ORDER BY u.id", pg, items, e);
**     store_list_free(&l);
**
** A condition is there only when its filter is set: never `(?1 IS NULL OR
** x = ?1)`, whose one plan for every value keeps SQLite from the indexes.
** Values are bound by name (sqlite3_bind_parameter_index), as Fossil's
** db_bind_*: a name the statement does not hold, a parameter of the
** statement left without a value, or a `?` without a name is ERR_INTERNAL,
** and an assert in the test build.
**
** The statements are prepared for each call and finalised: their text
** depends on the filters given, and a page's LIMIT and OFFSET are written as
** numbers (the planner chooses differently for a page known to be small).
*/
#ifndef GG_STORE_LIST_H
#define GG_STORE_LIST_H

#include <stdint.h>
#include <jansson.h>
#include <sqlite3.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

#define STORE_LIST_BINDS 24

struct store_list {
	const char *what;             /* names the list in errors            */
	struct buf where;             /* " WHERE a AND b", empty without any  */
	int nconds, nbinds;
	int overflow;                 /* more values than STORE_LIST_BINDS    */
	struct store_list_bind {
		const char *name;     /* ":dept": a literal, or lives as long */
		int is_int;
		const char *s;        /* the caller's, NULL binds NULL        */
		int64_t i;
	} b[STORE_LIST_BINDS];
};

#define STORE_LIST(what_) ((struct store_list){.what = (what_)})
void store_list_free(struct store_list *l);

/* AND cond to the filter; its parameters are bound with the calls below. */
void store_list_and(struct store_list *l, const char *cond);
/* The value of parameter name (":dept") in every statement of l. */
void store_list_bind_text(struct store_list *l, const char *name, const char *v);
void store_list_bind_int(struct store_list *l, const char *name, int64_t v);
/* AND cond whose one parameter is name, with its value. */
void store_list_text(struct store_list *l, const char *cond, const char *name, const char *v);
void store_list_int(struct store_list *l, const char *cond, const char *name, int64_t v);

/* head + l's WHERE + " " tail, then " LIMIT limit OFFSET offset" when
** limit >= 0, prepared and bound: NULL with e set on a refused statement or
** a name that does not match (above). The caller finalises it. */
sqlite3_stmt *store_list_stmt(struct store *st, const struct store_list *l, const char *head, const char *tail,
			      int limit, int64_t offset, struct err *e);

/* `SELECT count(*) <from><WHERE>` into *total. */
int store_list_count(struct store *st, const struct store_list *l, const char *from, int64_t *total,
		     struct err *e);
/* The count reading at most cap + 1 rows: *total the count up to cap,
** *capped 1 when more rows match (docs/api.md "Totals"). */
int store_list_count_capped(struct store *st, const struct store_list *l, const char *from, int64_t cap,
			    int64_t *total, int *capped, struct err *e);
/* `<select_from><WHERE> <order>` of page pg as JSON rows keyed by column
** name (store_rows_json); *items owned by the caller. */
int store_list_page(struct store *st, const struct store_list *l, const char *select_from, const char *order,
		    const struct page *pg, json_t **items, struct err *e);

#endif
