/*
** tmpout.c: a file writer's output in memory (see tmpout.h).
*/
#include "base/tmpout.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int slurp(const char *path, char **data, size_t *len, struct err *e)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return err_set(e, ERR_INTERNAL, "output", "无法读取临时文件");
	int rc = 0;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	rewind(fp);
	*data = n > 0 ? malloc((size_t)n) : NULL;
	if (!*data || fread(*data, 1, (size_t)n, fp) != (size_t)n) {
		free(*data);
		*data = NULL;
		rc = err_set(e, ERR_INTERNAL, "output", "读取临时文件失败");
	} else {
		*len = (size_t)n;
	}
	fclose(fp);
	return rc;
}

int tmpout_render(const char *prefix, int (*write)(void *arg, const char *path, struct err *e), void *arg,
		  char **data, size_t *len, struct err *e)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s-XXXXXX", dir && *dir ? dir : "/tmp", prefix);
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(e, ERR_INTERNAL, "output", "无法创建临时文件 (mkstemp)");
	close(fd);
	int rc = write(arg, path, e);
	if (!rc)
		rc = slurp(path, data, len, e);
	unlink(path);
	return rc;
}
