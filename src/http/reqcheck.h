/*
** reqcheck.h: the checks every request passes before it is routed. The
** server (server.c) runs them on the first callback, once the request line
** and the headers are in and before any body is read, and answers a
** failure at once with 400 and the JSON error shape. They are pure
** functions of the text, so the fuzzers (tests/fuzz) drive them without a
** socket.
**
** What they refuse: a request target that is not an absolute path ("*",
** "?a=b", "abc.js"), an overlong target, more than REQ_MAX_PARAMS query
** parameters, a query key or value that is not UTF-8 text (control bytes
** or invalid sequences), a Transfer-Encoding other than chunked (the body
** could not be delimited), and in the test build an X-GG-Now that is not
** an epoch second between 0 and year 9999.
*/
#ifndef GG_REQCHECK_H
#define GG_REQCHECK_H

#include <stddef.h>

#include "base/err.h"

#define REQ_MAX_TARGET 2048   /* bytes of the decoded path               */
#define REQ_MAX_PARAMS 64     /* query parameters of one request         */
#define REQ_MAX_VALUE 4096    /* bytes of one query value                */
#define REQ_MAX_NOW 253402300799LL   /* 9999-12-31T23:59:59Z              */

/* The decoded path MHD hands over (may be NULL). */
int req_check_target(const char *path, struct err *e);
/* The raw target as received (before decoding): at most REQ_MAX_PARAMS
** query parameters. Counted before the HTTP library stores them. */
int req_check_query(const char *uri, struct err *e);
/* Query parameter number i (0-based); value may be NULL ("?flag"). */
int req_check_param(int i, const char *key, const char *value, struct err *e);
/* One request header. */
int req_check_header(const char *name, const char *value, struct err *e);

/* 1 when s[0..n) is valid UTF-8 without control characters (tab allowed). */
int req_text_ok(const char *s, size_t n);
/* Replace, in place, every byte that is not part of a valid UTF-8 sequence
** (and every control byte but tab and newline) with '?', so the text can go
** into a JSON string. Returns the number of bytes replaced. */
size_t req_scrub(char *s);

#endif
