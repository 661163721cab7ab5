/*
** conf.c: gonggai.ini through libinih (see conf.h). Values are kept as a
** small array of strings: a config has tens of keys, read at start-up.
*/
#include "base/conf.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kv {
	char *section, *key, *value;
};

struct conf {
	struct kv *v;
	int n, cap;
};

struct conf *conf_new(void)
{
	return calloc(1, sizeof(struct conf));
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++) {
		free(c->v[i].section);
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	free(c);
}

void conf_set(struct conf *c, const char *section, const char *key, const char *value)
{
	for (int i = 0; i < c->n; i++) {
		if (!strcmp(c->v[i].section, section) && !strcmp(c->v[i].key, key)) {
			free(c->v[i].value);
			c->v[i].value = strdup(value);
			return;
		}
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = realloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = (struct kv){strdup(section), strdup(key), strdup(value)};
}

void conf_each(const struct conf *c, void (*fn)(void *arg, const char *section, const char *key, const char *value),
	       void *arg)
{
	for (int i = 0; c && i < c->n; i++)
		fn(arg, c->v[i].section, c->v[i].key, c->v[i].value);
}

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	conf_set(user, section, name, value);
	return 1;
}

int conf_load(const char *path, int optional, struct conf **out, struct err *e)
{
	struct conf *c = conf_new();
	*out = NULL;
	if (path) {
		FILE *f = fopen(path, "r");
		if (!f) {
			if (!optional || errno != ENOENT) {
				conf_free(c);
				return err_set(e, ERR_INVALID, "config", "cannot read %s: %s", path, strerror(errno));
			}
		} else {
			int line = ini_parse_file(f, on_ini, c);
			fclose(f);
			if (line != 0) {
				conf_free(c);
				return err_set(e, ERR_INVALID, "config", "%s:%d: syntax error", path, line);
			}
		}
	}
	*out = c;
	return 0;
}

const char *conf_get(const struct conf *c, const char *section, const char *key)
{
	for (int i = 0; c && i < c->n; i++)
		if (!strcmp(c->v[i].section, section) && !strcmp(c->v[i].key, key))
			return c->v[i].value;
	return NULL;
}

const char *conf_str(const struct conf *c, const char *section, const char *key, const char *def)
{
	const char *v = conf_get(c, section, key);
	return v ? v : def;
}

static int parse_int(const char *v, int64_t *out)
{
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || end == v || *end)
		return -1;
	*out = x;
	return 0;
}

int64_t conf_int(const struct conf *c, const char *section, const char *key, int64_t def)
{
	const char *v = conf_get(c, section, key);
	int64_t x;
	return (v && parse_int(v, &x) == 0) ? x : def;
}

int conf_int_ok(const struct conf *c, const char *section, const char *key,
		int64_t min, int64_t max, struct err *e)
{
	const char *v = conf_get(c, section, key);
	int64_t x;
	if (!v)
		return 0;
	if (parse_int(v, &x) || x < min || x > max)
		return err_set(e, ERR_INVALID, key, "[%s] %s = '%s': expected an integer in %lld..%lld",
			       section, key, v, (long long)min, (long long)max);
	return 0;
}
