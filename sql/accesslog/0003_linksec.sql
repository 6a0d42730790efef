-- SPDX-License-Identifier: GPL-2.0-or-later
-- Access log schema 3: the Wi-Fi security the access points report
-- (RFC 7268 WLAN-AKM-Suite and WLAN-Pairwise-Cipher), for coworkctl audit's
-- 3-3.1 ("WPA2 or WPA3, not WEP or WPA").
--
-- Suite selectors as the attributes carry them: OUI << 8 | type, so
-- 0x000FAC04 (1027076) is 00-0F-AC:4, CCMP-128. NULL when the request did
-- not carry the attribute, or carried it malformed.
--
-- access.akm/cipher: from the Access-Request (members' 802.1X requests
-- carry them; guests' MAC authentication comes before the station has any).
ALTER TABLE access ADD COLUMN akm INTEGER CHECK (akm IS NULL OR akm BETWEEN 0 AND 4294967295);
ALTER TABLE access ADD COLUMN cipher INTEGER CHECK (cipher IS NULL OR cipher BETWEEN 0 AND 4294967295);

-- link: one row per Accounting-Request Start of a session on one of our
-- SSIDs, members' and guests' alike (guests' security is only known from
-- accounting). Minimal: no MAC, no device hash, no User-Name, no member:
-- only when, which class, SSID and access point, and the two suites.
-- Deleted with the access log's retention (log_retention_days).
CREATE TABLE link (
	id		INTEGER PRIMARY KEY,
	ts_ms		INTEGER NOT NULL,	-- UTC, milliseconds since the epoch
	class		TEXT NOT NULL CHECK (class IN ('member', 'guest')),
	ssid		TEXT NOT NULL,
	nas		TEXT,			-- NAS-Identifier, else NAS-IP-Address, else the source address
	akm		INTEGER CHECK (akm IS NULL OR akm BETWEEN 0 AND 4294967295),
	cipher		INTEGER CHECK (cipher IS NULL OR cipher BETWEEN 0 AND 4294967295)
);
CREATE INDEX link_ts ON link (ts_ms);
