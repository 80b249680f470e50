"""Stream keys never show themselves, and are stored only where the user's secrets belong."""
from __future__ import annotations

import secrets
import stat

import pytest

from studio.live import LiveError, StreamKey, join_url, load_key, save_key, scrub
from studio.live.secrets import key_from_env, keys_file, read_key_file


def test_a_key_shows_masked_everywhere():
    value = secrets.token_urlsafe(24)
    key = StreamKey(value)
    for text in (str(key), repr(key), f"{key}", f"{key:>40}", "%s" % key, str([key])):
        assert value not in text and "••••" in text
    assert str(key) == "••••" + value[-2:]
    assert str(StreamKey("short")) == "••••"
    assert key.reveal() == value and StreamKey(key) == key
    with pytest.raises(TypeError):
        __import__("pickle").dumps(key)


def test_join_url_and_scrub():
    key = StreamKey("live_123_abc/".rstrip("/") + "x" * 10)
    assert join_url("rtmp://a.example/app/", key) == "rtmp://a.example/app/" + key.reveal()
    assert join_url("srt://h:9000?streamid={key}", key) == "srt://h:9000?streamid=" + key.reveal()
    message = f"Error opening rtmp://a.example/app/{key.reveal()}: refused"
    assert key.reveal() not in scrub(message, key)
    assert scrub("nothing secret", key) == "nothing secret"
    with pytest.raises(LiveError):
        StreamKey("  ")


def test_save_and_load(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    value = secrets.token_hex(20)
    where = save_key("tiktok", value)
    assert load_key("tiktok").reveal() == value and load_key("youtube") is None
    if where != "keyring":  # no keyring module/backend here: the private file
        path = keys_file()
        assert where == str(path) and stat.S_IMODE(path.stat().st_mode) == 0o600
        assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_key_file_and_env(tmp_path, monkeypatch):
    f = tmp_path / "key.txt"
    f.write_text("\n  abcdefghijklmnop  \n")
    assert read_key_file(f).reveal() == "abcdefghijklmnop"
    with pytest.raises(LiveError) as info:
        read_key_file(tmp_path / "missing.txt")
    assert "missing.txt" in str(info.value)
    monkeypatch.setenv("STUDIO_TEST_KEY", "zyxwvutsrqponm")
    assert key_from_env("STUDIO_TEST_KEY").reveal() == "zyxwvutsrqponm"
    assert key_from_env("STUDIO_NO_SUCH_VAR") is None
