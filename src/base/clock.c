/*
** clock.c: real and injected time, Asia/Shanghai formatting (see clock.h).
** Shanghai has had no DST since 1991, so a fixed +8 h offset is exact for
** every date this system handles and needs no tzdata.
*/
#include "base/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define CN_OFFSET (8 * 3600)

int64_t clock_now(const struct clock *c)
{
	int64_t base = (c && c->fixed) ? c->fixed : (int64_t)time(NULL);
	return base + (c ? c->offset : 0);
}

double clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void cn_tm(int64_t t, struct tm *tm)
{
	time_t x = (time_t)(t + CN_OFFSET);
	gmtime_r(&x, tm);
}

char *clock_cn_date(int64_t t, char *buf)
{
	struct tm tm;
	cn_tm(t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
	return buf;
}

char *clock_cn_datetime(int64_t t, char *buf)
{
	struct tm tm;
	cn_tm(t, &tm);
	strftime(buf, 20, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

char *clock_cn_iso(int64_t t, char *buf)
{
	struct tm tm;
	cn_tm(t, &tm);
	strftime(buf, 26, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
	return buf;
}

int64_t clock_cn_midnight(const char *date)
{
	int y, m, d;
	char tail;
	if (!date || strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	if (back.tm_mday != d || back.tm_mon != m - 1)
		return -1;
	return (int64_t)t - CN_OFFSET;
}
