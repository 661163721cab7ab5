/*
** json.h: checking request bodies against a field list, on top of jansson.
**
** A body is accepted only when it is an object whose keys are all listed,
** each of the listed type, and every required key present; otherwise e names
** the field and the rule ("unknown field", "must be a string", "required").
** Also small readers that return a default for a missing key.
*/
#ifndef GG_JSON_H
#define GG_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"

enum jtype { J_STRING, J_INT, J_NUMBER, J_BOOL, J_ARRAY, J_OBJECT, J_STRING_OR_NULL };

struct jfield {
	const char *name;
	enum jtype type;
	int required;
};

/* Fields end with {NULL}. 0 when obj conforms. */
int json_check(const json_t *obj, const struct jfield *fields, struct err *e);

/* Parse text (len bytes) into an object; ERR_INVALID with the position. */
int json_parse_object(const char *text, size_t len, json_t **out, struct err *e);

const char *json_get_str(const json_t *o, const char *k, const char *def);
int64_t json_get_int(const json_t *o, const char *k, int64_t def);
int json_get_bool(const json_t *o, const char *k, int def);

/* Serialise compactly without escaping non-ASCII; caller frees with free(). */
char *json_text(const json_t *v);

#endif
