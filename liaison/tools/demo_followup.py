"""The demo's last act: from a hit to an approved follow-up, with the same commands.

The data owner's dataset gets a releasable and a source column, each node
publishes contact points, and after the match the requester's investigator
asks about one hit, the owner's officer approves chosen fields (a source
field among them, which is never released) and the reply comes back.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The agency that holds the record followed up, and its officer.
OWNER = "NL"
OFFICER = "officer@nl"
#: Fields the officer releases; ``source.informant`` is asked for but never leaves.
RELEASED = "full_name,date_of_birth,document_number,release.status,source.informant"

Run = Callable[..., int]


def contacts_toml(agency: str) -> str:
    """Return the ``[[contacts]]`` tables a demo node publishes in the signed directory."""
    lower = agency.lower()
    return (
        "\n[[contacts]]\n"
        'category = "watchlist"\n'
        f'unit = "{agency} counter-terrorism liaison desk"\n'
        'role = "duty officer"\n'
        'phone = "+00 0000 0000"\n'
        f'email = "ct-desk@{lower}.example"\n'
        'languages = ["en", "fr"]\n'
        'hours = "24/7"\n'
        'time_zone = "UTC"\n'
        "\n[[contacts]]\n"
        'category = "*"\n'
        f'unit = "{agency} international cooperation"\n'
        f'email = "intl@{lower}.example"\n'
    )


def add_detail_columns(path: Path) -> None:
    """Give every record of a dataset file a releasable status and a source field."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        return
    for number, row in enumerate(rows):
        row["release.status"] = "active; travel ban in force"
        row["source.informant"] = f"informant HUMINT-{number:04d} (never released)"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _json(argv: list[str]) -> Any:
    completed = subprocess.run(
        [sys.executable, "-m", "liaison", *argv, "--json"], capture_output=True, check=False
    )
    if completed.returncode != 0:
        return None
    return json.loads(completed.stdout)


def follow_up(
    run: Run, *, base: Path, node_config: Callable[[str], str], requester: str, token: Path
) -> bool:
    """Follow up the first hit at the owner of the exact match in ``base/match.json``.

    Returns whether the reply came back approved with the chosen fields and
    without the source field.
    """
    result = json.loads((base / "match.json").read_text())
    hits = [(r, h) for r in result["results"] if r["agency"] == OWNER for h in r["hits"]]
    if not hits:
        print(f"MISMATCH: no hit at {OWNER} to follow up")
        return False
    partner, hit = hits[0]
    officer_token = base / OWNER / "officer.token"
    mine = ["--config", node_config(requester), "--token-file", str(token)]
    theirs = ["--config", node_config(OWNER), "--token-file", str(officer_token)]
    run("node", "user", "add", OFFICER, "--role", "officer", "--config", node_config(OWNER),
        "--token-file", str(officer_token))  # fmt: skip
    run("directory", "list", *mine, "--agency", OWNER)
    run("followup", "request", *mine, "--query", hit["reference"], "--partner", OWNER,
        "--dataset", partner["dataset"], "--row", str(hit["row"]), "--deadline", "48h",
        "--message", "Is this person still of interest to you? Core data please.")  # fmt: skip
    run("followup", "inbox", *theirs)
    inbox = _json(["followup", "inbox", *theirs]) or []
    if not inbox:
        print("MISMATCH: the follow-up did not reach the officer's inbox")
        return False
    followup_id = inbox[0]["id"]
    run("followup", "show", followup_id, *theirs)
    run("followup", "answer", followup_id, *theirs, "--approve", "--fields", RELEASED,
        "--handling", "H2", "--note", "Call our desk before any action.")  # fmt: skip
    run("followup", "status", *mine)
    run("followup", "show", followup_id, *mine)
    reply = _json(["followup", "show", followup_id, *mine]) or {}
    released = {f["name"] for r in reply.get("released", []) for f in r["fields"]}
    ok = (
        reply.get("state") == "approved"
        and reply.get("handling") == "H2"
        and "full_name" in released
        and not any(name.startswith("source.") for name in released)
    )
    print(
        "verified: the follow-up was approved with the chosen fields, handling H2, "
        "and the source field stayed at the data owner"
        if ok
        else f"MISMATCH in the follow-up reply: {reply.get('state')}, {sorted(released)}"
    )
    return ok
