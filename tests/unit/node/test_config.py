"""Node configuration: what `node init` writes loads, and errors name file and key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from liaison.core.errors import ConfigError
from liaison.crypto.directory_entry import ContactPoint
from liaison.node.config import load_node_config, render_node_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "node.toml"
    path.write_text(text)
    return path


BASE: dict[str, Any] = {
    "agency": "FR",
    "federation_listen": "0.0.0.0:7001",
    "local_listen": "127.0.0.1:7101",
    "broker": "broker.example:7000",
    "ca": "pki/ca.pem",
    "cert": "pki/FR.pem",
    "key": "pki/FR.key",
}


def rendered(**overrides: str | bool) -> str:
    values: dict[str, Any] = {
        "agency": "FR",
        "federation_listen": "0.0.0.0:7001",
        "local_listen": "127.0.0.1:7101",
        "broker": "broker.example:7000",
        "ca": "pki/ca.pem",
        "cert": "pki/FR.pem",
        "key": "pki/FR.key",
    }
    values.update(overrides)
    return render_node_config(**values)


def test_rendered_config_loads_with_defaults_beside_the_file(tmp_path: Path) -> None:
    config = load_node_config(write(tmp_path, rendered()))
    assert config.agency == "FR"
    assert config.federation_listen == "0.0.0.0:7001"
    assert config.database == f"sqlite:///{tmp_path.resolve() / 'node.db'}"
    assert config.master_key == tmp_path.resolve() / "master.key"
    assert config.tls.cert == tmp_path.resolve() / "pki" / "FR.pem"


def test_a_new_config_holds_no_agreement() -> None:
    # Deny by default: no wildcard partner, no agreement of any kind.
    assert "agreements" not in tomllib.loads(rendered())


def test_environment_overrides_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIAISON_NODE_DATABASE", "postgresql+psycopg://db/liaison")
    monkeypatch.setenv("LIAISON_NODE_MAX_KEYS_PER_QUERY", "250")
    config = load_node_config(write(tmp_path, rendered()))
    assert config.database == "postgresql+psycopg://db/liaison"
    assert config.max_keys_per_query == 250


def test_local_face_must_be_loopback(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[node\] local_listen: must be a loopback"):
        load_node_config(write(tmp_path, rendered(local_listen="0.0.0.0:7101")))


def test_missing_key_is_named(tmp_path: Path) -> None:
    text = rendered().replace('broker = "broker.example:7000"\n', "")
    with pytest.raises(ConfigError, match=r"node.toml: \[node\] broker: missing"):
        load_node_config(write(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[node\n", "not valid TOML"),
        ('[node]\nagency = "F R"\n', "not a valid agency code"),
        ("node = 3\n", r"\[node\] must be a table"),
    ],
)
def test_malformed_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_node_config(write(tmp_path, text))


def test_an_old_agreements_section_is_refused_not_ignored(tmp_path: Path) -> None:
    text = rendered() + '\n[[agreements]]\npartner = "*"\n'
    with pytest.raises(ConfigError, match=r"no longer read.*liaison node agreement add"):
        load_node_config(write(tmp_path, text))


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_node_config(tmp_path / "absent.toml")


def test_local_request_bounds_default_and_are_configurable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_node_config(write(tmp_path, rendered()))
    assert (config.local_max_request_bytes, config.local_max_rows) == (4 * 1024 * 1024, 10_000)
    monkeypatch.setenv("LIAISON_NODE_LOCAL_MAX_ROWS", "500")
    monkeypatch.setenv("LIAISON_NODE_LOCAL_MAX_REQUEST_BYTES", "65536")
    config = load_node_config(write(tmp_path, rendered()))
    assert (config.local_max_request_bytes, config.local_max_rows) == (65536, 500)
    monkeypatch.setenv("LIAISON_NODE_LOCAL_MAX_ROWS", "0")
    with pytest.raises(ConfigError, match="local_max_rows"):
        load_node_config(write(tmp_path, rendered()))


def test_a_sealed_key_is_read_from_sealed_key(tmp_path: Path) -> None:
    config = load_node_config(write(tmp_path, rendered(key="agency.key.sealed", key_sealed=True)))
    assert config.tls.sealed
    assert config.tls.key == tmp_path.resolve() / "agency.key.sealed"
    assert "sealed_key" in tomllib.loads(rendered(key="k", key_sealed=True))["tls"]
    plain = load_node_config(write(tmp_path, rendered()))
    assert not plain.tls.sealed and plain.tls.key == tmp_path.resolve() / "pki" / "FR.key"


def test_key_and_sealed_key_together_are_refused(tmp_path: Path) -> None:
    text = rendered() + 'sealed_key = "agency.key.sealed"\n'
    with pytest.raises(ConfigError, match=r"\[tls\] key: set key or sealed_key, not both"):
        load_node_config(write(tmp_path, text))


def test_the_watch_poll_interval_is_off_or_at_least_a_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_node_config(write(tmp_path, rendered()))
    assert (config.watch_poll_s, config.watch_retry_s) == (300.0, 3600.0)
    for value, expected in (("0", 0.0), ("60", 60.0)):
        monkeypatch.setenv("LIAISON_NODE_WATCH_POLL_S", value)
        assert load_node_config(write(tmp_path, rendered())).watch_poll_s == expected
    monkeypatch.setenv("LIAISON_NODE_WATCH_POLL_S", "0.5")
    with pytest.raises(ConfigError, match="watch_poll_s"):
        load_node_config(write(tmp_path, rendered()))


def test_without_a_web_section_there_is_no_console(tmp_path: Path) -> None:
    assert load_node_config(write(tmp_path, rendered())).web is None


def test_the_web_section_loads_with_paths_beside_the_file(tmp_path: Path) -> None:
    web = '\n[web]\nlisten = "10.1.2.3:7443"\ncert = "web/c.pem"\nkey = "web/c.key"\n'
    purposes = 'purposes = ["counter-terrorism", "fraud"]\nsession_minutes = 5\n'
    config = load_node_config(write(tmp_path, rendered() + web + purposes))
    assert config.web is not None
    assert config.web.listen == "10.1.2.3:7443"
    assert config.web.cert == tmp_path.resolve() / "web" / "c.pem"
    assert config.web.purposes == ("counter-terrorism", "fraud")
    assert config.web.session_minutes == 5


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('listen = "0.0.0.0:7001"\ncert = "c"\nkey = "k"', r"\[web\] listen: must not be the fed"),
        ('listen = "127.0.0.1:7443"\nkey = "k"', r"\[web\] cert"),
        ('listen = "nowhere"\ncert = "c"\nkey = "k"', r"\[web\] listen"),
        ('listen = "127.0.0.1:1"\ncert = "c"\nkey = "k"\nsession_minutes = 0', "session_minutes"),
    ],
)
def test_a_bad_web_section_is_refused_naming_the_key(
    tmp_path: Path, lines: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_node_config(write(tmp_path, rendered() + "\n[web]\n" + lines + "\n"))


def test_a_misspelled_key_is_refused_naming_the_nearest(tmp_path: Path) -> None:
    text = rendered().replace("[node]\n", '[node]\ndatabse = "sqlite:///x.db"\n')
    with pytest.raises(
        ConfigError, match=r"\[node\] databse: unknown key; did you mean 'database'"
    ):
        load_node_config(write(tmp_path, text))


def test_a_misspelled_section_is_refused_naming_the_nearest(tmp_path: Path) -> None:
    text = rendered() + '\n[tsl]\nca = "ca.pem"\n'
    with pytest.raises(ConfigError, match=r"\[tsl\]: unknown section; did you mean 'tls'"):
        load_node_config(write(tmp_path, text))


def test_a_misspelled_required_key_is_named_with_the_missing_one(tmp_path: Path) -> None:
    text = rendered().replace("agency = ", "agncy = ")
    with pytest.raises(ConfigError, match=r"\[node\] agency: missing \(is 'agncy' a misspelling"):
        load_node_config(write(tmp_path, text))


def test_an_unknown_environment_override_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIAISON_NODE_DATABSE", "sqlite:///x.db")
    with pytest.raises(
        ConfigError,
        match=r"^LIAISON_NODE_DATABSE \(environment\): not a key of \[node\] .*"
        r"did you mean 'LIAISON_NODE_DATABASE'",
    ):
        load_node_config(write(tmp_path, rendered()))


def test_a_bad_environment_override_is_blamed_on_the_environment_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIAISON_NODE_MAX_KEYS_PER_QUERY", "many")
    path = write(tmp_path, rendered())
    with pytest.raises(ConfigError) as raised:
        load_node_config(path)
    assert str(raised.value) == (
        "LIAISON_NODE_MAX_KEYS_PER_QUERY (environment, overriding [node] max_keys_per_query "
        f"of {path}): must be an integer"
    )


def test_an_unknown_web_key_is_refused_naming_the_nearest(tmp_path: Path) -> None:
    web = '\n[web]\nlisten = "127.0.0.1:7443"\ncert = "c"\nkey = "k"\nsesion_minutes = 5\n'
    with pytest.raises(ConfigError, match=r"\[web\] sesion_minutes: unknown key; did you mean"):
        load_node_config(write(tmp_path, rendered() + web))


def test_contact_points_are_read_from_contacts_tables(tmp_path: Path) -> None:
    desk = ContactPoint("watchlist", "FR desk", phone="+33 1", languages=("fr", "en"), hours="24/7")
    path = tmp_path / "node.toml"
    path.write_text(
        render_node_config(**{**BASE, "contacts": (desk, ContactPoint("*", "FR intl"))})
    )
    assert load_node_config(path).contacts == (desk, ContactPoint("*", "FR intl"))
    path.write_text(rendered() + '[[contacts]]\ncategory = "*"\nunit = ""\n')
    with pytest.raises(ConfigError, match=r"\[contacts #1\] unit"):
        load_node_config(path)


def test_logging_metrics_and_health_settings_default_to_quiet_and_off(tmp_path: Path) -> None:
    config = load_node_config(write(tmp_path, rendered()))
    assert (config.log_level, config.metrics_listen, config.metrics_textfile) == (20, None, None)
    assert config.health_interval_s == 10.0


def test_metrics_listen_must_be_loopback(tmp_path: Path) -> None:
    text = rendered().replace("[node]\n", '[node]\nmetrics_listen = "0.0.0.0:9101"\n')
    with pytest.raises(ConfigError, match=r"\[node\] metrics_listen: must be a loopback"):
        load_node_config(write(tmp_path, text))
    text = rendered().replace(
        "[node]\n", '[node]\nmetrics_listen = "127.0.0.1:9101"\nlog_level = "debug"\n'
    )
    config = load_node_config(write(tmp_path, text))
    assert (config.metrics_listen, config.log_level) == ("127.0.0.1:9101", 10)


def test_an_unknown_log_level_is_refused_naming_the_key(tmp_path: Path) -> None:
    text = rendered().replace("[node]\n", '[node]\nlog_level = "loud"\n')
    with pytest.raises(ConfigError, match=r"\[node\] log_level"):
        load_node_config(write(tmp_path, text))
