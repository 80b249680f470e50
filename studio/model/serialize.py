"""Project files: JSON with a schema version, an upgrade path, media paths relative to the file,
and validation that names the bad field and value."""
from __future__ import annotations

import dataclasses
import json
import os
import stat
import tempfile
import typing
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import ProjectError, show_frames, show_value as _shown
from .fields import Field
from .items import (EFFECT_REF_FIELDS, KEY_FIELDS, KEYFRAME_FIELDS, WORD_FIELDS, Clip, EffectRef, Keyframe, WordTime,
                    is_library_ref)
from .keys import Key
from .kinds import find_kind, item_kinds, key_problem, kind_of
from .live_scene import live_from_dict, live_to_dict
from .timeline import MARKER_FIELDS, METADATA_FIELDS, TRACK_KINDS, Marker, Metadata, Project, Timeline, Track
from .upgrade import CURRENT_VERSION, file_fps, upgrade

SCHEMA = "studio.project"
# records inside items and projects, declared next to their dataclasses (items declare theirs in their kind)
RECORD_FIELDS = {Keyframe: KEYFRAME_FIELDS, Key: KEY_FIELDS, EffectRef: EFFECT_REF_FIELDS, WordTime: WORD_FIELDS,
                 Metadata: METADATA_FIELDS, Marker: MARKER_FIELDS}
TRACK_FIELDS = {"kind", "name", "muted", "hidden", "items"}
PROJECT_FIELDS = {"schema", "version", "name", "width", "height", "fps", "metadata", "timeline", "markers", "live"}
MAX_PROJECT_SECONDS = 60 * 60  # TikTok's longest upload; the soundtrack is mixed in memory (~70 MB a minute)
MIN_SIDE, MAX_SIDE = 16, 7680   # canvas pixels: up to 8K
MAX_FILE_BYTES = 64 * 1024 * 1024  # a project is JSON text: even thousands of items are a few MB


# ---------------------------------------------------------------- writing

def _value_to_json(value: Any) -> Any:
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if isinstance(value, (tuple, list)):
        return [_value_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _value_to_json(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # a record: a keyframe, an effect
        return {k: _value_to_json(v) for k, v in dataclasses.asdict(value).items()}
    return value


def _default(f: dataclasses.Field) -> Any:
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default


def _relative(path: str, base: Path | None) -> str:
    if base is None or is_library_ref(path):
        return path
    # in memory a media path is absolute, or relative to the working folder (as typed on a command
    # line): either way it is stored relative to the project file, so the file still finds it
    path = os.path.abspath(path)
    try:
        rel = os.path.relpath(path, base).replace(os.sep, "/")
    except ValueError:  # another drive on Windows: keep it absolute
        return path
    # "face" would read back as a library id: a file beside the project is written "./face"
    return f"./{rel}" if is_library_ref(rel) else rel


def project_to_dict(project: Project, base_dir: Path | None = None) -> dict:
    """Plain JSON data; absolute media paths become relative to base_dir."""
    tracks = []
    for track in project.timeline.tracks:
        items = []
        for item in track.items:
            kind = kind_of(item)
            data = {"type": kind.name}
            for f in dataclasses.fields(item):  # in the dataclass's order: the file's layout
                value = getattr(item, f.name)
                spec = kind.field(f.name)
                if spec.omit_default and value == _default(f):
                    continue
                if spec.type == "media":
                    value = _relative(value, base_dir)
                data[f.name] = _value_to_json(value)
            items.append(data)
        tracks.append({"kind": track.kind, "name": track.name, "muted": track.muted, "hidden": track.hidden,
                       "items": items})
    return {
        "schema": SCHEMA,
        "version": CURRENT_VERSION,
        "name": project.name,
        "width": project.width,
        "height": project.height,
        "fps": _value_to_json(project.fps),
        "metadata": {k: _value_to_json(v) for k, v in dataclasses.asdict(project.metadata).items()},
        "timeline": {"tracks": tracks},
        # left out when there are none, so files without markers stay as older Studios wrote them
        **({"markers": [_value_to_json(m) for m in project.markers]} if project.markers else {}),
        **({"live": live_to_dict(project.live, lambda p: _relative(p, base_dir))} if project.live is not None else {}),
    }


def save_project(project: Project, path: str | os.PathLike) -> Path:
    """Write atomically (temp file + rename) so a crash mid-save never leaves half a project."""
    path = Path(path).resolve()
    text = json.dumps(project_to_dict(project, path.parent), indent=2, ensure_ascii=False) + "\n"
    # an exclusively created, randomly named temp file: a link planted at a guessable name is not followed
    fd, name = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with open(fd, "w", encoding="utf-8") as f:
            try:  # the saved project keeps the rights the file had (mkstemp makes it private)
                os.fchmod(fd, os.stat(path).st_mode & 0o777)
            except FileNotFoundError:
                os.fchmod(fd, 0o644)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())  # the data must be on disk before the rename makes it the project
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------- reading

# values outside items and records: only the rules every text or number obeys
_NAME, _MUTED, _HIDDEN = Field("name", "text"), Field("muted", "bool"), Field("hidden", "bool")
_CANVAS_SIDE = Field("canvas", "int")  # its range is checked by canvas_side


class _Reader:
    """Validates while converting; every error names the JSON path of the bad field."""

    def __init__(self, base_dir: Path | None):
        self.base_dir = base_dir

    def fail(self, where: str, problem: str, value: Any) -> typing.NoReturn:
        where = where.encode("unicode_escape").decode("ascii") if not where.isprintable() else where
        raise ProjectError(f"{where}: {problem}, got {_shown(value)}")

    def number(self, where: str, spec: Field, value: Any, kind: type) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(where, f"must be a {'whole number' if kind is int else 'number'}", value)
        if kind is Fraction:
            try:
                result = Fraction(value).limit_denominator(100000) if isinstance(value, float) else Fraction(value)
            except (ValueError, ZeroDivisionError, OverflowError):
                self.fail(where, "must be a number or a fraction like 30000/1001", value)
        elif kind is int:
            if not isinstance(value, int):
                self.fail(where, "must be a whole number", value)
            result = value
        else:
            if isinstance(value, str):
                self.fail(where, "must be a number", value)
            try:
                result = float(value)
            except OverflowError:
                self.fail(where, "must be a finite number", value)
            if result != result or result in (float("inf"), float("-inf")):
                self.fail(where, "must be a finite number", value)
        problem = spec.problem(result)
        if problem:
            self.fail(where, problem, value)
        return result

    def field(self, where: str, spec: Field, hint: Any, value: Any) -> Any:
        """`value` as the dataclass attribute typed `hint`, checked against its declaration `spec`."""
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin is typing.Union or (origin is not None and type(None) in args):
            if value is None and type(None) in args:
                return None
            hint = next(a for a in args if a is not type(None))
            origin, args = typing.get_origin(hint), typing.get_args(hint)
        if hint in (int, float, Fraction):
            return self.number(where, spec, value, hint)
        if hint is bool:
            if not isinstance(value, bool):
                self.fail(where, "must be true or false", value)
            return value
        if hint is str:
            if not isinstance(value, str):
                self.fail(where, "must be text", value)
            problem = spec.problem(value)
            if problem:
                self.fail(where, problem, value)
            if spec.type == "media":
                # a bare name is a library id, unless a file of that name lies beside the project
                # (a clip named "face" with no extension, from a hand-written file)
                if self.base_dir is not None and not os.path.isabs(value) and (
                        not is_library_ref(value) or os.path.isfile(self.base_dir / value)):
                    try:
                        value = str((self.base_dir / value).resolve())
                    except (OSError, ValueError, RuntimeError):  # a NUL byte, a symlink loop (RuntimeError)
                        self.fail(where, "is not a usable file path", value)
            if spec.type == "id" and not value:
                self.fail(where, "must not be empty", value)
            return value
        if origin is tuple:
            if not isinstance(value, list):
                self.fail(where, "must be a list", value)
            inner = args[0]
            return tuple(self.field(f"{where}[{i}]", spec, inner, v) for i, v in enumerate(value))
        if origin is dict:
            if not isinstance(value, dict):
                self.fail(where, "must be an object", value)
            return dict(value)
        if dataclasses.is_dataclass(hint):
            return self.dataclass(where, hint, value)
        raise ProjectError(f"{where}: unsupported field type {hint}")  # a programming error, still one line

    def dataclass(self, where: str, cls: type, data: Any, skip: tuple[str, ...] = ()) -> Any:
        if not isinstance(data, dict):
            self.fail(where, "must be an object", data)
        declared = {f.name: f for f in (RECORD_FIELDS[cls] if cls in RECORD_FIELDS else kind_of(cls).fields)}
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = set(data) - set(fields) - set(skip) - {"type"}
        if unknown:
            self.fail(f"{where}.{sorted(unknown)[0]}", "is not a known field", data[sorted(unknown)[0]])
        kwargs = {}
        for name, f in fields.items():
            if name not in data:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    raise ProjectError(f"{where}.{name}: is required but missing")
                continue
            kwargs[name] = self.field(f"{where}.{name}", declared[name], hints[name], data[name])
        return cls(**kwargs)

    def project(self, data: dict) -> Project:
        unknown = sorted(set(data) - PROJECT_FIELDS)
        if unknown:
            self.fail(unknown[0], "is not a known field", data[unknown[0]])
        timeline = data.get("timeline")
        if not isinstance(timeline, dict):
            self.fail("timeline", "must be an object with a list of tracks", timeline)
        if not isinstance(timeline.get("tracks"), list):
            self.fail("timeline.tracks", "must be a list of tracks", timeline.get("tracks"))
        tracks = []
        seen_ids: set[str] = set()
        for ti, tdata in enumerate(timeline["tracks"]):
            where = f"timeline.tracks[{ti}]"
            if not isinstance(tdata, dict):
                self.fail(where, "must be an object", tdata)
            unknown = sorted(set(tdata) - TRACK_FIELDS)
            if unknown:
                self.fail(f"{where}.{unknown[0]}", "is not a known field", tdata[unknown[0]])
            kind = tdata.get("kind")
            if kind not in TRACK_KINDS:
                self.fail(f"{where}.kind", f"must be one of {', '.join(TRACK_KINDS)}", kind)
            items = []
            raw_items = tdata.get("items", [])
            if not isinstance(raw_items, list):
                self.fail(f"{where}.items", "must be a list", raw_items)
            for ii, idata in enumerate(raw_items):
                iwhere = f"{where}.items[{ii}]"
                item_kind = find_kind(idata.get("type")) if isinstance(idata, dict) else None
                if item_kind is None:
                    self.fail(f"{iwhere}.type", f"must be one of {', '.join(k.name for k in item_kinds())}",
                              idata.get("type") if isinstance(idata, dict) else idata)
                item = self.dataclass(iwhere, item_kind.cls, idata)
                if item_kind.track != kind:
                    self.fail(f"{iwhere}.type", f"cannot be on a {kind} track", idata["type"])
                if item.id in seen_ids:
                    self.fail(f"{iwhere}.id", "is used twice", item.id)
                problem = key_problem(item)
                if problem:
                    self.fail(f"{iwhere}.keys", problem.removeprefix("keys: "), idata.get("keys"))
                if isinstance(item, Clip) and item.source_frames is not None \
                        and item.source_in + item.source_span > item.source_frames:
                    needed = item.source_in + item.source_span
                    self.fail(f"{iwhere}.duration", f"needs {show_frames(needed)} source frames but the source has "
                              f"{item.source_frames}", item.duration)
                seen_ids.add(item.id)
                items.append(item)
            items.sort(key=lambda i: i.start)
            for a, b in zip(items, items[1:]):
                if a.end > b.start:
                    raise ProjectError(f"{where}: items {a.id!r} and {b.id!r} overlap (frames {b.start}..{a.end})")
            tracks.append(Track(kind, tuple(items), name=self.field(f"{where}.name", _NAME, str, tdata.get("name", "")),
                                muted=self.field(f"{where}.muted", _MUTED, bool, tdata.get("muted", False)),
                                hidden=self.field(f"{where}.hidden", _HIDDEN, bool, tdata.get("hidden", False))))
        name = data.get("name", "Untitled")
        if not isinstance(name, str):
            self.fail("name", "must be text", name)
        metadata = self.dataclass("metadata", Metadata, data.get("metadata", {}))
        markers = data.get("markers", [])
        if not isinstance(markers, list):
            self.fail("markers", "must be a list", markers)
        markers = tuple(sorted((self.dataclass(f"markers[{i}]", Marker, m) for i, m in enumerate(markers)),
                               key=lambda m: m.frame))
        project = Project(
            name=self.field("name", _NAME, str, name),
            width=self.canvas_side("width", data.get("width", 1080)),
            height=self.canvas_side("height", data.get("height", 1920)),
            fps=file_fps(data.get("fps", 30)),
            timeline=Timeline(tuple(tracks)),
            metadata=metadata,
            markers=markers,
            live=None if data.get("live") is None else live_from_dict(data["live"], self),
        )
        if project.duration > MAX_PROJECT_SECONDS * project.fps:
            last = max(project.timeline.all_items(), key=lambda i: i.end)
            raise ProjectError(f"item {last.id!r} ends at {float(last.end / project.fps) / 60:.0f} min; "
                               f"a project may be at most {MAX_PROJECT_SECONDS // 60} min long")
        return project

    def canvas_side(self, where: str, value: Any) -> int:
        side = self.number(where, _CANVAS_SIDE, value, int)
        if not MIN_SIDE <= side <= MAX_SIDE:
            self.fail(where, f"must be from {MIN_SIDE} to {MAX_SIDE} pixels", value)
        return side


def project_from_dict(data: Any, base_dir: Path | None = None) -> Project:
    if not isinstance(data, dict):
        raise ProjectError(f"project: must be a JSON object, got {type(data).__name__}")
    if data.get("schema", SCHEMA) != SCHEMA:
        raise ProjectError(f"schema: not a Studio project, got {_shown(data.get('schema'))}")
    data = upgrade(data)
    return _Reader(base_dir).project(data)


def _read_text(path: Path) -> str:
    """The file's text, opened without blocking: a FIFO would hang and /dev/zero never ends, so
    only a plain file of a sane size is read."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(st.st_mode):
            raise ProjectError(f"{path}: is a device, pipe or socket, not a project file")
        if st.st_size > MAX_FILE_BYTES:
            raise ProjectError(f"{path}: too large for a project file ({st.st_size // 2**20} MB; "
                               f"at most {MAX_FILE_BYTES // 2**20} MB)")
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # grew while we read it
        raise ProjectError(f"{path}: too large for a project file (at most {MAX_FILE_BYTES // 2**20} MB)")
    # utf-8-sig: accept the byte-order mark some Windows editors put first
    return data.decode("utf-8-sig")


def load_project(path: str | os.PathLike) -> Project:
    """Read and validate a project file. Every problem is a ProjectError naming the file and field."""
    path = Path(path)
    try:
        text = _read_text(path)
    except FileNotFoundError:
        raise ProjectError(f"{path}: no such project file") from None
    except IsADirectoryError:
        raise ProjectError(f"{path}: is a folder, not a project file") from None
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read ({exc.__class__.__name__}: {exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise ProjectError(f"{path}: not a project (JSON nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python will convert
        raise ProjectError(f"{path}: not valid JSON ({' '.join(str(exc).split())})") from None
    try:
        return project_from_dict(data, path.resolve().parent)
    except ProjectError as exc:
        raise ProjectError(f"{path.name}: {exc}") from None
    except RecursionError:
        raise ProjectError(f"{path.name}: not a project (JSON nested too deeply)") from None
