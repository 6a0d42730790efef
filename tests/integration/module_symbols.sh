#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The module's layering, on the built rlm_cowork.so: it links lib/core and
# lib/server only, so it holds no registry-write, migration, NAS, Disconnect,
# CA-signing, CRL or onboarding code, imports no OpenSSL signing or key
# generation, and exports nothing but `rlm_cowork`. radiusd faces the
# network: code it does not hold cannot be reached through it.
# No server, no ports.
. "$top_srcdir/tests/integration/harness.sh"

SO=$top_builddir/rlm_cowork/.libs/rlm_cowork.so
[ -f "$SO" ] || { not_ok "the module is built" "$SO is missing"; exit 1; }
nm "$SO" >"$TMP/all" 2>&1 && nm -D --defined-only "$SO" >"$TMP/exported" 2>&1 &&
	nm -D --undefined-only "$SO" >"$TMP/imported" 2>&1 || { not_ok "nm reads the module" "$(cat "$TMP/all")"; exit 1; }

# nm sees what the module does hold (so that an absence below means something).
for sym in cw_member_decide cw_guest_decide cw_registry_open_reader cw_logq_start cw_session_record; do
	has "the module holds $sym (lib/server)" " [tT] $sym\$" "$TMP/all"
done
has "... and cw_mac_parse (lib/core)" " [tT] cw_mac_parse\$" "$TMP/all"

# lib/admin and lib/ca: nothing of them.
lacks "no registry write or migration (lib/admin/registry_write.c)" \
	" [tTdDbB] (cw_registry_open_admin|cw_registry_begin|cw_registry_commit|cw_registry_setting_set|cw_registry_ocsp_put|cw_registry_migrate)\$" \
	"$TMP/all"
lacks "no admin registry change (cw_admin_*)" " [tTdDbB] cw_admin_" "$TMP/all"
lacks "no NAS secrets nor Disconnect client (cw_nas_*, cw_dae_*)" " [tTdDbB] cw_(nas|dae)_" "$TMP/all"
lacks "no CA, CRL, OCSP signing or onboarding code (lib/ca)" " [tTdDbB] cw_(ca|crl|ocsp_sign|profile|issued)_" "$TMP/all"
lacks "imports no OpenSSL signing, key generation or PKCS#12 making" \
	"(X509_sign|X509_CRL_sign|X509_REQ_sign|OCSP_basic_sign|EVP_PKEY_keygen|EVP_PKEY_generate|PKCS12_create|EC_KEY_generate_key)" \
	"$TMP/imported"
[ "$(awk '{ print $NF }' "$TMP/exported" | grep -v '^_' | tr '\n' ' ')" = "rlm_cowork " ] &&
	ok "it exports only rlm_cowork" || not_ok "it exports only rlm_cowork" "$(cat "$TMP/exported")"
