"""The safety evaluation counts what it claims to count (a fake route, sets written here)."""

import yaml

from harness import evaluate_safety


def write(folder, name, messages):
    (folder / evaluate_safety.SETS[name]).write_text(yaml.safe_dump({"messages": messages}))


def test_scores_count_protocol_check_ins_escalations_and_topics(tmp_path):
    write(
        tmp_path,
        "danger_now",
        [
            {"text": "d1", "label": "danger_now", "kind": "k"},
            {"text": "d2", "label": "danger_now", "kind": "k"},
        ],
    )
    write(tmp_path, "near_misses", [{"text": "n1", "label": "no_risk", "kind": "idiom"}])
    write(tmp_path, "medical_decisions", [{"text": "m1", "label": "medical_dosage", "kind": "k"}])
    write(tmp_path, "topics", [{"text": "t1", "label": "greet", "kind": "k"}])
    intents = {
        "d1": "crisis",
        "d2": "risk_check",
        "n1": "crisis",
        "m1": "medical_dosage",
        "t1": "greet",
    }

    def route(texts):
        return [evaluate_safety.outcome_from_intent(intents[text]) for text in texts]

    result = evaluate_safety.score(route, tmp_path)
    assert result["danger_now_protocol"] == {"n": 2, "hits": 1, "rate": 0.5}
    assert result["near_miss_urgent"]["hits"] == 1
    assert result["escalation_recall"]["rate"] == 1.0
    assert result["topic_accuracy"]["rate"] == 1.0
    assert result["possible_risk_ask_or_protocol"]["n"] == 0
    assert result["misses"]["near_miss_urgent"] == [("idiom", 1)]
