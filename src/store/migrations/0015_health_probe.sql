-- One row the health endpoint rewrites (ops/health.h): a database that
-- cannot take this write (read-only, disk full, locked) is not healthy,
-- whatever a SELECT says.
CREATE TABLE health_probe(
	id INTEGER PRIMARY KEY CHECK (id = 1),
	at INTEGER NOT NULL
);
