"""A SPARQL endpoint (Metabase's query service) as a `Source`, hardened against a busy public service.

The live service rate-limits, times out, and sometimes answers a rapid or browser-like client with an HTML
anti-bot page and status 200. None of that may ever turn into an empty catalog: every answer is checked
(status, Content-Type, complete JSON with `results.bindings`) and every failure is one `SourceError` line
naming the endpoint, the query and the cause.

Retry policy, per request, within `settings.retries` attempts in all:

- retried with exponential backoff (1, 2, 4 … s, capped at 60 s; a longer `Retry-After` wins): HTTP 429 and
  5xx, timeouts, connections reset or closed mid-answer, and truncated or invalid JSON (a body cut off by the
  network or by the server giving up mid-stream);
- an HTML page (`text/html`, most likely the anti-bot page) is retried once after the backoff, because such a
  page often goes away after a pause; a second one means the service is blocking us, and hammering it would only
  make that worse, so it is an error;
- not retried, because repeating cannot help: other 4xx (400 bad query, 403, 404 …), connection refused
  (nothing listening: a wrong URL or port), unknown host, TLS errors, another Content-Type, and JSON that is not
  a SELECT result.
"""

from __future__ import annotations

import ast
import email.utils
import http.client
import json
import logging
import socket
import ssl
import time
import urllib.error
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import Message
from http import HTTPStatus
from typing import Any

import SPARQLWrapper as sparqlwrapper
from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from . import __version__
from .config import SourceConfig
from .errors import SourceError
from .source import WIKIBASE, Row

log = logging.getLogger(__name__)

# Wikimedia's User-Agent policy asks for a tool name, version and a way to reach the operator.
PROJECT_URL = "https://github.com/hubkb/hubkb"
USER_AGENT = (
    f"hubkb/{__version__} (Content Partnerships Hub knowledge base builder; {PROJECT_URL}) "
    f"SPARQLWrapper/{sparqlwrapper.__version__}"
)

JSON_TYPES = frozenset({"application/sparql-results+json", "application/json"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_BACKOFF = 60.0  # seconds; the exponential backoff never waits longer than this
MAX_RETRY_AFTER = 300.0  # seconds; a server asking for a longer pause gets an error instead of a hung build
HTML_ATTEMPTS = 2  # an anti-bot page is retried once, then it is an error
DETAIL_CHARS = 200  # how much of a plain-text error body (e.g. the parser's message for a 400) is quoted


class _Failure(Exception):
    """One failed attempt: the cause as the user will read it, and whether another attempt may help."""

    def __init__(self, cause: str, *, retry: bool, retry_after: float | None = None, html: bool = False):
        super().__init__(cause)
        self.cause = cause
        self.retry = retry
        self.retry_after = retry_after
        self.html = html


class RemoteSource:
    """Runs SELECT queries against a SPARQL 1.1 endpoint over HTTP POST, with retries and strict checks."""

    # An endpoint is taken to hold real data; only snapshot files carry the sample marker.
    sample = False
    origin = WIKIBASE

    def __init__(self, endpoint: str, settings: SourceConfig, sleep: Callable[[float], None] = time.sleep) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise SourceError(f"endpoint {endpoint}: not an http(s) URL")
        self.endpoint = endpoint
        self.settings = settings
        self._sleep = sleep  # injectable so tests check the backoff without waiting for it

    def describe(self) -> str:
        return f"endpoint {self.endpoint}"

    def select(self, query: str, name: str) -> list[Row]:
        """Run one SELECT; retry what may be transient, raise one-line `SourceError` for the rest."""
        where = f"endpoint {self.endpoint}: query {name}.rq"
        attempts = max(1, self.settings.retries)
        html_pages = 0
        for attempt in range(1, attempts + 1):
            try:
                rows = self._attempt(query)
            except _Failure as failure:
                html_pages += failure.html
                retry = failure.retry and attempt < attempts and html_pages < HTML_ATTEMPTS
                if not retry:
                    done = f" after {attempt} attempt{'s' if attempt > 1 else ''}"
                    suffix = done if failure.retry or attempt > 1 else ""
                    raise SourceError(f"{where}: {failure.cause}{suffix}") from failure
                delay = _backoff(attempt, failure.retry_after)
                if delay > MAX_RETRY_AFTER:
                    raise SourceError(
                        f"{where}: {failure.cause}; the endpoint asks to wait {delay:g} s, "
                        f"more than {MAX_RETRY_AFTER:g} s: try again later"
                    ) from failure
                log.info("%s: %s; retry %d of %d in %g s", where, failure.cause, attempt, attempts - 1, delay)
                self._sleep(delay)
            else:
                log.debug("%s: %d rows", where, len(rows))
                return rows
        raise AssertionError("unreachable: the last attempt either returns or raises")

    def _attempt(self, query: str) -> list[Row]:
        """One HTTP request; any problem becomes a `_Failure`."""
        wrapper = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        # Not setTimeout(): it truncates to whole seconds, and 0.5 would become 0, which means no timeout at all.
        wrapper.timeout = self.settings.timeout  # type: ignore[assignment]
        wrapper.setQuery(query)
        # SPARQLWrapper guesses the query type from keywords and can mistake a comment's "move" or "load" for an
        # update; every .rq file here is a SELECT.
        wrapper.queryType = SELECT
        try:
            result = wrapper.query()
            response = result.response
            try:
                media = _media_type(response.headers)
                if media in HTML_TYPES:
                    raise _Failure(f"answered {media}, not SPARQL JSON (an anti-bot page?)", retry=True, html=True)
                if media not in JSON_TYPES:
                    raise _Failure(f"answered {media or 'no Content-Type'}, not SPARQL JSON", retry=False)
                raw = response.read()
            finally:
                response.close()
        except urllib.error.HTTPError as exc:
            raise _http_failure(exc.code, exc.headers, _error_body(exc)) from exc
        except SPARQLWrapperException as exc:
            # SPARQLWrapper turns 400/401/404/414/500 into its own exceptions; the HTTPError is the context.
            original = exc.__context__
            if isinstance(original, urllib.error.HTTPError):
                raise _http_failure(original.code, original.headers, _wrapped_body(exc)) from exc
            raise _Failure(str(exc).splitlines()[0], retry=False) from exc
        except urllib.error.URLError as exc:
            raise _network_failure(exc.reason, self.settings.timeout) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise _network_failure(exc, self.settings.timeout) from exc
        return _bindings(raw)


def _backoff(attempt: int, retry_after: float | None) -> float:
    """Seconds to wait after a failed attempt: 1, 2, 4 … capped, or longer if the server asked for it."""
    delay = min(2.0 ** (attempt - 1), MAX_BACKOFF)
    return max(delay, retry_after) if retry_after is not None else delay


def _retry_after(value: str | None) -> float | None:
    """A `Retry-After` header in seconds: either delay-seconds or an HTTP-date; None if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _media_type(headers: Message | None) -> str:
    """The bare, lower-case media type of a Content-Type header ('' when there is none)."""
    value = headers.get("Content-Type", "") if headers is not None else ""
    return (value or "").split(";", 1)[0].strip().lower()


def _one_line(body: bytes) -> str:
    """An error body squeezed into a short single line, for the message."""
    text = " ".join(body.decode("utf-8", errors="replace").split())
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def _error_body(exc: urllib.error.HTTPError) -> bytes:
    """The body of an HTTP error answer, or nothing if even that cannot be read."""
    try:
        return exc.read()
    except (OSError, http.client.HTTPException):
        return b""
    finally:
        exc.close()


def _wrapped_body(exc: SPARQLWrapperException) -> bytes:
    """The response body SPARQLWrapper already read and only kept as `repr()` inside its message."""
    _, found, body = str(exc).partition("Response:\n")
    if not found:
        return b""
    try:
        value = ast.literal_eval(body.strip())
    except (ValueError, SyntaxError):
        return b""
    return value if isinstance(value, bytes) else b""


def _http_failure(code: int, headers: Message | None, body: bytes) -> _Failure:
    """An HTTP error status: 429 and 5xx may pass, anything else is the request's own fault."""
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = ""
    cause = f"HTTP {code} {phrase}".rstrip()
    if code == 429 or 500 <= code <= 599:
        return _Failure(cause, retry=True, retry_after=_retry_after(headers.get("Retry-After") if headers else None))
    if body and _media_type(headers) in {"text/plain", *JSON_TYPES}:
        cause = f"{cause}: {_one_line(body)}"
    return _Failure(cause, retry=False)


def _network_failure(reason: Any, timeout: float) -> _Failure:
    """A failure below HTTP: timeouts and resets may pass, a refused connection or unknown host will not."""
    if isinstance(reason, TimeoutError):
        return _Failure(f"timeout: no answer within {timeout:g} s", retry=True)
    if isinstance(reason, ConnectionRefusedError):
        return _Failure("connection refused", retry=False)
    if isinstance(reason, ConnectionError | http.client.IncompleteRead):
        return _Failure("connection reset or closed before the answer was complete", retry=True)
    if isinstance(reason, socket.gaierror):
        return _Failure(f"cannot resolve the host name: {reason.strerror or reason}", retry=False)
    if isinstance(reason, ssl.SSLError):
        return _Failure(f"TLS error: {reason.reason or reason}", retry=False)
    if isinstance(reason, http.client.HTTPException):
        return _Failure(f"malformed HTTP answer: {type(reason).__name__}", retry=False)
    if isinstance(reason, OSError):
        return _Failure(f"network error: {reason.strerror or reason}", retry=False)
    return _Failure(f"network error: {reason}", retry=False)


def _bindings(raw: bytes) -> list[Row]:
    """The rows of a SPARQL JSON SELECT result; a cut-off body or another JSON shape is an error."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _Failure(f"truncated or invalid JSON: {exc}; {len(raw)} bytes received", retry=True) from exc
    except ValueError as exc:  # not UTF-8
        raise _Failure(f"truncated or invalid JSON: {exc}", retry=True) from exc
    results = data.get("results") if isinstance(data, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list) or not all(isinstance(row, dict) for row in bindings):
        raise _Failure("JSON without results.bindings: not a SELECT result", retry=False)
    return bindings
