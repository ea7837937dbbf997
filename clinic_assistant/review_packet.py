"""The clinical review packet: `make review-packet`.

    python -m clinic_assistant.review_packet [--out results/review-packet]

Writes one self-contained HTML document (styles inline; no script, font or image to fetch) and
its PDF, printed by headless chromium (Playwright's `page.pdf()`), for the medical director:
every response of domain/responses/, grouped by the topic or flow of content/topics.yml, with
its text as patients read it (clinic.yml's values filled in), the condition each variation is
sent under, its sources, its reading grade (Flesch-Kincaid, textstat), its routing, its sign-off
state (content/signoff.yml) and what changed since the last sign-off.
"""

import argparse
import datetime as dt
import difflib
import html
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import textstat

from clinic_assistant import catalogue, chromium, settings, signoff

OUT = settings.PROJECT_ROOT / "results" / "review-packet"
STATE_LABELS = {
    signoff.SIGNED: "Signed off",
    signoff.PENDING: "Pending sign-off",
    signoff.STALE: "Changed after sign-off",
}

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; color: #1d2428; max-width: 56rem; margin: 2rem auto;
  padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 2px solid #2b5d74; }
h3 { font-size: 1.05rem; margin: 0; font-family: ui-monospace, monospace; }
.contents { columns: 2; font-size: .9rem; }
.summary td, .summary th { padding: .2rem .8rem .2rem 0; text-align: left; }
.topic-meta { color: #4a565c; margin-top: -.3rem; }
.response { border: 1px solid #c9d3d8; border-radius: 6px; padding: .8rem 1rem; margin: 1rem 0;
  break-inside: avoid; }
.head { display: flex; justify-content: space-between; gap: 1rem; align-items: baseline; }
.state { font-weight: 600; padding: .1rem .5rem; border-radius: 4px; white-space: nowrap; }
.state.pending { background: #fff3cd; color: #5c4400; }
.state.signed { background: #d7f0dd; color: #17462a; }
.state.stale { background: #f8d7da; color: #6b1a21; }
.variation { margin: .6rem 0; }
.when { font-size: .85rem; color: #4a565c; margin: 0; }
.text { white-space: pre-wrap; background: #f5f8f9; border-left: 3px solid #2b5d74; margin: .2rem 0;
  padding: .5rem .8rem; }
.facts { font-size: .9rem; margin: .3rem 0; }
.facts dt { font-weight: 600; float: left; clear: left; width: 9rem; }
.facts dd { margin: 0 0 .2rem 9rem; }
.facts ul { margin: 0; padding-left: 1.1rem; }
.diff { white-space: pre-wrap; font: .85rem/1.4 ui-monospace, monospace; background: #fafafa;
  padding: .4rem .6rem; }
.diff span { display: block; }
.diff .add { background: #d7f0dd; }
.diff .del { background: #f8d7da; }
.diff .hunk { color: #6b767b; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
"""


class _Kept(dict):
    """Slot values to fill in; a placeholder with no clinic value stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def as_read(text: str, config: Mapping[str, Any]) -> str:
    return text.format_map(_Kept(settings.slot_values(config)))


def default_variation(variations: signoff.Variations) -> Dict[str, Any]:
    return next((v for v in variations if not v.get("condition")), variations[0])


def topic_of(name: str, variations: signoff.Variations) -> str:
    return catalogue.response_topic(name, default_variation(variations).get("metadata")) or "other"


def routing_of(name: str, topic: str, topics: Mapping[str, catalogue.Topic]) -> str:
    """How a message reaches this response, from the catalogue: the topic it answers, or the
    flow it belongs to and the topic it is sent for (utter_escalate_medical_dosage)."""
    if topic in topics:
        entry = topics[topic]
        return f"answers topic {entry.id} ({entry.group} group), routing {entry.routing}"
    sent_for = [t for t in topics.values() if name.endswith("_" + t.id)]
    if sent_for:
        entry = max(sent_for, key=lambda t: len(t.id))
        return f"{topic} flow, sent for topic {entry.id} (routing {entry.routing})"
    return f"{topic} flow"


def grade_label(text: str) -> str:
    """Flesch-Kincaid grade; very short plain sentences score below 1 (even below 0)."""
    grade = textstat.flesch_kincaid_grade(text)
    return "under 1" if grade < 1 else f"{grade:.1f}"


def sources_of(variations: signoff.Variations) -> List[str]:
    found: List[str] = []
    for variation in variations:
        for source in (variation.get("metadata") or {}).get("sources") or []:
            if source not in found:
                found.append(source)
    return found


def changes(variations: signoff.Variations, record: Optional[Mapping[str, Any]]) -> Optional[str]:
    """The lines removed (-) and added (+) since the last sign-off, with the unchanged lines
    around them; None if never signed."""
    last = (record or {}).get("last_signoff")
    if not last:
        return None
    diff = difflib.unified_diff(
        last["text"].splitlines(), signoff.content(variations).splitlines(), lineterm=""
    )
    return "\n".join(list(diff)[2:])  # without the ---/+++ file header


def _diff_html(diff: str) -> str:
    kinds = {"+": "add", "-": "del", "@": "hunk"}
    lines = [
        f'<span class="{kinds.get(line[:1], "same")}">{html.escape(line) or " "}</span>'
        for line in diff.splitlines()
    ]
    return '<pre class="diff">' + "".join(lines) + "</pre>"


def _signoff_html(state: str, record: Optional[Mapping[str, Any]], diff: Optional[str]) -> str:
    last = (record or {}).get("last_signoff")
    if not last:
        return "<dt>Last sign-off</dt><dd>never signed</dd>"
    who = html.escape(f"{last['reviewer']}, {last['role']}, {last['date']}")
    parts = [f"<dt>Last sign-off</dt><dd>{who} (sha256 {last['sha256'][:12]})</dd>"]
    if state == signoff.SIGNED:
        parts.append("<dt>Changed since</dt><dd>nothing</dd>")
    else:
        parts.append(f"<dt>Changed since</dt><dd>{_diff_html(diff or '')}</dd>")
    return "".join(parts)


def response_html(
    name: str,
    variations: signoff.Variations,
    record: Optional[Mapping[str, Any]],
    routing: str,
    config: Mapping[str, Any],
) -> str:
    state = signoff.state(variations, record)
    blocks = []
    for variation in variations:
        text = as_read(variation.get("text") or "", config)
        condition = variation.get("condition")
        when = (
            f"Sent when {html.escape(signoff.describe_condition(condition))}"
            if condition
            else "Sent by default"
        )
        buttons = " | ".join(b["title"] for b in variation.get("buttons") or [])
        blocks.append(
            f'<div class="variation"><p class="when">{when}; reading grade {grade_label(text)}'
            + (f"; buttons: {html.escape(buttons)}" if buttons else "")
            + f'</p><div class="text">{html.escape(text)}</div></div>'
        )
    sources = sources_of(variations)
    source_list = (
        "<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in sources) + "</ul>"
        if sources
        else "none (no factual claim)"
    )
    current = signoff.digest(signoff.content(variations))
    return (
        f'<section class="response" id="{name}"><div class="head"><h3>{name}</h3>'
        f'<span class="state {state}">{STATE_LABELS[state]}</span></div>'
        + "".join(blocks)
        + f'<dl class="facts"><dt>Routing</dt><dd>{html.escape(routing)}</dd>'
        f"<dt>Sources</dt><dd>{source_list}</dd>"
        f"<dt>Text sha256</dt><dd>{current[:12]}</dd>"
        + _signoff_html(state, record, changes(variations, record))
        + "</dl></section>"
    )


def document(
    responses: Mapping[str, signoff.Variations],
    records: Mapping[str, Any],
    config: Mapping[str, Any],
    today: str,
) -> str:
    topics = {t.id: t for t in catalogue.topics()}
    by_topic: Dict[str, List[str]] = defaultdict(list)
    for name in sorted(responses):
        by_topic[topic_of(name, responses[name])].append(name)
    order = [t for t in topics if t in by_topic] + sorted(t for t in by_topic if t not in topics)
    states = [signoff.state(v, records.get(n)) for n, v in responses.items()]
    serving = (
        "only signed-off answers; the rest get the clinic's contact"
        if settings.serve_only_signed(config)
        else "every response: serving only signed-off answers is off"
    )
    sections, contents = [], []
    for topic in order:
        entry = topics.get(topic)
        title = f"{entry.label} ({topic})" if entry else f"Flow: {topic}"
        meta = (
            f"Group {entry.group}, routing {entry.routing}. Covers: {entry.covers}"
            if entry
            else "Messages of this flow, sent whatever the topic."
        )
        signed = sum(
            signoff.state(responses[n], records.get(n)) == signoff.SIGNED for n in by_topic[topic]
        )
        contents.append(
            f'<li><a href="#topic-{topic}">{html.escape(title)}</a>: '
            f"{signed} of {len(by_topic[topic])} signed off</li>"
        )
        sections.append(
            f'<h2 id="topic-{topic}">{html.escape(title)}</h2>'
            f"<p class='topic-meta'>{html.escape(meta)}</p>"
            + "".join(
                response_html(n, responses[n], records.get(n), routing_of(n, topic, topics), config)
                for n in by_topic[topic]
            )
        )
    clinic = html.escape(config["clinic"]["name"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Clinical review packet: {clinic}</title>
<style>{STYLE}</style></head>
<body>
<h1>Clinical review packet</h1>
<p>{clinic} automated assistant, generated {today}. Every response the assistant can send, by
topic, as patients read it.</p>
<table class="summary">
<tr><th>Responses</th><td>{len(responses)}</td></tr>
<tr><th>Signed off</th><td>{states.count(signoff.SIGNED)}</td></tr>
<tr><th>Pending sign-off</th><td>{states.count(signoff.PENDING)}</td></tr>
<tr><th>Changed after sign-off</th><td>{states.count(signoff.STALE)}</td></tr>
<tr><th>The assistant serves</th><td>{serving} (clinic.yml review.serve_only_signed)</td></tr>
</table>
<p>To sign off a response, approve its text here; staff then record it with
<code>python -m clinic_assistant.signoff sign NAME --reviewer "..." --role "..."</code>.
The record holds the sha256 of the exact text approved: any later change sets it back to
pending.</p>
<nav aria-label="Contents"><ol class="contents">{"".join(contents)}</ol></nav>
{"".join(sections)}
</body></html>
"""


def write_pdf(html_path: Path, pdf_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page()
            page.goto(html_path.resolve().as_uri())
            page.pdf(path=str(pdf_path), format="Letter", print_background=True)
        finally:
            browser.close()


def build(out: Path, today: Optional[str] = None) -> List[Path]:
    out.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = out / "review-packet.html", out / "review-packet.pdf"
    html_path.write_text(
        document(
            signoff.load_responses(),
            signoff.load_records(signoff.SIGNOFF_FILE),
            settings.load_clinic(),
            today or dt.date.today().isoformat(),
        ),
        encoding="utf-8",
    )
    write_pdf(html_path, pdf_path)
    return [html_path, pdf_path]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write into")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
