-- SPDX-License-Identifier: GPL-2.0-or-later
-- Access log schema 4: the devices each member certificate was seen from
-- (docs/design.md, "Devices").
--
-- radiusd writes these rows (it cannot write the registry): one per
-- certificate and device, the device being the keyed hash of its MAC, never
-- the MAC. The first device a certificate is accepted from is 'bound';
-- later ones are 'new' (accepted under the policy notify), 'approved'
-- (accepted under enforce because `coworkctl device approve` said so) or
-- 'refused' (enforce). The first sight of a device is an event: the
-- notify hook runs for it.
--
-- Retention: these rows are the binding, so the access log's retention
-- does not delete them while the certificate may still connect; they go
-- once the certificate's end (not_after_ms) is older than the retention.
-- A revoked certificate never connects again: its rows are as harmless as
-- its access rows and go the same way, at its not_after.

CREATE TABLE device (
	serial		TEXT NOT NULL CHECK (length(serial) BETWEEN 1 AND 40),
	device		BLOB NOT NULL CHECK (length(device) = 32),	-- HMAC-SHA-256 of the MAC
	member		TEXT NOT NULL,
	state		TEXT NOT NULL CHECK (state IN ('bound', 'new', 'approved', 'refused')),
	first_ms	INTEGER NOT NULL,	-- UTC milliseconds of the first sight
	last_ms		INTEGER NOT NULL,	-- of the last change or refusal
	refusals	INTEGER NOT NULL DEFAULT 0 CHECK (refusals >= 0),
	not_after_ms	INTEGER NOT NULL,	-- the certificate's end
	PRIMARY KEY (serial, device)
) WITHOUT ROWID;
CREATE INDEX device_first ON device (first_ms);
CREATE INDEX device_member ON device (member);
CREATE INDEX device_not_after ON device (not_after_ms);
