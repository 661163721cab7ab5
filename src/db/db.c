/*
** db.c: the database for the faces (see db.h): the store's connections and
** pool, and the seed of a new database.
*/
#include "db/db.h"

#include "approval/catalog.h"
#include "org/org.h"
#include "org/rbac.h"
#include "stats/stats_live.h"
#include "store/store_key.h"

static const case_observer observers[] = {
	stats_case_observer,     /* the maintained aggregates (issue 7) */
	NULL,
};

const case_observer *db_case_observers(void)
{
	return observers;
}

int db_open(const char *path, int flags, struct store **out, struct err *e)
{
	return store_open(path, flags, out, e);
}

void db_close(struct store *st)
{
	store_close(st);
}

int db_pool_open(const char *path, int size, int flags, const struct conf *c, struct store_pool **out,
		 struct err *e)
{
	return store_pool_open(path, size, flags, c, out, e);
}

struct store *db_pool_get(struct store_pool *p)
{
	return store_pool_get(p);
}

void db_pool_put(struct store_pool *p, struct store *st)
{
	store_pool_put(p, st);
}

void db_pool_close(struct store_pool *p)
{
	store_pool_close(p);
}

int db_seed(struct store *st, const char *key_file, int64_t now, struct err *e)
{
	struct principal cli;
	rbac_cli_principal(&cli);
	if (key_file && store_key_move(st, key_file, e))
		return e->code;
	if (org_seed(st, now, e))
		return e->code;
	return catalog_seed(st, &cli, now, e);
}

int db_schema_version(struct store *st)
{
	return store_schema_version(st);
}

int db_ping(struct store *st, struct err *e)
{
	return store_ping(st, e);
}
