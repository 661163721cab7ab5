/*
** cli.h: the verbs of the gonggai command line.
**
** Each verb is one function taking (argc, argv) with argv[0] the verb itself
** and returning the process exit status: 0 success, 1 failure of the work
** itself (invalid data, check failed), 2 usage error (unknown option, bad
** argument). `inspect` alone returns Nagios codes (0..3). Verbs print results
** on stdout and messages on stderr; `--help` prints the verb's usage on stdout
** and returns 0. The table in main.c lists them for `gonggai --help`.
*/
#ifndef GG_CLI_H
#define GG_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

struct cli_verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;      /* one line for `gonggai --help` */
};

/* Print "gonggai VERB: message" and usage on stderr; return 2. */
int cli_usage(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print an err on stderr as "gonggai: [field] message"; return 1 (2 when
** e->code is ERR_INVALID and usage_on_invalid is set). */
int cli_fail(const struct err *e);

/* True when argv holds --help or -h. */
int cli_wants_help(int argc, char **argv);

/* The time a verb acts at: the clock, or in sanitizer builds (GG_TESTING)
** $GG_NOW (epoch seconds) when set, so tests can move it; release builds
** ignore the variable. */
int64_t cli_now(void);

/* Columns a UTF-8 string takes on a terminal: 2 for CJK ideographs, kana,
** Hangul and full-width forms, 1 for the rest. */
int cli_width(const char *s);
/* Print s padded with spaces to width columns, then one space (a table
** cell aligned by display width, not by bytes as printf's %-Ns is). */
void cli_cell(FILE *f, const char *s, int width);

int cli_init(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_cal(int argc, char **argv);
int cli_id(int argc, char **argv);
int cli_catalog(int argc, char **argv);
int cli_project(int argc, char **argv);
int cli_case(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_inspect(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_archive(int argc, char **argv);
int cli_cleanup(int argc, char **argv);
int cli_stats(int argc, char **argv);
int cli_quality(int argc, char **argv);
int cli_desk(int argc, char **argv);
int cli_repair(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_exchange(int argc, char **argv);

#endif
