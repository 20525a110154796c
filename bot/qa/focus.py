"""The thing a question asks for, and whether the passages found could give it.

"What's the weekly fostering allowance at Wholistic?", "ofsted rating for Salford", "how many foster
carers does Wholistic have?" are made of words the documents know, and a passage about foster carers
or Salford is close to them in words and in meaning. What gives them away is the thing asked for:
an allowance (an amount of money), a rating, a count of foster carers. When no passage found names
that thing, or no line of them carries that kind of fact (a sum of money, a person's name, an
inspection grade, an address, a date, a phone number or email, a number of the things counted), the
documents do not answer the question, however close the rest of it is.

Both readings are about English questions in general, not about any document: the noun phrase after
"what's the…" / "which…" (`asked_thing`), and the kinds of fact that some questions can only be
answered with (`kinds_asked`, `kinds_missing`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.index.tokens import tokenize
from bot.qa.intent import has_name

_DETERMINER = r"(?:the|a|an|their|his|her|its|our|my|your|this|that|these|those)"
_COPULA = r"(?:is|are|was|were|been|be|s|re)"
# What may follow the thing asked for: a preposition or a verb ("the allowance FOR foster carers", "which
# hotel IS used"), or the end of the question ("what's the dress code?").
_AFTER = (r"for|of|in|at|on|to|with|from|about|like|do|does|did|is|are|was|were|should|can|could|will|would|"
          r"has|have|had|that|when|if|used|go|get|play")
_WHAT_THING = re.compile(
    r"(?:^|[,.;:!?\-–]\s*|\b(?:so|and|but)\s+)(?:what|whats|what's|which|where's|wheres|where)\s+"
    rf"(?:{_COPULA}\s+)?(?:{_DETERMINER}\s+)?"
    r"((?:[a-z0-9'-]+\s+){0,3}?[a-z0-9'-]+)"
    rf"(?=\s+(?:{_AFTER})\b|\s*[?.!]*\s*$)",
    re.IGNORECASE)
# Words that do not name a thing of their own. After a vague one ("what KIND of abuse", "the hardest BIT",
# "the best WAY to…", "the POINT of…") what is asked for is said in other words, so nothing is looked for;
# a procedural one ("the concussion PROTOCOL", "the PROCEDURE for…") is about the words before it.
_VAGUE = frozenset(
    """kind kinds type types sort sorts list point purpose idea bit bits lot lots way ways thing things part parts
    best main right usual first next last other different same whole""".split())
_PROCEDURAL = frozenset(
    """procedure procedures process processes policy policies rule rules guidance advice protocol protocols step
    steps criteria law position""".split())
# Words that say which KIND of fact is wanted (a time, a number, a name), judged by the lines' facts
# (`kinds_missing`), not looked for as words: "what days can I ring it" is answered by "Monday to Friday".
_KIND_WORDS = frozenset(
    """day days time times hour hours date dates number numbers phone telephone tel mobile email e-mail address
    contact contacts details detail name names deadline deadlines timescale timescales age ages limit limits amount
    amounts length duration period cost costs price prices fee fees""".split())
# "What time does the Dudley MASH open?", "when is the minis' training?": the thing is the one whose time is asked.
_WHEN_THING = re.compile(
    r"(?:^|[,.;:!?\-–]\s*)(?:what time|what times|when|which days?|what days?)\s+(?:is|are|does|do|did|'s|s)\s+"
    rf"(?:{_DETERMINER}\s+)?((?:[a-z0-9'-]+\s+){{0,2}}?[a-z0-9'-]+)"
    r"(?=\s+(?:open|opens|close|closes|shut|shuts|start|starts|finish|finishes|run|runs|on|at|in|for)\b|\s*[?.!]*\s*$)",
    re.IGNORECASE)
# "Can I park at the family hub?": what is asked is whether one may do that thing. Only the first word
# after "can I" is read, and not an adverb ("can I just…").
_CAN_I_DO = re.compile(r"(?:^|[,.;:!?\-–]\s*)(?:can|could|may)\s+(?:i|we)\s+([a-z]+)\b", re.IGNORECASE)
_NOT_A_THING = frozenset("do does did should can could would will is are was were i we you they he she it if happens "
                         "happen happened".split())


def asked_thing(question: str) -> list[str]:
    """The (stemmed) words of the thing a "what's the…" / "which…" / "what time does…" question asks for,
    without the words that only say what kind of fact is wanted; empty when the question is of none of
    these forms."""
    text = question.lower().replace("’", "'")
    for pattern in (_WHAT_THING, _WHEN_THING):
        match = pattern.search(text)
        if match is None:
            continue
        words = [w.strip("'") for w in match.group(1).split()]
        if words and re.match(r"(?:^|\W)which\b", match.group(0).strip(" ,.;:!?-–")):
            words = words[:1]  # "which TEAM deals with…", "which FORM do I use": the noun comes first
        if not words or words[0] in _NOT_A_THING or words[-1] in _VAGUE:
            continue
        # "Salford's good outcome review": whose it is says where, not what; the thing follows.
        owner = max((i for i, w in enumerate(words[:-1]) if w.endswith(("'s", "s'"))), default=-1)
        words = words[owner + 1:]
        kept = [w for w in words if w not in _PROCEDURAL and w not in _KIND_WORDS and w not in _VAGUE]
        thing = [t for t in tokenize(" ".join(kept)) if not t.isdigit()]
        if thing:
            return thing
    return []


def asked_action(question: str) -> list[str]:
    """The (stemmed) verb of a "can I…" question ("can I park…" -> park). A doing has many names ("talk
    to", "speak to"), so only a verb the documents never use at all says they do not answer it."""
    doing = _CAN_I_DO.search(question.lower())
    verb = doing.group(1) if doing else ""
    return tokenize(verb) if verb and not verb.endswith("ly") else []


# Kinds of fact that only one kind of line can give.
_MONEY_ASK = re.compile(
    r"\bhow much\b.*\b(?:cost|costs|charge|charges|pay|paid|fee|fees|price|spend|spent|earn|salary|wage|"
    r"allowance|budget)\b|\b(?:fee|fees|price|prices|salary|salaries|wage|wages|allowance|allowances|pay band|"
    r"pay rate|subs)\b|\bwhat do (?:[a-z']+ ){1,3}pay\b",
    re.IGNORECASE)
_MONEY = re.compile(r"£|\b\d{1,3}(?:,\d{3})+\b|\bpounds?\b|\bfree of charge\b|\bno charge\b|\bfees?\b|\bcosts?\b|"
                    r"\bpaid\b|\bpayments?\b|\ballowances?\b", re.IGNORECASE)
# The noun: "what's their name?", "the name of the…" ("the person she's named" asks for no name).
_NAME_ASK = re.compile(r"\b(?:what(?:'s|s| is| are)?|the|their|his|her|its|your) names?\b", re.IGNORECASE)
_RATING_ASK = re.compile(r"\b(?:rating|ratings|rated|rate|grade|graded|judged)\b", re.IGNORECASE)
_INSPECTOR = re.compile(r"\b(?:ofsted|cqc|inspect\w*)\b", re.IGNORECASE)
_RATING = re.compile(r"\b(?:outstanding|requires improvement|inadequate|rated|judged|grades?|graded)\b", re.IGNORECASE)
_COUNT_ASK = re.compile(r"\bhow many ([a-z']+)", re.IGNORECASE)
_NUMBER_THEN = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    r"hundreds|thousands?|dozens?)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)", re.IGNORECASE)
_ADDRESS_ASK = re.compile(r"\b(?:postcode|post code|address|located|location|where is (?:the |their )?(?:[a-z']+ ){0,4}"
                          r"(?:office|offices|building|based))\b", re.IGNORECASE)
_ADDRESS = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b(?:road|street|lane|avenue|house|drive|square)\b",
                      re.IGNORECASE)
_DATE_ASK = re.compile(r"\bwhen(?:'s| is| are|s)? (?:the )?next\b|\b(?:what|which) date\b", re.IGNORECASE)
_DATE = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|"
                   r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d{2}\b", re.IGNORECASE)
_CONTACT_ASK = re.compile(r"\b(?:phone (?:number|no)|number for|contact number|telephone|e-?mail(?: address)?|"
                          r"mobile number)\b", re.IGNORECASE)
_CONTACT = re.compile(r"\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,5}\b|\b999\b|\b101\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
                      re.IGNORECASE)
# A phone number or an email address someone can use (not 999 or 101, which every document gives).
CONTACT_PATTERN = re.compile(r"\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,5}\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def kinds_missing(question: str, lines: Iterable[str]) -> list[str]:
    """The kinds of fact `question` can only be answered with that none of `lines` carries: "money"
    ("how much does it cost", "the weekly allowance"), "name" ("what's their name"), "rating" ("ofsted
    rating"), "address" ("the postcode of…"), "date" ("when's the next…"), "contact" ("phone number for…",
    "email"), "count" ("how many foster carers": a number of foster carers)."""
    lines = list(lines)
    text = "\n".join(lines)
    missing: list[str] = []
    if _MONEY_ASK.search(question) and not _MONEY.search(text):
        missing.append("money")
    if _NAME_ASK.search(question) and not any(has_name(line) for line in lines):
        missing.append("name")
    if _INSPECTOR.search(question) and _RATING_ASK.search(question) and not _RATING.search(text):
        missing.append("rating")
    if _ADDRESS_ASK.search(question) and not _ADDRESS.search(text):
        missing.append("address")
    if _DATE_ASK.search(question) and not _DATE.search(text):
        missing.append("date")
    if _CONTACT_ASK.search(question) and not _CONTACT.search(text):
        missing.append("contact")
    counted = _COUNT_ASK.search(question)
    if counted:
        noun = tokenize(counted.group(1))
        if noun and not noun[0].isdigit() and not any(
                noun[0] in tokenize(match.group(1)) for line in lines for match in _NUMBER_THEN.finditer(line)):
            missing.append("count")
    return missing
