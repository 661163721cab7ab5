/*
** fuzz_time.c: the date and period parsers the API and the command line
** take from users: cal_date_parse (YYYY-MM-DD), clock_cn_midnight, the
** statistics periods (stats_period_parse) and the inspection report
** periods (ops_period_parse). Input: up to three fields separated by '|'.
*/
#include "fuzz.h"
#include "base/clock.h"
#include "calendar/cal.h"
#include "ops/report.h"
#include "stats/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *f[3] = {s, NULL, NULL};
	for (int i = 1; i < 3 && f[i - 1]; i++) {
		char *bar = strchr(f[i - 1], '|');
		if (bar) {
			*bar = 0;
			f[i] = bar + 1;
		}
	}
	struct err e;
	int32_t day;
	if (cal_date_parse(f[0], &day, &e) == 0) {
		char back[CAL_DATE_LEN];
		cal_date_format(day, back);
		int32_t again;
		FUZZ_ASSERT(cal_date_parse(back, &again, &e) == 0 && again == day);
		FUZZ_ASSERT(clock_cn_midnight(back) != -1);   /* a valid date is never the error value */
	}
	clock_cn_midnight(f[0]);
	struct stats_period p;
	stats_period_parse(f[0], f[1], f[2], cal_date_from_ymd(2026, 12, 7), &p, &e);
	struct ops_period op;
	ops_period_parse(f[1] ? f[0] : NULL, f[1], &op, &e);
	free(s);
	return 0;
}
