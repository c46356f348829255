"""Fit analytics: ease, stretch and pressure maps, verdicts per region, size advice."""

from dressform.fit.advice import SizeAdvice, advise
from dressform.fit.ease import GirthEase, girth_ease
from dressform.fit.report import FitReport, assess

__all__ = ["FitReport", "GirthEase", "SizeAdvice", "advise", "assess", "girth_ease"]
