"""The HTTP face of dressform: the studio API (API keys), the shopper try-on API (no login,
rate-limited) and their pages, as one FastAPI application (`create_app`)."""

from dressform.web.app import create_app
from dressform.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
