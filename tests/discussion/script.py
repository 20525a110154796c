"""A Kolb case discussion with three agencies, as the channel tests play it (who says what, in order).

Each entry is (speaker, text); "facilitator" is the business-unit officer who
started it. The police, health and education representatives contribute; the
facilitator moves on, goes back a stage (where Education adds what it had
missed), moves to the last stage, records learning and an agreed action, closes.
"""

from __future__ import annotations

POLICE, HEALTH, SCHOOL = "police", "health", "school"

AGENCIES = {POLICE: "Northshire Police", HEALTH: "Northshire Community Health", SCHOOL: "Eastbrook Primary School"}

EXPERIENCE = {
    POLICE: "Officers attended the home twice in January after calls from neighbours about shouting.",
    HEALTH: "The health visitor saw J at the 2 year review and recorded a missed appointment in February.",
    SCHOOL: "Nursery recorded that J was often late and tired on Mondays.",
}
REFLECTION = {
    POLICE: "At the time the calls were treated as a noise complaint, not as a possible concern for J.",
    HEALTH: "The missed appointment was followed up by letter, which was the usual practice then.",
}
ANALYSIS = "The police calls were not shared with health or nursery, so nobody saw the whole picture."
LEARNING = "Repeated calls to a home with a young child should be shared with the health visitor."
ACTION_TEXT = "Agree a route for sharing repeat call-outs to homes with under-5s with the health visiting service"
ACTION = f"action {AGENCIES[POLICE]} by 31/01/2027: {ACTION_TEXT}"

# The order a channel test plays it in. Stage numbers: 1 experience, 2 reflection, 3 analysis, 4 action.
STEPS: list[tuple[str, str]] = [
    (POLICE, EXPERIENCE[POLICE]),
    (HEALTH, EXPERIENCE[HEALTH]),
    ("facilitator", "next"),
    (POLICE, REFLECTION[POLICE]),
    (HEALTH, REFLECTION[HEALTH]),
    ("facilitator", "back"),  # Education had not spoken yet: back to what happened
    (SCHOOL, EXPERIENCE[SCHOOL]),
    ("facilitator", "stage 3"),
    (HEALTH, ANALYSIS),
    ("facilitator", "next"),
    (SCHOOL, f"learning: {LEARNING}"),
    (POLICE, ACTION),
    ("facilitator", "close"),
]

# Where each agency's words must be in the report (stage heading → agency → text).
EXPECTED = {
    "1. What happened": {AGENCIES[a]: EXPERIENCE[a] for a in (POLICE, HEALTH, SCHOOL)},
    "2. Reflection": {AGENCIES[a]: REFLECTION[a] for a in (POLICE, HEALTH)},
    "3. Analysis": {AGENCIES[HEALTH]: ANALYSIS},
}


def check_report_sections(sections: dict[str, dict[str, list[str]]]) -> None:
    """Each agency's contribution is under its agency in the right stage, and nowhere else."""
    for stage, agencies in EXPECTED.items():
        assert set(sections[stage]) - {""} == set(agencies), (stage, sections[stage])
        for agency, text in agencies.items():
            assert any(text in line for line in sections[stage][agency]), (stage, agency, sections[stage])
    assert set(sections["4. What we will do differently"]) == {""}  # explanation only: no contributions
    assert any(LEARNING in line for line in sections["Learning"][""])
