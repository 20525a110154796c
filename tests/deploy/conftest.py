"""Fixtures for the deployment tests: PostgreSQL (a fresh database per run) and a `chroma run` server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.deploy.processes import ChromaServer
from tests.referral.conftest import postgres_url  # noqa: F401 - the same fresh-database fixture


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    yield server
    server.stop()
