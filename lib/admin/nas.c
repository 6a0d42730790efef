/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nas.c - NAS definitions for Disconnect-Requests.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "admin_internal.h"
#include "names.h"
#include "nas.h"
#include "site.h"
#include "registry_write.h"
#include "sqlutil.h"

int cw_nas_address(const char *in, char out[CW_NAS_ADDRESS_MAX + 1], cw_err_t *err)
{
	char esc[CW_LOG_ESCAPED_MAX];

	if (cw_ip_canonical(in, 0, out) == 0) return 0;
	cw_log_escape(in, strlen(in), esc, sizeof(esc));
	cw_err_set(err, "\"%s\" is not an IPv4 or IPv6 address", esc);
	return -1;
}

int cw_nas_secret_check(const char *secret, size_t len, cw_err_t *err)
{
	if (len < CW_DAE_SECRET_MIN || len > CW_DAE_SECRET_MAX) {
		cw_err_set(err, "the secret has %zu bytes: it must have %d to %d (a short secret can be guessed"
			   " offline from one captured request)", len, CW_DAE_SECRET_MIN, CW_DAE_SECRET_MAX);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)secret[i] < 0x20 || (unsigned char)secret[i] > 0x7e) {
			cw_err_set(err, "the secret holds a byte that is not printable ASCII (at position %zu)", i + 1);
			return -1;
		}
	}
	if (secret[0] == ' ' || secret[len - 1] == ' ') {
		cw_err_set(err, "the secret begins or ends with a blank (a copy-and-paste mistake?)");
		return -1;
	}
	return 0;
}

/* Which NAS already has this name or address: 1 (message in err), 0 none, -1 error. */
static int taken(cw_registry_t *reg, const char *name, const char *address, cw_err_t *err)
{
	static const char doing[] = "looking up NAS definitions";
	sqlite3_stmt *st;
	int rc;

	if (cw_registry_prepare(reg, "SELECT name, address FROM nas WHERE name = ?1 OR address = ?2 LIMIT 1", &st,
				doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, name, SQLITE_OK);
	rc = cw_registry_step_row(reg, st, cw_sql_bind_text(st, 2, address, rc), doing, err);
	if (rc == 1) {
		cw_err_set(err, "NAS %s (%s) already has that %s: remove it first (coworkctl nas remove %s)",
			   sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
			   strcmp((const char *)sqlite3_column_text(st, 0), name) == 0 ? "name" : "address",
			   sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return rc;
}

/* A NAS row to insert; radsec_serial NULL: no RadSec certificate. */
struct nas_row {
	const char	*name;
	const char	*address;	//!< canonical
	unsigned	port;
	const char	*secret;
	size_t		secret_len;
	int64_t		now;
	const char	*site;
	const char	*radsec_serial;
	int64_t		radsec_not_after;
};

static int insert(cw_registry_t *reg, const struct nas_row *r, cw_err_t *err)
{
	static const char doing[] = "adding the NAS";
	sqlite3_stmt *st;
	int rc;

	if (r->site && cw_admin_site_check(reg, r->site, err) < 0) return -1;
	if (cw_registry_prepare(reg, "INSERT INTO nas (name, address, coa_port, secret, created_at, site, radsec_serial,"
				" radsec_not_after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, r->name, SQLITE_OK);
	rc = cw_sql_bind_text(st, 2, r->address, rc);
	rc = cw_sql_bind_int64(st, 3, r->port, rc);
	rc = cw_sql_bind_text_len(st, 4, r->secret, r->secret_len, rc);
	rc = cw_sql_bind_int64(st, 5, r->now, rc);
	rc = cw_sql_bind_text(st, 6, r->site, rc);
	rc = cw_sql_bind_text(st, 7, r->radsec_serial, rc);
	if (r->radsec_serial) rc = cw_sql_bind_int64(st, 8, r->radsec_not_after, rc);
	return cw_registry_step_done(reg, st, rc, doing, err) < 0 ? -1 : 0;
}

int cw_nas_add(cw_registry_t *reg, const char *name, const char *address, unsigned coa_port, const char *secret,
	       size_t secret_len, int64_t now, cw_err_t *err)
{
	return cw_nas_add_at(reg, name, address, coa_port, secret, secret_len, now, NULL, err);
}

/* Check and insert r (its address as given), in a transaction of its own. 0, or -1 with err. */
static int add_row(cw_registry_t *reg, struct nas_row *r, cw_err_t *err)
{
	char canon[CW_NAS_ADDRESS_MAX + 1];
	int rc;

	if (cw_name_check_id(r->name, "NAS name", err) < 0 || cw_nas_address(r->address, canon, err) < 0 ||
	    cw_nas_secret_check(r->secret, r->secret_len, err) < 0) return -1;
	if (r->port < 1 || r->port > 65535) {
		cw_err_set(err, "CoA port %u is not 1 to 65535", r->port);
		return -1;
	}
	r->address = canon;
	if (cw_registry_begin(reg, err) < 0) return -1;
	rc = taken(reg, r->name, canon, err);
	if (rc == 0) rc = insert(reg, r, err);
	if (rc != 0) {
		cw_registry_rollback(reg);
		return -1;
	}
	return cw_registry_commit(reg, err);
}

int cw_nas_add_at(cw_registry_t *reg, const char *name, const char *address, unsigned coa_port, const char *secret,
		  size_t secret_len, int64_t now, const char *site, cw_err_t *err)
{
	struct nas_row r = { name, address, coa_port, secret, secret_len, now, site, NULL, 0 };

	return add_row(reg, &r, err);
}

int cw_nas_add_radsec(cw_registry_t *reg, const char *name, const char *address, unsigned coa_port, const char *secret,
		      size_t secret_len, int64_t now, const char *site, const char *radsec_serial,
		      int64_t radsec_not_after, cw_err_t *err)
{
	struct nas_row r = { name, address, coa_port, secret, secret_len, now, site, radsec_serial, radsec_not_after };

	if (!radsec_serial || !radsec_serial[0] || radsec_not_after <= now) {
		cw_err_set(err, "a RadSec certificate needs a serial and a notAfter in the future");
		return -1;
	}
	return add_row(reg, &r, err);
}

/* Delete the row of name, inside the caller's transaction. 0, or -1 with err. */
static int delete_row(cw_registry_t *reg, const char *name, cw_err_t *err)
{
	static const char doing[] = "removing the NAS";
	sqlite3_stmt *st;
	int n;

	if (cw_registry_prepare(reg, "DELETE FROM nas WHERE name = ?1", &st, doing, err) < 0) return -1;
	n = cw_registry_step_done(reg, st, cw_sql_bind_text(st, 1, name, SQLITE_OK), doing, err);
	if (n < 0) return -1;
	if (n != 1) {
		cw_err_set(err, "unknown NAS %s (see coworkctl nas list)", name);
		return -1;
	}
	return 0;
}

struct remove_args {
	const char	*name;
	int64_t		now;
	bool		had_radsec;
};

/* Revoke the NAS's RadSec certificate (if any), then delete its row. */
static int remove_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct remove_args *a = arg;
	int n;

	n = cw_admin_exec(reg, err, "revoking the NAS's RadSec certificate",
			  "INSERT INTO nas_cert_revoked (serial, nas, revoked_at, not_after)"
			  " SELECT radsec_serial, name, ?2, radsec_not_after FROM nas"
			  " WHERE name = ?1 AND radsec_serial IS NOT NULL", "ti", a->name, a->now);
	if (n < 0) return -1;
	a->had_radsec = n > 0;
	return delete_row(reg, a->name, err);
}

int cw_nas_remove_at(cw_registry_t *reg, const char *name, int64_t now, bool *had_radsec, cw_err_t *err)
{
	struct remove_args a = { name, now, false };
	int rc = cw_admin_in_txn(reg, err, remove_txn, &a);

	if (had_radsec) *had_radsec = rc == 0 && a.had_radsec;
	return rc;
}

int cw_nas_remove(cw_registry_t *reg, const char *name, cw_err_t *err)
{
	return cw_nas_remove_at(reg, name, (int64_t)time(NULL), NULL, err);
}

/* The last NAS CRL number + 1, stored back (inside the caller's transaction). 0, or -1. */
static int nas_crl_number_next(cw_registry_t *reg, uint64_t *number, cw_err_t *err)
{
	char buf[32], *end;
	unsigned long long last = 0;
	int rc = cw_registry_setting_get(reg, "nas_crl_number", buf, sizeof(buf), err);

	if (rc < 0) return -1;
	if (rc == 1) {
		errno = 0;
		last = strtoull(buf, &end, 10);
		if (buf[0] < '0' || buf[0] > '9' || *end != '\0' || errno != 0 || last >= INT64_MAX) {
			cw_err_set(err, "the registry's nas_crl_number setting \"%.20s\" is not a CRL number", buf);
			return -1;
		}
	}
	*number = (uint64_t)last + 1;
	(void)cw_snprintf(buf, sizeof(buf), "%llu", (unsigned long long)*number);
	return cw_registry_setting_set(reg, "nas_crl_number", buf, err);
}

/* Append the current row (serial, revoked_at) as an entry. 0, or -1. */
static int nas_crl_add(cw_crl_content_t *c, sqlite3_stmt *st, cw_err_t *err)
{
	cw_crl_entry_t *e;
	void *p = realloc(c->entries, (c->n + 1) * sizeof(*c->entries));

	if (!p) {
		cw_err_set(err, "out of memory");
		return -1;
	}
	c->entries = p;
	e = &c->entries[c->n];
	memset(e, 0, sizeof(*e));
	if (cw_sql_column_text(st, 0, e->serial, sizeof(e->serial)) < 0) {
		cw_err_set(err, "a revoked NAS certificate has an unusable serial in the registry");
		return -1;
	}
	e->revoked_at = sqlite3_column_int64(st, 1);
	e->reason = CW_CRL_REASON_CESSATION;
	c->n++;
	return 0;
}

struct crl_args {
	int64_t			now;
	cw_crl_content_t	*c;
};

static int crl_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct crl_args *a = arg;
	sqlite3_stmt *st = NULL;
	int rc;

	if (nas_crl_number_next(reg, &a->c->number, err) < 0) return -1;
	rc = cw_admin_query(reg, err, &st, "choosing the NAS CRL's entries",
			    "SELECT serial, revoked_at FROM nas_cert_revoked WHERE not_after >= ?1 ORDER BY serial", "i",
			    a->now);
	while (rc == 1) {
		if (nas_crl_add(a->c, st, err) < 0) {
			rc = -1;
			break;
		}
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "choosing the NAS CRL's entries", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int cw_nas_crl_prepare(cw_registry_t *reg, int64_t now, cw_crl_content_t *out, cw_err_t *err)
{
	struct crl_args a = { now, out };

	memset(out, 0, sizeof(*out));
	out->this_update = now;
	out->next_update = now + (int64_t)CW_NAS_CRL_DAYS * 86400;
	if (cw_admin_in_txn(reg, err, crl_txn, &a) < 0) {
		cw_crl_content_free(out);
		return -1;
	}
	return 0;
}

struct set_site {
	const char	*name;
	const char	*site;
};

static int set_site_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct set_site *a = arg;
	int n;

	if (a->site && cw_admin_site_check(reg, a->site, err) < 0) return -1;
	n = cw_admin_exec(reg, err, "moving the NAS", "UPDATE nas SET site = ?2 WHERE name = ?1", "tt", a->name, a->site);
	if (n < 0) return -1;
	if (n != 1) {
		cw_err_set(err, "unknown NAS %s (see coworkctl nas list)", a->name);
		return -1;
	}
	return 0;
}

int cw_nas_set_site(cw_registry_t *reg, const char *name, const char *site, cw_err_t *err)
{
	struct set_site a = { name, site && *site ? site : NULL };

	return cw_admin_in_txn(reg, err, set_site_txn, &a);
}

/* Columns: name, address, coa_port, created_at, site, radsec_serial, radsec_not_after, then (with_secret) secret. */
static void read_nas(sqlite3_stmt *st, cw_nas_t *n, bool with_secret)
{
	const unsigned char *s;

	memset(n, 0, sizeof(*n));
	(void)cw_sql_column_text(st, 0, n->name, sizeof(n->name));
	(void)cw_sql_column_text(st, 1, n->address, sizeof(n->address));
	n->coa_port = (unsigned)sqlite3_column_int(st, 2);
	n->created_at = sqlite3_column_int64(st, 3);
	(void)cw_sql_column_text(st, 4, n->site, sizeof(n->site));
	(void)cw_sql_column_text(st, 5, n->radsec_serial, sizeof(n->radsec_serial));
	n->radsec_not_after = sqlite3_column_int64(st, 6);
	if (!with_secret) return;
	s = sqlite3_column_text(st, 7);
	n->secret_len = (size_t)sqlite3_column_bytes(st, 7);
	if (s && n->secret_len <= CW_DAE_SECRET_MAX) memcpy(n->secret, s, n->secret_len);
	else n->secret_len = 0;
}

int cw_nas_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_nas_t *nas), void *arg, cw_err_t *err)
{
	static const char doing[] = "listing NAS definitions";
	sqlite3_stmt *st;
	int rc;

	if (cw_registry_prepare(reg, "SELECT name, address, coa_port, created_at, site, radsec_serial, radsec_not_after"
				" FROM nas ORDER BY name", &st, doing, err) < 0) return -1;
	while ((rc = cw_registry_step_row(reg, st, SQLITE_OK, doing, err)) == 1) {
		cw_nas_t n;

		read_nas(st, &n, false);
		rc = fn(arg, &n);
		if (rc != 0) break;
	}
	sqlite3_finalize(st);
	return rc;
}

int cw_nas_find(cw_registry_t *reg, const char *address, cw_nas_t *out, cw_err_t *err)
{
	static const char doing[] = "looking up the NAS";
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (cw_registry_prepare(reg, "SELECT name, address, coa_port, created_at, site, radsec_serial, radsec_not_after,"
				" secret FROM nas WHERE address = ?1",
				&st, doing, err) < 0) return -1;
	rc = cw_registry_step_row(reg, st, cw_sql_bind_text(st, 1, address, SQLITE_OK), doing, err);
	if (rc == 1) read_nas(st, out, true);
	sqlite3_finalize(st);
	if (rc == 1 && out->secret_len == 0) {
		cw_err_set(err, "NAS %s has an unusable secret in the registry: define it again", out->name);
		cw_wipe(out, sizeof(*out));
		return -1;
	}
	return rc;
}
