/*
** filestore.c: the content-addressed file directory (see filestore.h).
*/
#include "base/filestore.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int filestore_dir(const char *db_path, char *out, size_t cap, struct err *e)
{
	if (!db_path || !*db_path || strcmp(db_path, ":memory:") == 0 || strncmp(db_path, "file:", 5) == 0)
		return err_set(e, ERR_INVALID, "files", "内存数据库没有文件目录 (no file store for this database)");
	if ((size_t)snprintf(out, cap, "%s.files", db_path) >= cap)
		return err_set(e, ERR_INVALID, "files", "path too long");
	return 0;
}

void filestore_hash(const void *data, size_t len, char hex[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, data, len);
	sodium_bin2hex(hex, 65, d, sizeof d);
}

int filestore_name_ok(const char *hex)
{
	return hex && strlen(hex) == 64 && strspn(hex, "0123456789abcdef") == 64;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Write data as dir/hex through a temporary name (an intact file of that
** name is kept, a damaged one replaced); the caller checked hex. */
static int put_named(const char *dir, const char *hex, const void *data, size_t len, int durable, struct err *e)
{
	char path[1100], tmp[1200];
	struct buf have;
	struct err e2;
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return err_set(e, ERR_INTERNAL, "files", "无法创建文件目录 %s: %s", dir, strerror(errno));
	snprintf(path, sizeof path, "%s/%s", dir, hex);
	if (filestore_read(dir, hex, &have, &e2) == 0) {
		buf_free(&have);
		return 0;
	}
	snprintf(tmp, sizeof tmp, "%s/.%s.%ld.part", dir, hex, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return err_set(e, ERR_INTERNAL, "files", "无法写入 %s: %s", tmp, strerror(errno));
	int bad = write_all(fd, data, len) || (durable && fsync(fd));
	bad |= close(fd) != 0;
	if (bad || rename(tmp, path) != 0) {
		int saved = errno;
		unlink(tmp);
		return err_set(e, ERR_INTERNAL, "files", "无法写入 %s: %s", path, strerror(saved));
	}
	if (durable)
		sync_dir(dir);
	return 0;
}

int filestore_put(const char *dir, const void *data, size_t len, int durable, char hex[65], struct err *e)
{
	filestore_hash(data, len, hex);
	return put_named(dir, hex, data, len, durable, e);
}

int filestore_read(const char *dir, const char *hex, struct buf *out, struct err *e)
{
	char path[1100], got[65];
	struct stat sb;
	if (!filestore_name_ok(hex))
		return err_set(e, ERR_INVALID, "sha256", "not a file name: %s", hex ? hex : "");
	snprintf(path, sizeof path, "%s/%s", dir, hex);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_NOTFOUND, "sha256", "文件缺失: %s", path);
	*out = (struct buf){0};
	if (fstat(fd, &sb) != 0 || !(out->data = malloc((size_t)sb.st_size + 1))) {
		close(fd);
		return err_set(e, ERR_INTERNAL, "sha256", "cannot read %s", path);
	}
	size_t have = 0;
	ssize_t n = 1;
	while (have < (size_t)sb.st_size && (n = read(fd, out->data + have, (size_t)sb.st_size - have)) > 0)
		have += (size_t)n;
	close(fd);
	out->data[have] = 0;
	out->len = have;
	out->cap = have + 1;
	filestore_hash(out->data, out->len, got);
	if (n < 0 || strcmp(got, hex) != 0) {
		buf_free(out);
		return err_set(e, ERR_INTERNAL, "sha256", "文件已损坏（校验和不符）: %s", path);
	}
	return 0;
}

int filestore_copy(const char *from, const char *to, const char *hex, struct err *e)
{
	struct buf b;
	struct err e2;
	if (filestore_read(to, hex, &b, &e2) == 0) {     /* already there, intact */
		buf_free(&b);
		return 0;
	}
	if (filestore_read(from, hex, &b, e))
		return e->code;
	int rc = put_named(to, hex, b.data, b.len, 1, e);
	buf_free(&b);
	return rc;
}

/* ---- types by content ---------------------------------------------------- */

static int starts(const void *data, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(data, magic, n) == 0;
}

static int ends_with(const char *name, const char *suffix)
{
	size_t n = name ? strlen(name) : 0, m = strlen(suffix);
	return n >= m && strcasecmp(name + n - m, suffix) == 0;
}

/* A ZIP container: OOXML by the name's extension, OFD, else refused. */
static const char *zip_kind(const char *name, const char **ext)
{
	static const struct { const char *ext, *mime; } ooxml[] = {
		{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
		{"ofd", "application/ofd"},
	};
	char dot[8];
	for (size_t i = 0; i < sizeof ooxml / sizeof ooxml[0]; i++) {
		snprintf(dot, sizeof dot, ".%s", ooxml[i].ext);
		if (ends_with(name, dot)) {
			*ext = ooxml[i].ext;
			return ooxml[i].mime;
		}
	}
	return NULL;
}

const char *filestore_sniff(const void *data, size_t len, const char *name, const char **ext)
{
	*ext = NULL;
	if (starts(data, len, "%PDF-", 5))
		return *ext = "pdf", "application/pdf";
	if (starts(data, len, "\x89PNG\r\n\x1a\n", 8))
		return *ext = "png", "image/png";
	if (starts(data, len, "\xff\xd8\xff", 3))
		return *ext = "jpg", "image/jpeg";
	if (starts(data, len, "GIF87a", 6) || starts(data, len, "GIF89a", 6))
		return *ext = "gif", "image/gif";
	if (starts(data, len, "II*\0", 4) || starts(data, len, "MM\0*", 4))
		return *ext = "tif", "image/tiff";
	if (starts(data, len, "PK\x03\x04", 4))
		return zip_kind(name, ext);
	if (starts(data, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)) {
		if (ends_with(name, ".xls"))
			return *ext = "xls", "application/vnd.ms-excel";
		return *ext = "doc", "application/msword";
	}
	return NULL;
}

int filestore_accept(const char *name, const void *data, size_t len, long long max, const char **mime,
		     const char **ext, struct err *e)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 200 || strpbrk(name, "/\\\r\n\"") || name[0] == '.')
		return err_set(e, ERR_INVALID, "name", "文件名须为 1-200 字节，不含 / \\ \" 或换行 (file name)");
	if (len == 0)
		return err_set(e, ERR_INVALID, "body", "文件为空 (empty file)");
	if ((long long)len > max)
		return err_set(e, ERR_TOOLARGE, "body", "文件超过 %lld MiB (file too large)", max / 1024 / 1024);
	*mime = filestore_sniff(data, len, name, ext);
	if (!*mime)
		return err_set(e, ERR_MEDIA, "body", "文件类型不被接受：只收 PDF、图片（PNG/JPEG/GIF/TIFF）、"
			       "Word/Excel/PowerPoint、OFD，按文件内容判断 (type by content)");
	return 0;
}
