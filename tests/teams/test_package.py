"""The Teams app package an admin uploads: manifest, icons, and clear errors."""

from __future__ import annotations

import json
import struct
import zipfile

import pytest
from typer.testing import CliRunner

from bot.channels.teams.icons import colour_icon, outline_icon
from bot.channels.teams.package import PackageDetails, PackageError, build_package
from bot.cli import app

APP_ID = "0F3C2D1E-AAAA-4BBB-8CCC-000000000042"


def details(**changes: str) -> PackageDetails:
    values = {
        "app_id": APP_ID,
        "developer_name": "Northshire Safeguarding Partnership",
        "website_url": "https://northshire.example.org/",
        "privacy_url": "https://northshire.example.org/privacy",
        "terms_url": "https://northshire.example.org/terms",
    }
    values.update(changes)
    return PackageDetails(**values)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_package_holds_manifest_and_icons_at_its_root(tmp_path):
    path = build_package(details(), tmp_path / "app.zip")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        assert png_size(archive.read("color.png")) == (192, 192)
        assert png_size(archive.read("outline.png")) == (32, 32)
    assert manifest["id"] == APP_ID.lower()
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID.lower()
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    titles = {command["title"] for group in bot["commandLists"] for command in group["commands"]}
    assert {"refer", "continue", "queue", "about"} <= titles
    assert manifest["developer"]["privacyUrl"] == "https://northshire.example.org/privacy"
    assert "{{" not in json.dumps(manifest)


def test_the_outline_icon_is_white_on_transparent():
    from zlib import decompress

    data = outline_icon()
    idat = data[data.index(b"IDAT") + 4 : data.index(b"IEND") - 8]
    raw = decompress(idat)
    row_bytes = 1 + 32 * 4
    pixels = [
        raw[r * row_bytes + 1 + c * 4 : r * row_bytes + 5 + c * 4] for r in range(32) for c in range(32)
    ]
    opaque = [p for p in pixels if p[3] > 0]
    assert opaque and len(opaque) < len(pixels)  # a shape, with transparency around it
    assert all(p[:3] == b"\xff\xff\xff" for p in opaque)
    assert png_size(colour_icon()) == (192, 192)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"app_id": "my-bot"}, "not a GUID"),
        ({"website_url": "http://insecure.example.org"}, "--website-url must be an https"),
        ({"version": "1"}, "--version"),
    ],
)
def test_bad_values_are_refused_with_the_fix(tmp_path, change, message):
    with pytest.raises(PackageError, match=message):
        build_package(details(**change), tmp_path / "app.zip")
    assert not (tmp_path / "app.zip").exists()


def test_the_command_builds_the_zip(tmp_path):
    output = tmp_path / "dist" / "teams.zip"
    result = CliRunner().invoke(app, ["teams-package", "--app-id", APP_ID, "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(output)
    result = CliRunner().invoke(app, ["teams-package", "--app-id", "nope", "--output", str(output)])
    assert result.exit_code == 2 and "not a GUID" in result.output
