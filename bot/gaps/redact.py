"""Removing what identifies a person from a question before it is kept.

Rules, not a model: they err towards removing too much. Names are caught as a title and a name ("Mrs
Smith"), two or more capitalised words together mid-sentence ("Jane Smith"), and a capitalised word after
"called", "named" or "my client/pupil/son…"; initials as "J.T.", "J T" or "JT"; dates in any written form
(a date of birth is a date); UK phone numbers; emails; case references (two or more capitals or digits,
a dash or slash, digits: "PR-2026-0007", "NHV-20931").
"""

from __future__ import annotations

import re

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b[A-Z]{1,5}\d*[-/]\d{2,}(?:[-/]\d+)*\b"), "[case ref]"),
    (re.compile(r"(?:\+44\s?|\b0)\d(?:[\s-]?\d){8,9}\b"), "[phone]"),
    (re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"), "[date]"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "[date]"),
    (re.compile(
        r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{4})?\b",
        re.IGNORECASE), "[date]"),
    (re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?"), "[name]"),
    (re.compile(r"\b(?:called|named|my (?:client|pupil|patient|son|daughter|child))\s+[A-Z][\w'-]+"),
     "[name]"),
    (re.compile(r"\b[A-Z]\.\s?[A-Z]\.?(?=\W|$)"), "[initials]"),
    (re.compile(r"\b[A-Z]\s[A-Z]\b"), "[initials]"),
    (re.compile(r"(?<=[a-z,;:] )[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)+"), "[name]"),
    (re.compile(r"\b(?!(?:MASH|LADO|CSE|CCE|GP|DSL|SAR|LSCP|NHS|UK|PR|OK|ID|DBS|CAMHS|FGM|ICPC|EHA)\b)[A-Z]{2,3}\b"),
     "[initials]"),
]


def redact(text: str) -> str:
    cleaned = text
    for pattern, replacement in _RULES:
        cleaned = pattern.sub(replacement, cleaned)
    return cleaned
