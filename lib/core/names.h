/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names.h - what admins may call things.
 *
 * Member and tenant ids end up in certificate subjects, log rows and file
 * names (DIR/alice.p12), so they are kept to a small, unambiguous set.
 */
#ifndef COWORK_NAMES_H
#define COWORK_NAMES_H

#include <stddef.h>

#include "cowork.h"

/*
 * A member or tenant id: 1..64 characters of lowercase letters, digits and
 * . _ - @, starting with a letter or digit. `what` ("member id", "tenant
 * id") goes into the message. 0, or -1 with err.
 */
int cw_name_check_id(const char *s, const char *what, cw_err_t *err);

/*
 * An SSID as an admin types it: 1..32 bytes of valid UTF-8 without
 * control characters. 0, or -1 with err.
 */
int cw_name_check_ssid(const char *s, cw_err_t *err);

/*
 * A value that goes into a certificate subject (organisation name, common
 * name): 1..max_chars characters of valid UTF-8, without control
 * characters, '/' or '\\'. The last two would make the X509_NAME_oneline()
 * form the registry compares ambiguous ("/O=a/CN=b" forged from a single
 * value). `what` names it in the message; *nchars (may be NULL) gets the
 * number of characters. 0, or -1 with err.
 */
int cw_name_check_dn_value(const char *s, size_t max_chars, const char *what, size_t *nchars, cw_err_t *err);

/* An organisation name: cw_name_check_dn_value with 64 characters (X.520's bound). 0 or -1. */
int cw_name_check_org(const char *s, cw_err_t *err);

/*
 * A DNS host name for the server certificate: 1..253 characters, labels of
 * 1..63 letters, digits and '-' (not at either end), at least two labels.
 * 0 or -1.
 */
int cw_name_check_dns(const char *s, cw_err_t *err);

#endif
