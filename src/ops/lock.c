/*
** lock.c: the database lock file (see lock.h).
*/
#include "ops/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void lock_path(const char *db_path, char *out, size_t cap)
{
	snprintf(out, cap, "%s.lock", db_path);
}

/* The JSON line of the file, parsed into srv (running left as is). */
static void read_info(int fd, struct ops_server *srv)
{
	char buf[1024];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return;
	buf[n] = 0;
	json_t *j = json_loads(buf, JSON_DISABLE_EOF_CHECK, NULL);
	if (!j)
		return;
	srv->pid = (int)json_integer_value(json_object_get(j, "pid"));
	srv->threads = (int)json_integer_value(json_object_get(j, "threads"));
	srv->started_at = json_integer_value(json_object_get(j, "started_at"));
	const char *url = json_string_value(json_object_get(j, "url"));
	snprintf(srv->url, sizeof srv->url, "%s", url ? url : "");
	json_decref(j);
}

/* Byte 0 of the file is the database lock (shared: serve, backup, drill;
** exclusive: restore); byte 1 is the server's own (exclusive: one serve per
** database). */
#define BYTE_DB 0
#define BYTE_SERVER 1

static int take(const char *db_path, struct ops_lock *lk, short type, struct err *e)
{
	struct stat sb;
	lk->fd = -1;
	lock_path(db_path, lk->path, sizeof lk->path);
	if (type == F_RDLCK && stat(db_path, &sb) != 0)
		return 0;   /* nothing to protect yet: opening it will say what is wrong */
	int fd = open(lk->path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return err_set(e, ERR_INTERNAL, "db", "cannot open %s: %s", lk->path, strerror(errno));
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = BYTE_DB, .l_len = 1};
	if (fcntl(fd, F_OFD_SETLK, &fl) == 0) {
		lk->fd = fd;
		return 0;
	}
	int err = errno;
	struct ops_server srv = {0};
	read_info(fd, &srv);
	close(fd);
	if (err != EAGAIN && err != EACCES)
		return err_set(e, ERR_INTERNAL, "db", "cannot lock %s: %s", lk->path, strerror(err));
	if (type == F_RDLCK)
		return err_set(e, ERR_CONFLICT, "db", "数据库正在恢复，请稍后再试 (a restore holds %s)", lk->path);
	if (srv.pid > 0 && kill(srv.pid, 0) == 0)
		return err_set(e, ERR_CONFLICT, "db", "服务正在使用该数据库 (pid %d, %s)：请先停止服务 "
			       "(a running server holds the database; stop it first)", srv.pid, srv.url);
	return err_set(e, ERR_CONFLICT, "db", "另一个 gonggai 进程（备份或演练）正在使用该数据库 "
		       "(another gonggai process holds %s)", lk->path);
}

int ops_lock_shared(const char *db_path, struct ops_lock *lk, struct err *e)
{
	return take(db_path, lk, F_RDLCK, e);
}

int ops_lock_exclusive(const char *db_path, struct ops_lock *lk, struct err *e)
{
	return take(db_path, lk, F_WRLCK, e);
}

int ops_lock_server(struct ops_lock *lk, struct err *e)
{
	if (lk->fd < 0)
		return 0;
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = BYTE_SERVER, .l_len = 1};
	if (fcntl(lk->fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	if (errno != EAGAIN && errno != EACCES)
		return err_set(e, ERR_INTERNAL, "db", "cannot lock %s: %s", lk->path, strerror(errno));
	struct ops_server srv = {0};
	read_info(lk->fd, &srv);
	if (srv.pid > 0)
		return err_set(e, ERR_CONFLICT, "db", "服务已在运行 (pid %d, %s)：同一数据库只能有一个 gonggai serve "
			       "(another server serves this database)", srv.pid, srv.url);
	return err_set(e, ERR_CONFLICT, "db", "另一个 gonggai serve 正在启动 (another server is starting on %s)",
		       lk->path);
}

int ops_lock_publish(struct ops_lock *lk, const struct ops_server *srv, struct err *e)
{
	json_t *j = json_pack("{s:i,s:s,s:i,s:I}", "pid", (int)getpid(), "url", srv->url,
			      "threads", srv->threads, "started_at", (json_int_t)srv->started_at);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	size_t len = strlen(text);
	text[len] = '\n';   /* json_dumps leaves room for exactly the NUL we overwrite */
	int ok = ftruncate(lk->fd, 0) == 0 && pwrite(lk->fd, text, len + 1, 0) == (ssize_t)(len + 1);
	free(text);
	if (!ok)
		return err_set(e, ERR_INTERNAL, "db", "cannot write %s: %s", lk->path, strerror(errno));
	return 0;
}

void ops_lock_release(struct ops_lock *lk)
{
	if (lk->fd < 0)
		return;
	struct ops_server srv = {0};
	read_info(lk->fd, &srv);
	if (srv.pid == (int)getpid() && ftruncate(lk->fd, 0) != 0)
		srv.pid = 0;   /* nothing more to do: the lock goes with the descriptor */
	close(lk->fd);
	lk->fd = -1;
}

void ops_server_read(const char *db_path, struct ops_server *srv)
{
	char path[560];
	memset(srv, 0, sizeof *srv);
	lock_path(db_path, path, sizeof path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int held = fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
	read_info(fd, srv);
	close(fd);
	srv->running = held && srv->pid > 0 && srv->url[0] && (kill(srv->pid, 0) == 0 || errno == EPERM);
}
