-- SPDX-License-Identifier: GPL-2.0-or-later
-- Registry schema 8: RadSec (RFC 6614). `coworkctl nas add --radsec` issues
-- a NAS its TLS client certificate from the NAS CA (STATE/nas-ca), never
-- from the member CA; the RadSec listener trusts that CA and its CRL.
--
-- The NAS's current RadSec certificate; NULL: it has none (plain RADIUS).
ALTER TABLE nas ADD COLUMN radsec_serial TEXT;
ALTER TABLE nas ADD COLUMN radsec_not_after INTEGER;

-- NAS certificates that must no longer open a connection: the NAS was
-- removed. Every row goes into the NAS CA's CRL until its certificate
-- expired; the table outlives the nas row on purpose.
CREATE TABLE nas_cert_revoked (
	serial		TEXT PRIMARY KEY,
	nas		TEXT NOT NULL,
	revoked_at	INTEGER NOT NULL,
	not_after	INTEGER NOT NULL
) WITHOUT ROWID;
