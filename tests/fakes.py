"""Real components on loopback for tests: an `oxigraph serve` process and a scriptable faulty HTTP proxy.

Nothing here mocks SPARQL: the server is the real Oxigraph HTTP server holding the snapshot, and the proxy
forwards real requests to it, misbehaving only when a test scripts it to, the ways Metabase's public query
service does (429, 5xx, slowness, an HTML anti-bot page, a body cut off mid-stream, a reset connection).
"""

from __future__ import annotations

import gzip
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.source import LIFT_ENTITY_DATA

STARTUP_SECONDS = 30.0
UPSTREAM_TIMEOUT = 30.0

# A few Metabase-shaped triples, served when the bundled sample snapshot does not exist yet.
TINY_SNAPSHOT = """\
@prefix wd: <https://metabase.wikibase.cloud/entity/> .
@prefix wdt: <https://metabase.wikibase.cloud/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

wd:Q21954 rdfs:label "Guide"@en, "Guia"@pt-br ; schema:name "Guide"@en ; skos:prefLabel "Guide"@en .
wd:Q100 rdfs:label "How to upload"@en, "Hur man laddar upp"@sv, "Como carregar"@pt-br ;
  schema:description "A guide"@en ; wdt:P5 wd:Q21954 ; wdt:P1 "Q1860" .
wd:Q101 rdfs:label "Tool kit"@mul ; wdt:P5 wd:Q21954 .
<https://metabase.wikibase.cloud/wiki/Special:EntityData/Q100> schema:about wd:Q100 ;
  schema:dateModified "2025-11-02T10:00:00Z"^^xsd:dateTime ; schema:version "123"^^xsd:integer .
"""

ANTI_BOT_HTML = (
    b"<!DOCTYPE html><html><head><title>Checking your browser</title></head>"
    b"<body><p>Please wait while we verify that you are not a robot.</p></body></html>"
)


def find_oxigraph() -> str:
    """The `oxigraph` server binary: next to this Python (the venv's bin) first, then on PATH."""
    here = Path(sys.executable).parent
    for name in ("oxigraph", "oxigraph.exe"):
        candidate = here / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("oxigraph")
    if found is None:
        pytest.fail(
            f"the `oxigraph` server binary is neither in {here} nor on PATH: "
            "pip install oxigraph (it is in the `test` extra: pip install -e '.[test]')",
            pytrace=False,
        )
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(url: str, body: bytes, content_type: str, accept: str = "*/*", timeout: float = 10.0) -> bytes:
    """POST and return the body; a non-2xx answer fails the test with the server's message."""
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        pytest.fail(f"POST {url}: HTTP {exc.code}: {exc.read().decode('utf-8', 'replace')}", pytrace=False)


@dataclass
class OxigraphServer:
    """A running `oxigraph serve` on loopback holding one snapshot, with the query service's item shape."""

    snapshot: Path  # the file given (maybe .gz): hand the same one to EmbeddedSource to compare
    location: Path
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The SPARQL query endpoint, for RemoteSource."""
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    def update(self, sparql: str) -> None:
        """Apply a SPARQL update (visible to every later query against this server)."""
        post(self.update_url, sparql.encode("utf-8"), "application/sparql-update")

    def select(self, sparql: str) -> list[dict[str, dict[str, str]]]:
        """Run a SELECT directly (no RemoteSource), for setting up and checking tests."""
        import json

        raw = post(self.url, sparql.encode("utf-8"), "application/sparql-query", "application/sparql-results+json")
        return list(json.loads(raw)["results"]["bindings"])

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def _wait_ready(self) -> bool:
        """Poll until the server answers a query; False if the process died (e.g. the port was taken)."""
        deadline = time.monotonic() + STARTUP_SECONDS
        ask = urllib.parse.urlencode({"query": "ASK {}"}).encode()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            request = urllib.request.Request(
                self.url, data=ask, headers={"Content-Type": "application/x-www-form-urlencoded"}
            )
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    response.read()
                    return True
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        pytest.fail(
            f"oxigraph serve on port {self.port} did not answer within {STARTUP_SECONDS:g} s:\n{self.log_tail()}",
            pytrace=False,
        )


def _plain_rdf(snapshot: Path, workdir: Path) -> Path:
    """The snapshot as a file `oxigraph load` reads by extension: gunzipped into workdir if needed."""
    if not snapshot.name.endswith(".gz"):
        return snapshot
    target = workdir / snapshot.name.removesuffix(".gz")
    with gzip.open(snapshot, "rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


def start_oxigraph(snapshot: Path, workdir: Path, binary: str | None = None) -> OxigraphServer:
    """Load `snapshot` into a fresh store in workdir, serve it on a free loopback port, lift entity data."""
    binary = binary or find_oxigraph()
    workdir.mkdir(parents=True, exist_ok=True)
    location = workdir / "store"
    rdf = _plain_rdf(Path(snapshot), workdir)
    loaded = subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(rdf)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if loaded.returncode != 0:
        pytest.fail(f"oxigraph load {rdf} failed:\n{loaded.stderr[-2000:]}", pytrace=False)
    log_path = workdir / "serve.log"
    for _ in range(3):  # another process may grab the free port between free_port() and bind
        port = free_port()
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        server = OxigraphServer(Path(snapshot), location, port, process, log_path)
        if server._wait_ready():
            server.update(LIFT_ENTITY_DATA)  # what the Wikibase query service updater does
            return server
    pytest.fail(f"oxigraph serve would not start:\n{server.log_tail()}", pytrace=False)


@dataclass
class OxigraphServers:
    """Starts oxigraph servers for a test session: one shared per snapshot, or private ones on request."""

    workdir: Path
    binary: str
    shared: dict[Path, OxigraphServer] = field(default_factory=dict)
    started: list[OxigraphServer] = field(default_factory=list)

    def serve(self, snapshot: Path, *, private: bool = False) -> OxigraphServer:
        """A server holding `snapshot`. Shared ones are reused by every test: use private=True to mutate."""
        key = Path(snapshot).resolve()
        if not private and key in self.shared:
            return self.shared[key]
        server = start_oxigraph(key, self.workdir / f"server-{len(self.started)}", self.binary)
        self.started.append(server)
        if not private:
            self.shared[key] = server
        return server

    def close(self) -> None:
        for server in self.started:
            server.stop()


# ---------------------------------------------------------------------------------------------------------
# The faulty proxy


@dataclass(frozen=True)
class Fault:
    """What the proxy does with one request.

    kind: `passthrough`, `status` (answer `status` with a short text body, plus `Retry-After: retry_after`
    if given), `slow` (wait `FaultProxy.slow_seconds`, then pass through), `html` (200 with an anti-bot page),
    `truncated` (200 with the upstream body cut in half), `reset` (close the connection without an answer).
    """

    kind: str
    status: int = 200
    retry_after: str | None = None

    @classmethod
    def parse(cls, spec: Fault | str | int) -> Fault:
        """`"500"`, `503`, `"429:7"` (with Retry-After: 7), or a kind name such as `"slow"`."""
        if isinstance(spec, Fault):
            return spec
        text = str(spec)
        code, _, after = text.partition(":")
        if code.isdigit():
            return cls("status", int(code), after.strip() or None)
        if text not in {"passthrough", "slow", "html", "truncated", "reset"}:
            raise ValueError(f"unknown proxy fault {spec!r}")
        return cls(text)


def status(code: int, retry_after: str | int | None = None) -> Fault:
    """An HTTP error answer, optionally with a Retry-After header (seconds or an HTTP-date)."""
    return Fault("status", code, None if retry_after is None else str(retry_after))


PASSTHROUGH = Fault("passthrough")


@dataclass(frozen=True)
class SeenRequest:
    """One request as the proxy received it, and what it did with it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    fault: Fault

    @property
    def user_agent(self) -> str:
        return self.headers.get("User-Agent", "")


class FaultProxy:
    """A loopback HTTP server in its own thread that forwards POSTs to `upstream`, failing as scripted.

    `script(...)` queues faults for the next requests, in order; once the queue is empty every request gets
    `default` (PASSTHROUGH unless a test sets e.g. `Fault.parse("500")` for a persistent failure).
    """

    def __init__(self, upstream: str, slow_seconds: float = 2.0) -> None:
        self.upstream = upstream
        self.slow_seconds = slow_seconds
        self.default: Fault = PASSTHROUGH
        self.requests: list[SeenRequest] = []
        self._script: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fault-proxy", daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def script(self, *faults: Fault | str | int) -> None:
        """Queue what the next requests get, in order."""
        with self._lock:
            self._script.extend(Fault.parse(f) for f in faults)

    def set_default(self, fault: Fault | str | int) -> None:
        """What every request gets once the script is used up."""
        self.default = Fault.parse(fault)

    def next_fault(self) -> Fault:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def record(self, seen: SeenRequest) -> None:
        with self._lock:
            self.requests.append(seen)

    def close(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in `slow`
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def forward(self, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        """Send the request on to the real server: (status, Content-Type, body), errors included."""
        keep = {k: v for k, v in headers.items() if k.lower() in {"content-type", "accept", "user-agent"}}
        request = urllib.request.Request(self.upstream, data=body, headers=keep, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=UPSTREAM_TIMEOUT) as response:
                return response.status, response.headers.get("Content-Type", ""), bytes(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Content-Type", ""), bytes(exc.read())


def _handler_for(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
            pass

        def do_POST(self) -> None:  # noqa: N802 - the http.server naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            fault = proxy.next_fault()
            proxy.record(SeenRequest("POST", self.path, dict(self.headers.items()), body, fault))
            try:
                self._act(fault, body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (e.g. timed out during `slow`): nothing left to answer

        def do_GET(self) -> None:  # noqa: N802
            self._answer(405, "text/plain", b"the fault proxy only forwards POST")

        def _act(self, fault: Fault, body: bytes) -> None:
            if fault.kind == "status":
                extra = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                self._answer(fault.status, "text/plain", f"scripted HTTP {fault.status}".encode(), extra)
            elif fault.kind == "html":
                self._answer(200, "text/html; charset=utf-8", ANTI_BOT_HTML)
            elif fault.kind == "reset":
                # Linger 0: close() sends RST, as a dropped connection does.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
            else:
                if fault.kind == "slow" and proxy._stopping.wait(proxy.slow_seconds):
                    return
                code, content_type, answer = proxy.forward(body, dict(self.headers.items()))
                if fault.kind == "truncated":
                    answer = answer[: len(answer) // 2]
                self._answer(code, content_type, answer)

        def _answer(self, code: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler
