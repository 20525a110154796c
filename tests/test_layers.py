"""The layers the design describes, enforced: `lint-imports` checks the contracts in pyproject.toml.

channels → assistant → domain (referral, qa, feedback) → index → outbox → people → database; the
domain never imports a channel or a platform SDK; ingest never imports the channels, the referral
domain or question answering (it shares only bot.index with bot.qa);
the channels import neither the server nor the command line (the cycles there are gone), nor the database or
the feedback package: they ask the assistant.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_import_contract_is_kept() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_layers_have_no_exceptions() -> None:
    """No `ignore_imports`: not even the database layer may reach up (bot.tables, which names every
    model for Alembic, sits outside the layers)."""
    import tomllib

    contracts = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert [c.get("ignore_imports", []) for c in contracts] == [[] for _ in contracts]


def test_no_two_of_bots_packages_import_each_other() -> None:
    """Not even discussion <-> referral: the discussion feature is built on referrals, and the assistant
    hands its "Start a case discussion" button to the referral's card (`offer_on_referrals`)."""
    import itertools

    import grimp

    graph = grimp.build_graph("bot", "ingest", cache_dir=None)
    packages = sorted({".".join(m.split(".")[:2]) for m in graph.modules if m.startswith("bot.")})
    cycles = {
        (a, b)
        for a, b in itertools.combinations(packages, 2)
        if graph.direct_import_exists(importer=a, imported=b, as_packages=True)
        and graph.direct_import_exists(importer=b, imported=a, as_packages=True)
    }
    assert cycles == set()


def test_the_channels_import_neither_the_database_nor_the_feedback_tables() -> None:
    """Channels only translate: feedback, hand-offs, channel settings, conversation references and the inbox
    are asked of the assistant, which owns the database (the contract in pyproject.toml says the same)."""
    import grimp

    graph = grimp.build_graph("bot", cache_dir=None)
    forbidden = ("bot.db", "bot.tables", "bot.feedback")
    direct = sorted(
        f"{importer} -> {imported}"
        for importer in graph.find_descendants("bot.channels")
        for imported in graph.find_modules_directly_imported_by(importer)
        if any(imported == name or imported.startswith(f"{name}.") for name in forbidden)
    )
    assert direct == []
