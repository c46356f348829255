"""The one anny model of a process, and a fast, differentiable path to rest-pose shapes.

anny builds its model data once per option set and caches it (``$ANNY_CACHE_DIR``, default
``~/.cache/anny``): 80–170 s and ~0.8 GB on first use on a 2-core machine, under a second after.
We use a single option set everywhere — ``phenotypes="all"``, ``local_changes="default"``,
``facial_actions="all"`` — so that cost is paid once, and announce it when it is about to be paid.

anny's own ``forward`` skins the mesh and solves bone orientations on every call (≈30–40 ms per
body on one thread). Clones are built and measured at the rest A-pose, where only the linear
blend shapes matter, so :meth:`AnnyModel.rest_shape` evaluates those alone: the compact phenotype
basis as one matrix product, plus only the local changes and face actions that are non-zero.
That is exact (it is the same sum) and ~5× faster.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import torch

#: anny's option set for every clone (one cache entry).
ANNY_OPTIONS: dict[str, str] = {
    "phenotypes": "all",
    "local_changes": "default",
    "facial_actions": "all",
    "skinning_method": "lbs",  # plain torch LBS: no warp kernels to compile at start-up
}

_lock = threading.Lock()
_model: AnnyModel | None = None


def _configure_torch() -> None:
    # Small matrices on a 2-core machine: one thread is faster than two and leaves a core free.
    threads = int(os.environ.get("DRESSFORM_TORCH_THREADS", "1"))
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def _cache_is_built() -> bool:
    from anny.paths import get_anny_cache_path

    # anny names cache files after the builder; the compacted data is the last one it writes.
    return any(get_anny_cache_path().rglob("build_compact_model_data_*"))


def get_model() -> AnnyModel:
    """The process-wide model (built on first call; thread-safe)."""
    global _model
    with _lock:
        if _model is None:
            _configure_torch()
            first = not _cache_is_built()
            if first:
                print(
                    "dressform: building the anny body-model cache (first use only, about "
                    "1.5–3 minutes and 0.8 GB under ~/.cache/anny)...",
                    file=sys.stderr,
                    flush=True,
                )
            started = time.perf_counter()
            _model = AnnyModel()
            if first:
                print(
                    f"dressform: anny cache built in {time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
        return _model


@dataclass(frozen=True)
class ShapeRows:
    """Blend-shape rows (template, phenotype basis, face actions, local changes) for some or
    all of the mesh's vertex coordinates."""

    template: torch.Tensor
    phenotypes: torch.Tensor
    faces: torch.Tensor
    local: torch.Tensor
    #: local-change indices → their (+, −) vertex and head rows, gathered once
    picked: dict[tuple[int, ...], tuple[torch.Tensor, torch.Tensor]] = field(
        default_factory=dict, compare=False, repr=False)

    def local_rows(self, used: torch.Tensor, head_rows: torch.Tensor
                   ) -> tuple[torch.Tensor, torch.Tensor]:
        """The "+" then "−" rows (anny stores rows 2i, 2i+1 per change) of the changes `used`,
        for these vertices and for the bone heads: a fit asks for the same ones every step."""
        key = tuple(used.tolist())
        if key not in self.picked:
            if len(self.picked) >= 16:
                self.picked.clear()
            order = torch.cat([2 * used, 2 * used + 1])
            self.picked[key] = (self.local[order].contiguous(), head_rows[order])
        return self.picked[key]


@dataclass(frozen=True)
class _MixtureTables:
    """anny's phenotype anchors laid out for :meth:`AnnyModel.mixture` (one row per feature,
    one column per variation, in anny's variation order)."""

    anchors: torch.Tensor  # (features, most anchors), padded with +inf
    count: torch.Tensor  # (features,) anchors of each
    feature: torch.Tensor  # (columns,) phenotype index of each column
    feature_of_row: torch.Tensor  # (features,) phenotype index of each feature
    row_of_column: torch.Tensor  # (columns,) feature row of each column
    anchor_index: torch.Tensor  # (columns,) which anchor of its feature a column is
    race: torch.Tensor  # phenotype indices of african, asian, caucasian
    race_columns: torch.Tensor  # their columns


@dataclass(frozen=True)
class AnnyParams:
    """anny's own parameters for a batch of bodies (all tensors batch-first).

    phenotypes: (B, P) in anny's label order (`AnnyModel.phenotype_labels`), each 0–1.
    local_changes: (B, L) each −1–1, in `AnnyModel.local_change_labels` order.
    facial_actions: (B, A) each 0–1, in `AnnyModel.facial_action_labels` order.
    """

    phenotypes: torch.Tensor
    local_changes: torch.Tensor
    facial_actions: torch.Tensor
    #: Local-change columns to evaluate even where zero (those an optimiser is moving).
    active_local: tuple[int, ...] = ()

    @property
    def batch_size(self) -> int:
        return int(self.phenotypes.shape[0])


class AnnyModel:
    """Wraps ``anny.Anny`` with the data dressform needs as numpy arrays."""

    def __init__(self) -> None:
        import anny

        self.anny = anny.Anny(**ANNY_OPTIONS).to(torch.float32)
        self.anny.requires_grad_(False)
        a = self.anny
        self.phenotype_labels: list[str] = list(a.phenotype_labels)
        self.local_change_labels: list[str] = list(a.local_change_labels)
        self.facial_action_labels: list[str] = list(a.facial_action_labels)
        self.bone_names: tuple[str, ...] = tuple(a.bone_labels)
        self.bone_parents: tuple[int, ...] = tuple(int(p) for p in a.bone_parents)
        n_pheno = a.phenotype_blendshape_projection.shape[1]
        n_face = len(self.facial_action_labels)
        flat = a.blendshapes.reshape(a.blendshapes.shape[0], -1)
        flat_heads = a.bone_heads_blendshapes.reshape(a.bone_heads_blendshapes.shape[0], -1)
        # Blend-shape rows: [compact phenotype basis | face actions | local changes (+, −)].
        self._pheno_rows = flat[:n_pheno]
        self._pheno_head_rows = flat_heads[:n_pheno]
        self._face_rows = flat[n_pheno : n_pheno + n_face]
        self._face_head_rows = flat_heads[n_pheno : n_pheno + n_face]
        self._local_rows = flat[n_pheno + n_face :]
        self._local_head_rows = flat_heads[n_pheno + n_face :]
        self._template = a.template_vertices.reshape(1, -1)
        self._template_heads = a.template_bone_heads.reshape(1, -1)

    # --- static mesh data -------------------------------------------------------------------
    @cached_property
    def faces(self) -> np.ndarray:
        return self.anny.faces.cpu().numpy().astype(np.int64)

    @cached_property
    def faces_tensor(self) -> torch.Tensor:
        return torch.from_numpy(self.faces.copy())

    @cached_property
    def uvs(self) -> np.ndarray:
        return self.anny.texture_coordinates.cpu().numpy().astype(np.float64)

    @cached_property
    def face_uvs(self) -> np.ndarray:
        return self.anny.face_texture_coordinate_indices.cpu().numpy().astype(np.int64)

    @cached_property
    def skin_weights(self) -> np.ndarray:
        return self.anny.vertex_bone_weights.cpu().numpy().astype(np.float64)

    @cached_property
    def skin_joints(self) -> np.ndarray:
        return self.anny.vertex_bone_indices.cpu().numpy().astype(np.int64)

    @cached_property
    def part_ids(self) -> np.ndarray:
        """(V,) body-part index per vertex (`dressform.body.parts.PART_NAMES`)."""
        from dressform.body.parts import vertex_parts

        return vertex_parts(self.bone_names, self.skin_weights, self.skin_joints)

    @property
    def vertex_count(self) -> int:
        return int(self.anny.template_vertices.shape[0])

    # --- parameters -------------------------------------------------------------------------
    def params(
        self,
        phenotypes: Mapping[str, float | torch.Tensor],
        local_changes: Mapping[str, float | torch.Tensor] | None = None,
        facial_actions: Mapping[str, float | torch.Tensor] | None = None,
        batch_size: int = 1,
    ) -> AnnyParams:
        """Parameters from name → value mappings (scalars or (B,) tensors; missing = neutral)."""

        def stack(values: Mapping[str, float | torch.Tensor] | None, labels: list[str],
                  default: float) -> torch.Tensor:
            values = values or {}
            unknown = set(values) - set(labels)
            if unknown:
                raise KeyError(f"unknown anny parameter(s) {sorted(unknown)}")
            cols = [torch.as_tensor(values.get(k, default), dtype=torch.float32)
                    .reshape(-1).expand(batch_size) for k in labels]
            return torch.stack(cols, dim=1) if cols else torch.zeros(batch_size, 0)

        return AnnyParams(
            stack(phenotypes, self.phenotype_labels, 0.5),
            stack(local_changes, self.local_change_labels, 0.0),
            stack(facial_actions, self.facial_action_labels, 0.0),
        )

    # --- shapes -----------------------------------------------------------------------------
    def rest_shape(self, params: AnnyParams, rows: ShapeRows | None = None
                   ) -> tuple[torch.Tensor, torch.Tensor]:
        """Rest-pose vertices (B, V, 3) and bone heads (B, J, 3), in anny's frame (metres).

        Differentiable with respect to every tensor in `params`. With `rows` from
        :meth:`shape_rows`, only those vertices are computed, (B, len(vertices), 3).
        """
        a = self.anny
        mixture = self.mixture(params.phenotypes)
        weights = mixture @ a.phenotype_blendshape_projection
        whole_mesh = rows is None
        rows = self._all_rows if rows is None else rows
        if (whole_mesh and not mixture.requires_grad
                and int((mixture != 0).sum()) < self._pheno_rows.shape[0]):
            # A body mixes ~50 of the 624 phenotype corner shapes: for a few bodies, reading
            # those rows is far less memory traffic than the 310-row compact basis. Not when
            # differentiating: a corner at zero weight can still have a non-zero gradient.
            verts = self._template + torch.sparse.mm(mixture.to_sparse(), self._corner_rows)
        else:
            verts = torch.addmm(rows.template, weights, rows.phenotypes)
        heads = torch.addmm(self._template_heads, weights, self._pheno_head_rows)
        for coeffs, vert_rows, head_rows in self._sparse_terms(params, rows):
            verts = verts + coeffs @ vert_rows
            heads = heads + coeffs @ head_rows
        batch = params.batch_size
        return verts.reshape(batch, -1, 3), heads.reshape(batch, -1, 3)

    def mixture(self, phenotypes: torch.Tensor) -> torch.Tensor:
        """(B, 624) weights of anny's phenotype corner shapes for (B, P) phenotypes.

        The same numbers as anny's ``phenotype_blendshape_weights`` in its extrapolating mode
        (identical to the clamped one inside [0, 1]; callers clamp every phenotype themselves,
        and `params` lets the weight go past 1 for heavy bodies), in a handful of tensor
        operations instead of a Python loop over the features: a clone fit evaluates it
        thousands of times.
        """
        t = self._mixture_tables
        v = phenotypes[:, t.feature]  # (B, columns): each column's feature value
        # anny's segment: the number of anchors below the value, kept in 1..n-1.
        below = (t.anchors[None] < phenotypes[:, t.feature_of_row, None]).sum(-1)
        seg = torch.minimum(torch.clamp(below, min=1), t.count - 1)[:, t.row_of_column]
        lo = t.anchors[t.row_of_column, seg - 1]
        hi = t.anchors[t.row_of_column, seg]
        alpha = (v - lo) / (hi - lo)
        coeff = torch.where(t.anchor_index == seg - 1, 1.0 - alpha,
                            torch.where(t.anchor_index == seg, alpha, torch.zeros_like(alpha)))
        race = phenotypes[:, t.race]
        race = torch.nan_to_num(race / race.sum(dim=1, keepdim=True), 1 / 3, 1 / 3, 1 / 3)
        phens = coeff.index_copy(1, t.race_columns, race)
        mask = self.anny.stacked_phenotype_blend_shapes_mask.to(phens.dtype)
        return torch.prod(phens[:, None, :] * mask + (1.0 - mask), dim=-1)

    @cached_property
    def _mixture_tables(self) -> _MixtureTables:
        from anny.models.phenotype import PHENOTYPE_VARIATIONS

        anchors = self.anny.anchors
        features = [f for f in PHENOTYPE_VARIATIONS if f != "race"]
        width = max(len(anchors[f]) for f in features)
        table = torch.full((len(features), width), float("inf"))
        for i, f in enumerate(features):
            table[i, : len(anchors[f])] = anchors[f]
        feature, row, index, race_columns = [], [], [], []
        col = 0
        for f, variations in PHENOTYPE_VARIATIONS.items():
            for k, variation in enumerate(variations):
                if f == "race":
                    race_columns.append(col)
                    feature.append(self.phenotype_labels.index(variation))
                    row.append(0)
                else:
                    feature.append(self.phenotype_labels.index(f))
                    row.append(features.index(f))
                index.append(k)
                col += 1
        return _MixtureTables(
            anchors=table,
            count=torch.tensor([len(anchors[f]) for f in features]),
            feature=torch.tensor(feature),
            feature_of_row=torch.tensor([self.phenotype_labels.index(f) for f in features]),
            row_of_column=torch.tensor(row),
            anchor_index=torch.tensor(index),
            race=torch.tensor([self.phenotype_labels.index(r)
                               for r in PHENOTYPE_VARIATIONS["race"]]),
            race_columns=torch.tensor(race_columns),
        )

    @cached_property
    def _corner_rows(self) -> torch.Tensor:
        """The phenotype corner shapes expanded from the compact basis (624 × 3V, ~100 MB)."""
        return self.anny.phenotype_blendshape_projection @ self._pheno_rows

    @cached_property
    def _all_rows(self) -> ShapeRows:
        return ShapeRows(self._template, self._pheno_rows, self._face_rows, self._local_rows)

    def shape_rows(self, vertices: torch.Tensor) -> ShapeRows:
        """The blend-shape columns of these vertices alone: a fit that reads a few hundred
        vertices differentiates through a few hundred columns instead of 41 154."""
        cols = (3 * vertices[:, None] + torch.arange(3)).flatten()
        pheno, face, local = (torch.index_select(c, 0, cols).t() for c in self._columns)
        return ShapeRows(self._template[:, cols], pheno, face, local)

    @cached_property
    def _columns(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The phenotype, face and local rows stored column by column (≈140 MB): picking a
        few hundred columns is then a contiguous gather, ~50× faster than slicing rows."""
        return tuple(r.t().contiguous() for r in  # type: ignore[return-value]
                     (self._pheno_rows, self._face_rows, self._local_rows))

    def _sparse_terms(self, params: AnnyParams, rows: ShapeRows):
        """(coefficients, vertex rows, head rows) for the non-zero local changes and actions.

        Only columns some body in the batch uses are multiplied: most clones set few or none,
        and each column is a 13k×3 matrix row.
        """
        face = params.facial_actions
        used = torch.nonzero((face != 0).any(dim=0)).flatten()
        if used.numel():
            yield face[:, used], rows.faces[used], self._face_head_rows[used]
        local = params.local_changes
        used = torch.nonzero((local != 0).any(dim=0)).flatten()
        if params.active_local:
            used = torch.unique(torch.cat([used, torch.tensor(params.active_local)]))
        if used.numel():
            values = local[:, used]
            # anny stores a "+" and a "−" target per change: rows 2i and 2i+1.
            # anny's ReLU split, whose gradient at zero is not zero (so a fit can start there).
            pos = values * (values >= 0).to(values.dtype)
            neg = -values * (-values >= 0).to(values.dtype)
            coeffs = torch.cat([pos, neg], dim=1)
            yield coeffs, *rows.local_rows(used, self._local_head_rows)
