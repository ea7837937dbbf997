"""Profiles the Rasa server with pyinstrument while simulated users talk to it over REST.

    .venv/bin/python -m harness.bench.profile_server [--users 1] [--seconds 20]
        [--conversation-length 8]

Starts the action server and Rasa (Rasa under `python -m pyinstrument`) on free loopback
ports with a throw-away database, runs one load level of harness/bench/serving.py, stops both
and writes harness/bench/results/profile.txt: the functions that take the largest share of Rasa's
message handling (MessageProcessor.handle_message), cumulative and own time. Not part of
`make bench`: sampling every millisecond slows the server down.
"""

import argparse
import asyncio
import secrets
import sys
import tempfile
from collections import Counter
from pathlib import Path

from clinic_assistant import launcher as serve
from clinic_assistant.settings import PROJECT_ROOT as ROOT
from harness.bench import serving

sys.dont_write_bytecode = True


def hotspots(session_file: Path, top: int) -> str:
    from pyinstrument.session import Session

    root = Session.load(str(session_file)).root_frame()
    handlers, stack = [], [root]
    while stack:  # every MessageProcessor.handle_message call tree
        frame = stack.pop()
        if frame.function == "handle_message" and (frame.file_path or "").endswith(
            "rasa/core/processor.py"
        ):
            handlers.append(frame)
        else:
            stack.extend(frame.children)
    total = sum(frame.time for frame in handlers)
    cumulative, own = Counter(), Counter()

    def add(frame, seen: frozenset) -> None:
        where = (frame.file_path or "").split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        key = f"{frame.function}  {where}:{frame.line_no}"
        if key not in seen:  # a recursive call counts once
            cumulative[key] += frame.time
        own[key] += frame.total_self_time
        for child in frame.children:
            if not child.is_synthetic:  # "[self]" and "[await]" are in total_self_time
                add(child, seen | {key})

    for frame in handlers:
        add(frame, frozenset())
    lines = [
        f"Message handling: {total:.1f} s sampled over {len(handlers)} call tree(s).",
        "",
        "Cumulative share of message handling (function and everything it calls):",
    ]
    shown = [(key, t) for key, t in cumulative.most_common() if "dask/" not in key][
        :top
    ]  # dask: Rasa's graph runner
    lines += [f"  {100 * t / total:5.1f}%  {key}" for key, t in shown]
    lines += ["", "Own time (excluding callees):"]
    lines += [f"  {100 * t / total:5.1f}%  {key}" for key, t in own.most_common(top // 2)]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--conversation-length", type=int, default=len(serving.MESSAGES))
    parser.add_argument("--top", type=int, default=40, help="functions listed (default 40)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "harness" / "bench" / "results" / "profile.txt"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rasa-profile-") as tmp:
        run_dir, token = Path(tmp), secrets.token_urlsafe(16)
        env = serve.isolated_environment(run_dir, token)
        env["RASA_CREDENTIALS"] = str(ROOT / "credentials.yml")  # REST is all this needs
        log, session_file = run_dir / "servers.log", run_dir / "rasa.pyisession"
        rasa_command = serve.rasa_server_command(env, token, shell=False, debug=False)
        profiled = [
            sys.executable,
            "-m",
            "pyinstrument",
            "--renderer",
            "pyisession",
            "--outfile",
            str(session_file),
            "-m",
            "rasa",
            *rasa_command[1:],
        ]
        action = serve.start_action_server(env, log)
        rasa = None
        try:
            (rasa,) = serve.launch(
                [(profiled, f"http://127.0.0.1:{env['RASA_PORT']}/status?token={token}", 600)],
                env,
                log,
            )
            print(
                f"Rasa up under pyinstrument; {args.users} user(s) for {args.seconds:g} s",
                flush=True,
            )
            load = asyncio.run(
                serving.load_level(
                    f"http://127.0.0.1:{env['RASA_PORT']}",
                    args.users,
                    args.seconds,
                    args.conversation_length,
                    "profile",
                )
            )
        finally:
            serve.stop(
                [p for p in (rasa, action) if p]
            )  # pyinstrument writes the session as Rasa exits
        text = (
            f"pyinstrument profile of the Rasa server: {args.users} user(s), {args.seconds:g} s, "
            "conversations "
            f"of {args.conversation_length or 'unbounded'} messages. Under sampling: "
            f"{load['msgs_per_s']:.1f} msgs/s, "
            f"p50 {load['p50_ms']:.0f} ms.\n\n" + hotspots(session_file, args.top) + "\n"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
