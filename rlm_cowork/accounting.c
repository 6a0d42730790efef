/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * accounting.c - accounting of our members' sessions: the Class that
 * post-auth put into a member's Accept names the certificate, and each
 * Start, Interim-Update and Stop (and Accounting-On/Off) is recorded in
 * the access log (lib/server/session.c) before the response goes out.
 * Every Start on a member or guest SSID of ours also leaves the session's
 * Wi-Fi security (RFC 7268 AKM suite and cipher) in the link table
 * (lib/server/linksec.c), for coworkctl audit.
 */
#include "module.h"

#include <arpa/inet.h>

#include "station.h"
#include "wlansec.h"

/* The time of a request in UTC milliseconds (the module's clock, see test_clock_offset). */
static int64_t wall_ms(rlm_cowork_t const *inst)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec + inst->clock_offset) * 1000 + ts.tv_nsec / 1000000;
}

void cw_mod_source_text(REQUEST *request, char buf[INET6_ADDRSTRLEN])
{
	fr_ipaddr_t const *ip = &request->packet->src_ipaddr;

	buf[0] = '\0';
	if (ip->af == AF_INET) {
		(void)inet_ntop(AF_INET, &ip->ipaddr.ip4addr, buf, INET6_ADDRSTRLEN);
	} else if (ip->af == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&ip->ipaddr.ip6addr)) {
		(void)inet_ntop(AF_INET, &ip->ipaddr.ip6addr.s6_addr[12], buf, INET6_ADDRSTRLEN);
	} else if (ip->af == AF_INET6) {
		(void)inet_ntop(AF_INET6, &ip->ipaddr.ip6addr, buf, INET6_ADDRSTRLEN);
	}
}

/* The first Class of ours in the request, if any. */
static void our_class(REQUEST *request, cw_acct_input_t *in)
{
	vp_cursor_t cursor;
	VALUE_PAIR *vp;

	fr_cursor_init(&cursor, &request->packet->vps);
	while ((vp = fr_cursor_next_by_num(&cursor, PW_CLASS, 0, TAG_ANY)) != NULL) {
		if (!cw_session_class_ours(vp->vp_octets, vp->vp_length)) continue;
		in->class_value = (char const *)vp->vp_octets;
		in->class_len = vp->vp_length;
		return;
	}
}

/* What the Accounting-Request says, as received; src and nas_ip hold the addresses' text. */
static void acct_input(rlm_cowork_t *inst, REQUEST *request, cw_acct_input_t *in, char src[INET6_ADDRSTRLEN],
		       char nas_ip[INET_ADDRSTRLEN])
{
	VALUE_PAIR *vp;

	memset(in, 0, sizeof(*in));
	vp = fr_pair_find_by_num(request->packet->vps, PW_ACCT_STATUS_TYPE, 0, TAG_ANY);
	if (vp) {
		in->has_status = true;
		in->status = vp->vp_integer;
	}
	our_class(request, in);
	cw_mod_attr_text(request, NULL, PW_ACCT_SESSION_ID, &in->session_id, &in->session_id_len);
	cw_mod_attr_text(request, NULL, PW_USER_NAME, &in->user_name, &in->user_name_len);
	cw_mod_attr_text(request, NULL, PW_CALLING_STATION_ID, &in->calling_station, &in->calling_station_len);
	cw_mod_attr_text(request, NULL, PW_NAS_IDENTIFIER, &in->nas_identifier, &in->nas_identifier_len);
	vp = fr_pair_find_by_num(request->packet->vps, PW_NAS_IP_ADDRESS, 0, TAG_ANY);
	if (vp && inet_ntop(AF_INET, &vp->vp_ipaddr, nas_ip, INET_ADDRSTRLEN)) in->nas_ip = nas_ip;
	cw_mod_source_text(request, src);
	in->source = src;
	in->now_ms = wall_ms(inst);
	if (cw_mod_device_key(inst)) in->class_key = inst->class_key;
}

/*
 * The member of the session's certificate, and the device hash. RLM_MODULE_OK
 * to go on; INVALID for a certificate the registry does not know; FAIL when
 * the registry or the device key is not usable.
 */
static rlm_rcode_t session_owner(rlm_cowork_t *inst, REQUEST *request, cw_acct_event_t const *ev,
				 char member[CW_ID_MAX + 1], uint8_t device[CW_DEVICE_HASH_LEN], bool *has_device)
{
	cw_regconn_t *conn;
	cw_err_t e;
	int found;

	*has_device = false;
	if (ev->kind != CW_ACCT_SESSION || ev->status == CW_ACCT_STOP) return RLM_MODULE_OK;
	conn = cw_regpool_get(inst->pool, &e);
	found = conn ? cw_session_member(conn->reg, ev->serial, member, &e) : -1;
	cw_regpool_put(inst->pool, conn, found < 0);
	if (found < 0) {
		RERROR("accounting not recorded: %s", e.msg);
		return RLM_MODULE_FAIL;
	}
	if (found == 0) {
		RWARN("accounting refused: certificate %s named in Class is not in the registry (nothing stored)",
		      ev->serial);
		return RLM_MODULE_INVALID;
	}
	if (!ev->has_mac) return RLM_MODULE_OK;
	if (!cw_mod_device_key(inst) ||
	    cw_device_hasher_hash(__atomic_load_n(&inst->hasher, __ATOMIC_ACQUIRE), &ev->mac, device) < 0) {
		RERROR("accounting not recorded: no device key %s (run any coworkctl command to create it)",
			inst->key_path);
		return RLM_MODULE_FAIL;
	}
	*has_device = true;
	return RLM_MODULE_OK;
}

/*
 * The module's own access log connection, opened on first use (the logq
 * writer holds another; WAL and the busy timeout let both write). Called
 * with session_lock held. NULL with err when it cannot be opened for writing.
 */
static cw_accesslog_t *accounting_log(rlm_cowork_t *inst, cw_err_t *err)
{
	if (!inst->sessions && cw_accesslog_open(inst->log_path, false, &inst->sessions, err) == 0 &&
	    !cw_accesslog_writable(inst->sessions)) {
		cw_err_set(err, "access log %s is not writable by the server", inst->log_path);
		cw_accesslog_close(inst->sessions);
		inst->sessions = NULL;
	}
	return inst->sessions;
}

/* After a failed write, called with session_lock held: the next one reopens. */
static void accounting_log_failed(rlm_cowork_t *inst)
{
	cw_accesslog_close(inst->sessions);
	inst->sessions = NULL;
}

/* Write the event on the module's own access log connection (accounting_log). 0, or -1 with err. */
static int session_write(rlm_cowork_t *inst, cw_acct_event_t const *ev, char const *member, uint8_t const *device,
			 cw_session_outcome_t *out, cw_err_t *err)
{
	cw_accesslog_t *log;
	int rc = -1;

	pthread_mutex_lock(&inst->session_lock);
	if ((log = accounting_log(inst, err)) != NULL) {
		rc = cw_session_record(log, ev, member, device, inst->max_live, out, err);
		if (rc < 0) accounting_log_failed(inst);
	}
	pthread_mutex_unlock(&inst->session_lock);
	return rc;
}

/*
 * Whether a session on ssid goes into the link table, and as which class:
 * 1 with *member set from the registry's class of the SSID, 0 for an SSID
 * that is not ours or is the staff's, -1 with err.
 */
static int link_ssid_class(rlm_cowork_t *inst, char const *ssid, bool *member, cw_err_t *err)
{
	cw_ssid_class_t cls;
	cw_regconn_t *conn = cw_regpool_get(inst->pool, err);
	int found = conn ? cw_registry_ssid_class(conn->reg, ssid, &cls, err) : -1;

	cw_regpool_put(inst->pool, conn, found < 0);
	if (found <= 0) return found;
	if (cls == CW_SSID_STAFF) return 0;
	*member = cls == CW_SSID_MEMBER;
	return 1;
}

/* The access point's name for the link table: NAS-Identifier (cut, control bytes as '?'), else an address. */
static void link_nas(cw_acct_input_t const *in, char nas[CW_NAS_MAX + 1])
{
	char const *s = in->nas_identifier ? in->nas_identifier : in->nas_ip ? in->nas_ip : in->source;
	size_t n = in->nas_identifier ? in->nas_identifier_len : s ? strlen(s) : 0;

	if (n > CW_NAS_MAX) n = CW_NAS_MAX;
	for (size_t i = 0; i < n; i++) nas[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	nas[n] = '\0';
}

/*
 * A Start's Wi-Fi security into the link table (linksec.h): members' when
 * their Class verified (member), others' by their SSID's class. Nothing for
 * other status types, an SSID not ours, or no SSID in Called-Station-Id.
 * A failure is logged and holds nothing up: the row serves the audit, and
 * refusing the accounting for it would only make the NAS resend it.
 */
static void link_note(rlm_cowork_t *inst, REQUEST *request, cw_acct_input_t const *in, bool member)
{
	char const *called;
	size_t called_len;
	cw_station_t station;
	cw_link_row_t row;
	cw_accesslog_t *log;
	int rc = -1;
	cw_err_t e;

	if (!in->has_status || in->status != CW_ACCT_START) return;
	cw_mod_attr_text(request, NULL, PW_CALLED_STATION_ID, &called, &called_len);
	if (!called || cw_station_parse(called, called_len, &station, &e) < 0 || !station.has_ssid) {
		RDEBUG2("Wi-Fi security not recorded: no SSID in Called-Station-Id");
		return;
	}
	memset(&row, 0, sizeof(row));
	strlcpy(row.ssid, station.ssid, sizeof(row.ssid));
	row.member = member;
	if (!member && (rc = link_ssid_class(inst, row.ssid, &row.member, &e)) <= 0) {
		if (rc < 0) {
			RWARN("Wi-Fi security not recorded: %s", e.msg);
		} else {
			RDEBUG2("Wi-Fi security not recorded: the SSID is not a member or guest SSID of ours");
		}
		return;
	}
	row.ts_ms = in->now_ms;
	link_nas(in, row.nas);
	row.has_akm = cw_mod_attr_suite(request, CW_ATTR_WLAN_AKM_SUITE, &row.akm);
	row.has_cipher = cw_mod_attr_suite(request, CW_ATTR_WLAN_PAIRWISE_CIPHER, &row.cipher);
	rc = -1;
	pthread_mutex_lock(&inst->session_lock);
	if ((log = accounting_log(inst, &e)) != NULL) {
		rc = cw_link_record(log, &row, &e);
		if (rc < 0) accounting_log_failed(inst);
	}
	pthread_mutex_unlock(&inst->session_lock);
	if (rc < 0) {
		RWARN("Wi-Fi security not recorded: %s", e.msg);
	}
}

/* One line for what was recorded: starts and ends at info level, updates in debug. */
static void session_logged(REQUEST *request, cw_acct_event_t const *ev, char const *member, unsigned inst_max_live,
			   cw_session_outcome_t const *out)
{
	char nas[CW_LOG_ESCAPED_MAX], id[CW_LOG_ESCAPED_MAX];

	cw_log_escape(ev->nas, strlen(ev->nas), nas, sizeof(nas));
	cw_log_escape(ev->acct_session_id, strlen(ev->acct_session_id), id, sizeof(id));
	switch (out->change) {
	case CW_SESSION_STARTED:
	case CW_SESSION_RESTARTED:
		RINFO("session started: member %s, certificate %s, NAS %s (%s), session %s", member, ev->serial,
		      nas[0] ? nas : "-", ev->nas_address, id);
		break;
	case CW_SESSION_STOPPED:
		RINFO("session ended: certificate %s, NAS %s (%s), session %s", ev->serial, nas[0] ? nas : "-",
		      ev->nas_address, id);
		break;
	case CW_SESSION_NAS_RESET:
		RINFO("NAS %s (%s) restarted: %lld live session(s) ended", nas[0] ? nas : "-", ev->nas_address,
		      (long long)out->ended);
		break;
	case CW_SESSION_OVER_LIMIT:
		RWARN("accounting ignored: NAS %s (%s) already has %u live sessions (max_sessions_per_nas): session %s"
		      " of certificate %s not recorded", nas[0] ? nas : "-", ev->nas_address, inst_max_live, id, ev->serial);
		break;
	case CW_SESSION_UPDATED:
	case CW_SESSION_STALE:
	case CW_SESSION_UNKNOWN:
		RDEBUG2("session %s on %s: %s", id, ev->nas_address,
			out->change == CW_SESSION_UPDATED ? "updated" :
			out->change == CW_SESSION_STALE ? "already ended, update ignored" : "not live, nothing to end");
		break;
	}
}

/*
 * accounting: record our members' sessions (RFC 2866: the response goes
 * out only once the session is recorded). NOOP for accounting that is not
 * ours, whose Class does not verify, or that would exceed the NAS's live
 * sessions (nothing stored; the last two logged); INVALID (no response) for
 * a malformed one of ours; FAIL (no response: the NAS retries) when it
 * cannot be recorded; OK when recorded. Whatever the code, a Start on one
 * of our SSIDs leaves its Wi-Fi security (link_note), unless its Class
 * does not verify or the request is malformed.
 */
rlm_rcode_t cw_mod_accounting(rlm_cowork_t *inst, REQUEST *request)
{
	char src[INET6_ADDRSTRLEN], nas_ip[INET_ADDRSTRLEN], member[CW_ID_MAX + 1] = "";
	uint8_t device[CW_DEVICE_HASH_LEN];
	cw_session_outcome_t out;
	cw_acct_input_t in;
	cw_acct_event_t ev;
	bool has_device;
	rlm_rcode_t rc;
	cw_err_t e;
	int kind;

	acct_input(inst, request, &in, src, nas_ip);
	kind = cw_acct_parse(&in, &ev, &e);
	if (kind == CW_ACCT_IGNORE) {
		link_note(inst, request, &in, false);
		return RLM_MODULE_NOOP;
	}
	if (kind == CW_ACCT_UNVERIFIED) {
		RWARN("accounting ignored: %s (nothing stored)", e.msg);
		return RLM_MODULE_NOOP;
	}
	if (kind < 0) {
		RWARN("accounting refused: %s (nothing stored)", e.msg);
		return RLM_MODULE_INVALID;
	}
	rc = session_owner(inst, request, &ev, member, device, &has_device);
	if (rc != RLM_MODULE_OK) return rc;
	if (session_write(inst, &ev, member, has_device ? device : NULL, &out, &e) < 0) {
		RERROR("accounting not recorded (no response, the NAS will retry): %s", e.msg);
		return RLM_MODULE_FAIL;
	}
	session_logged(request, &ev, member, inst->max_live, &out);
	if (ev.kind == CW_ACCT_SESSION) link_note(inst, request, &in, true);
	return out.change == CW_SESSION_OVER_LIMIT ? RLM_MODULE_NOOP : RLM_MODULE_OK;
}
