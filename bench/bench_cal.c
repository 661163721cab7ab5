/*
** bench_cal.c: how fast deadlines and identifier checks are, on one core.
**
** Deadlines: cal_due (the precomputed index) against a naive loop that walks
** day by day asking cal_day whether each day is a working day, both over the
** same random (accepted date, limit) pairs in 2023..2026 with limits of 1..60
** working days, the range real items have. The target is >= 10 M deadline
** computations per second. Identifiers: ids_check_uscc and
** ids_check_idcard on valid codes, against a POSIX regular expression that
** only checks the shape. Prints absolute rates and ratio lines; exits 1 when
** the deadline target is missed or the two deadline paths disagree.
*/
#include "calendar/cal.h"
#include "ids/ids.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NIN (1 << 16)

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct input {
	int32_t accepted;
	int limit;
};

static const struct cal *C;
static struct input in[NIN];
static volatile int64_t sink;

static int32_t naive_due(int32_t from, int n)
{
	struct cal_dayinfo di;
	struct err e;
	int32_t d = from;
	if (n == 0) {
		while (cal_day(C, d, &di, &e) == 0 && !di.workday)
			d++;
		return d;
	}
	while (n > 0) {
		d++;
		if (cal_day(C, d, &di, &e) == 0 && di.workday)
			n--;
	}
	return d;
}

/* Run fn over the inputs for at least min_s seconds; returns ops/second. */
static double rate(int64_t (*fn)(long), double min_s)
{
	long total = 0;
	double t0 = now(), t;
	do {
		sink += fn(total);
		total += NIN;
	} while ((t = now()) - t0 < min_s);
	return total / (t - t0);
}

static int64_t run_due(long base)
{
	int64_t s = 0;
	for (int i = 0; i < NIN; i++) {
		int32_t due;
		struct err e;
		cal_due(C, in[i].accepted, in[i].limit, NULL, 0, &due, NULL, NULL, &e);
		s += due;
	}
	return s;
}

static int64_t run_due_pause(long base)
{
	int64_t s = 0;
	for (int i = 0; i < NIN; i++) {
		int32_t due;
		struct err e;
		struct cal_pause p = {in[i].accepted + 3, in[i].accepted + 10};
		cal_due(C, in[i].accepted, in[i].limit, &p, 1, &due, NULL, NULL, &e);
		s += due;
	}
	return s;
}

static int64_t run_naive(long base)
{
	int64_t s = 0;
	for (int i = 0; i < NIN; i++)
		s += naive_due(in[i].accepted, in[i].limit);
	return s;
}

#define NCODES 1024
static char uscc[NCODES][19], idcard[NCODES][19];
static regex_t uscc_re;

static int64_t run_uscc(long base)
{
	int64_t s = 0;
	for (int k = 0; k < NIN; k++) {
		struct err e;
		s += ids_check_uscc(uscc[k & (NCODES - 1)], &e);
	}
	return s;
}

static int64_t run_idcard(long base)
{
	int64_t s = 0;
	for (int k = 0; k < NIN; k++) {
		struct err e;
		s += ids_check_idcard(idcard[k & (NCODES - 1)], &e);
	}
	return s;
}

static int64_t run_regex(long base)
{
	int64_t s = 0;
	for (int k = 0; k < NIN; k++)
		s += regexec(&uscc_re, uscc[k & (NCODES - 1)], 0, NULL, 0);
	return s;
}

static void make_codes(void)
{
	static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	for (int i = 0; i < NCODES; i++) {
		char *c = uscc[i];
		memcpy(c, "91610200", 8);
		for (int k = 8; k < 16; k++)
			c[k] = cs[rand() % 31];
		c[16] = ids_orgcode_check_char(c + 8);
		c[17] = ids_uscc_check_char(c);
		c[18] = 0;
		char *d = idcard[i];
		snprintf(d, 19, "610202%04d%02d%02d%03d", 1950 + rand() % 60, 1 + rand() % 12,
			 1 + rand() % 28, rand() % 1000);
		d[17] = ids_idcard_check_char(d);
		d[18] = 0;
	}
	regcomp(&uscc_re, "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$",
		REG_EXTENDED | REG_NOSUB);
}

int main(void)
{
	struct cal *c;
	struct err e;
	if (cal_build(NULL, 0, &c, &e)) {
		fprintf(stderr, "bench_cal: %s\n", e.msg);
		return 1;
	}
	C = c;
	srand(1);
	int32_t lo = cal_date_from_ymd(2023, 1, 1), span = cal_date_from_ymd(2026, 12, 31) - lo;
	for (int i = 0; i < NIN; i++)
		in[i] = (struct input){lo + rand() % (span - 120), 1 + rand() % 60};
	int bad = 0, badid = 0;
	for (int i = 0; i < NIN; i++) {
		int32_t due;
		cal_due(C, in[i].accepted, in[i].limit, NULL, 0, &due, NULL, NULL, &e);
		bad += due != naive_due(in[i].accepted, in[i].limit);
	}
	make_codes();
	for (int i = 0; i < NCODES; i++)
		badid += ids_check_uscc(uscc[i], &e) != 0 || ids_check_idcard(idcard[i], &e) != 0 ||
		       regexec(&uscc_re, uscc[i], 0, NULL, 0) != 0;

	double due = rate(run_due, 1.0), due_p = rate(run_due_pause, 0.5);
	double naive = rate(run_naive, 1.0);
	double u = rate(run_uscc, 0.5), id = rate(run_idcard, 0.5), re = rate(run_regex, 0.5);
	printf("bench_cal: deadline cal_due (index)            %10.2f M/s\n", due / 1e6);
	printf("bench_cal: deadline cal_due with 1 pause       %10.2f M/s\n", due_p / 1e6);
	printf("bench_cal: deadline naive day-by-day loop      %10.2f M/s\n", naive / 1e6);
	printf("bench_cal: ratio index / naive                 %10.1fx\n", due / naive);
	printf("bench_cal: ratio with pause / naive            %10.1fx\n", due_p / naive);
	printf("bench_cal: uscc check (full, check digits)     %10.2f M/s\n", u / 1e6);
	printf("bench_cal: idcard check (full)                 %10.2f M/s\n", id / 1e6);
	printf("bench_cal: uscc shape only, POSIX regex        %10.2f M/s\n", re / 1e6);
	printf("bench_cal: ratio uscc check / regex shape      %10.1fx\n", u / re);
	int ok = due >= 10e6 && bad == 0 && badid == 0;
	printf("bench_cal: target >= 10 M deadlines/s: %s\n", due >= 10e6 ? "met" : "MISSED");
	if (bad)
		printf("bench_cal: ERROR: index and naive deadlines differ on %d inputs\n", bad);
	if (badid)
		printf("bench_cal: ERROR: %d generated identifiers rejected\n", badid);
	regfree(&uscc_re);
	cal_free(c);
	return ok ? 0 : 1;
}
