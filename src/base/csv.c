/*
** csv.c: a CSV cell (see csv.h).
*/
#include "base/csv.h"

#include <stdlib.h>
#include <string.h>

/* 1 for "-3", "+1.5", "12%": what a spreadsheet reads as a number anyway. */
static int plain_number(const char *s)
{
	char *end;
	if (!*s || strchr(s, 'e') || strchr(s, 'E') || strpbrk(s, "xXnN"))   /* no 1e9, 0x1f, nan, inf */
		return 0;
	strtod(s, &end);
	return end != s && (!*end || (end[0] == '%' && !end[1]));
}

void csv_cell(struct buf *b, const char *s)
{
	int formula = s[0] && strchr("=+-@\t\r", s[0]) && !plain_number(s);
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	if (formula)
		buf_puts(b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_puts(b, "\"");
		buf_append(b, p, 1);
	}
	buf_puts(b, "\"");
}
