/*
** json.c: request-body validation and readers (see json.h).
*/
#include "base/json.h"

#include <string.h>

static const char *type_rule(enum jtype t)
{
	switch (t) {
	case J_STRING: return "必须是字符串 (must be a string)";
	case J_INT: return "必须是整数 (must be an integer)";
	case J_NUMBER: return "必须是数字 (must be a number)";
	case J_BOOL: return "必须是布尔值 (must be true or false)";
	case J_ARRAY: return "必须是数组 (must be an array)";
	case J_OBJECT: return "必须是对象 (must be an object)";
	case J_STRING_OR_NULL: return "必须是字符串或 null (must be a string or null)";
	}
	return "wrong type";
}

static int type_ok(const json_t *v, enum jtype t)
{
	switch (t) {
	case J_STRING: return json_is_string(v);
	case J_INT: return json_is_integer(v);
	case J_NUMBER: return json_is_number(v);
	case J_BOOL: return json_is_boolean(v);
	case J_ARRAY: return json_is_array(v);
	case J_OBJECT: return json_is_object(v);
	case J_STRING_OR_NULL: return json_is_string(v) || json_is_null(v);
	}
	return 0;
}

int json_check(const json_t *obj, const struct jfield *fields, struct err *e)
{
	const char *key;
	json_t *val;
	if (!json_is_object(obj))
		return err_set(e, ERR_INVALID, "", "请求体必须是 JSON 对象 (body must be a JSON object)");
	json_object_foreach((json_t *)obj, key, val) {
		const struct jfield *f = fields;
		while (f->name && strcmp(f->name, key) != 0)
			f++;
		if (!f->name)
			return err_set(e, ERR_INVALID, key, "未知字段 (unknown field '%s')", key);
		if (!type_ok(val, f->type))
			return err_set(e, ERR_INVALID, key, "%s %s", key, type_rule(f->type));
	}
	for (const struct jfield *f = fields; f->name; f++)
		if (f->required && !json_object_get(obj, f->name))
			return err_set(e, ERR_INVALID, f->name, "缺少必填字段 %s (required)", f->name);
	return 0;
}

int json_parse_object(const char *text, size_t len, json_t **out, struct err *e)
{
	json_error_t je;
	*out = NULL;
	json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!v)
		return err_set(e, ERR_INVALID, "", "JSON 格式错误 (malformed JSON at line %d column %d: %s)",
			       je.line, je.column, je.text);
	if (!json_is_object(v)) {
		json_decref(v);
		return err_set(e, ERR_INVALID, "", "请求体必须是 JSON 对象 (body must be a JSON object)");
	}
	*out = v;
	return 0;
}

const char *json_get_str(const json_t *o, const char *k, const char *def)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : def;
}

int64_t json_get_int(const json_t *o, const char *k, int64_t def)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? json_integer_value(v) : def;
}

int json_get_bool(const json_t *o, const char *k, int def)
{
	json_t *v = json_object_get(o, k);
	return json_is_boolean(v) ? json_is_true(v) : def;
}

char *json_text(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10));
}
