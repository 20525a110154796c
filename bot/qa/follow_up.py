"""A follow-up read with the thread's previous question.

Two kinds of follow-up lean on what was asked before:

- a *fragment* that swaps one part of the previous question: another area ("and in eastbrook?"),
  another population ("and if it's a vulnerable adult?"), another numbered part ("and stage 3?"),
  another kind of contact detail ("and their email?"). It is read as the previous question with that
  part replaced, a question of its own: every word of it counts in full, and the next follow-up
  builds on it;
- a question with words of its own that refers back ("how quickly do I have to ring them?", "what if
  the team manager won't budge?"): it is answered as asked, with the previous question as context
  (its words count for less, see `bot.qa.answer.word_weights`).

The interchangeable words are data (`prompts/follow_ups.yaml`); the areas are those of the ingested
documents. Nothing here is stored or logged: the thread itself is kept by the assistant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bot.index.tokens import tokenize
from bot.prompts import load_yaml

_FOLLOW_UP_START = re.compile(r"^\s*(?:and|but|also|so|then|what about|how about|what if|and if|what else|"
                              r"anything else|same for|is that|does that|can they|should they|who else)\b",
                              re.IGNORECASE)
_BACK_REFERENCE = re.compile(r"\b(?:it|its|that|this|they|them|their|theirs|those|these|there|afterwards|then|"
                             r"he|she|him|her|his|hers|same)\b", re.IGNORECASE)
_QUESTION_WORD = re.compile(r"\b(?:who|whom|whose|what|whats|when|where|why|how|which|can|could|should|shall|do|"
                            r"does|did|must|will|would|is|are|was|were|have|has|need)\b", re.IGNORECASE)
# A numbered part of a procedure: "stage 2", "level 4", "step 3", "option 1", "section 47".
_NUMBERED = re.compile(r"\b([a-z]+)\s+(\d{1,3})\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b\d{1,3}\b")
# A follow-up with more words of its own than this says what it asks itself ("what if it's an adult
# telling me they're being abused now?"): it is answered as asked, not slotted into the last question.
FRAGMENT_WORDS = 3
_ARTICLE = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)  # "a child" -> "an adult"
FRAGMENT_LENGTH = 4


def reads_as_follow_up(question: str) -> bool:
    """Does this question lean on what was asked before ("and afterwards?", "who do I tell about it?")?"""
    if _FOLLOW_UP_START.search(question):
        return True
    words = question.split()
    return len(tokenize(question)) <= 2 or (len(words) <= 12 and bool(_BACK_REFERENCE.search(question)))


@dataclass(frozen=True)
class Reading:
    """How a message is answered: `question` as asked or made whole, `context` the previous question
    to read its back-references with (None when the question stands on its own)."""

    question: str
    context: str | None


@dataclass(frozen=True)
class _Groups:
    groups: tuple[tuple[tuple[str, ...], ...], ...]  # group -> member -> its words and phrases
    connectors: tuple[str, ...]
    # Things that exist for one member only, and their counterpart for another ("SAR" for an adult, "serious
    # child safeguarding case" for a child): member name -> its phrases, the first one the name to use.
    counterparts: tuple[dict[str, tuple[str, ...]], ...] = ()
    members: tuple[tuple[str, ...], ...] = ()  # group -> its members' names, in the order of `groups`


@cache
def _groups() -> _Groups:
    data = load_yaml("follow_ups.yaml") or {}
    groups = tuple(
        tuple(tuple(sorted((str(w).casefold() for w in words), key=len, reverse=True)) for words in members.values())
        for members in (data.get("groups") or {}).values()
    )
    connectors = tuple(sorted((str(c).casefold() for c in data.get("connectors") or []), key=len, reverse=True))
    members = tuple(tuple(str(name) for name in members) for members in (data.get("groups") or {}).values())
    counterparts = tuple(
        {str(name): tuple(str(p).casefold() for p in phrases) for name, phrases in entry.items()}
        for entry in data.get("counterparts") or [])
    return _Groups(groups, connectors, counterparts, members)


def _phrase(words: str) -> re.Pattern[str]:
    """A word or phrase matched whole, with or without a possessive ("eastbrook's", "child's")."""
    return re.compile(r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in words.split()) + r"(?=(?:['’]s)?(?![\w-]))",
                      re.IGNORECASE)


def _strip_connectors(text: str) -> str:
    """The follow-up without the words that join it to the thread: "and if it's a vulnerable adult?"
    -> "vulnerable adult"."""
    rest = re.sub(r"[?!.,;:]+", " ", text.replace("’", "'")).strip()
    changed = True
    while changed and rest:
        changed = False
        for connector in _groups().connectors:
            match = _phrase(connector).match(rest)
            if match and not rest[match.end():].startswith("'"):
                rest = rest[match.end():].strip()
                changed = True
                break
    return " ".join(rest.split())


def _find(text: str, words: Iterable[str]) -> re.Match[str] | None:
    """The first mention in `text` of any of `words` (longest phrases tried first)."""
    found = [m for w in words if (m := _phrase(w).search(text))]
    return min(found, key=lambda m: (m.start(), -len(m.group(0)))) if found else None


def _swap_area(fragment: str, previous: str, areas: Iterable[str]) -> str | None:
    named = named_area(fragment, areas)
    if named is None:
        return None
    others = [a for a in areas if a.casefold() != named.casefold()]
    mention = _find(previous, sorted(others, key=len, reverse=True))
    if mention is not None:
        return previous[: mention.start()] + named + previous[mention.end():]
    return f"{previous.rstrip(' ?.!')} in {named}"


def _swap_numbered(fragment: str, previous: str) -> str | None:
    wanted = _NUMBERED.search(fragment)
    if wanted is not None:
        word, number = wanted.group(1).casefold(), wanted.group(2)
        for match in _NUMBERED.finditer(previous):
            if match.group(1).casefold() == word:
                return previous[: match.start(2)] + number + previous[match.end(2):]
        return None
    bare = _NUMBER.fullmatch(fragment.strip())
    numbers = list(_NUMBER.finditer(previous))
    if bare is not None and len(numbers) == 1:
        return previous[: numbers[0].start()] + bare.group(0) + previous[numbers[0].end():]
    return None


def _swap_counterparts(member: str, previous: str) -> str:
    """`previous` with each thing that exists for another member replaced by its counterpart for
    `member`: "the criteria for a SAR" for a child is "the criteria for a serious child safeguarding case"."""
    for entry in _groups().counterparts:
        wanted = entry.get(member)
        if not wanted:
            continue
        others = [p for name, phrases in entry.items() if name != member for p in phrases]
        mention = _find(previous, sorted(others, key=len, reverse=True))
        if mention is not None:
            previous = previous[: mention.start()] + wanted[0] + previous[mention.end():]
    return previous


def _swap_member(fragment: str, previous: str) -> str | None:
    """Another member of a group ("adult" for "child", "email" for "number") takes the place of the
    one the previous question named; the fragment's own wording ("adult with care needs") is kept.
    What exists for one member only takes its counterpart's name (prompts/follow_ups.yaml)."""
    groups = _groups()
    for group, names in zip(groups.groups, groups.members or ((),) * len(groups.groups), strict=False):
        for index, member in enumerate(group):
            if _find(fragment, member) is None:
                continue
            swapped = _swap_counterparts(names[index], previous) if index < len(names) else previous
            others = [w for other, words in enumerate(group) if other != index for w in words]
            mention = _find(swapped, others)
            if mention is None:
                if swapped != previous:
                    return swapped
                continue
            previous = swapped
            rest = _phrase(mention.group(0)).sub("", previous[mention.end():])  # "the child … the child's"
            before = _ARTICLE.sub(lambda m: _article_for(fragment, m.group(0)), previous[: mention.start()])
            return " ".join(f"{before}{fragment}{rest}".split())
    return None


def _article_for(word: str, article: str) -> str:
    wanted = "an" if word[:1].casefold() in "aeiou" else "a"
    return (wanted.capitalize() if article[:1].isupper() else wanted) + article[len(article.rstrip()):]


def named_area(text: str, areas: Iterable[str]) -> str | None:
    """The one area of the documents that `text` names ("in eastbrook", "Northshire's"), if any.

    The longest name wins ("Northshire Region" over "Northshire"); two different areas named is no
    single area."""
    found: list[tuple[int, int, str]] = []
    for area in sorted(areas, key=len, reverse=True):
        match = _phrase(area).search(text)
        if match and not any(s <= match.start() < e for s, e, _ in found):
            found.append((match.start(), match.end(), area))
    return found[0][2] if len(found) == 1 else None


def read_follow_up(question: str, previous: str | None, areas: Iterable[str]) -> Reading:
    """`question` as the thread's next message, `previous` the question it would follow."""
    if not previous or not reads_as_follow_up(question):
        return Reading(question, None)
    fragment = _strip_connectors(question)
    if (fragment and len(tokenize(fragment)) <= FRAGMENT_WORDS and len(fragment.split()) <= FRAGMENT_LENGTH
            and not _QUESTION_WORD.search(fragment)):
        areas = list(areas)
        whole = (_swap_area(fragment, previous, areas) or _swap_numbered(fragment, previous)
                 or _swap_member(fragment, previous))
        if whole is not None:
            return Reading(whole, None)
    return Reading(question, previous)
