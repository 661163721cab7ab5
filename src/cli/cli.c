/*
** cli.c: helpers shared by the verbs (see cli.h).
*/
#include "cli/cli.h"
#include "base/clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_usage(const char *usage, const char *fmt, ...)
{
	if (fmt) {
		va_list ap;
		fputs("gonggai: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	if (usage)
		fputs(usage, stderr);
	return 2;
}

int cli_fail(const struct err *e)
{
	if (e->field[0])
		fprintf(stderr, "gonggai: %s: %s\n", e->field, e->msg);
	else
		fprintf(stderr, "gonggai: %s\n", e->msg);
	return 1;
}

int64_t cli_now(void)
{
#ifdef GG_TESTING
	const char *t = getenv("GG_NOW");
	if (t && *t)
		return strtoll(t, NULL, 10);
#endif
	return clock_now(NULL);
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
		if (strcmp(argv[i], "--") == 0)
			break;
	}
	return 0;
}

/* East Asian wide ranges (the common ones: CJK, kana, Hangul, full-width). */
static int wide(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

int cli_width(const char *s)
{
	int w = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		unsigned cp = *p;
		int n = cp < 0x80 ? 1 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : 4;
		if (n > 1) {
			cp &= 0x3f >> (n - 1);
			for (int i = 1; i < n && (p[i] & 0xc0) == 0x80; i++)
				cp = cp << 6 | (p[i] & 0x3f);
		}
		for (int i = 0; i < n && *p; i++)
			p++;
		w += wide(cp) ? 2 : 1;
	}
	return w;
}

void cli_cell(FILE *f, const char *s, int width)
{
	fputs(s ? s : "", f);
	for (int w = cli_width(s); w < width; w++)
		fputc(' ', f);
	fputc(' ', f);
}
