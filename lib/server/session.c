/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * session.c - live member sessions from RADIUS accounting.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>

#include "session.h"
#include "sqlutil.h"

/* Domain separation: the device key's HMAC under this label is the Class key, and nothing else. */
static const char class_key_label[] = "rlm_cowork accounting Class MAC key v1";

int cw_session_class_key(const uint8_t device_key[CW_DEVICE_KEY_LEN], uint8_t out[CW_CLASS_KEY_LEN])
{
	unsigned int len = 0;

	if (!HMAC(EVP_sha256(), device_key, CW_DEVICE_KEY_LEN, (const unsigned char *)class_key_label,
		  sizeof(class_key_label) - 1, out, &len) || len != CW_CLASS_KEY_LEN) {
		OPENSSL_cleanse(out, CW_CLASS_KEY_LEN);
		return -1;
	}
	return 0;
}

/* The tag of the Class's signed part (len bytes of text), in lowercase hex. 0 or -1. */
static int class_tag(const uint8_t key[CW_CLASS_KEY_LEN], const char *text, size_t len,
		     char hex[2 * CW_CLASS_TAG_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;

	if (!HMAC(EVP_sha256(), key, CW_CLASS_KEY_LEN, (const unsigned char *)text, len, mac, &mac_len) ||
	    mac_len < CW_CLASS_TAG_LEN) return -1;
	for (size_t i = 0; i < CW_CLASS_TAG_LEN; i++) {
		hex[2 * i] = digits[mac[i] >> 4];
		hex[2 * i + 1] = digits[mac[i] & 15];
	}
	hex[2 * CW_CLASS_TAG_LEN] = '\0';
	return 0;
}

/* Is serial (len bytes) exactly the canonical form cw_serial_normalise gives? */
static bool serial_canonical(const char *serial, size_t len, char out[CW_SERIAL_HEX_MAX + 1])
{
	return len > 0 && cw_serial_normalise(serial, len, out, NULL) == 0 && strlen(out) == len &&
	       memcmp(out, serial, len) == 0;
}

int cw_session_class(const uint8_t key[CW_CLASS_KEY_LEN], const char *serial, int64_t issued,
		     char out[CW_CLASS_MAX + 1])
{
	char canonical[CW_SERIAL_HEX_MAX + 1], tag[2 * CW_CLASS_TAG_LEN + 1];
	int n;

	if (issued < 0 || !serial_canonical(serial, strlen(serial), canonical)) return -1;
	n = snprintf(out, CW_CLASS_MAX + 1, "%s%s:%" PRId64, CW_CLASS_PREFIX, serial, issued);
	if (n < 0 || (size_t)n + 1 + sizeof(tag) > CW_CLASS_MAX + 1 || class_tag(key, out, (size_t)n, tag) < 0) return -1;
	out[n] = ':';
	memcpy(out + n + 1, tag, sizeof(tag));
	return 0;
}

bool cw_session_class_ours(const void *value, size_t len)
{
	return value && len >= CW_CLASS_PREFIX_LEN && memcmp(value, CW_CLASS_PREFIX, CW_CLASS_PREFIX_LEN) == 0;
}

/* --- checking an Accounting-Request ---------------------------------------- */

/* Copy len bytes of untrusted text into out (room for max + 1) when each byte is in lo..hi. 0 or -1. */
static int copy_text(const char *in, size_t len, size_t max, unsigned char lo, unsigned char hi, char *out)
{
	if (len > max) return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c < lo || c > hi || c == 0x7f) return -1;
	}
	memcpy(out, in, len);
	out[len] = '\0';
	return 0;
}

int cw_ip_canonical(const char *in, int only_family, char out[CW_NAS_ADDRESS_MAX + 1])
{
	unsigned char buf[sizeof(struct in6_addr)];
	int family = AF_INET;

	if (!in) return -1;
	if (inet_pton(AF_INET, in, buf) != 1) {
		family = AF_INET6;
		if (only_family == AF_INET || inet_pton(AF_INET6, in, buf) != 1) return -1;
	}
	return inet_ntop(family, buf, out, CW_NAS_ADDRESS_MAX + 1) ? 0 : -1;
}

/*
 * Verify our Class and take its serial and time: "cowork:<serial>:<issued>:<tag>"
 * whose tag is the one in->class_key gives (compared in constant time), and
 * whose serial is in the canonical form we put there. 0, or -1 with err.
 */
static int class_verify(const cw_acct_input_t *in, cw_acct_event_t *ev, cw_err_t *err)
{
	const char *v = in->class_value, *end = v + in->class_len;
	const char *serial = v + CW_CLASS_PREFIX_LEN, *colon1, *colon2;
	char tag[2 * CW_CLASS_TAG_LEN + 1], esc[CW_LOG_ESCAPED_MAX];
	size_t tag_len;
	int64_t issued = 0;

	colon1 = memchr(serial, ':', (size_t)(end - serial));
	colon2 = colon1 ? memchr(colon1 + 1, ':', (size_t)(end - colon1 - 1)) : NULL;
	if (!colon2) {
		cw_log_escape(v, in->class_len, esc, sizeof(esc));
		cw_err_set(err, "Class \"%s\" carries no MAC (not issued by this server, or before Classes had one)", esc);
		return -1;
	}
	cw_log_escape(serial, (size_t)(colon1 - serial), esc, sizeof(esc));
	tag_len = (size_t)(end - colon2 - 1);
	if (!in->class_key || class_tag(in->class_key, v, (size_t)(colon2 - v), tag) < 0) {
		cw_err_set(err, "the Class of certificate \"%s\" cannot be verified (no device key)", esc);
		return -1;
	}
	if (tag_len != 2 * CW_CLASS_TAG_LEN || CRYPTO_memcmp(tag, colon2 + 1, tag_len) != 0) {
		cw_err_set(err, "the Class of certificate \"%s\" does not verify: altered, forged, or issued under another"
			   " key", esc);
		return -1;
	}
	/* Verified: we made it. The checks below are for a key holder's mistakes. */
	if (colon2 - colon1 - 1 < 1 || colon2 - colon1 - 1 > CW_CLASS_ISSUED_MAX ||
	    !serial_canonical(serial, (size_t)(colon1 - serial), ev->serial)) {
		cw_err_set(err, "Class \"%s\" does not hold a certificate serial and time in our form", esc);
		return -1;
	}
	for (const char *p = colon1 + 1; p < colon2; p++) {
		if (*p < '0' || *p > '9' || issued > (INT64_MAX - (*p - '0')) / 10) {
			cw_err_set(err, "Class \"%s\" does not hold a certificate serial and time in our form", esc);
			return -1;
		}
		issued = issued * 10 + (*p - '0');
	}
	ev->class_issued = issued;
	return 0;
}

/* Which NAS the request names: NAS-Identifier, else NAS-IP-Address. 0 or -1 with err. */
static int parse_nas(const cw_acct_input_t *in, cw_acct_event_t *ev, cw_err_t *err)
{
	char esc[CW_LOG_ESCAPED_MAX];

	if (in->nas_identifier) {
		if (in->nas_identifier_len == 0 ||
		    copy_text(in->nas_identifier, in->nas_identifier_len, CW_ACCT_TEXT_MAX, 0x20, 0x7e, ev->nas) < 0) {
			cw_log_escape(in->nas_identifier, in->nas_identifier_len, esc, sizeof(esc));
			cw_err_set(err, "NAS-Identifier \"%s\" is not printable ASCII", esc);
			return -1;
		}
		return 0;
	}
	if (in->nas_ip && cw_ip_canonical(in->nas_ip, AF_INET, ev->nas) < 0) {
		cw_err_set(err, "NAS-IP-Address is not an IPv4 address");
		return -1;
	}
	return 0;
}

/* Acct-Session-Id, User-Name and Calling-Station-Id of a session event. 0 or -1 with err. */
static int parse_session(const cw_acct_input_t *in, cw_acct_event_t *ev, cw_err_t *err)
{
	char esc[CW_LOG_ESCAPED_MAX];

	if (!in->session_id || in->session_id_len == 0) {
		cw_err_set(err, "no Acct-Session-Id");
		return -1;
	}
	if (copy_text(in->session_id, in->session_id_len, CW_ACCT_SESSION_ID_MAX, 0x20, 0x7e,
		      ev->acct_session_id) < 0) {
		cw_log_escape(in->session_id, in->session_id_len, esc, sizeof(esc));
		cw_err_set(err, "Acct-Session-Id \"%s\" (%zu bytes) is not 1 to %d printable ASCII characters", esc,
			   in->session_id_len, CW_ACCT_SESSION_ID_MAX);
		return -1;
	}
	/* User-Name goes back byte for byte in a Disconnect-Request: kept as sent, control characters refused. */
	if (in->user_name &&
	    copy_text(in->user_name, in->user_name_len, CW_ACCT_TEXT_MAX, 0x20, 0xff, ev->user_name) < 0) {
		cw_err_set(err, "User-Name holds control characters");
		return -1;
	}
	if (in->calling_station) {
		if (cw_mac_parse(in->calling_station, in->calling_station_len, &ev->mac) < 0 ||
		    copy_text(in->calling_station, in->calling_station_len, CW_ACCT_TEXT_MAX, 0x20, 0x7e,
			      ev->calling_station) < 0) {
			cw_log_escape(in->calling_station, in->calling_station_len, esc, sizeof(esc));
			cw_err_set(err, "Calling-Station-Id \"%s\" is not a MAC address", esc);
			return -1;
		}
		ev->has_mac = true;
	}
	return 0;
}

/* The kind of event for a status type; CW_ACCT_IGNORE for types we do not track. */
static cw_acct_kind_t kind_of(uint32_t status)
{
	switch (status) {
	case CW_ACCT_START:
	case CW_ACCT_STOP:
	case CW_ACCT_INTERIM:
		return CW_ACCT_SESSION;
	case CW_ACCT_ON:
	case CW_ACCT_OFF:
		return CW_ACCT_NAS_RESET;
	default:
		return CW_ACCT_IGNORE;
	}
}

int cw_acct_parse(const cw_acct_input_t *in, cw_acct_event_t *ev, cw_err_t *err)
{
	bool ours = cw_session_class_ours(in->class_value, in->class_len);
	cw_acct_kind_t kind = in->has_status ? kind_of(in->status) : CW_ACCT_IGNORE;

	memset(ev, 0, sizeof(*ev));
	/* Accounting-On/Off carries no Class: a NAS reboot concerns every session it had. */
	if (kind != CW_ACCT_NAS_RESET && !ours) return CW_ACCT_IGNORE;
	if (!in->has_status) {
		cw_err_set(err, "no Acct-Status-Type");
		return -1;
	}
	if (kind == CW_ACCT_IGNORE) return CW_ACCT_IGNORE;	/* Tunnel-Start and the like: not tracked */
	ev->kind = kind;
	ev->status = (cw_acct_status_t)in->status;
	ev->now_ms = in->now_ms;
	if (cw_ip_canonical(in->source, 0, ev->nas_address) < 0) {
		cw_err_set(err, "the request's source address is not an IP address");
		return -1;
	}
	/* A reboot ends the sessions of the source address; how the NAS names itself is only for the log. */
	if (kind == CW_ACCT_NAS_RESET) {
		if (parse_nas(in, ev, NULL) < 0) ev->nas[0] = '\0';
		return kind;
	}
	if (class_verify(in, ev, err) < 0) {
		memset(ev, 0, sizeof(*ev));
		return CW_ACCT_UNVERIFIED;
	}
	if (parse_nas(in, ev, err) < 0 || parse_session(in, ev, err) < 0) return -1;
	return kind;
}

int cw_session_member(cw_registry_t *reg, const char *serial, char member[CW_ID_MAX + 1], cw_err_t *err)
{
	cw_cert_row_t row;
	int rc = cw_registry_cert_lookup(reg, serial, &row, err);

	if (rc == 1) (void)cw_snprintf(member, CW_ID_MAX + 1, "%s", row.member);
	return rc;
}

/* --- the session table ---------------------------------------------------------- */

/* Prepare sql on log's connection. 0, or -1 with err. */
static int prepare(cw_accesslog_t *log, const char *sql, sqlite3_stmt **st, const char *doing, cw_err_t *err)
{
	return cw_sql_prepare(cw_accesslog_db(log), sql, st, doing, err);
}

/* The id and state of the row of (nas_address, acct_session_id): 1 found, 0 none, -1 error. */
static int find_row(cw_accesslog_t *log, const cw_acct_event_t *ev, int64_t *id, bool *live, cw_err_t *err)
{
	static const char doing[] = "looking up the session";
	sqlite3_stmt *st;
	int rc;

	if (prepare(log, "SELECT id, stopped_ms IS NULL FROM session WHERE nas_address = ?1 AND acct_session_id = ?2",
		    &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, ev->nas_address, SQLITE_OK);
	rc = cw_sql_step_row(st, cw_sql_bind_text(st, 2, ev->acct_session_id, rc), doing, err);
	if (rc == 1) {
		*id = sqlite3_column_int64(st, 0);
		*live = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Write a Start/Interim-Update: ?1 nas_address, ?2 nas, ?3 acct_session_id,
 * ?4 user_name, ?5 calling_station, ?6 device, ?7 member, ?8 serial, ?9 now,
 * ?10 the row's id (updates only).
 */
static const char sql_insert[] =
	"INSERT INTO session (nas_address, nas, acct_session_id, user_name, calling_station, device, member, serial,"
	" started_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
static const char sql_refresh[] =
	"UPDATE session SET nas = ?2, user_name = ?4, calling_station = ?5, device = ?6, member = ?7, serial = ?8,"
	" updated_ms = ?9 WHERE id = ?10 AND nas_address = ?1 AND acct_session_id = ?3";
static const char sql_restart[] =
	"UPDATE session SET nas = ?2, user_name = ?4, calling_station = ?5, device = ?6, member = ?7, serial = ?8,"
	" started_ms = ?9, updated_ms = ?9, stopped_ms = NULL WHERE id = ?10 AND nas_address = ?1"
	" AND acct_session_id = ?3";

static int write_live(cw_accesslog_t *log, const char *sql, const cw_acct_event_t *ev, const char *member,
		      const uint8_t *device, int64_t id, cw_err_t *err)
{
	static const char doing[] = "recording the session";
	sqlite3_stmt *st;
	int rc;

	if (prepare(log, sql, &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, ev->nas_address, SQLITE_OK);
	rc = cw_sql_bind_text_opt(st, 2, ev->nas, rc);
	rc = cw_sql_bind_text(st, 3, ev->acct_session_id, rc);
	rc = cw_sql_bind_text_opt(st, 4, ev->user_name, rc);
	rc = cw_sql_bind_text_opt(st, 5, ev->calling_station, rc);
	rc = cw_sql_bind_blob(st, 6, device, CW_DEVICE_HASH_LEN, rc);
	rc = cw_sql_bind_text(st, 7, member, rc);
	rc = cw_sql_bind_text(st, 8, ev->serial, rc);
	rc = cw_sql_bind_int64(st, 9, ev->now_ms, rc);
	if (id) rc = cw_sql_bind_int64(st, 10, id, rc);
	return cw_sql_step_done(st, rc, doing, err) == 1 ? 0 : -1;
}

/* Live sessions of a NAS, counted up to limit. The count, or -1 with err. */
static int64_t live_count(cw_accesslog_t *log, const char *nas_address, unsigned limit, cw_err_t *err)
{
	static const char doing[] = "counting the NAS's live sessions";
	sqlite3_stmt *st;
	int64_t n = -1;
	int rc;

	if (prepare(log, "SELECT count(*) FROM (SELECT 1 FROM session WHERE nas_address = ?1"
		    " AND stopped_ms IS NULL LIMIT ?2)", &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, nas_address, SQLITE_OK);
	rc = cw_sql_step_row(st, cw_sql_bind_int64(st, 2, limit, rc), doing, err);
	if (rc == 1) n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int start_or_update(cw_accesslog_t *log, const cw_acct_event_t *ev, const char *member,
			   const uint8_t *device, unsigned max_live, cw_session_outcome_t *out, cw_err_t *err)
{
	int64_t id = 0;
	bool live = false;
	int found;

	if (!member || !*member) {
		cw_err_set(err, "a session needs its member");
		return -1;
	}
	found = find_row(log, ev, &id, &live, err);
	if (found < 0) return -1;
	if (!live && (found == 0 || ev->status == CW_ACCT_START) && max_live) {
		int64_t n = live_count(log, ev->nas_address, max_live, err);

		if (n < 0) return -1;
		if (n >= max_live) {
			out->change = CW_SESSION_OVER_LIMIT;
			return 0;
		}
	}
	if (found == 0) {
		out->change = CW_SESSION_STARTED;
		return write_live(log, sql_insert, ev, member, device, 0, err);
	}
	if (live) {
		out->change = CW_SESSION_UPDATED;
		return write_live(log, sql_refresh, ev, member, device, id, err);
	}
	if (ev->status != CW_ACCT_START) {
		out->change = CW_SESSION_STALE;
		return 0;
	}
	out->change = CW_SESSION_RESTARTED;
	return write_live(log, sql_restart, ev, member, device, id, err);
}

/* End live rows: of one session (acct_session_id) or of the whole NAS (NULL). Rows ended, or -1. */
static int end_live(cw_accesslog_t *log, const char *nas_address, const char *acct_session_id, int64_t now_ms,
		    cw_err_t *err)
{
	static const char doing[] = "ending the session";
	sqlite3_stmt *st;
	int rc;

	if (prepare(log, "UPDATE session SET stopped_ms = max(?3, updated_ms), user_name = NULL,"
		    " calling_station = NULL WHERE nas_address = ?1 AND (?2 IS NULL OR acct_session_id = ?2)"
		    " AND stopped_ms IS NULL", &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, nas_address, SQLITE_OK);
	rc = cw_sql_bind_text(st, 2, acct_session_id, rc);
	rc = cw_sql_bind_int64(st, 3, now_ms, rc);
	return cw_sql_step_done(st, rc, doing, err);
}

/* The event's change, inside the caller's transaction. 0 or -1. */
static int apply(cw_accesslog_t *log, const cw_acct_event_t *ev, const char *member, const uint8_t *device,
		 unsigned max_live, cw_session_outcome_t *out, cw_err_t *err)
{
	int n;

	if (ev->kind == CW_ACCT_NAS_RESET) {
		n = end_live(log, ev->nas_address, NULL, ev->now_ms, err);
		out->change = CW_SESSION_NAS_RESET;
		out->ended = n;
		return n < 0 ? -1 : 0;
	}
	if (ev->status != CW_ACCT_STOP) return start_or_update(log, ev, member, device, max_live, out, err);
	n = end_live(log, ev->nas_address, ev->acct_session_id, ev->now_ms, err);
	out->change = n > 0 ? CW_SESSION_STOPPED : CW_SESSION_UNKNOWN;
	return n < 0 ? -1 : 0;
}

int cw_session_record(cw_accesslog_t *log, const cw_acct_event_t *ev, const char *member,
		      const uint8_t device[CW_DEVICE_HASH_LEN], unsigned max_live, cw_session_outcome_t *out,
		      cw_err_t *err)
{
	sqlite3 *db = cw_accesslog_db(log);

	memset(out, 0, sizeof(*out));
	if (ev->kind != CW_ACCT_SESSION && ev->kind != CW_ACCT_NAS_RESET) {
		cw_err_set(err, "not a session event");
		return -1;
	}
	if (cw_accesslog_in_place(log, err) < 0 ||
	    cw_sql_exec(db, "BEGIN IMMEDIATE", "starting a session transaction", err) < 0) return -1;
	if (apply(log, ev, member, device, max_live, out, err) < 0 ||
	    cw_sql_exec(db, "COMMIT", "committing the session", err) < 0) {
		(void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* --- listing and retention ------------------------------------------------------ */

static void read_session(sqlite3_stmt *st, cw_session_t *s)
{
	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	(void)cw_sql_column_text(st, 1, s->nas_address, sizeof(s->nas_address));
	(void)cw_sql_column_text(st, 2, s->nas, sizeof(s->nas));
	(void)cw_sql_column_text(st, 3, s->acct_session_id, sizeof(s->acct_session_id));
	(void)cw_sql_column_text(st, 4, s->user_name, sizeof(s->user_name));
	(void)cw_sql_column_text(st, 5, s->calling_station, sizeof(s->calling_station));
	s->has_device = cw_sql_column_blob(st, 6, s->device, CW_DEVICE_HASH_LEN);
	(void)cw_sql_column_text(st, 7, s->member, sizeof(s->member));
	(void)cw_sql_column_text(st, 8, s->serial, sizeof(s->serial));
	s->started_ms = sqlite3_column_int64(st, 9);
	s->updated_ms = sqlite3_column_int64(st, 10);
	s->stopped_ms = sqlite3_column_int64(st, 11);
}

int cw_session_list(cw_accesslog_t *log, const cw_session_filter_t *f,
		    int (*fn)(void *arg, const cw_session_t *s), void *arg, cw_err_t *err)
{
	static const char doing[] = "listing sessions";
	sqlite3_stmt *st;
	int rc;

	if (prepare(log, "SELECT id, nas_address, nas, acct_session_id, user_name, calling_station, device,"
		    " member, serial, started_ms, updated_ms, coalesce(stopped_ms, 0) FROM session"
		    " WHERE (?1 IS NULL OR member = ?1) AND (?2 IS NULL OR serial = ?2)"
		    " AND (?3 OR stopped_ms IS NULL) ORDER BY started_ms, id", &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, f->member, SQLITE_OK);
	rc = cw_sql_bind_text(st, 2, f->serial, rc);
	rc = cw_sql_bind_int64(st, 3, f->all, rc);
	while ((rc = cw_sql_step_row(st, rc, doing, err)) == 1) {
		cw_session_t s;

		read_session(st, &s);
		rc = fn(arg, &s);
		cw_wipe(&s, sizeof(s));
		if (rc != 0) break;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* One bounded retention statement: ?1 a cut-off, ?2 the limit (-1: none). Rows changed, or -1. */
static int purge_step(cw_accesslog_t *log, const char *sql, int64_t before_ms, unsigned limit, cw_err_t *err)
{
	static const char doing[] = "purging sessions";
	sqlite3_stmt *st;
	int rc;

	if (prepare(log, sql, &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_int64(st, 1, before_ms, SQLITE_OK);
	rc = cw_sql_bind_int64(st, 2, limit ? (int64_t)limit : -1, rc);
	return cw_sql_step_done(st, rc, doing, err);
}

int cw_session_purge(cw_accesslog_t *log, int64_t cutoff_ms, int64_t stale_before_ms, unsigned limit,
		     int64_t *deleted, int64_t *expired, cw_err_t *err)
{
	sqlite3 *db = cw_accesslog_db(log);
	int ended, gone;

	if (deleted) *deleted = 0;
	if (expired) *expired = 0;
	if (cw_sql_exec(db, "BEGIN IMMEDIATE", "starting a session purge", err) < 0) return -1;
	/* A silent NAS's session ends where it was last heard of; it may then be past retention too. */
	ended = purge_step(log,
			   "UPDATE session SET stopped_ms = updated_ms, user_name = NULL, calling_station = NULL"
			   " WHERE id IN (SELECT id FROM session WHERE stopped_ms IS NULL AND updated_ms < ?1 LIMIT ?2)",
			   stale_before_ms, limit, err);
	gone = ended < 0 ? -1
			 : purge_step(log,
				      "DELETE FROM session WHERE id IN (SELECT id FROM session"
				      " WHERE updated_ms < ?1 AND stopped_ms < ?1 LIMIT ?2)",
				      cutoff_ms, limit, err);
	if (gone < 0 || cw_sql_exec(db, "COMMIT", "committing the session purge", err) < 0) {
		(void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (deleted) *deleted = gone;
	if (expired) *expired = ended;
	return 0;
}
