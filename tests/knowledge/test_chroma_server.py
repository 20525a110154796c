"""The same ingest and answers against a `chroma run` server on loopback (CHROMA_HOST / CHROMA_PORT)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.index.store import KnowledgeIndex
from bot.qa.service import Answerer
from ingest.pipeline import ingest_paths
from tests.conftest import make_settings
from tests.knowledge import documents


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    executable = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(executable).exists():
        pytest.skip("the `chroma` command is not installed (it comes with the chromadb package)")
    port = _free_port()
    process = subprocess.Popen(
        [executable, "run", "--path", str(tmp_path_factory.mktemp("chroma-server")), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the chroma server did not start")
            time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def server_settings(chroma_server: tuple[str, int], tmp_path: Path) -> Settings:
    host, port = chroma_server
    return make_settings(tmp_path / "data", chroma_host=host, chroma_port=port,
                         collection=f"knowledge-{tmp_path.name}"[:60])


def test_ingest_and_answers_work_against_a_chroma_server(server_settings: Settings, tmp_path: Path) -> None:
    library = tmp_path / "library"
    documents.write_all(library)

    report = ingest_paths([library], server_settings)
    answer = Answerer.from_settings(server_settings).answer(
        "Which leaflet do health visitors give on safe sleep?")

    assert report.ok and len(report.added) == 5
    assert answer.answered and answer.citations[0].source == "sleep-safety.pdf"
    assert not (server_settings.index_dir / "chroma").exists()  # nothing embedded: the server holds the vectors


def test_deletions_reach_the_chroma_server(server_settings: Settings, tmp_path: Path) -> None:
    library = tmp_path / "library"
    documents.write_all(library)
    ingest_paths([library], server_settings)
    before = KnowledgeIndex(server_settings).dense.count()
    (library / "online-safety.html").unlink()

    report = ingest_paths([library], server_settings)

    index = KnowledgeIndex(server_settings)
    assert report.removed == ["online-safety.html"]
    assert index.dense.count() < before
    assert index.dense.count() == index.catalog.count()
