"""Sewing patterns: panels, stitches, parametric blocks, size charts and grading, CAD I/O."""

from dressform.garment.pattern import Edge, EdgeRef, Fabric, Panel, Pattern, Placement, Stitch

__all__ = ["Edge", "EdgeRef", "Fabric", "Panel", "Pattern", "Placement", "Stitch"]
