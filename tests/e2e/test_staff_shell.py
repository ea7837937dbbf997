"""The staff review shell (`make shell-debug`) against the running servers."""

from typing import List

from clinic_assistant.staff_shell import StaffShell, annotation
from tests.e2e.conftest import TOKEN


def shell_for(servers) -> tuple:
    lines: List[str] = []
    return StaffShell(servers.base_url, TOKEN, write=lines.append), lines


def test_each_message_shows_its_topic_confidence_and_no_safety_layer(servers):
    shell, lines = shell_for(servers)
    shell.say("what is ptsd")
    assert lines[0].startswith("  [topic ptsd_what_is 0.") and "safety layer: none]" in lines[0]
    assert any(line.startswith("Bot: PTSD (post-traumatic stress disorder)") for line in lines)


def test_a_crisis_message_shows_which_safety_layer_fired(servers):
    shell, lines = shell_for(servers)
    shell.say("I want to kill myself")
    assert "topic crisis" in lines[0] and "safety layer: lexicon (active_ideation" in lines[0]
    assert any("988" in line for line in lines)


def test_a_number_presses_that_button_of_the_last_answer(servers):
    shell, lines = shell_for(servers)
    shell.say("what is ptsd")
    first_button = shell.buttons[0]
    lines.clear()
    shell.say("1")
    assert lines[0].startswith(f"  [topic {first_button['payload'].lstrip('/')} 1.00")


def test_annotation_lists_runners_up_and_lexicon_only_catches():
    parse = {
        "intent": {"name": "crisis", "confidence": 0.41},
        "intent_ranking": [
            {"name": "crisis", "confidence": 0.41},
            {"name": "distress", "confidence": 0.38},
        ],
        "crisis_guard": {
            "layer": "lexicon",
            "category": "overdose",
            "matched": "took all my pills",
        },
    }
    assert annotation(parse) == (
        "  [topic crisis 0.41 | next: distress 0.38 | "
        'safety layer: lexicon (overdose: "took all my pills")]'
    )
