"""What a question asks for, read from its words: the kind of fact the answer should lead with."""

from __future__ import annotations

import pytest

from bot.qa.intent import asked_about, asks_for_a_deadline, carries, carries_required, fit, required_kinds, wants


@pytest.mark.parametrize(("sentence", "is_time"), [
    ("You may need to tell the police as well.", False),
    ("March on with the referral.", False),
    ("The partnership publishes its report in May.", True),
    ("Reviewed 12 May 2024.", True),
    ("The panel meets each year to agree its priorities.", True),
    ("The sub-group meets six times per year.", True),
    ("Supervision takes place every 6 weeks.", True),
    ("Training is refreshed annually.", True),
    ("The board meets twice a year.", True),
])
def test_a_month_is_a_time_only_where_it_dates_something_and_how_often_is_a_time(sentence: str,
                                                                                 is_time: bool) -> None:
    assert (carries("time", sentence) == 1.0) is is_time


@pytest.mark.parametrize("question", [
    "eastbrook consultation line, what days and times can i ring it", "what times are the drop-in sessions",
    "which hours is the front door staffed",
])
def test_what_days_or_what_times_asks_for_a_time(question: str) -> None:
    assert "time" in wants(question)


def test_a_non_mobile_baby_asks_for_no_phone_number() -> None:
    assert "contact" not in wants("roughly what age counts as a non mobile baby")
    assert wants("whats his mobile") == ["contact"]


@pytest.mark.parametrize("question", [
    "cant get through on the phone so can i just email the front door the referral instead?",
    "should I phone the parents first?",
    "newstead preschool - is it ok for a member of staff to be on their own 1:1 with a child?",
    "one of our u15s sent our coach an inappropriate text, what should he do about it",
    "DSL is off, what now?",
])
def test_a_question_about_what_may_or_must_be_done_asks_for_the_rule(question: str) -> None:
    assert wants(question)[:1] == ["rule"]
    assert "contact" not in wants(question)


@pytest.mark.parametrize("question", [
    "skelton club welfare officer phone no", "FA safeguarding team number?", "whats the email for the LADO",
    "phone for eastbrook adult care", "who do I ring out of hours?", "LADO email address",
])
def test_a_question_for_a_number_an_address_or_a_person_asks_for_a_contact(question: str) -> None:
    assert "contact" in wants(question)


@pytest.mark.parametrize(("sentence", "is_time"), [
    ("We evaluate practice to ensure organisations within Salford keep all children safe.", False),
    ("Contact the LADO within one working day.", True),
    ("Follow up in writing within 24 hours.", True),
    ("This was launched at a workshop on 31st January.", True),
])
def test_within_is_a_time_only_when_a_time_follows(sentence: str, is_time: bool) -> None:
    assert (carries("time", sentence) == 1.0) is is_time


@pytest.mark.parametrize("question", [
    "HV here - tiny bruise on a 4 month old's cheek, mum says big sister did it. do i still have to refer??",
    "do we really need to tell the parents first",
])
def test_an_adverb_between_do_i_and_have_to_still_asks_for_the_rule(question: str) -> None:
    assert "rule" in wants(question)


@pytest.mark.parametrize(("question", "deadline"), [
    ("rang the duty team last night - when does the MARF need to be in by?", True),
    ("how long have i got to send the MARF in after ringing?", True),
    ("whats the deadline for an FGM mandatory report", True),
    ("front door rated my referral red - how quick will they act on it", True),
    ("when was the salford framework launched", False),
    ("what time does the MASH shut on a friday", False),
])
def test_a_question_asks_for_a_deadline_when_it_asks_how_long_or_by_when(question: str, deadline: bool) -> None:
    assert asks_for_a_deadline(question) is deadline


def test_asked_for_a_deadline_a_line_that_only_names_a_weekday_earns_less_than_a_timescale() -> None:
    weekday = "Weekends and bank holidays: closed, use the emergency duty team out of hours."
    timescale = "Submit your MARF by 10am on the next working day."

    assert fit(["time"], timescale, deadline=True) > fit(["time"], weekday, deadline=True)
    assert fit(["time"], weekday, deadline=False) == fit(["time"], timescale, deadline=False)  # "when is it open?"


@pytest.mark.parametrize(("question", "kinds"), [
    ("whats the phone number for the business unit", ["phone"]),
    ("fax number for the front door", ["phone", "fax"]),
    ("whats the fax for the front door", ["phone", "fax"]),
    ("northshire lado email?", ["email"]),
    ("whats the postcode for the port liaison office", ["postcode"]),
    ("how much does the paediatric assessment cost the family", ["money"]),
    ("whats the salary band for a MASH social worker", ["money"]),
    ("what's the weekly fostering allowance", ["money"]),
    ("what's the ofsted rating for salford children's services", ["rating"]),
    ("what did ofsted rate dudley childrens services at the last inspection", ["rating"]),
    ("front door gave my referral an amber rating, what does that mean", []),
    # A device, a verb, a sum of time: nothing that only a number, an address or money could answer.
    ("can i take a pic of the bruises on my phone when a child shows me", []),
    ("cant get through on the phone so can i just email the front door the referral instead?", []),
    ("who do i email to sign up to the newsletter", []),
    ("how much time do i have to send the referral", []),
    ("who do I ring out of hours?", []),
    ("what do wholistic pay foster carers per child per week", ["money"]),
    ("how much funding did the early adopters get", ["money"]),
    ("what do i do if the parent wont pay attention", []),
    ("what time does the MASH open in the morning", ["clock"]),
    ("what time frame do i have to send the MARF in", []),
    ("how many referrals did the MASH get last year", ["count"]),
    ("when's the next partnership board meeting", ["date"]),
    ("when was the threshold document last reviewed", ["date"]),
    ("when was the salford framework launched", []),  # a date in the past may be given in words
    ("rang the duty team last night - when does the MARF need to be in by?", []),
    ("whats the name of the MASH team manager", ["name"]),
    ("who is the independent scrutineer, whats their name", ["name"]),
    ("whats the name of the form for a referral", []),
    ("where is the safeguarding business unit office", ["address"]),
    ("who chairs the safeguarding partnership", []),  # the post may be all the documents name
    ("where do i send the referral form", []),
])
def test_some_questions_can_only_be_answered_with_a_number_an_address_a_sum_or_a_grade(question: str,
                                                                               kinds: list[str]) -> None:
    assert required_kinds(question) == kinds


@pytest.mark.parametrize(("kind", "text", "carried"), [
    ("phone", "Call the Front Door on 01632 960000, Monday to Friday.", True),
    ("phone", "Phone the Front Door straight away.", False),
    ("fax", "Fax: 01632 960999", True),
    ("fax", "Call the Front Door on 01632 960000, Monday to Friday.", False),  # a phone is not a fax
    ("email", "Email lado@northshire.example.org with the form.", True),
    ("postcode", "Port Liaison Office, Harbour Road, Eastbrook EB1 2XY", True),
    ("postcode", "The port liaison office is at the ferry terminal.", False),
    ("money", "The allowance is £150 a week.", True),
    ("money", "Schools | 38,400", True),  # a budget table's figures carry no pound sign
    ("money", "There is no charge to the family.", True),
    ("money", "Foster carers receive an allowance for each child.", False),
    ("rating", "Ofsted judged the service Requires improvement to be good.", True),
    ("rating", "Amber: a response within one working day.", True),
    ("rating", "Good practice is to record the child's own words.", False),
    ("clock", "The Front Door is open from 8:30am to 5pm.", True),
    ("clock", "The Front Door is open on weekdays.", False),
    ("address", "Write to the Business Unit, 12 Harbour Road, Eastbrook.", True),
    ("address", "The business unit is in the council offices.", False),
])
def test_a_line_carries_a_number_an_address_a_sum_or_a_grade_only_when_it_is_written_there(kind: str, text: str,
                                                                                   carried: bool) -> None:
    assert carries_required(kind, text) is carried  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "question", "text", "carried"), [
    # A count: a number written just before the things counted, not any number on the page.
    ("count", "how many referrals did the MASH get last year", "The MASH took 1,240 referrals in 2024.", True),
    ("count", "how many referrals did the MASH get last year",
     "Northshire MASH (referrals and consultation) | 01632 960120, mash@northshire.example.org", False),
    ("count", "how many foster carers does the agency have",
     "Record how many children have been placed with the foster carer.", False),
    ("count", "how many statutory partners are there", "There are three local safeguarding partners.", True),
    ("count", "how many days after the strategy meeting is the conference",
     "Within 15 working days of the strategy discussion.", True),
    # A date on a line about the thing asked after, not a year elsewhere on the page.
    ("date", "when's the next DSPPB meeting", "The DSPPB will next meet on 4 March 2025.", True),
    ("date", "when's the next DSPPB meeting",
     "The DSPPB will meet quarterly.\nThis follows Working Together 2018.", False),
    # A sum on a line about what is paid for, not a budget table's other rows.
    ("money", "what's the salary for the business manager job", "Source | £\nDudley CCG | 107,100", False),
    ("money", "how much do schools pay in for training", "Source | £\nSchools Training Income | 38,400", True),
    # A name: a person, not a team.
    ("name", "whats the name of the MASH team manager", "The Club Safeguarding Officer is Toby Batch, his", True),
    ("name", "whats the name of the MASH team manager", "- Toby Batch", True),
    ("name", "whats the name of the whistle blowing officer", "The officer is Mike Dennis and he can help.", True),
    ("name", "whats the name of the MASH team manager", "Sunderland, North Tyneside, Gateshead | X", False),
    ("name", "whats the name of the MASH team manager", "Ask to speak to the MASH team manager.", False),
])
def test_a_count_a_date_a_sum_or_a_name_is_carried_only_on_a_line_that_gives_it(kind: str, question: str, text: str,
                                                                               carried: bool) -> None:
    assert carries_required(kind, text, question) is carried  # type: ignore[arg-type]


@pytest.mark.parametrize(("question", "things"), [
    ("which hotel is used for asylum accommodation in eastbrook", ["hotel"]),
    # An Act, an organisation: the documents give its name, not the question's word for it.
    ("which council's adult social care team do i call", []),
    ("the adult partnership group - which law is it there for", []),
    ("whats the concussion protocol for a player who took a knock", ["concussion"]),
    ("who is the head coach at skelton united", ["head"]),
    ("is there parking at the MASH office", ["parking"]),
    ("can i park at the family hub in eastbrook", ["park"]),
    # The kind of fact asked for is no thing asked about: whether a passage carries it is `required_kinds`'.
    ("whats the email for the NCB early adopters team", []),
    ("is there a time limit on a referral", []),
    # What follows "what do I" / "who do I", and detail told along the way, are not what is asked about.
    ("what do i jot down after a disclosure", []),
    ("who do i chase about my referral", []),
    ("young person says hes 16 - do we treat him as an adult in the hotel?", []),
    ("is there anything else i should do", []),
    ("what's the CSO's number", []),  # an acronym the documents may spell out
])
def test_a_question_names_the_thing_it_asks_about_after_which_whats_the_is_there_or_can_i(
        question: str, things: list[str]) -> None:
    assert [word for word, _ in asked_about(question)] == things
