"""A campaign's proofs: a contact sheet (one PNG of every finished shot, labelled) and a
lookbook PDF (a cover, then a page per look with its shots and captions), from the images on
record whose consent still allows them (each checked, each refusal audited).

Proofs are published images like the shots: each carries a signed C2PA manifest (synthetic,
the campaign, and every image in it with its clone and consent), and the invisible watermark —
the contact sheet its own, each picture of the lookbook its shot's. After every run a proof is
rebuilt when what it shows changed (a shot made, a clone's consent revoked), removed when
nothing may be shown, and written in one step.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PIL import Image

from dressform.campaign.gate import PROOFS, allowed, audit_refusal, consent_ref
from dressform.campaign.plan import Member, Plan, Shot
from dressform.campaign.spec import Campaign, GarmentItem
from dressform.campaign.work import watermark_payload
from dressform.files import atomic_path, scratch_dir
from dressform.provenance.consent import ConsentError
from dressform.provenance.keys import Credentials
from dressform.store.db import Store

DISCLOSURE = ("Every image is synthetic: a 3-D render of a digital clone, signed with a C2PA "
              "manifest and watermarked.")


#: The proofs' files in the output folder.
CONTACT_SHEET, LOOKBOOK = "contact_sheet.png", "lookbook.pdf"


def finished_shots(p: Plan, store: Store, root: Path) -> list[tuple[Shot, Path]]:
    """The plan's shots whose image is on record and on disk, in plan order."""
    recorded = {o.path for o in store.outputs(p.campaign.name)}
    out = []
    for s in p.shots:
        path = root / s.output
        if str(path) in recorded and path.is_file():
            out.append((s, path))
    return out


def publishable(p: Plan, store: Store, root: Path, today: date
                ) -> list[tuple[Shot, Path, str | None]]:
    """The finished shots whose clone's consent allows the campaign's use today, with that
    consent's id; one audit event for each shot left out. One check per clone: every shot of
    a clone shares its answer."""
    verdicts: dict[str, str | ConsentError | None] = {}
    out = []
    for s, path in finished_shots(p, store, root):
        m = s.member
        if m.clone_id not in verdicts:
            try:
                verdicts[m.clone_id] = consent_ref(allowed(store, p.campaign, m, today))
            except ConsentError as exc:
                verdicts[m.clone_id] = exc
        verdict = verdicts[m.clone_id]
        if isinstance(verdict, ConsentError):
            audit_refusal(store, p.campaign, m, s.output, verdict, PROOFS)
        else:
            out.append((s, path, verdict))
    return out


def proof_payload(campaign: str, proof: str) -> bytes:
    """The watermark of a campaign's proof: the start of a hash of its name and the proof's."""
    return hashlib.sha256(f"{campaign}/{proof}".encode()).digest()[:8]


def contents(campaign: Campaign, proof: str, shots: list[tuple[Shot, Path, str | None]]
             ) -> dict[str, Any]:
    """What a proof's manifest says it shows: the campaign and each image with its clone and
    consent (and hash, so a remade image makes a new proof)."""
    from dressform.campaign.work import sha256_file

    return {"campaign": campaign.name, "proof": proof, "use": campaign.use,
            "images": [{"output": s.output, "clone_id": s.member.clone_id, "consent_ref": ref,
                        "sha256": sha256_file(path)} for s, path, ref in shots]}


def _who(m: Member) -> str:
    from dressform.body.cast import sex_word
    from dressform.body.spec import BodySpec

    spec = BodySpec(**m.spec)
    return (f"{m.name}: {sex_word(spec.sex)}, {spec.age_years:.0f} years, "
            f"{spec.height_cm:.0f} cm, Monk skin tone {spec.skin_tone} "
            f"({'synthetic' if m.synthetic else 'a real person, with consent'})")


def _what(g: GarmentItem) -> str:
    size = "each model's own size" if g.size == "own" else f"size {g.size}"
    made = g.block or Path(g.pattern or "").name
    return f"{made} in {g.color} {g.fabric.replace('_', ' ')} ({size})"


def _thumbnail(path: Path, box: tuple[int, int], mark: bytes | None = None) -> Image.Image:
    """The image at `path` in RGB, shrunk (never enlarged) to fit `box`; watermarked again
    with `mark` when shrunk below half its size (a mark is made to survive a half only)."""
    with Image.open(path) as im:
        small = im.convert("RGB")
    width = small.width
    small.thumbnail(box)
    if mark is not None and small.width * 2 < width:
        from dressform.provenance.watermark import embed

        small = embed(small, mark)
    return small


def _caption(s: Shot) -> str:
    return f"{s.member.name} · {s.drape.look} · {s.pose}"


def contact_sheet(shots: list[tuple[Shot, Path]], path: Path, columns: int = 4,
                  mark: bytes | None = None) -> Path:
    """The shots' thumbnails in a grid with captions, as a PNG (watermarked with `mark`)."""
    from dressform.render.preview import contact_sheet as sheet

    images = [_thumbnail(p, (256, 384)) for _, p in shots]
    picture = sheet(images, [_caption(s) for s, _ in shots], columns=min(columns, len(images)),
                    tile_size=(256, 384)).convert("RGB")
    if mark is not None:
        from dressform.provenance.watermark import embed

        picture = embed(picture, mark)
    with atomic_path(path) as tmp:
        picture.save(tmp, format="PNG")
    return path


def lookbook(campaign: Campaign, shots: list[tuple[Shot, Path]], path: Path) -> Path:
    """A landscape A4 PDF: the cover (campaign, cast, looks, disclosure), then each look on
    pages of up to eight shots with their captions."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    width, height = landscape(A4)
    with atomic_path(path) as tmp:
        _lookbook(campaign, shots, Canvas(str(tmp), pagesize=(width, height)), width, height)
    return path


def _lookbook(campaign: Campaign, shots: list[tuple[Shot, Path]], pdf: Any, width: float,
              height: float) -> None:
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader

    pdf.setTitle(f"{campaign.name} lookbook")
    pdf.setCreator("dressform")

    def footer() -> None:
        pdf.setFont("Helvetica-Oblique", 7)
        pdf.drawString(10 * mm, 7 * mm, DISCLOSURE)

    clones = sorted({s.member.name for s, _ in shots})
    looks = list(dict.fromkeys(s.drape.look for s, _ in shots))
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawString(20 * mm, height - 40 * mm, campaign.name)
    pdf.setFont("Helvetica", 12)
    lines = (f"{len(shots)} images of {len(clones)} clones in {len(looks)} looks",
             f"Use: {campaign.use}; territories: {', '.join(campaign.territories)}",
             f"Made {datetime.now(UTC):%Y-%m-%d} with dressform")
    members = list({s.member.name: s.member for s, _ in shots}.values())
    items = {g.name: g for g in campaign.collection}
    lines += ("", "Cast", *[_who(m) for m in members], "", "Looks",
              *[f"{lk.name}: " + " + ".join(_what(items[g]) for g in lk.garments)
                for lk in campaign.looks if lk.name in looks])
    for k, line in enumerate(lines):
        bold = line in ("Cast", "Looks")
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", 12 if k < 3 or bold else 10)
        pdf.drawString(20 * mm, height - (55 + 7 * k) * mm, line)
    hero_h = height - 50 * mm  # the first shot, full height on the right of the cover
    hero = _thumbnail(shots[0][1], (1200, 1800), watermark_payload(shots[0][0].key))
    hero_w = hero_h * hero.width / hero.height
    pdf.drawImage(ImageReader(hero), width - 20 * mm - hero_w, 25 * mm, hero_w, hero_h)
    footer()
    pdf.showPage()
    cols, rows, gap = 4, 2, 6 * mm
    cell_w = (width - 20 * mm - (cols - 1) * gap) / cols
    cell_h = (height - 40 * mm - (rows - 1) * gap) / rows - 6 * mm
    for look in looks:
        page = [(s, p) for s, p in shots if s.drape.look == look]
        for start in range(0, len(page), cols * rows):
            pdf.setFont("Helvetica-Bold", 16)
            pdf.drawString(10 * mm, height - 15 * mm, f"Look: {look}")
            for k, (s, p) in enumerate(page[start:start + cols * rows]):
                x = 10 * mm + (k % cols) * (cell_w + gap)
                top = height - 22 * mm - (k // cols) * (cell_h + gap + 6 * mm)
                small = _thumbnail(p, (int(cell_w / mm * 8), int(cell_h / mm * 8)),
                                   watermark_payload(s.key))
                scale = min(cell_w / small.width, cell_h / small.height)
                w, h = small.width * scale, small.height * scale
                pdf.drawImage(ImageReader(small), x + (cell_w - w) / 2, top - h, w, h)
                pdf.setFont("Helvetica", 8)
                pdf.drawCentredString(x + cell_w / 2, top - cell_h - 4 * mm,
                                      f"{s.member.name} - {s.pose}, {s.camera}")
            footer()
            pdf.showPage()
    pdf.save()


def _current(path: Path, said: dict[str, Any], creds: Credentials) -> bool:
    """Whether the proof at `path` is intact, signed, and shows exactly `said`."""
    from dressform.provenance.manifest import verify

    if not path.is_file():
        return False
    m = verify(path, creds.trust)
    intact = all(f == "signingCredential.untrusted" for f in m.failures)
    return m.state in ("Trusted", "Valid") and intact and m.clone == said


def _signed(path: Path, campaign: Campaign, said: dict[str, Any], creds: Credentials,
            build: Any) -> Path:
    """`build(unsigned)` writes the proof; it is then signed into `path` (in one step)."""
    from dressform.provenance.manifest import sign

    with scratch_dir("job") as tmp:
        unsigned = build(tmp / f"unsigned{path.suffix}")
        sign(unsigned, path, creds, title=f"{campaign.name}: {said['proof']}", clone=said)
    return path


def publish(campaign: Campaign, p: Plan, store: Store, root: Path, credentials: Credentials,
            today: date) -> list[Path]:
    """The contact sheet and lookbook the campaign asks for, of the finished shots whose
    consent allows them today, signed and watermarked; rebuilt only when what they show
    changed, and removed when nothing may be shown."""
    shots = publishable(p, store, root, today)
    wanted = {CONTACT_SHEET: campaign.outputs.contact_sheet, LOOKBOOK: campaign.outputs.lookbook}
    if not shots:
        for name in wanted:  # an old proof may show clones no longer allowed
            (root / name).unlink(missing_ok=True)
        return []
    out = []
    plain = [(s, path) for s, path, _ in shots]
    if wanted[CONTACT_SHEET]:
        # A row holds a clone's shots of one look, or of two looks when that is too few.
        per_look = len(campaign.shots.poses) * len(campaign.shots.cameras) * len(
            campaign.shots.scenes) * len(campaign.shots.expressions)
        columns = min(6, per_look * (2 if per_look <= 3 and len(campaign.looks) > 1 else 1))
        said = contents(campaign, "contact sheet", shots)
        target = root / CONTACT_SHEET
        if not _current(target, said, credentials):
            mark = proof_payload(campaign.name, CONTACT_SHEET)
            _signed(target, campaign, said, credentials,
                    lambda tmp: contact_sheet(plain, tmp, columns, mark))
        out.append(target)
    if wanted[LOOKBOOK]:
        said = contents(campaign, "lookbook", shots)
        target = root / LOOKBOOK
        if not _current(target, said, credentials):
            _signed(target, campaign, said, credentials,
                    lambda tmp: lookbook(campaign, plain, tmp))
        out.append(target)
    return out
