/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_notify.c - coworkctl notify set|unset|show: the command radiusd runs
 * for an event (for now: new-device).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "device.h"
#include "hook.h"
#include "json.h"

static int notify_set(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	int rc;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 2, 2, NULL, &rc) < 0) return rc;
	if (strcmp(argv[optind], CW_NOTIFY_NEW_DEVICE) != 0) {
		return cli_usage(self, "unknown event \"%.32s\": the only one is " CW_NOTIFY_NEW_DEVICE, argv[optind]);
	}
	if (!argv[optind + 1][0] || strlen(argv[optind + 1]) > CW_HOOK_CMD_MAX) {
		return cli_usage(self, "the command must be 1 to %d bytes", CW_HOOK_CMD_MAX);
	}
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_admin_notify_set(reg, argv[optind], argv[optind + 1], &e) < 0) rc = cli_fail("%s", e.msg);
	else printf("notify %s: %s\n", argv[optind], argv[optind + 1]);
	cw_registry_close(reg);
	return rc;
}

static int notify_unset(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	int rc;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 1, 1, NULL, &rc) < 0) return rc;
	if (strcmp(argv[optind], CW_NOTIFY_NEW_DEVICE) != 0) {
		return cli_usage(self, "unknown event \"%.32s\": the only one is " CW_NOTIFY_NEW_DEVICE, argv[optind]);
	}
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_admin_notify_set(reg, argv[optind], NULL, &e) < 0) rc = cli_fail("%s", e.msg);
	else printf("notify %s: none\n", argv[optind]);
	cw_registry_close(reg);
	return rc;
}

static int notify_show(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	char cmd[CW_HOOK_CMD_MAX + 1];
	cw_registry_t *reg;
	bool json;
	json_t j;
	int rc, set;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 0, 0, &json, &rc) < 0) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	set = cw_admin_notify_get(reg, CW_NOTIFY_NEW_DEVICE, cmd, sizeof(cmd), &e);
	cw_registry_close(reg);
	if (set < 0) return cli_fail("%s", e.msg);
	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j);
		json_kv_string(&j, CW_NOTIFY_NEW_DEVICE, set ? cmd : NULL);
		json_object_end(&j);
		json_end(&j);
	} else {
		printf("%-12s %s\n", CW_NOTIFY_NEW_DEVICE, set ? cmd : "(none)");
	}
	return EXIT_OK;
}

static const cli_cmd_t notify_cmds[] = {
	{ "set", notify_set, "notify set new-device CMD",
	  "radiusd runs CMD (with /bin/sh -c, as radiusd's user, at most 10 s, 4 at a time) when a\n"
	  "member certificate is first seen from a device. Its environment: COWORK_EVENT=new-device,\n"
	  "COWORK_MEMBER, COWORK_SERIAL, COWORK_DEVICE (the device's keyed hash, never its MAC),\n"
	  "COWORK_DEVICE_STATE (bound, new, approved or refused) and PATH; nothing on standard input.\n" },
	{ "unset", notify_unset, "notify unset new-device", "Run nothing for the event.\n" },
	{ "show", notify_show, "notify show [--json]", "The command of each event.\n\n  --json   as JSON\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_notify(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "notify", notify_cmds, argc - 1, argv + 1);
}
