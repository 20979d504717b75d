"""Errors as HTTP statuses: the web's counterpart of ``liaison.wire.status``.

Ordered most specific first; the message shown is the error's own (value-free).
"""

from __future__ import annotations

from typing import Final

from liaison.core.errors import (
    ConfigError,
    EnvelopeRejected,
    InvalidInput,
    LiaisonError,
    NotFound,
    PartnerTimeout,
    PartnerUnavailable,
    PermissionDenied,
    QueryRefused,
    QuotaExceeded,
    StorageUnavailable,
    Unauthenticated,
)

#: (error class, HTTP status), the first that matches wins.
HTTP_STATUS_BY_ERROR: Final[tuple[tuple[type[LiaisonError], int], ...]] = (
    (Unauthenticated, 401),
    (PermissionDenied, 403),
    (EnvelopeRejected, 403),
    (QueryRefused, 403),
    (NotFound, 404),
    (QuotaExceeded, 429),
    (InvalidInput, 400),
    (PartnerTimeout, 504),
    (PartnerUnavailable, 503),
    (StorageUnavailable, 503),
    (ConfigError, 500),
)


def http_status(error: LiaisonError) -> int:
    """The HTTP status of an error (500 for anything not listed)."""
    for kind, status in HTTP_STATUS_BY_ERROR:
        if isinstance(error, kind):
            return status
    return 500
