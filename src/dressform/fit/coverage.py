"""Population coverage: which share of a population each size of a graded garment fits, the
share the whole size set fits, who no size fits and why, and a size curve for production.

Two steps, as a sizing technologist works:

1. **Analytic, from the chart.** Each size is drafted once; its finished girth at each judged
   dimension is the chart's body girth plus the pattern's ease there. A person fits a size when
   the ease (finished girth less their girth, as a share of it) is within the fit intent's
   snug-to-regular band of :data:`~dressform.fit.verdict.EASE_BANDS_PCT` at every control
   girth, not tight at the other girths the garment covers, and their height is within the
   size's height range, give or take :data:`HEIGHT_SLACK_CM` (garments are made in the
   chart's lengths). Vectorised: thousands of people take milliseconds.
2. **Drapes for a representative sample.** Cloth does not lie at its pattern girth (it bridges
   hollows, stretches, sags), so a few people — the medoids of k-means clusters over the judged
   girths and height — are cloned from their measurements and draped in their size. The median
   ratio of draped to drafted girth corrects each dimension, and the girths the drapes show the
   garment covering join the control dimensions as judged girths. The report gives how far the
   analytic ease was from the draped one, before and after the correction.

A person's size is the one that fits with the ease nearest to what it was drafted with (for a
person on the chart, the chart's size); the size curve is the share of fitted people per size.
The drapes can run on any map (the batch engine's, or `map`): each is independent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np

from dressform.errors import DressformError, InvalidInputError
from dressform.fit.population import Population
from dressform.fit.verdict import EASE_BANDS_PCT, Intent, ease_verdict
from dressform.garment.blocks import CONTROL_DIMENSIONS, draft, draft_size
from dressform.garment.blocks import block as block_named
from dressform.garment.sizes import Size, SizeChart

#: How far (cm) outside a size's height range its lengths still do: half of EN 13402-3's
#: 8 cm height step, the difference a hem or sleeve can be worn at.
HEIGHT_SLACK_CM = 4.0
#: Reasons no size fits, in the order the report lists them.
CATEGORIES = ("bigger than the largest size", "smaller than the smallest size",
              "proportions between sizes", "height outside the sizes' range")


@dataclass(frozen=True)
class GarmentSizes:
    """Each size's finished garment: girth (cm) per judged dimension, height range (cm)."""

    sizes: tuple[Size, ...]
    dims: tuple[str, ...]
    girth_cm: np.ndarray  # (S, D)
    height_cm: np.ndarray  # (S, 2): the range each size is made for (−inf, inf if none)
    control: np.ndarray  # (D,) True at the block's control dimensions

    @property
    def labels(self) -> list[str]:
        return [s.label for s in self.sizes]


def garment_sizes(block: str, chart: SizeChart) -> GarmentSizes:
    """Draft every size of `block` once; its girths at the block's control dimensions and at
    every other girth both the chart and the pattern give (a sample may show it covered)."""
    patterns = [draft(block, s.body_cm, size=s.label) for s in chart.sizes]
    extra = [f"{k}_girth_cm" for k in patterns[0].ease_cm]
    dims = tuple(d for d in dict.fromkeys((*CONTROL_DIMENSIONS[block], *extra))
                 if all(d in s.body_cm for s in chart.sizes)
                 and all(d.removesuffix("_girth_cm") in p.ease_cm for p in patterns))
    girth = np.array([[s.body_cm[d] + p.ease_cm[d.removesuffix("_girth_cm")] for d in dims]
                      for s, p in zip(chart.sizes, patterns, strict=True)])
    height = np.array([s.ranges_cm.get("height_cm", (-np.inf, np.inf)) for s in chart.sizes])
    control = np.array([d in CONTROL_DIMENSIONS[block] for d in dims])
    return GarmentSizes(chart.sizes, dims, girth, height, control)


def _only(sizes: GarmentSizes, dims: Iterable[str]) -> GarmentSizes:
    keep = [k for k, d in enumerate(sizes.dims) if d in dims]
    return GarmentSizes(sizes.sizes, tuple(sizes.dims[k] for k in keep),
                        sizes.girth_cm[:, keep], sizes.height_cm, sizes.control[keep])


@dataclass(frozen=True)
class Judgement:
    """The analytic fit of N people in S sizes at D girths."""

    ease_pct: np.ndarray  # (N, S, D)
    height_ok: np.ndarray  # (N, S)
    fits: np.ndarray  # (N, S)
    pick: np.ndarray  # (N,) their size (see `judge`), −1 if none fits
    nearest: np.ndarray  # (N,) the size nearest to fitting (its problems explain a misfit)


def ease_band(intent: Intent, control: np.ndarray) -> tuple[float, np.ndarray]:
    """The ease (% of the body girth) a size fits within: (least, (D,) most). Other girths than
    the control ones can make a size too small, not too big: how loose a straight T-shirt
    hangs at the waist is its cut, not a misfit."""
    lo, _, top = EASE_BANDS_PCT[intent]
    return lo, np.where(control, top, np.inf)


def judge(girths_cm: np.ndarray, height_cm: np.ndarray, sizes: GarmentSizes, intent: Intent,
          ratio: np.ndarray | None = None) -> Judgement:
    """Fit people (`girths_cm` (N, D) in `sizes.dims` order; `height_cm` (N,), NaN = unknown)
    in every size. `ratio` (D,) scales the drafted girths to the draped ones."""
    lo, hi = ease_band(intent, sizes.control)
    finished = sizes.girth_cm * (1.0 if ratio is None else ratio)
    g = girths_cm[:, None, :]
    ease = 100.0 * (finished[None] - g) / g
    h = height_cm[:, None]
    low, high = sizes.height_cm[None, :, 0] - HEIGHT_SLACK_CM, \
        sizes.height_cm[None, :, 1] + HEIGHT_SLACK_CM
    below = np.where(np.isnan(h), 0.0, np.maximum(low - h, 0.0))
    above = np.where(np.isnan(h), 0.0, np.maximum(h - high, 0.0))
    height_ok = (below == 0) & (above == 0)
    # A girth not given (NaN) is not judged; the control girths always are (see coverage).
    fits = ((ease >= lo) & (ease <= hi) | np.isnan(ease)).all(axis=2) & height_ok
    # Their size: of those that fit, the one whose control ease is nearest the ease it was
    # drafted with (on the chart's own bodies, the chart's size).
    body = np.array([[s.body_cm[d] for d in sizes.dims] for s in sizes.sizes])
    drafted = 100.0 * (finished - body) / body
    off = np.where(sizes.control, (ease - drafted[None]) ** 2, 0.0).sum(axis=2)
    pick = np.where(fits.any(axis=1), np.where(fits, off, np.inf).argmin(axis=1), -1)
    # Distance from fitting, % of ease and cm of height alike; ties go to the smaller size.
    miss = np.nan_to_num(np.maximum(lo - ease, 0) + np.maximum(ease - hi, 0)).sum(axis=2) \
        + below + above
    return Judgement(ease, height_ok, fits, pick, miss.argmin(axis=1))


@dataclass(frozen=True, eq=False)
class SampleFitting:
    """One sampled person draped in their size: drafted and draped girths per judged dim."""

    name: str
    size: str
    drafted_cm: dict[str, float]
    draped_cm: dict[str, float]  # the girths the drape reached (absent: not covered)
    body_cm: dict[str, float]  # the clone's own girths there
    summary: str  # the fitting in words, or why the drape failed
    failed: bool = False


def drape_sample(name: str, person: dict[str, float], sex: str, age_years: float, block: str,
                 size: Size, drafted_cm: dict[str, float], fabric: str, intent: Intent,
                 spacing_mm: float, max_frames: int) -> SampleFitting:
    """Clone one person from their measurements, drape their size on them and read it."""
    from dressform.body.clone import clone_from_measurements
    from dressform.drape.simulate import drape
    from dressform.fit.ease import ease_settled
    from dressform.fit.report import assess, unsettled

    try:
        clone = clone_from_measurements(person, sex=sex or "female", age_years=age_years)
        # Drafted in the person's height: the sample measures how the girths lie; whether the
        # production lengths suit a height is the chart's height range, judged analytically.
        pattern = draft_size(block, size, person["height_cm"]) if "height_cm" in person \
            else draft(block, size.body_cm, size=size.label)
        garment = drape(pattern, clone.body, fabric, spacing_mm=spacing_mm,
                        max_frames=max_frames, converged=ease_settled(clone.body))
        if not garment.at_rest:  # a fit is read from cloth at rest
            return SampleFitting(name, size.label, drafted_cm, {}, {}, unsettled(garment),
                                 failed=True)
        report = assess(garment, clone.body, fabric, intent)
    except DressformError as e:
        return SampleFitting(name, size.label, drafted_cm, {}, {}, str(e), failed=True)
    ease = {e.name: e for e in report.ease}
    return SampleFitting(name, size.label, drafted_cm,
                         {d: ease[d].garment_cm for d in drafted_cm if d in ease},
                         {d: ease[d].body_cm for d in drafted_cm if d in ease},
                         report.summary())


def representative(points: np.ndarray, k: int, seed: int = 0) -> list[int]:
    """`k` people spread over the population: the medoids of k-means clusters of the
    standardised `points` (N, F), most populous cluster first."""
    from scipy.cluster.vq import kmeans2

    k = min(k, len(points))
    if k <= 0:
        return []
    z = (points - points.mean(axis=0)) / np.maximum(points.std(axis=0), 1e-9)
    centres, label = kmeans2(z, k, minit="++", seed=np.random.default_rng(seed))
    picks: list[int] = []
    for c in np.argsort(-np.bincount(label, minlength=k), kind="stable"):
        members = np.flatnonzero(label == c)
        if len(members):
            d = np.linalg.norm(z[members] - centres[c], axis=1)
            picks.append(int(members[d.argmin()]))
    return picks


@dataclass(frozen=True, eq=False)
class CoverageReport:
    """A garment's size set against a population (see the module docstring)."""

    block: str
    chart: str
    intent: Intent
    fabric: str
    sizes: GarmentSizes
    population: Population
    judged: np.ndarray  # (N,) bool: people the coverage could judge
    not_judged: dict[int, str]  # person index → why not
    judgement: Judgement  # of the judged people, in their order
    ratio: np.ndarray  # (D,) draped / drafted girth, from the sample (1 without one)
    sample: tuple[SampleFitting, ...]
    #: The sample's mean |analytic − draped| ease (% of the girth), before the correction
    #: and after it (leave-one-out; None with a single drape).
    ease_error_pct: tuple[float, float | None] | None

    @property
    def labels(self) -> list[str]:
        return self.sizes.labels

    @property
    def count(self) -> int:
        """People judged."""
        return int(self.judged.sum())

    @property
    def share_per_size(self) -> np.ndarray:
        """(S,) share of the judged people each size fits."""
        return self.judgement.fits.mean(axis=0) if self.count else np.zeros(len(self.labels))

    @property
    def share_fitted(self) -> float:
        """Share of the judged people some size fits."""
        return float((self.judgement.pick >= 0).mean()) if self.count else 0.0

    @property
    def size_curve(self) -> np.ndarray:
        """(S,) share of production per size: the fitted people's sizes."""
        picks = self.judgement.pick[self.judgement.pick >= 0]
        counts = np.bincount(picks, minlength=len(self.labels)).astype(float)
        return counts / max(counts.sum(), 1.0)

    @cached_property
    def people(self) -> np.ndarray:
        """(n,) population index of each judged person (the judgement's rows)."""
        return np.flatnonzero(self.judged)

    def fitting_band_cm(self, dim: int) -> np.ndarray:
        """(S, 2) body girths each size fits at judged dimension `dim` (a control one)."""
        lo, hi = ease_band(self.intent, self.sizes.control)
        finished = self.sizes.girth_cm[:, dim] * self.ratio[dim]
        return np.column_stack([finished / (1 + hi[dim] / 100.0), finished / (1 + lo / 100.0)])

    def misfits(self) -> list[tuple[int, str, str]]:
        """(person index in the population, category, reason) of every judged person no size
        fits."""
        return self._misfits

    @cached_property
    def _misfits(self) -> list[tuple[int, str, str]]:
        # The report, its charts, page and table all ask: worded once.
        return [(int(self.people[j]), *self._why(int(j)))
                for j in np.flatnonzero(self.judgement.pick < 0)]

    def categories(self) -> Counter[str]:
        return Counter(c for _, c, _ in self.misfits())

    def _why(self, j: int) -> tuple[str, str]:
        s = int(self.judgement.nearest[j])
        label = self.labels[s]
        lo, hi = ease_band(self.intent, self.sizes.control)
        person = int(self.people[j])
        parts, verdicts = [], []
        for d, dim in enumerate(self.sizes.dims):
            e = float(self.judgement.ease_pct[j, s, d])
            if not np.isnan(e) and not lo <= e <= hi[d]:
                verdict = ease_verdict(e, self.intent)
                verdicts.append(verdict)
                girth = self.population.measurements[dim][person]
                parts.append(f"{_short(dim)} {girth:.0f} cm {verdict} in {label} "
                             f"(ease {e:+.0f} %)")
        if not self.judgement.height_ok[j, s]:
            h = self.population.measurements["height_cm"][person]
            lo_h, hi_h = self.sizes.height_cm[s]
            parts.append(f"height {h:.0f} cm outside {label}'s {lo_h:.0f}–{hi_h:.0f} cm "
                         f"(± {HEIGHT_SLACK_CM:.0f})")
        if not verdicts:
            category = CATEGORIES[3]
        elif s == len(self.labels) - 1 and "tight" in verdicts:
            category = CATEGORIES[0]
        elif s == 0 and "loose" in verdicts:
            category = CATEGORIES[1]
        else:
            category = CATEGORIES[2]
        return category, "; ".join(parts)

    def summary(self) -> list[str]:
        """The coverage in a few lines of words."""
        lines = [f"{self.block} in the {self.chart} chart ({self.intent} fit): "
                 f"{100 * self.share_fitted:.0f} % of {self.count} people fit some size"]
        if self.not_judged:
            lines.append(f"{len(self.not_judged)} not judged (e.g. "
                         f"{next(iter(self.not_judged.values()))})")
        for c, n in sorted(self.categories().items(), key=lambda x: -x[1]):
            lines.append(f"no size fits {n}: {c}")
        curve = ", ".join(f"{lab} {100 * x:.0f} %" for lab, x in
                          zip(self.labels, self.size_curve, strict=True) if x > 0)
        lines.append(f"size curve: {curve or 'none'}")
        failed = [f for f in self.sample if f.failed]
        if self.sample:
            line = f"drape sample of {len(self.sample)}"
            if self.ease_error_pct is not None:
                before, after = self.ease_error_pct
                line += f": analytic ease off the draped by {before:.1f} % on average"
                line += (f", {after:.1f} % after the correction (leave-one-out)"
                         if after is not None else " (one drape: no out-of-sample check)")
            lines.append(line)
        if failed:
            lines.append(f"{len(failed)} sample drape(s) failed, e.g. {failed[0].name} in "
                         f"{failed[0].size}: {failed[0].summary}")
        return lines


def coverage(population: Population, block: str, chart: SizeChart, *,
             intent: Intent | None = None, fabric: str = "cotton_jersey", sample: int = 6,
             seed: int = 0, spacing_mm: float = 25.0, max_frames: int = 250,
             map: Callable[..., Iterable[SampleFitting]] = map,
             progress: Callable[[str], None] | None = None) -> CoverageReport:
    """Size set of `block` in `chart` against `population` (see the module docstring).

    `intent` defaults to the block's own fit (a hoodie is cut oversized). `sample` people
    are draped to correct the analytic estimate (0: the chart alone).
    """
    intent = intent or block_named(block)[1].fit
    if intent not in EASE_BANDS_PCT:
        raise InvalidInputError(f"unknown fit intent {intent!r}; use slim, regular or oversized")
    full = garment_sizes(block, chart)
    control = _only(full, CONTROL_DIMENSIONS[block])
    not_judged = _not_judged(population, chart, control.dims)
    judged = np.array([i not in not_judged for i in range(len(population))])
    people = population.select(judged)
    heights = people.measurements.get("height_cm", np.full(len(people), np.nan))
    girths = _girths(people, control.dims)
    first = judge(girths, heights, control, intent)

    fittings: tuple[SampleFitting, ...] = ()
    sizes, ratio, error = control, np.ones(len(control.dims)), None
    if sample > 0 and len(people):
        points = np.column_stack([girths,
                                  np.nan_to_num(heights, nan=float(np.nanmean(heights)))
                                  if np.isfinite(heights).any() else np.zeros(len(people))])
        chosen = representative(points, sample, seed)
        args = []
        for j in chosen:
            s = int(first.pick[j] if first.pick[j] >= 0 else first.nearest[j])
            size = chart.sizes[s]
            drafted = {d: float(full.girth_cm[s, k]) for k, d in enumerate(full.dims)}
            args.append((people.names[j], people.person(j), people.sex[j],
                         float(people.age_years[j]), block, size, drafted))
        run = partial(_drape_args, fabric=fabric, intent=intent, spacing_mm=spacing_mm,
                      max_frames=max_frames)
        done: list[SampleFitting] = []
        for f in map(run, args):  # lazily: report each drape as it lands
            done.append(f)
            if progress:
                progress(f"draped {len(done)} of {len(args)} sample people ({f.name}, "
                         f"size {f.size})")
        fittings = tuple(done)
        sizes, ratio, error = _corrected(full, control.dims, fittings)
    return CoverageReport(block, chart.name, intent, fabric, sizes, population, judged,
                          not_judged, judge(_girths(people, sizes.dims), heights, sizes, intent,
                                            ratio), ratio, fittings, error)


def _drape_args(args: tuple, **options: object) -> SampleFitting:
    return drape_sample(*args, **options)  # type: ignore[arg-type]


def _corrected(full: GarmentSizes, control: tuple[str, ...],
               fittings: tuple[SampleFitting, ...]
               ) -> tuple[GarmentSizes, np.ndarray, tuple[float, float | None] | None]:
    """The judged sizes after the sample: control dims plus those most drapes covered, each
    scaled by the median draped / drafted ratio; and the sample's ease error before/after."""
    done = [f for f in fittings if not f.failed]
    dims = tuple(d for d in full.dims if d in control
                 or sum(d in f.draped_cm for f in done) * 2 > len(done) > 0)
    sizes = _only(full, dims)

    def ratio_of(d: str, others: list[SampleFitting]) -> float | None:
        r = [f.draped_cm[d] / f.drafted_cm[d] for f in others if d in f.draped_cm]
        return float(np.median(r)) if r else None

    ratio = np.array([ratio_of(d, done) or 1.0 for d in dims])
    # The error after the correction is out of sample: each drape against the ratio the
    # others give (leave-one-out), or it would flatter itself.
    before, after = [], []
    for f in done:
        others = [g for g in done if g is not f]
        for d in dims:
            if d in f.draped_cm:
                b, drafted = f.body_cm[d], f.drafted_cm[d]
                draped = 100.0 * (f.draped_cm[d] - b) / b
                before.append(abs(100.0 * (drafted - b) / b - draped))
                r = ratio_of(d, others)
                if r is not None:
                    after.append(abs(100.0 * (drafted * r - b) / b - draped))
    error = (float(np.mean(before)), float(np.mean(after)) if after else None) if before \
        else None
    return sizes, ratio, error


def _girths(people: Population, dims: tuple[str, ...]) -> np.ndarray:
    """(N, D) people's girths, NaN where not given."""
    unknown = np.full(len(people), np.nan)
    return np.column_stack([people.measurements.get(d, unknown) for d in dims]) if dims \
        else np.zeros((len(people), 0))


def _not_judged(population: Population, chart: SizeChart,
                dims: tuple[str, ...]) -> dict[int, str]:
    given = ~np.isnan(_girths(population, dims))  # (N, D)
    out = {}
    for i in range(len(population)):
        if population.problems[i]:
            out[i] = population.problems[i]
        elif chart.sex and population.sex[i] and population.sex[i] != chart.sex:
            out[i] = f"{population.sex[i]}: the {chart.name} chart is for {chart.sex} bodies"
        elif not given[i].all():
            missing = [_short(d) for d, ok in zip(dims, given[i], strict=True) if not ok]
            out[i] = f"no {', '.join(missing)} given"
    return out


def _short(dim: str) -> str:
    return dim.removesuffix("_girth_cm").replace("_", " ")
