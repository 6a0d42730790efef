-- SPDX-License-Identifier: GPL-2.0-or-later
-- Access log schema 5: rows ready to be shipped to a central database.
--
-- With several servers, cowork-logship copies each node's rows to a
-- central PostgreSQL table keyed by (node, id). That needs ids that are
-- never reused: without AUTOINCREMENT, SQLite gives the next row
-- max(id) + 1, so after a purge that emptied the table ids would start
-- again at 1 and rows would collide with ones already shipped. The table
-- is rebuilt with AUTOINCREMENT (once; the ids stay what they were).
--
-- log_instance names this file: a random value made once, so the central
-- side can tell a node's log from a new one under the same node name.

CREATE TABLE access_ship (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	ts_ms		INTEGER NOT NULL,	-- UTC, milliseconds since the epoch
	clock_synced	INTEGER NOT NULL CHECK (clock_synced IN (0, 1)),
	clock_error_us	INTEGER,		-- the kernel's maxerror; NULL if unknown
	result		TEXT NOT NULL CHECK (result IN ('accept', 'reject')),
	reason		TEXT NOT NULL,		-- decision code: accept, revoked, bad-ssid, ...
	class		TEXT NOT NULL CHECK (class IN ('member', 'guest')),
	member		TEXT,			-- member id, members only
	device		BLOB CHECK (device IS NULL OR length(device) = 32),	-- HMAC-SHA-256 of the MAC
	nas		TEXT,			-- NAS-Identifier, else NAS-IP-Address
	ssid		TEXT,
	vlan		INTEGER CHECK (vlan IS NULL OR vlan BETWEEN 1 AND 4094),
	serial		TEXT,			-- certificate serial, members only
	akm		INTEGER CHECK (akm IS NULL OR akm BETWEEN 0 AND 4294967295),		-- schema 3
	cipher		INTEGER CHECK (cipher IS NULL OR cipher BETWEEN 0 AND 4294967295)	-- schema 3
);
INSERT INTO access_ship (id, ts_ms, clock_synced, clock_error_us, result, reason, class, member, device, nas, ssid,
			 vlan, serial, akm, cipher)
	SELECT id, ts_ms, clock_synced, clock_error_us, result, reason, class, member, device, nas, ssid, vlan, serial,
	       akm, cipher
	FROM access ORDER BY id;
DROP TABLE access;
ALTER TABLE access_ship RENAME TO access;
CREATE INDEX access_ts ON access (ts_ms);

CREATE TABLE log_instance (
	one		INTEGER PRIMARY KEY CHECK (one = 1),
	instance	BLOB NOT NULL CHECK (length(instance) = 16)
);
INSERT INTO log_instance VALUES (1, randomblob(16));
