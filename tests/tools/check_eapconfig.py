#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""check_eapconfig.py - reads an eduroam .eap-config of cw_profile_eap_config
back as a geteduroam app would, for the integration tests.

    check_eapconfig.py FILE [--ssid SSID] [--server-name NAME] [--member ID]
                            [--org ORG] [--ca CA_FILE]

Validates FILE against tests/fixtures/eap-metadata.xsd (lxml), decodes the
CA certificate and opens the PKCS#12 with the file's Passphrase
(python3-cryptography), checks that the client certificate is the key's and
was issued by that CA, checks each value given, and prints the client
certificate's CN. Exit 0; 1 with what is wrong on stderr; 2 on a usage error.
Needs Debian's python3 (/usr/bin/python3) with python3-lxml and
python3-cryptography. The checks of certificates are shared with
check_mobileconfig.py.
"""
import argparse
import base64
import binascii
import os
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from lxml import etree

XSD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "eap-metadata.xsd")


class Bad(Exception):
    """What is wrong with the file."""


def expect(cond, msg):
    if not cond:
        raise Bad(msg)


def load_cert(data, what):
    """An X.509 certificate from DER or PEM bytes."""
    try:
        if data.lstrip().startswith(b"-----"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as e:
        raise Bad("%s is not an X.509 certificate: %s" % (what, e)) from e


def spki(key):
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def check_issued_by(cert, ca):
    """cert's signature verifies with ca's key (ECDSA or RSA) and names ca as its issuer."""
    expect(cert.issuer == ca.subject, "the client certificate's issuer %s is not the CA %s" %
           (cert.issuer.rfc4514_string(), ca.subject.rfc4514_string()))
    pub = ca.public_key()
    try:
        if isinstance(pub, ec.EllipticCurvePublicKey):
            pub.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
        elif isinstance(pub, rsa.RSAPublicKey):
            pub.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(),
                       cert.signature_hash_algorithm)
        else:
            raise Bad("the CA's key type %s is not checked here" % type(pub).__name__)
    except InvalidSignature as e:
        raise Bad("the client certificate's signature does not verify with the CA's key") from e


def open_pkcs12(data, password, ca):
    """The client certificate of a PKCS#12 opened with password: its key's, issued by ca."""
    try:
        key, cert, _ = pkcs12.load_key_and_certificates(data, password.encode())
    except ValueError as e:
        raise Bad("the PKCS#12 does not open with its password: %s" % e) from e
    expect(key is not None and cert is not None, "the PKCS#12 lacks the key or the certificate")
    expect(spki(key.public_key()) == spki(cert.public_key()), "the PKCS#12's key is not its certificate's")
    check_issued_by(cert, ca)
    return cert


def common_name(cert):
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    expect(len(cns) == 1, "the client certificate has %d CNs" % len(cns))
    return cns[0].value


def check_ca(ca, ca_file):
    """ca is the certificate of ca_file (PEM or DER), when one is given."""
    if ca_file:
        with open(ca_file, "rb") as f:
            want = load_cert(f.read(), ca_file)
        expect(ca == want, "the embedded CA is not the one of %s" % ca_file)


def equal(what, got, want):
    """got is want, when want is given."""
    expect(want is None or got == want, "%s is %r, not %r" % (what, got, want))


def b64(text, what):
    """Strict base64, on one line (as the apps decode it)."""
    try:
        return base64.b64decode(text or "", validate=True)
    except binascii.Error as e:
        raise Bad("%s is not base64 on one line: %s" % (what, e)) from e


def parse_valid(path):
    """The document of path, valid against our schema."""
    schema = etree.XMLSchema(etree.parse(XSD))
    try:
        doc = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        raise Bad("not well-formed XML: %s" % e) from e
    if not schema.validate(doc):
        raise Bad("not valid against %s: %s" % (os.path.basename(XSD), schema.error_log.last_error))
    return doc.getroot()


def check(path, args):
    root = parse_valid(path)
    idp = root.find("EAPIdentityProvider")
    method = idp.find("AuthenticationMethods/AuthenticationMethod")
    ca = load_cert(b64(method.findtext("ServerSideCredential/CA"), "CA"), "the CA")
    check_ca(ca, args.ca)
    client = method.find("ClientSideCredential")
    cert = open_pkcs12(b64(client.findtext("ClientCertificate"), "ClientCertificate"), client.findtext("Passphrase"),
                       ca)
    cn = common_name(cert)
    equal("ID", idp.get("ID"), args.server_name)
    equal("ServerID", method.findtext("ServerSideCredential/ServerID"), args.server_name)
    equal("OuterIdentity", client.findtext("OuterIdentity"), args.member)
    equal("the client certificate's CN", cn, args.member)
    equal("SSID", idp.findtext("CredentialApplicability/IEEE80211/SSID"), args.ssid)
    equal("DisplayName", idp.findtext("ProviderInfo/DisplayName"), args.org)
    return cn


def run(prog, doc, check_file, flags=()):
    """The command line of both checkers: FILE, the values to check, flags (store_true);
    prints what check_file(path, args) returns (the CN) or exits 1 with what is wrong."""
    ap = argparse.ArgumentParser(prog=prog, description=doc.split("\n\n")[0])
    ap.add_argument("file")
    for opt in ("--ssid", "--server-name", "--member", "--org", "--ca"):
        ap.add_argument(opt)
    for flag in flags:
        ap.add_argument(flag, action="store_true")
    args = ap.parse_args()
    try:
        print(check_file(args.file, args))
    except (Bad, OSError, KeyError) as e:
        print("%s: %s: %s" % (prog, args.file, e), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    run("check_eapconfig", __doc__, check)
