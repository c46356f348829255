"""Particle spacings of a drape (a module of its own so that command-line options and
campaign files can show the defaults without loading the solver)."""

#: Default particle spacing of a drape. 12 mm, not 20: re-draped into a pose with the arms
#: down, a 20 mm T-shirt's cloth caught between arm and side has no room to fold, and it came
#: to rest in none of four poses; at 12 mm two-layer outfits rest in 7 of 8 posed rows, no
#: layer through the other and none in the body (BENCHMARKS.md, "outfits in poses").
DRAPE_SPACING_MM = 12.0
#: The spacing a finer drape is sewn and settled at before it is finished at its own (coarse
#: to fine: four times cheaper per step, and sewing a 10 mm mesh directly left horizontal
#: folds round a T-shirt's waist).
SEW_SPACING_MM = 20.0
