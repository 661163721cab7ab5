/*
** cli.c: helpers shared by the verbs (see cli.h).
*/
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
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
