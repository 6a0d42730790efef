/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * issue.c - what every command that issues a member certificate shares.
 */
#include <string.h>

#include "issue.h"
#include "rand.h"

int issue_password(char out[P12_PASSWORD_LEN], cw_err_t *err)
{
	return cw_password_generate(out, P12_PASSWORD_LEN, P12_PASSWORD_GROUPS, P12_PASSWORD_GROUP_LEN, err);
}

void issue_record(cw_cert_record_t *rec, const char *member, const cw_cert_info_t *info, int64_t now)
{
	memset(rec, 0, sizeof(*rec));
	(void)cw_snprintf(rec->serial, sizeof(rec->serial), "%s", info->serial);
	(void)cw_snprintf(rec->member, sizeof(rec->member), "%s", member);
	(void)cw_snprintf(rec->subject, sizeof(rec->subject), "%s", info->subject);
	(void)cw_snprintf(rec->issuer, sizeof(rec->issuer), "%s", info->issuer);
	(void)cw_snprintf(rec->sha256, sizeof(rec->sha256), "%s", info->sha256);
	rec->not_before = info->not_before;
	rec->not_after = info->not_after;
	rec->issued_at = now;
}
