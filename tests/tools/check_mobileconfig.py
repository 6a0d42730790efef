#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""check_mobileconfig.py - reads an Apple configuration profile of
cw_profile_apple back, signed (cw_profile_sign_with) or not, for the
integration tests.

    check_mobileconfig.py FILE [--ssid SSID] [--server-name NAME] [--member ID]
                               [--org ORG] [--ca CA_FILE] [--signed] [--asks]

A signed profile (DER CMS) is opened with `openssl cms -verify` ($OPENSSL,
else openssl): its signature is always checked, and its signer's chain
too when --ca is given (any purpose: a TLS server certificate may sign
profiles); --signed refuses an unsigned one. The plist is parsed
(plistlib): one PKCS#12, one root and one Wi-Fi payload, cross-referenced;
the PKCS#12 opens with the payload's Password (with --asks: the payload
must have none, the password comes from $P12PW) and holds a certificate
of its key issued by the root payload's CA; the Wi-Fi payload is EAP-TLS
(type 13) on the SSID, trusting the root payload and the server name.
Each value given is checked; the client certificate's CN is printed.
Exit 0; 1 with what is wrong on stderr; 2 on a usage error.
"""
import os
import plistlib
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree for the import below
from check_eapconfig import Bad, check_ca, common_name, equal, expect, load_cert, open_pkcs12, run  # noqa: E402

PAYLOADS = ("com.apple.security.pkcs12", "com.apple.security.root", "com.apple.wifi.managed")


def unsigned(path, ca_file, must_be_signed):
    """The plist bytes of path: the content of a verified CMS SignedData, or the file itself."""
    with open(path, "rb") as f:
        raw = f.read()
    if not raw.startswith(b"\x30"):
        expect(not must_be_signed, "the profile is not signed")
        return raw
    cmd = [os.environ.get("OPENSSL") or "openssl", "cms", "-verify", "-inform", "DER", "-binary", "-in", path]
    cmd += ["-CAfile", ca_file, "-purpose", "any"] if ca_file else ["-noverify"]
    run = subprocess.run(cmd, capture_output=True, check=False)
    expect(run.returncode == 0, "the signature does not verify: %s" % run.stderr.decode(errors="replace").strip())
    return run.stdout


def payloads_of(doc):
    """The three payloads by type, each exactly once."""
    expect(doc.get("PayloadType") == "Configuration", "the top-level PayloadType is not Configuration")
    types = [p.get("PayloadType") for p in doc.get("PayloadContent", [])]
    expect(sorted(types) == sorted(PAYLOADS), "payload types %s" % types)
    return [next(p for p in doc["PayloadContent"] if p["PayloadType"] == t) for t in PAYLOADS]


def password_of(pk, asks):
    """The PKCS#12 password: the payload's, or with asks $P12PW (the payload must not hold one)."""
    if asks:
        expect("Password" not in pk, "the PKCS#12 payload holds a Password")
        expect(os.environ.get("P12PW"), "--asks needs the password in $P12PW")
        return os.environ["P12PW"]
    expect(isinstance(pk.get("Password"), str), "the PKCS#12 payload holds no Password")
    return pk["Password"]


def check_wifi(wifi, pk, root, args):
    eap = wifi.get("EAPClientConfiguration", {})
    expect(eap.get("AcceptEAPTypes") == [13], "AcceptEAPTypes %s, not [13]" % eap.get("AcceptEAPTypes"))
    expect(eap.get("PayloadCertificateAnchorUUID") == [root["PayloadUUID"]], "the anchor is not the root payload")
    expect(wifi.get("PayloadCertificateUUID") == pk["PayloadUUID"], "the identity is not the PKCS#12 payload")
    names = eap.get("TLSTrustedServerNames")
    expect(isinstance(names, list) and len(names) == 1, "TLSTrustedServerNames %s" % names)
    equal("TLSTrustedServerNames", names[0], args.server_name)
    equal("SSID_STR", wifi.get("SSID_STR"), args.ssid)
    equal("UserName", eap.get("UserName"), args.member)


def check(path, args):
    try:
        doc = plistlib.loads(unsigned(path, args.ca, args.signed))
    except plistlib.InvalidFileException as e:
        raise Bad("not a property list: %s" % e) from e
    pk, root, wifi = payloads_of(doc)
    ca = load_cert(root["PayloadContent"], "the root payload")
    check_ca(ca, args.ca)
    cert = open_pkcs12(pk["PayloadContent"], password_of(pk, args.asks), ca)
    cn = common_name(cert)
    check_wifi(wifi, pk, root, args)
    equal("the client certificate's CN", cn, args.member)
    equal("PayloadOrganization", doc.get("PayloadOrganization"), args.org)
    return cn


if __name__ == "__main__":
    run("check_mobileconfig", __doc__, check, ("--signed", "--asks"))
