"""Shoot: a dressed clone from its file, put into a pose or a motion (`dressform.drape.posed`)
and drawn (`dressform.render`): stills, raster proofs, turntables and runway walks."""
