-- SPDX-License-Identifier: GPL-2.0-or-later
-- Registry schema 2: how each guest SSID's passphrase rotates.
--
-- A guest SSID without a row here uses the defaults: monthly, 1 day of
-- grace, warnings from 1 day before expiry. guest_psk (schema 1) holds
-- the passphrases with their windows: served while
-- valid_from <= now < grace_until, newest first.

CREATE TABLE guest_policy (
	ssid	TEXT PRIMARY KEY REFERENCES ssid (name),
	period	TEXT NOT NULL,	-- "monthly", "weekly" or "<N>d"
	-- seconds a passphrase is still served after its period (overlap with the next one)
	grace	INTEGER NOT NULL CHECK (grace BETWEEN 0 AND 2592000),
	-- radiusd warns this many seconds before the newest passphrase expires
	warn	INTEGER NOT NULL CHECK (warn BETWEEN 0 AND 5184000)
) WITHOUT ROWID;
