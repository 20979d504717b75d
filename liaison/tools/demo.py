"""A whole federation on one machine: CA, broker, three agency nodes, a match.

``liaison demo`` (``make demo``) runs every step an operator would, with the
same commands, prints them as it goes, checks the hits against the planted
ground truth of the synthetic data, shuts everything down and exits 0.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import grpc

from liaison.core.errors import LiaisonError, PartnerUnavailable
from liaison.core.records import KeyStrength, Record
from liaison.tools import demo_console
from liaison.tools.demo_data import Federation, generate_federation, write_csv
from liaison.tools.demo_followup import OWNER, add_detail_columns, contacts_toml, follow_up

AGENCIES = ("FR", "NL", "TR")
DATASET = "watchlist"
REQUESTER = "FR"
#: The investigator the demo issues at the requesting node.
DEMO_INVESTIGATOR = "investigator@fr"
#: Seconds a server process gets to come up.
STARTUP_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class SpellingVariant:
    """A suspect the requester and a partner write differently, with no shared identifier.

    Only the name variants of key specs v2 and v3 can find them; ``strength``
    is the strength the hit must carry under v3.
    """

    suspect: Record
    record: Record
    agency: str
    strength: KeyStrength


def _variant(
    number: int, agency: str, strength: KeyStrength, ours: tuple[str, str], theirs: tuple[str, str]
) -> SpellingVariant:
    return SpellingVariant(
        Record(ref=f"variant-{number}", full_name=ours[0], date_of_birth=ours[1]),
        Record(ref=f"{agency}-variant-{number}", full_name=theirs[0], date_of_birth=theirs[1]),
        agency,
        strength,
    )


#: Romanisation and particles, transliteration, a missing middle name, a
#: day/month swap, a partial date, a split compound.
SPELLING_VARIANTS = (
    _variant(1, "NL", KeyStrength.STRONG, ("Mohammed Al-Hassan", "1984-07-21"),
             ("Muhammad al Hasan", "1984-07-21")),
    _variant(2, "TR", KeyStrength.STRONG, ("Владимир Путин", "1952-10-07"),
             ("Vladimir Putin", "1952-10-07")),
    _variant(3, "NL", KeyStrength.FUZZY, ("Abdelhamid Abaaoud", "1987-04-08"),
             ("Abdelhamid Mohamed Abaoud", "1987-04-08")),
    _variant(4, "TR", KeyStrength.STRONG, ("Jean-Luc Dupont", "1980-03-04"),
             ("Jean-Luc Dupont", "1980-04-03")),
    _variant(5, "NL", KeyStrength.STRONG, ("Hüseyin Yılmaz", "1979-11-02"),  # noqa: RUF001
             ("Huseyin Yilmaz", "1979-11")),
    _variant(6, "TR", KeyStrength.STRONG, ("Omar Abdel Rahman", "1938-05-03"),
             ("Omar Abdelrahman", "1938-05-03")),
)  # fmt: skip


def with_spelling_variants(federation: Federation) -> Federation:
    """Append :data:`SPELLING_VARIANTS`: suspects at the end, records at their partners."""
    datasets = {
        agency: rows + tuple(v.record for v in SPELLING_VARIANTS if v.agency == agency)
        for agency, rows in federation.datasets.items()
    }
    suspects = federation.suspects + tuple(v.suspect for v in SPELLING_VARIANTS)
    return dataclasses.replace(federation, datasets=datasets, suspects=suspects)


def write_demo_data(out: Path, *, seed: int, agencies: Sequence[str], persons: int) -> list[Path]:
    """Write one dataset per agency, the requester's suspects and the ground truth."""
    federation = generate_federation(seed, agencies, persons_per_agency=persons)
    return _write(out, with_spelling_variants(federation))


def _write(out: Path, federation: Federation) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for agency, rows in sorted(federation.datasets.items()):
        path = out / f"{agency}-{DATASET}.csv"
        write_csv(path, rows)
        written.append(path)
    suspects = out / "suspects.csv"
    write_csv(suspects, federation.suspects)
    truth = out / "planted.json"
    truth.write_text(
        json.dumps(
            [
                {
                    "suspect_row": p.suspect_row,
                    "suspect_ref": p.suspect_ref,
                    "agency": p.agency,
                    "record_ref": p.record_ref,
                    "kinds": sorted(p.kinds),
                }
                for p in federation.planted
            ],
            indent=2,
        )
    )
    return [*written, suspects, truth]


def _free_ports(count: int) -> list[int]:
    """Return ``count`` distinct free loopback ports (the demo writes them into its configs)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _step(text: str) -> None:
    print(f"\n==> {text}", flush=True)


#: Runs one ``liaison`` command line in this process and returns its exit code
#: (the CLI's own ``main``, handed in by the CLI so that the demo need not import it).
CommandLine = Callable[[list[str]], int]


def _run(layout: Layout, *argv: str) -> int:
    print("$ liaison " + shlex.join(argv), flush=True)
    code = layout.cli(list(argv))
    if code not in (0, 3) and argv[:2] != ("audit", "verify"):
        raise LiaisonError(f"'liaison {argv[0]} {argv[1] if len(argv) > 1 else ''}' failed")
    return code


def _wait_tcp(port: int, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PartnerUnavailable(f"server on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise PartnerUnavailable(f"server on port {port} did not come up")


def _wait_local(port: int, deadline: float) -> None:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        try:
            grpc.channel_ready_future(channel).result(timeout=max(0.1, deadline - time.monotonic()))
        except grpc.FutureTimeoutError:
            raise PartnerUnavailable(f"local face on port {port} did not come up") from None


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the demo keeps everything, and the ports it uses."""

    base: Path
    broker_port: int
    federation_ports: dict[str, int]
    local_ports: dict[str, int]
    cli: CommandLine

    @property
    def pki(self) -> Path:
        return self.base / "pki"

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def logs(self) -> Path:
        return self.base / "logs"

    @property
    def token_file(self) -> Path:
        """The requester's investigator token (0600), as the operator handed it over."""
        return self.base / REQUESTER / "investigator.token"

    def node_config(self, agency: str) -> str:
        return str(self.base / agency / "node.toml")


def run_demo(
    *, workdir: Path | None, seed: int, persons: int, cli: CommandLine, console: bool = False
) -> int:
    """Run the demo; return 0 if the hits are exactly the planted ones and the audit holds.

    With ``console``, the requester also serves its web console, and the demo
    waits for Ctrl-C after the match before it shuts down.
    """
    started = time.monotonic()
    base = workdir or Path(tempfile.mkdtemp(prefix="liaison-demo-"))
    ports = _free_ports(2 + 2 * len(AGENCIES))
    layout = Layout(
        base,
        ports[0],
        dict(zip(AGENCIES, ports[1 : 1 + len(AGENCIES)], strict=True)),
        dict(zip(AGENCIES, ports[1 + len(AGENCIES) : -1], strict=True)),
        cli,
    )
    layout.logs.mkdir(parents=True, exist_ok=True)
    print(f"demo folder: {base}")
    _certificates(layout)
    _configure(layout)
    tokens: list[Path] = []
    if console:
        _step(f"the {REQUESTER} web console: a certificate, [web] in node.toml, one user per role")
        run = lambda *argv: _run(layout, *argv)  # noqa: E731
        demo_console.issue_certificate(run, layout.pki)
        tokens = demo_console.configure(
            run, Path(layout.node_config(REQUESTER)), layout.pki, ports[-1], "counter-terrorism"
        )
        tokens.insert(0, layout.token_file)
    _step(f"synthetic data (seed {seed}, {persons} persons per agency)")
    federation = with_spelling_variants(
        generate_federation(seed, AGENCIES, persons_per_agency=persons)
    )
    for path in _write(layout.data, federation):
        print(f"wrote {path}")
    # The data owner's records carry a releasable and a source field (docs/input-format.md).
    add_detail_columns(layout.data / f"{OWNER}-{DATASET}.csv")
    _step("daily import at each node")
    for agency in AGENCIES:
        _run(layout,
            "node", "import", "--config", layout.node_config(agency),
            "--dataset", DATASET, "--file", str(layout.data / f"{agency}-{DATASET}.csv"),
        )  # fmt: skip
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes += _start(layout)
        matched = _match(layout, federation)
        _step(f"follow-up: {REQUESTER} asks {OWNER} about a hit; {OWNER}'s officer approves")
        followed = follow_up(
            lambda *argv: _run(layout, *argv),
            base=layout.base,
            node_config=layout.node_config,
            requester=REQUESTER,
            token=layout.token_file,
        )
        audited = _audit(layout)
        if console:
            demo_console.hold(ports[-1], layout.pki, tokens)
    finally:
        _step("shut down")
        stopped = _stop(processes)
    ok = matched and followed and audited and stopped
    elapsed = time.monotonic() - started
    if workdir is None and ok:
        # A temporary folder is the demo's own: gone once it passed (tens of MB).
        shutil.rmtree(base, ignore_errors=True)
        print(
            f"\ndemo finished in {elapsed:.1f} s; its folder is removed (--workdir DIR keeps one)"
        )
    else:
        print(f"\ndemo finished in {elapsed:.1f} s; logs in {layout.logs}")
    return 0 if ok else 1


def _certificates(layout: Layout) -> None:
    _step("federation CA and certificates")
    pki = str(layout.pki)
    _run(layout, "pki", "init", "--dir", pki, "--federation", "demo")
    hosts = ("--host", "127.0.0.1", "--host", "localhost")
    _run(layout, "pki", "issue", "--dir", pki, "--name", "broker", "--role", "broker", *hosts)
    for agency in AGENCIES:
        _run(layout, "pki", "issue", "--dir", pki, "--name", agency, "--role", "node", *hosts)
    _run(layout, "pki", "issue", "--dir", pki, "--name", "auditor", "--role", "auditor")


def _configure(layout: Layout) -> None:
    _step("configuration: one broker, three nodes (SQLite), one auditor")
    broker = f"127.0.0.1:{layout.broker_port}"
    participants = [f"{a}=127.0.0.1:{layout.federation_ports[a]}" for a in AGENCIES]
    _run(layout,
        "broker", "init", "--dir", str(layout.base / "broker"), "--federation", "demo",
        "--listen", broker, "--pki", str(layout.pki), "--purpose", "counter-terrorism",
        *[arg for p in participants for arg in ("--participant", p)],
    )  # fmt: skip
    audit_pub = str(layout.base / "broker" / "audit.pub")
    for agency in AGENCIES:
        _run(layout,
            "node", "init", "--agency", agency, "--dir", str(layout.base / agency),
            "--pki", str(layout.pki),
            "--federation-listen", f"127.0.0.1:{layout.federation_ports[agency]}",
            "--local-listen", f"127.0.0.1:{layout.local_ports[agency]}", "--broker", broker,
            "--broker-audit-key", audit_pub,
            # The node keeps its key sealed under its master key; the plain copy goes.
            "--delete-plain-key",
        )  # fmt: skip
        # Contact points per data category, published signed in the directory.
        with Path(layout.node_config(agency)).open("a", encoding="utf-8") as handle:
            handle.write(contacts_toml(agency))
        # Deny by default: each node agrees to answer the two others.
        for partner in (p for p in AGENCIES if p != agency):
            _run(layout,
                "node", "agreement", "add", partner, "--config", layout.node_config(agency),
                "--datasets", "*", "--purposes", "counter-terrorism",
                "--max-keys-per-query", "10000", "--max-keys-per-day", "100000",
            )  # fmt: skip
    _run(layout,
        "audit", "init", "--dir", str(layout.base / "auditor"), "--pki", str(layout.pki),
        "--broker", broker, "--broker-audit-key", audit_pub,
    )  # fmt: skip
    _step(f"the {REQUESTER} operator issues its investigator a token (stored only as a hash)")
    _run(layout,
        "node", "user", "add", DEMO_INVESTIGATOR, "--role", "investigator",
        "--config", layout.node_config(REQUESTER), "--token-file", str(layout.token_file),
    )  # fmt: skip


def _start(layout: Layout) -> list[subprocess.Popen[bytes]]:
    _step("start the broker and the nodes")
    broker_config = str(layout.base / "broker" / "broker.toml")
    processes = [_spawn(["broker", "serve", "--config", broker_config], layout.logs / "broker.log")]
    deadline = time.monotonic() + STARTUP_TIMEOUT
    # The broker first: a node dials it as it starts (health, its directory
    # entry), and a refused first dial would leave its channel backing off.
    _wait_tcp(layout.broker_port, processes[0], deadline)
    for agency in AGENCIES:
        processes.append(
            _spawn(
                ["node", "serve", "--config", layout.node_config(agency)],
                layout.logs / f"{agency}.log",
            )
        )
    for index, agency in enumerate(AGENCIES, start=1):
        _wait_tcp(layout.federation_ports[agency], processes[index], deadline)
        _wait_local(layout.local_ports[agency], deadline)
    return processes


def _match(layout: Layout, federation: Federation) -> bool:
    _step(f"federated match from {REQUESTER}")
    argv = [
        "match", "--config", layout.node_config(REQUESTER),
        "--case", "DEMO-2026-001", "--purpose", "counter-terrorism",
        "--legal-basis", "demo: synthetic data only", "--file", str(layout.data / "suspects.csv"),
        "--token-file", str(layout.token_file),
    ]  # fmt: skip
    _run(layout, *argv)
    print(
        "(and once more, exact keys only, with --json, to check the hits against the planted"
        " ground truth)"
    )
    result_file = layout.base / "match.json"
    code = _capture_json([*argv, "--min-strength", "exact"], result_file)
    exact = code == 0 and _verify(result_file, federation)
    print("(and with every strength, to check the spelling variants hit as strong as they should)")
    variants_file = layout.base / "match-variants.json"
    code = _capture_json(argv, variants_file)
    return exact and code == 0 and _verify_variants(variants_file, len(federation.suspects))


def _audit(layout: Layout) -> bool:
    _step("audit: each node exports its ledger; the auditor verifies everything")
    ledgers = []
    for agency in AGENCIES:
        ledger = layout.base / "auditor" / f"{agency}-ledger.jsonl"
        _run(layout, "node", "ledger", "export", "--config", layout.node_config(agency),
             "--out", str(ledger))  # fmt: skip
        ledgers += ["--ledger", str(ledger)]
    auditor = str(layout.base / "auditor" / "auditor.toml")
    return _run(layout, "audit", "verify", "--config", auditor, *ledgers) == 0


def _spawn(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    print("$ liaison " + shlex.join(argv) + f"  &  # log: {log}", flush=True)
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "liaison", *argv], stdout=handle, stderr=subprocess.STDOUT
        )


def _capture_json(argv: list[str], result_file: Path) -> int:
    completed = subprocess.run(
        [sys.executable, "-m", "liaison", *argv, "--json"], capture_output=True, check=False
    )
    result_file.write_bytes(completed.stdout)
    return completed.returncode


def _verify(result_file: Path, federation: Federation) -> bool:
    expected: dict[tuple[str, int], set[str]] = defaultdict(set)
    for planted in federation.planted:
        expected[(planted.agency, planted.suspect_row)] |= set(planted.kinds)
    result = json.loads(result_file.read_text())
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for partner in result["results"]:
        for hit in partner["hits"]:
            found[(partner["agency"], hit["row"])] |= set(hit["keys"])
    missing = {k: v - found.get(k, set()) for k, v in expected.items() if v - found.get(k, set())}
    unexpected = {
        k: v - expected.get(k, set()) for k, v in found.items() if v - expected.get(k, set())
    }
    if missing or unexpected:
        print(f"MISMATCH: missing {missing}, unexpected {unexpected}")
        return False
    print(
        f"verified: all {len(expected)} planted (suspect, partner) hits found with the expected "
        "key kinds, and no other hit"
    )
    return True


def _verify_variants(result_file: Path, suspects: int) -> bool:
    first = suspects - len(SPELLING_VARIANTS)
    result = json.loads(result_file.read_text())
    strengths = {
        (partner["agency"], hit["row"]): hit["strength"]
        for partner in result["results"]
        for hit in partner["hits"]
    }
    wrong = []
    for offset, variant in enumerate(SPELLING_VARIANTS):
        got = strengths.get((variant.agency, first + offset))
        line = (
            f"  {variant.suspect.full_name} / {variant.record.full_name} at {variant.agency}: "
            f"{got or 'no hit'} (expected {variant.strength.value})"
        )
        print(line)
        if got != variant.strength.value:
            wrong.append(line)
    if wrong:
        print("MISMATCH in spelling variants")
        return False
    print(
        f"verified: all {len(SPELLING_VARIANTS)} spelling variants hit with the expected strength"
    )
    return True


def _stop(processes: list[subprocess.Popen[bytes]]) -> bool:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    clean = True
    for process in processes:
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        clean = clean and code == 0
    print("all servers stopped cleanly" if clean else "a server did not stop cleanly")
    return clean
