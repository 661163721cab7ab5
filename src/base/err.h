/*
** err.h: the one error shape of gonggai.
**
** Functions that can fail return int: 0 on success, a negative ERR_* code on
** failure, and fill the caller's struct err with the field at fault and a
** message fit to show a user (Chinese where the UI shows it, English for
** operators is fine). The HTTP layer maps codes to status lines, the CLI maps
** them to exit codes; nothing else interprets them.
**
** struct err is plain storage owned by the caller; no allocation, no freeing.
*/
#ifndef GG_ERR_H
#define GG_ERR_H

enum err_code {
	ERR_OK = 0,
	ERR_INVALID = -1,    /* bad input: 400, CLI exit 2 (usage) or 1        */
	ERR_AUTH = -2,       /* not logged in / wrong credentials: 401         */
	ERR_FORBIDDEN = -3,  /* logged in, not allowed: 403                    */
	ERR_NOTFOUND = -4,   /* 404                                            */
	ERR_CONFLICT = -5,   /* duplicate, illegal state transition: 409       */
	ERR_TOOLARGE = -6,   /* 413                                            */
	ERR_MEDIA = -7,      /* wrong content type: 415                        */
	ERR_LOCKED = -8,     /* locked account: 423                            */
	ERR_INTERNAL = -9,   /* I/O, database, out of memory: 500              */
	ERR_BUSY = -10,      /* database locked past the wait: 503, retry later */
	ERR_TOOMANY = -11,   /* rate limited (failed logins of an address): 429 */
};

struct err {
	int code;            /* one of enum err_code                           */
	char field[64];      /* offending field, "" when none                  */
	char msg[400];       /* human-readable message                         */
};

/* Fill e (when not NULL) and return code. fmt is printf-style. */
int err_set(struct err *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Reset e to "no error". */
void err_clear(struct err *e);

/* Stable machine name of a code: "invalid", "forbidden", ... */
const char *err_name(int code);

/* HTTP status for a code (400, 401, ...). */
int err_http_status(int code);

#endif
