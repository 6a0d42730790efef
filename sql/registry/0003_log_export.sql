-- SPDX-License-Identifier: GPL-2.0-or-later
-- Registry schema 3: every export of the access log, for accountability.
--
-- `coworkctl log export` refuses to run without a case reference and
-- records here who exported which rows, when and why. It lives in the
-- registry, which radiusd cannot write (radiusd writes the access log).
-- The retention of the access log is the setting log_retention_days
-- (default 180).

CREATE TABLE log_export (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,	-- Unix time of the export
	operator	TEXT NOT NULL,		-- who ran coworkctl: login name and uid
	case_ref	TEXT NOT NULL CHECK (length(case_ref) BETWEEN 1 AND 128),
	from_ms		INTEGER NOT NULL,	-- exported rows: from_ms <= ts_ms < to_ms
	to_ms		INTEGER NOT NULL,
	filter		TEXT NOT NULL,		-- "all", "member <id>" or "device <hash>"
	format		TEXT NOT NULL CHECK (format IN ('csv', 'json')),
	rows		INTEGER NOT NULL
);
