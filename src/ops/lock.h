/*
** lock.h: who holds the database. `gonggai serve` (and a running backup or
** drill) holds a shared lock on PATH.lock next to the database; `gonggai
** restore` needs the exclusive lock, so it refuses while anything uses the
** database, and a server cannot start while a restore is swapping files.
** A server also holds its own exclusive lock (another byte of the file), so
** a second `gonggai serve` on the same database refuses to start.
**
** The locks are Linux open-file-description locks (F_OFD_SETLK): the kernel
** drops them when the process dies, so a crashed server never leaves a stale
** lock behind, and closing some other descriptor of the file does not drop
** them (unlike POSIX record locks). The server also writes one JSON line
** into the file ({"pid","url","threads","started_at"}) so the command line
** can find it for the application checks; it empties the file on exit.
**
** Ownership: struct ops_lock is the caller's; ops_lock_release closes it.
*/
#ifndef GG_OPS_LOCK_H
#define GG_OPS_LOCK_H

#include "base/err.h"
#include "ops/ops.h"

struct ops_lock {
	int fd;                   /* -1 when not held */
	char path[560];
};

/* Shared lock (serve, backup, drill). ERR_CONFLICT while a restore holds it.
** When the database does not exist there is nothing to lock: 0, fd -1. */
int ops_lock_shared(const char *db_path, struct ops_lock *lk, struct err *e);
/* Exclusive lock (restore). ERR_CONFLICT naming the server's pid when held. */
int ops_lock_exclusive(const char *db_path, struct ops_lock *lk, struct err *e);
/* The server's own lock, taken by serve after the shared one: one server
** per database. ERR_CONFLICT naming the running server's pid and address. */
int ops_lock_server(struct ops_lock *lk, struct err *e);
/* Record the server's address (serve only, after it listens). */
int ops_lock_publish(struct ops_lock *lk, const struct ops_server *srv, struct err *e);
/* Release (and for a publisher, empty the file). Safe on an unheld lock. */
void ops_lock_release(struct ops_lock *lk);

/* What runs on db_path: srv->running when someone holds the lock and the
** file names a live server process. */
void ops_server_read(const char *db_path, struct ops_server *srv);

#endif
