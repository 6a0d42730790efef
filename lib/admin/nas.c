/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nas.c - NAS definitions for Disconnect-Requests.
 */
#include <string.h>

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

static int insert(cw_registry_t *reg, const char *name, const char *address, unsigned port, const char *secret,
		  size_t secret_len, int64_t now, const char *site, cw_err_t *err)
{
	static const char doing[] = "adding the NAS";
	sqlite3_stmt *st;
	int rc;

	if (site && cw_admin_site_check(reg, site, err) < 0) return -1;
	if (cw_registry_prepare(reg, "INSERT INTO nas (name, address, coa_port, secret, created_at, site)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, name, SQLITE_OK);
	rc = cw_sql_bind_text(st, 2, address, rc);
	rc = cw_sql_bind_int64(st, 3, port, rc);
	rc = cw_sql_bind_text_len(st, 4, secret, secret_len, rc);
	rc = cw_sql_bind_int64(st, 5, now, rc);
	rc = cw_sql_bind_text(st, 6, site, rc);
	return cw_registry_step_done(reg, st, rc, doing, err) < 0 ? -1 : 0;
}

int cw_nas_add(cw_registry_t *reg, const char *name, const char *address, unsigned coa_port, const char *secret,
	       size_t secret_len, int64_t now, cw_err_t *err)
{
	return cw_nas_add_at(reg, name, address, coa_port, secret, secret_len, now, NULL, err);
}

int cw_nas_add_at(cw_registry_t *reg, const char *name, const char *address, unsigned coa_port, const char *secret,
		  size_t secret_len, int64_t now, const char *site, cw_err_t *err)
{
	char canon[CW_NAS_ADDRESS_MAX + 1];
	int rc;

	if (cw_name_check_id(name, "NAS name", err) < 0 || cw_nas_address(address, canon, err) < 0 ||
	    cw_nas_secret_check(secret, secret_len, err) < 0) return -1;
	if (coa_port < 1 || coa_port > 65535) {
		cw_err_set(err, "CoA port %u is not 1 to 65535", coa_port);
		return -1;
	}
	if (cw_registry_begin(reg, err) < 0) return -1;
	rc = taken(reg, name, canon, err);
	if (rc == 0) rc = insert(reg, name, canon, coa_port, secret, secret_len, now, site, err);
	if (rc != 0) {
		cw_registry_rollback(reg);
		return -1;
	}
	return cw_registry_commit(reg, err);
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

int cw_nas_remove(cw_registry_t *reg, const char *name, cw_err_t *err)
{
	if (cw_registry_begin(reg, err) < 0) return -1;
	if (delete_row(reg, name, err) < 0) {
		cw_registry_rollback(reg);
		return -1;
	}
	return cw_registry_commit(reg, err);
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

/* Columns: name, address, coa_port, created_at, site, then (with_secret) secret. */
static void read_nas(sqlite3_stmt *st, cw_nas_t *n, bool with_secret)
{
	const unsigned char *s;

	memset(n, 0, sizeof(*n));
	(void)cw_sql_column_text(st, 0, n->name, sizeof(n->name));
	(void)cw_sql_column_text(st, 1, n->address, sizeof(n->address));
	n->coa_port = (unsigned)sqlite3_column_int(st, 2);
	n->created_at = sqlite3_column_int64(st, 3);
	(void)cw_sql_column_text(st, 4, n->site, sizeof(n->site));
	if (!with_secret) return;
	s = sqlite3_column_text(st, 5);
	n->secret_len = (size_t)sqlite3_column_bytes(st, 5);
	if (s && n->secret_len <= CW_DAE_SECRET_MAX) memcpy(n->secret, s, n->secret_len);
	else n->secret_len = 0;
}

int cw_nas_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_nas_t *nas), void *arg, cw_err_t *err)
{
	static const char doing[] = "listing NAS definitions";
	sqlite3_stmt *st;
	int rc;

	if (cw_registry_prepare(reg, "SELECT name, address, coa_port, created_at, site FROM nas ORDER BY name", &st, doing,
				err) < 0) return -1;
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
	if (cw_registry_prepare(reg, "SELECT name, address, coa_port, created_at, site, secret FROM nas WHERE address = ?1",
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
