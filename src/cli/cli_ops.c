/*
** cli_ops.c: helpers of the operations verbs (see cli_ops.h).
*/
#include "cli/cli_ops.h"

#include <stdio.h>

int cli_ops_load(const char *config, const char *db, struct conf **c, struct ops_conf *cf, struct err *e)
{
	if (conf_load(config ? config : "gonggai.ini", config == NULL, c, e))
		return e->code;
	if (db)
		conf_set(*c, "database", "path", db);
	db = conf_get(*c, "database", "path");
	if (!db || !*db) {
		conf_free(*c);
		*c = NULL;
		return err_set(e, ERR_INVALID, "db", "--db PATH is required (or [database] path in gonggai.ini)");
	}
	if (ops_conf_load(*c, db, cf, e)) {
		conf_free(*c);
		*c = NULL;
		return e->code;
	}
	return 0;
}

const char *cli_ops_size(int64_t bytes, char *buf)
{
	if (bytes >= 1 << 30)
		snprintf(buf, 24, "%.2f GB", bytes / 1073741824.0);
	else if (bytes >= 1 << 20)
		snprintf(buf, 24, "%.1f MB", bytes / 1048576.0);
	else
		snprintf(buf, 24, "%.1f KB", bytes / 1024.0);
	return buf;
}
