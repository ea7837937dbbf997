"""Clinical sign-off: a record holds only for the exact text a clinician approved."""

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from clinic_assistant import launcher, settings, signed_answers, signoff
from tests.conftest import ROOT

RESPONSES = signoff.load_responses()
RECORDS = signoff.load_records()
ANSWER = "utter_ptsd_what_is"


def signed(name=ANSWER, responses=RESPONSES):
    records = {}
    signoff.sign(records, name, responses[name], "Dr. A. Example", "Medical director", "2026-12-01")
    return records


def edited(name=ANSWER, words=" Edited."):
    changed = dict(RESPONSES)
    changed[name] = [dict(v, text=v["text"] + words) for v in RESPONSES[name]]
    return changed


def test_the_record_in_the_repository_can_be_trusted():
    """`make test` fails here when a signed response changed without a reset to pending."""
    assert signoff.problems(RESPONSES, RECORDS) == []
    assert set(RECORDS) <= set(RESPONSES), "run: python -m clinic_assistant.signoff sync"


def test_a_response_without_a_record_or_with_a_pending_one_is_pending():
    assert signoff.pending({ANSWER: RESPONSES[ANSWER]}, {}) == [ANSWER]
    pending = {ANSWER: {"status": "pending", "last_signoff": None}}
    assert signoff.pending({ANSWER: RESPONSES[ANSWER]}, pending) == [ANSWER]
    assert signoff.pending({ANSWER: RESPONSES[ANSWER]}, signed()) == []


def test_a_signed_response_that_changes_fails_until_it_is_reset_to_pending():
    records = signed()
    assert signoff.problems(RESPONSES, records) == []
    assert signoff.state(RESPONSES[ANSWER], records[ANSWER]) == "signed"

    [problem] = signoff.problems(edited(), records)
    assert problem.startswith(f"{ANSWER}: changed since Dr. A. Example signed it on 2026-12-01")
    assert "signoff reset" in problem

    signoff.reset(records, ANSWER)
    assert signoff.problems(edited(), records) == []
    assert signoff.state(edited()[ANSWER], records[ANSWER]) == "pending"
    # What was signed stays on record, so the review packet can show what changed.
    assert records[ANSWER]["last_signoff"]["text"] == signoff.content(RESPONSES[ANSWER])


def test_a_button_title_or_a_condition_is_part_of_what_is_signed():
    name = "utter_greet"
    records = signed(name)
    retitled = dict(RESPONSES)
    retitled[name] = [
        dict(v, buttons=[dict(b, title=b["title"] + "!") for b in v.get("buttons", [])])
        for v in RESPONSES[name]
    ]
    assert signoff.state(retitled[name], records[name]) == "stale"
    assert "[when crisis_active is True]" in signoff.content(RESPONSES[name])


def test_a_signed_record_without_a_reviewer_or_with_an_altered_text_is_refused():
    records = signed()
    records[ANSWER]["last_signoff"]["reviewer"] = ""
    assert signoff.problems(RESPONSES, records) == [f"{ANSWER}: signed without reviewer"]
    records = signed()
    records[ANSWER]["last_signoff"]["text"] += " (edited in the record)"
    assert signoff.problems(RESPONSES, records) == [
        f"{ANSWER}: the signed text does not match its sha256"
    ]


def test_sign_reset_and_sync_from_the_command_line(tmp_path, monkeypatch, capsys):
    record_file = tmp_path / "signoff.yml"
    monkeypatch.setattr(signoff, "SIGNOFF_FILE", record_file)
    assert signoff.main(["sync"]) == 0
    assert set(signoff.load_records(record_file)) == set(RESPONSES)
    assert signoff.main(["sign", ANSWER, "--reviewer", "Dr. B", "--role", "MD"]) == 0
    assert f"1 of {len(RESPONSES)} responses signed" in capsys.readouterr().out
    record = signoff.load_records(record_file)[ANSWER]
    assert (record["status"], record["last_signoff"]["reviewer"]) == ("signed", "Dr. B")
    assert signoff.main(["reset", ANSWER]) == 0
    assert signoff.load_records(record_file)[ANSWER]["status"] == "pending"
    assert signoff.main(["sign", "utter_no_such_thing", "--reviewer", "x", "--role", "y"]) == 2


def test_the_start_log_lists_what_is_pending(tmp_path, capsys):
    env = launcher.isolated_environment(tmp_path, "token")
    launcher.rasa_server(env, "token")
    assert signoff.pending_report(RESPONSES, RECORDS) in capsys.readouterr().out
    report = signoff.pending_report(RESPONSES, signed())
    others = sorted(set(RESPONSES) - {ANSWER})
    assert report == (
        f"Clinical sign-off: 1 of {len(RESPONSES)} responses signed; "
        f"pending ({len(others)}): {', '.join(others)}"
    )


# ---------------------------------------------------------------- serving only signed answers


def test_off_in_the_demo():
    assert settings.serve_only_signed(settings.load_clinic()) is False
    assert signoff.withheld(RESPONSES, RECORDS, on=False) == set()


def test_when_on_only_unsigned_answers_are_held_back_never_the_crisis_protocol_or_flows():
    held = signoff.withheld(RESPONSES, signed(), on=True)
    assert ANSWER not in held  # signed
    assert {"utter_ptsd_symptoms", "utter_ketamine_risks"} <= held
    for always_sent in (
        "utter_crisis",
        "utter_risk_check",
        "utter_distress",
        "utter_greet",
        "utter_escalate_medical_dosage",
        "utter_ask_callback_name",
        "utter_clinic_contact",
        signed_answers.AWAITING_REVIEW,
    ):
        assert always_sent not in held


@pytest.fixture(scope="module")
def domain():
    return Domain.load([str(ROOT / "domain")])


def generate(generator, domain, name):
    tracker = DialogueStateTracker.from_events("patient", [], slots=domain.slots)
    return asyncio.run(generator.generate(name, tracker, "rest"))


def test_the_generator_sends_the_clinic_contact_for_an_unsigned_answer_when_on(domain, monkeypatch):
    clinic = dict(settings.load_clinic(), review={"serve_only_signed": True})
    monkeypatch.setattr(settings, "load_clinic", lambda *args: clinic)
    generator = signed_answers.SignedAnswersOnly()
    generator.responses = domain.responses  # as Rasa does once the model is loaded
    unsigned = generate(generator, domain, "utter_ptsd_symptoms")["text"]
    assert unsigned.startswith("I'm sorry, I can't answer that here yet.")
    assert clinic["clinic"]["phone"] in unsigned and "988" in unsigned
    crisis = generate(generator, domain, "utter_crisis")["text"]
    assert not crisis.startswith("I'm sorry, I can't answer that here yet.")


def test_the_generator_sends_every_response_as_written_when_off(domain):
    generator = signed_answers.SignedAnswersOnly()
    generator.responses = domain.responses
    answer = generate(generator, domain, "utter_ptsd_symptoms")
    assert answer["text"].startswith(RESPONSES["utter_ptsd_symptoms"][0]["text"][:40])
