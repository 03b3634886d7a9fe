"""The HTTP policy: retries, Retry-After, limits, failures as ServiceError values."""

from __future__ import annotations

import httpx
import pytest
import respx

from citecheck.resolve.crossref import Crossref
from citecheck.resolve.http import Http, RateLimiter, user_agent
from citecheck.resolve.interface import (
    BadResponse,
    RateLimited,
    ServerError,
    ServiceUnavailable,
    Unreachable,
)
from citecheck.settings import Settings
from tests.conftest import data

URL = "https://api.crossref.org/works/10.1371/journal.pone.0033693"
HEADERS = {
    "content-type": "application/json",
    "x-rate-limit-limit": "5",
    "x-rate-limit-interval": "1s",
    "x-concurrency-limit": "1",
    "x-api-pool": "public",
}


def recording_sleep(http: Http) -> list[float]:
    waits: list[float] = []
    http.sleep = waits.append
    for limiter in http.limiters.values():
        limiter.sleep = lambda s: None
    return waits


@respx.mock
def test_429_with_retry_after_is_retried_after_the_given_delay(http: Http) -> None:
    waits = recording_sleep(http)
    route = respx.get(URL).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(
                200,
                headers=HEADERS,
                content=data("crossref_work_10.1371_journal.pone.0033693.json"),
            ),
        ]
    )
    rec = Crossref(http, "https://api.crossref.org").work("10.1371/journal.pone.0033693")
    assert rec is not None and rec.doi == "10.1371/journal.pone.0033693"
    assert route.call_count == 2
    assert waits == [3.0]


@respx.mock
def test_429_storm_becomes_rate_limited_after_bounded_retries(http: Http) -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(429))
    with pytest.raises(RateLimited):
        http.request("crossref", "GET", URL)
    assert route.call_count == http.settings.retries + 1


@respx.mock
def test_500_then_success(http: Http) -> None:
    respx.get(URL).mock(side_effect=[httpx.Response(503), httpx.Response(200, content=b"{}")])
    assert http.request("crossref", "GET", URL).status == 200


@respx.mock
def test_persistent_500_is_server_error(http: Http) -> None:
    respx.get(URL).mock(return_value=httpx.Response(500))
    with pytest.raises(ServerError):
        http.request("crossref", "GET", URL)


@respx.mock
def test_timeout_and_refused_are_unavailable(http: Http) -> None:
    respx.get(URL).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(ServiceUnavailable, match="timed out"):
        http.request("crossref", "GET", URL)
    respx.get(URL).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ServiceUnavailable):
        http.request("crossref", "GET", URL)


@respx.mock
def test_unreachable_means_never_answered_in_this_run(http: Http) -> None:
    """The one record of "has this service answered" is Http's: a refusal before any
    answer is ``Unreachable`` (the breaker opens at once), after one it is retried."""
    route = respx.get(URL).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(Unreachable):
        http.request("crossref", "GET", URL)
    assert route.call_count == 1
    with pytest.raises(Unreachable, match="not asked: crossref unreachable"):
        http.request("crossref", "GET", URL)  # found dead: not asked again
    assert route.call_count == 1

    http.down.clear()
    answers = [httpx.Response(503)] + [httpx.ConnectError("refused")] * http.settings.retries

    def answer(request: httpx.Request) -> httpx.Response:
        reply = answers.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    respx.get(URL).mock(side_effect=answer)
    with pytest.raises(ServiceUnavailable) as raised:
        http.request("crossref", "GET", URL)  # it answered (503): the refusals are retried
    assert not isinstance(raised.value, Unreachable)
    assert not answers  # every attempt was made


@respx.mock
def test_404_is_an_answer_only_where_declared(http: Http) -> None:
    respx.get(URL).mock(
        return_value=httpx.Response(
            404,
            headers={"content-type": "text/plain"},
            content=data("crossref_404_notarealdoi.txt"),
        )
    )
    assert Crossref(http, "https://api.crossref.org").work("10.1371/journal.pone.0033693") is None
    with pytest.raises(ServerError):
        http.request("crossref", "GET", URL)  # 404 not declared an answer here


@respx.mock
def test_malformed_json_is_bad_response(http: Http) -> None:
    respx.get(URL).mock(return_value=httpx.Response(200, content=b'{"status":"ok","mess'))
    with pytest.raises(BadResponse):
        Crossref(http, "https://api.crossref.org").work("10.1371/journal.pone.0033693")


@respx.mock
def test_user_agent_carries_mailto_and_limiter_follows_headers(settings: Settings) -> None:
    http = Http(settings.replace(mailto="editor@example.org"), sleep=lambda s: None)
    route = respx.get(URL).mock(
        return_value=httpx.Response(
            200, headers=HEADERS, content=data("crossref_work_10.1371_journal.pone.0033693.json")
        )
    )
    Crossref(http, "https://api.crossref.org").work("10.1371/journal.pone.0033693")
    request = route.calls.last.request
    assert "mailto:editor@example.org" in request.headers["user-agent"]
    assert request.url.params["mailto"] == "editor@example.org"
    assert http.limiters["crossref"].limit == 5.0
    assert user_agent(None).startswith("citecheck/")


def test_rate_limiter_spaces_requests() -> None:
    clock = [0.0]
    waits: list[float] = []
    limiter = RateLimiter(3.0, clock=lambda: clock[0], sleep=waits.append)
    for _ in range(4):
        limiter.wait()
    step = 1 / (3 * 0.9)  # 90 % of the advertised rate, a margin for late departures
    assert waits == pytest.approx([step, 2 * step, 3 * step])
