-- 0018: the window's paper (issue 20): the material checklist of a case,
-- uploaded files, and the verification code and stored file of each
-- numbered document.
--
-- A case's checklist is copied from its pinned item version at 收件 (or
-- when the window first ticks it) and ticked by the window; 受理 reads it.
CREATE TABLE case_materials (
	case_id INTEGER NOT NULL REFERENCES cases(id),
	position INTEGER NOT NULL,             -- order of the item version's list
	name TEXT NOT NULL,
	required INTEGER NOT NULL,
	form TEXT NOT NULL,                    -- original copy original_and_copy electronic
	copies INTEGER NOT NULL,
	tolerable INTEGER NOT NULL,            -- may follow under 容缺受理
	received INTEGER NOT NULL DEFAULT 0,   -- ticked by the window
	updated_at INTEGER NOT NULL,
	updated_by TEXT NOT NULL,
	PRIMARY KEY (case_id, position)
) WITHOUT ROWID;

-- Files kept on disk content-addressed (DATABASE.files/<sha256>). One row
-- per upload; the same content uploaded twice is one file on disk. Rows are
-- never removed (what was handed in stays on record).
CREATE TABLE case_files (
	id INTEGER PRIMARY KEY,                -- FJID
	case_id INTEGER NOT NULL REFERENCES cases(id),
	material TEXT NOT NULL DEFAULT '',     -- checklist name, '' for the case as a whole
	name TEXT NOT NULL,                    -- FJMC as uploaded
	mime TEXT NOT NULL,                    -- from the content (magic bytes)
	ext TEXT NOT NULL,                     -- FJLX: pdf png jpg gif doc docx xls xlsx ...
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	kind INTEGER NOT NULL DEFAULT 1,       -- FJFL: 1 application material, 2 issued document
	uploaded_at INTEGER NOT NULL,
	uploaded_by TEXT NOT NULL
);
CREATE INDEX case_files_case ON case_files(case_id, id);
CREATE INDEX case_files_sha ON case_files(sha256);

-- Every numbered document: a verification code (public /verify/{code}) and
-- the SHA-256 of the file issued (kept in the file store), NULL for
-- documents issued before this migration.
ALTER TABLE case_documents ADD COLUMN verify_code TEXT;
ALTER TABLE case_documents ADD COLUMN sha256 TEXT;
CREATE UNIQUE INDEX case_documents_verify ON case_documents(verify_code) WHERE verify_code IS NOT NULL;
