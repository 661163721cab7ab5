-- 0032: exchange_rows names its SPGL table, and its parents' tables, by a
-- small integer (P10, issue 15).
--
-- Every reported row carried its table's name (18 characters) three times,
-- and UNIQUE (tbl, dfsjzj) and exchange_rows_state repeated it in every
-- entry: about a third of the bytes the first upload of a city's history
-- writes into this table. The names now live once, in exchange_tables; the
-- store turns names into ids and back (store_exchange.c), so nothing above
-- it changes.
CREATE TABLE exchange_tables (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE              -- SPGL table name (upper case)
);
INSERT INTO exchange_tables(name)
	SELECT tbl FROM exchange_rows WHERE tbl IS NOT NULL UNION SELECT ptbl FROM exchange_rows WHERE ptbl IS NOT NULL
	UNION SELECT ptbl2 FROM exchange_rows WHERE ptbl2 IS NOT NULL ORDER BY 1;

CREATE TABLE exchange_rows_new (
	id INTEGER PRIMARY KEY,
	tbl INTEGER NOT NULL,                  -- exchange_tables.id (no foreign key: one lookup less per row)
	dfsjzj TEXT NOT NULL,                  -- our stable key of the source row
	object TEXT NOT NULL,                  -- project code or 办件 number shown to users
	department TEXT,                       -- department code, NULL when none
	ptbl INTEGER, pkey TEXT,               -- parent row that must go first (tbl, dfsjzj)
	ptbl2 INTEGER, pkey2 TEXT,             -- second parent (a 办件's stage item)
	content TEXT NOT NULL,                 -- JSON object COLUMN -> value (our logical types)
	hash TEXT NOT NULL,                    -- of content
	withdrawn TEXT,                        -- reason (SJWXYY) once the row must no longer count
	due_since INTEGER,                     -- content not sent yet since (NULL: latest content sent)
	sent_hash TEXT,                        -- hash of the latest version sent
	sent_lsh TEXT,                         -- its LSH in the front DB ('' for a local refusal)
	sent_at INTEGER,
	sjsczt INTEGER,                        -- the province's verdict on it: 0 1 2 3 (NULL: never sent)
	sbyy TEXT,                             -- reason of a rejection
	verdict_at INTEGER,                    -- when we learned the verdict
	UNIQUE (tbl, dfsjzj)
);
INSERT INTO exchange_rows_new(id, tbl, dfsjzj, object, department, ptbl, pkey, ptbl2, pkey2, content, hash,
			      withdrawn, due_since, sent_hash, sent_lsh, sent_at, sjsczt, sbyy, verdict_at)
	SELECT r.id, t.id, r.dfsjzj, r.object, r.department, (SELECT id FROM exchange_tables WHERE name = r.ptbl), r.pkey,
	       (SELECT id FROM exchange_tables WHERE name = r.ptbl2), r.pkey2, r.content, r.hash, r.withdrawn,
	       r.due_since, r.sent_hash, r.sent_lsh, r.sent_at, r.sjsczt, r.sbyy, r.verdict_at
	FROM exchange_rows r JOIN exchange_tables t ON t.name = r.tbl ORDER BY r.id;

-- exchange_sent refers to exchange_rows: its rows step aside while the
-- table is replaced (foreign keys stay on inside a migration).
CREATE TEMP TABLE exchange_sent_keep AS SELECT * FROM exchange_sent;
DELETE FROM exchange_sent;
DROP TABLE exchange_rows;
ALTER TABLE exchange_rows_new RENAME TO exchange_rows;
INSERT INTO exchange_sent SELECT * FROM temp.exchange_sent_keep;
DROP TABLE temp.exchange_sent_keep;

CREATE INDEX exchange_rows_due ON exchange_rows(tbl, id) WHERE due_since IS NOT NULL;
CREATE INDEX exchange_rows_rejected ON exchange_rows(verdict_at) WHERE sjsczt = 2 AND due_since IS NULL;
CREATE INDEX exchange_rows_state ON exchange_rows(tbl, sjsczt, due_since IS NULL);
