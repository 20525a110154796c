"""A user talking to the assistant, and the answers of a complete referral, for the referral tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.assistant import Assistant
from bot.messages import Button, Message, Outcome

# A serious child safeguarding referral, step by step: (the step we expect to be asked, what the user says).
CHILD_REFERRAL: list[tuple[str, str]] = [
    ("review_type", "1"),
    ("safe_now", "yes"),
    ("abuse_or_neglect", "yes"),
    ("died_or_seriously_harmed", "yes"),
    ("discussed_with_manager", "yes"),
    ("senior_lead_agrees", "yes"),
    ("senior_lead", "R. Patel, named nurse for safeguarding"),
    ("family_consulted", "not appropriate"),
    ("family_why_not", "A police investigation is under way and contact could prejudice it."),
    ("initials", "JB"),
    ("age", "4"),
    ("case_reference", "NHV-20931"),
    (
        "about",
        "J is a lively four year old who loves dinosaurs and her big brother. She goes to nursery three "
        "mornings a week and her grandmother collects her.",
    ),
    ("incident_date", "02/03/2026"),
    ("what_happened", "J was admitted to hospital with a head injury not explained by the account given."),
    ("agencies", "1, 3, 5"),
    ("learning", "Health and police information was not shared before the admission; both can learn."),
    ("referrer_name", "Sam Jones"),
    ("referrer_role", "Health visitor, Northshire Community Health"),
    ("referrer_contact", "sam.jones@example.org"),
]


@dataclass
class Chat:
    assistant: Assistant
    user_id: str = "practitioner.one"
    email: str | None = None
    area: str | None = None
    transcript: list[Outcome] = field(default_factory=list)

    def send(self, text: str | None = None, action: str | None = None) -> Outcome:
        message = Message(
            user_id=self.user_id, text=text, action=action, channel="test", email=self.email, area=self.area
        )
        outcome = self.assistant.handle(message)
        self.transcript.append(outcome)
        return outcome

    def press(self, value: str) -> Outcome:
        return self.send(action=value)

    def button(self, label: str, outcome: Outcome | None = None) -> Button:
        """The button labelled `label` (or starting with it) in `outcome`, by default the last one."""
        shown = outcome if outcome is not None else self.transcript[-1]
        found = [b for r in shown.replies for b in r.buttons if b.label == label or b.label.startswith(label)]
        assert found, f"no button {label!r} among {[b.label for r in shown.replies for b in r.buttons]}"
        return found[0]

    def click(self, label: str, outcome: Outcome | None = None) -> Outcome:
        """Press the button labelled `label`, as a channel does: its value, as it was sent."""
        return self.press(self.button(label, outcome).value)

    @property
    def step(self) -> str | None:
        expects = self.transcript[-1].expects if self.transcript else None
        return expects.step if expects else None

    def answer_all(self, script: list[tuple[str, str]]) -> Outcome:
        """Answer each step, checking it is the one asked; returns the last outcome (the summary)."""
        outcome = self.transcript[-1]
        for expected_step, answer in script:
            assert self.step == expected_step, f"expected to be asked {expected_step}, was asked {self.step}"
            outcome = self.send(answer)
        return outcome


def text_of(outcome: Outcome) -> str:
    return "\n".join(reply.text for reply in outcome.replies)
