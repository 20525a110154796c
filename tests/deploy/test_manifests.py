"""The deployment files an operator applies: Kubernetes manifests that render and validate against the
Kubernetes schemas, and a compose file whose every setting is one the application reads."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from bot.config import Settings
from tests.deploy.processes import ServeProcess, base_environment
from tests.teams.harness import message_activity

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
KUBERNETES_VERSION = "1.31"
SETTINGS = {field.alias for field in Settings.model_fields.values() if field.alias}


def measured_serve_rss_mib() -> float:
    """The largest `sgbot serve` RSS that deploy/README.md's *Measured* section reports (its "Serving RSS"
    rows, from `python bench/footprint.py`): re-measuring means updating the README, and then the manifests."""
    readme = (DEPLOY / "README.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith("| Serving RSS")]
    figures = [float(m) for row in rows for m in re.findall(r"\*\*(\d+(?:\.\d+)?) MiB\*\*", row)]
    assert figures, "deploy/README.md *Measured* has no 'Serving RSS' row with a **N MiB** figure"
    return max(figures)
# Variables compose itself reads (image, ports, the PostgreSQL container's own), not application settings.
COMPOSE_VARIABLES = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "SGBOT_IMAGE", "SGBOT_HTTP_PORT",
                     "SGBOT_DOCUMENTS"}


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: install it to render deploy/k8s")
    result = subprocess.run([kubectl, "kustomize", str(DEPLOY / "k8s" / "overlays" / "production")],
                            capture_output=True, text=True, timeout=120, check=True)
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def _one(rendered: list[dict[str, Any]], kind: str, name: str | None = None) -> dict[str, Any]:
    found = [d for d in rendered if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def test_the_production_overlay_validates_against_the_kubernetes_schemas(rendered: list[dict[str, Any]]) -> None:
    for document in rendered:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    # and the check has teeth: a misspelt field is refused
    broken = copy.deepcopy(_one(rendered, "Deployment"))
    broken["spec"]["replica"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_two_replicas_probed_on_readyz_and_healthz_kept_up_by_a_budget_and_scaled_on_cpu(
    rendered: list[dict[str, Any]],
) -> None:
    deployment = _one(rendered, "Deployment", "sgbot")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    pdb = _one(rendered, "PodDisruptionBudget")
    hpa = _one(rendered, "HorizontalPodAutoscaler")

    assert deployment["spec"]["replicas"] == 2 and deployment["metadata"]["namespace"] == "sgbot"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["image"] == "registry.example.org/partnership/sgbot:0.1.0"
    assert container["resources"]["requests"]["memory"] and container["resources"]["limits"]["memory"]
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    assert pdb["spec"]["minAvailable"] == 1
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert hpa["spec"]["minReplicas"] == 2 and hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    # Replicas hold nothing of their own: only scratch space.
    assert all("emptyDir" in volume for volume in deployment["spec"]["template"]["spec"]["volumes"])


def test_ingest_runs_as_a_job_and_nightly_and_every_setting_is_a_real_one(rendered: list[dict[str, Any]]) -> None:
    job = _one(rendered, "Job")
    cron = _one(rendered, "CronJob")
    config = _one(rendered, "ConfigMap")
    secret = _one(rendered, "Secret")

    assert job["spec"]["template"]["spec"]["containers"][0]["args"][0] == "ingest"
    assert cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"][0] == "ingest"
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    assert set(config["data"]) <= SETTINGS, set(config["data"]) - SETTINGS
    assert set(secret["stringData"]) <= SETTINGS, set(secret["stringData"]) - SETTINGS
    assert config["data"]["SGBOT_INDEX_STORE"] == "database"
    assert {p["metadata"]["name"] for p in rendered if p["kind"] == "NetworkPolicy"} == {"sgbot", "sgbot-chroma"}


def _compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_two_replicas_behind_a_proxy_with_state_only_in_postgres_and_chroma() -> None:
    compose = _compose()
    services = compose["services"]
    caddyfile = (DEPLOY / "Caddyfile").read_text()

    assert {"sgbot-a", "sgbot-b", "proxy", "postgres", "chroma", "ingest"} <= services.keys()
    assert set(compose["volumes"]) == {"postgres", "chroma"}
    named = {volume.split(":")[0] for service in services.values() for volume in service.get("volumes", [])
             if not volume.startswith((".", "$", "/"))}
    assert named == {"postgres", "chroma"}
    assert "sgbot-a:3000" in caddyfile and "sgbot-b:3000" in caddyfile and "health_uri /readyz" in caddyfile
    assert services["ingest"]["command"][0] == "ingest" and services["ingest"]["restart"] == "no"
    assert services["sgbot-a"]["depends_on"]["ingest"]["condition"] == "service_completed_successfully"


def test_every_variable_compose_gives_the_application_is_a_real_setting() -> None:
    services = _compose()["services"]
    for name in ("sgbot-a", "sgbot-b", "ingest"):
        environment = services[name]["environment"]
        assert set(environment) <= SETTINGS, (name, set(environment) - SETTINGS)
        assert services[name]["env_file"] == ".env"
    example = re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", (DEPLOY / ".env.example").read_text(), re.MULTILINE)
    assert example, "deploy/.env.example lists the settings"
    assert set(example) <= SETTINGS | COMPOSE_VARIABLES, set(example) - SETTINGS - COMPOSE_VARIABLES


def _mebibytes(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)(Ki|Mi|Gi)", quantity).groups()  # type: ignore[union-attr]
    return float(number) * units[unit]


def test_replica_memory_is_sized_from_the_measured_serving_footprint() -> None:
    """The request covers the measured RSS with headroom but does not reserve far more than a replica uses
    (the scheduler packs by requests); the limit sits above the request for bursts and index switches.
    Read from the base Deployment (no overlay patches resources), so this runs without kubectl too."""
    overlays = sorted((DEPLOY / "k8s" / "overlays").rglob("*.yaml"))
    assert overlays and not [o.name for o in overlays if "memory" in o.read_text()], "an overlay sizes memory"
    request, limit = _base_deployment_memory()
    measured = measured_serve_rss_mib()
    assert 1.15 * measured <= request <= 1.5 * measured
    assert 1.5 * request <= limit <= 3 * measured


# Questions a replica answers before its memory is read: enough to load the index, the model and every answer path.
WARM_UP_QUESTIONS = [
    "How should I respond when a child makes a disclosure?",
    "Who do I call out of hours?",
    "What are the levels of need?",
    "When should I refer to children's social care?",
    "What is a rapid review?",
]


def _base_deployment_memory() -> tuple[float, float]:
    """The replica's memory request and limit as deploy/k8s/base/deployment.yaml writes them (read without
    kubectl, so this check runs wherever the suite does)."""
    documents = yaml.safe_load_all((DEPLOY / "k8s" / "base" / "deployment.yaml").read_text())
    deployment = next(d for d in documents if d and d["kind"] == "Deployment")
    resources = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]
    return _mebibytes(resources["requests"]["memory"]), _mebibytes(resources["limits"]["memory"])


@pytest.mark.slow
def test_a_served_replica_after_answering_questions_fits_inside_its_memory_request(
    sample_settings: Settings, tmp_path: Path
) -> None:
    """Measured, not only documented: `sgbot serve` over the sample index, after answering questions, holds no
    more memory than the scheduler reserves for a replica, and stays well under the limit it would be killed at."""
    import httpx
    import psutil

    data = tmp_path / "data"
    shutil.copytree(sample_settings.data_dir, data)
    server = ServeProcess(tmp_path / "serve", base_environment(SGBOT_DATA_DIR=str(data), TEAMS_ANONYMOUS="true"),
                          "--log-level", "warning")
    try:
        server.wait_ready(timeout=300)
        for n in range(2 * len(WARM_UP_QUESTIONS)):
            activity = message_activity(WARM_UP_QUESTIONS[n % len(WARM_UP_QUESTIONS)],
                                        service_url="http://127.0.0.1:9/", conversation_id=f"a:memory-{n}",
                                        user_id=f"29:memory-{n}", aad_object_id=f"aad-memory-{n}",
                                        delivery_mode="expectReplies")
            response = httpx.post(server.url + "/api/messages", json=activity, timeout=120)
            assert response.status_code == 200 and any(
                reply.get("type") == "message" for reply in response.json().get("activities", [])), response.text
        rss = psutil.Process(server.process.pid).memory_info().rss / 2**20
    finally:
        server.terminate()
    request, limit = _base_deployment_memory()
    assert rss <= request, f"a warm replica holds {rss:.0f} MiB, more than its {request:.0f} Mi request"
    assert rss <= limit / 1.5, f"a warm replica holds {rss:.0f} MiB, too close to its {limit:.0f} Mi limit"
