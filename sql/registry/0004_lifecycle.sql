-- SPDX-License-Identifier: GPL-2.0-or-later
-- Registry schema 4: the certificate lifecycle to the end.
--
-- * Renewal: a renewed certificate names the one it replaces, so that
--   `status` and `cert list --expiring` can tell an expiring certificate
--   that still needs renewing from one that already was.
-- * Revocation inside the TLS handshake: for each certificate, an OCSP
--   answer "good" signed by the CA when the certificate was issued.
--   radiusd's OCSP responder (rlm_cowork) serves it only while the registry
--   says the certificate may connect; otherwise it answers with an unsigned
--   error, which FreeRADIUS treats as a failed check. radiusd holds no key
--   that can sign anything.
-- * Revocation reaching connected devices (RFC 5176): the access points
--   that take Disconnect-Requests, with their CoA port and secret.

ALTER TABLE cert ADD COLUMN replaces TEXT;	-- serial this certificate renews; NULL for a first issue
CREATE INDEX cert_replaces ON cert (replaces);
CREATE INDEX cert_not_after ON cert (not_after);

CREATE TABLE cert_ocsp (
	serial		TEXT PRIMARY KEY REFERENCES cert (serial),
	-- DER BasicOCSPResponse (RFC 6960): certStatus good, SHA-1 CertID,
	-- signed by the CA, without certificates (radiusd adds the CA's).
	response	BLOB NOT NULL CHECK (length(response) BETWEEN 1 AND 4096),
	produced_at	INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE nas (
	name		TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
	-- The address the NAS sends RADIUS from (the source of its accounting
	-- requests): Disconnect-Requests go there.
	address		TEXT NOT NULL UNIQUE CHECK (length(address) BETWEEN 2 AND 45),
	coa_port	INTEGER NOT NULL DEFAULT 3799 CHECK (coa_port BETWEEN 1 AND 65535),
	secret		TEXT NOT NULL CHECK (length(secret) BETWEEN 1 AND 128),
	created_at	INTEGER NOT NULL
) WITHOUT ROWID;
