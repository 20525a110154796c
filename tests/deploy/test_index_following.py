"""A replica follows the published index generations with one follower, however many threads ask.

`sgbot serve` loads the index at startup in a thread of its own while its poller
(SGBOT_INDEX_POLL_SECONDS) asks for the newest generation in another. On a busy
machine the startup load is still opening the database when the poller asks:
both must end up on one follower, or two unpack and prune the same generation
directory under each other (a load fails with FileNotFoundError, a question
finds the catalog gone from under it and is answered with an apology).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import forget_databases, get_database
from bot.index.words import words_path
from bot.qa.generations import GenerationFollower, publish
from bot.qa.vocabulary import corpus_expansion
from bot.serving.health import Readiness
from tests.conftest import make_settings
from tests.deploy.processes import ChromaServer

THREADS = 6


def _job_and_replica(tmp_path: Path, sample_settings: Settings, chroma_server: ChromaServer,
                     name: str) -> tuple[Settings, Settings]:
    """An ingest job holding an ingested index, and a replica, sharing one database and one Chroma server."""
    database_url = f"sqlite:///{tmp_path / 'shared' / 'sgbot.sqlite3'}"
    shared = {"database_url": database_url, "index_store": "database", "chroma_host": "127.0.0.1",
              "chroma_port": chroma_server.port, "collection": f"{name}-{tmp_path.name}"[:60]}
    job = make_settings(tmp_path / "job", **shared)
    shutil.copytree(sample_settings.data_dir, job.data_dir)  # an ingested index, published as an ingest would
    return job, make_settings(tmp_path / "replica", **shared)


def test_concurrent_follows_share_one_follower_and_load_the_generation_once(
    tmp_path: Path, sample_settings: Settings, chroma_server: ChromaServer,
) -> None:
    job, replica = _job_and_replica(tmp_path, sample_settings, chroma_server, "following")
    published = publish(job, get_database(job))
    forget_databases()  # the replica opens the database itself, as a separate process would

    assistant = Assistant(replica)
    readiness = Readiness(replica, assistant)
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []
    followers: list[object] = []

    def follow() -> None:
        start.wait()
        try:
            readiness.follow_published_index()
            followers.append(readiness.generation_follower())
        except Exception as exc:  # collected: the assertion below names it
            failures.append(exc)

    threads = [threading.Thread(target=follow) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert failures == []
    assert len({id(follower) for follower in followers}) == 1
    assert readiness.index().ok, readiness.index().detail
    assert f"generation {published.id}" in readiness.index().detail
    loaded = assistant.loaded_answerer
    assert loaded is not None and loaded.index.catalog.count() == published.chunk_count
    forget_databases()


def test_a_replica_answers_its_first_question_with_the_documents_words_its_ingest_published(
    tmp_path: Path, sample_settings: Settings, chroma_server: ChromaServer,
) -> None:
    job, replica = _job_and_replica(tmp_path, sample_settings, chroma_server, "words")
    published = publish(job, get_database(job))
    kept_at_ingest = words_path(job.index_dir, published.catalog_generation)
    forget_databases()

    answerer = GenerationFollower(replica, get_database(replica)).refresh()
    assert answerer is not None
    in_replica = words_path(answerer.index.directory, published.catalog_generation)
    # The words came with the generation as its ingest embedded them: a file the replica wrote would be newer.
    assert in_replica.read_bytes() == kept_at_ingest.read_bytes()
    assert int(in_replica.stat().st_mtime) == int(kept_at_ingest.stat().st_mtime)
    written = in_replica.stat().st_mtime_ns

    # Its first question has a word the documents never use ("cops"), searched as their nearest words.
    answerer.answer("can I tell the cops?")
    assert "polic" in corpus_expansion(answerer.index, "can I tell the cops?", answerer.retriever.encode_query)
    assert in_replica.stat().st_mtime_ns == written
    assert list(in_replica.parent.iterdir()) == [in_replica]
    forget_databases()
