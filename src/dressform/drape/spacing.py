"""Particle spacings of a drape (a module of its own so that command-line options and
campaign files can show the defaults without loading the solver)."""

#: Default particle spacing of a drape. 12 mm, not 20: re-draped into a pose with the arms
#: down, a 20 mm T-shirt's cloth caught between arm and side had no room to fold without
#: passing through itself (the relaxed pose: 9 edges through cloth, never at rest); at 12 mm
#: it came to rest with none in each of four poses (BENCHMARKS.md, "outfits in poses").
DRAPE_SPACING_MM = 12.0
#: The spacing a finer drape is sewn and settled at before it is finished at its own (coarse
#: to fine: four times cheaper per step, and sewing a 10 mm mesh directly left horizontal
#: folds round a T-shirt's waist).
SEW_SPACING_MM = 20.0
