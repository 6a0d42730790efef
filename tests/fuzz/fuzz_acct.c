/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_acct.c - cw_acct_parse and cw_session_class_ours: the
 * Accounting-Requests access points send (status, our Class, session id,
 * User-Name, Calling-Station-Id, NAS-Identifier, NAS-IP-Address, source).
 * An event that parses is whole: every text terminated, printable where
 * the header promises it, the serial canonical, the MAC parsed from the
 * Calling-Station-Id it came with, and its Class exactly the one the key
 * makes for its serial and time (nothing else verifies). With flag 8 the
 * Class is made with the key from a fuzzed serial and time, so that the
 * session checks past the MAC are reached too.
 */
#include <ctype.h>

#include "fuzz.h"
#include "mac.h"
#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void printable(const char *s, const char *what)
{
	for (; *s; s++)
		FZ_CHECK((unsigned char)*s >= 0x20 && *s != 0x7f, "%s holds byte 0x%02x", what, (unsigned char)*s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_t f;
	cw_acct_input_t in;
	cw_acct_event_t ev;
	cw_err_t e;
	cw_mac_t mac;
	uint8_t flags;
	int kind;
	char class_text[CW_CLASS_MAX + 1], made[CW_CLASS_MAX + 1];
	uint8_t key[CW_CLASS_KEY_LEN];
	bool have_made = false;

	fz_init(&f, data, size);
	memset(&in, 0, sizeof(in));
	flags = fz_u8(&f);
	in.has_status = flags & 1;
	in.status = fz_u8(&f) % 12;
	in.class_value = fz_field(&f, &in.class_len);
	in.session_id = fz_field(&f, &in.session_id_len);
	in.user_name = fz_field(&f, &in.user_name_len);
	in.calling_station = fz_field(&f, &in.calling_station_len);
	in.nas_identifier = fz_field(&f, &in.nas_identifier_len);
	in.nas_ip = (flags & 2) ? fz_cstr(&f) : NULL;
	in.source = (flags & 4) ? fz_cstr(&f) : "127.0.0.1";
	in.now_ms = INT64_C(1795305600000);
	memset(key, 0x42, sizeof(key));
	in.class_key = (flags & 16) ? NULL : key;
	if (flags & 8) {
		const char *serial = fz_cstr(&f);
		int64_t issued = fz_i64(&f);

		if (serial && cw_session_class(key, serial, issued, made) == 0) {
			have_made = true;
			in.class_value = made;
			in.class_len = strlen(made);
		}
	}

	if (in.class_value) (void)cw_session_class_ours(in.class_value, in.class_len);
	memset(&ev, 'x', sizeof(ev));
	kind = cw_acct_parse(&in, &ev, &e);
	if (kind < 0 || kind == CW_ACCT_UNVERIFIED) {
		FZ_CHECK(FZ_TERMINATED(e.msg) && e.msg[0], "refusal without a message");
		FZ_CHECK(kind < 0 || (in.class_value && cw_session_class_ours(in.class_value, in.class_len)),
			 "unverified without our Class");
		FZ_CHECK(kind < 0 || !have_made || !in.class_key, "a Class the key made does not verify");
	} else if (kind == CW_ACCT_SESSION || kind == CW_ACCT_NAS_RESET) {
		FZ_CHECK(FZ_TERMINATED(ev.nas_address) && ev.nas_address[0], "no NAS address");
		FZ_CHECK(FZ_TERMINATED(ev.nas) && FZ_TERMINATED(ev.user_name) && FZ_TERMINATED(ev.calling_station),
			 "a text not terminated");
		printable(ev.nas, "NAS-Identifier");
		printable(ev.user_name, "User-Name");
		if (kind == CW_ACCT_SESSION) {
			FZ_CHECK(in.class_value && cw_session_class_ours(in.class_value, in.class_len),
				 "a session without our Class");
			FZ_CHECK(FZ_TERMINATED(ev.acct_session_id) && ev.acct_session_id[0], "no session id");
			printable(ev.acct_session_id, "Acct-Session-Id");
			FZ_CHECK(FZ_TERMINATED(ev.serial) && ev.serial[0], "no serial");
			FZ_CHECK(in.class_key && cw_session_class(key, ev.serial, ev.class_issued, class_text) == 0,
				 "serial %s makes no Class", ev.serial);
			FZ_CHECK(strlen(class_text) == in.class_len && memcmp(class_text, in.class_value, in.class_len) == 0,
				 "a Class that is not the key's verified");
			for (const char *c = ev.serial; *c; c++)
				FZ_CHECK(isdigit((unsigned char)*c) || (*c >= 'a' && *c <= 'f'), "serial \"%s\"", ev.serial);
			if (ev.has_mac) {
				FZ_CHECK(cw_mac_parse(ev.calling_station, strlen(ev.calling_station), &mac) == 0 &&
					 memcmp(&mac, &ev.mac, sizeof(mac)) == 0, "MAC differs from \"%s\"",
					 ev.calling_station);
			}
		}
	}
	fz_free(&f);
	return 0;
}
