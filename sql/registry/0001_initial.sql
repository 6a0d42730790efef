-- SPDX-License-Identifier: GPL-2.0-or-later
-- Registry schema 1: who may connect, with which certificate, on which VLAN.
--
-- Written only by coworkctl (one writer at a time: BEGIN IMMEDIATE); read by
-- rlm_cowork through a read-only connection. Times are Unix seconds (UTC).
-- Serials are in cw_serial_normalise() form: lowercase hex, no separators,
-- no leading zeros. coworkctl applies the numbered files in order and sets
-- PRAGMA user_version to the number of the last one applied.

-- Single values: org, server_name, CA facts, later retention settings.
CREATE TABLE setting (
	key	TEXT PRIMARY KEY,
	value	TEXT NOT NULL
) WITHOUT ROWID;

-- The VLAN plan as ranges per kind. Validated by coworkctl before it is
-- written (disjoint kinds, shared and guest single VLANs); the CHECKs here
-- are the last line.
CREATE TABLE vlan_range (
	kind	TEXT NOT NULL CHECK (kind IN ('staff', 'members', 'shared', 'guest')),
	lo	INTEGER NOT NULL CHECK (lo BETWEEN 1 AND 4094),
	hi	INTEGER NOT NULL CHECK (hi BETWEEN lo AND 4094),
	CHECK (kind NOT IN ('shared', 'guest') OR lo = hi),
	PRIMARY KEY (kind, lo)
) WITHOUT ROWID;

CREATE TABLE ssid (
	name		TEXT PRIMARY KEY CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 32),
	class		TEXT NOT NULL CHECK (class IN ('member', 'guest', 'staff')),
	created_at	INTEGER NOT NULL
) WITHOUT ROWID;

-- A member company. Each tenant has its own VLAN from the members pool.
CREATE TABLE tenant (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
	vlan		INTEGER NOT NULL UNIQUE CHECK (vlan BETWEEN 1 AND 4094),
	created_at	INTEGER NOT NULL
);

CREATE TABLE member (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
	tenant_id	INTEGER REFERENCES tenant (id),
	status		TEXT NOT NULL DEFAULT 'active'
			CHECK (status IN ('active', 'suspended', 'removed')),
	valid_from	INTEGER NOT NULL,	-- first second of membership
	valid_until	INTEGER,		-- first second after it; NULL: open-ended
	until_date	TEXT,			-- the date as the admin gave it, for display
	created_at	INTEGER NOT NULL,
	CHECK (valid_until IS NULL OR valid_until > valid_from),
	CHECK ((valid_until IS NULL) = (until_date IS NULL))
);
CREATE INDEX member_tenant ON member (tenant_id);

-- Every certificate the CA issued. Revocation is setting revoked_at: the
-- module sees it at the next authentication.
CREATE TABLE cert (
	serial		TEXT PRIMARY KEY CHECK (length(serial) BETWEEN 1 AND 40),
	member_id	INTEGER NOT NULL REFERENCES member (id),
	kind		TEXT NOT NULL DEFAULT 'member' CHECK (kind IN ('member')),
	subject		TEXT NOT NULL,
	issuer		TEXT NOT NULL,
	not_before	INTEGER NOT NULL,
	not_after	INTEGER NOT NULL CHECK (not_after > not_before),
	sha256		TEXT NOT NULL CHECK (length(sha256) = 64),
	issued_at	INTEGER NOT NULL,
	revoked_at	INTEGER,
	revoke_reason	TEXT CHECK (revoke_reason IN ('unspecified', 'key-compromise',
			'affiliation-changed', 'superseded', 'cessation-of-operation',
			'privilege-withdrawn')),
	CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
) WITHOUT ROWID;
CREATE INDEX cert_member ON cert (member_id);

-- Guest passphrases per guest SSID, with their validity windows. Filled by
-- `coworkctl psk rotate`.
CREATE TABLE guest_psk (
	id		INTEGER PRIMARY KEY,
	ssid		TEXT NOT NULL REFERENCES ssid (name),
	passphrase	TEXT NOT NULL CHECK (length(passphrase) BETWEEN 8 AND 63),
	valid_from	INTEGER NOT NULL,
	valid_until	INTEGER NOT NULL CHECK (valid_until > valid_from),
	grace_until	INTEGER NOT NULL CHECK (grace_until >= valid_until),
	created_at	INTEGER NOT NULL
);
CREATE INDEX guest_psk_ssid ON guest_psk (ssid, valid_from);
