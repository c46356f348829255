"""Signing credentials for C2PA manifests: the user's own (a key and certificate chain from
their certificate authority), or a local development CA made by `dressform keys dev`.

C2PA's certificate profile (as enforced by c2pa-rs) needs an end-entity certificate issued by
a CA — a self-signed one is refused — with keyUsage digitalSignature and the emailProtection
extended key usage; documentSigning alone signs but then fails validation.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from dressform.errors import InvalidInputError
from dressform.paths import data_dir

KEY_FILE, CHAIN_FILE, CA_FILE = "signer.key.pem", "signer.chain.pem", "ca.pem"
#: RFC 9336 documentSigning, listed beside emailProtection.
_DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36"


@dataclass(frozen=True)
class Credentials:
    """A private key, its certificate chain (leaf first) and, for verifying, the trust
    anchor (the CA certificate) if it is not a public one."""

    key: Path
    chain: Path
    trust: Path | None = None

    def check(self) -> None:
        """A clear error unless the key is the private half of the chain's first certificate
        (C2PA would sign with any key and leave an image that fails every check)."""
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        try:
            key = serialization.load_pem_private_key(self.key.read_bytes(), password=None)
            leaf = x509.load_pem_x509_certificates(self.chain.read_bytes())[0]
        except (OSError, ValueError, TypeError, IndexError) as exc:
            raise InvalidInputError(f"cannot read the signing key {self.key} or certificate "
                                    f"chain {self.chain}: {exc}") from exc
        raw = serialization.PublicFormat.SubjectPublicKeyInfo
        pem = serialization.Encoding.PEM
        if key.public_key().public_bytes(pem, raw) != leaf.public_key().public_bytes(pem, raw):
            raise InvalidInputError(f"the signing key {self.key} is not the key of the first "
                                    f"certificate in {self.chain}")


def keys_dir() -> Path:
    return data_dir() / "keys"


def credentials(key: str | os.PathLike[str] | None = None,
                chain: str | os.PathLike[str] | None = None,
                trust: str | os.PathLike[str] | None = None) -> Credentials:
    """The signing credentials given, else `$DRESSFORM_SIGNING_KEY` / `_CHAIN` / `_TRUST`,
    else those `dressform keys dev` wrote; a clear error when there are none."""
    folder = keys_dir()
    k = Path(key or os.environ.get("DRESSFORM_SIGNING_KEY") or folder / KEY_FILE)
    c = Path(chain or os.environ.get("DRESSFORM_SIGNING_CHAIN") or folder / CHAIN_FILE)
    for what, p in (("signing key", k), ("certificate chain", c)):
        if not p.is_file():
            raise InvalidInputError(f"no {what} at {p}: run `dressform keys dev` for a local "
                                    "development certificate, or set DRESSFORM_SIGNING_KEY "
                                    "and DRESSFORM_SIGNING_CHAIN to your own")
    return Credentials(k, c, trust_anchors(trust))


def trust_anchors(trust: str | os.PathLike[str] | None = None) -> Path | None:
    """The PEM file of trust anchors to verify against: `trust`, else
    `$DRESSFORM_SIGNING_TRUST`, else the development CA of `dressform keys dev` if there is
    one (None: only the signer's own chain is known)."""
    t = Path(trust or os.environ.get("DRESSFORM_SIGNING_TRUST") or keys_dir() / CA_FILE)
    return t if t.is_file() else None


def make_dev_credentials(folder: str | os.PathLike[str] | None = None,
                         days: int = 365, overwrite: bool = False) -> Credentials:
    """A development CA (EC P-256) and an ES256 signing certificate issued by it, written to
    `folder` (default `keys_dir()`): for trying dressform out, never for published images."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    out = Path(folder) if folder is not None else keys_dir()
    if (out / KEY_FILE).exists() and not overwrite:
        raise InvalidInputError(f"{out / KEY_FILE} exists: pass overwrite (--force) to "
                                "replace it (images signed with it stay verifiable only "
                                "with its CA)")
    out.mkdir(parents=True, exist_ok=True)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                                             "dressform (development)"),
                          x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def usage(sign: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=sign, content_commitment=False,
                             key_encipherment=False, data_encipherment=False,
                             key_agreement=False, key_cert_sign=not sign, crl_sign=not sign,
                             encipher_only=False, decipher_only=False)

    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski)
    ca_name = name("dressform development root CA")
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now).not_valid_after(now + dt.timedelta(days=5 * days))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(usage(sign=False), critical=True)
          .add_extension(ca_ski, critical=False).add_extension(aki, critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(name("dressform development signer"))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage(sign=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                                  x509.ObjectIdentifier(_DOCUMENT_SIGNING)]),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .add_extension(aki, critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    key_path = out / KEY_FILE
    key_path.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    (out / CHAIN_FILE).write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
    (out / CA_FILE).write_bytes(ca.public_bytes(pem))
    return Credentials(key_path, out / CHAIN_FILE, out / CA_FILE)
