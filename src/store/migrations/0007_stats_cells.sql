-- 0007: statistics — the cells a case counts in are now defined in C
-- (stats/stats_cells.c) instead of the views of 0006: the same definition
-- has to sum 10 M cases in memory for rebuild and check, where SQLite's
-- GROUP BY over the views sorted three rows per case (about 60 s per
-- million 办件 here). Dropping the views leaves one definition.
DROP VIEW stats_case_cells;
DROP VIEW stats_case_hist;
DROP VIEW stats_case_live;
