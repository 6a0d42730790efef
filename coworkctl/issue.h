/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * issue.h - what every command that issues a member certificate shares
 * (cert issue and renew, invite create): its PKCS#12 password and its
 * record in the registry.
 */
#ifndef COWORKCTL_ISSUE_H
#define COWORKCTL_ISSUE_H

#include <stdint.h>

#include "ca.h"
#include "registry_admin.h"

/* 4 groups of 5 from a 31-symbol alphabet (rand.h): about 99 bits. */
#define P12_PASSWORD_GROUPS 4
#define P12_PASSWORD_GROUP_LEN 5
#define P12_PASSWORD_LEN (P12_PASSWORD_GROUPS * (P12_PASSWORD_GROUP_LEN + 1))

/* A new PKCS#12 password into out (P12_PASSWORD_LEN bytes, terminated). 0, or -1 with err. */
int issue_password(char out[P12_PASSWORD_LEN], cw_err_t *err);

/* The registry's record of a certificate just issued to member at now (no OCSP answer, nothing pending). */
void issue_record(cw_cert_record_t *rec, const char *member, const cw_cert_info_t *info, int64_t now);

#endif
