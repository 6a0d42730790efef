#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""profile_p12.py - the PKCS#12 inside an enrollment file, for eapol_test.

    profile_p12.py FILE OUT.p12

FILE is an Apple .mobileconfig (plain, or signed: then `openssl cms
-verify -noverify` opens it) or an eduroam .eap-config. Writes the PKCS#12
to OUT.p12 (0600) and prints its password (the profile's Password or
Passphrase). Exit 0, or 1 with what is wrong.
"""
import base64
import os
import plistlib
import subprocess
import sys
import xml.etree.ElementTree as ET


def from_mobileconfig(data):
    if not data.lstrip().startswith(b"<?xml"):
        data = subprocess.run([os.environ.get("OPENSSL", "openssl"), "cms", "-verify", "-noverify", "-inform", "DER"],
                              input=data, capture_output=True, check=True).stdout
    plist = plistlib.loads(data)
    for p in plist["PayloadContent"]:
        if p["PayloadType"] == "com.apple.security.pkcs12":
            return p["PayloadContent"], p["Password"]
    raise ValueError("no PKCS#12 payload")


def from_eapconfig(data):
    root = ET.fromstring(data)
    cert = pw = None
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "ClientCertificate":
            cert = base64.b64decode(el.text)
        elif tag == "Passphrase":
            pw = el.text
    if cert is None or pw is None:
        raise ValueError("no ClientCertificate with a Passphrase")
    return cert, pw


def main():
    path, out = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    try:
        p12, pw = from_eapconfig(data) if b"EAPIdentityProviderList" in data else from_mobileconfig(data)
    except (ValueError, KeyError, ET.ParseError, subprocess.CalledProcessError) as e:
        print("profile_p12.py: %s: %s" % (path, e))
        sys.exit(1)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, p12)
    os.close(fd)
    print(pw)


main()
