/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_nas.c - NAS definitions for Disconnect-Requests in a real registry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "nas.h"

#define SECRET "nas-secret-0123456789"

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));

	if (!f || fixture_setup(f) < 0) return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_teardown(*state);
	free(*state);
	return 0;
}

static int add(fixture_t *f, const char *name, const char *address, unsigned port, const char *secret, cw_err_t *e)
{
	return cw_nas_add(f->admin, name, address, port, secret, strlen(secret), f->now, e);
}

typedef struct {
	cw_nas_t	n[4];
	size_t		count;
} listing_t;

static int collect(void *arg, const cw_nas_t *nas)
{
	listing_t *l = arg;

	if (l->count < 4) l->n[l->count++] = *nas;
	return 0;
}

static void add_list_find_remove(void **state)
{
	fixture_t *f = *state;
	listing_t l = { .count = 0 };
	cw_nas_t n;
	cw_err_t e;

	assert_int_equal(add(f, "ap-lobby", "192.0.2.10", 3799, SECRET, &e), 0);
	assert_int_equal(add(f, "ap-floor2", "2001:DB8:0::20", 1700, SECRET "x", &e), 0);
	assert_int_equal(cw_nas_list(f->admin, collect, &l, &e), 0);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.n[0].name, "ap-floor2");
	assert_string_equal(l.n[0].address, "2001:db8::20");	/* canonical, as the module records it */
	assert_int_equal(l.n[0].coa_port, 1700);
	assert_int_equal(l.n[0].secret_len, 0);			/* a listing never carries the secret */
	assert_string_equal(l.n[0].secret, "");
	assert_int_equal(cw_nas_find(f->admin, "192.0.2.10", &n, &e), 1);
	assert_string_equal(n.name, "ap-lobby");
	assert_int_equal(n.secret_len, strlen(SECRET));
	assert_memory_equal(n.secret, SECRET, n.secret_len);
	assert_int_equal(cw_nas_find(f->admin, "192.0.2.99", &n, &e), 0);
	assert_int_equal(cw_nas_remove(f->admin, "ap-lobby", &e), 0);
	assert_int_equal(cw_nas_find(f->admin, "192.0.2.10", &n, &e), 0);
	assert_int_equal(cw_nas_remove(f->admin, "ap-lobby", &e), -1);
	assert_non_null(strstr(e.msg, "unknown NAS ap-lobby"));
}

static void duplicate_name_or_address__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e;

	assert_int_equal(add(f, "ap-lobby", "192.0.2.10", 3799, SECRET, &e), 0);
	assert_int_equal(add(f, "ap-lobby", "192.0.2.11", 3799, SECRET, &e), -1);
	assert_non_null(strstr(e.msg, "already has that name"));
	assert_int_equal(add(f, "ap-other", "192.0.2.10", 3799, SECRET, &e), -1);
	assert_non_null(strstr(e.msg, "already has that address"));
	assert_non_null(strstr(e.msg, "ap-lobby"));
}

static void bad_definitions__are_refused_and_never_quote_the_secret(void **state)
{
	fixture_t *f = *state;
	listing_t l = { .count = 0 };
	cw_err_t e;

	assert_int_equal(add(f, "AP Lobby", "192.0.2.10", 3799, SECRET, &e), -1);
	assert_int_equal(add(f, "ap", "192.0.2.300", 3799, SECRET, &e), -1);
	assert_non_null(strstr(e.msg, "not an IPv4 or IPv6 address"));
	assert_int_equal(add(f, "ap", "ap.example.com", 3799, SECRET, &e), -1);
	assert_int_equal(add(f, "ap", "192.0.2.10", 0, SECRET, &e), -1);
	assert_int_equal(add(f, "ap", "192.0.2.10", 65536, SECRET, &e), -1);
	assert_int_equal(add(f, "ap", "192.0.2.10", 3799, "short-secret", &e), -1);
	assert_non_null(strstr(e.msg, "12 bytes"));
	assert_null(strstr(e.msg, "short-secret"));
	assert_int_equal(add(f, "ap", "192.0.2.10", 3799, "", &e), -1);
	assert_int_equal(add(f, "ap", "192.0.2.10", 3799, SECRET "\n", &e), -1);
	assert_non_null(strstr(e.msg, "not printable"));
	assert_int_equal(add(f, "ap", "192.0.2.10", 3799, " " SECRET, &e), -1);
	assert_non_null(strstr(e.msg, "blank"));
	{
		char big[CW_DAE_SECRET_MAX + 2];

		memset(big, 'k', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		assert_int_equal(add(f, "ap", "192.0.2.10", 3799, big, &e), -1);
		big[CW_DAE_SECRET_MAX] = '\0';
		assert_int_equal(add(f, "ap", "192.0.2.10", 3799, big, &e), 0);
	}
	assert_int_equal(cw_nas_list(f->admin, collect, &l, &e), 0);
	assert_int_equal(l.count, 1);	/* only the last, valid one */
}

static void secret_with_nul__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e;

	assert_int_equal(cw_nas_add(f->admin, "ap", "192.0.2.10", 3799, SECRET "\0tail", strlen(SECRET) + 5, f->now, &e),
			 -1);
}

#define SERIAL_A "4a1f00000000000000000000000000aa"
#define SERIAL_B "4a1f00000000000000000000000000bb"

static void radsec_nas__is_listed_with_its_certificate(void **state)
{
	fixture_t *f = *state;
	listing_t l = { .count = 0 };
	cw_err_t e;

	assert_int_equal(cw_nas_add_radsec(f->admin, "ap-osaka", "203.0.113.7", 3799, SECRET, strlen(SECRET), f->now,
					   NULL, SERIAL_A, f->now + 86400, &e), 0);
	assert_int_equal(add(f, "ap-lobby", "192.0.2.10", 3799, SECRET, &e), 0);
	assert_int_equal(cw_nas_list(f->admin, collect, &l, &e), 0);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.n[0].name, "ap-lobby");
	assert_string_equal(l.n[0].radsec_serial, "");
	assert_int_equal(l.n[0].radsec_not_after, 0);
	assert_string_equal(l.n[1].radsec_serial, SERIAL_A);
	assert_int_equal(l.n[1].radsec_not_after, f->now + 86400);
}

static void radsec_nas__without_serial_or_with_past_end__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e;

	assert_int_equal(cw_nas_add_radsec(f->admin, "ap-x", "203.0.113.8", 3799, SECRET, strlen(SECRET), f->now, NULL,
					   "", f->now + 86400, &e), -1);
	assert_int_equal(cw_nas_add_radsec(f->admin, "ap-x", "203.0.113.8", 3799, SECRET, strlen(SECRET), f->now, NULL,
					   SERIAL_A, f->now, &e), -1);
}

static void remove_at__revokes_only_radsec_certificates_and_crl_lists_them(void **state)
{
	fixture_t *f = *state;
	cw_crl_content_t c;
	bool had = true;
	cw_err_t e;

	assert_int_equal(cw_nas_add_radsec(f->admin, "ap-a", "203.0.113.7", 3799, SECRET, strlen(SECRET), f->now, NULL,
					   SERIAL_B, f->now + 10 * 86400, &e), 0);
	assert_int_equal(cw_nas_add_radsec(f->admin, "ap-b", "203.0.113.8", 3799, SECRET, strlen(SECRET), f->now, NULL,
					   SERIAL_A, f->now + 86400, &e), 0);
	assert_int_equal(add(f, "ap-plain", "192.0.2.10", 3799, SECRET, &e), 0);

	assert_int_equal(cw_nas_crl_prepare(f->admin, f->now, &c, &e), 0);
	assert_int_equal(c.number, 1);
	assert_int_equal(c.n, 0);
	assert_int_equal(c.next_update, f->now + (int64_t)CW_NAS_CRL_DAYS * 86400);
	cw_crl_content_free(&c);

	assert_int_equal(cw_nas_remove_at(f->admin, "ap-plain", f->now + 5, &had, &e), 0);
	assert_false(had);
	assert_int_equal(cw_nas_remove_at(f->admin, "ap-a", f->now + 10, &had, &e), 0);
	assert_true(had);
	assert_int_equal(cw_nas_remove_at(f->admin, "ap-b", f->now + 20, &had, &e), 0);
	assert_true(had);
	assert_int_equal(cw_nas_remove_at(f->admin, "ap-b", f->now + 30, &had, &e), -1);
	assert_false(had);

	assert_int_equal(cw_nas_crl_prepare(f->admin, f->now + 100, &c, &e), 0);
	assert_int_equal(c.number, 2);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.entries[0].serial, SERIAL_A);	/* serial order */
	assert_int_equal(c.entries[0].revoked_at, f->now + 20);
	assert_int_equal(c.entries[0].reason, CW_CRL_REASON_CESSATION);
	assert_string_equal(c.entries[1].serial, SERIAL_B);
	cw_crl_content_free(&c);

	/* Once a certificate has expired it leaves the CRL: it cannot connect anyway. */
	assert_int_equal(cw_nas_crl_prepare(f->admin, f->now + 2 * 86400, &c, &e), 0);
	assert_int_equal(c.number, 3);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.entries[0].serial, SERIAL_B);
	cw_crl_content_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(add_list_find_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_name_or_address__is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_definitions__are_refused_and_never_quote_the_secret, setup,
						teardown),
		cmocka_unit_test_setup_teardown(secret_with_nul__is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(radsec_nas__is_listed_with_its_certificate, setup, teardown),
		cmocka_unit_test_setup_teardown(radsec_nas__without_serial_or_with_past_end__is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(remove_at__revokes_only_radsec_certificates_and_crl_lists_them, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("nas", tests, NULL, NULL);
}
