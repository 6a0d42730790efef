/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_log.c - coworkctl log show|find|export|purge|retention: the access log.
 *
 * The log is for tracing incidents and nothing else: rows name devices by
 * a keyed hash, `find` and `export` need the MAC or member in question,
 * and every export is recorded with its case reference.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "central.h"
#include "cli.h"
#include "commands.h"
#include "fileio.h"
#include "json.h"
#include "linksec.h"
#include "registry_admin.h"
#include "registry_write.h"
#include "session.h"
#include "ship.h"
#include "timeutil.h"
#include "wlansec.h"

#define SHOW_LIMIT_DEFAULT 100
#define CENTRAL_SETTING "log_central"	//!< the registry setting: the connection string's file, "" none

/* --since/--from (start of the local day) and --until/--to (end of the day, inclusive). */
static int parse_day_ms(const cli_cmd_t *self, const char *opt, const char *s, bool end, int64_t *out)
{
	cw_date_t d;
	int64_t t;
	cw_err_t e;

	if (cw_date_parse(s, &d, &e) < 0) return cli_usage(self, "%s: %s", opt, e.msg);
	if ((end ? cw_date_local_end(&d, &t) : cw_date_local_start(&d, &t)) < 0) {
		return cli_usage(self, "%s %s cannot be represented in local time", opt, s);
	}
	*out = t * 1000;
	return EXIT_OK;
}

static const char *ms_text(int64_t ms, char buf[CW_RFC3339_MS_LEN])
{
	if (cw_time_format_rfc3339_ms(ms, buf) < 0) return "?";
	return buf;
}

/* A row's AKM and cipher by name (wlansec.h: an unknown suite as its selector), "" when absent. */
static void row_suites(const cw_access_row_t *r, char akm[CW_WLAN_NAME_MAX], char cipher[CW_WLAN_NAME_MAX])
{
	akm[0] = cipher[0] = '\0';
	if (r->has_akm) (void)cw_wlan_akm_name(r->akm, akm);
	if (r->has_cipher) (void)cw_wlan_cipher_name(r->cipher, cipher);
}

/* A row as JSON; node: the central log's node name, NULL for the local log. */
static void row_json(json_t *j, const cw_access_row_t *r, const char *node)
{
	char ts[CW_RFC3339_MS_LEN], dev[CW_DEVICE_HASH_HEX], akm[CW_WLAN_NAME_MAX], cipher[CW_WLAN_NAME_MAX];

	json_object_begin(j);
	if (node) json_kv_string(j, "node", node);
	json_kv_string(j, "time", ms_text(r->ts_ms, ts));
	json_kv_bool(j, "clock_synced", r->clock_synced);
	json_key(j, "clock_error_us");
	if (r->clock_error_us >= 0) json_int(j, r->clock_error_us);
	else json_null(j);
	json_kv_string(j, "result", r->accepted ? "accept" : "reject");
	json_kv_string(j, "reason", r->reason);
	json_kv_string(j, "class", r->member ? "member" : "guest");
	json_kv_string(j, "member", r->member_id[0] ? r->member_id : NULL);
	if (r->has_device) cw_device_hash_hex(r->device, dev);
	json_kv_string(j, "device", r->has_device ? dev : NULL);
	json_kv_string(j, "nas", r->nas[0] ? r->nas : NULL);
	json_kv_string(j, "ssid", r->ssid[0] ? r->ssid : NULL);
	json_key(j, "vlan");
	if (r->vlan) json_int(j, r->vlan);
	else json_null(j);
	json_kv_string(j, "serial", r->serial[0] ? r->serial : NULL);
	row_suites(r, akm, cipher);
	json_kv_string(j, "akm", akm[0] ? akm : NULL);
	json_kv_string(j, "cipher", cipher[0] ? cipher : NULL);
	json_object_end(j);
}

/* A table row; untrusted text (NAS, SSID) is escaped; node (central log) first when given. */
static void row_text(const cw_access_row_t *r, bool header, const char *node)
{
	char ts[CW_RFC3339_MS_LEN], dev[CW_DEVICE_HASH_HEX], nas[CW_LOG_ESCAPED_MAX], ssid[CW_LOG_ESCAPED_MAX];
	char akm[CW_WLAN_NAME_MAX], cipher[CW_WLAN_NAME_MAX];

	if (header) {
		if (node) printf("%-16s  ", "NODE");
		printf("%-24s  %-6s  %-6s  %-22s  %-6s  %-16s  %-12s  %-16s  %-16s  %4s  %-12s  %-8s  %s\n", "TIME (UTC)",
		       "CLOCK", "RESULT", "REASON", "CLASS", "MEMBER", "DEVICE", "NAS", "SSID", "VLAN", "AKM", "CIPHER",
		       "SERIAL");
	}
	row_suites(r, akm, cipher);
	if (r->has_device) cw_device_hash_hex(r->device, dev);
	cw_log_escape(r->nas, strlen(r->nas), nas, sizeof(nas));
	cw_log_escape(r->ssid, strlen(r->ssid), ssid, sizeof(ssid));
	if (node) printf("%-16s  ", node);
	printf("%-24s  %-6s  %-6s  %-22s  %-6s  %-16s  %-12.12s  %-16s  %-16s  %4u  %-12s  %-8s  %s\n",
	       ms_text(r->ts_ms, ts), r->clock_synced ? "ok" : "UNSYNC", r->accepted ? "accept" : "reject", r->reason,
	       r->member ? "member" : "guest", r->member_id[0] ? r->member_id : "-", r->has_device ? dev : "-",
	       nas[0] ? nas : "-", ssid[0] ? ssid : "-", r->vlan, akm[0] ? akm : "-", cipher[0] ? cipher : "-",
	       r->serial[0] ? r->serial : "-");
}

static int row_node_out(void *arg, const char *node, const cw_access_row_t *r)
{
	cli_list_t *o = arg;

	if (o->json) row_json(o->json, r, node);
	else row_text(r, o->rows == 0, node);
	o->rows++;
	return 0;
}

static int row_out(void *arg, const cw_access_row_t *r)
{
	return row_node_out(arg, NULL, r);
}

struct list_job {
	const cw_access_filter_t	*f;
	bool				json;
	const char			*empty;
	int64_t				now;
};

/* In the log worker: the query to stdout as a table or JSON. */
static int list_rows_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	struct list_job *job = arg;
	cli_list_t out;
	cw_err_t e;
	int rc = EXIT_OK;

	(void)out_fd;
	cli_list_begin(&out, job->json, job->now);
	if (cw_accesslog_query(log, job->f, row_out, &out, &e) < 0) rc = cli_fail("%s", e.msg);
	cli_list_end(&out, rc, job->empty);
	return rc;
}

/*
 * The central access log, when `log central FILE` named one: 1 with *pg
 * connected, 0 when none is named (the local file is read), -1 (said).
 * Never a silent fall-back to the local file: that holds one node's rows.
 */
static int central_connect(cw_registry_t *reg, PGconn **pg)
{
	char path[4096], conninfo[CW_CENTRAL_CONNINFO_MAX];
	cw_err_t e;
	int rc = cw_registry_setting_get(reg, CENTRAL_SETTING, path, sizeof(path), &e);

	*pg = NULL;
	if (rc < 0) {
		cli_fail("%s", e.msg);
		return -1;
	}
	if (rc == 0 || !path[0]) return 0;
	if (cw_central_conninfo_read(path, conninfo, sizeof(conninfo), &e) < 0) {
		cli_fail("the central access log: %s (--local reads this server's own log)", e.msg);
		return -1;
	}
	rc = cw_ship_connect(conninfo, false, pg, &e);
	cw_wipe(conninfo, sizeof(conninfo));
	if (rc < 0) {
		cli_fail("the central access log (%s): %s (--local reads this server's own log)", path, e.msg);
		return -1;
	}
	return 1;
}

/* central_connect with a registry of its own. */
static int central_open(const cli_t *cli, PGconn **pg)
{
	cw_registry_t *reg;
	int rc;

	*pg = NULL;
	if (cli_registry(cli, &reg) != EXIT_OK) return -1;
	rc = central_connect(reg, pg);
	cw_registry_close(reg);
	return rc;
}

/* Run a query to stdout as a table or JSON: the central log's rows, unless local or none is named. */
static int list_rows(const cli_t *cli, const cw_access_filter_t *f, bool json, const char *empty, bool local)
{
	struct list_job job = { f, json, empty, cli->now };
	PGconn *pg = NULL;
	int central = local ? 0 : central_open(cli, &pg), rc = EXIT_OK;
	cli_list_t out;
	cw_err_t e;

	if (central < 0) return EXIT_FAIL;
	if (central == 0) return cli_accesslog_run(cli, true, NULL, list_rows_job, &job, NULL);
	cli_list_begin(&out, json, cli->now);
	if (cw_central_query(pg, f, row_node_out, &out, &e) < 0) rc = cli_fail("%s", e.msg);
	cli_list_end(&out, rc, empty);
	PQfinish(pg);
	return rc;
}

static int export_out(void *arg, const cw_log_export_t *x)
{
	cli_list_t *o = arg;
	char at[CW_RFC3339_MS_LEN], from[CW_RFC3339_MS_LEN], to[CW_RFC3339_MS_LEN];

	if (o->json) {
		json_object_begin(o->json);
		json_kv_time(o->json, "at", x->at);
		json_kv_string(o->json, "operator", x->operator_name);
		json_kv_string(o->json, "case", x->case_ref);
		json_kv_string(o->json, "from", ms_text(x->from_ms, from));
		json_kv_string(o->json, "to", ms_text(x->to_ms, to));
		json_kv_string(o->json, "filter", x->filter);
		json_kv_string(o->json, "format", x->format);
		json_kv_int(o->json, "rows", x->rows);
		json_object_end(o->json);
	} else {
		if (o->rows == 0) {
			printf("%-24s  %-20s  %-16s  %-24s  %-24s  %-20s  %-4s  %s\n", "EXPORTED AT (UTC)", "OPERATOR", "CASE",
			       "FROM", "TO", "FILTER", "FMT", "ROWS");
		}
		printf("%-24s  %-20s  %-16s  %-24s  %-24s  %-20.20s  %-4s  %lld\n", cw_time_format_rfc3339(x->at, at) < 0 ? "?" : at,
		       x->operator_name, x->case_ref, ms_text(x->from_ms, from), ms_text(x->to_ms, to), x->filter,
		       x->format, (long long)x->rows);
	}
	o->rows++;
	return 0;
}

static int show_exports(const cli_t *cli, bool json)
{
	cw_registry_t *reg;
	cli_list_t out;
	cw_err_t e;
	int rc;

	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	cli_list_begin(&out, json, cli->now);
	if (cw_admin_log_export_list(reg, export_out, &out, &e) < 0) rc = cli_fail("%s", e.msg);
	cli_list_end(&out, rc, "no exports recorded");
	cw_registry_close(reg);
	return rc;
}

static int log_show(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "member", required_argument, NULL, 'm' },
		{ "limit", required_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		{ "exports", no_argument, NULL, 'x' },
		{ "local", no_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cw_access_filter_t f = { .limit = SHOW_LIMIT_DEFAULT };
	bool json = false, exports = false, all = false, local = false;
	unsigned limit;
	int c, rc = EXIT_OK;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 's' && (rc = parse_day_ms(self, "--since", optarg, false, &f.from_ms)) != EXIT_OK) return rc;
		if (c == 'u' && (rc = parse_day_ms(self, "--until", optarg, true, &f.to_ms)) != EXIT_OK) return rc;
		if (c == 'm') f.member = optarg;
		if (c == 'l' && cli_uint(optarg, 1, 10000000, "--limit", &limit) < 0) return EXIT_USAGE;
		if (c == 'l') f.limit = limit;
		if (c == 'a') all = true;
		if (c == 'x') exports = true;
		if (c == 'L') local = true;
		if (c == 'j') json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (exports) return show_exports(cli, json);
	if (all || f.from_ms) f.limit = 0;
	return list_rows(cli, &f, json, "no rows", local);
}

static int log_find(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mac", required_argument, NULL, 'M' },
		{ "since", required_argument, NULL, 's' },
		{ "local", no_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t key[CW_DEVICE_KEY_LEN];
	cw_access_filter_t f = { 0 };
	const char *mac = NULL;
	bool json = false, local = false;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'M') mac = optarg;
		if (c == 's' && (rc = parse_day_ms(self, "--since", optarg, false, &f.from_ms)) != EXIT_OK) return rc;
		if (c == 'L') local = true;
		if (c == 'j') json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (!mac) return cli_usage(self, "--mac is required");
	if ((rc = cli_device_key(cli, key)) != EXIT_OK) return rc;
	f.has_device = true;
	rc = cw_device_hash_text(key, mac, strlen(mac), f.device, &e);
	cw_wipe(key, sizeof(key));
	if (rc < 0) return cli_usage(self, "--mac: %s", e.msg);
	return list_rows(cli, &f, json, "no rows for this device", local);
}

/* Who is exporting: the login name and uid (and the sudo caller, if any). */
static void operator_name(char *buf, size_t len)
{
	struct passwd *pw = getpwuid(getuid());
	const char *sudo = getenv("SUDO_USER");

	if (cw_snprintf(buf, len, "%s (uid %u)%s%s", pw ? pw->pw_name : "?", (unsigned)getuid(),
			sudo ? " via sudo by " : "", sudo ? sudo : "") < 0) {
		(void)cw_snprintf(buf, len, "uid %u", (unsigned)getuid());
	}
}

/*
 * CSV field, quoted when it must be (RFC 4180). A spreadsheet runs a cell
 * that begins with =, +, -, @, a tab or a carriage return as a formula, and
 * the NAS chooses some values (NAS-Identifier, SSID): such a cell gets a
 * leading apostrophe, which shows it as the text it is.
 */
static void csv_field(FILE *f, const char *s, bool last)
{
	bool formula = s[0] && strchr("=+-@\t\r", s[0]);

	if (formula || strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		if (formula) fputc('\'', f);
		for (; *s; s++) {
			if (*s == '"') fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

struct export_out {
	FILE	*f;
	bool	csv;
	json_t	doc;
	int64_t	rows;
};

/* A row of the export; node: the central log's node (its first column), NULL for the local log. */
static int export_node_row(void *arg, const char *node, const cw_access_row_t *r)
{
	struct export_out *o = arg;
	char ts[CW_RFC3339_MS_LEN], dev[CW_DEVICE_HASH_HEX], err[24], vlan[8];
	char akm[CW_WLAN_NAME_MAX], cipher[CW_WLAN_NAME_MAX];

	o->rows++;
	if (!o->csv) {
		row_json(&o->doc, r, node);
		return 0;
	}
	if (node) csv_field(o->f, node, false);
	if (r->has_device) cw_device_hash_hex(r->device, dev);
	(void)cw_snprintf(err, sizeof(err), "%lld", (long long)r->clock_error_us);
	(void)cw_snprintf(vlan, sizeof(vlan), "%u", r->vlan);
	csv_field(o->f, ms_text(r->ts_ms, ts), false);
	csv_field(o->f, r->clock_synced ? "1" : "0", false);
	csv_field(o->f, r->clock_error_us >= 0 ? err : "", false);
	csv_field(o->f, r->accepted ? "accept" : "reject", false);
	csv_field(o->f, r->reason, false);
	csv_field(o->f, r->member ? "member" : "guest", false);
	csv_field(o->f, r->member_id, false);
	csv_field(o->f, r->has_device ? dev : "", false);
	csv_field(o->f, r->nas, false);
	csv_field(o->f, r->ssid, false);
	csv_field(o->f, r->vlan ? vlan : "", false);
	csv_field(o->f, r->serial, false);
	row_suites(r, akm, cipher);
	csv_field(o->f, akm, false);
	csv_field(o->f, cipher, true);
	return 0;
}

static int export_row(void *arg, const cw_access_row_t *r)
{
	return export_node_row(arg, NULL, r);
}

static int count_node_row(void *arg, const char *node, const cw_access_row_t *r)
{
	(void)node;
	(void)r;
	(*(int64_t *)arg)++;
	return 0;
}

static int count_row(void *arg, const cw_access_row_t *r)
{
	(void)r;
	(*(int64_t *)arg)++;
	return 0;
}

struct export_opts {
	cw_access_filter_t	f;
	const char		*member;
	const char		*mac;
	const char		*case_ref;
	const char		*format;
	const char		*out;
	int			fd;		//!< where the rows go (stdout's, or the new file's)
	bool			local;		//!< the local file even when a central log is named
	PGconn			*central;	//!< the central log's rows instead of the local file's
};

/* In the log worker: how many rows the export will hold. */
static int export_count_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	struct export_opts *o = arg;
	int64_t rows = 0;
	cw_err_t e;

	if (cw_accesslog_query(log, &o->f, count_row, &rows, &e) < 0) return cli_fail("%s", e.msg);
	return statedir_log_send(out_fd, &rows, sizeof(rows)) < 0 ? EXIT_FAIL : EXIT_OK;
}

/*
 * The rows into o->fd, from the central log (o->central) or from log;
 * *rows says how many. EXIT_OK or EXIT_FAIL (printed).
 */
static int export_write(struct export_opts *o, cw_accesslog_t *log, int64_t *rows)
{
	struct export_out out = { NULL, strcmp(o->format, "csv") == 0, { 0 }, 0 };
	int fd = dup(o->fd), rc = EXIT_OK, q;
	cw_err_t e;

	out.f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!out.f) {
		if (fd >= 0) close(fd);
		return cli_fail("writing the export: %s", strerror(errno));
	}
	if (out.csv) {
		fprintf(out.f, "%stime,clock_synced,clock_error_us,result,reason,class,member,device,nas,ssid,vlan,serial,"
			"akm,cipher\n", o->central ? "node," : "");
	} else {
		json_init(&out.doc, out.f);
		json_array_begin(&out.doc);
	}
	if (o->central) q = cw_central_query(o->central, &o->f, export_node_row, &out, &e);
	else q = cw_accesslog_query(log, &o->f, export_row, &out, &e);
	if (q < 0) rc = cli_fail("%s", e.msg);
	if (!out.csv) {
		json_array_end(&out.doc);
		json_end(&out.doc);
	}
	if (fflush(out.f) != 0 || (o->out && fsync(fileno(out.f)) < 0)) rc = cli_fail("writing the export: %s", strerror(errno));
	fclose(out.f);
	*rows = out.rows;
	return rc;
}

/* In the log worker: the rows into o->fd; sends how many. */
static int export_rows_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	int64_t rows = 0;
	int rc = export_write(arg, log, &rows);

	if (rc == EXIT_OK && statedir_log_send(out_fd, &rows, sizeof(rows)) < 0) rc = EXIT_FAIL;
	return rc;
}

/* The int64_t a log job sent. EXIT_OK or EXIT_FAIL (printed). */
static int got_count(int rc, statedir_bytes_t *got, int64_t *n)
{
	if (rc == EXIT_OK && got->len != sizeof(*n)) rc = cli_fail("the access log worker sent no count");
	if (rc == EXIT_OK) memcpy(n, got->data, sizeof(*n));
	free(got->data);
	return rc;
}

/* The audit row of an export. 0, or -1 with err. */
static int export_record(const cli_t *cli, cw_registry_t *reg, const struct export_opts *o, int64_t rows,
			 cw_err_t *err)
{
	cw_log_export_t x = { 0 };
	char dev[CW_DEVICE_HASH_HEX];

	x.rows = rows;
	x.at = cli->now;
	operator_name(x.operator_name, sizeof(x.operator_name));
	(void)cw_snprintf(x.case_ref, sizeof(x.case_ref), "%s", o->case_ref);
	x.from_ms = o->f.from_ms;
	x.to_ms = o->f.to_ms;
	if (o->f.has_device) cw_device_hash_hex(o->f.device, dev);
	(void)cw_snprintf(x.filter, sizeof(x.filter), "%s%s%s", o->member ? "member " : o->mac ? "device " : "all",
			  o->member ? o->member : o->mac ? dev : "", o->central ? ", all nodes" : "");
	(void)cw_snprintf(x.format, sizeof(x.format), "%s", o->format);
	return cw_admin_log_export_record(reg, &x, err);
}

/*
 * The output file is made first (a refused path records nothing), then
 * the audit row, before any data leaves: an export is never unrecorded.
 */
static int export_run(const cli_t *cli, struct export_opts *o)
{
	cw_registry_t *reg = NULL;
	statedir_bytes_t got;
	cw_out_t out = CW_OUT_INIT;
	int64_t rows = 0, written = 0;
	int rc;
	cw_err_t e;

	if (o->out && strcmp(o->out, "-") == 0) o->out = NULL;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (!o->local && central_connect(reg, &o->central) < 0) {
		rc = EXIT_FAIL;
		goto done;
	}
	if (o->central) {
		if (cw_central_query(o->central, &o->f, count_node_row, &rows, &e) < 0) rc = cli_fail("%s", e.msg);
	} else {
		rc = got_count(cli_accesslog_run(cli, true, NULL, export_count_job, o, &got), &got, &rows);
	}
	if (rc != EXIT_OK) goto done;
	o->fd = STDOUT_FILENO;
	if (o->out) {
		if (cw_out_open(o->out, 0600, &out, &e) < 0) {
			rc = cli_fail("%s", e.msg);
			goto done;
		}
		o->fd = out.fd;
	}
	if (export_record(cli, reg, o, rows, &e) < 0) {
		rc = cli_fail("%s", e.msg);
		goto done;
	}
	if (o->central) rc = export_write(o, NULL, &written);
	else rc = got_count(cli_accesslog_run(cli, true, NULL, export_rows_job, o, &got), &got, &written);
	if (o->out && rc == EXIT_OK && cw_out_commit(&out, &e) < 0) rc = cli_fail("%s", e.msg);
	if (rc == EXIT_OK) {
		fprintf(stderr, "exported %lld rows for case %s (recorded: coworkctl log show --exports)\n",
			(long long)written, o->case_ref);
	}
done:
	cw_out_abort(&out);
	cw_registry_close(reg);
	PQfinish(o->central);
	o->central = NULL;
	return rc;
}

static int log_export(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "member", required_argument, NULL, 'm' },
		{ "mac", required_argument, NULL, 'M' },
		{ "case", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'F' },
		{ "out", required_argument, NULL, 'o' },
		{ "local", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_opts o = { .format = "csv" };
	uint8_t key[CW_DEVICE_KEY_LEN];
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'f' && (rc = parse_day_ms(self, "--from", optarg, false, &o.f.from_ms)) != EXIT_OK) return rc;
		if (c == 't' && (rc = parse_day_ms(self, "--to", optarg, true, &o.f.to_ms)) != EXIT_OK) return rc;
		if (c == 'm') o.member = optarg;
		if (c == 'M') o.mac = optarg;
		if (c == 'c') o.case_ref = optarg;
		if (c == 'F') o.format = optarg;
		if (c == 'o') o.out = optarg;
		if (c == 'L') o.local = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (!o.case_ref || !*o.case_ref) {
		return cli_usage(self, "--case REF is required: an export must say which incident it is for");
	}
	if (strlen(o.case_ref) > 128) return cli_usage(self, "--case is longer than 128 characters");
	if (!o.f.from_ms || !o.f.to_ms) return cli_usage(self, "--from and --to are required");
	if (o.f.to_ms <= o.f.from_ms) return cli_usage(self, "--to is before --from");
	if (o.member && o.mac) return cli_usage(self, "give --member or --mac, not both");
	if (strcmp(o.format, "csv") != 0 && strcmp(o.format, "json") != 0) {
		return cli_usage(self, "--format must be csv or json");
	}
	o.f.member = o.member;
	if (o.mac) {
		if ((rc = cli_device_key(cli, key)) != EXIT_OK) return rc;
		o.f.has_device = true;
		rc = cw_device_hash_text(key, o.mac, strlen(o.mac), o.f.device, &e);
		cw_wipe(key, sizeof(key));
		if (rc < 0) return cli_usage(self, "--mac: %s", e.msg);
	}
	return export_run(cli, &o);
}

/* What a purge did: sessions ended and deleted, rows deleted. */
struct purge_job {
	int64_t	cutoff;
	int64_t	stale_before;
	int64_t	counts[4];	//!< rows deleted, sessions deleted, stale sessions ended, link rows deleted
};

/* In the log worker: the purge; sends the counts. */
static int purge_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	struct purge_job *p = arg;
	cw_err_t e;

	/* Sessions and links first: the access log's purge then truncates the WAL for all. */
	if (cw_session_purge(log, p->cutoff, p->stale_before, 0, &p->counts[1], &p->counts[2], &e) < 0 ||
	    cw_link_purge(log, p->cutoff, 0, &p->counts[3], &e) < 0 ||
	    cw_accesslog_purge(log, p->cutoff, &p->counts[0], &e) < 0) return cli_fail("%s", e.msg);
	return statedir_log_send(out_fd, p->counts, sizeof(p->counts)) < 0 ? EXIT_FAIL : EXIT_OK;
}

static int log_purge(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg = NULL;
	struct purge_job p = { 0 };
	char when[CW_RFC3339_MS_LEN];
	statedir_bytes_t got;
	unsigned days;
	bool json;
	int rc;
	cw_err_t e;
	json_t j;

	if (cli_simple_opts(self, argc, argv, 0, 0, &json, &rc) < 0) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_retention_days(reg, &days, &e) < 0) {
		cw_registry_close(reg);
		return cli_fail("%s", e.msg);
	}
	cw_registry_close(reg);
	p.cutoff = cw_retention_cutoff_ms(cli->now * 1000, days);
	p.stale_before = cli->now * 1000 - CW_SESSION_STALE_MS;
	rc = cli_accesslog_run(cli, true, NULL, purge_job, &p, &got);
	if (rc == EXIT_OK && got.len != sizeof(p.counts)) rc = cli_fail("the access log worker sent no counts");
	if (rc == EXIT_OK) memcpy(p.counts, got.data, sizeof(p.counts));
	free(got.data);
	if (rc != EXIT_OK) return rc;
	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j);
		json_kv_int(&j, "deleted", p.counts[0]);
		json_kv_int(&j, "retention_days", days);
		json_kv_int(&j, "sessions_deleted", p.counts[1]);
		json_kv_int(&j, "stale_sessions_ended", p.counts[2]);
		json_kv_int(&j, "link_deleted", p.counts[3]);
		json_kv_string(&j, "cutoff", ms_text(p.cutoff, when));
		json_object_end(&j);
		json_end(&j);
	} else {
		printf("deleted %lld rows older than %s (retention %u days)\n", (long long)p.counts[0],
		       ms_text(p.cutoff, when), days);
		printf("sessions: %lld ended ones deleted, %lld not heard of for 2 days ended\n", (long long)p.counts[1],
		       (long long)p.counts[2]);
		printf("Wi-Fi security of sessions: %lld rows deleted\n", (long long)p.counts[3]);
	}
	return EXIT_OK;
}

static int log_retention(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "days", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cw_registry_t *reg;
	unsigned days = 0;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'd' && cli_uint(optarg, CW_RETENTION_DAYS_MIN, CW_RETENTION_DAYS_MAX, "--days", &days) < 0) {
			return EXIT_USAGE;
		}
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if ((days && cw_admin_log_retention_set(reg, days, &e) < 0) || cw_retention_days(reg, &days, &e) < 0) {
		rc = cli_fail("%s", e.msg);
	} else {
		printf("access log retention: %u days\n", days);
	}
	cw_registry_close(reg);
	return rc;
}

/* The nodes' shipping state, from the central log: how far each got. */
static int central_nodes(PGconn *pg, bool json, int64_t now)
{
	PGresult *res = PQexec(pg, "SELECT node, shipped_seq, shipped_at_ms, (SELECT count(*) FROM access_log l"
				   " WHERE l.node = n.node) FROM access_log_node n ORDER BY node");
	char at[CW_RFC3339_MS_LEN];
	cli_list_t out;
	cw_err_t e;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		cw_pg_fail(pg, res, "reading the nodes of the central access log", &e);
		return cli_fail("%s", e.msg);
	}
	cli_list_begin(&out, json, now);
	for (int i = 0; i < PQntuples(res); i++) {
		int64_t shipped_at = strtoll(PQgetvalue(res, i, 2), NULL, 10);

		if (json) {
			json_object_begin(out.json);
			json_kv_string(out.json, "node", PQgetvalue(res, i, 0));
			json_kv_int(out.json, "shipped_seq", strtoll(PQgetvalue(res, i, 1), NULL, 10));
			json_kv_string(out.json, "shipped_at", ms_text(shipped_at, at));
			json_kv_int(out.json, "rows", strtoll(PQgetvalue(res, i, 3), NULL, 10));
			json_object_end(out.json);
		} else {
			if (out.rows == 0) printf("%-16s  %12s  %-24s  %s\n", "NODE", "SHIPPED SEQ", "LAST SHIPMENT (UTC)", "ROWS");
			printf("%-16s  %12s  %-24s  %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), ms_text(shipped_at, at),
			       PQgetvalue(res, i, 3));
		}
		out.rows++;
	}
	PQclear(res);
	cli_list_end(&out, EXIT_OK, "no node has shipped yet");
	return EXIT_OK;
}

static int log_central(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "off", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char conninfo[CW_CENTRAL_CONNINFO_MAX];
	const char *file = NULL;
	bool off = false, json = false;
	cw_registry_t *reg;
	PGconn *pg = NULL;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'o') off = true;
		if (c == 'j') json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 1)) != EXIT_OK) return rc;
	if (optind < argc) file = argv[optind];
	if (file && off) return cli_usage(self, "give FILE or --off, not both");
	if (file && file[0] != '/') return cli_usage(self, "FILE must be an absolute path (radiusd's cron and yours differ)");
	if (file && strlen(file) >= 4096) return cli_usage(self, "FILE is too long");
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (off) {
		if (cw_registry_setting_set(reg, CENTRAL_SETTING, "", &e) < 0) rc = cli_fail("%s", e.msg);
		else printf("central access log: none; log show, find and export read this server's own log\n");
	} else if (file) {
		/* Checked before it is kept: the file, the connection, the tables. */
		if (cw_central_conninfo_read(file, conninfo, sizeof(conninfo), &e) < 0) {
			rc = cli_fail("%s", e.msg);
		} else if (cw_ship_connect(conninfo, false, &pg, &e) < 0) {
			rc = cli_fail("%s: %s", file, e.msg);
		} else if (cw_registry_setting_set(reg, CENTRAL_SETTING, file, &e) < 0) {
			rc = cli_fail("%s", e.msg);
		} else {
			printf("central access log: %s; log show, find and export read every node's rows there"
			       " (--local: this server's own)\n", file);
		}
		cw_wipe(conninfo, sizeof(conninfo));
	} else {
		int have = central_connect(reg, &pg);

		if (have < 0) rc = EXIT_FAIL;
		else if (have == 0) printf("central access log: none; log show, find and export read this server's own log\n");
		else rc = central_nodes(pg, json, cli->now);
	}
	PQfinish(pg);
	cw_registry_close(reg);
	return rc;
}

static const cli_cmd_t log_cmds[] = {
	{ "show", log_show,
	  "log show [--since DATE] [--until DATE] [--member ID] [--limit N|--all] [--exports] [--local] [--json]",
	  "Show access log rows, oldest first (the last 100 unless --since, --limit or --all).\n"
	  "Times are UTC with milliseconds; CLOCK is UNSYNC when the clock was not synchronised.\n"
	  "With a central log (log central), every node's rows, with their NODE.\n\n"
	  "  --since DATE   from the start of that local day\n"
	  "  --until DATE   to the end of that local day\n"
	  "  --member ID    one member's rows\n"
	  "  --exports      the record of exports instead\n"
	  "  --local        this server's own log even when a central one is named\n"
	  "  --json         as JSON\n" },
	{ "find", log_find, "log find --mac MAC [--since DATE] [--local] [--json]",
	  "Find a device's rows: the MAC (any common form) is hashed with the device key.\n" },
	{ "export", log_export,
	  "log export --from DATE --to DATE [--member ID|--mac MAC] --case REF [--format csv|json] [--out FILE]"
	  " [--local]",
	  "Export rows for an investigation. Refuses without --case; each export is recorded (who, when,\n"
	  "which rows, how many, under which case) and listed by `log show --exports`.\n\n"
	  "  --from, --to DATE  local days, both included\n"
	  "  --case REF         the incident or request this export answers (required)\n"
	  "  --format F         csv (default) or json\n"
	  "  --out FILE         a new file (0600) instead of standard output, in a directory of root's\n"
	  "                     or yours that no one else can write\n\n"
	  "CSV cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) begin with '.\n" },
	{ "purge", log_purge, "log purge [--json]",
	  "Delete rows older than the retention (cron, daily; radiusd also deletes them as it writes),\n"
	  "overwriting them in the file and truncating the WAL. Sessions (coworkctl session list) ended\n"
	  "before the cut-off go too, and live ones not heard of for 2 days count as ended.\n" },
	{ "retention", log_retention, "log retention [--days N]",
	  "Show or set how long rows are kept (default 180 days, 1 to 3650).\n" },
	{ "central", log_central, "log central [FILE|--off] [--json]",
	  "Name the central access log (PostgreSQL) that cowork-logship fills: FILE holds its libpq\n"
	  "connection string (not readable by others). It is checked (file, connection, tables) before\n"
	  "it is kept; then log show, find and export read every node's rows there. Without FILE: how\n"
	  "far each node has shipped. --off: read this server's own log again.\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_log(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "log", log_cmds, argc - 1, argv + 1);
}
