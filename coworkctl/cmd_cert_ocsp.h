/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_cert_ocsp.h - coworkctl cert ocsp-sign: the pre-signed OCSP answers
 * that certificates issued before them lack (see lib/ca/ocsp.h).
 */
#ifndef COWORKCTL_CMD_CERT_OCSP_H
#define COWORKCTL_CMD_CERT_OCSP_H

#include "cli.h"

/* Usage and help of `cert ocsp-sign`, for the cert command table. */
#define CERT_OCSP_SIGN_USAGE "cert ocsp-sign [SERIAL...] [--all] [--json]"
#define CERT_OCSP_SIGN_HELP \
	"Sign, with the CA key, the OCSP answer \"good\" that the module's OCSP responder serves during\n" \
	"the TLS handshake while a certificate may connect. Needed only with the OCSP alternative\n" \
	"(ocsp_port; the shipped set-up checks the registry in the handshake instead). `cert issue`\n" \
	"signs one for each new certificate; certificates issued by an older version have none, and\n" \
	"the OCSP alternative refuses them in the handshake until this has run. Without arguments:\n" \
	"every certificate (not revoked, not expired) that lacks one.\n\n" \
	"  SERIAL...   (re-)sign these certificates' answers\n" \
	"  --all       re-sign every certificate that is not revoked and not expired\n" \
	"  --json      print what was signed as JSON\n"

int cert_ocsp_sign(cli_t *cli, const cli_cmd_t *self, int argc, char **argv);

#endif
