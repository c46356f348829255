"""The one shape of every error answer, and the error statuses each part of the API declares
in the OpenAPI document (so the document says every status a client can get)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FieldProblem(BaseModel):
    """One part of a request that does not match the API's schema."""

    loc: list[str | int] = Field(description="where: body, query, path or header, then field")
    msg: str
    type: str


class Problem(BaseModel):
    """An error: what was wrong, in words (a request that does not match the schema: each
    field's problem)."""

    detail: str | list[FieldProblem]


#: What each error status means here.
MEANINGS = {
    400: "a body that cannot be read as the declared media type",
    401: "no API key, or one that is unknown or revoked",
    403: "a consent that does not allow this use",
    404: "no such name or id (or a shopper's try-on deleted or expired)",
    409: "not ready yet: a job still running, a try-on size not prepared",
    413: "the request body is over the size limit",
    422: "the request cannot be done with this input (the reason is in `detail`)",
    429: "too many requests from this client: wait `Retry-After` seconds",
    503: "busy or the store is unavailable: try again later",
    504: "the work took over the time limit",
}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for FastAPI: each status with `Problem` as its body."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        out[status] = {"model": Problem, "description": MEANINGS[status]}
        if status == 429:
            out[status]["headers"] = RETRY_AFTER
    return out


#: Every studio endpoint (behind an API key; stage errors as in docs/architecture.md).
STUDIO_ERRORS = error_responses(400, 401, 403, 404, 409, 413, 422, 503, 504)
#: Every shopper endpoint (rate-limited, no key).
SHOP_ERRORS = error_responses(400, 404, 409, 413, 422, 429, 503, 504)
#: The erasure of a shopper's try-on: never rate-limited.
ERASE_ERRORS = error_responses(404, 413, 422)
#: Endpoints with no input that can be wrong (only the body-size limit applies).
PLAIN_ERRORS = error_responses(413)
