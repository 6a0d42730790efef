/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry.c - reading the registry: the read-only connection radiusd
 * uses, and the queries the member and guest paths run on every
 * authentication. Opening it for changes, its migrations and every write
 * are in lib/admin (registry_write.c), which the module does not link.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "registry.h"
#include "registry_internal.h"
#include "fileio.h"
#include "session.h"
#include "sqlutil.h"

/* Generated from sql/registry/NNNN_*.sql by build-aux/sql2c.sh. */
extern const size_t cw_registry_migrations_count;

/*
 * What a reader connection remembers between requests, as long as the
 * file has not changed: SQLite increments the "file change counter" in
 * the database header (bytes 24..27) at every commit in rollback-journal
 * mode, so one pread() tells whether the answers below still hold. Guest
 * passphrases are kept as rows with their windows and filtered by the
 * time of each request.
 */
#define MEMO_SSIDS	16
#define MEMO_PSKS	8
#define MEMO_NAS	16

/* Keyed by (site, SSID): site "" holds the SSID's class and its site-less passphrases. */
typedef struct ssid_memo {
	char		site[CW_SITE_NAME_MAX + 1];
	char		name[CW_SSID_MAX + 1];
	bool		class_known;
	int		class_rc;		//!< 1 found, 0 unknown SSID
	cw_ssid_class_t	cls;
	bool		psks_known;
	size_t		n;			//!< rows[0..n): newest first
	cw_psk_row_t	rows[MEMO_PSKS];	//!< secret
	int64_t		warn;
	int64_t		last;			//!< latest grace_until of any row
} ssid_memo_t;

/* A RADIUS client address and what the registry says of it. */
typedef struct nas_memo {
	char		address[CW_NAS_ADDRESS_MAX + 1];
	int		rc;			//!< 1 a NAS, 0 none
	cw_nas_site_t	nas;
} nas_memo_t;

typedef struct memo {
	bool		valid;
	bool		bracketed;		//!< in a read_begin/read_end pair: the counter was just checked
	uint32_t	counter;		//!< file change counter the answers belong to
	bool		plan_known;
	int		plan_rc;
	cw_vlan_plan_t	plan;
	cw_err_t	plan_err;
	bool		sites_known;
	int		sites_rc;		//!< 1 some site is defined, 0 none
	unsigned	n_nas;
	unsigned	next_nas;
	nas_memo_t	nas[MEMO_NAS];
	unsigned	n_ssids;
	unsigned	next_evict;
	ssid_memo_t	ssids[MEMO_SSIDS];
} memo_t;


static const char sql_cert_lookup[] =
	"SELECT c.serial, c.subject, c.issuer, c.not_before, c.not_after,"
	" c.revoked_at, c.revoke_reason, m.name, m.status, m.valid_from,"
	" m.valid_until, t.name, t.vlan, coalesce(c.pending_invite, 0),"
	" t.device_binding, (SELECT value FROM setting WHERE key = 'device_binding')"
	" FROM cert c JOIN member m ON m.id = c.member_id"
	" LEFT JOIN tenant t ON t.id = m.tenant_id"
	" WHERE c.serial = ?1";

static const char sql_ssid_class[] = "SELECT class FROM ssid WHERE name = ?1";

static const char sql_vlan_plan[] = "SELECT kind, lo, hi FROM vlan_range ORDER BY kind, lo";

static const char sql_setting_get[] = "SELECT value FROM setting WHERE key = ?1";

static const char sql_device_approved[] =
	"SELECT 1 FROM device_approval WHERE device = ?3 AND (serial = ?1"
	" OR member_id = (SELECT id FROM member WHERE name = ?2)) LIMIT 1";

/*
 * The newest passphrases of an SSID at a site (?3 NULL: the site-less
 * ones), whatever their window (filtered by time in C).
 */
static const char sql_guest_psks[] =
	"SELECT p.passphrase, p.valid_from, p.valid_until, p.grace_until, coalesce(g.warn, ?2)"
	" FROM guest_psk p LEFT JOIN guest_policy g ON g.ssid = p.ssid"
	" WHERE p.ssid = ?1 AND p.site IS ?3 ORDER BY p.valid_from DESC, p.id DESC LIMIT 8";

static const char sql_guest_last[] =
	"SELECT coalesce(max(grace_until), 0) FROM guest_psk WHERE ssid = ?1 AND site IS ?2";

static const char sql_sites_defined[] = "SELECT EXISTS (SELECT 1 FROM site)";

static const char sql_nas_site[] = "SELECT name, coalesce(site, '') FROM nas WHERE address = ?1";

int cw_registry_schema_version(void)
{
	return (int)cw_registry_migrations_count;
}

sqlite3 *cw_registry_db(cw_registry_t *reg)
{
	return reg->db;
}

void cw_registry_err(cw_registry_t *reg, cw_err_t *err, const char *doing)
{
	int rc = sqlite3_extended_errcode(reg->db);

	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
		cw_err_set(err, "%s: registry is locked by another process (%s)", doing, sqlite3_errmsg(reg->db));
		return;
	}
	/* A read-only connection cannot roll back a write that was interrupted. */
	if (rc == SQLITE_READONLY_ROLLBACK || (!reg->admin && (rc & 0xff) == SQLITE_READONLY)) {
		cw_err_set(err, "%s: the registry has an unfinished change from an interrupted coworkctl;"
			   " run any coworkctl command (e.g. `coworkctl vlan show`) to roll it back", doing);
		return;
	}
	cw_sql_err(reg->db, err, doing);
}

int cw_registry_prepare(cw_registry_t *reg, const char *sql, sqlite3_stmt **st, const char *doing, cw_err_t *err)
{
	if (cw_sql_prepare(reg->db, sql, st, doing, NULL) == 0) return 0;
	cw_registry_err(reg, err, doing);
	return -1;
}

int cw_registry_step_row(cw_registry_t *reg, sqlite3_stmt *st, int rc, const char *doing, cw_err_t *err)
{
	rc = cw_sql_step_row(st, rc, doing, NULL);
	if (rc < 0) cw_registry_err(reg, err, doing);
	return rc;
}

int cw_registry_step_done(cw_registry_t *reg, sqlite3_stmt *st, int rc, const char *doing, cw_err_t *err)
{
	rc = cw_sql_step_done(st, rc, doing, NULL);
	if (rc < 0) cw_registry_err(reg, err, doing);
	return rc;
}

int cw_registry_exec(cw_registry_t *reg, const char *sql, const char *doing, cw_err_t *err)
{
	if (sqlite3_exec(reg->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		cw_registry_err(reg, err, doing);
		return -1;
	}
	return 0;
}

/*
 * A write transaction must not be cut short by Ctrl-C, a terminal hang-up
 * or `kill`: the rollback journal it leaves behind stops every read-only
 * reader (radiusd) until a writer rolls it back. The signals wait until the
 * transaction is over. (SIGKILL and power loss cannot be held; the next
 * coworkctl command recovers, and radiusd fails closed meanwhile.)
 */
void cw_registry_hold_signals(cw_registry_t *reg)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	reg->masked = pthread_sigmask(SIG_BLOCK, &block, &reg->saved_mask) == 0;
}

void cw_registry_release_signals(cw_registry_t *reg)
{
	if (!reg->masked) return;
	reg->masked = false;
	(void)pthread_sigmask(SIG_SETMASK, &reg->saved_mask, NULL);
}

void cw_registry_rollback(cw_registry_t *reg)
{
	if (!sqlite3_get_autocommit(reg->db)) (void)sqlite3_exec(reg->db, "ROLLBACK", NULL, NULL, NULL);
	cw_registry_release_signals(reg);
}

static int prepare(cw_registry_t *reg, sqlite3_stmt **st, const char *sql, cw_err_t *err)
{
	static const char doing[] = "preparing a registry query (is this a registry file?)";

	if (cw_sql_prepare_kept(reg->db, sql, st, doing, NULL) == 0) return 0;
	cw_registry_err(reg, err, doing);
	return -1;
}

int cw_registry_prepare_all(cw_registry_t *reg, cw_err_t *err)
{
	if (prepare(reg, &reg->cert_lookup, sql_cert_lookup, err) < 0) return -1;
	if (prepare(reg, &reg->ssid_class, sql_ssid_class, err) < 0) return -1;
	if (prepare(reg, &reg->vlan_plan, sql_vlan_plan, err) < 0) return -1;
	if (prepare(reg, &reg->setting_get, sql_setting_get, err) < 0) return -1;
	if (prepare(reg, &reg->guest_psks, sql_guest_psks, err) < 0) return -1;
	if (prepare(reg, &reg->guest_last, sql_guest_last, err) < 0) return -1;
	if (prepare(reg, &reg->device_approved, sql_device_approved, err) < 0) return -1;
	if (prepare(reg, &reg->sites_defined, sql_sites_defined, err) < 0) return -1;
	if (prepare(reg, &reg->nas_site, sql_nas_site, err) < 0) return -1;
	return 0;
}


int cw_registry_open_db(const char *path, int flags, cw_registry_t **out, cw_err_t *err)
{
	cw_registry_t *reg;
	struct stat st;

	*out = NULL;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT) {
			cw_err_set(err, "registry %s does not exist (create it with `coworkctl init`)", path);
		} else {
			cw_err_set(err, "registry %s: %s", path, strerror(errno));
		}
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		cw_err_set(err, "registry %s is not a regular file", path);
		return -1;
	}
	reg = calloc(1, sizeof(*reg));
	if (!reg) {
		cw_err_set(err, "out of memory");
		return -1;
	}
	reg->fd = -1;
	if (sqlite3_open_v2(path, &reg->db, flags | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		if (reg->db) {
			cw_err_set(err, "opening registry %s: %s", path, sqlite3_errmsg(reg->db));
		} else {
			cw_err_set(err, "opening registry %s: out of memory", path);
		}
		cw_registry_close(reg);
		return -1;
	}
	sqlite3_extended_result_codes(reg->db, 1);
	*out = reg;
	return 0;
}

int cw_registry_open_reader(const char *path, unsigned busy_ms, cw_registry_t **out, cw_err_t *err)
{
	cw_registry_t *reg = NULL;
	int version;

	*out = NULL;
	if (cw_registry_open_db(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, &reg, err) < 0) return -1;
	sqlite3_busy_timeout(reg->db, (int)busy_ms);
	if (cw_registry_exec(reg, "PRAGMA query_only = ON", "configuring the registry connection", err) < 0) goto fail;
	if (cw_sql_user_version(reg->db, &version, err) < 0) goto fail;
	if (version != cw_registry_schema_version()) {
		cw_err_set(err, "registry %s has schema version %d, this module needs %d%s", path, version,
			   cw_registry_schema_version(),
			   version < cw_registry_schema_version() ? " (run any coworkctl command to migrate it)"
								  : " (upgrade rlm_cowork)");
		goto fail;
	}
	if (cw_registry_prepare_all(reg, err) < 0) goto fail;
	reg->memo = calloc(1, sizeof(*reg->memo));
	reg->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (!reg->memo || reg->fd < 0) {
		cw_err_set(err, "opening registry %s: %s", path, reg->memo ? strerror(errno) : "out of memory");
		goto fail;
	}
	*out = reg;
	return 0;

fail:
	cw_registry_close(reg);
	return -1;
}

void cw_registry_close(cw_registry_t *reg)
{
	if (!reg) return;
	if (reg->memo) {
		cw_wipe(reg->memo, sizeof(*reg->memo));
		free(reg->memo);
	}
	if (reg->fd >= 0) close(reg->fd);
	cw_registry_rollback(reg);
	sqlite3_finalize(reg->cert_lookup);
	sqlite3_finalize(reg->ssid_class);
	sqlite3_finalize(reg->vlan_plan);
	sqlite3_finalize(reg->setting_get);
	sqlite3_finalize(reg->guest_psks);
	sqlite3_finalize(reg->guest_last);
	sqlite3_finalize(reg->device_approved);
	sqlite3_finalize(reg->sites_defined);
	sqlite3_finalize(reg->nas_site);
	sqlite3_close_v2(reg->db);
	free(reg);
}

static int parse_status(const char *s, cw_member_status_t *out)
{
	if (strcmp(s, "active") == 0) *out = CW_MEMBER_ACTIVE;
	else if (strcmp(s, "suspended") == 0) *out = CW_MEMBER_SUSPENDED;
	else if (strcmp(s, "removed") == 0) *out = CW_MEMBER_REMOVED;
	else return -1;
	return 0;
}

static int fill_cert_row(sqlite3_stmt *st, cw_cert_row_t *row)
{
	char status[16], tenant_binding[16], global_binding[16];
	sqlite3_int64 vlan;

	memset(row, 0, sizeof(*row));
	if (cw_sql_column_text(st, 0, row->serial, sizeof(row->serial)) < 0) return -1;
	if (cw_sql_column_text(st, 1, row->subject, sizeof(row->subject)) < 0) return -1;
	if (cw_sql_column_text(st, 2, row->issuer, sizeof(row->issuer)) < 0) return -1;
	row->not_before = sqlite3_column_int64(st, 3);
	row->not_after = sqlite3_column_int64(st, 4);
	row->revoked = sqlite3_column_type(st, 5) != SQLITE_NULL;
	row->revoked_at = sqlite3_column_int64(st, 5);
	if (cw_sql_column_text(st, 6, row->revoke_reason, sizeof(row->revoke_reason)) < 0) return -1;
	if (cw_sql_column_text(st, 7, row->member, sizeof(row->member)) < 0) return -1;
	if (cw_sql_column_text(st, 8, status, sizeof(status)) < 0 || parse_status(status, &row->member_status) < 0) return -1;
	row->member_from = sqlite3_column_int64(st, 9);
	row->member_until = sqlite3_column_int64(st, 10);
	row->has_tenant = sqlite3_column_type(st, 11) != SQLITE_NULL;
	if (cw_sql_column_text(st, 11, row->tenant, sizeof(row->tenant)) < 0) return -1;
	vlan = sqlite3_column_int64(st, 12);
	if (row->has_tenant && (vlan < CW_VLAN_MIN || vlan > CW_VLAN_MAX)) return -1;
	row->tenant_vlan = (uint16_t)vlan;
	row->pending_invite = sqlite3_column_int64(st, 13);
	/* A policy that is not one (written behind coworkctl's back) is an error: no guessing. */
	if (cw_sql_column_text(st, 14, tenant_binding, sizeof(tenant_binding)) < 0 ||
	    cw_sql_column_text(st, 15, global_binding, sizeof(global_binding)) < 0 ||
	    cw_binding_resolve(tenant_binding, global_binding, &row->binding) < 0) return -1;
	return 0;
}

int cw_registry_device_approved(cw_registry_t *reg, const char *serial, const char *member,
				const uint8_t device[CW_DEVICE_HASH_LEN], cw_err_t *err)
{
	sqlite3_stmt *st = reg->device_approved;
	int rc = cw_sql_bind_text(st, 1, serial, SQLITE_OK);

	rc = cw_sql_bind_text(st, 2, member, rc);
	rc = cw_sql_bind_blob(st, 3, device, CW_DEVICE_HASH_LEN, rc);
	rc = cw_registry_step_row(reg, st, rc, "looking up a device approval", err);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int cw_registry_cert_lookup(cw_registry_t *reg, const char *serial, cw_cert_row_t *row, cw_err_t *err)
{
	sqlite3_stmt *st = reg->cert_lookup;
	int rc = cw_sql_bind_text(st, 1, serial, SQLITE_OK);

	rc = cw_registry_step_row(reg, st, rc, "looking up a certificate", err);
	if (rc == 1 && fill_cert_row(st, row) < 0) {
		cw_err_set(err, "certificate %s has a malformed registry row", serial);
		rc = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int cw_ssid_class_parse(const char *s, cw_ssid_class_t *out)
{
	if (strcmp(s, "member") == 0) *out = CW_SSID_MEMBER;
	else if (strcmp(s, "guest") == 0) *out = CW_SSID_GUEST;
	else if (strcmp(s, "staff") == 0) *out = CW_SSID_STAFF;
	else return -1;
	return 0;
}

const char *cw_ssid_class_name(cw_ssid_class_t c)
{
	switch (c) {
	case CW_SSID_MEMBER: return "member";
	case CW_SSID_GUEST: return "guest";
	case CW_SSID_STAFF: return "staff";
	}
	return "?";
}

const char *cw_member_status_name(cw_member_status_t s)
{
	switch (s) {
	case CW_MEMBER_ACTIVE: return "active";
	case CW_MEMBER_SUSPENDED: return "suspended";
	case CW_MEMBER_REMOVED: return "removed";
	}
	return "?";
}

/*
 * The memo, if it may answer now: re-read the file's change counter and
 * forget everything when it moved. NULL for admin connections and when the
 * counter cannot be read (SQLite then answers, or reports the error).
 */
static memo_t *memo_check(cw_registry_t *reg)
{
	uint8_t b[4];
	uint32_t counter;

	if (!reg->memo) return NULL;
	if (pread(reg->fd, b, sizeof(b), 24) != (ssize_t)sizeof(b)) {
		reg->memo->valid = false;
		return NULL;
	}
	counter = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	if (!reg->memo->valid || counter != reg->memo->counter) {
		cw_wipe(reg->memo, sizeof(*reg->memo));
		reg->memo->valid = true;
		reg->memo->counter = counter;
	}
	return reg->memo;
}

static memo_t *memo_current(cw_registry_t *reg)
{
	if (reg->memo && reg->memo->bracketed) return reg->memo->valid ? reg->memo : NULL;
	return memo_check(reg);
}

void cw_registry_read_begin(cw_registry_t *reg)
{
	if (!reg->memo) return;
	(void)memo_check(reg);
	reg->memo->bracketed = true;
}

void cw_registry_read_end(cw_registry_t *reg)
{
	if (reg->memo) reg->memo->bracketed = false;
}

int cw_registry_reader_fd(const cw_registry_t *reg)
{
	return reg->memo ? reg->fd : -1;
}

/* The memo slot of (site, SSID), made (evicting round-robin) when absent. */
static ssid_memo_t *memo_ssid(memo_t *m, const char *site, const char *ssid)
{
	ssid_memo_t *e;

	for (unsigned i = 0; i < m->n_ssids; i++) {
		if (strcmp(m->ssids[i].name, ssid) == 0 && strcmp(m->ssids[i].site, site) == 0) return &m->ssids[i];
	}
	if (strlen(ssid) > CW_SSID_MAX || strlen(site) > CW_SITE_NAME_MAX) return NULL;
	if (m->n_ssids < MEMO_SSIDS) {
		e = &m->ssids[m->n_ssids++];
	} else {
		e = &m->ssids[m->next_evict];
		m->next_evict = (m->next_evict + 1) % MEMO_SSIDS;
	}
	cw_wipe(e, sizeof(*e));
	memcpy(e->name, ssid, strlen(ssid) + 1);
	memcpy(e->site, site, strlen(site) + 1);
	return e;
}

static int query_ssid_class(cw_registry_t *reg, const char *ssid, cw_ssid_class_t *out, cw_err_t *err)
{
	sqlite3_stmt *st = reg->ssid_class;
	char cls[16];
	int rc = cw_sql_bind_text(st, 1, ssid, SQLITE_OK);

	rc = cw_registry_step_row(reg, st, rc, "looking up an SSID", err);
	if (rc == 1 && (cw_sql_column_text(st, 0, cls, sizeof(cls)) < 0 || cw_ssid_class_parse(cls, out) < 0)) {
		cw_err_set(err, "SSID has a malformed class in the registry");
		rc = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int cw_registry_ssid_class(cw_registry_t *reg, const char *ssid, cw_ssid_class_t *out, cw_err_t *err)
{
	memo_t *m = memo_current(reg);
	ssid_memo_t *e = m ? memo_ssid(m, "", ssid) : NULL;
	int rc;

	if (e && e->class_known) {
		*out = e->cls;
		return e->class_rc;
	}
	rc = query_ssid_class(reg, ssid, out, err);
	if (e && rc >= 0) {
		e->class_known = true;
		e->class_rc = rc;
		e->cls = *out;
	}
	return rc;
}

static int plan_add_row(cw_vlan_plan_t *plan, const char *kind, sqlite3_int64 lo, sqlite3_int64 hi)
{
	if (lo < CW_VLAN_MIN || hi > CW_VLAN_MAX || lo > hi) return -1;
	if (strcmp(kind, "staff") == 0) return cw_vlan_set_add(&plan->staff, (unsigned)lo, (unsigned)hi);
	if (strcmp(kind, "members") == 0) return cw_vlan_set_add(&plan->members, (unsigned)lo, (unsigned)hi);
	if (lo != hi) return -1;
	if (strcmp(kind, "shared") == 0 && plan->shared == 0) plan->shared = (uint16_t)lo;
	else if (strcmp(kind, "guest") == 0 && plan->guest == 0) plan->guest = (uint16_t)lo;
	else return -1;
	return 0;
}

static int query_vlan_plan(cw_registry_t *reg, cw_vlan_plan_t *plan, cw_err_t *err)
{
	sqlite3_stmt *st = reg->vlan_plan;
	int rc, rows = 0;

	memset(plan, 0, sizeof(*plan));
	while ((rc = cw_registry_step_row(reg, st, SQLITE_OK, "reading the VLAN plan", err)) == 1) {
		char kind[16];

		if (cw_sql_column_text(st, 0, kind, sizeof(kind)) < 0 ||
		    plan_add_row(plan, kind, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)) < 0) {
			cw_err_set(err, "the registry's VLAN plan has a malformed row");
			sqlite3_reset(st);
			return CW_REGISTRY_PLAN_UNSAFE;
		}
		rows++;
	}
	sqlite3_reset(st);
	if (rc < 0) return -1;
	if (rows == 0) return 0;
	if (cw_vlan_plan_validate(plan, err) < 0) return CW_REGISTRY_PLAN_UNSAFE;
	return 1;
}

int cw_registry_vlan_plan(cw_registry_t *reg, cw_vlan_plan_t *plan, cw_err_t *err)
{
	memo_t *m = memo_current(reg);
	int rc;

	if (m && m->plan_known) {
		*plan = m->plan;
		if (m->plan_rc == CW_REGISTRY_PLAN_UNSAFE && err) *err = m->plan_err;
		return m->plan_rc;
	}
	rc = query_vlan_plan(reg, plan, err);
	if (m && rc != -1) {
		m->plan_known = true;
		m->plan_rc = rc;
		m->plan = *plan;
		if (err) m->plan_err = *err;
	}
	return rc;
}

static int psk_row(sqlite3_stmt *st, cw_psk_row_t *r)
{
	if (cw_sql_column_text(st, 0, r->passphrase, sizeof(r->passphrase)) < 0) return -1;
	r->valid_from = sqlite3_column_int64(st, 1);
	r->valid_until = sqlite3_column_int64(st, 2);
	r->grace_until = sqlite3_column_int64(st, 3);
	return 0;
}

/* A (site, SSID)'s newest passphrase rows (whatever their window), its warning period and last expiry. */
static int query_guest_rows(cw_registry_t *reg, const char *site, const char *ssid, ssid_memo_t *e, cw_err_t *err)
{
	sqlite3_stmt *st = reg->guest_psks;
	int step, rc = -1;

	e->n = 0;
	e->warn = CW_GUEST_WARN_DEFAULT;
	e->last = 0;
	step = cw_sql_bind_text(st, 1, ssid, SQLITE_OK);
	step = cw_sql_bind_int64(st, 2, CW_GUEST_WARN_DEFAULT, step);
	step = cw_sql_bind_text_opt(st, 3, site, step);
	if (step != SQLITE_OK) goto sql_error;
	while ((step = sqlite3_step(st)) == SQLITE_ROW && e->n < MEMO_PSKS) {
		if (psk_row(st, &e->rows[e->n]) < 0) {
			cw_err_set(err, "guest SSID has a malformed passphrase row");
			goto done;
		}
		e->warn = sqlite3_column_int64(st, 4);
		e->n++;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) goto sql_error;
	sqlite3_reset(st);
	st = reg->guest_last;
	if (cw_sql_step(st, cw_sql_bind_text_opt(st, 2, site, cw_sql_bind_text(st, 1, ssid, SQLITE_OK))) != SQLITE_ROW) goto sql_error;
	e->last = sqlite3_column_int64(st, 0);
	rc = 0;
	goto done;

sql_error:
	cw_registry_err(reg, err, "reading guest passphrases");
done:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_reset(reg->guest_psks);
	sqlite3_clear_bindings(reg->guest_psks);
	return rc;
}

int cw_registry_guest_psks(cw_registry_t *reg, const char *ssid, int64_t now, cw_psk_row_t rows[CW_PSK_SERVED_MAX],
			   size_t *n, int64_t *warn, int64_t *last_expiry, cw_err_t *err)
{
	return cw_registry_site_guest_psks(reg, NULL, ssid, now, rows, n, warn, last_expiry, err);
}

int cw_registry_site_guest_psks(cw_registry_t *reg, const char *site, const char *ssid, int64_t now,
				cw_psk_row_t rows[CW_PSK_SERVED_MAX], size_t *n, int64_t *warn, int64_t *last_expiry,
				cw_err_t *err)
{
	memo_t *m = memo_current(reg);
	ssid_memo_t local, *e = m ? memo_ssid(m, site ? site : "", ssid) : NULL;

	*n = 0;
	if (!e) {
		memset(&local, 0, sizeof(local));
		e = &local;
	}
	if (!e->psks_known) {
		if (query_guest_rows(reg, site, ssid, e, err) < 0) {
			cw_wipe(e->rows, sizeof(e->rows));
			cw_wipe(rows, sizeof(*rows) * CW_PSK_SERVED_MAX);
			return -1;
		}
		e->psks_known = e != &local;
	}
	/* Served now: valid_from <= now < grace_until, newest first. */
	for (size_t i = 0; i < e->n && *n < CW_PSK_SERVED_MAX; i++) {
		if (e->rows[i].valid_from <= now && now < e->rows[i].grace_until) rows[(*n)++] = e->rows[i];
	}
	*warn = e->warn;
	*last_expiry = *n ? 0 : e->last;
	if (e == &local) cw_wipe(&local, sizeof(local));
	return 0;
}

static int query_sites_defined(cw_registry_t *reg, cw_err_t *err)
{
	sqlite3_stmt *st = reg->sites_defined;
	int rc = cw_registry_step_row(reg, st, SQLITE_OK, "looking for sites", err);

	if (rc == 1) rc = sqlite3_column_int(st, 0) != 0;
	else if (rc == 0) {
		cw_err_set(err, "looking for sites: no answer");
		rc = -1;
	}
	sqlite3_reset(st);
	return rc;
}

int cw_registry_sites_defined(cw_registry_t *reg, cw_err_t *err)
{
	memo_t *m = memo_current(reg);
	int rc;

	if (m && m->sites_known) return m->sites_rc;
	rc = query_sites_defined(reg, err);
	if (m && rc >= 0) {
		m->sites_known = true;
		m->sites_rc = rc;
	}
	return rc;
}

static int query_nas_site(cw_registry_t *reg, const char *address, cw_nas_site_t *out, cw_err_t *err)
{
	sqlite3_stmt *st = reg->nas_site;
	int rc = cw_sql_bind_text(st, 1, address, SQLITE_OK);

	memset(out, 0, sizeof(*out));
	rc = cw_registry_step_row(reg, st, rc, "looking up the NAS", err);
	if (rc == 1 && (cw_sql_column_text(st, 0, out->name, sizeof(out->name)) < 0 ||
			cw_sql_column_text(st, 1, out->site, sizeof(out->site)) < 0)) {
		cw_err_set(err, "a NAS has a malformed registry row");
		rc = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int cw_registry_nas_site(cw_registry_t *reg, const char *address, cw_nas_site_t *out, cw_err_t *err)
{
	memo_t *m = memo_current(reg);
	nas_memo_t *e = NULL;
	int rc;

	if (strlen(address) > CW_NAS_ADDRESS_MAX) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	for (unsigned i = 0; m && i < m->n_nas; i++) {
		if (strcmp(m->nas[i].address, address) == 0) {
			*out = m->nas[i].nas;
			return m->nas[i].rc;
		}
	}
	rc = query_nas_site(reg, address, out, err);
	if (!m || rc < 0) return rc;
	if (m->n_nas < MEMO_NAS) {
		e = &m->nas[m->n_nas++];
	} else {
		e = &m->nas[m->next_nas];
		m->next_nas = (m->next_nas + 1) % MEMO_NAS;
	}
	memcpy(e->address, address, strlen(address) + 1);
	e->rc = rc;
	e->nas = *out;
	return rc;
}

int cw_registry_setting_get(cw_registry_t *reg, const char *key, char *buf, size_t len, cw_err_t *err)
{
	sqlite3_stmt *st = reg->setting_get;
	int rc = cw_sql_bind_text(st, 1, key, SQLITE_OK);

	rc = cw_registry_step_row(reg, st, rc, "reading a setting", err);
	if (rc == 1 && cw_sql_column_text(st, 0, buf, len) < 0) {
		cw_err_set(err, "setting %s is too long", key);
		rc = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}
