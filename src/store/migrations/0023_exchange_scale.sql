-- 0023: the exchange at the scale of a city's history (P10, issue 15).
--
-- exchange_rows_object indexed every reported row by its project code or 办件
-- number. Status rows arrive in time order across all 办件, so each insert
-- landed in a random leaf of a large index: at a million 办件 that index
-- alone made the first upload several times slower. The rows of an object
-- are now found by their keys: a project's row and its units' rows by
-- DFSJZJ prefix, a 办件's rows from the ids of its status rows, documents,
-- special procedures and files (exchange/status.c), all through the
-- UNIQUE (tbl, dfsjzj) index.
DROP INDEX exchange_rows_object;

-- A batch of rows collected and sent in one go (a first upload, new status
-- rows of accepted 办件 ...) is not in exchange_rows before it is sent: its
-- rows (TSV, exchange/harvest.c) are the intent, and the batch's end or the
-- settling of a crash inserts them, sent with their LSH or due.
ALTER TABLE exchange_batches ADD COLUMN rows TEXT;

-- exchange_sent now keeps the LSHs of superseded versions only: the latest
-- version's LSH is exchange_rows.sent_lsh (one write less per row sent).
