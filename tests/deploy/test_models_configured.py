"""A served process defines and configures every model before it starts a thread that queries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.deploy.processes import base_environment

CHECK = """
import sys
from bot.config import Settings
from bot.server import create_app

create_app(Settings(_env_file=None, data_dir=sys.argv[1]), components=[])
from bot.db.base import Base

mappers = list(Base.registry.mappers)
names = {m.class_.__name__ for m in mappers}
assert {"Discussion", "DiscussionContribution", "Referral"} <= names, sorted(names)
unconfigured = [m.class_.__name__ for m in mappers if not m.configured]
assert not unconfigured, unconfigured
print(len(mappers))
"""


def test_creating_the_app_leaves_every_mapper_defined_and_configured(tmp_path: Path) -> None:
    """In a fresh interpreter, as `sgbot serve` starts: no model is left for a request to import while the
    index-loading thread runs its first query (a half-imported module then failed the configuration for good)."""
    result = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path / "data")], env=base_environment(),
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert int(result.stdout.strip().splitlines()[-1]) >= 15
