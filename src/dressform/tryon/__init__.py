"""Shopper try-on: the shopper's clone from a few measurements, wearing a garment of the
catalogue in a size, within seconds — a drape prepared on the nearest body of a grid, carried
onto the clone and settled a few solver steps there (`dressform.drape.redrape`)."""
