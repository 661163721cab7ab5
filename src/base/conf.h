/*
** conf.h: gonggai.ini. Every key lives in a section; modules read their own
** keys through the typed getters with a default, so a fresh install needs no
** file at all. Unknown sections and keys are kept (a module added later may
** read them) but a key that is malformed for its getter is reported by
** conf_check-style validation in the module that owns it.
**
** Command-line flags win over the file: callers apply them with conf_set.
** A struct conf is built once at start-up and then only read (thread-safe).
*/
#ifndef GG_CONF_H
#define GG_CONF_H

#include <stdint.h>

#include "base/err.h"

struct conf;

/* Load path (NULL or missing file when optional: empty config). On a parse
** error, e names the line. Caller owns *out (conf_free). */
int conf_load(const char *path, int optional, struct conf **out, struct err *e);
struct conf *conf_new(void);
void conf_free(struct conf *c);

/* Set or replace section.key (flags override the file). */
void conf_set(struct conf *c, const char *section, const char *key, const char *value);

/* Call fn for every section.key = value in the order they were set. */
void conf_each(const struct conf *c, void (*fn)(void *arg, const char *section, const char *key, const char *value),
	       void *arg);

/* Raw value or NULL. The string lives as long as c. */
const char *conf_get(const struct conf *c, const char *section, const char *key);
const char *conf_str(const struct conf *c, const char *section, const char *key, const char *def);
/* Integer value; a malformed number yields def and is reported by conf_int_ok. */
int64_t conf_int(const struct conf *c, const char *section, const char *key, int64_t def);
/* 0 when section.key is absent or a valid integer in [min, max]; else e. */
int conf_int_ok(const struct conf *c, const char *section, const char *key,
		int64_t min, int64_t max, struct err *e);

#endif
