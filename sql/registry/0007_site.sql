-- SPDX-License-Identifier: GPL-2.0-or-later
-- Registry schema 7: sites. A site is a place with its own access points
-- (NAS) and its own guest passphrases; the same guest SSID may be offered
-- at several sites, each with a passphrase of its own.
--
-- Without any row in `site`, nothing changes: guest passphrases have no
-- site (site IS NULL) and any RADIUS client asking for a guest SSID gets
-- its passphrase, as before. Once a site exists, radiusd serves a guest
-- passphrase only to a RADIUS client whose source address is a NAS of a
-- site (nas.site), and only the passphrase of that site for that SSID
-- (guest_psk.site): site-less passphrases are no longer served, and a
-- client that is no registered NAS gets none (fail closed). A site offers
-- a guest SSID when it has a passphrase row for it (`coworkctl psk rotate
-- --ssid X --site S` makes the first one). The rotation policy
-- (guest_policy) stays per SSID and applies at every site.

CREATE TABLE site (
	name		TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
	created_at	INTEGER NOT NULL
) WITHOUT ROWID;

-- The site whose access point this NAS is; NULL: none (only Disconnect-Requests).
ALTER TABLE nas ADD COLUMN site TEXT REFERENCES site (name);
CREATE INDEX nas_site ON nas (site);

-- The site this passphrase is served at; NULL: no site (no site is defined).
ALTER TABLE guest_psk ADD COLUMN site TEXT REFERENCES site (name);
CREATE INDEX guest_psk_site ON guest_psk (site, ssid, valid_from);
