"""Provenance: C2PA manifests (trusted, untrusted, tampered, absent), the invisible watermark
through JPEG and resizing, the visible label, and the keys / verify / consent commands."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dressform.errors import InvalidInputError
from dressform.provenance.disclosure import label_image
from dressform.provenance.edits import half, jpeg
from dressform.provenance.keys import credentials, make_dev_credentials
from dressform.provenance.manifest import ALGORITHMIC_MEDIA, sign, verify
from dressform.provenance.watermark import decode, embed

RENDER = Path(__file__).resolve().parents[1] / "docs" / "render" / "preview.jpg"
PAYLOAD = bytes.fromhex("0123456789abcdef")


@pytest.fixture(scope="module")
def creds(tmp_path_factory):
    return make_dev_credentials(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def marked() -> tuple[Image.Image, Image.Image]:
    original = Image.open(RENDER).convert("RGB")
    original.paste((255, 255, 255), (0, 0, 120, 160))  # a patch of pure white backdrop
    return original, embed(original, PAYLOAD)


def test_the_watermark_is_invisible(marked):
    original, wm = marked
    a, b = (np.asarray(x, dtype=float) for x in (original, wm))
    psnr = 10 * np.log10(255.0 ** 2 / np.mean((a - b) ** 2))
    assert psnr >= 40.0
    white = a.min(axis=2) >= 254
    assert white.any() and np.array_equal(a[white], b[white])  # white backdrop untouched


def jpeg80(image: Image.Image) -> Image.Image:
    return jpeg(image, quality=80)


@pytest.mark.parametrize("attack", [
    lambda im: jpeg80(im),
    pytest.param(lambda im: jpeg80(half(im)), marks=pytest.mark.xfail(
        reason="a 256-px copy re-encoded keeps too little of the tiled mark (BENCHMARKS.md)")),
    lambda im: half(jpeg80(im)),
    lambda im: jpeg80(im.crop((10, 15, im.width - 10, im.height - 15))),
], ids=["jpeg80", "half-then-jpeg80", "jpeg80-then-half", "crop-2pc-jpeg80"])
def test_the_watermark_survives_jpeg_and_resizing(marked, attack):
    assert decode(attack(marked[1])) == PAYLOAD


def test_no_watermark_is_found_where_there_is_none(marked):
    original, wm = marked
    assert decode(original) is None
    assert decode(wm, key=12345) is None
    with pytest.raises(InvalidInputError, match="exactly 8 bytes"):
        embed(original, b"short")


@pytest.mark.parametrize("suffix", [".jpg", ".png"])
def test_signed_images_verify_and_say_synthetic(tmp_path, creds, suffix):
    src = tmp_path / f"render{suffix}"
    Image.open(RENDER).save(src)
    out = sign(src, tmp_path / f"signed{suffix}", creds, title="look",
               clone={"clone_id": "ada", "consent_ref": "consent-1", "campaign": "spring"})
    m = verify(out, creds.trust)
    assert m.trusted and m.synthetic and m.source_type == ALGORITHMIC_MEDIA
    assert m.clone == {"clone_id": "ada", "consent_ref": "consent-1", "campaign": "spring"}
    assert m.signer == "dressform development signer"
    untrusted = verify(out)  # intact, but the development CA is not trusted here
    assert untrusted.state == "Valid" and untrusted.failures == ("signingCredential.untrusted",)
    assert verify(src).present is False
    assert not list(tmp_path.glob(".*partial"))


def test_tampering_and_stripping_are_detected(tmp_path, creds):
    src = tmp_path / "render.jpg"
    Image.open(RENDER).save(src)
    out = sign(src, tmp_path / "signed.jpg", creds, title="look", clone={"clone_id": "a"})
    data = bytearray(out.read_bytes())
    data[-40] ^= 0xFF  # one byte of the picture
    (tmp_path / "tampered.jpg").write_bytes(bytes(data))
    bad = verify(tmp_path / "tampered.jpg", creds.trust)
    assert bad.state == "Invalid" and "assertion.dataHash.mismatch" in bad.failures
    Image.open(out).save(tmp_path / "resaved.jpg", quality=90)
    assert verify(tmp_path / "resaved.jpg").present is False


def test_bad_credentials_are_clear_errors(tmp_path, creds, monkeypatch):
    src = tmp_path / "render.jpg"
    Image.open(RENDER).save(src)
    wrong = make_dev_credentials(tmp_path / "other")
    mixed = type(creds)(wrong.key, creds.chain)  # a key that is not the certificate's
    with pytest.raises(InvalidInputError, match="is not the key of the first certificate"):
        sign(src, tmp_path / "x.jpg", mixed, title="t", clone={})
    (tmp_path / "garbage.pem").write_text("-----BEGIN CERTIFICATE-----\nAAAA\n")
    with pytest.raises(InvalidInputError, match="cannot read"):
        sign(src, tmp_path / "x.jpg", type(creds)(creds.key, tmp_path / "garbage.pem"),
             title="t", clone={})
    assert not (tmp_path / "x.jpg").exists()
    with pytest.raises(InvalidInputError, match="same type"):
        sign(src, tmp_path / "x.png", creds, title="t", clone={})
    monkeypatch.setenv("DRESSFORM_DATA", str(tmp_path / "empty"))
    monkeypatch.delenv("DRESSFORM_SIGNING_KEY", raising=False)
    with pytest.raises(InvalidInputError, match="dressform keys dev"):
        credentials()
    with pytest.raises(InvalidInputError, match="exists"):
        make_dev_credentials(tmp_path / "other")


def test_the_visible_label_sits_in_a_corner():
    image = Image.new("RGB", (600, 900), (240, 240, 240))
    labelled = np.asarray(label_image(image), dtype=int)
    plain = np.asarray(image, dtype=int)
    changed = np.abs(labelled - plain).sum(axis=2) > 0
    rows, cols = np.nonzero(changed)
    assert rows.min() > 0.9 * 900 and cols.max() < 0.6 * 600  # bottom-left only
    assert (labelled[changed].mean(axis=1) < 120).mean() > 0.5  # a dark band with text


def test_keys_verify_and_consent_commands(tmp_path, cli, creds):
    done = cli("keys", "dev", "--folder", str(tmp_path / "k"))
    assert done.returncode == 0 and "signer.key.pem" in done.stdout
    src = tmp_path / "render.jpg"
    Image.open(RENDER).save(src)
    out = sign(src, tmp_path / "signed.jpg", creds, title="look", clone={"clone_id": "ada"})
    ok = cli("verify", str(out), "--trust", str(creds.trust))
    assert ok.returncode == 0 and "Trusted" in ok.stdout and "synthetic" in ok.stdout
    plain = cli("verify", str(src))
    assert plain.returncode == 1 and "no valid C2PA manifest" in plain.stderr
    assert "Traceback" not in plain.stderr

    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    clone = tmp_path / "ada.glb"
    assert cli("clone", "--height", "165", "--weight", "60", "--sex", "female", "-o",
               str(clone), "--no-preview").returncode == 0
    granted = cli("consent", "grant", "ada", "--file", str(clone), "--person", "Ada Example",
                  "--uses", "campaign,e-commerce", "--territories", "EU", "--expires",
                  "2027-06-30", "--licence", "LIC-9", "--db", db)
    assert granted.returncode == 0, granted.stderr
    consent_id = granted.stdout.split()[1].rstrip(":")
    bad = cli("consent", "grant", "ada", "--person", "Ada", "--uses", "billboards",
              "--expires", "2027-01-01", "--licence", "L", "--db", db)
    assert bad.returncode == 1 and "unknown use" in bad.stderr
    assert cli("consent", "revoke", consent_id, "--reason", "withdrawn", "--db",
               db).returncode == 0
    shown = cli("consent", "show", "ada", "--db", db)
    assert shown.returncode == 0 and "revoked" in shown.stdout and "LIC-9" in shown.stdout
