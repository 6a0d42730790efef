/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_enroll_broker.c - the enrollment service's side of the broker
 * protocol (enroll/broker_client.c): the strict parse of answers, and the
 * socket call against a broker played by a thread (an answer, one that
 * never comes, one that never ends, one that is too big).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "broker_client.h"

#define CA_B64 "MIIBAA=="	/* four bytes: the parser does not read certificates */

static const char open_ok[] =
	"OK\nmember alice\norg Example Coworking\nserver_name radius.example.org\nssid Cowork Members\n"
	"ssid Second\nca " CA_B64 "\nexpires 2000000000\ndevices_left 3\n"
	"device 1a2b active 2000000000 1700000000 apple\ndevice ff uncollected 2000000000 0 -\n"
	"guest Cowork Guest Lounge k7m2-x9qh-fd3w-z8cp 1900000000\nfuture_field whatever it is\nEND\n";

static int parse(const char *text, bool collect, broker_answer_t *a)
{
	cw_err_t e;
	int rc = broker_answer_parse(text, strlen(text), collect, a, &e);

	return rc;
}

static void answer__open_ok_is_read_whole(void **state)
{
	broker_answer_t a;

	(void)state;
	assert_int_equal(parse(open_ok, false, &a), 0);
	assert_int_equal(a.status, BROKER_OK);
	assert_string_equal(a.member, "alice");
	assert_string_equal(a.org, "Example Coworking");
	assert_string_equal(a.server_name, "radius.example.org");
	assert_int_equal(a.nssids, 2);
	assert_string_equal(a.ssids[0], "Cowork Members");
	assert_int_equal(a.ca_der_len, 4);
	assert_memory_equal(a.ca_der, "\x30\x82\x01\x00", 4);
	assert_int_equal(a.expires, 2000000000);
	assert_int_equal(a.devices_left, 3);
	assert_int_equal(a.ndevices, 2);
	assert_string_equal(a.devices[0].serial, "1a2b");
	assert_string_equal(a.devices[0].state, "active");
	assert_int_equal(a.devices[0].last_seen, 1700000000);
	assert_string_equal(a.devices[1].platform, "-");
	assert_int_equal(a.nguests, 1);
	assert_string_equal(a.guests[0].ssid, "Cowork Guest Lounge");	/* an SSID may hold spaces */
	assert_string_equal(a.guests[0].passphrase, "k7m2-x9qh-fd3w-z8cp");
	assert_int_equal(a.guests[0].valid_until, 1900000000);
	assert_false(a.collected);
	broker_answer_free(&a);
}

static void answer__collect_needs_its_fields(void **state)
{
	char text[2048];
	broker_answer_t a;
	const char *base = "OK\nmember alice\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 1\n"
			   "devices_left 0\n";

	(void)state;
	snprintf(text, sizeof(text), "%sinvite 12\nslot 2\nserial 99aa\nsealed AQID\nEND\n", base);
	assert_int_equal(parse(text, true, &a), 0);
	assert_true(a.collected && a.has_invite);
	assert_int_equal(a.invite_id, 12);
	assert_int_equal(a.slot, 2);
	assert_string_equal(a.serial, "99aa");
	assert_int_equal(a.sealed_len, 3);
	broker_answer_free(&a);
	/* The same answer to an OPEN is wrong, and an OPEN answer to a COLLECT too. */
	assert_int_equal(parse(text, false, &a), -1);
	broker_answer_free(&a);
	snprintf(text, sizeof(text), "%sEND\n", base);
	assert_int_equal(parse(text, true, &a), -1);
	broker_answer_free(&a);
	assert_int_equal(parse(text, false, &a), 0);
	broker_answer_free(&a);
}

static void answer__no_and_err(void **state)
{
	broker_answer_t a;

	(void)state;
	assert_int_equal(parse("NO\nEND\n", false, &a), 0);
	assert_int_equal(a.status, BROKER_NO);
	assert_int_equal(parse("ERR malformed request\nEND\n", true, &a), 0);
	assert_int_equal(a.status, BROKER_ERR);
	assert_string_equal(a.message, "malformed request");
	assert_int_equal(parse("ERR\nEND\n", false, &a), 0);
	assert_int_equal(a.status, BROKER_ERR);
}

static void answer__anything_odd_is_an_error(void **state)
{
	static const char *const bad[] = {
		"", "END\n", "NO\n", "NO\nEND", "NO\nmember x\nEND\n", "MAYBE\nEND\n", "OK\nEND\n",
		"NO\r\nEND\r\n", "OK\nEND\nmore\n",
		/* each line below breaks one rule of an otherwise good OPEN answer */
		"OK\nmember Alice!\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 1\ndevices_left 0\nEND\n",
		"OK\nmember a\norg O/x\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 1\ndevices_left 0\nEND\n",
		"OK\nmember a\norg O\nserver_name localhost\nssid S\nca " CA_B64 "\nexpires 1\ndevices_left 0\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nca " CA_B64 "\nexpires 1\ndevices_left 0\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nssid S\nca MIIBA===\nexpires 1\ndevices_left 0\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nssid S\nca MII*AA==\nexpires 1\ndevices_left 0\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires -1\ndevices_left 0\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 1\ndevices_left x\nEND\n",
		"OK\nmember a\nmember b\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 1\ndevices_left 0\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 1\ndevices_left 0\n"
		"device 1a2b active 1 0\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 1\ndevices_left 0\n"
		"device 1A2B active 1 0 apple\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 1\ndevices_left 0\n"
		"device 1a2b lost 1 0 apple\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 1\ndevices_left 0\n"
		"guest G short 1\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 1\ndevices_left 0\n"
		"nokeyvalue\nEND\n",
		"OK\nmember a\norg O\nserver_name r.example.org\nssid S\nca " CA_B64 "\nexpires 99999999999999999999\n"
		"devices_left 0\nEND\n",
	};
	broker_answer_t a;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], false, &a) == 0) fail_msg("answer %zu accepted: %s", i, bad[i]);
		broker_answer_free(&a);
	}
}

/* --- the socket call ------------------------------------------------------ */

typedef enum { S_ANSWER, S_SILENT, S_ENDLESS, S_HUGE } smode_t;

static struct server {
	char		path[108];
	int		fd;
	smode_t		mode;
	char		got[2048];
	pthread_t	thread;
} srv;

static void *serve(void *arg)
{
	int c = accept(srv.fd, NULL, NULL);
	size_t n = 0;
	char chunk[4096];

	(void)arg;
	if (c < 0) return NULL;
	while (n < sizeof(srv.got) - 1) {
		ssize_t r = read(c, srv.got + n, 1);

		if (r <= 0) break;
		if (srv.got[n++] == '\n') break;
	}
	srv.got[n] = '\0';
	memset(chunk, 'x', sizeof(chunk));
	switch (srv.mode) {
	case S_ANSWER:
		(void)!write(c, open_ok, strlen(open_ok));
		break;
	case S_SILENT:
		usleep(600 * 1000);
		break;
	case S_ENDLESS:
		(void)!write(c, "OK\nmember a\n", 12);
		usleep(600 * 1000);
		break;
	case S_HUGE:
		for (size_t sent = 0; sent <= BROKER_ANSWER_MAX; sent += sizeof(chunk))
			if (write(c, chunk, sizeof(chunk)) < 0) break;
		break;
	}
	close(c);
	return NULL;
}

static int server_setup(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	(void)state;
	snprintf(srv.path, sizeof(srv.path), "/tmp/cowork-broker-test.%d", (int)getpid());
	unlink(srv.path);
	memcpy(sa.sun_path, srv.path, strlen(srv.path) + 1);
	srv.fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(srv.fd >= 0);
	assert_int_equal(bind(srv.fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(srv.fd, 4), 0);
	return 0;
}

static int server_teardown(void **state)
{
	(void)state;
	close(srv.fd);
	unlink(srv.path);
	return 0;
}

static int call(smode_t mode, int timeout_ms, char **answer, size_t *len, cw_err_t *e)
{
	int rc;

	srv.mode = mode;
	assert_int_equal(pthread_create(&srv.thread, NULL, serve, NULL), 0);
	rc = broker_call(srv.path, timeout_ms, "OPEN tok 192.0.2.1", answer, len, e);
	pthread_join(srv.thread, NULL);
	return rc;
}

static void call__sends_one_line_and_reads_to_end(void **state)
{
	char *answer;
	size_t len;
	cw_err_t e;

	(void)state;
	assert_int_equal(call(S_ANSWER, 2000, &answer, &len, &e), 0);
	assert_string_equal(srv.got, "OPEN tok 192.0.2.1\n");
	assert_int_equal(len, strlen(open_ok));
	assert_string_equal(answer, open_ok);
	broker_text_free(answer, len);
}

static void call__gives_up_in_time(void **state)
{
	char *answer;
	size_t len;
	cw_err_t e;

	(void)state;
	assert_int_equal(call(S_SILENT, 200, &answer, &len, &e), -1);
	assert_null(answer);
	assert_non_null(strstr(e.msg, "in time"));
	assert_int_equal(call(S_ENDLESS, 200, &answer, &len, &e), -1);
	assert_non_null(strstr(e.msg, "in time"));
}

static void call__refuses_a_huge_answer(void **state)
{
	char *answer;
	size_t len;
	cw_err_t e;

	(void)state;
	assert_int_equal(call(S_HUGE, 5000, &answer, &len, &e), -1);
	assert_null(answer);
	assert_non_null(strstr(e.msg, "bytes"));
}

static void call__no_broker_and_bad_requests(void **state)
{
	char *answer;
	size_t len;
	cw_err_t e;
	char big[BROKER_REQUEST_MAX + 1];

	(void)state;
	assert_int_equal(broker_call("/nonexistent/broker.sock", 200, "OPEN x y", &answer, &len, &e), -1);
	assert_int_equal(broker_call(srv.path, 200, "OPEN x\nCOLLECT y", &answer, &len, &e), -1);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(broker_call(srv.path, 200, big, &answer, &len, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answer__open_ok_is_read_whole),
		cmocka_unit_test(answer__collect_needs_its_fields),
		cmocka_unit_test(answer__no_and_err),
		cmocka_unit_test(answer__anything_odd_is_an_error),
		cmocka_unit_test_setup_teardown(call__sends_one_line_and_reads_to_end, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(call__gives_up_in_time, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(call__refuses_a_huge_answer, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(call__no_broker_and_bad_requests, server_setup, server_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
