"""Is someone in danger now? Detect it before anything else, erring towards yes.

How it works: a message is urgent when it names a **harm signal** (a disclosure
of abuse, a threat to self, a child left alone or going missing, exploitation,
a weapon, "not safe") **and** reads as a situation happening now rather than a
question about procedure. Situations are recognised by present or just-past
narrative ("has just disclosed", "is threatening", "she says", "tonight",
"right now", "hasn't come home"). A hypothetical question ("what should I do
if a child discloses…") is not urgent unless it also carries a cue of
immediacy ("now", "tonight", "today"). Some signals are urgent on their own,
whatever the framing: suicide intent, "in danger", "right now".

False alarms cost a few lines of text; a missed emergency costs far more, so
the lists are wide and the hypothetical exception is narrow. Keyword rules are
used (not a model) so the behaviour is predictable, explainable and testable,
and so that nothing a user types leaves the process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HARM = [
    r"disclos\w*", r"abus(?:e|ed|ing)\b", r"sexual(?:ly)?", r"rap(?:e|ed)\b", r"molest\w*", r"groom(?:ed|ing)",
    r"\bhit(?:s|ting)?\b", r"beat(?:en|ing|s)?\b", r"punch\w*", r"kick(?:ed|ing)\b", r"slap\w*", r"hurt\w*",
    r"injur\w*", r"bruis\w*", r"burn(?:s|ed|t)\b", r"strangl\w*", r"chok(?:e|ed|ing)\b", r"shak(?:en|ing)\b",
    r"threat\w*", r"suicid\w*", r"kill (?:him|her|them|my)sel(?:f|ves)", r"end (?:his|her|their|my) (?:own )?life",
    r"self[- ]?harm\w*", r"cutting (?:him|her|them)sel", r"overdos\w*", r"jump(?:ing)? (?:from|off)",
    r"\bmissing\b(?! (?:education|school|lessons|out|data|information|document))",
    r"run(?:ning)? away", r"ran away", r"not (?:come|came|returned|been) home",
    r"hasn'?t (?:come|returned|been) home", r"left (?:alone|on (?:his|her|their) own|unattended)",
    r"home alone", r"abandon\w*", r"forc(?:e|ed|ing) (?:to|into)", r"traffick\w*", r"exploit\w*",
    r"county lines", r"carry(?:ing)? drugs", r"knife", r"weapon", r"\bgun\b", r"\bfgm\b", r"cut(?:ting)? (?:her|girl)",
    r"forced marriage", r"not safe", r"unsafe", r"in danger", r"scared to go home", r"afraid to go home",
    r"frightened", r"locked (?:in|up)", r"starv\w*", r"no food", r"drunk", r"unconscious", r"neglect\w*",
    r"being (?:hurt|harmed|abused|hit|beaten|threatened)", r"violen\w*", r"attack\w*",
    r"\balone\b", r"\bpills\b", r"\btablets\b", r"hang(?:ing|ed)? (?:him|her|them)sel", r"noose",
    r"bleed\w*", r"\bstab\w*", r"\bblood\b", r"assault\w*", r"domestic (?:abuse|violence)",
    r"touch(?:ed|ing|es)? (?:her|him|them|me)\b", r"\bnaked\b", r"\bnudes?\b", r"indecent", r"sextort\w*",
    r"(?:hot|locked) car", r"\bin a car\b", r"fractur\w*", r"head injur\w*", r"smell(?:s|ed)? of (?:alcohol|drink)",
]

_SITUATION = [
    r"\bjust\b", r"\bnow\b", r"right now", r"tonight", r"today", r"this (?:morning|afternoon|evening)",
    r"at the moment", r"currently", r"\bis being\b", r"\bare being\b", r"\bhas been\b", r"\bhave been\b",
    r"\b(?:she|he|they) (?:says|said|told|is|are|has|have|was|were|will)\b", r"\b(?:says|said|told me)\b",
    r"\bi(?:'m| am) (?:worried|concerned|scared)", r"\bthreatening\b", r"\bhas (?:gone|run|not)\b",
    r"\bhasn'?t\b", r"\bwill be\b", r"\bgoing to\b", r"\bin my (?:class|care|office|school)\b",
    r"\b(?:a|one of my|my) (?:child|pupil|student|boy|girl|teenager|baby|patient|client|resident)\b",
    r"\bago\b", r"last night", r"yesterday", r"this week", r"\boutside\b", r"\bsaw\b", r"\bfound\b",
    r"\b(?:there'?s|there is) a\b",
]

# Urgent whatever the framing.
_ALWAYS = [
    r"suicid\w*", r"kill (?:him|her|them|my)sel(?:f|ves)", r"end (?:his|her|their|my) (?:own )?life",
    r"jump(?:ing)? (?:from|off)", r"in (?:immediate )?danger", r"right now", r"overdos(?:ed|ing)",
    r"unconscious", r"not breathing", r"(?:took|taken|swallowed)\b.{0,25}\b(?:pills|tablets|overdose)",
    r"(?:hang|hanged|hanging) (?:him|her|them)sel",
]

# Questions about procedure in the abstract.
_HYPOTHETICAL = [
    r"^\s*(?:what|how|who|when|where|which|should|can|do|does|is there)\b.*\b(?:if|when|whether)\b",
    r"^\s*(?:what|how) (?:is|are|do|does|should|must|can)\b.*\b(?:procedure|process|policy|threshold|guidance|"
    r"level|criteria|definition|meaning|mean)\b",
    r"^\s*what (?:does|is|are)\b",
]


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


HARM = _compile(_HARM)
SITUATION = _compile(_SITUATION)
ALWAYS = _compile(_ALWAYS)
HYPOTHETICAL = _compile(_HYPOTHETICAL)
QUESTION_START = re.compile(r"^\s*(?:what|how|who|when|where|which|why|should|can|could|do|does|is|are|must)\b",
                            re.IGNORECASE)


@dataclass(frozen=True)
class UrgencyCheck:
    urgent: bool
    reason: str  # which rule fired; never the user's text


def check_urgency(text: str) -> UrgencyCheck:
    message = " ".join(text.split())
    if not message:
        return UrgencyCheck(False, "empty")
    if ALWAYS.search(message):
        return UrgencyCheck(True, "always-urgent signal")
    if not HARM.search(message):
        return UrgencyCheck(False, "no harm signal")
    immediate = re.search(r"\b(?:now|tonight|today|right now|at the moment|currently)\b", message, re.I)
    if HYPOTHETICAL.search(message) and not immediate:
        return UrgencyCheck(False, "hypothetical question about procedure")
    if SITUATION.search(message):
        return UrgencyCheck(True, "harm signal in a present situation")
    if not _is_question(message):
        return UrgencyCheck(True, "harm signal in a statement about someone")
    return UrgencyCheck(False, "harm signal without a present situation")


def _is_question(message: str) -> bool:
    return message.rstrip().endswith("?") or bool(QUESTION_START.match(message))


def is_urgent(text: str) -> bool:
    return check_urgency(text).urgent
