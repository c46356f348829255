"""Consent records for clones of real people, and the check every job makes before it uses one.

A clone cloned from a real person is the person's twin: they own it and license uses of it
(as in the industry's digital-twin programmes), for some uses, in some territories, between two
dates, revocable at any time, against a licence or compensation reference. A clone invented by
sampling is marked synthetic and needs no consent.

What is in force, exactly:

- A consent is in force on a day from its `starts` to its `expires` (both included) until it
  is revoked; a revocation ends that consent for good (it is never in force again).
- A revocation ends only the consent revoked. A grant recorded after it is a new consent, in
  force from its own start: the person agreed again, and their newest word counts.
- A use is allowed when some consent in force allows that use in every territory asked for.
  When none does, the refusal names the consent that best explains why (one in force that
  lacks the use or territory, else one revoked or lapsed in its dates, else the newest).
- Checked at every point an image becomes a published output: when a shot is dispatched,
  before its image is recorded (a first run, a retry, or an image recovered after a crash),
  and when the contact sheet and lookbook are built. Every refusal is one audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dressform.errors import DressformError, InvalidInputError

#: The uses a person can grant, in the words of a model release.
USES: tuple[str, ...] = ("e-commerce", "campaign", "social", "runway-video", "try-on")
#: A territory that stands for all of them.
WORLDWIDE = "worldwide"

Refusal = Literal["no-consent", "not-yet-valid", "expired", "revoked", "use-not-granted",
                  "territory-not-granted"]


class ConsentError(DressformError):
    """A use of a clone that its consent does not allow; `reason` is one of `Refusal`, and
    `consent_id` names the consent that refused it (None when there is none)."""

    def __init__(self, reason: Refusal, message: str, consent_id: str | None = None) -> None:
        self.reason = reason
        self.consent_id = consent_id
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, str, str | None]]:
        return (type(self), (self.reason, str(self), self.consent_id))


def check_uses(uses: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """`uses` as a tuple, or a clear error for one that is not in `USES`."""
    unknown = [u for u in uses if u not in USES]
    if unknown:
        raise InvalidInputError(f"unknown use(s) {', '.join(map(repr, unknown))}: a consent "
                                f"grants some of {', '.join(USES)}")
    if not uses:
        raise InvalidInputError(f"grant at least one use of {', '.join(USES)}")
    return tuple(dict.fromkeys(uses))


class Consent(BaseModel):
    """One person's licence of their clone."""

    model_config = ConfigDict(frozen=True)

    id: str
    clone_id: str
    person: str = Field(min_length=1)
    uses: tuple[str, ...]
    territories: tuple[str, ...] = (WORLDWIDE,)
    starts: date
    expires: date
    licence_ref: str = Field(min_length=1)
    revoked_at: datetime | None = None

    @field_validator("uses")
    @classmethod
    def _uses(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return check_uses(v)

    @field_validator("territories")
    @classmethod
    def _territories(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError(f"name at least one territory (or {WORLDWIDE!r})")
        return tuple(t if t.lower() == WORLDWIDE else t.upper() for t in v)

    @model_validator(mode="after")
    def _dates(self) -> Consent:
        if self.expires < self.starts:
            raise ValueError(f"expires {self.expires} is before starts {self.starts}")
        return self

    def allows(self, use: str, territories: tuple[str, ...] | list[str], on: date) -> None:
        """Nothing if this consent allows `use` in every one of `territories` on day `on`;
        otherwise a `ConsentError` saying why not."""
        who = f"{self.person}'s consent {self.id}"
        if self.revoked_at is not None:
            self._refuse("revoked", f"{who} was revoked on {self.revoked_at:%Y-%m-%d %H:%M}")
        if on < self.starts:
            self._refuse("not-yet-valid", f"{who} starts on {self.starts}, not {on}")
        if on > self.expires:
            self._refuse("expired", f"{who} expired on {self.expires}")
        if use not in self.uses:
            self._refuse("use-not-granted", f"{who} grants {', '.join(self.uses)}, not {use!r}")
        if WORLDWIDE not in self.territories:
            missing = [t for t in territories if t.upper() not in self.territories]
            if missing:
                self._refuse("territory-not-granted", f"{who} covers "
                             f"{', '.join(self.territories)}, not {', '.join(missing)}")

    def _refuse(self, reason: Refusal, message: str) -> None:
        raise ConsentError(reason, message, self.id)


def check_use(consent: Consent | None, synthetic: bool, use: str,
              territories: tuple[str, ...] | list[str], on: date, clone: str) -> None:
    """Nothing if `clone` may be used for `use` in `territories` on `on`: it is synthetic, or
    its `consent` allows it; otherwise a `ConsentError`."""
    if synthetic:
        return
    if consent is None:
        raise ConsentError("no-consent", f"clone {clone!r} is of a real person and has no "
                           "consent on record: `dressform consent grant` first")
    consent.allows(use, territories, on)


State = Literal["in force", "revoked", "expired", "not yet"]


def state(consent: Consent, on: date) -> State:
    """Whether `consent` is in force on day `on`, and if not, why."""
    if consent.revoked_at is not None:
        return "revoked"
    if on > consent.expires:
        return "expired"
    if on < consent.starts:
        return "not yet"
    return "in force"


def _allowed(consent: Consent, use: str, territories: tuple[str, ...] | list[str],
             on: date) -> bool:
    try:
        consent.allows(use, territories, on)
    except ConsentError:
        return False
    return True


def governing(consents: Sequence[Consent], use: str,
              territories: tuple[str, ...] | list[str], on: date) -> Consent | None:
    """The consent that decides `use` in `territories` on `on`, from a clone's consents in
    the order they were granted: the newest that allows it; else the one whose refusal best
    says why (in force but for other uses or places, else dated to cover `on` but revoked,
    else the newest); None when there is none at all."""

    def rank(c: Consent) -> tuple[bool, bool, bool]:
        covers = c.starts <= on <= c.expires
        return (_allowed(c, use, territories, on), covers and c.revoked_at is None, covers)

    # max keeps the first of equals: newest first, so the newest wins a tie.
    return max(reversed(consents), key=rank, default=None)
