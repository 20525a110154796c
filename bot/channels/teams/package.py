"""Build the Teams app package: manifest.json + color.png + outline.png in one zip.

The manifest template is deploy/teams/manifest.json with `{{PLACEHOLDERS}}`
filled in here; a Teams admin uploads the zip (Teams admin centre → Manage apps
→ Upload) or a user side-loads it (Apps → Manage your apps → Upload an app).

    sgbot teams-package --app-id <Entra client id> --website-url https://…
    python -m bot.channels.teams.package --help
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.channels.teams.icons import colour_icon, outline_icon
from bot.errors import SgbotError

DEPLOY_DIR = Path(__file__).resolve().parents[3] / "deploy" / "teams"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


class PackageError(SgbotError, ValueError):
    """A value the package needs is missing or malformed; the message names the fix."""


@dataclass(frozen=True)
class PackageDetails:
    app_id: str
    developer_name: str
    website_url: str
    privacy_url: str
    terms_url: str
    version: str = "1.0.0"

    def validate(self) -> None:
        if not _GUID.match(self.app_id or ""):
            raise PackageError(
                f"The app id {self.app_id!r} is not a GUID: pass --app-id (or set TEAMS_APP_ID) to the "
                "Application (client) ID of the bot's Entra ID app registration."
            )
        if not _VERSION.match(self.version):
            raise PackageError(f"--version must look like 1.0.0, not {self.version!r}.")
        if not self.developer_name.strip():
            raise PackageError("--developer-name must not be empty: it is shown to users in Teams.")
        for option, url in (
            ("--website-url", self.website_url),
            ("--privacy-url", self.privacy_url),
            ("--terms-url", self.terms_url),
        ):
            if not url.startswith("https://"):
                raise PackageError(f"{option} must be an https:// address (Teams requires it), not {url!r}.")

    def values(self) -> dict[str, str]:
        return {
            "TEAMS_APP_ID": self.app_id.lower(),
            "DEVELOPER_NAME": self.developer_name.strip(),
            "WEBSITE_URL": self.website_url,
            "PRIVACY_URL": self.privacy_url,
            "TERMS_URL": self.terms_url,
            "VERSION": self.version,
        }


def _fill(node: Any, values: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    if isinstance(node, str):
        return _PLACEHOLDER.sub(lambda match: values[match.group(1)], node)
    return node


def manifest(details: PackageDetails, template: Path | None = None) -> dict[str, Any]:
    details.validate()
    path = template or DEPLOY_DIR / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    filled = _fill(data, details.values())
    left = _PLACEHOLDER.findall(json.dumps(filled))
    if left:
        raise PackageError(f"{path} has placeholders this builder does not know: {sorted(set(left))}")
    return filled  # type: ignore[no-any-return]


def build_package(details: PackageDetails, output: Path, deploy_dir: Path | None = None) -> Path:
    """Write the zip; icons come from deploy/teams/ if present, else they are drawn."""
    folder = deploy_dir or DEPLOY_DIR
    content = manifest(details, folder / "manifest.json")
    colour = folder / "color.png"
    outline = folder / "outline.png"
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # Teams wants the three files at the root of the zip, not in a folder.
        archive.writestr("manifest.json", json.dumps(content, indent=2, ensure_ascii=False))
        archive.writestr("color.png", colour.read_bytes() if colour.is_file() else colour_icon())
        archive.writestr("outline.png", outline.read_bytes() if outline.is_file() else outline_icon())
    return output

