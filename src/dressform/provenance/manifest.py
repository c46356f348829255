"""C2PA manifests (c2pa-python): every output says it is synthetic — a `c2pa.created` action
with the IPTC digital source type for algorithmic media (a 3-D render: made by an algorithm,
not by a model trained on pictures) — and names its clone, the clone's consent and the
campaign, signed with the user's credentials. Signing works offline (no timestamp authority),
so a manifest is valid while its certificate is.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dressform import __version__
from dressform.errors import DressformError, InvalidInputError
from dressform.files import atomic_path
from dressform.provenance.keys import Credentials

ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
CLONE_ASSERTION = "com.dressform.clone"
_MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
         ".pdf": "application/pdf"}
_OFFLINE = {"ocsp_fetch": False, "remote_manifest_fetch": False}


class ProvenanceError(DressformError):
    """An image that could not be signed (bad credentials, unsupported file)."""


@dataclass(frozen=True)
class Manifest:
    """What `verify` read from an image's C2PA manifest store."""

    path: Path
    present: bool
    #: "Trusted" (intact, signer chains to a trust anchor), "Valid" (intact, signer not
    #: trusted here), "Invalid" (tampered), or None (no manifest).
    state: str | None = None
    title: str | None = None
    source_type: str | None = None
    clone: dict[str, Any] = field(default_factory=dict)
    signer: str | None = None
    issuer: str | None = None
    failures: tuple[str, ...] = ()

    @property
    def trusted(self) -> bool:
        return self.state == "Trusted"

    @property
    def synthetic(self) -> bool:
        return self.source_type == ALGORITHMIC_MEDIA


def _mime(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise InvalidInputError(f"{path.name}: C2PA signing here handles .jpg, .jpeg, .png "
                                "and .pdf")
    return mime


def sign(src: str | os.PathLike[str], dst: str | os.PathLike[str], creds: Credentials, *,
         title: str, clone: dict[str, Any]) -> Path:
    """Write `src` to `dst` (same type) with a signed manifest: synthetic, made by dressform,
    and the `clone` assertion (clone id, consent reference, campaign, shot). `dst` appears
    only once complete."""
    import c2pa

    src, dst = Path(src), Path(dst)
    creds.check()
    mime = _mime(src)
    if _mime(dst) != mime:
        raise InvalidInputError(f"sign {src.name} into a file of the same type, not {dst.name}")
    definition = {
        "claim_generator_info": [{"name": "dressform", "version": __version__}],
        "title": title, "format": mime,
        "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": [{
                "action": "c2pa.created", "digitalSourceType": ALGORITHMIC_MEDIA,
                "softwareAgent": {"name": "dressform", "version": __version__}}]}},
            {"label": CLONE_ASSERTION, "data": clone},
        ],
    }
    info = c2pa.C2paSignerInfo(alg="es256", sign_cert=creds.chain.read_bytes(),
                               private_key=creds.key.read_bytes(), ta_url=None)
    settings = {"builder": {"thumbnail": {"enabled": False}},
                "verify": {"verify_after_sign": False, **_OFFLINE}}
    try:
        with (atomic_path(dst) as partial, c2pa.Context.from_dict(settings) as ctx,
              c2pa.Signer.from_info(info) as signer,
              c2pa.Builder(definition, context=ctx) as builder,
              open(src, "rb") as fin, open(partial, "w+b") as fout):
            builder.sign(signer, mime, fin, fout)
    except c2pa.C2paError as exc:
        raise ProvenanceError(f"could not sign {dst.name}: {exc} (check the key and its "
                              "certificate chain)") from exc
    return dst


def verify(path: str | os.PathLike[str], trust: str | os.PathLike[str] | None = None
           ) -> Manifest:
    """The manifest of image `path`, validated; `trust` is a PEM file of trust anchors (a
    development CA) for the signer's certificate."""
    import c2pa

    p = Path(path)
    if not p.is_file():
        raise InvalidInputError(f"no image {p}")
    head = p.read_bytes()[:8]
    mime = ("image/png" if head.startswith(b"\x89PNG") else "image/jpeg"
            if head.startswith(b"\xff\xd8") else "application/pdf"
            if head.startswith(b"%PDF") else _mime(p))
    settings: dict[str, Any] = {"verify": {"verify_trust": True, **_OFFLINE}}
    if trust is not None:
        settings["trust"] = {"trust_anchors": Path(trust).read_text(encoding="ascii")}
    try:
        with c2pa.Context.from_dict(settings) as ctx, open(p, "rb") as f:
            reader = c2pa.Reader.try_create(mime, f, None, ctx)
            if reader is None:
                return Manifest(p, present=False)
            with reader:
                store = json.loads(reader.json())
    except c2pa.C2paError as exc:
        return Manifest(p, present=True, state="Invalid", failures=(str(exc),))
    active = (store.get("manifests") or {}).get(store.get("active_manifest")) or {}
    assertions = {a.get("label"): a.get("data") for a in active.get("assertions") or []}
    actions = (assertions.get("c2pa.actions.v2") or assertions.get("c2pa.actions") or {})
    created = next((a for a in actions.get("actions", []) if a.get("action") == "c2pa.created"),
                   {})
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = [s["code"] for s in results.get("failure", [])]
    failures += [s["code"] for s in store.get("validation_status") or []
                 if s.get("code") not in failures and s.get("success") is not True]
    info = active.get("signature_info") or {}
    return Manifest(p, True, store.get("validation_state"), active.get("title"),
                    created.get("digitalSourceType"), assertions.get(CLONE_ASSERTION) or {},
                    info.get("common_name"), info.get("issuer"), tuple(failures))
