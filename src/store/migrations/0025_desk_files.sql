-- Attachments of service-desk records (培训资料 of a training session), kept
-- in the same content-addressed file store as the 办件's files
-- (DATABASE.files/<sha256>), copied by backups with them. Rows are never
-- removed.
CREATE TABLE desk_files (
	id INTEGER PRIMARY KEY,
	owner TEXT NOT NULL,                   -- 'training'
	owner_id INTEGER NOT NULL,             -- desk_trainings.id
	name TEXT NOT NULL,                    -- as uploaded
	mime TEXT NOT NULL,                    -- from the content (magic bytes)
	ext TEXT NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	uploaded_at INTEGER NOT NULL,
	uploaded_by TEXT NOT NULL
);
CREATE INDEX desk_files_owner ON desk_files(owner, owner_id, id);
