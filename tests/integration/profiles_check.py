# SPDX-License-Identifier: GPL-2.0-or-later
"""profiles_check.py - reads the onboarding files of `coworkctl cert issue
--profile` back with real parsers, for tests/integration/profiles.sh.

    profiles_check.py plist  FILE P12 CA_DER SSID SERVER MEMBER [OUT_P12]
    profiles_check.py nm     FILE P12 CA_DER SSID SERVER MEMBER   (password in $P12PW)
    profiles_check.py libnm  FILE P12 CA_DER SSID SERVER MEMBER   (password in $P12PW)
    profiles_check.py wlan   FILE SSID SERVER THUMBPRINT
    profiles_check.py json   FILE SSID SERVER FILE...

Each prints what is wrong and exits 1, or exits 0 silently. The PKCS#12
password comes from the environment, never from the command line.
"""
import base64
import configparser
import json
import os
import plistlib
import sys
import uuid
import xml.etree.ElementTree as ET


def want(cond, msg):
    if not cond:
        print(msg)
        sys.exit(1)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def is_uuid4(s):
    try:
        return uuid.UUID(s).version == 4
    except ValueError:
        return False


def reverse_dns(name):
    return ".".join(reversed(name.split(".")))


def check_plist(path, p12, ca_der, ssid, server, member, out_p12=None):
    raw = read(path)
    password = os.environ.get("P12PW", "")
    want(not password or password.encode() not in raw, "the PKCS#12 password is in the profile")
    doc = plistlib.loads(raw)
    want(doc.get("PayloadType") == "Configuration", "top-level PayloadType is not Configuration")
    payloads = doc["PayloadContent"]
    by_type = {p["PayloadType"]: p for p in payloads}
    want(len(payloads) == 3 and set(by_type) == {"com.apple.security.pkcs12", "com.apple.security.root",
                                                 "com.apple.wifi.managed"},
         "payload types: %s" % [p["PayloadType"] for p in payloads])
    pk, root, wifi = (by_type["com.apple.security.pkcs12"], by_type["com.apple.security.root"],
                      by_type["com.apple.wifi.managed"])
    want(pk["PayloadContent"] == read(p12), "the PKCS#12 payload is not the bytes of %s" % p12)
    want("Password" not in pk, "the PKCS#12 payload carries a Password")
    want(root["PayloadContent"] == read(ca_der), "the root payload is not the CA certificate")
    uuids = [p["PayloadUUID"] for p in payloads] + [doc["PayloadUUID"]]
    want(len(set(uuids)) == 4 and all(is_uuid4(u) for u in uuids), "payload UUIDs: %s" % uuids)
    ids = [p["PayloadIdentifier"] for p in payloads] + [doc["PayloadIdentifier"]]
    want(len(set(ids)) == 4 and all(i.startswith(reverse_dns(server) + ".") for i in ids),
         "payload identifiers: %s" % ids)
    eap = wifi["EAPClientConfiguration"]
    want(eap["AcceptEAPTypes"] == [13], "AcceptEAPTypes: %s" % eap["AcceptEAPTypes"])
    want(eap["TLSTrustedServerNames"] == [server], "TLSTrustedServerNames: %s" % eap["TLSTrustedServerNames"])
    want(eap["PayloadCertificateAnchorUUID"] == [root["PayloadUUID"]], "the anchor is not the root payload")
    want(eap["UserName"] == member, "UserName: %s" % eap["UserName"])
    want(wifi["PayloadCertificateUUID"] == pk["PayloadUUID"], "the identity is not the PKCS#12 payload")
    want(wifi["SSID_STR"] == ssid, "SSID_STR: %r" % wifi["SSID_STR"])
    want(wifi["AutoJoin"] is True and wifi["EncryptionType"] == "WPA2", "AutoJoin/EncryptionType")
    if out_p12:
        with open(out_p12, "wb") as f:
            f.write(pk["PayloadContent"])


def blob(value, what):
    prefix = "data:;base64,"
    want(value.startswith(prefix), "%s is not a data:;base64, blob" % what)
    return base64.b64decode(value[len(prefix):], validate=True)


def nm_ssid(value):
    """The SSID bytes NetworkManager reads from the ssid key."""
    if value.endswith(";") and all(c.isdigit() or c == ";" for c in value):
        return bytes(int(b) for b in value[:-1].split(";"))
    return value.encode()


def check_nm(path, p12, ca_der, ssid, server, member):
    cp = configparser.RawConfigParser(strict=True)
    cp.optionxform = str
    cp.read(path, encoding="utf-8")
    want(set(cp.sections()) == {"connection", "wifi", "wifi-security", "802-1x", "ipv4", "ipv6"},
         "sections: %s" % cp.sections())
    want(cp["connection"]["type"] == "wifi" and is_uuid4(cp["connection"]["uuid"]), "[connection] type/uuid")
    want(nm_ssid(cp["wifi"]["ssid"]) == ssid.encode(), "ssid: %r" % cp["wifi"]["ssid"])
    want(cp["wifi-security"]["key-mgmt"] == "wpa-eap", "key-mgmt")
    x = cp["802-1x"]
    want(x["eap"] == "tls;" and x["identity"] == member, "eap/identity")
    want(blob(x["ca-cert"], "ca-cert") == read(ca_der), "ca-cert is not the CA certificate")
    want(blob(x["client-cert"], "client-cert") == read(p12) and blob(x["private-key"], "private-key") == read(p12),
         "client-cert/private-key are not the PKCS#12")
    want(x["private-key-password"] == os.environ["P12PW"], "private-key-password is not the printed password")
    want(x["domain-match"] == server and x["domain-suffix-match"] == server, "domain-match/domain-suffix-match")


def check_libnm(path, p12, ca_der, ssid, server, member):
    """NetworkManager's own keyfile reader and verification (libnm, as NetworkManager loads the file)."""
    import gi
    gi.require_version("NM", "1.0")
    from gi.repository import GLib, NM

    kf = GLib.KeyFile()
    kf.load_from_file(path, GLib.KeyFileFlags.NONE)
    warnings = []

    def handler(keyfile, connection, handler_type, handler_data, user_data):
        if handler_type == NM.KeyfileHandlerType.WARN:
            warnings.append(handler_data.warn_get().out_message)
        return True

    con = NM.keyfile_read(kf, os.path.dirname(os.path.abspath(path)), NM.KeyfileHandlerFlags.NONE, handler, None)
    want(not warnings, "libnm warns: %s" % warnings)
    want(con.verify(), "libnm: the connection does not verify")
    s = con.get_setting_802_1x()
    eap = [s.get_eap_method(i) for i in range(s.get_num_eap_methods())]
    want(eap == ["tls"] and s.get_identity() == member, "libnm: eap/identity")
    want(bytes(con.get_setting_wireless().get_ssid().get_data()) == ssid.encode(), "libnm: SSID")
    want(bytes(s.get_ca_cert_blob().get_data()) == read(ca_der), "libnm: CA blob")
    want(bytes(s.get_private_key_blob().get_data()) == read(p12), "libnm: private key blob")
    want(s.get_private_key_format() == NM.Setting8021xCKFormat.PKCS12, "libnm: the key is not read as PKCS#12")
    want(s.get_private_key_password() == os.environ["P12PW"], "libnm: private key password")
    want(s.get_domain_match() == server and s.get_domain_suffix_match() == server, "libnm: domain match")


def check_wlan(path, ssid, server, thumbprint):
    w = "{http://www.microsoft.com/networking/WLAN/profile/v1}"
    root = ET.parse(path).getroot()
    want(root.tag == w + "WLANProfile", "root element %s" % root.tag)
    want(root.findtext(w + "SSIDConfig/" + w + "SSID/" + w + "name") == ssid, "SSID name")
    want(root.findtext(w + "SSIDConfig/" + w + "SSID/" + w + "hex") == ssid.encode().hex().upper(), "SSID hex")
    ae = w + "MSM/" + w + "security/" + w + "authEncryption/" + w
    want([root.findtext(ae + k) for k in ("authentication", "encryption", "useOneX")] == ["WPA2", "AES", "true"],
         "authEncryption")
    texts = {}
    for el in root.iter():
        texts.setdefault(el.tag.split("}")[-1], []).append((el.text or "").strip())
    want(texts.get("Type") == ["13", "13"], "EAP types: %s" % texts.get("Type"))
    want(texts.get("ServerNames") == [server], "ServerNames: %s" % texts.get("ServerNames"))
    want([t.replace(" ", "") for t in texts.get("TrustedRootCA", [])] == [thumbprint],
         "TrustedRootCA %s is not %s" % (texts.get("TrustedRootCA"), thumbprint))
    want(texts.get("DisableUserPromptForServerValidation") == ["true"], "the user may be asked to trust a server")


def check_json(path, ssid, server, *files):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    ob = doc["onboarding"]
    want(ob["ssid"] == ssid and ob["server_name"] == server, "onboarding ssid/server_name: %s" % ob)
    got = [x["path"] for x in ob["files"]]
    want(got == list(files), "onboarding files %s, not %s" % (got, list(files)))
    for x in ob["files"]:
        secret = x["path"].endswith((".nmconnection", ".wpa_supplicant.conf"))
        want(x["holds_password"] == secret, "holds_password of %s" % x["path"])


CHECKS = {"plist": check_plist, "nm": check_nm, "libnm": check_libnm, "wlan": check_wlan, "json": check_json}

if __name__ == "__main__":
    want(len(sys.argv) > 2 and sys.argv[1] in CHECKS, __doc__)
    CHECKS[sys.argv[1]](*sys.argv[2:])
