/*
** stats_cells.h: which aggregate cells a 办件 counts in — THE definition,
** used alike by the change in the same transaction (add the new facts'
** cells, subtract the old ones'), by rebuild and by check.
**
** A case's counted facts (struct stats_snap, store/store_stats.h) give:
**   - up to three rollup cells (stats_day), one per distinct day among its
**     received day (接件 and the cohort counts), accepted day (受理) and final
**     day (办结, 不予受理, 撤件/撤回/撤销, the time used) — docs/api.md 统计;
**   - one histogram cell (stats_wd) when concluded: final day, keys, working
**     days used;
**   - one dashboard cell (stats_live): district, department, status, light;
**   - and the month cells of its rollup and histogram cells (stats_month,
**     stats_month_wd: the day replaced by the 1st of its month).
**
** stats_agg sums cells in memory for rebuild and check (hash maps; the keys'
** strings are interned, so a 10 M-办件 database needs a few hundred MB).
**
** Pure apart from malloc; ownership: stats_agg_free releases everything.
*/
#ifndef GG_STATS_CELLS_H
#define GG_STATS_CELLS_H

#include <stddef.h>
#include <stdint.h>

#include "stats/stats.h"
#include "store/store_stats.h"

struct stats_cell {
	struct stats_key k;
	int64_t v[SC_COUNT];          /* SC_JOINT* stay 0: joint acceptances are
				       * counted at report time                */
};

/* The rollup cells of s into out (distinct days), their number (1..3). */
int stats_cells_of(const struct stats_snap *s, struct stats_cell out[3]);
/* The histogram cell: 1 and *k, *wd when s is concluded, else 0. */
int stats_hist_of(const struct stats_snap *s, struct stats_key *k, int *wd);

/* ---- in-memory sums ------------------------------------------------------------ */

struct stats_agg;
struct stats_agg *stats_agg_new(void);
void stats_agg_free(struct stats_agg *a);
/* Add every cell of s (sign 1 or -1). ERR_INTERNAL when out of memory. */
int stats_agg_add(struct stats_agg *a, const struct stats_snap *s, int sign, struct err *e);

/* Walk the sums (cells whose values are all 0 are skipped). */
struct stats_agg_fns {
	int (*day)(void *arg, const struct stats_key *k, const int64_t v[SC_COUNT]);
	int (*hist)(void *arg, const struct stats_key *k, int wd, int64_t n);
	int (*live)(void *arg, const char *district, const char *department, int status, int light, int64_t n);
};
int stats_agg_each(struct stats_agg *a, const struct stats_agg_fns *fns, void *arg);

/* Compare with maintained rows fed one by one (each table in any order); at
** the end stats_agg_unseen names a sum no maintained row matched. Each
** returns 0 while equal, else 1 with the difference described in diff. */
int stats_agg_match_day(struct stats_agg *a, const struct stats_key *k, const int64_t v[SC_COUNT], char *diff,
			size_t n);
int stats_agg_match_hist(struct stats_agg *a, const struct stats_key *k, int wd, int64_t cnt, char *diff,
			 size_t n);
/* The same for the month rollups (k->day: the month's 1st), summed from
** the same cells by month. */
int stats_agg_match_month(struct stats_agg *a, const struct stats_key *k, const int64_t v[SC_COUNT], char *diff,
			  size_t n);
int stats_agg_match_month_hist(struct stats_agg *a, const struct stats_key *k, int wd, int64_t cnt, char *diff,
			       size_t n);
int stats_agg_match_live(struct stats_agg *a, const char *district, const char *department, int status,
			 int light, int64_t cnt, char *diff, size_t n);
int stats_agg_unseen(struct stats_agg *a, char *diff, size_t n);

#endif
