-- SPDX-License-Identifier: GPL-2.0-or-later
-- Access log schema 1: one row per authentication decision of rlm_cowork.
--
-- Minimal by design (the shared-office guideline's 3-(7)): when, whether
-- the clock was right, the decision, and what identifies the device and
-- the place, nothing else. No MAC address (a keyed hash instead), no
-- User-Name, no passphrase, no certificate subject, no Connect-Info.
-- Written by radiusd (a writer thread, in batches), read, exported and
-- purged by coworkctl. WAL mode: readers never wait for the writer.

CREATE TABLE access (
	id		INTEGER PRIMARY KEY,
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
	serial		TEXT			-- certificate serial, members only
);
CREATE INDEX access_ts ON access (ts_ms);
