"""Stream keys: a type that never shows itself, the one place the real URL is built, scrubbing
of every message, and storage (the system keyring when it works, else a 0600 file).

A stream key is a password: anyone holding it can broadcast on the user's channel. So it is kept
in `StreamKey`, whose str/repr/format are masked, and only `join_url` puts it into text, for the
connection itself. FFmpeg and the OS echo URLs in their errors, so each message passes `scrub`.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

from studio.live.errors import LiveError

KEYRING_SERVICE = "studio-live"
MASK = "••••"


def mask(value: str) -> str:
    """'••••' and at most the last 2 characters, and those only when the key is long enough that
    they give nothing away."""
    return MASK + value[-2:] if len(value) >= 12 else MASK


class StreamKey:
    """A stream key. Shows as '••••xy' everywhere; `reveal()` is the only way to the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str | StreamKey):
        value = value.reveal() if isinstance(value, StreamKey) else str(value).strip()
        if not value:
            raise LiveError("the stream key is empty")
        if any(c.isspace() for c in value) or "/" in value:
            raise LiveError(f"the stream key {mask(value)} contains spaces or '/': copy it again from the platform")
        object.__setattr__(self, "_value", value)

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return mask(self._value)

    __repr__ = lambda self: f"StreamKey({mask(self._value)!r})"  # noqa: E731

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other) -> bool:
        return isinstance(other, StreamKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("StreamKey", self._value))

    def __reduce__(self):  # pickling would put the key into some file sooner or later
        raise TypeError("a StreamKey is not pickled")

    def __setattr__(self, name, value):
        raise AttributeError("a StreamKey cannot be changed")


def join_url(url: str, key: StreamKey | str) -> str:
    """The real ingest address: `url` + '/' + key, or the key put in place of '{key}' (SRT ingests
    take it as `?streamid={key}`). Only for opening the connection; never show or store it."""
    value = key.reveal() if isinstance(key, StreamKey) else str(key)
    if "{key}" in url:
        return url.replace("{key}", value)
    return url.rstrip("/") + "/" + value


def scrub(text: object, *keys: StreamKey | str | None) -> str:
    """`text` with each key (also URL-quoted, as FFmpeg may print it) replaced by its mask."""
    out = str(text)
    for key in keys:
        if key is None:
            continue
        value = key.reveal() if isinstance(key, StreamKey) else str(key)
        if not value:
            continue
        for form in {value, quote(value, safe=""), quote(value)}:
            out = out.replace(form, mask(value))
    return out


def key_from_env(var: str) -> StreamKey | None:
    value = os.environ.get(var, "").strip()
    return StreamKey(value) if value else None


def read_key_file(path: str | os.PathLike) -> StreamKey:
    """A key kept in a file (first non-empty line), for `--key-file`; the file is not echoed."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise LiveError(f"{p.name}: cannot read the stream key file ({exc.strerror or exc})") from None
    for line in text.splitlines():
        if line.strip():
            return StreamKey(line)
    raise LiveError(f"{p.name}: the stream key file is empty")


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "studio"


def keys_file() -> Path:
    return config_dir() / "stream_keys.json"


def _keyring():
    """The keyring module when it is installed and has a real backend, else None (headless Linux
    often has only the 'fail' backend, which would raise on every call)."""
    try:
        import keyring
        from keyring.backends import fail
    except Exception:
        return None
    try:
        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
    except Exception:
        return None
    return keyring


def save_key(name: str, key: StreamKey | str) -> str:
    """Store `key` under `name`; returns where it went ('keyring' or the file's path)."""
    key = StreamKey(key)
    ring = _keyring()
    if ring is not None:
        try:
            ring.set_password(KEYRING_SERVICE, name, key.reveal())
            return "keyring"
        except Exception:  # a locked or broken backend: the file below still works
            pass
    path = keys_file()
    data = _read_keys(path)
    data[name] = key.reveal()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp creates the file 0600, so the key is never readable by others, not even briefly.
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return str(path)


def load_key(name: str) -> StreamKey | None:
    ring = _keyring()
    if ring is not None:
        try:
            value = ring.get_password(KEYRING_SERVICE, name)
        except Exception:
            value = None
        if value:
            return StreamKey(value)
    value = _read_keys(keys_file()).get(name)
    return StreamKey(value) if value else None


def _read_keys(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
