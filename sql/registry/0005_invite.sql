-- SPDX-License-Identifier: GPL-2.0-or-later
-- Registry schema 5: invitations, with which members enroll their own
-- devices (docs/enrollment.md).
--
-- `coworkctl invite create` issues the invitation's certificates at once,
-- each with its PKCS#12 sealed under a key only the invitation's token
-- gives (lib/core/seal.h). The token itself is stored nowhere: only its
-- lookup hash. `coworkctl enroll-broker` hands a sealed device to the
-- holder of the token (COLLECT), which clears the certificate's
-- pending_invite and deletes the sealed blob in the same transaction.
-- radiusd refuses a certificate whose pending_invite is set (reason
-- `uncollected`): a certificate never handed to a device never connects.

CREATE TABLE invite (
	id		INTEGER PRIMARY KEY,
	-- hex(HMAC-SHA-256("cowork-invite-lookup v1", token))
	lookup		TEXT NOT NULL UNIQUE CHECK (length(lookup) = 64 AND lookup NOT GLOB '*[^0-9a-f]*'),
	member_id	INTEGER NOT NULL REFERENCES member (id),
	devices		INTEGER NOT NULL CHECK (devices BETWEEN 1 AND 20),
	created_at	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL CHECK (expires_at > created_at),
	revoked_at	INTEGER,		-- `invite revoke`
	-- when it ended (revoked, or expired and met by the broker or `invite
	-- sweep`): its uncollected certificates revoked, its sealed blobs deleted
	ended_at	INTEGER,
	CHECK (revoked_at IS NULL OR ended_at IS NOT NULL)
);
CREATE INDEX invite_member ON invite (member_id);
CREATE INDEX invite_open ON invite (expires_at) WHERE ended_at IS NULL;

-- One device of an invitation: its certificate and, until it is collected
-- or the invitation ends, its sealed PKCS#12 (docs/enrollment.md, "A sealed
-- device"), sealed with aad "cowork-invite:<invite_id>:<slot>".
CREATE TABLE invite_slot (
	invite_id	INTEGER NOT NULL REFERENCES invite (id),
	slot		INTEGER NOT NULL CHECK (slot BETWEEN 1 AND 20),
	serial		TEXT NOT NULL UNIQUE REFERENCES cert (serial),
	sealed		BLOB CHECK (sealed IS NULL OR length(sealed) BETWEEN 47 AND 71680),
	collected_at	INTEGER,
	platform	TEXT CHECK (platform IS NULL OR platform IN ('apple', 'eap', 'windows', 'linux')),
	CHECK ((collected_at IS NULL) = (platform IS NULL)),
	CHECK (collected_at IS NULL OR sealed IS NULL),
	PRIMARY KEY (invite_id, slot)
) WITHOUT ROWID;

-- The audit of invitations: every creation, opening, collection, loss
-- report, revocation, end and refusal. invite_id is NULL for a token
-- that names no invitation; reason says why a request was refused (the
-- broker answers every refusal alike). No token is ever stored here.
CREATE TABLE invite_event (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,
	invite_id	INTEGER REFERENCES invite (id),
	event		TEXT NOT NULL CHECK (event IN ('created', 'opened', 'collected', 'lost', 'revoked',
			'expired', 'ended', 'refused', 'rate-limited')),
	reason		TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 32),
	serial		TEXT,
	platform	TEXT,
	client		TEXT CHECK (client IS NULL OR length(client) BETWEEN 1 AND 64)
);
CREATE INDEX invite_event_invite ON invite_event (invite_id);

-- The invitation whose device this certificate still waits to be; NULL
-- once collected (and for every certificate issued otherwise).
ALTER TABLE cert ADD COLUMN pending_invite INTEGER REFERENCES invite (id);
CREATE INDEX cert_pending ON cert (pending_invite) WHERE pending_invite IS NOT NULL;

-- Whether a member's enrollment page shows this guest SSID's passphrase.
ALTER TABLE guest_policy ADD COLUMN members_see INTEGER NOT NULL DEFAULT 0 CHECK (members_see IN (0, 1));
