import numpy as np
import pytest
import torch
import trimesh

from dressform.geometry import convex_perimeter, mesh_volume, plane_section_loops
from dressform.geometry.sections import hull_chain_length


def test_section_of_a_cylinder_has_the_circle_girth():
    cyl = trimesh.creation.cylinder(radius=0.15, height=1.0, sections=256)
    loops = plane_section_loops(cyl.vertices, cyl.faces, np.array([0, 0, 0.1]),
                                np.array([0, 0, 1.0]))
    assert len(loops) == 1
    girth = convex_perimeter(loops[0].points[:, :2])
    assert girth == pytest.approx(2 * np.pi * 0.15, rel=1e-3)


def test_tape_bridges_a_hollow():
    # A square with a notch cut in: the tape goes round the outside.
    pts = np.array([[0, 0], [1, 0], [1, 1], [0.6, 1], [0.5, 0.5], [0.4, 1], [0, 1.0]])
    assert convex_perimeter(pts) == pytest.approx(4.0)


def test_open_tape_over_a_bump():
    xs = np.linspace(0, 1, 101)
    bump = np.stack([xs, np.sin(np.pi * xs) * 0.5], 1)
    length, _ = hull_chain_length(bump[1:-1], bump[0], bump[-1], np.array([0.0, 1.0]))
    assert 1.0 < length < 1.0 + 2 * 0.5
    flat, _ = hull_chain_length(bump[1:-1], bump[0], bump[-1], np.array([0.0, -1.0]))
    assert flat == pytest.approx(1.0)


def test_mesh_volume_of_a_box():
    box = trimesh.creation.box(extents=(0.2, 0.3, 0.5))
    v = mesh_volume(torch.tensor(box.vertices), torch.tensor(box.faces))
    assert float(v) == pytest.approx(0.03)


def test_section_components_match_scipy_on_loops_and_chains():
    """Sections label their loops by walking them; scipy's connected components agree."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    from dressform.geometry.sections import _components

    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(2, 300))
        parts = np.split(rng.permutation(n), np.sort(rng.choice(np.arange(1, n),
                                                                 size=min(3, n - 1),
                                                                 replace=False)))
        segs = []
        for part in parts:
            closed = len(part) >= 3 and rng.random() < 0.7
            segs += [(part[i], part[(i + 1) % len(part)])
                     for i in range(len(part) if closed else len(part) - 1)]
        seg = np.array(segs, dtype=np.int64).reshape(-1, 2)
        count, label = _components(seg, n)
        graph = csr_matrix((np.ones(len(seg)), (seg[:, 0], seg[:, 1])), shape=(n, n))
        expected, expected_label = connected_components(graph, directed=False)
        assert count == expected
        assert len(set(zip(label.tolist(), expected_label.tolist(), strict=True))) == count


def test_warp_starts_without_its_no_gpu_notice_and_keeps_anything_else():
    """On a machine with no NVIDIA driver Warp's native library prints a CUDA warning at
    start; dressform runs its kernels on the CPU, so that line is dropped (a warning in the
    demo is a bug) — and anything else printed at start would still be shown."""
    import subprocess
    import sys

    code = ("import numpy as np\n"
            "from dressform.geometry.distance import BodyDistance\n"
            "v = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float)\n"
            "f = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])\n"
            "print(BodyDistance(v, f)(np.array([[0.1, 0.1, 0.1]]))[0] < 0)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert run.stdout.strip() == "True"
    assert "CUDA warning" not in run.stderr


def test_warp_start_passes_through_what_is_not_its_no_gpu_notice():
    from dressform.geometry.warp_runtime import NO_DRIVER, without_notice

    said = f"{NO_DRIVER}. GPU execution will not be available.\nWarp error: kept\n"
    assert without_notice(said) == "Warp error: kept"
    assert without_notice(f"{NO_DRIVER}. GPU execution will not be available.\n") == ""


def test_distance_queries_split_over_cores_give_the_whole_querys_answer(monkeypatch):
    """A query run in shares on several threads returns, to the bit, what one launch over
    all the points returns (each point is computed on its own)."""
    from dressform.geometry import warp_runtime
    from dressform.geometry.distance import BodyDistance, SurfaceQuery

    sphere = trimesh.creation.icosphere(subdivisions=4, radius=0.2)
    points = np.random.default_rng(0).normal(size=(3000, 3)) * 0.15
    body = BodyDistance(sphere.vertices, sphere.faces)
    cloth = SurfaceQuery(sphere.vertices * 1.1, sphere.faces)
    way = points / np.linalg.norm(points, axis=1, keepdims=True)

    def answers():
        return (*body.query(points, 0.1), body.gaps(points, way, 0.3),
                *cloth.nearest(points, 0.05))

    monkeypatch.setattr(warp_runtime.os, "sched_getaffinity", lambda _: {0}, raising=False)
    monkeypatch.setattr(warp_runtime.os, "cpu_count", lambda: 1)
    whole = answers()
    monkeypatch.setattr(warp_runtime.os, "sched_getaffinity", lambda _: {0, 1, 2},
                        raising=False)
    monkeypatch.setattr(warp_runtime.os, "cpu_count", lambda: 3)
    split = answers()
    assert (whole[0] < 0).any() and (whole[0] > 0).any() and (whole[3] >= 0).any()
    for a, b in zip(whole, split, strict=True):
        assert np.array_equal(a, b)
