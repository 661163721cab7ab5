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

-- 需求受理: requests for a change (new function, interface, data import,
-- field or view, logo ...) from intake to delivery; each step one event.
CREATE TABLE desk_requests (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,               -- new_function interface_change data_import field_change logo other
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,             -- received assessed replied accepted scheduled rejected delivered
	requester_id INTEGER REFERENCES users(id),
	requester TEXT NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	feasibility TEXT NOT NULL DEFAULT '',
	estimate_days REAL,
	reply TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',  -- why rejected
	scheduled_for TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD
	delivered_at INTEGER,
	links TEXT NOT NULL DEFAULT '[]', -- [{"type":"exchange","ref":...}]
	visit_id INTEGER,                 -- the visit whose pain point it came from
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX desk_requests_created ON desk_requests(created_at);
CREATE INDEX desk_requests_requester ON desk_requests(requester_id, created_at);

CREATE TABLE desk_request_events (
	id INTEGER PRIMARY KEY,
	request_id INTEGER NOT NULL REFERENCES desk_requests(id),
	at INTEGER NOT NULL,
	action TEXT NOT NULL,
	actor TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX desk_request_events_request ON desk_request_events(request_id, at, id);

-- 技术咨询 / 热线 and the knowledge base a consultation cites or creates.
CREATE TABLE desk_articles (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	tags TEXT NOT NULL DEFAULT '',    -- comma-separated
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE desk_consults (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	caller TEXT NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	channel TEXT NOT NULL,            -- phone wechat qq onsite remote
	question TEXT NOT NULL,
	answer TEXT NOT NULL DEFAULT '',
	category TEXT NOT NULL DEFAULT '',
	minutes INTEGER NOT NULL DEFAULT 0,
	article_id INTEGER REFERENCES desk_articles(id),
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX desk_consults_at ON desk_consults(at);

-- 培训服务: sessions, who attended and completed, who is a 技术骨干.
CREATE TABLE desk_trainings (
	id INTEGER PRIMARY KEY,
	day TEXT NOT NULL,                -- YYYY-MM-DD
	topic TEXT NOT NULL,
	trainer TEXT NOT NULL,
	hours REAL NOT NULL,
	materials TEXT NOT NULL DEFAULT '',
	feedback REAL,                    -- 1..5
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX desk_trainings_day ON desk_trainings(day);

CREATE TABLE desk_training_attendees (
	training_id INTEGER NOT NULL REFERENCES desk_trainings(id),
	user_id INTEGER NOT NULL REFERENCES users(id),
	completed INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (training_id, user_id)
);
CREATE INDEX desk_training_attendees_user ON desk_training_attendees(user_id);

CREATE TABLE desk_backbones (
	user_id INTEGER PRIMARY KEY REFERENCES users(id),
	since INTEGER NOT NULL,
	note TEXT NOT NULL DEFAULT ''
);

-- 应急演练: plans and drill records. The built-in plan 'backup' is the
-- restore drill the scheduler runs; its runs (ops_runs job 'drill') are
-- listed as drills of that plan.
CREATE TABLE desk_drill_plans (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	scenario TEXT NOT NULL,
	steps TEXT NOT NULL DEFAULT '[]', -- [{"step","role","expected_minutes"}]
	roles TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
INSERT INTO desk_drill_plans(code, name, scenario, steps, roles, created_at) VALUES
	('backup', '数据库备份恢复', '数据库文件损坏或误删，从最近一次备份恢复并校验',
	 '[{"step":"取最近一次通过校验的备份","role":"运维","expected_minutes":1},{"step":"恢复到临时库并完整性检查","role":"运维","expected_minutes":5},{"step":"核对表行数","role":"运维","expected_minutes":1}]',
	 '运维', strftime('%s', 'now'));

CREATE TABLE desk_drills (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES desk_drill_plans(id),
	started_at INTEGER NOT NULL,
	ended_at INTEGER NOT NULL,
	participants TEXT NOT NULL DEFAULT '',
	results TEXT NOT NULL DEFAULT '[]',   -- [{"step","ok","minutes","note"}]
	problems TEXT NOT NULL DEFAULT '',
	tickets TEXT NOT NULL DEFAULT '[]',   -- follow-up ticket ids
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX desk_drills_started ON desk_drills(started_at);

-- 定期回访: satisfaction per dimension, comments, pain points (each may
-- become a request: [{"text","request_id"}]).
CREATE TABLE desk_visits (
	id INTEGER PRIMARY KEY,
	day TEXT NOT NULL,
	unit TEXT NOT NULL,
	contact TEXT NOT NULL DEFAULT '',
	score_response INTEGER NOT NULL CHECK (score_response BETWEEN 1 AND 5),
	score_quality INTEGER NOT NULL CHECK (score_quality BETWEEN 1 AND 5),
	score_attitude INTEGER NOT NULL CHECK (score_attitude BETWEEN 1 AND 5),
	comments TEXT NOT NULL DEFAULT '',
	pain_points TEXT NOT NULL DEFAULT '[]',
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX desk_visits_day ON desk_visits(day);
