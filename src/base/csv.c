/*
** csv.c: a CSV cell (see csv.h).
*/
#include "base/csv.h"

#include <string.h>

void csv_cell(struct buf *b, const char *s, int text)
{
	s = s ? s : "";
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	int guard = text && s[0] && strchr("=+-@\t\r", s[0]);
	if (quote)
		buf_puts(b, "\"");
	if (guard)
		buf_puts(b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_puts(b, "\"");
		buf_append(b, p, 1);
	}
	if (quote)
		buf_puts(b, "\"");
}
