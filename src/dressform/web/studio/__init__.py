"""The studio API (API key in `X-API-Key`): clones, consent, the pattern library, drapes, fit
reports, renders and campaigns. Each endpoint is a thin shell over the library call the CLI
makes; long work is a job (202, then GET it).

One router per resource (`clones`, `patterns`, `drapes`, `campaigns`); what they share comes
in through `Depends` (`deps`), and their bodies are in `models`. `ROUTERS` is what the
application includes, under `/api` and behind `authorised`."""

from dressform.web.studio import campaigns, clones, drapes, patterns
from dressform.web.studio.deps import authorised

#: In the order their paths are matched and listed in the OpenAPI document.
ROUTERS = (clones.router, patterns.router, drapes.router, campaigns.router)

__all__ = ["ROUTERS", "authorised"]
