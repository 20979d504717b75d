"""The demo with the requester's web console (``make demo CONSOLE=1``).

The requesting node gets a ``[web]`` section (a certificate from the demo's
CA for 127.0.0.1 and localhost), one user of each role with its token in a
0600 file, and after the scripted match the demo prints the console's
address and keeps the federation running until Ctrl-C.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

#: The console's certificate name in the demo's PKI folder.
CONSOLE_CERT = "console"
#: The users the demo issues at the requester beside its investigator.
CONSOLE_USERS = (("officer@fr", "officer"), ("operator@fr", "operator"), ("auditor@fr", "auditor"))

Run = Callable[..., int]


def issue_certificate(run: Run, pki: Path) -> None:
    """Issue the console's TLS certificate (demo CA, loopback names)."""
    run("pki", "issue", "--dir", str(pki), "--name", CONSOLE_CERT, "--role", "node",
        "--host", "127.0.0.1", "--host", "localhost")  # fmt: skip


def configure(run: Run, config: Path, pki: Path, port: int, purpose: str) -> list[Path]:
    """Add ``[web]`` to the requester's node.toml; issue the other roles; return token files."""
    with config.open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n[web]\nlisten = "127.0.0.1:{port}"\n'
            f'cert = "{pki / (CONSOLE_CERT + ".pem")}"\nkey = "{pki / (CONSOLE_CERT + ".key")}"\n'
            f'purposes = ["{purpose}"]\n'
        )
    tokens = []
    for name, role in CONSOLE_USERS:
        token = config.parent / f"{role}.token"
        run("node", "user", "add", name, "--role", role, "--config", str(config),
            "--token-file", str(token))  # fmt: skip
        tokens.append(token)
    return tokens


def hold(port: int, pki: Path, tokens: list[Path]) -> None:
    """Print how to reach the console and wait for Ctrl-C."""
    print(f"\nweb console: https://127.0.0.1:{port}/  (CA certificate: {pki / 'ca.pem'})")
    for token in tokens:
        print(f"  log in with the token in {token}")
    print("the federation keeps running; press Ctrl-C to stop it", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print()
