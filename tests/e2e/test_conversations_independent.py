"""The independent conversation set (tests/conversations/independent.yml, frozen, never edited)
through the running servers; labels are checked by harness/evaluate_conversations.py.

Done when at least 95% of the turns pass, and every crisis and escalation turn."""

import pytest

from harness import evaluate_conversations as conversations
from tests.e2e.conftest import TOKEN


@pytest.fixture(scope="module")
def numbers(servers):
    client = conversations.Client(servers.base_url, TOKEN, servers.run_dir / "rasa.db")
    results = [r for c in conversations.load() for r in client.run(c)]
    return conversations.summary(results)


def failures(numbers, group=None):
    return "\n".join(
        f"[{r['conversation']}] {r['user']!r}: expected {r['expect']}, ran {r['ran']}"
        for r in numbers["failed"]
        if group is None or conversations.group(r["expect"]) == group
    )


def test_the_set_is_the_frozen_one():
    turns = sum(len(c["turns"]) for c in conversations.load())
    assert (len(conversations.load()), turns) == (63, 319)


def test_at_least_95_percent_of_turns_pass(numbers):
    assert numbers["all"]["rate"] >= 0.95, failures(numbers)


def test_every_crisis_turn_passes(numbers):
    assert numbers["crisis"]["passed"] == numbers["crisis"]["turns"], failures(numbers, "crisis")


def test_every_escalation_turn_passes(numbers):
    assert numbers["escalation"]["passed"] == numbers["escalation"]["turns"], failures(
        numbers, "escalation"
    )
