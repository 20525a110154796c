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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from bot.index.tokens import tokenize
from bot.index.units import passage_units
from bot.prompts import load_yaml
from bot.qa.retrieval import Hit

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
    next_step: tuple[str, ...] = ()  # words of a follow-up that asks what comes after the last answer


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
    next_step = tuple(str(w).casefold() for w in data.get("next_step_words") or [])
    return _Groups(groups, connectors, counterparts, members, next_step)


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


# -- the thread's last answer -------------------------------------------------------------------------------
# A follow-up that refers back ("then what happens?", "what if the chair doesn't change anything?", "who does
# the assessment?") often asks about what the last answer said rather than what was asked: the next step of
# the procedure it quoted, the team it named. The assistant keeps, with the thread, the passages the last
# answer cited and the lines it quoted (document text only, never the user's words beyond the questions it
# keeps already), and the follow-up is read with them.

# Added to the score of the line that comes next, in the same passage, after a line the last answer quoted:
# "and then?" wants the next step of the same procedure, not the step already given.
NEXT_LINE_BONUS = 0.15
# When the follow-up asks what comes after (prompts/follow_ups.yaml `next_step_words`: "then what happens?",
# "what if the chair doesn't change anything?"), the next line counts for more and the lines already quoted
# for less. Without that ask a quoted line is often the answer again ("and who oversees them?"): a cost on
# every quoted line lost 4 of 34 check follow-ups. Measured on followups_tune.jsonl (follow-ups stating the
# fact / stating it in the first quoted line): none 19/10 of 28; 0.15 always 20; 0.15, and 0.3 / 0.3 on
# asking what comes next 22/10; 0.5 / 0.5 22/13 (0.6 / 0.6 the same). Check: 25/13 of 34 -> 25/14.
NEXT_STEP_BONUS = 0.5
REPEAT_COST = 0.5
# A passage line is a line the last answer quoted when it holds this share of the quoted line's words (a
# table row is quoted with its column names) and is not more than twice as long.
QUOTED_MATCH = 0.6


@dataclass(frozen=True)
class LastAnswer:
    """What the thread's last answer cited (passage ids, in citation order) and quoted (its lines as shown)."""

    passages: tuple[str, ...]
    quoted: tuple[str, ...]

    def to_state(self) -> dict[str, list[str]]:
        return {"passages": list(self.passages), "quoted": list(self.quoted)}

    @classmethod
    def from_state(cls, stored: object) -> LastAnswer | None:
        if not isinstance(stored, dict):
            return None
        passages = tuple(str(p) for p in stored.get("passages") or [])
        quoted = tuple(str(q) for q in stored.get("quoted") or [])
        return cls(passages, quoted) if passages else None


def asks_what_next(question: str) -> bool:
    """Does the follow-up ask what comes after the last answer ("and after that?", "what if they won't budge?")?"""
    text = question.casefold().replace("’", "'")
    return any(_phrase(word).search(text) for word in _groups().next_step)


def thread_bonus(hits: Sequence[Hit], last: LastAnswer, cited_at: dict[str, tuple[str, int]],
                 question: str) -> dict[tuple[int, tuple[int, int]], float]:
    """(hit index, unit position) -> what the thread's last answer adds to a line's score for a follow-up:
    the line after a line it quoted (in the same passage, or the first line of the next passage of the
    same document when the quoted line ended its own) gains `NEXT_LINE_BONUS`; when the follow-up asks what
    comes next (`asks_what_next`), it gains `NEXT_STEP_BONUS` and a line already quoted loses `REPEAT_COST`."""
    what_next = asks_what_next(question)
    next_bonus, repeat_cost = (NEXT_STEP_BONUS, REPEAT_COST) if what_next else (NEXT_LINE_BONUS, 0.0)
    quoted = [q for q in (frozenset(tokenize(line)) for line in last.quoted) if q]
    bonus: dict[tuple[int, tuple[int, int]], float] = {}

    def add(key: tuple[int, tuple[int, int]], value: float) -> None:
        bonus[key] = bonus.get(key, 0.0) + value

    ended = set()  # (document, place) of cited passages whose last line was quoted
    for hit_index, hit in enumerate(hits):
        units = passage_units(hit.chunk.text)
        cited = hit.chunk.id in last.passages
        for number, unit in enumerate(units):
            words = set(tokenize(unit.text))
            if not any(len(q & words) >= QUOTED_MATCH * max(len(q), len(words) / 2) for q in quoted):
                continue
            if repeat_cost:
                add((hit_index, unit.position), -repeat_cost)
            if not cited:
                continue
            later = [u for u in units[number + 1:] if u.position[0] > unit.position[0]]
            if later:
                add((hit_index, later[0].position), next_bonus)
            else:
                ended.add(cited_at.get(hit.chunk.id, ("", -1)))
    for hit_index, hit in enumerate(hits):
        if (hit.chunk.path, hit.chunk.ordinal - 1) in ended:
            heading = hit.chunk.section.rsplit(" › ", 1)[-1].strip()
            first = next((u for u in passage_units(hit.chunk.text) if u.text.strip() != heading), None)
            if first is not None:  # the heading repeated at the top of the passage is no line of its own
                add((hit_index, first.position), next_bonus)
    return bonus
