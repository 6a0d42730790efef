/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_guest.c - the guest decision (hostapd's MAC authentication on a
 * guest SSID) against a real registry (fixture):
 *  - mode 0: cw_guest_decide with User-Name, User-Password,
 *    Calling-Station-Id and Called-Station-Id from the input (often a
 *    well-formed MAC triple, so that the SSID step is reached);
 *  - mode 1: registry rows into the reply: a guest_psk row and a
 *    guest_policy row with passphrase, validity, grace and warning from the
 *    input are written to the registry (as a damaged or hand-edited
 *    registry could hold them), then a well-formed request is decided.
 * An Accept is only for the guest SSID, on the guest VLAN, with one or two
 * passphrases an AP can use and a Session-Timeout of 1 s..1 day; the
 * station is the one asked about; the description for the log does not
 * depend on the passphrases (the same text with them erased). Each input
 * stands alone: the rows mode removes its rows again.
 */
#include "fuzz.h"
#include "guest.h"
#include "psk.h"
#include "registry_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cw_registry_t *reg;
static sqlite3 *admin;

static void check(const cw_guest_input_t *in, const char *want_ssid)
{
	cw_guest_decision_t d;
	char text[1024];
	cw_mac_t mac;

	memset(&d, 'x', sizeof(d));
	cw_guest_decide(reg, in, FZ_NOW, &d);
	FZ_CHECK(FZ_TERMINATED(d.reason) && d.reason[0] && FZ_TERMINATED(d.ssid), "a text not terminated");
	FZ_CHECK(d.result != CW_DECIDE_UNSET, "no result set");
	cw_guest_describe(&d, text, sizeof(text));
	FZ_CHECK(memchr(text, '\0', sizeof(text)) != NULL, "description not terminated");
	if (d.result == CW_DECIDE_ACCEPT) {
		FZ_CHECK(strcmp(d.ssid, want_ssid) == 0, "Accept on SSID \"%s\"", d.ssid);
		FZ_CHECK(d.vlan == 300, "Accept on VLAN %u", d.vlan);
		FZ_CHECK(d.n_psk >= 1 && d.n_psk <= CW_PSK_SERVED_MAX, "%zu passphrases", d.n_psk);
		FZ_CHECK(d.session_timeout >= 1 && d.session_timeout <= CW_GUEST_SESSION_MAX, "Session-Timeout %u",
			 d.session_timeout);
		FZ_CHECK(d.has_mac && in->user_name && cw_mac_parse(in->user_name, in->user_name_len, &mac) == 0 &&
			 memcmp(&mac, &d.mac, sizeof(mac)) == 0, "Accept for another station");
		for (size_t i = 0; i < d.n_psk; i++) {
			FZ_CHECK(cw_psk_valid(d.psk[i].passphrase, strlen(d.psk[i].passphrase)),
				 "Accept with a passphrase no AP can use");
		}
		/* The log line must not depend on the passphrases at all (a plain
		 * strstr would flag a passphrase that happens to equal the SSID). */
		{
			cw_guest_decision_t other = d;
			char other_text[sizeof(text)];

			for (size_t i = 0; i < other.n_psk; i++) memset(other.psk[i].passphrase, 0, sizeof(other.psk[i].passphrase));
			cw_guest_describe(&other, other_text, sizeof(other_text));
			FZ_CHECK(strcmp(text, other_text) == 0, "the log line depends on the passphrase");
			cw_guest_decision_wipe(&other);
		}
	} else {
		FZ_CHECK(d.vlan == 0 && d.n_psk == 0, "a refusal with VLAN %u and %zu passphrases", d.vlan, d.n_psk);
	}
	cw_guest_decision_wipe(&d);
}

static void request(fz_t *f)
{
	cw_guest_input_t in;
	uint8_t flags = fz_u8(f);

	memset(&in, 0, sizeof(in));
	if (flags & 1) {
		in.user_name = "020000000001";
		in.user_password = "020000000001";
		in.calling_station = "02-00-00-00-00-01";
	} else {
		in.user_name = fz_field(f, &in.user_name_len);
		in.user_password = fz_field(f, &in.user_password_len);
		in.calling_station = fz_field(f, &in.calling_station_len);
	}
	if (in.user_name && (flags & 1)) in.user_name_len = strlen(in.user_name);
	if (in.user_password && (flags & 1)) in.user_password_len = strlen(in.user_password);
	if (in.calling_station && (flags & 1)) in.calling_station_len = strlen(in.calling_station);
	in.called_station = fz_field(f, &in.called_station_len);
	in.eap = flags & 2;
	check(&in, "CoworkGuest");
}

static void clear_rows(void)
{
	if (sqlite3_exec(admin, "DELETE FROM guest_psk WHERE ssid = 'GuestNoPsk';"
			 "DELETE FROM guest_policy WHERE ssid = 'GuestNoPsk'", NULL, NULL, NULL) != SQLITE_OK)
		fz_die("clearing rows", sqlite3_errmsg(admin));
}

static void rows(fz_t *f)
{
	static const char *const wanted_ssid = "GuestNoPsk";
	cw_guest_input_t in = {
		.user_name = "020000000002", .user_name_len = 12,
		.user_password = "020000000002", .user_password_len = 12,
		.calling_station = "02-00-00-00-00-02", .calling_station_len = 17,
		.called_station = "02-aa-bb-cc-dd-ee:GuestNoPsk", .called_station_len = 28,
	};
	sqlite3_stmt *st;
	size_t len;
	const char *passphrase = fz_field(f, &len);
	int64_t from = FZ_NOW + (int32_t)fz_u32(f);
	int64_t until = from + (int32_t)fz_u32(f);
	int64_t grace = until + (int32_t)fz_u32(f);

	clear_rows();
	if (sqlite3_prepare_v2(admin, "INSERT INTO guest_psk (ssid, passphrase, valid_from, valid_until, grace_until,"
			       " created_at) VALUES ('GuestNoPsk', ?1, ?2, ?3, ?4, 0)", -1, &st, NULL) != SQLITE_OK)
		fz_die("insert", sqlite3_errmsg(admin));
	sqlite3_bind_text(st, 1, passphrase ? passphrase : "", (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, until);
	sqlite3_bind_int64(st, 4, grace);
	(void)sqlite3_step(st);		/* the schema's CHECKs may refuse it */
	sqlite3_finalize(st);
	if (fz_u8(f) & 1) {
		if (sqlite3_prepare_v2(admin, "INSERT INTO guest_policy (ssid, period, grace, warn) VALUES"
				       " ('GuestNoPsk', ?1, ?2, ?3)", -1, &st, NULL) != SQLITE_OK)
			fz_die("insert", sqlite3_errmsg(admin));
		sqlite3_bind_text(st, 1, fz_cstr(f), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, (int32_t)fz_u32(f));
		sqlite3_bind_int64(st, 3, (int32_t)fz_u32(f));
		(void)sqlite3_step(st);
		sqlite3_finalize(st);
	}
	check(&in, wanted_ssid);
	/* Each input stands alone: a passphrase left behind would make a later
	 * request on this SSID an Accept that depends on an earlier input. */
	clear_rows();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	reg = fz_registry();
	if (sqlite3_open_v2(fz_db, &admin, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) fz_die("admin", fz_db);
	sqlite3_busy_timeout(admin, 1000);
	/* Scratch rows: no need to reach the disk (the reader still sees each commit). */
	if (sqlite3_exec(admin, "PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK)
		fz_die("admin", sqlite3_errmsg(admin));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_t f;

	fz_init(&f, data, size);
	if (fz_u8(&f) & 1) rows(&f);
	else request(&f);
	fz_free(&f);
	return 0;
}
