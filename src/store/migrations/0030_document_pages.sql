-- The page of each document issued from now on is kept in the database,
-- written in the transaction that numbers the document (issue 21): its
-- bytes are durable with the COMMIT that makes the document exist (one
-- fsync per group commit, no flush of a file directory before it), and a
-- rolled-back or crashed transaction leaves neither a row nor bytes.
-- The page as issued (HTML of a few KB, stored as is: compressing it cost
-- the single writer thread more than the bytes it saved its commit), checked
-- on every read against case_documents.sha256. Documents kept before this migration stay in the file store beside the database
-- (DATABASE.files/<sha256>) and are read from there; a document's page is
-- in exactly one of the two. Deleted with its document.
CREATE TABLE case_document_pages (
	document_id INTEGER PRIMARY KEY REFERENCES case_documents(id) ON DELETE CASCADE,
	page BLOB NOT NULL
);
