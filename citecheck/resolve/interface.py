"""What a lookup can fail with, drawn once:

    ServiceError            a lookup that produced no answer -> the reference is `unverified`
    ├── ServiceUnavailable  connection refused/reset, DNS failure, timeout, circuit open
    │   └── Unreachable     the same, from a service that has not answered once in this run
    ├── RateLimited         429 still returned after the retries
    ├── ServerError         5xx still returned after the retries, or an unexpected status
    ├── BadResponse         a body that does not parse as the documented schema
    ├── NotRecorded         --replay: the request is not in the recorded evidence
    └── BudgetExceeded      the run's time budget is spent

None of these may ever become `not_found`: only a well-formed answer saying "no such work"
does that.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A lookup failed; ``reason`` is short and safe to show (no secrets)."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service}: {reason}")
        self.service = service
        self.reason = reason


class ServiceUnavailable(ServiceError):
    pass


class Unreachable(ServiceUnavailable):
    """Not reached, and never answered in this run: down or hung here, not a hiccup."""


class RateLimited(ServiceError):
    pass


class ServerError(ServiceError):
    pass


class BadResponse(ServiceError):
    pass


class NotRecorded(ServiceError):
    pass


class BudgetExceeded(ServiceError):
    pass
