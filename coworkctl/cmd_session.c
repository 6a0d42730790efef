/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_session.c - coworkctl session list|disconnect: members' sessions as
 * the access points reported them in accounting.
 *
 * A listing never shows the MAC address (the device appears as its keyed
 * hash, as in the access log) nor the User-Name: what identifies a session
 * here is the member, the certificate, the NAS and the session id.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "disconnect.h"
#include "json.h"
#include "names.h"
#include "session.h"
#include "timeutil.h"

static const char *ms_text(int64_t ms, char buf[CW_RFC3339_MS_LEN])
{
	if (ms == 0 || cw_time_format_rfc3339_ms(ms, buf) < 0) return "-";
	return buf;
}

static void session_json(json_t *j, const cw_session_t *s)
{
	char t[CW_RFC3339_MS_LEN], dev[CW_DEVICE_HASH_HEX];

	json_object_begin(j);
	json_kv_string(j, "state", s->stopped_ms ? "ended" : "live");
	json_kv_string(j, "member", s->member);
	json_kv_string(j, "serial", s->serial);
	json_kv_string(j, "nas", s->nas[0] ? s->nas : NULL);
	json_kv_string(j, "nas_address", s->nas_address);
	json_kv_string(j, "acct_session_id", s->acct_session_id);
	if (s->has_device) cw_device_hash_hex(s->device, dev);
	json_kv_string(j, "device", s->has_device ? dev : NULL);
	json_kv_string(j, "started", ms_text(s->started_ms, t));
	json_kv_string(j, "updated", ms_text(s->updated_ms, t));
	json_kv_string(j, "stopped", s->stopped_ms ? ms_text(s->stopped_ms, t) : NULL);
	json_object_end(j);
}

/* A table row; what the NAS sent (its name, the session id) is escaped. */
static int session_row(void *arg, const cw_session_t *s)
{
	cli_list_t *o = arg;
	char started[CW_RFC3339_MS_LEN], updated[CW_RFC3339_MS_LEN], dev[CW_DEVICE_HASH_HEX];
	char nas[CW_LOG_ESCAPED_MAX], id[CW_LOG_ESCAPED_MAX];

	if (o->json) {
		session_json(o->json, s);
		return 0;
	}
	if (o->rows++ == 0) {
		printf("%-24s  %-24s  %-5s  %-16s  %-32s  %-16s  %-15s  %-18s  %s\n", "STARTED (UTC)", "LAST HEARD (UTC)",
		       "STATE", "MEMBER", "SERIAL", "NAS", "NAS ADDRESS", "SESSION ID", "DEVICE");
	}
	if (s->has_device) cw_device_hash_hex(s->device, dev);
	cw_log_escape(s->nas, strlen(s->nas), nas, sizeof(nas));
	cw_log_escape(s->acct_session_id, strlen(s->acct_session_id), id, sizeof(id));
	printf("%-24s  %-24s  %-5s  %-16s  %-32s  %-16s  %-15s  %-18s  %.12s\n", ms_text(s->started_ms, started),
	       ms_text(s->updated_ms, updated), s->stopped_ms ? "ended" : "live", s->member, s->serial,
	       nas[0] ? nas : "-", s->nas_address, id, s->has_device ? dev : "-");
	return 0;
}

/* --member and --serial, checked; the serial normalised into serial_buf. EXIT_OK or EXIT_USAGE. */
static int check_filter(const cli_cmd_t *self, const char *member, const char **serial,
			char serial_buf[CW_SERIAL_HEX_MAX + 1])
{
	cw_err_t e;

	if (member && cw_name_check_id(member, "member id", &e) < 0) return cli_usage(self, "%s", e.msg);
	if (*serial) {
		if (cw_serial_normalise(*serial, strlen(*serial), serial_buf, &e) < 0) return cli_usage(self, "%s", e.msg);
		*serial = serial_buf;
	}
	return EXIT_OK;
}

struct list_job {
	const cw_session_filter_t	*f;
	bool				json;
	int64_t				now;
};

/* In the log worker: the sessions to stdout. */
static int session_list_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	struct list_job *job = arg;
	cli_list_t out;
	int rc = EXIT_OK;
	cw_err_t e;

	(void)out_fd;
	cli_list_begin(&out, job->json, job->now);
	if (cw_session_list(log, job->f, session_row, &out, &e) < 0) rc = cli_fail("%s", e.msg);
	cli_list_end(&out, rc, job->f->all ? "no sessions" : "no live sessions");
	return rc;
}

static int session_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "member", required_argument, NULL, 'm' },
		{ "serial", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cw_session_filter_t f = { NULL, NULL, false };
	char serial[CW_SERIAL_HEX_MAX + 1];
	struct list_job job;
	bool json = false;
	int c, rc = EXIT_OK;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'm') f.member = optarg;
		if (c == 's') f.serial = optarg;
		if (c == 'a') f.all = true;
		if (c == 'j') json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if ((rc = check_filter(self, f.member, &f.serial, serial)) != EXIT_OK) return rc;
	job.f = &f;
	job.json = json;
	job.now = cli->now;
	return cli_accesslog_run(cli, true, NULL, session_list_job, &job, NULL);
}

static int session_disconnect(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "member", required_argument, NULL, 'm' },
		{ "serial", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *member = NULL, *serial = NULL;
	char serial_buf[CW_SERIAL_HEX_MAX + 1];
	disconnect_opts_t dopts;
	int c, rc = EXIT_OK;

	disconnect_opts_init(&dopts);
	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'm') member = optarg;
		if (c == 's') serial = optarg;
		if ((rc = disconnect_option(c, optarg, &dopts)) != EXIT_OK) return rc;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (!member == !serial) return cli_usage(self, "give --member or --serial (one of them)");
	if ((rc = check_filter(self, member, &serial, serial_buf)) != EXIT_OK) return rc;
	return disconnect_sessions(cli, member, serial, &dopts);
}

static const cli_cmd_t session_cmds[] = {
	{ "list", session_list, "session list [--member MEMBER] [--serial SERIAL] [--all] [--json]",
	  "Members' live sessions, from the access points' accounting, oldest first: member, certificate,\n"
	  "NAS, session id, and the device as its keyed hash (never the MAC address).\n\n"
	  "  --member MEMBER   one member's\n"
	  "  --serial SERIAL   one certificate's\n"
	  "  --all             ended sessions too (kept as long as the access log's rows)\n"
	  "  --json            as JSON\n" },
	{ "disconnect", session_disconnect, "session disconnect --member MEMBER|--serial SERIAL [--timeout S]",
	  "Send a Disconnect-Request (RFC 5176) for each live session of a member or a certificate and\n"
	  "print each access point's answer; the registry is not changed (a device that is still allowed\n"
	  "may connect again). Retries what `cert revoke` or `member suspend` could not do.\n"
	  "Exit 0 when all were disconnected (or none was live), 3 otherwise.\n\n"
	  "  --timeout S       wait at most S seconds for the answers (1-60, default 5)\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_session(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "session", session_cmds, argc - 1, argv + 1);
}
