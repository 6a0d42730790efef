-- SPDX-License-Identifier: GPL-2.0-or-later
-- Registry schema 6: device binding (docs/design.md, "Devices").
--
-- The policy is the setting device_binding ('off', 'notify' or 'enforce';
-- unset: notify), which a tenant may override for its members. The notify
-- hook, run by radiusd for each new device, is the setting
-- notify_new_device (`coworkctl notify set new-device CMD`).
--
-- What radiusd sees (the devices of each certificate) is in the access log
-- (its schema 4); what the admin decides is here: devices approved for one
-- certificate, or for every certificate of a member.

ALTER TABLE tenant ADD COLUMN device_binding TEXT
	CHECK (device_binding IS NULL OR device_binding IN ('off', 'notify', 'enforce'));

CREATE TABLE device_approval (
	id		INTEGER PRIMARY KEY,
	serial		TEXT REFERENCES cert (serial),		-- one certificate, or
	member_id	INTEGER REFERENCES member (id),		-- every certificate of the member
	device		BLOB NOT NULL CHECK (length(device) = 32),	-- HMAC-SHA-256 of the MAC
	approved_at	INTEGER NOT NULL,
	CHECK ((serial IS NULL) <> (member_id IS NULL)),
	UNIQUE (serial, device),
	UNIQUE (member_id, device)
);
CREATE INDEX device_approval_device ON device_approval (device);
