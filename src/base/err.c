/*
** err.c: filling and naming struct err (see err.h).
*/
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, int code, const char *field, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		e->code = code;
		snprintf(e->field, sizeof e->field, "%s", field ? field : "");
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void err_clear(struct err *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

const char *err_name(int code)
{
	switch (code) {
	case ERR_OK: return "ok";
	case ERR_INVALID: return "invalid";
	case ERR_AUTH: return "unauthorized";
	case ERR_FORBIDDEN: return "forbidden";
	case ERR_NOTFOUND: return "not_found";
	case ERR_CONFLICT: return "conflict";
	case ERR_TOOLARGE: return "too_large";
	case ERR_MEDIA: return "unsupported_media_type";
	case ERR_LOCKED: return "locked";
	case ERR_BUSY: return "unavailable";
	case ERR_TOOMANY: return "too_many_requests";
	default: return "internal";
	}
}

int err_http_status(int code)
{
	switch (code) {
	case ERR_OK: return 200;
	case ERR_INVALID: return 400;
	case ERR_AUTH: return 401;
	case ERR_FORBIDDEN: return 403;
	case ERR_NOTFOUND: return 404;
	case ERR_CONFLICT: return 409;
	case ERR_TOOLARGE: return 413;
	case ERR_MEDIA: return 415;
	case ERR_LOCKED: return 423;
	case ERR_BUSY: return 503;
	case ERR_TOOMANY: return 429;
	default: return 500;
	}
}
