"""The auditor's configuration is read as strictly as the node's and the broker's."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison.auditing.auditor import load_auditor_config, render_auditor_config
from liaison.core.errors import ConfigError


def test_a_misspelled_auditor_key_is_refused_naming_the_nearest(tmp_path: Path) -> None:
    text = render_auditor_config(
        broker="127.0.0.1:7000",
        broker_audit_key="audit.pub",
        ca="ca.pem",
        cert="a.pem",
        key="a.key",
    )
    path = tmp_path / "auditor.toml"
    path.write_text(text.replace("[auditor]\n", "[auditor]\ntimeout = 5\n"))
    with pytest.raises(
        ConfigError, match=r"\[auditor\] timeout: unknown key; did you mean 'timeout_s'"
    ):
        load_auditor_config(path)
    path.write_text(text)
    assert load_auditor_config(path).broker == "127.0.0.1:7000"
