-- Which of the rare parts a case has (issue 21, P1b): a bit per table the
-- case detail reads besides its history and documents — 1 supplements
-- (补正), 2 special procedures (特别程序), 4 容缺 materials. Most cases have
-- none, and store_case_parts reads only the arms whose bit is set: three
-- index descents fewer per detail. A set bit means "may have rows" (rows
-- are never deleted; a moved row leaves its old case's bit set, which only
-- costs a read), so the triggers below keep every writer's rows visible
-- in the same transaction: the server, the command line, the demo, imports
-- and repairs alike.
ALTER TABLE cases ADD COLUMN parts INTEGER NOT NULL DEFAULT 0;

-- the cases that have rows now; the update marks closed cases for the
-- quality rules again (quality_case_update), but the bits are no fact a
-- rule reads: those marks are taken back
CREATE TEMP TABLE case_parts_mark AS SELECT coalesce(max(id), 0) AS id FROM quality_case_dirty;
UPDATE cases SET parts =
	EXISTS (SELECT 1 FROM case_supplements x WHERE x.case_id = cases.id) +
	2 * EXISTS (SELECT 1 FROM case_specials x WHERE x.case_id = cases.id) +
	4 * EXISTS (SELECT 1 FROM case_tolerance x WHERE x.case_id = cases.id)
WHERE id IN (SELECT case_id FROM case_supplements UNION SELECT case_id FROM case_specials
	     UNION SELECT case_id FROM case_tolerance);
DELETE FROM quality_case_dirty WHERE id > (SELECT id FROM case_parts_mark);
DROP TABLE case_parts_mark;

CREATE TRIGGER case_parts_supplement AFTER INSERT ON case_supplements
BEGIN UPDATE cases SET parts = parts | 1 WHERE id = NEW.case_id AND parts & 1 = 0; END;
CREATE TRIGGER case_parts_supplement_move AFTER UPDATE OF case_id ON case_supplements
BEGIN UPDATE cases SET parts = parts | 1 WHERE id = NEW.case_id AND parts & 1 = 0; END;
CREATE TRIGGER case_parts_special AFTER INSERT ON case_specials
BEGIN UPDATE cases SET parts = parts | 2 WHERE id = NEW.case_id AND parts & 2 = 0; END;
CREATE TRIGGER case_parts_special_move AFTER UPDATE OF case_id ON case_specials
BEGIN UPDATE cases SET parts = parts | 2 WHERE id = NEW.case_id AND parts & 2 = 0; END;
CREATE TRIGGER case_parts_tolerance AFTER INSERT ON case_tolerance
BEGIN UPDATE cases SET parts = parts | 4 WHERE id = NEW.case_id AND parts & 4 = 0; END;
CREATE TRIGGER case_parts_tolerance_move AFTER UPDATE OF case_id ON case_tolerance
BEGIN UPDATE cases SET parts = parts | 4 WHERE id = NEW.case_id AND parts & 4 = 0; END;
