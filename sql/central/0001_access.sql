-- SPDX-License-Identifier: GPL-2.0-or-later
-- Central access log (PostgreSQL), schema 1: every node's rows, shipped by
-- cowork-logship from the node's own SQLite access log.
--
-- A node writes each decision to its local file first (authentication
-- never waits on the network) and ships when the central database is
-- reachable. A row is keyed by (node, seq), seq being the row's id in the
-- node's file, which is never reused (access log schema 5): shipping the
-- same row twice inserts it once, and a batch and the node's cursor are
-- written in one statement, so a crash or an outage loses nothing and
-- doubles nothing. Minimal like the local log: no MAC, no User-Name.

CREATE TABLE access_log (
	node		text NOT NULL CHECK (node ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
	seq		bigint NOT NULL CHECK (seq > 0),
	ts_ms		bigint NOT NULL,
	clock_synced	boolean NOT NULL,
	clock_error_us	bigint,
	result		text NOT NULL CHECK (result IN ('accept', 'reject')),
	reason		text NOT NULL,
	class		text NOT NULL CHECK (class IN ('member', 'guest')),
	member		text,
	device		bytea CHECK (device IS NULL OR length(device) = 32),
	nas		text,
	ssid		text,
	vlan		integer CHECK (vlan IS NULL OR vlan BETWEEN 1 AND 4094),
	serial		text,
	akm		bigint CHECK (akm IS NULL OR akm BETWEEN 0 AND 4294967295),	-- RFC 7268 WLAN-AKM-Suite
	cipher		bigint CHECK (cipher IS NULL OR cipher BETWEEN 0 AND 4294967295),	-- WLAN-Pairwise-Cipher
	PRIMARY KEY (node, seq)
);
CREATE INDEX access_log_ts ON access_log (ts_ms);

-- Per node: which local log file it ships from, and how far it got.
CREATE TABLE access_log_node (
	node		text PRIMARY KEY CHECK (node ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
	instance	bytea NOT NULL CHECK (length(instance) = 16),
	shipped_seq	bigint NOT NULL CHECK (shipped_seq >= 0),
	shipped_at_ms	bigint NOT NULL
);

CREATE TABLE access_log_schema (
	version		integer NOT NULL
);
INSERT INTO access_log_schema VALUES (1);
