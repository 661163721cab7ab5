-- Exactly once: fails (ERROR) when any SPGL table holds two rows with the
-- same content in every column but LSH, SJSCZT, SBYY, SCSJ and GXSJ.
--   psql "$CONNINFO" -v ON_ERROR_STOP=1 -q -f tests/exchange/duplicates.sql
DO $$
DECLARE
	t text; cols text; n bigint; total bigint := 0;
BEGIN
	FOR t IN SELECT table_name FROM information_schema.tables
		 WHERE table_schema = current_schema() AND table_name ILIKE 'spgl\_%' LOOP
		SELECT string_agg(quote_ident(column_name), ', ') INTO cols FROM information_schema.columns
		 WHERE table_schema = current_schema() AND table_name = t
		   AND lower(column_name) NOT IN ('lsh', 'sjsczt', 'sbyy', 'scsj', 'gxsj');
		EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I GROUP BY %s HAVING count(*) > 1) d', t, cols) INTO n;
		IF n > 0 THEN
			RAISE WARNING '% has % duplicated row(s)', t, n;
			total := total + n;
		END IF;
	END LOOP;
	IF total > 0 THEN
		RAISE EXCEPTION 'duplicated rows: %', total;
	END IF;
END $$;
