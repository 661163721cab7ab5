/*
** clock.h: the injected clock. Everything that asks "what time is it" (SLA,
** deadlines, lockouts, idle sessions, schedules) takes a struct clock so
** tests can run at any instant. Instants are UTC epoch seconds; calendar days
** are decided in Asia/Shanghai (UTC+8, no DST) whatever the host's TZ.
*/
#ifndef GG_CLOCK_H
#define GG_CLOCK_H

#include <stdint.h>

struct clock {
	int64_t fixed;    /* when non-zero, now() returns fixed + offset     */
	int64_t offset;   /* seconds added to the real or fixed time         */
};

#define CLOCK_REAL ((struct clock){0, 0})

int64_t clock_now(const struct clock *c);
/* Monotonic milliseconds, for latency measurement only. */
double clock_mono_ms(void);
/* "YYYY-MM-DD" of the instant t in Asia/Shanghai; buf >= 11 bytes. */
char *clock_cn_date(int64_t t, char *buf);
/* "YYYY-MM-DD HH:MM:SS" in Asia/Shanghai; buf >= 20 bytes. */
char *clock_cn_datetime(int64_t t, char *buf);
/* ISO 8601 with +08:00 offset; buf >= 26 bytes. */
char *clock_cn_iso(int64_t t, char *buf);
/* Epoch seconds of YYYY-MM-DD 00:00 Asia/Shanghai; -1 if not a date. */
int64_t clock_cn_midnight(const char *date);

#endif
