"""dressform: an open studio for digital clones in fashion."""

__version__ = "0.1.0"
