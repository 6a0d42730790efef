/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fixture.h - a real registry in a temporary directory, filled through the
 * admin API the way coworkctl fills it, for the unit tests.
 *
 * Plan: staff 10,20; members 100-189; shared 190; guest 300.
 * SSIDs: CoworkMembers (member), CoworkGuest (guest), Staff (staff).
 * Tenant acme (VLAN 100). Members: alice (acme), bob (no tenant).
 * Certificates: FX_ALICE (alice), FX_BOB (bob), valid from now - 1 h
 * for 30 days, subject "/O=Test/CN=<member>", issuer FX_ISSUER.
 */
#ifndef COWORK_TEST_FIXTURE_H
#define COWORK_TEST_FIXTURE_H

#include <stdint.h>

#include "accesslog.h"
#include "member.h"
#include "registry.h"
#include "registry_admin.h"

#define FX_ISSUER	"/O=Test/CN=Test Member CA"
#define FX_ALICE	"a11ce0000000000000000000000000a1"
#define FX_BOB		"b0b0000000000000000000000000b0b"
#define FX_STATION	"02-00-00-00-00-01:CoworkMembers"

typedef struct fixture {
	char		dir[64];	//!< temporary directory
	char		path[96];	//!< dir/registry.db
	char		log_path[112];	//!< dir/log/accesslog.db (and dir/device.key)
	cw_registry_t	*admin;		//!< read-write connection
	int64_t		now;		//!< time the fixture was made
	int64_t		not_after;	//!< notAfter of both certificates
} fixture_t;

/* Make the registry; 0 or -1 (the message goes to stderr). */
int fixture_setup(fixture_t *f);

/*
 * Make certificate serial wait to be collected from a new invitation of its
 * member, as `coworkctl invite create` leaves it (an invite row and
 * cert.pending_invite). The invitation's id, or -1 (message in e).
 */
int64_t fixture_make_pending(fixture_t *f, const char *serial, cw_err_t *e);

/* Close and delete everything in dir (the registry and any file a test left there); accepts a half-made fixture. */
void fixture_teardown(fixture_t *f);

/*
 * Fill *in as FreeRADIUS presents the certificate with this serial:
 * subject and issuer as registered, expiration text of not_after.
 * exp_buf (16 bytes) holds the expiration text.
 */
void fixture_input(const fixture_t *f, cw_member_input_t *in, const char *serial, const char *member,
		   const char *station, char *subject_buf, size_t subject_len, char exp_buf[16]);

#endif
