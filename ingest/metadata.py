"""Document metadata: front matter, a sidecar `NAME.meta.yaml`, or `sgbot ingest` flags.

Precedence, most specific last: defaults < front matter < sidecar < command-line flags.

Real documents come with front matter written for other tools (Jekyll, Astro,
Hugo, Starlight): `date`, `review_date`, `slug`, `seo_settings`… The fields we
know are kept, common names for our dates are mapped (`date`, `updated` ->
`effective`; `review_date`, `next_review` -> `review_by`), and everything else is
ignored and reported, never a reason to refuse the document. A sidecar is the
operator's own statement about a file, so it wins over the file's front matter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import SgbotError

KINDS = ("procedure", "threshold", "learning", "arrangements", "guidance")
FIELDS = ("title", "kind", "areas", "area", "topic", "effective", "review_by", "source_url")
# Names other publishing tools give to our fields (compared case-insensitively, "-" read as "_").
ALIASES = {
    "effective": ("date", "updated", "last_updated", "lastmod", "last_modified", "modified", "adopted",
                  "adopted_date", "approved", "approved_date", "published", "pubdate", "publish_date",
                  "effective_date", "issued", "issue_date"),
    "review_by": ("review_date", "next_review", "next_review_date", "review", "review_due", "reviewed_by",
                  "expires", "expiry_date"),
    "source_url": ("url", "canonical_url", "canonical", "permalink"),
    "areas": ("region", "regions"),
}
_ALIAS_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


class MetadataError(SgbotError, ValueError):
    """Front matter or a sidecar that cannot be used; the message names the fix."""


@dataclass
class DocumentMeta:
    title: str
    kind: str = "guidance"
    areas: list[str] = field(default_factory=lambda: ["national"])
    topic: str | None = None
    effective: str | None = None  # ISO date
    review_by: str | None = None  # ISO date
    source_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.stem + ".meta.yaml")


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(".meta.yaml") or path.name.endswith(".meta.yml")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Front matter (`---` YAML `---`) at the top of a Markdown file, and the body."""
    if not text.startswith("---"):
        return {}, text
    lines = text.splitlines(keepends=True)
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            raw = "".join(lines[1:end])
            try:
                data = yaml.safe_load(raw) or {}
            except yaml.YAMLError as exc:
                raise MetadataError(f"front matter is not valid YAML ({exc.__class__.__name__}): fix the "
                                    "block between the two '---' lines") from exc
            if not isinstance(data, dict):
                raise MetadataError("front matter must be a YAML mapping of field: value")
            return data, "".join(lines[end + 1 :])
    return {}, text


def read_sidecar(path: Path) -> dict[str, Any]:
    side = sidecar_path(path)
    if not side.exists():
        return {}
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise MetadataError(f"{side.name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise MetadataError(f"{side.name} must be a YAML mapping of field: value")
    return data


def _iso_date(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise MetadataError(f"{name} must be a date like 2025-04-01, not {value!r}") from exc


@dataclass
class ForeignFrontMatter:
    """What was made of front matter written for another tool."""

    fields: dict[str, Any]  # our fields, mapped
    mapped: dict[str, str] = field(default_factory=dict)  # their key -> our field
    ignored: list[str] = field(default_factory=list)


def adopt_front_matter(front: dict[str, Any]) -> ForeignFrontMatter:
    """Keep the fields we know, map common aliases of our dates, ignore (and list) the rest.

    A mapped date that is not a date ("August 2025") is ignored too rather than refusing the file.
    """
    adopted = ForeignFrontMatter({})
    for key, value in front.items():
        name = str(key).strip().lower().replace("-", "_")
        if name in FIELDS:
            adopted.fields[name] = value
            continue
        target = _ALIAS_OF.get(name)
        if target is None or value is None or target in adopted.fields or target in front:
            adopted.ignored.append(str(key))
            continue
        if target in ("effective", "review_by"):
            try:
                value = _iso_date(value, target)
            except MetadataError:
                adopted.ignored.append(str(key))
                continue
        adopted.fields[target] = value
        adopted.mapped[str(key)] = target
    return adopted


def defaulted_fields(*sources: dict[str, Any]) -> list[str]:
    """Fields no source gave a value for: the file is indexed with our defaults for them."""
    given = {k for source in sources for k, v in source.items() if v not in (None, "", [])}
    if "area" in given:
        given.add("areas")
    return [name for name in ("kind", "areas", "effective", "review_by") if name not in given]


def build_meta(path: Path, *sources: dict[str, Any], fallback_title: str | None = None) -> DocumentMeta:
    """Merge metadata sources (later wins) and validate them."""
    merged: dict[str, Any] = {}
    for source in sources:
        merged.update({k: v for k, v in source.items() if v is not None})
    unknown = set(merged) - set(FIELDS)
    if unknown:
        raise MetadataError(f"unknown metadata field(s) {', '.join(sorted(unknown))}: allowed are title, kind, "
                            "areas, topic, effective, review_by, source_url")
    kind = str(merged.get("kind", "guidance")).strip().lower()
    if kind not in KINDS:
        raise MetadataError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    areas_value = merged.get("areas", merged.get("area", ["national"]))
    if isinstance(areas_value, str):
        areas = [a.strip() for a in areas_value.split(",") if a.strip()]
    elif isinstance(areas_value, list):
        areas = [str(a).strip() for a in areas_value if str(a).strip()]
    else:
        raise MetadataError("areas must be a list such as [Northshire] or [national]")
    title = str(merged.get("title") or fallback_title or path.stem.replace("_", " ").replace("-", " ")).strip()
    return DocumentMeta(
        title=title,
        kind=kind,
        areas=areas or ["national"],
        topic=str(merged["topic"]).strip() if merged.get("topic") else None,
        effective=_iso_date(merged.get("effective"), "effective"),
        review_by=_iso_date(merged.get("review_by"), "review_by"),
        source_url=str(merged["source_url"]).strip() if merged.get("source_url") else None,
    )
