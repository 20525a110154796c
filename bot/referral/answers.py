"""Turning what a user typed (or clicked) into a checked answer for one step.

Every rejection is an `InvalidAnswer` whose message says what is wrong and how
to fix it; the step is then asked again. Text is cleaned rather than refused
where that loses nothing (invisible control characters), and the user is told.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.errors import SgbotError
from bot.referral.definition import Option, Step
from bot.referral.text import say

# Anything longer is not an answer to one question; it is refused before parsing.
MAX_MESSAGE_LENGTH = 8000

# C0/C1 controls except tab and newline, zero-width and bidirectional overrides.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_YES = {"yes", "y", "yeah", "yep", "true", "1"}
_NO = {"no", "n", "nope", "false", "not yet", "not sure", "unsure"}
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%d/%m/%y",
)


class InvalidAnswer(SgbotError, ValueError):
    """The answer cannot be accepted; `str(error)` tells the user why and what to do."""


@dataclass
class ParsedAnswer:
    value: Any  # what is stored: str, int, list[str] or an ISO date
    display: str  # how the summary shows it
    notes: list[str] = field(default_factory=list)


def hint(step: Step) -> str:
    if step.type in {"choice"}:
        return say("choose_hint")
    if step.type == "multiselect":
        return say("multiselect_hint")
    if step.type == "yesno":
        return say("yesno_hint")
    if step.type == "date":
        return say("date_hint")
    if step.type == "number":
        return say("number_hint")
    return say("text_hint", min_length=step.min_length) if step.min_length > 1 else ""


def clean_text(raw: str) -> tuple[str, int]:
    """NFC-normalised text without control characters (newlines and tabs kept), and how many went."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n"))
    cleaned, count = _CONTROL.subn("", text)
    return cleaned.strip(), count


def parse_answer(step: Step, raw: str, today: date) -> ParsedAnswer:
    if len(raw) > MAX_MESSAGE_LENGTH:
        limit = min(step.max_length, MAX_MESSAGE_LENGTH)
        raise InvalidAnswer(say("too_long", length=len(raw), max_length=limit))
    text, removed = clean_text(raw)
    if not text:
        raise InvalidAnswer(say("empty_answer", hint=hint(step)))
    parsed = _PARSERS[step.type](step, text, today)
    if removed:
        parsed.notes.append(say("control_characters_removed", count=removed))
    return parsed


def _initials(text: str) -> str:
    """Initials as people write them: "J.T.", "J. T.", "j-t" and "JT" are all "JT"."""
    letters = re.sub(r"[\s.\-']+", "", text)
    return letters.upper() if letters.isalpha() else text


def _parse_text(step: Step, text: str, today: date) -> ParsedAnswer:
    if step.normalise == "initials":
        text = _initials(text)
    # The pattern's message (e.g. "initials only") says more than a length limit would.
    if step.pattern and not re.search(step.pattern, text):
        raise InvalidAnswer(step.pattern_message or hint(step))
    if len(text) > step.max_length:
        raise InvalidAnswer(say("too_long", length=len(text), max_length=step.max_length))
    if len(text) < step.min_length:
        raise InvalidAnswer(say("too_short", length=len(text), min_length=step.min_length))
    return ParsedAnswer(value=text, display=text)


def _parse_number(step: Step, text: str, today: date) -> ParsedAnswer:
    try:
        number = int(text.strip().rstrip("."))
    except ValueError:
        raise InvalidAnswer(say("not_a_number", answer=_short(text), hint=hint(step))) from None
    low = step.minimum if step.minimum is not None else -(10**9)
    high = step.maximum if step.maximum is not None else 10**9
    if not low <= number <= high:
        raise InvalidAnswer(say("number_out_of_range", min=low, max=high))
    return ParsedAnswer(value=number, display=str(number))


def parse_date(text: str, today: date) -> date:
    """A date as people write it in England (day first), or `today` / `yesterday`."""
    lowered = " ".join(text.lower().replace(",", " ").split())
    if lowered == "today":
        return today
    if lowered == "yesterday":
        return date.fromordinal(today.toordinal() - 1)
    lowered = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", lowered)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(lowered, fmt).date()
        except ValueError:
            continue
    numeric = re.fullmatch(r"(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})", lowered)
    if numeric:  # the shape of a date, but not a real one (31/02/2026, 2026-13-01)
        raise InvalidAnswer(say("impossible_date", answer=text))
    raise InvalidAnswer(say("not_a_date", answer=_short(text), hint=say("date_hint")))


def _parse_date(step: Step, text: str, today: date) -> ParsedAnswer:
    when = parse_date(text, today)
    shown = when.strftime("%d %B %Y").lstrip("0")
    if step.not_future and when > today:
        raise InvalidAnswer(say("future_date", date=shown))
    if step.max_age_years is not None and when.year < today.year - step.max_age_years:
        raise InvalidAnswer(say("too_old_date", date=shown, years=step.max_age_years))
    return ParsedAnswer(value=when.isoformat(), display=shown)


def _match_option(step: Step, text: str) -> Option:
    token = text.strip().strip(".").strip()
    lowered = token.lower()
    if lowered.isdigit():
        number = int(lowered)
        if 1 <= number <= len(step.options):
            return step.options[number - 1]
    if step.type == "yesno":
        if lowered in _YES or lowered.startswith("yes"):
            return step.options[[o.value for o in step.options].index("yes")]
        if lowered in _NO or lowered.startswith("no"):
            return step.options[[o.value for o in step.options].index("no")]
        raise InvalidAnswer(say("not_yes_no"))
    for option in step.options:
        if lowered in {option.value.lower(), option.label.lower()}:
            return option
    candidates = [o for o in step.options if lowered and lowered in o.label.lower()]
    if len(candidates) > 1:  # "school": prefer the choice that starts with it
        starting = [o for o in candidates if o.label.lower().startswith(lowered)]
        candidates = starting if len(starting) == 1 else candidates
    if not candidates:  # every word typed appears in the label: "not appropriate", "an adult"
        words = set(re.findall(r"[a-z0-9']+", lowered)) - {"a", "an", "the"}
        candidates = [o for o in step.options if words and words <= _words(o.label)]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        numbers = ", ".join(str(step.options.index(o) + 1) for o in candidates)
        raise InvalidAnswer(say("ambiguous_option", answer=_short(token), matches=numbers))
    raise InvalidAnswer(say("not_an_option", answer=_short(token), hint=hint(step)))


def _parse_choice(step: Step, text: str, today: date) -> ParsedAnswer:
    option = _match_option(step, text)
    return ParsedAnswer(value=option.value, display=option.label)


def _parse_multiselect(step: Step, text: str, today: date) -> ParsedAnswer:
    parts = [p for p in re.split(r"[,;\n]+|\s+and\s+", text) if p.strip()]
    if len(parts) == 1 and re.fullmatch(r"[\d\s]+", parts[0]):
        parts = parts[0].split()  # "1 3 5"
    chosen: list[Option] = []
    for part in parts:
        option = _match_option(step, part)
        if option not in chosen:
            chosen.append(option)
    ordered = [o for o in step.options if o in chosen]
    return ParsedAnswer(value=[o.value for o in ordered], display=", ".join(o.label for o in ordered))


def _parse_confirm(step: Step, text: str, today: date) -> ParsedAnswer:
    return ParsedAnswer(value=text, display=text)


def _words(label: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", label.lower()))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PARSERS = {
    "text": _parse_text,
    "number": _parse_number,
    "date": _parse_date,
    "choice": _parse_choice,
    "yesno": _parse_choice,
    "multiselect": _parse_multiselect,
    "confirm": _parse_confirm,
}
