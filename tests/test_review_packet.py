"""The review packet (`make review-packet`), opened in Debian's chromium as the medical director
would open it. Screenshot: tests/artifacts/review-packet.png."""

import pytest
from playwright.sync_api import expect, sync_playwright

from clinic_assistant import catalogue, chromium, review_packet, signoff
from tests.conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
RESPONSES = signoff.load_responses()
SIGNED, EDITED, STALE = "utter_ptsd_what_is", "utter_ptsd_symptoms", "utter_ketamine_risks"
OLD_LINE = "An older sentence the clinician signed."


def earlier_version(name):
    """The response as it was when signed: one sentence more than now."""
    [first, *rest] = RESPONSES[name]
    return [dict(first, text=first["text"] + "\n" + OLD_LINE), *rest]


@pytest.fixture(scope="module")
def packet(tmp_path_factory):
    """Built from a record where one answer is signed, one was signed then changed and reset to
    pending, and one changed after its sign-off (`make test` refuses that in the repository)."""
    folder = tmp_path_factory.mktemp("packet")
    records = signoff.load_records()
    signoff.sign(
        records, SIGNED, RESPONSES[SIGNED], "Dr. A. Example", "Medical director", "2026-12-01"
    )
    for name in (EDITED, STALE):
        signoff.sign(
            records, name, earlier_version(name), "Dr. A. Example", "Medical director", "2026-12-01"
        )
    signoff.reset(records, EDITED)
    record_file = folder / "signoff.yml"
    signoff.save_records(records, record_file)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signoff, "SIGNOFF_FILE", record_file)
        html_path, pdf_path = review_packet.build(folder / "out", today="2026-12-02")
    return html_path, pdf_path


@pytest.fixture(scope="module")
def page(packet):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.requested = []
        page.on("request", lambda request: page.requested.append(request.url))
        page.goto(packet[0].as_uri())
        yield page
        browser.close()


def test_the_packet_is_one_self_contained_document_and_a_pdf(packet, page):
    html_path, pdf_path = packet
    assert page.requested == [html_path.as_uri()], "no style, script, font or image to fetch"
    expect(page.get_by_role("heading", name="Clinical review packet")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "review-packet.png")
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 5


def test_every_response_is_listed_under_its_topic_with_its_routing(page):
    expect(page.locator("section.response")).to_have_count(len(RESPONSES))
    labels = catalogue.labels()
    what_is = page.locator("h2", has_text=f"{labels['ptsd_what_is']} (ptsd_what_is)")
    expect(what_is).to_be_visible()
    expect(page.locator(f"#{SIGNED}")).to_contain_text(
        "answers topic ptsd_what_is (ptsd group), routing educate"
    )
    expect(page.locator("#utter_escalate_medical_dosage")).to_contain_text(
        "escalation flow, sent for topic medical_dosage (routing escalate)"
    )
    expect(page.locator("h2", has_text="Flow: handoff")).to_be_visible()
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link", name="Flow: handoff")).to_have_attribute(
        "href", "#topic-handoff"
    )


def test_each_response_shows_its_text_as_read_its_sources_and_reading_grade(page):
    answer = page.locator(f"#{SIGNED}")
    for source in RESPONSES[SIGNED][0]["metadata"]["sources"]:
        expect(answer).to_contain_text(source)
    expect(answer).to_contain_text("reading grade")
    contact = page.locator("#utter_clinic_contact")
    expect(contact).to_contain_text("(555) 010-0142")  # clinic.yml's values, filled in
    expect(contact).not_to_contain_text("{clinic_phone}")


def test_sign_off_state_and_what_changed_since(page):
    expect(page.locator(f"#{SIGNED} .state")).to_have_text("Signed off")
    expect(page.locator(f"#{SIGNED}")).to_contain_text(
        "Dr. A. Example, Medical director, 2026-12-01"
    )
    for name in (EDITED, STALE):
        removed = page.locator(f"#{name} .diff .del", has_text=OLD_LINE)
        expect(removed).to_have_count(1)
    expect(page.locator(f"#{EDITED} .state")).to_have_text("Pending sign-off")
    expect(page.locator(f"#{STALE} .state")).to_have_text("Changed after sign-off")
    expect(page.locator("#utter_greet")).to_contain_text("never signed")
    summary = page.locator("table.summary")
    expect(summary).to_contain_text(f"Pending sign-off{len(RESPONSES) - 2}")
