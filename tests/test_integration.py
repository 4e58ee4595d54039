"""The remote path end to end: the bundled sample served by a real `oxigraph serve` on 127.0.0.1."""

from __future__ import annotations

import dataclasses

from conftest import Project
from fakes import FaultProxy, OxigraphServer

from generator.config import Config
from generator.fetch import fetch_catalog
from generator.remote import RemoteSource
from generator.source import EmbeddedSource


def test_fetch_through_endpoint_gives_the_same_bytes_as_the_snapshot(project: Project,
                                                                    oxigraph_server: OxigraphServer) -> None:
    remote = project.run("fetch", "--endpoint", oxigraph_server.url, "--out", project.root / "remote.json")
    embedded = project.run("fetch", "--snapshot", oxigraph_server.snapshot, "--out", project.root / "local.json")
    assert remote.returncode == 0 and embedded.returncode == 0, remote.stderr + embedded.stderr
    assert (project.root / "remote.json").read_bytes() == (project.root / "local.json").read_bytes()
    assert "320 resources, 64 tools" in remote.stdout


def test_small_pages_and_batches_give_the_same_catalog(hubkb_config: Config, oxigraph_server: OxigraphServer) -> None:
    small = dataclasses.replace(hubkb_config, source=dataclasses.replace(hubkb_config.source, page_size=70,
                                                                         batch_size=33))
    paged = fetch_catalog(RemoteSource(oxigraph_server.url, small.source), small)
    whole = fetch_catalog(EmbeddedSource(oxigraph_server.snapshot), hubkb_config)
    assert paged.dumps() == whole.dumps()


def test_fetch_recovers_from_rate_limiting_midway(hubkb_config: Config, fault_proxy: FaultProxy,
                                                  oxigraph_server: OxigraphServer) -> None:
    fault_proxy.script("passthrough", "passthrough", "429:0", "503", "passthrough")
    source = RemoteSource(fault_proxy.url, hubkb_config.source, sleep=lambda seconds: None)
    catalog = fetch_catalog(source, hubkb_config)
    assert catalog.dumps() == fetch_catalog(EmbeddedSource(oxigraph_server.snapshot), hubkb_config).dumps()
