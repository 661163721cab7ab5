/*
** log.c: line-oriented logging (see log.h). The sink is configured once
** before any thread starts, then only read, so no locking is needed beyond
** stdio's own per-FILE lock, which keeps lines whole.
*/
#include "base/log.h"
#include "base/clock.h"

#include <stdarg.h>
#include <stdio.h>

static FILE *log_sink;            /* set once by log_setup, then read-only */
static enum log_level log_min = LOG_INFO;

void log_setup(const char *path, enum log_level min)
{
	log_min = min;
	if (path && *path) {
		FILE *f = fopen(path, "a");
		if (f) {
			setvbuf(f, NULL, _IOLBF, 0);
			log_sink = f;
		}
	}
}

void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
{
	static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
	if (lvl < log_min)
		return;
	char ts[26], line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	FILE *f = log_sink ? log_sink : stderr;
	fprintf(f, "%s %s %s: %s\n", clock_cn_iso(clock_now(NULL), ts), names[lvl], module, line);
}
