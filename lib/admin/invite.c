/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * invite.c - invitations in the registry: creating, listing, revoking and
 * sweeping them, their audit, and the enroll-broker's requests.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "admin_internal.h"
#include "invite.h"
#include "site.h"
#include "seal.h"
#include "sqlutil.h"

static const char *const platforms[] = { "apple", "eap", "windows", "linux", NULL };

const char *cw_invite_state_name(cw_invite_state_t s)
{
	switch (s) {
	case CW_INVITE_ACTIVE: return "active";
	case CW_INVITE_ENDED: return "ended";
	case CW_INVITE_REVOKED: return "revoked";
	}
	return "?";
}

const char *cw_enroll_verb_name(cw_enroll_verb_t v)
{
	switch (v) {
	case CW_ENROLL_OPEN: return "OPEN";
	case CW_ENROLL_COLLECT: return "COLLECT";
	case CW_ENROLL_LOST: return "LOST";
	}
	return "?";
}

int cw_enroll_platform_check(const char *platform)
{
	for (size_t i = 0; platforms[i]; i++) {
		if (strcmp(platform, platforms[i]) == 0) return 0;
	}
	return -1;
}

/* One audit row, in the caller's transaction; NULL texts are stored as NULL. 0, or -1. */
static int event_add(cw_registry_t *reg, int64_t now, int64_t invite_id, const char *event, const char *reason,
		     const char *serial, const char *platform, const char *client, cw_err_t *err)
{
	return cw_admin_exec(reg, err, "recording the invitation's event",
			     "INSERT INTO invite_event (at, invite_id, event, reason, serial, platform, client)"
			     " VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7)", "iittttt", now, invite_id, event, reason,
			     serial, platform, client) < 0 ? -1 : 0;
}

/* --- creating ---------------------------------------------------------------- */

struct create {
	const cw_invite_new_t	*in;
	int64_t			*id;
};

/* Record slot `slot`: its certificate (pending) and its sealed device. 0, CW_ADMIN_DUPLICATE or -1. */
static int insert_slot(cw_registry_t *reg, const cw_invite_new_t *in, int64_t id, unsigned slot, cw_err_t *err)
{
	cw_cert_record_t rec = in->certs[slot - 1];
	uint8_t *sealed = NULL;
	size_t len = 0;
	int rc;

	rec.pending_invite = id;
	rc = cw_admin_cert_insert_in(reg, &rec, err);
	if (rc != 0) return rc;
	if (in->seal(in->seal_arg, id, slot, &sealed, &len, err) < 0) return -1;
	rc = cw_admin_exec(reg, err, "recording the invitation's device",
			   "INSERT INTO invite_slot (invite_id, slot, serial, sealed) VALUES (?1, ?2, ?3, ?4)", "iitb", id,
			   (int64_t)slot, rec.serial, (const void *)sealed, len);
	free(sealed);
	return rc < 0 ? -1 : 0;
}

static int create_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct create *a = arg;
	const cw_invite_new_t *in = a->in;
	cw_member_row_t m;
	int rc = cw_admin_member_get(reg, in->member, in->created_at, &m, err);

	if (rc == 0) cw_err_set(err, "unknown member %s", in->member);
	if (rc <= 0 || cw_admin_member_may_issue(in->member, m.status, err) < 0) return -1;
	if (cw_admin_exec(reg, err, "recording the invitation",
			  "INSERT INTO invite (lookup, member_id, devices, created_at, expires_at)"
			  " VALUES (?1, (SELECT id FROM member WHERE name = ?2), ?3, ?4, ?5)", "ttiii", in->lookup,
			  in->member, (int64_t)in->devices, in->created_at, in->expires_at) < 0) return -1;
	*a->id = sqlite3_last_insert_rowid(cw_registry_db(reg));
	for (unsigned slot = 1; slot <= in->devices; slot++) {
		if ((rc = insert_slot(reg, in, *a->id, slot, err)) != 0) return rc;
	}
	return event_add(reg, in->created_at, *a->id, "created", NULL, NULL, NULL, NULL, err);
}

int cw_invite_create(cw_registry_t *reg, const cw_invite_new_t *in, int64_t *id, cw_err_t *err)
{
	struct create a = { in, id };

	*id = 0;
	if (in->devices < CW_INVITE_DEVICES_MIN || in->devices > CW_INVITE_DEVICES_MAX || !in->certs || !in->seal) {
		cw_err_set(err, "an invitation holds %d to %d devices", CW_INVITE_DEVICES_MIN, CW_INVITE_DEVICES_MAX);
		return -1;
	}
	if (in->expires_at <= in->created_at || !in->lookup || strlen(in->lookup) != CW_TOKEN_LOOKUP_HEX - 1) {
		cw_err_set(err, "an invitation needs a token's lookup hash and an expiry after its creation");
		return -1;
	}
	return cw_admin_in_txn(reg, err, create_txn, &a);
}

/* --- listing, revoking, sweeping ------------------------------------------------ */

static const char sql_invite_rows[] =
	"SELECT i.id, m.name, i.devices,"
	" (SELECT count(*) FROM invite_slot s WHERE s.invite_id = i.id AND s.collected_at IS NOT NULL),"
	" i.created_at, i.expires_at, coalesce(i.revoked_at, 0), coalesce(i.ended_at, 0)"
	" FROM invite i JOIN member m ON m.id = i.member_id";

static void invite_row(sqlite3_stmt *st, int64_t now, cw_invite_row_t *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	(void)cw_sql_column_text(st, 1, r->member, sizeof(r->member));
	r->devices = (unsigned)sqlite3_column_int(st, 2);
	r->collected = (unsigned)sqlite3_column_int(st, 3);
	r->created_at = sqlite3_column_int64(st, 4);
	r->expires_at = sqlite3_column_int64(st, 5);
	r->revoked_at = sqlite3_column_int64(st, 6);
	r->ended_at = sqlite3_column_int64(st, 7);
	if (r->revoked_at) r->state = CW_INVITE_REVOKED;
	else if (r->ended_at || now >= r->expires_at) r->state = CW_INVITE_ENDED;
	else r->state = CW_INVITE_ACTIVE;
}

int cw_invite_list(cw_registry_t *reg, int64_t now, int (*fn)(void *arg, const cw_invite_row_t *row), void *arg,
		   cw_err_t *err)
{
	char sql[sizeof(sql_invite_rows) + 32];
	sqlite3_stmt *st;
	int rc;

	(void)cw_snprintf(sql, sizeof(sql), "%s ORDER BY i.id", sql_invite_rows);
	rc = cw_admin_query(reg, err, &st, "listing invitations", sql, "");
	while (rc == 1) {
		cw_invite_row_t r;

		invite_row(st, now, &r);
		if ((rc = fn(arg, &r)) != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing invitations", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int cw_invite_get(cw_registry_t *reg, int64_t id, int64_t now, cw_invite_row_t *row, cw_err_t *err)
{
	char sql[sizeof(sql_invite_rows) + 32];
	sqlite3_stmt *st;
	int rc;

	(void)cw_snprintf(sql, sizeof(sql), "%s WHERE i.id = ?1", sql_invite_rows);
	rc = cw_admin_query(reg, err, &st, "looking up the invitation", sql, "i", id);
	if (rc == 1) {
		invite_row(st, now, row);
		sqlite3_finalize(st);
	}
	return rc;
}

/*
 * End invitation id at now, in the caller's transaction: revoke its
 * certificates not collected (cessation-of-operation), delete its sealed
 * devices, set ended_at (and revoked_at when revoke), record event. The
 * number of certificates revoked, or -1.
 */
static int invite_end(cw_registry_t *reg, int64_t id, int64_t now, const char *event, bool revoke, cw_err_t *err)
{
	int certs, ended;

	certs = cw_admin_exec(reg, err, "revoking the invitation's uncollected certificates",
			      "UPDATE cert SET revoked_at = ?2, revoke_reason = 'cessation-of-operation'"
			      " WHERE pending_invite = ?1 AND revoked_at IS NULL", "ii", id, now);
	if (certs < 0 ||
	    cw_admin_exec(reg, err, "deleting the invitation's sealed devices",
			  "UPDATE invite_slot SET sealed = NULL WHERE invite_id = ?1 AND sealed IS NOT NULL", "i", id) < 0)
		return -1;
	ended = cw_admin_exec(reg, err, "ending the invitation",
			      "UPDATE invite SET ended_at = ?2, revoked_at = CASE WHEN ?3 THEN ?2 END"
			      " WHERE id = ?1 AND ended_at IS NULL", "iii", id, now, (int64_t)revoke);
	if (ended == 0) cw_err_set(err, "invitation %lld has already ended", (long long)id);
	if (ended != 1 || event_add(reg, now, id, event, NULL, NULL, NULL, NULL, err) < 0) return -1;
	return certs;
}

struct revoke {
	int64_t		id;
	int64_t		now;
	cw_invite_row_t	*row;
	unsigned	*certs;
};

static int revoke_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct revoke *a = arg;
	int rc = cw_invite_get(reg, a->id, a->now, a->row, err), n;

	if (rc == 0) cw_err_set(err, "unknown invitation %lld (see `coworkctl invite list`)", (long long)a->id);
	if (rc <= 0) return -1;
	if (a->row->revoked_at || a->row->ended_at) return 1;
	if ((n = invite_end(reg, a->id, a->now, "revoked", true, err)) < 0) return -1;
	*a->certs = (unsigned)n;
	return cw_invite_get(reg, a->id, a->now, a->row, err) == 1 ? 0 : -1;
}

int cw_invite_revoke(cw_registry_t *reg, int64_t id, int64_t now, cw_invite_row_t *row, unsigned *certs,
		     cw_err_t *err)
{
	cw_invite_row_t local;
	struct revoke a = { id, now, row ? row : &local, certs };

	*certs = 0;
	return cw_admin_in_txn(reg, err, revoke_txn, &a);
}

struct sweep {
	int64_t		now;
	unsigned	*ended;
	unsigned	*certs;
};

/* An invitation to end: its id and whether it expired (else its member was removed). */
typedef struct due {
	int64_t	id;
	bool	expired;
} due_t;

/* Make room for one more element of size `size` in *arr (holding n). The new element, zeroed, or NULL. */
static void *append(void *arr, size_t n, size_t size, cw_err_t *err)
{
	char *more = realloc(*(void **)arr, (n + 1) * size);

	if (!more) {
		cw_err_set(err, "out of memory");
		return NULL;
	}
	*(void **)arr = more;
	memset(more + n * size, 0, size);
	return more + n * size;
}

/* The invitations a sweep ends, into a malloc'd array (*n of them). 0, or -1. */
static int sweep_due(cw_registry_t *reg, int64_t now, due_t **out, size_t *n, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "finding invitations to end",
				"SELECT i.id, i.expires_at <= ?1 FROM invite i JOIN member m ON m.id = i.member_id"
				" WHERE i.ended_at IS NULL AND (i.expires_at <= ?1 OR m.status = 'removed') ORDER BY i.id",
				"i", now);

	*out = NULL;
	*n = 0;
	while (rc == 1) {
		due_t *d = append(out, *n, sizeof(**out), err);

		if (!d) {
			rc = -1;
			break;
		}
		d->id = sqlite3_column_int64(st, 0);
		d->expired = sqlite3_column_int(st, 1) != 0;
		(*n)++;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "finding invitations to end", err);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int sweep_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct sweep *a = arg;
	due_t *due;
	size_t n;
	int rc = 0;

	if (sweep_due(reg, a->now, &due, &n, err) < 0) return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int certs = invite_end(reg, due[i].id, a->now, due[i].expired ? "expired" : "ended", false, err);

		if (certs < 0) rc = -1;
		else *a->certs += (unsigned)certs;
	}
	*a->ended = (unsigned)n;
	free(due);
	return rc;
}

int cw_invite_sweep(cw_registry_t *reg, int64_t now, unsigned *ended, unsigned *certs, cw_err_t *err)
{
	struct sweep a = { now, ended, certs };
	int rc;

	*ended = *certs = 0;
	rc = cw_admin_in_txn(reg, err, sweep_txn, &a);
	if (rc < 0) *ended = *certs = 0;
	return rc;
}

/* --- audit -------------------------------------------------------------------- */

int cw_invite_events(cw_registry_t *reg, int64_t invite_id, int (*fn)(void *arg, const cw_invite_event_t *ev),
		     void *arg, cw_err_t *err)
{
	static const char doing[] = "listing the invitations' events";
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, doing,
				"SELECT e.at, coalesce(e.invite_id, 0), m.name, e.event, e.reason, e.serial, e.platform,"
				" e.client FROM invite_event e LEFT JOIN invite i ON i.id = e.invite_id"
				" LEFT JOIN member m ON m.id = i.member_id WHERE ?1 = 0 OR e.invite_id = ?1 ORDER BY e.id",
				"i", invite_id);

	while (rc == 1) {
		cw_invite_event_t ev;

		ev.at = sqlite3_column_int64(st, 0);
		ev.invite_id = sqlite3_column_int64(st, 1);
		(void)cw_sql_column_text(st, 2, ev.member, sizeof(ev.member));
		(void)cw_sql_column_text(st, 3, ev.event, sizeof(ev.event));
		(void)cw_sql_column_text(st, 4, ev.reason, sizeof(ev.reason));
		(void)cw_sql_column_text(st, 5, ev.serial, sizeof(ev.serial));
		(void)cw_sql_column_text(st, 6, ev.platform, sizeof(ev.platform));
		(void)cw_sql_column_text(st, 7, ev.client, sizeof(ev.client));
		if ((rc = fn(arg, &ev)) != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, doing, err);
	}
	sqlite3_finalize(st);
	return rc;
}

struct event_one {
	int64_t		now;
	int64_t		invite_id;
	const char	*event;
	const char	*reason;
	const char	*client;
};

static int event_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct event_one *a = arg;

	return event_add(reg, a->now, a->invite_id, a->event, a->reason, NULL, NULL, a->client, err);
}

int cw_invite_event_add(cw_registry_t *reg, int64_t now, int64_t invite_id, const char *event, const char *reason,
			const char *client, cw_err_t *err)
{
	struct event_one a = { now, invite_id, event, reason, client };

	return cw_admin_in_txn(reg, err, event_txn, &a);
}

/* --- the enroll-broker's requests ----------------------------------------------- */

/* An invitation found by its lookup hash, with its member's standing. */
typedef struct found {
	int64_t	id;
	int64_t	member_id;
	char	member[CW_ID_MAX + 1];
	char	status[16];
	int64_t	member_from;
	int64_t	member_until;	//!< 0: open-ended
	int64_t	expires_at;
	int64_t	revoked_at;
	int64_t	ended_at;
} found_t;

struct enroll {
	const cw_enroll_req_t	*req;
	int64_t			now;
	cw_enroll_answer_t	*ans;
};

/* 1 found, 0 unknown, -1 error. */
static int find_invite(cw_registry_t *reg, const char *lookup, found_t *f, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "looking up the invitation",
				"SELECT i.id, i.member_id, m.name, m.status, m.valid_from, coalesce(m.valid_until, 0),"
				" i.expires_at, coalesce(i.revoked_at, 0), coalesce(i.ended_at, 0)"
				" FROM invite i JOIN member m ON m.id = i.member_id WHERE i.lookup = ?1", "t", lookup);

	if (rc != 1) return rc;
	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(st, 0);
	f->member_id = sqlite3_column_int64(st, 1);
	(void)cw_sql_column_text(st, 2, f->member, sizeof(f->member));
	(void)cw_sql_column_text(st, 3, f->status, sizeof(f->status));
	f->member_from = sqlite3_column_int64(st, 4);
	f->member_until = sqlite3_column_int64(st, 5);
	f->expires_at = sqlite3_column_int64(st, 6);
	f->revoked_at = sqlite3_column_int64(st, 7);
	f->ended_at = sqlite3_column_int64(st, 8);
	sqlite3_finalize(st);
	return 1;
}

/*
 * Why the invitation cannot be used at now, into *why (NULL: it can).
 * One that expired or whose member was removed is ended now if it was
 * not yet, as a sweep would. 0, or -1.
 */
static int invite_refusal(cw_registry_t *reg, const found_t *f, int64_t now, const char **why, cw_err_t *err)
{
	bool removed = strcmp(f->status, "removed") == 0;

	*why = NULL;
	if (f->revoked_at) {
		*why = "revoked";
	} else if (now >= f->expires_at || removed) {
		*why = removed ? "member-removed" : "expired";
		if (!f->ended_at && invite_end(reg, f->id, now, removed ? "ended" : "expired", false, err) < 0) return -1;
	} else if (f->ended_at) {
		*why = "ended";
	} else if (strcmp(f->status, "active") != 0 || now < f->member_from ||
		   (f->member_until != 0 && now >= f->member_until)) {
		*why = "member-inactive";
	}
	return 0;
}

/* COLLECT: hand out the next device. 1 done, 0 none left, -1 error. */
static int collect(cw_registry_t *reg, const struct enroll *a, const found_t *f, cw_err_t *err)
{
	cw_enroll_answer_t *ans = a->ans;
	sqlite3_stmt *st;
	const void *blob;
	int rc = cw_admin_query(reg, err, &st, "choosing a device",
				"SELECT s.slot, s.serial, s.sealed FROM invite_slot s JOIN cert c ON c.serial = s.serial"
				" WHERE s.invite_id = ?1 AND s.sealed IS NOT NULL AND c.revoked_at IS NULL"
				" ORDER BY s.slot LIMIT 1", "i", f->id);

	if (rc != 1) return rc;
	ans->slot = (unsigned)sqlite3_column_int(st, 0);
	(void)cw_sql_column_text(st, 1, ans->serial, sizeof(ans->serial));
	blob = sqlite3_column_blob(st, 2);
	ans->sealed_len = (size_t)sqlite3_column_bytes(st, 2);
	ans->sealed = blob && ans->sealed_len ? malloc(ans->sealed_len) : NULL;
	if (ans->sealed) memcpy(ans->sealed, blob, ans->sealed_len);
	sqlite3_finalize(st);
	if (!ans->sealed) {
		cw_err_set(err, "reading the sealed device of invitation %lld: out of memory", (long long)f->id);
		return -1;
	}
	if (cw_admin_exec(reg, err, "marking the device collected",
			  "UPDATE invite_slot SET sealed = NULL, collected_at = ?3, platform = ?4"
			  " WHERE invite_id = ?1 AND slot = ?2", "iiit", f->id, (int64_t)ans->slot, a->now,
			  a->req->platform) != 1 ||
	    cw_admin_exec(reg, err, "marking the certificate collected",
			  "UPDATE cert SET pending_invite = NULL WHERE serial = ?1 AND pending_invite = ?2", "ti", ans->serial,
			  f->id) != 1) {
		cw_err_set(err, "collecting device %u of invitation %lld: the registry changed under it", ans->slot,
			   (long long)f->id);
		return -1;
	}
	return event_add(reg, a->now, f->id, "collected", NULL, ans->serial, a->req->platform, a->req->client, err) < 0
		       ? -1 : 1;
}

/* LOST: revoke one of the member's certificates as `cert revoke` does. 1 done, 0 not the member's, -1 error. */
static int lost(cw_registry_t *reg, const struct enroll *a, const found_t *f, cw_err_t *err)
{
	const char *serial = a->req->serial;
	cw_cert_record_t rec;
	char found[CW_SERIAL_HEX_MAX + 1];
	int rc = cw_admin_lookup(reg, err, found, sizeof(found), "looking up the certificate",
				 "SELECT serial FROM cert WHERE serial = ?1 AND member_id = ?2", "ti", serial, f->member_id);

	if (rc != 1) return rc;
	rc = cw_admin_cert_revoke_in(reg, serial, "key-compromise", a->now, &rec, err);
	if (rc < 0) return -1;
	a->ans->lost_newly = rc == 0;
	(void)cw_snprintf(a->ans->serial, sizeof(a->ans->serial), "%s", serial);
	/* Never handed out, now never will be. */
	if (cw_admin_exec(reg, err, "deleting the lost certificate's sealed device",
			  "UPDATE invite_slot SET sealed = NULL WHERE serial = ?1 AND sealed IS NOT NULL", "t", serial) < 0)
		return -1;
	return event_add(reg, a->now, f->id, "lost", NULL, serial, NULL, a->req->client, err) < 0 ? -1 : 1;
}

/* The member SSIDs, by name. 0, or -1. */
static int answer_ssids(cw_registry_t *reg, cw_enroll_answer_t *ans, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "listing member SSIDs",
				"SELECT name FROM ssid WHERE class = 'member' ORDER BY name", "");

	while (rc == 1) {
		char *name = append(&ans->ssids, ans->n_ssids, sizeof(*ans->ssids), err);

		if (!name) {
			rc = -1;
			break;
		}
		(void)cw_sql_column_text(st, 0, name, sizeof(*ans->ssids));
		ans->n_ssids++;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing member SSIDs", err);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The state of a certificate for the page. */
static const char *device_state(int64_t revoked_at, int64_t not_after, int64_t pending, int64_t now)
{
	if (revoked_at) return "revoked";
	if (now > not_after) return "expired";
	if (pending) return "uncollected";
	return "active";
}

/* Every certificate of the member, oldest first. 0, or -1. */
static int answer_devices(cw_registry_t *reg, int64_t member_id, int64_t now, cw_enroll_answer_t *ans, cw_err_t *err)
{
	static const char doing[] = "listing the member's certificates";
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, doing,
				"SELECT c.serial, coalesce(c.revoked_at, 0), c.not_after, coalesce(c.pending_invite, 0), s.platform"
				" FROM cert c LEFT JOIN invite_slot s ON s.serial = c.serial WHERE c.member_id = ?1"
				" ORDER BY c.issued_at, c.serial", "i", member_id);

	while (rc == 1) {
		cw_enroll_device_t *d = append(&ans->devices, ans->n_devices, sizeof(*ans->devices), err);

		if (!d) {
			rc = -1;
			break;
		}
		(void)cw_sql_column_text(st, 0, d->serial, sizeof(d->serial));
		d->not_after = sqlite3_column_int64(st, 2);
		(void)cw_snprintf(d->state, sizeof(d->state), "%s", device_state(sqlite3_column_int64(st, 1), d->not_after,
										    sqlite3_column_int64(st, 3), now));
		(void)cw_sql_column_text(st, 4, d->platform, sizeof(d->platform));
		ans->n_devices++;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, doing, err);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/*
 * The passphrase in force of each guest SSID members may see (psk policy
 * --members-see yes). Once sites are defined, none: a passphrase is then a
 * site's, and the page does not know the member's site (the site-less ones
 * are no longer served). 0, or -1.
 */
static int answer_guests(cw_registry_t *reg, int64_t now, cw_enroll_answer_t *ans, cw_err_t *err)
{
	static const char doing[] = "listing the guest SSIDs members see";
	sqlite3_stmt *st;
	int rc = cw_admin_sites_defined(reg, err);

	if (rc != 0) return rc < 0 ? -1 : 0;
	rc = cw_admin_query(reg, err, &st, doing,
				"SELECT s.name FROM ssid s JOIN guest_policy g ON g.ssid = s.name"
				" WHERE s.class = 'guest' AND g.members_see = 1 ORDER BY s.name", "");

	while (rc == 1) {
		cw_psk_row_t rows[CW_PSK_SERVED_MAX];
		int64_t warn, last;
		size_t n = 0;
		char ssid[CW_SSID_MAX + 1];
		cw_enroll_guest_t *g;

		(void)cw_sql_column_text(st, 0, ssid, sizeof(ssid));
		if (cw_registry_guest_psks(reg, ssid, now, rows, &n, &warn, &last, err) < 0) {
			rc = -1;
			break;
		}
		g = n ? append(&ans->guests, ans->n_guests, sizeof(*ans->guests), err) : NULL;
		if (g) {
			memcpy(g->ssid, ssid, sizeof(g->ssid));
			memcpy(g->passphrase, rows[0].passphrase, sizeof(g->passphrase));
			g->valid_until = rows[0].valid_until;
			ans->n_guests++;
		}
		cw_wipe(rows, sizeof(rows));
		if (n && !g) {
			rc = -1;
			break;
		}
		rc = cw_registry_step_row(reg, st, SQLITE_OK, doing, err);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* A setting the answer needs (made by `coworkctl init`). 0, or -1. */
static int answer_setting(cw_registry_t *reg, const char *key, char *buf, size_t len, cw_err_t *err)
{
	int rc = cw_registry_setting_get(reg, key, buf, len, err);

	if (rc == 0) cw_err_set(err, "the registry has no %s setting (made by `coworkctl init`)", key);
	return rc == 1 ? 0 : -1;
}

/* What an accepted request answers, read in its transaction after its change. 0, or -1. */
static int answer_fill(cw_registry_t *reg, const struct enroll *a, const found_t *f, cw_err_t *err)
{
	cw_enroll_answer_t *ans = a->ans;
	sqlite3_stmt *st;
	int rc;

	ans->invite_id = f->id;
	memcpy(ans->member, f->member, sizeof(ans->member));
	ans->expires_at = f->expires_at;
	if (answer_setting(reg, "org", ans->org, sizeof(ans->org), err) < 0 ||
	    answer_setting(reg, "server_name", ans->server_name, sizeof(ans->server_name), err) < 0) return -1;
	rc = cw_admin_query(reg, err, &st, "counting the devices left",
			    "SELECT count(*) FROM invite_slot s JOIN cert c ON c.serial = s.serial"
			    " WHERE s.invite_id = ?1 AND s.sealed IS NOT NULL AND c.revoked_at IS NULL", "i", f->id);
	if (rc != 1) return -1;
	ans->devices_left = (unsigned)sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (answer_ssids(reg, ans, err) < 0 || answer_devices(reg, f->member_id, a->now, ans, err) < 0) return -1;
	return answer_guests(reg, a->now, ans, err);
}

static int enroll_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct enroll *a = arg;
	const cw_enroll_req_t *req = a->req;
	const char *why = "malformed-token";
	found_t f;
	int rc = 0;

	if (req->lookup) {
		rc = find_invite(reg, req->lookup, &f, err);
		if (rc < 0) return -1;
		why = "unknown";
	}
	if (rc == 1) {
		a->ans->invite_id = f.id;
		if (invite_refusal(reg, &f, a->now, &why, err) < 0) return -1;
	}
	if (rc == 1 && !why) {
		if (req->verb == CW_ENROLL_COLLECT) rc = collect(reg, a, &f, err);
		else if (req->verb == CW_ENROLL_LOST) rc = lost(reg, a, &f, err);
		else rc = event_add(reg, a->now, f.id, "opened", NULL, NULL, NULL, req->client, err) < 0 ? -1 : 1;
		if (rc < 0) return -1;
		if (rc == 0) why = req->verb == CW_ENROLL_COLLECT ? "exhausted" : "not-members-serial";
	}
	if (!why) return answer_fill(reg, a, &f, err) < 0 ? -1 : 1;
	(void)cw_snprintf(a->ans->reason, sizeof(a->ans->reason), "%s", why);
	return event_add(reg, a->now, a->ans->invite_id, "refused", why, req->serial, req->platform, req->client, err);
}

int cw_enroll_answer(cw_registry_t *reg, const cw_enroll_req_t *req, int64_t now, cw_enroll_answer_t *ans,
		     cw_err_t *err)
{
	struct enroll a = { req, now, ans };

	memset(ans, 0, sizeof(*ans));
	return cw_admin_in_txn(reg, err, enroll_txn, &a);
}

void cw_enroll_answer_free(cw_enroll_answer_t *ans)
{
	if (ans->guests) cw_wipe(ans->guests, ans->n_guests * sizeof(*ans->guests));
	free(ans->guests);
	free(ans->ssids);
	free(ans->devices);
	if (ans->sealed) cw_wipe(ans->sealed, ans->sealed_len);
	free(ans->sealed);
	memset(ans, 0, sizeof(*ans));
}
