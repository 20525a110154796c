"""Real processes on loopback: `sgbot serve` replicas and a `chroma run` server.

Each replica is the installed `sgbot` command in a process of its own, configured
only through its environment, exactly as a container would run it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

SGBOT = str(Path(sys.executable).with_name("sgbot"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_environment(**settings: str) -> dict[str, str]:
    """The parent's environment without any SGBOT_/SLACK_/TEAMS_ settings a developer may have, plus these."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("SGBOT_", "SLACK_", "TEAMS_", "CHROMA_")) and k != "DATABASE_URL"}
    keep.update(settings)
    keep.setdefault("PYTHONUNBUFFERED", "1")
    return keep


class ServeProcess:
    """`sgbot serve --host 127.0.0.1 --port P` with its stderr (the JSON log) kept in a file."""

    def __init__(self, workdir: Path, environment: dict[str, str], *extra: str, name: str = "serve") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = workdir / f"{name}.log"
        self._log = self.log_path.open("wb")
        # cwd is the work directory so that no developer's .env is read.
        self.process = subprocess.Popen(
            [SGBOT, "serve", "--host", "127.0.0.1", "--port", str(self.port), *extra],
            cwd=workdir, env=environment, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def wait_until(self, path: str, status: int = 200, timeout: float = 90) -> httpx.Response:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sgbot serve exited ({self.process.returncode}):\n{self.log_text()[-3000:]}")
            try:
                response = httpx.get(self.url + path, timeout=5)
                if response.status_code == status:
                    return response
                last = response.text
            except httpx.HTTPError as exc:
                last = exc
            time.sleep(0.2)
        raise TimeoutError(f"{path} never answered {status}; last: {last}\n{self.log_text()[-3000:]}")

    def wait_ready(self, timeout: float = 120) -> httpx.Response:
        return self.wait_until("/readyz", 200, timeout)

    def log_text(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def log_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log_text().splitlines() if line.strip()]

    def terminate(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        self._log.close()
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self._log.close()


class ChromaServer:
    """`chroma run` on a free loopback port."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        executable = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        self.port = port or free_port()
        self.process = subprocess.Popen(
            [executable, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the chroma server did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
