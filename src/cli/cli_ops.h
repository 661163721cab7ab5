/*
** cli_ops.h: what the operations verbs (inspect, backup, restore, report,
** cleanup) share: reading gonggai.ini (./gonggai.ini when present, or
** --config FILE) with --db on top, into the ops configuration.
**
** Ownership: *c is the caller's (conf_free); cf points into it (cf->conf)
** and must not outlive it.
*/
#ifndef GG_CLI_OPS_H
#define GG_CLI_OPS_H

#include "base/conf.h"
#include "ops/ops.h"

/* config NULL: ./gonggai.ini if it exists. db NULL: [database] path, and
** ERR_INVALID (field "db") when neither gives one. */
int cli_ops_load(const char *config, const char *db, struct conf **c, struct ops_conf *cf, struct err *e);

/* "12.3 MB" style sizes for the tables the verbs print; buf >= 24 bytes. */
const char *cli_ops_size(int64_t bytes, char *buf);

#endif
