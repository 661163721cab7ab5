/*
** fuzz_cal_csv.c: the working-calendar CSV import (calendar/cal.h,
** cal_csv_validate): any bytes are either a valid year file or ERR_INVALID
** naming the field "calendar", and a valid file builds a calendar. The
** first two bytes choose the year (2000-2099).
*/
#include "fuzz.h"
#include "calendar/cal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	int year = 2000 + (data[0] * 256 + data[1]) % 100;
	struct err e;
	int rows = -1;
	if (cal_csv_validate(year, (const char *)data + 2, size - 2, &rows, &e) != 0) {
		FUZZ_ASSERT(e.code == ERR_INVALID);
		return 0;
	}
	FUZZ_ASSERT(rows >= 1 && rows <= CAL_CSV_MAX_ROWS);
	char *text = fuzz_text(data + 2, size - 2);
	struct cal_year_src src = {.year = year, .text = text, .len = size - 2};
	struct cal *c = NULL;
	if (cal_build(&src, 1, &c, &e) == 0) {
		int32_t day = cal_date_from_ymd(year, 6, 1), out;
		int provisional;
		cal_add_workdays(c, day, 20, &out, &provisional, &e);
		cal_free(c);
	}
	free(text);
	return 0;
}
