"""`unionfacts run` without a configured Prefect API starts a temporary server itself, before
importing Prefect (unionfacts/temporary_server.py): on 127.0.0.1, answered before a flow runs,
stopped with the command; a configured API (environment or profile) is used instead."""

from __future__ import annotations

import socket

import pytest

from unionfacts import temporary_server


@pytest.fixture
def no_api(monkeypatch, tmp_path):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    return tmp_path / "prefect"


def test_a_temporary_server_answers_on_loopback_and_stops(no_api, monkeypatch):
    server = temporary_server.start_unless_configured()
    assert server is not None
    try:
        import os

        assert os.environ["PREFECT_API_URL"] == server.api_url
        assert server.api_url.startswith("http://127.0.0.1:")
        server.wait_until_ready()
        assert temporary_server.healthy(server.port)
        with socket.socket() as s:  # it listens on loopback only: not on the machine's other addresses
            s.settimeout(1)
            other = socket.gethostbyname(socket.gethostname())
            if not other.startswith("127."):
                assert s.connect_ex((other, server.port)) != 0
    finally:
        server.stop()
    assert server.process is None and not temporary_server.healthy(server.port)


@pytest.mark.parametrize(
    "profiles,env,expected",
    [
        (
            'active = "work"\n[profiles.work]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n',
            {},
            "http://127.0.0.1:4200/api",
        ),
        (
            'active = "work"\n[profiles.work]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n[profiles.local]\n',
            {"PREFECT_PROFILE": "local"},
            None,
        ),
        (
            'active = "local"\n[profiles.local]\n',
            {"PREFECT_API_URL": "http://127.0.0.1:4300/api"},
            "http://127.0.0.1:4300/api",
        ),
        ("not toml [", {}, None),
    ],
)
def test_a_configured_api_is_used_instead(no_api, monkeypatch, profiles, env, expected):
    no_api.mkdir()
    (no_api / "profiles.toml").write_text(profiles, encoding="utf-8")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert temporary_server.configured_api_url() == expected
    if expected:
        assert temporary_server.start_unless_configured() is None


def test_a_server_that_cannot_start_is_a_clear_error(no_api, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", "/dev/null/not-a-folder")  # its database cannot be created
    server = temporary_server.start_unless_configured()
    try:
        with pytest.raises(RuntimeError, match="temporary Prefect server"):
            server.wait_until_ready(seconds=60)
    finally:
        server.stop()
