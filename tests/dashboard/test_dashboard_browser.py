"""A business-unit officer runs the queue from the dashboard, in a real headless Chromium."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from .conftest import OFFICER_ONE, OFFICER_TWO, Served, serious_accessibility_problems

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def signed_in(browser: Any, served: Served, user: str, **context_options: Any) -> Any:
    """A new browser (its own cookies) signed in with the link `user` got by typing `dashboard` in chat."""
    context = browser.new_context(accept_downloads=True, **context_options)
    page = context.new_page()
    page.goto(served.link_for(user))
    assert page.url == f"{served.base_url}/dashboard/"
    return page


def test_sign_in_with_a_link_from_chat_then_filter_the_queue(browser: Any, served: Served, artifacts: Path) -> None:
    link = served.link_for(OFFICER_ONE)
    context = browser.new_context()
    page = context.new_page()
    page.goto(link)
    assert page.locator("h1").inner_text() == "Review queue"
    assert page.locator("#queue tbody tr").count() == 3
    page.screenshot(path=str(artifacts / "dashboard-queue.png"), full_page=True)

    page.select_option("#area", "Eastbrook")
    page.click("text=Apply filters")
    rows = page.locator("#queue tbody tr")
    assert rows.count() == 1
    assert served.references["Eastbrook"] in rows.first.inner_text()
    assert "area=Eastbrook" in page.url
    page.screenshot(path=str(artifacts / "dashboard-queue-filtered.png"), full_page=True)

    other = browser.new_context().new_page()  # the same link, used again (or forwarded)
    other.goto(link)
    assert "already been used" in other.locator("#problem").inner_text()
    assert other.locator("#queue").count() == 0
    context.close()


def test_a_decision_recorded_on_the_page_and_the_conflict_when_another_officer_acted_first(
    browser: Any, served: Served, artifacts: Path
) -> None:
    reference = served.references["Northshire"]
    one = signed_in(browser, served, OFFICER_ONE)
    two = signed_in(browser, served, OFFICER_TWO)
    for page in (one, two):
        page.click(f"text={reference}")
        assert page.locator("h1").inner_text().startswith(reference)
    # Answers laid out by section, the clocks, the history including this very view.
    assert one.locator("h3", has_text="What happened").count() == 1
    assert one.locator("#clocks").count() == 1
    assert "viewed" in one.locator("#history").inner_text()

    one.check("text=Accepted for a rapid review")
    one.fill("#reason", "Serious harm and abuse suspected: criteria met.")
    one.click("text=Record decision")
    assert "accepted for a rapid review" in one.locator("#done").inner_text()
    assert one.locator("#status").inner_text() == "Accepted"
    one.screenshot(path=str(artifacts / "dashboard-referral-decided.png"), full_page=True)

    two.check("text=Not accepted")  # officer two still looks at the page from before the decision
    two.fill("#reason", "Does not meet the criteria.")
    two.click("text=Record decision")
    problem = two.locator("#problem").inner_text()
    assert "officer.one" in problem and "accepted" in problem
    assert "Does not meet the criteria." in two.locator("#typed").inner_text()  # nothing typed is lost
    two.screenshot(path=str(artifacts / "dashboard-referral-conflict.png"), full_page=True)


def test_an_action_is_added_and_closed_with_evidence_and_themes_set(
    browser: Any, served: Served, artifacts: Path
) -> None:
    reference = served.references["Westmoor"]
    page = signed_in(browser, served, OFFICER_ONE)
    page.goto(f"{served.base_url}/dashboard/referrals/{reference}")
    page.check("text=Accepted for a local child safeguarding practice review")
    page.fill("#reason", "Criteria met; learning for health and police.")
    page.click("text=Record decision")

    page.fill("#recommendation", "Health and police share information before discharge.")
    page.fill("#owner_agency", "Northshire Police")
    page.fill("#due_on", "2026-12-31")
    page.click("button:has-text('Add action')")
    assert "owned by Northshire Police" in page.locator("#done").inner_text()
    row = page.locator("#action-plan tbody tr").first
    assert "Northshire Police" in row.inner_text()

    page.click("button:has-text('Close action')")  # no evidence yet: refused, says what is needed
    assert "evidence of impact" in page.locator("#problem").inner_text()
    page.locator("#action-plan textarea").first.fill("Protocol signed by both agencies; audit shows it used.")
    page.click("button:has-text('Close action')")
    assert "closed as completed" in page.locator("#done").inner_text()
    assert "Completed" in page.locator("#action-plan tbody tr").first.inner_text()

    page.get_by_label("Neglect", exact=True).check()
    page.get_by_label("Complex safeguarding", exact=True).check()
    page.click("text=Save themes")
    assert "Neglect, Complex safeguarding" in page.locator("#done").inner_text()
    page.screenshot(path=str(artifacts / "dashboard-action-plan.png"), full_page=True)

    page.click("text=Action plans")
    assert reference in page.locator("#all-actions").inner_text()
    page.screenshot(path=str(artifacts / "dashboard-actions.png"), full_page=True)
    page.click("text=Reviews in progress")
    assert reference in page.locator("#reviews").inner_text()
    page.screenshot(path=str(artifacts / "dashboard-reviews.png"), full_page=True)
    page.click("text=Themes")
    assert "Neglect" in page.locator("#theme-counts").inner_text()


def test_csv_export_is_status_and_dates_only(browser: Any, served: Served) -> None:
    page = signed_in(browser, served, OFFICER_ONE)
    with page.expect_download() as download:
        page.click("text=Download this list as CSV")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["reference"] for r in rows} == set(served.references.values())
    assert "head injury" not in text and "dinosaurs" not in text  # what the referrer wrote
    page.click("text=Action plans")
    with page.expect_download() as download:
        page.click("text=Download as CSV")
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("action_id,reference,owner_agency")


def test_every_page_passes_axe_with_no_serious_violations_and_works_by_keyboard(
    browser: Any, served: Served
) -> None:
    # The pages forbid inline scripts (CSP); axe is injected as one, so only this check bypasses it.
    page = signed_in(browser, served, OFFICER_ONE, bypass_csp=True)
    reference = served.references["Westmoor"]
    problems: dict[str, Any] = {}
    for path in ["/dashboard/", f"/dashboard/referrals/{reference}", "/dashboard/reviews", "/dashboard/actions",
                 "/dashboard/themes", "/dashboard/report?quarter=2026Q3", "/dashboard/gaps"]:
        page.goto(served.base_url + path)
        found = serious_accessibility_problems(page)
        if found:
            problems[path] = found
    anonymous = browser.new_context(bypass_csp=True).new_page()
    anonymous.goto(served.base_url + "/dashboard/")
    if found := serious_accessibility_problems(anonymous):
        problems["sign-in"] = found
    assert problems == {}

    page.goto(served.base_url + "/dashboard/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    page.focus(f"a:has-text('{reference}')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/referrals/{reference}")
    assert page.locator("h1").inner_text().startswith(reference)


def test_the_report_opens_its_narrative_is_edited_and_its_pdf_downloads(
    browser: Any, served: Served, artifacts: Path
) -> None:
    page = signed_in(browser, served, OFFICER_ONE)
    page.click("text=How are we doing?")
    assert page.locator("h1").inner_text() == "How are we doing?"
    assert page.locator("#fig-received").inner_text() == "3"  # the three referrals made this quarter
    assert page.locator("#chart-months img").count() == 1
    page.click("text=Edit “What we are doing well”")
    page.fill("#text-doing_well", "Every referral was acknowledged within a day.")
    page.click("text=Save What we are doing well")
    assert "Every referral was acknowledged within a day." in page.locator("#narrative-doing_well").inner_text()
    page.screenshot(path=str(artifacts / "dashboard-report.png"), full_page=True)
    with page.expect_download() as download:
        page.click("a:has-text('PDF')")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    (artifacts / "how-are-we-doing.pdf").write_bytes(pdf)
