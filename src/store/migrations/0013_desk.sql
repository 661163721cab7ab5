-- 0013: the service desk (issue 17, contract 第一条/第二条). A ticket is the
-- record of one fault (故障工单); everything that happens to it is one row of
-- desk_events, and the SLA clocks (response, resolution, third party, RCA)
-- are computed from those rows, never stored. A ticket opened by the system
-- for an inspection item or a scheduled job names it in source_ref; at most
-- one ticket per source_ref is open (not closed) at a time.
CREATE TABLE desk_tickets (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL DEFAULT 'fault',
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
	category TEXT NOT NULL,           -- config bug third_party user_env infrastructure
	status TEXT NOT NULL,             -- open assigned in_progress third_party paused resolved verified closed
	reporter_id INTEGER REFERENCES users(id),   -- the account that reported, NULL for a caller or the system
	reporter TEXT NOT NULL,           -- username, the caller's name as ops recorded it, or 'system'
	reported_at INTEGER NOT NULL,     -- epoch seconds: when the fault was reported or seen
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,         -- principal that entered it
	handler_id INTEGER REFERENCES users(id),
	handler TEXT NOT NULL DEFAULT '',
	affected TEXT NOT NULL DEFAULT '',  -- affected users / objects
	source TEXT NOT NULL DEFAULT 'person',   -- person | inspection | job
	source_ref TEXT,                  -- host.disk.data, job.backup, ... (NULL for person)
	links TEXT NOT NULL DEFAULT '[]', -- JSON array of {"type","ref"}
	cause TEXT NOT NULL DEFAULT '',
	fix TEXT NOT NULL DEFAULT '',
	prevention TEXT NOT NULL DEFAULT '',
	rca TEXT NOT NULL DEFAULT '',     -- 根本原因与处理对策报告 (level 1)
	updated_at INTEGER NOT NULL
);
CREATE INDEX desk_tickets_status ON desk_tickets(status, reported_at);
CREATE INDEX desk_tickets_reported ON desk_tickets(reported_at);
CREATE INDEX desk_tickets_reporter ON desk_tickets(reporter_id, reported_at);
CREATE UNIQUE INDEX desk_tickets_open_ref ON desk_tickets(source_ref)
	WHERE source_ref IS NOT NULL AND status <> 'closed';

CREATE TABLE desk_events (
	id INTEGER PRIMARY KEY,
	ticket_id INTEGER NOT NULL REFERENCES desk_tickets(id),
	at INTEGER NOT NULL,              -- epoch seconds
	action TEXT NOT NULL,             -- created, an action code, observed, recovered
	actor TEXT NOT NULL,              -- username, cli:<login> or system:<observer>
	note TEXT NOT NULL DEFAULT '',
	details TEXT                      -- JSON object or NULL
);
CREATE INDEX desk_events_ticket ON desk_events(ticket_id, at, id);
CREATE INDEX desk_events_at ON desk_events(at);

-- Webhook deliveries: written in the transaction of the change they tell,
-- sent later by the sender (never on a request path), retried a bounded
-- number of times.
CREATE TABLE desk_outbox (
	id INTEGER PRIMARY KEY,
	created_at INTEGER NOT NULL,
	body TEXT NOT NULL,               -- the JSON event
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | failed
	sent_at INTEGER,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX desk_outbox_due ON desk_outbox(state, next_at);
