"""Serving without surprises: liveness and readiness, one clear line when the database is down,
JSON logs carrying a request id, and a clean stop on SIGTERM."""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from bot.assistant import Assistant
from bot.config import Settings
from bot.db.migrations import HEAD
from bot.db.schema import alembic_config
from bot.server import create_app
from tests.conftest import make_settings
from tests.deploy.processes import SGBOT, ServeProcess, base_environment, free_port


def _unreachable_postgres(password: str = "s3cret") -> str:
    return f"postgresql://sgbot:{password}@127.0.0.1:{free_port()}/sgbot"


def _wait_ready(client: TestClient, timeout: float = 120) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        response = client.get("/readyz")
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def _check(body: dict, name: str) -> dict:
    return next(check for check in body["checks"] if check["name"] == name)


def test_a_replica_whose_database_is_down_is_alive_but_not_ready(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, database_url=_unreachable_postgres())
    client = TestClient(create_app(settings, components=[]))

    alive = client.get("/healthz")
    ready = client.get("/readyz")

    assert alive.status_code == 200
    assert ready.status_code == 503 and ready.json()["status"] == "not ready"
    database = _check(ready.json(), "database")
    assert not database["ok"]
    assert "is not reachable" in database["detail"] and "Connection refused" in database["detail"]
    assert "s3cret" not in ready.text  # the password is never shown


def test_an_older_schema_is_migrated_and_a_newer_releases_schema_is_not_ready(tmp_path: Path) -> None:
    older, newer = f"sqlite:///{tmp_path / 'older.sqlite3'}", f"sqlite:///{tmp_path / 'newer.sqlite3'}"
    for url, revision in ((older, "0001"), (newer, HEAD)):
        engine = create_engine(url)
        with engine.begin() as connection:
            from alembic import command

            command.upgrade(alembic_config(connection), revision)
        engine.dispose()
    with create_engine(newer).begin() as connection:  # as a later release would leave it
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))

    migrated = TestClient(create_app(make_settings(tmp_path, database_url=older), components=[])).get("/readyz")
    refused = TestClient(create_app(make_settings(tmp_path, database_url=newer), components=[])).get("/readyz")

    assert migrated.status_code == 200 and _check(migrated.json(), "migrations")["detail"] == HEAD
    assert refused.status_code == 503
    detail = _check(refused.json(), "migrations")["detail"]
    assert "9999" in detail and HEAD in detail and "newer release" in detail


def test_ready_once_the_index_is_loaded_and_not_before_anything_is_ingested(
    sample_settings: Settings, tmp_path: Path
) -> None:
    from bot.db import open_database

    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    open_database(url).dispose()
    settings = sample_settings.model_copy(update={"database_url": url})
    empty = make_settings(tmp_path / "empty", database_url=url)

    with TestClient(create_app(settings, components=[], assistant=Assistant(settings))) as client:
        ready = _wait_ready(client)
    with TestClient(create_app(empty, components=[], assistant=Assistant(empty))) as client:
        deadline = time.monotonic() + 120
        while "loading" in _check(client.get("/readyz").json(), "index")["detail"] and time.monotonic() < deadline:
            time.sleep(0.2)
        not_ready = client.get("/readyz")

    assert ready.status_code == 200, ready.text
    assert _check(ready.json(), "index")["detail"].startswith("generation ")
    assert _check(ready.json(), "migrations")["ok"]
    assert not_ready.status_code == 503
    assert "empty: run `sgbot ingest`" in _check(not_ready.json(), "index")["detail"]


def _run(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    environment = base_environment(DATABASE_URL=_unreachable_postgres(), SGBOT_DATA_DIR=str(tmp_path / "data"),
                                   SGBOT_BUSINESS_UNIT="officer@example.org")
    return subprocess.run([SGBOT, *args], cwd=tmp_path, env=environment, input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_queue_list_and_chat_print_one_clear_line_when_the_database_is_down(tmp_path: Path) -> None:
    for args, stdin in ((["queue", "list"], ""), (["chat", "--user", "u1"], "quit\n")):
        result = _run(tmp_path, *args, stdin=stdin)
        lines = [line for line in result.stderr.splitlines() if line.strip()]

        assert result.returncode == 1, result.stderr
        assert len(lines) == 1, result.stderr
        assert "is not reachable" in lines[0] and "DATABASE_URL" in lines[0]
        assert "Traceback" not in result.stderr + result.stdout
        assert "s3cret" not in result.stderr


def test_a_served_process_logs_json_lines_with_the_request_id_and_stops_cleanly_on_sigterm(
    tmp_path: Path,
) -> None:
    environment = base_environment(SGBOT_DATA_DIR=str(tmp_path / "data"))
    served = ServeProcess(tmp_path, environment)
    request_id = uuid.uuid4().hex
    try:
        served.wait_until("/healthz")
        response = httpx.get(served.url + "/healthz", headers={"X-Request-ID": request_id})
        generated = httpx.get(served.url + "/healthz")
    finally:
        code = served.terminate()

    lines = served.log_lines()  # every line parses as JSON
    assert code in (0, -15)  # uvicorn re-raises SIGTERM once it has shut down cleanly
    assert response.headers["X-Request-ID"] == request_id
    assert len(generated.headers["X-Request-ID"]) == 32
    assert any(line.get("request_id") == request_id for line in lines)
    assert all({"timestamp", "level", "logger", "message"} <= line.keys() for line in lines)
    messages = [line["message"] for line in lines]
    assert messages.index("server.draining") < messages.index("server.stopped")
