/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * coworkctl - administer rlm_cowork: CA, VLAN plan, SSIDs, tenants,
 * members and their certificates.
 *
 * main is the global options and a dispatch; each command lives in its
 * own cmd_*.c file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"

static const cli_cmd_t commands[] = {
	{ "init", cmd_init, "init --org NAME --server-name DNSNAME [--group GROUP] [--user USER] [--server-days N]",
	  "Create the state directory, the member CA and the RADIUS server certificate.\n" },
	{ "vlan", cmd_vlan, "vlan set|show ...", "Define or show the VLAN plan.\n" },
	{ "ssid", cmd_ssid, "ssid add|remove|list ...", "Declare the SSIDs and their class.\n" },
	{ "tenant", cmd_tenant, "tenant add|remove|list ...", "Member companies, each on its own VLAN.\n" },
	{ "member", cmd_member, "member add|suspend|resume|remove|show|list ...", "Members of the space.\n" },
	{ "cert", cmd_cert, "cert issue|renew|revoke|list|show|ocsp-sign ...", "Member certificates.\n" },
	{ "device", cmd_device, "device list|approve|unapprove|policy ...",
	  "The devices members' certificates connect from, and the device binding policy.\n" },
	{ "notify", cmd_notify, "notify set|unset|show ...", "The command radiusd runs when a new device connects.\n" },
	{ "nas", cmd_nas, "nas add|set|list|remove|crl ...",
	  "Access points: their site, and Disconnect-Requests (CoA) to them.\n" },
	{ "site", cmd_site, "site add|list|remove ...",
	  "Sites, each with its own access points and guest passphrases.\n" },
	{ "session", cmd_session, "session list|disconnect ...",
	  "Members' live sessions, from accounting; disconnect them.\n" },
	{ "invite", cmd_invite, "invite create|list|revoke|sweep|events|url ...",
	  "Invitations with which members enroll their own devices (see enroll-broker).\n" },
	{ "enroll-broker", cmd_enroll_broker, "enroll-broker [--socket PATH] [--client-user USER]",
	  "Answer the enrollment web service's requests (OPEN, COLLECT, LOST) on a Unix socket until\n"
	  "SIGTERM, as root: the service's one way to the registry.\n" },
	{ "psk", cmd_psk, "psk rotate|show|policy ...", "The guest passphrase of each guest SSID (and site).\n" },
	{ "log", cmd_log, "log show|find|export|purge|retention|central ...", "The access log.\n" },
	{ "crl", cmd_crl, "crl --out FILE [--days N] [--der] [--json]",
	  "Write the member CA's certificate revocation list (for RadSec peers, other RADIUS servers).\n" },
	{ "status", cmd_status, "status [--json]",
	  "What needs attention: clock, guest passphrases, CA and certificate expiry,\n"
	  "OCSP answers, access log. Exit 0 when all is well, 3 when something needs action.\n" },
	{ "audit", cmd_audit, "audit [--lang ja|en] [--json] [--out FILE.html]",
	  "The network and member questions of the shared-office security guideline's checklist\n"
	  "(second edition), each ok, attention or manual with its evidence; --out writes a\n"
	  "printable HTML page. Exit 0 when nothing needs attention, 3 otherwise.\n" },
	{ NULL, NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	fputs("usage: coworkctl [-d STATE_DIR] COMMAND [ARGS]\n"
	      "\n"
	      "Administer rlm_cowork: the member CA, VLAN plan, SSIDs, tenants, members,\n"
	      "their certificates, the guest passphrases and the access log.\n"
	      "\n"
	      "Options:\n"
	      "  -d, --state-dir DIR  state directory (default: $COWORK_STATE, else " COWORK_STATE_DIR ")\n"
	      "  -h, --help           this help\n"
	      "  -V, --version        print the version\n"
	      "\n"
	      "Commands:\n", f);
	for (const cli_cmd_t *c = commands; c->name; c++) {
		fprintf(f, "  %s\n", c->usage);
		/* Each line of the description indented under its command. */
		for (const char *l = c->help; *l;) {
			size_t n = strcspn(l, "\n");

			fprintf(f, "      %.*s\n", (int)n, l);
			l += n + (l[n] == '\n');
		}
	}
	fputs("\nRun 'coworkctl COMMAND --help' for a command's options.\n"
	      "Exit status: 0 done, 1 refused or failed (nothing changed), 2 usage error,\n"
	      "3 done but something needs attention (status; a --notify-cmd that failed; a session that\n"
	      "was not disconnected).\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	cli_t cli;
	int c;

	cli.state_dir = getenv("COWORK_STATE");
	if (!cli.state_dir || !*cli.state_dir) cli.state_dir = COWORK_STATE_DIR;
	cli.now = (int64_t)time(NULL);

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:d:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!*optarg) {
				cli_err("-d needs a directory");
				return EXIT_USAGE;
			}
			cli.state_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("coworkctl %s\n", COWORK_VERSION);
			return EXIT_OK;
		case ':':
			cli_err("option %s needs a value", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			cli_err("unknown option %s", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (const cli_cmd_t *cmd = commands; cmd->name; cmd++) {
		if (strcmp(argv[0], cmd->name) != 0) continue;
		/* Commands see their own name as argv[0], like a program. */
		optind = 0;
		return cmd->run(&cli, cmd, argc, argv);
	}
	if (strcmp(argv[0], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	cli_err("unknown command '%.40s'", argv[0]);
	usage(stderr);
	return EXIT_USAGE;
}
