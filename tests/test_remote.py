"""RemoteSource against a real `oxigraph serve`, directly and through a proxy that fails the way Metabase does."""

from __future__ import annotations

import dataclasses
import gzip
import json
import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from fakes import TINY_SNAPSHOT, Fault, FaultProxy, OxigraphServer, OxigraphServers, free_port, status

from generator.config import Config, SourceConfig
from generator.errors import SourceError
from generator.remote import PROJECT_URL, USER_AGENT, RemoteSource
from generator.source import EmbeddedSource, Row, prefixes

LABELS = "SELECT ?item ?label WHERE { ?item rdfs:label ?label }"
# Every triple without blank nodes: checks that literal shapes (language, datatype) match the embedded source.
TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }"


def settings(config: Config, timeout: float = 5.0, retries: int = 5) -> SourceConfig:
    return dataclasses.replace(config.source, timeout=timeout, retries=retries)


def query(config: Config, body: str) -> str:
    return prefixes(config) + body


def ordered(rows: list[Row]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


class Sleeps(list[float]):
    """Stands in for time.sleep: records the backoff instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def remote(proxy: FaultProxy, config: Config, sleeps: Sleeps, **kwargs: float) -> RemoteSource:
    return RemoteSource(proxy.url, settings(config, **kwargs), sleep=sleeps)  # type: ignore[arg-type]


@pytest.fixture
def expected_labels(oxigraph_server: OxigraphServer, hubkb_config: Config) -> list[str]:
    return ordered(EmbeddedSource(oxigraph_server.snapshot).select(query(hubkb_config, LABELS), "labels"))


# --- a healthy endpoint -------------------------------------------------------------------------------------


def test_select_labels_same_as_embedded_source(
    oxigraph_server: OxigraphServer, hubkb_config: Config, expected_labels: list[str]
) -> None:
    rows = RemoteSource(oxigraph_server.url, settings(hubkb_config)).select(query(hubkb_config, LABELS), "labels")
    assert expected_labels
    assert ordered(rows) == expected_labels


def test_select_triples_same_terms_as_embedded_source(oxigraph_server: OxigraphServer, hubkb_config: Config) -> None:
    """Same literal shapes (xml:lang, datatype) and the same lifted schema:dateModified on items."""
    source = RemoteSource(oxigraph_server.url, settings(hubkb_config))
    rows = source.select(TRIPLES, "triples")
    assert ordered(rows) == ordered(EmbeddedSource(oxigraph_server.snapshot).select(TRIPLES, "triples"))


def test_describe_names_endpoint(hubkb_config: Config) -> None:
    assert RemoteSource("http://127.0.0.1:9/sparql", hubkb_config.source).describe() == (
        "endpoint http://127.0.0.1:9/sparql"
    )


def test_init_not_http_url_fails(hubkb_config: Config) -> None:
    with pytest.raises(SourceError, match="not an http"):
        RemoteSource("ftp://example.org/sparql", hubkb_config.source)


def test_user_agent_descriptive_per_wikimedia_policy(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps
) -> None:
    remote(fault_proxy, hubkb_config, sleeps).select(query(hubkb_config, LABELS), "labels")
    agent = fault_proxy.requests[0].user_agent
    assert agent == USER_AGENT
    assert agent.startswith("hubkb/")
    assert PROJECT_URL in agent
    assert "SPARQLWrapper/" in agent
    assert fault_proxy.requests[0].headers["Content-Type"] == "application/x-www-form-urlencoded"  # POST


# --- transient failures: retried, then the data arrives -----------------------------------------------------


def test_select_429_retry_after_honoured(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps, expected_labels: list[str]
) -> None:
    fault_proxy.script("429:7")
    rows = remote(fault_proxy, hubkb_config, sleeps).select(query(hubkb_config, LABELS), "labels")
    assert ordered(rows) == expected_labels
    assert sleeps == [7]
    assert len(fault_proxy.requests) == 2


def test_select_503_retry_after_http_date_honoured(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps, expected_labels: list[str]
) -> None:
    fault_proxy.script(status(503, format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)))
    rows = remote(fault_proxy, hubkb_config, sleeps).select(query(hubkb_config, LABELS), "labels")
    assert ordered(rows) == expected_labels
    assert len(sleeps) == 1 and 25 <= sleeps[0] <= 30


def test_select_5xx_backoff_grows_then_succeeds(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps, expected_labels: list[str]
) -> None:
    fault_proxy.script("500", "503", "502")
    rows = remote(fault_proxy, hubkb_config, sleeps).select(query(hubkb_config, LABELS), "labels")
    assert ordered(rows) == expected_labels
    assert sleeps == [1, 2, 4]


def test_select_slow_beyond_timeout_recovers(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps, expected_labels: list[str]
) -> None:
    fault_proxy.script("slow")
    rows = remote(fault_proxy, hubkb_config, sleeps, timeout=0.5).select(query(hubkb_config, LABELS), "labels")
    assert ordered(rows) == expected_labels
    assert sleeps == [1]


def test_select_connection_reset_recovers(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps, expected_labels: list[str]
) -> None:
    fault_proxy.script("reset")
    rows = remote(fault_proxy, hubkb_config, sleeps).select(query(hubkb_config, LABELS), "labels")
    assert ordered(rows) == expected_labels
    assert len(fault_proxy.requests) == 2


def test_select_truncated_once_recovers(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps, expected_labels: list[str]
) -> None:
    fault_proxy.script("truncated")
    rows = remote(fault_proxy, hubkb_config, sleeps).select(query(hubkb_config, LABELS), "labels")
    assert ordered(rows) == expected_labels


def test_select_html_once_retried_after_backoff(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps, expected_labels: list[str]
) -> None:
    fault_proxy.script("html")
    rows = remote(fault_proxy, hubkb_config, sleeps).select(query(hubkb_config, LABELS), "labels")
    assert ordered(rows) == expected_labels
    assert sleeps == [1]


def test_retry_logged_at_info_naming_endpoint_query_cause(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    fault_proxy.script("503")
    with caplog.at_level(logging.INFO, logger="generator.remote"):
        remote(fault_proxy, hubkb_config, sleeps).select(query(hubkb_config, LABELS), "labels")
    retries = [r for r in caplog.records if r.levelno == logging.INFO]
    assert len(retries) == 1
    message = retries[0].getMessage()
    assert fault_proxy.url in message and "labels.rq" in message and "HTTP 503" in message


# --- failures the user must see as one SourceError line, never as empty data ---------------------------------


def one_line(excinfo: pytest.ExceptionInfo[SourceError], url: str, name: str) -> str:
    message = str(excinfo.value.message)
    assert "\n" not in message
    assert message.startswith(f"endpoint {url}: query {name}.rq: ")
    return message


def test_select_persistent_500_fails_after_all_attempts(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps
) -> None:
    fault_proxy.set_default("500")
    with pytest.raises(SourceError) as excinfo:
        remote(fault_proxy, hubkb_config, sleeps, retries=4).select(query(hubkb_config, LABELS), "resources")
    message = one_line(excinfo, fault_proxy.url, "resources")
    assert message.endswith("HTTP 500 Internal Server Error after 4 attempts")
    assert len(fault_proxy.requests) == 4
    assert sleeps == [1, 2, 4]


def test_select_backoff_capped_at_60_seconds(fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps) -> None:
    fault_proxy.set_default("503")
    with pytest.raises(SourceError, match="after 9 attempts"):
        remote(fault_proxy, hubkb_config, sleeps, retries=9).select(query(hubkb_config, LABELS), "labels")
    assert sleeps == [1, 2, 4, 8, 16, 32, 60, 60]


def test_select_retry_after_too_long_fails_at_once(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps
) -> None:
    fault_proxy.script(status(429, 3600))
    with pytest.raises(SourceError) as excinfo:
        remote(fault_proxy, hubkb_config, sleeps).select(query(hubkb_config, LABELS), "labels")
    assert "HTTP 429 Too Many Requests; the endpoint asks to wait 3600 s" in one_line(
        excinfo, fault_proxy.url, "labels"
    )
    assert sleeps == [] and len(fault_proxy.requests) == 1


def test_select_persistent_slow_fails_with_timeout(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps
) -> None:
    fault_proxy.set_default("slow")
    source = remote(fault_proxy, hubkb_config, sleeps, timeout=0.5, retries=2)
    with pytest.raises(SourceError) as excinfo:
        source.select(query(hubkb_config, LABELS), "labels")
    assert one_line(excinfo, fault_proxy.url, "labels").endswith("timeout: no answer within 0.5 s after 2 attempts")


def test_select_html_twice_fails_never_empty(fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps) -> None:
    """An anti-bot page is retried once only, however many attempts are allowed."""
    fault_proxy.set_default("html")
    with pytest.raises(SourceError) as excinfo:
        remote(fault_proxy, hubkb_config, sleeps, retries=5).select(query(hubkb_config, LABELS), "labels")
    message = one_line(excinfo, fault_proxy.url, "labels")
    assert "answered text/html, not SPARQL JSON (an anti-bot page?) after 2 attempts" in message
    assert len(fault_proxy.requests) == 2


def test_select_persistent_truncated_json_fails(fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps) -> None:
    fault_proxy.set_default("truncated")
    with pytest.raises(SourceError) as excinfo:
        remote(fault_proxy, hubkb_config, sleeps, retries=2).select(query(hubkb_config, LABELS), "labels")
    assert "truncated or invalid JSON: " in one_line(excinfo, fault_proxy.url, "labels")


def test_select_other_content_type_fails_without_retry(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps
) -> None:
    fault_proxy.script(Fault("status", 200))  # 200 with text/plain
    with pytest.raises(SourceError) as excinfo:
        remote(fault_proxy, hubkb_config, sleeps).select(query(hubkb_config, LABELS), "labels")
    assert one_line(excinfo, fault_proxy.url, "labels").endswith("answered text/plain, not SPARQL JSON")
    assert len(fault_proxy.requests) == 1


def test_select_not_a_select_result_fails(oxigraph_server: OxigraphServer, hubkb_config: Config) -> None:
    source = RemoteSource(oxigraph_server.url, settings(hubkb_config))
    with pytest.raises(SourceError, match=r"ask\.rq: JSON without results\.bindings"):
        source.select("ASK {}", "ask")


def test_select_bad_query_400_fails_without_retry(
    fault_proxy: FaultProxy, hubkb_config: Config, sleeps: Sleeps
) -> None:
    with pytest.raises(SourceError) as excinfo:
        remote(fault_proxy, hubkb_config, sleeps).select("SELECT ?x WHERE { ?x", "broken")
    message = one_line(excinfo, fault_proxy.url, "broken")
    assert "HTTP 400 Bad Request: " in message  # followed by Oxigraph's parser message
    assert "attempt" not in message
    assert len(fault_proxy.requests) == 1 and sleeps == []


def test_select_404_fails_without_retry(oxigraph_server: OxigraphServer, hubkb_config: Config, sleeps: Sleeps) -> None:
    url = f"{oxigraph_server.base}/no-such-endpoint"
    source = RemoteSource(url, settings(hubkb_config), sleep=sleeps)  # type: ignore[arg-type]
    with pytest.raises(SourceError) as excinfo:
        source.select(query(hubkb_config, LABELS), "labels")
    assert "HTTP 404 Not Found" in one_line(excinfo, url, "labels")
    assert sleeps == []


def test_select_connection_refused_names_url(hubkb_config: Config, sleeps: Sleeps) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    source = RemoteSource(url, settings(hubkb_config), sleep=sleeps)  # type: ignore[arg-type]
    with pytest.raises(SourceError) as excinfo:
        source.select(query(hubkb_config, LABELS), "resources")
    assert one_line(excinfo, url, "resources") == f"endpoint {url}: query resources.rq: connection refused"
    assert sleeps == []


# --- the fixtures themselves ---------------------------------------------------------------------------------


def test_oxigraph_servers_gzipped_snapshot_private_updates_stay_private(
    oxigraph_servers: OxigraphServers, oxigraph_server: OxigraphServer, tmp_path: Path, hubkb_config: Config
) -> None:
    """A .ttl.gz snapshot is served like the embedded source reads it; updates on a private server stay there."""
    snapshot = tmp_path / "tiny.ttl.gz"
    snapshot.write_bytes(gzip.compress(TINY_SNAPSHOT.encode()))
    private = oxigraph_servers.serve(snapshot, private=True)
    source = RemoteSource(private.url, settings(hubkb_config))
    labels = query(hubkb_config, LABELS)
    assert ordered(source.select(labels, "labels")) == ordered(EmbeddedSource(snapshot).select(labels, "labels"))
    private.update('INSERT DATA { <urn:x:new> <http://www.w3.org/2000/01/rdf-schema#label> "New"@en }')
    new = "SELECT ?l WHERE { <urn:x:new> ?p ?l }"
    assert source.select(new, "new") == [{"l": {"type": "literal", "value": "New", "xml:lang": "en"}}]
    assert RemoteSource(oxigraph_server.url, settings(hubkb_config)).select(new, "new") == []
    private.stop()
