-- SPDX-License-Identifier: GPL-2.0-or-later
-- Access log schema 2: live member sessions, from RADIUS accounting.
--
-- rlm_cowork records a member's session when the NAS sends
-- Accounting-Request Start (or Interim-Update) carrying the Class the
-- module put into the member's Access-Accept, and ends it at Stop (or at
-- the NAS's Accounting-On/Off). `cert revoke`, `member suspend` and
-- `member remove` send a Disconnect-Request (RFC 5176) for each live
-- session of the certificate or member.
--
-- Minimal like the access log: what a Disconnect-Request must carry is kept
-- only while the session is live. When it ends, user_name and
-- calling_station are cleared; the row (with the keyed device hash) is then
-- deleted with the access log's retention (log_retention_days).

CREATE TABLE session (
	id		INTEGER PRIMARY KEY,
	nas_address	TEXT NOT NULL,		-- source address of the accounting requests
	nas		TEXT,			-- NAS-Identifier, else NAS-IP-Address
	acct_session_id	TEXT NOT NULL CHECK (length(acct_session_id) BETWEEN 1 AND 253),
	user_name	TEXT,			-- as the NAS sent it; NULL once ended
	calling_station	TEXT,			-- the station's MAC as sent; NULL once ended
	device		BLOB CHECK (device IS NULL OR length(device) = 32),	-- HMAC-SHA-256 of the MAC
	member		TEXT NOT NULL,
	serial		TEXT NOT NULL,
	started_ms	INTEGER NOT NULL,	-- UTC milliseconds
	updated_ms	INTEGER NOT NULL,	-- last Start/Interim-Update
	stopped_ms	INTEGER,		-- NULL while live
	UNIQUE (nas_address, acct_session_id)
);
CREATE INDEX session_live_serial ON session (serial) WHERE stopped_ms IS NULL;
CREATE INDEX session_live_member ON session (member) WHERE stopped_ms IS NULL;
CREATE INDEX session_updated ON session (updated_ms);
