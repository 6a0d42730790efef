/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * commands.h - the top-level coworkctl commands, one file each.
 */
#ifndef COWORKCTL_COMMANDS_H
#define COWORKCTL_COMMANDS_H

#include "cli.h"

int cmd_init(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_vlan(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_ssid(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_tenant(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_member(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_cert(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_psk(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_log(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_crl(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_audit(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_status(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_nas(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_site(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_session(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_invite(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_device(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_notify(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);
int cmd_enroll_broker(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);

#endif
