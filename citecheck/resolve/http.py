"""The one HTTP policy: a single httpx client, one retry rule, one limiter per service.

Every request of the program goes through ``Http.request``: it consults the cache, waits
for the service's rate limiter, retries transient failures (transport errors, 408, 429,
5xx) with exponential backoff that honours ``Retry-After``, records cassettes, and turns
whatever still fails into a ``ServiceError``.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus, urlencode

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
)

from citecheck import __version__
from citecheck.resolve.cache import Cache
from citecheck.resolve.interface import (
    BudgetExceeded,
    RateLimited,
    ServerError,
    ServiceError,
    ServiceUnavailable,
    Unreachable,
)
from citecheck.settings import Settings

SECRET_PARAMS = frozenset({"api_key", "email", "mailto", "tool"})
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
CONNECT_TIMEOUT = 5.0  # a healthy server accepts within a second or two; reading may take longer
LOGGERS = ("httpx", "httpcore", "httpcore.http11", "httpcore.connection")
# Both services are asked at the same time, each within its own Slots (at most 4 apiece):
# a connection pool smaller than that would make one service's requests wait for the other's.
CONNECTIONS = 8
MARGIN = 0.9  # use 90 % of a service's advertised rate
PROBE_TIMEOUT = 3.0  # first contact with a service once another proved unreachable


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes
    from_cache: bool = False

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _Transient(Exception):
    """A failure worth another attempt; carries the server's Retry-After if it gave one."""

    def __init__(self, error: ServiceError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


@dataclass
class RateLimiter:
    """Spaces requests to one service at ``limit`` per ``interval`` seconds."""

    limit: float
    interval: float = 1.0
    shared_by: int = 1  # processes asking the service at once; this one keeps to its share
    _next: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            delay = max(0.0, self._next - now)
            self._next = max(now, self._next) + self.spacing
        if delay:
            self.sleep(delay)

    @property
    def spacing(self) -> float:
        """Seconds between requests, with a margin: a request that leaves a few milliseconds
        late must not put limit + 1 requests into some one-second window of the server's."""
        return self.interval * max(1, self.shared_by) / (max(self.limit, 0.1) * MARGIN)

    def update(self, headers: Mapping[str, str]) -> None:
        """Follow Crossref's advertised limit (header names changed over the years)."""
        limit = headers.get("x-rate-limit-limit") or headers.get("x-ratelimit-limit")
        interval = headers.get("x-rate-limit-interval") or headers.get("x-ratelimit-interval")
        try:
            if limit:
                self.limit = max(0.1, float(limit))
            if interval:
                self.interval = max(0.001, float(interval.rstrip("s")))
        except ValueError:
            pass


class Slots:
    """At most ``limit`` requests in flight to one service (Crossref: x-concurrency-limit),
    of which this process may have its share when ``shared_by`` processes ask at once."""

    def __init__(self, limit: int, shared_by: int = 1) -> None:
        self.limit = max(1, limit)
        self.shared_by = max(1, shared_by)
        self._busy = 0
        self._free = threading.Condition()

    @property
    def mine(self) -> int:
        return max(1, self.limit // self.shared_by)

    def __enter__(self) -> None:
        with self._free:
            while self._busy >= self.mine:
                self._free.wait()
            self._busy += 1

    def __exit__(self, *exc: object) -> None:
        with self._free:
            self._busy -= 1
            self._free.notify()

    def update(self, headers: Mapping[str, str]) -> None:
        value = headers.get("x-concurrency-limit")
        if value and value.strip().isdigit():
            with self._free:
                self.limit = max(1, int(value))
                self._free.notify_all()


def crossref_limits(settings: Settings) -> tuple[float, int]:
    """Crossref's requests per second and requests in flight until its headers say otherwise:
    the public pool 5/s and 1, the polite pool (with a mailto) 10/s and 3."""
    return (10.0, 3) if settings.mailto else (5.0, 1)


def user_agent(mailto: str | None) -> str:
    ua = f"citecheck/{__version__} (https://github.com/citecheck/citecheck"
    return ua + (f"; mailto:{mailto})" if mailto else ")")


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    try:
        return min(cap, max(0.0, float(value)))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError):
            return None
        return min(cap, max(0.0, when - time.time()))


def scrub(text: str, secrets: list[str]) -> str:
    """Secrets out of text, also as they appear URL-encoded (an error page echoing a URL)."""
    for secret in secrets:
        if secret:
            for form in sorted({secret, quote(secret, safe=""), quote_plus(secret)}, key=len)[::-1]:
                text = text.replace(form, "***")
    return text


class Redact(logging.Filter):
    """httpx logs every request URL at INFO; NCBI's api_key and email travel in it."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


def new_client(settings: Settings, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The one httpx client of a run, or of a batch worker's runs (``client=`` of ``Http``)."""
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, CONNECT_TIMEOUT)),
        headers={"User-Agent": user_agent(settings.mailto)},
        limits=httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS),
        follow_redirects=True,
    )


class Http:
    """Shared client. ``transport`` is the test seam (respx, replay, recorder).

    One ``Http`` per run: its budget, counts and limiters are the run's. ``client`` lends it
    a client built with ``new_client`` for these settings that outlives the run (a batch
    worker's, with its connections and TLS context); it is then not closed here.
    """

    def __init__(
        self,
        settings: Settings,
        transport: httpx.BaseTransport | None = None,
        cache: Cache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rate_limit: bool = True,
        client: httpx.Client | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.sleep = sleep
        self.rate_limit = rate_limit  # off only for replay: no service is being asked
        self.requests_sent = 0
        self._count = threading.Lock()
        # Services that answered at least once in this run (any status; the cache does not
        # count): the one record of it, read here and carried to the breaker by ``Unreachable``.
        self.answered: set[str] = set()
        self.down: dict[str, str] = {}  # services found unreachable before they ever answered
        self.deadline = time.monotonic() + settings.run_budget
        self._local = threading.local()  # per-thread: the reference being looked up
        self._secrets = [s for s in (settings.ncbi_api_key, settings.mailto) if s]
        self._redact = Redact(self._secrets)
        for name in LOGGERS:
            logging.getLogger(name).addFilter(self._redact)
        self._owns_client = client is None
        self.client = new_client(settings, transport) if client is None else client
        self.client.cookies.clear()  # nothing carried from an earlier run
        ncbi_rate = 10.0 if settings.ncbi_api_key else 3.0
        shared_by = settings.limits_shared_by
        crossref_rate, crossref_in_flight = crossref_limits(settings)  # headers refine both
        self.limiters = {
            "crossref": RateLimiter(crossref_rate, shared_by=shared_by, sleep=sleep),
            "pubmed": RateLimiter(ncbi_rate, shared_by=shared_by, sleep=sleep),
        }
        self.slots = {
            "crossref": Slots(crossref_in_flight, shared_by),
            "pubmed": Slots(3, shared_by),
        }

    def close(self) -> None:
        if self._owns_client:
            self.client.close()
        for name in LOGGERS:
            logging.getLogger(name).removeFilter(self._redact)

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        service: str,
        method: str,
        url: str,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        ok: frozenset[int] = frozenset({200}),
    ) -> Response:
        """Send one request under the policy; statuses in ``ok`` are answers, not failures."""
        params = dict(params or {})
        key = Cache.key(method, url, params, data, SECRET_PARAMS)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None and hit[0] in ok:
                return Response(hit[0], hit[1], hit[2], from_cache=True)

        def attempt() -> Response:
            return self._send(service, method, url, params, data, ok)

        retrying = Retrying(
            retry=retry_if_exception_type(_Transient),
            stop=stop_after_attempt(self.settings.retries + 1),
            wait=self._wait,
            sleep=self.sleep,
            reraise=True,
        )
        try:
            response = retrying(attempt)
        except _Transient as exc:
            raise exc.error from None
        if self.cache is not None and response.status in ok:
            self.cache.put(key, response.status, dict(response.headers), response.body)
        return response

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        # Exponential with jitter, written out: tenacity's helper changed signature in 9.x.
        backoff = min(8.0, 0.5 * 2 ** (state.attempt_number - 1)) + random.uniform(0, 0.25)
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            backoff = exc.retry_after
        deadline, what = self._deadline()
        if time.monotonic() + backoff > deadline:
            # Waiting would overrun the budget: give up now, honestly.
            raise BudgetExceeded(
                exc.error.service if isinstance(exc, _Transient) else "http",
                f"time budget for this {what} is spent",
            )
        return backoff

    @contextlib.contextmanager
    def budget(self, seconds: float) -> Iterator[None]:
        """A deadline for the questions of one reference asked in this thread."""
        previous = getattr(self._local, "deadline", None)
        self._local.deadline = time.monotonic() + seconds
        try:
            yield
        finally:
            self._local.deadline = previous

    def _deadline(self) -> tuple[float, str]:
        mine = getattr(self._local, "deadline", None)
        if mine is not None and mine < self.deadline:
            return mine, "reference"
        return self.deadline, "run"

    def _send(
        self,
        service: str,
        method: str,
        url: str,
        params: dict[str, str],
        data: Mapping[str, str] | None,
        ok: frozenset[int],
    ) -> Response:
        deadline, what = self._deadline()
        if time.monotonic() > deadline:
            raise BudgetExceeded(service, f"time budget for this {what} is spent")
        limiter = self.limiters.get(service) if self.rate_limit else None
        slots = self.slots.get(service) if self.rate_limit else None
        with slots or contextlib.nullcontext():
            if service in self.down:  # found dead while this request waited for a slot
                raise Unreachable(service, f"not asked: {self.down[service]}")
            if limiter is not None:
                limiter.wait()
            with self._count:
                self.requests_sent += 1
            try:
                seconds, timeout = self._timeout(service)
                r = self.client.request(
                    method, url, params=params or None, data=data, timeout=timeout
                )
                body = r.read()
            except httpx.TimeoutException as exc:
                kind = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting"
                error = ServiceUnavailable(service, f"timed out {kind} ({seconds:g} s)")
                raise self._unreachable(service, error) from None
            except ServiceError as exc:  # raised by a transport (replay)
                raise exc from None
            except httpx.TransportError as exc:
                reason = scrub(f"{type(exc).__name__}: {exc}", self._secrets)[:200]
                error = ServiceUnavailable(service, reason)
                if isinstance(exc, httpx.ConnectError):  # refused, DNS failure, no route
                    raise self._unreachable(service, error) from None
                raise _Transient(error) from None  # a reset or cut answer: worth another try
        self.answered.add(service)
        headers = {k.lower(): v for k, v in r.headers.items()}
        if limiter is not None and slots is not None and service == "crossref":
            limiter.update(headers)
            slots.update(headers)
        if r.status_code in ok:
            return Response(r.status_code, headers, body)
        retry_after = _retry_after(headers.get("retry-after"), self.settings.max_retry_wait)
        if r.status_code == 429:
            raise _Transient(RateLimited(service, "HTTP 429 Too Many Requests"), retry_after)
        if r.status_code in RETRY_STATUS:
            raise _Transient(ServerError(service, f"HTTP {r.status_code}"), retry_after)
        raise ServerError(service, f"unexpected HTTP {r.status_code} for {_short(url, params)}")

    def _timeout(self, service: str) -> tuple[float, httpx.Timeout]:
        """The full timeout, except for a first contact after another service hung.

        One service that never answered points at a dead or hung network; the next one is
        then given ``PROBE_TIMEOUT`` to show it is there, so that a hung network costs one
        timeout, not one per service.
        """
        seconds = self.settings.timeout
        if self.down and service not in self.answered:
            seconds = min(seconds, PROBE_TIMEOUT)
        return seconds, httpx.Timeout(seconds, connect=min(seconds, CONNECT_TIMEOUT))

    def _unreachable(self, service: str, error: ServiceError) -> Exception:
        """Retry a service that answered before; one that never did is down or hung here,
        and each retry of a timeout would cost another full timeout."""
        if service in self.answered:
            return _Transient(error)
        self.down.setdefault(service, f"{service} unreachable ({error.reason})")
        return Unreachable(service, error.reason)


def _short(url: str, params: Mapping[str, str]) -> str:
    visible = {k: v for k, v in params.items() if k not in SECRET_PARAMS}
    return url + ("?" + urlencode(visible) if visible else "")
