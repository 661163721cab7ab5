-- 0026: the first upload writes each row once (P10, issue 15).
--
-- A batch collected and sent at once (a first upload, new status rows ...)
-- now goes into exchange_rows in the transaction that collects it, already
-- recorded as sent with sent_lsh '*': its LSH is not read back but learned
-- by DFSJZJ (a first version is the only front-DB row with its key) when
-- the verdict is pulled. Its intent names the rows instead of carrying
-- them: the ids lo..hi of tbl with sent_lsh '*'. Settling such an intent
-- after a crash keeps the rows the front DB has and makes the others due.
-- (Intents carrying rows as TSV, 0023, are still settled as before.)
ALTER TABLE exchange_batches ADD COLUMN lo INTEGER;
ALTER TABLE exchange_batches ADD COLUMN hi INTEGER;

-- Rows awaiting a verdict are found through exchange_rows_state (tbl,
-- sjsczt, due_since IS NULL), one group at a time in id order: one index
-- less to write per row sent.
DROP INDEX exchange_rows_open;
