"""Generates the hostile-input cases: project fields, media, paths, looks and output targets.

Every case is a `studio` command line that must fail cleanly: exit 3, one line on stderr, no
traceback, nothing changed anywhere under the case root. Nothing here is stored: the files are
written into a temporary folder by `build_cases`."""
from __future__ import annotations

import copy
import json
import os
import zlib
from fractions import Fraction
from pathlib import Path

from studio.model import Clip, Keyframe, Metadata, Project, SoundItem, StickerItem, TextItem, Timeline, Track
from studio.model.serialize import project_to_dict

NUMBERS = {"huge": 1e308, "-huge": -1e308, "nan": float("nan"), "inf": float("inf"), "bigint": 10 ** 400,
           "text": "twelve", "null": None, "bool": True, "list": [], "object": {}}
TEXTS = {"surrogate": "caption \ud800 here", "long": "x" * 100_000, "number": 5, "null": None, "list": ["a"]}

CLIP, TEXT, STICKER, SOUND = (0, 0), (1, 0), (2, 0), (3, 0)
NUMERIC_FIELDS = {
    CLIP: ("start", "duration", "source_in", "speed", "volume"),
    TEXT: ("start", "duration", "x", "y", "width", "size", "rotation", "opacity", "anim_frames"),
    STICKER: ("x", "y", "scale", "rotation", "opacity"),
    SOUND: ("start", "duration", "source_in", "volume_db", "fade_in", "fade_out"),
}
KEYFRAME_FIELDS = ("frame", "x", "y", "scale", "rotation")
TEXT_FIELDS = {TEXT: ("content", "style", "anim_in"), CLIP: ("fit",), SOUND: ("role",)}
METADATA_TEXTS = ("caption", "title", "creator")
# values inside the type but outside what a creator can mean
OUT_OF_RANGE = [
    ("fps-tiny", ("fps",), "1/1000000"), ("fps-huge", ("fps",), 1e9), ("fps-zero", ("fps",), 0),
    ("fps-odd-denominator", ("fps",), "30000/1000003"), ("width-huge", ("width",), 10 ** 6),
    ("height-zero", ("height",), 0), ("clip-billion-frames", (CLIP, "duration"), 10 ** 9),
    ("text-billion-frames", (TEXT, "duration"), 10 ** 9), ("sound-start-1e18", (SOUND, "start"), 10 ** 18),
    ("text-two-hours", (TEXT, "duration"), 30 * 7200), ("sticker-x-11", (STICKER, "x"), 11.0),
    ("sticker-scale-1e9", (STICKER, "scale"), 1e9), ("speed-1000", (CLIP, "speed"), 1000),
    ("speed-0", (CLIP, "speed"), 0), ("volume-1e6", (CLIP, "volume"), 1e6),
    ("volume-db-400", (SOUND, "volume_db"), 400.0), ("opacity-2", (TEXT, "opacity"), 2.0),
    ("cover-frame-1e18", ("metadata", "cover_frame"), 10 ** 18), ("rotation-1e7", (TEXT, "rotation"), 1e7),
    ("size-negative", (TEXT, "size"), -1.0),
]


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims width x height (a decompression bomb's look) with a tiny body."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    row = zlib.compress(b"\0" * (1 + 3 * width) * 4)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", row) + chunk(b"IEND", b""))
    return path


def bad_files(folder: Path, clip: Path) -> dict[str, str]:
    """Name -> path of files that are not usable media, made in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    data = clip.read_bytes()
    made = {}

    def put(name: str, content: bytes) -> None:
        (folder / name).write_bytes(content)
        made[name] = str(folder / name)

    put("zero.mp4", b"")
    put("garbage.mp4", os.urandom(4096))
    put("truncated.mp4", data[: len(data) // 3])
    put("secrets.txt", b"API_KEY=abcdef0123456789\n" * 200)
    put("subtitles.srt", b"1\n00:00:01,000 --> 00:00:02,000\nsecret line\n\n" * 20)
    put("playlist.m3u8", f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n{clip}\n#EXT-X-ENDLIST\n".encode())
    put("list.ffconcat", f"ffconcat version 1.0\nfile '{clip}'\n".encode())
    put("page.html", b"<html><body>" + b"<p>hello</p>" * 200 + b"</body></html>")
    put("data.json", json.dumps({"a": list(range(500))}).encode())
    put("fake.png", b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    put("notes.cube", b"LUT_3D_SIZE 2\n0 0 0\n")
    made["bomb.png"] = str(_png_header_only(folder / "bomb.png", 20000, 20000))
    (folder / "folder.mp4").mkdir()
    made["folder.mp4"] = str(folder / "folder.mp4")
    os.mkfifo(folder / "fifo.mp4")
    made["fifo.mp4"] = str(folder / "fifo.mp4")
    os.symlink(folder / "loop-b.mp4", folder / "loop-a.mp4")
    os.symlink(folder / "loop-a.mp4", folder / "loop-b.mp4")
    made["loop.mp4"] = str(folder / "loop-a.mp4")
    made["missing.mp4"] = str(folder / "missing.mp4")
    made["dev-zero"] = "/dev/zero"
    made["name-too-long"] = str(folder / ("n" * 300 + ".mp4"))
    return made


def base_project(clip: Path, sound: Path) -> dict:
    timeline = Timeline((
        Track("video", (Clip("clip", str(clip), 0, 30, source_frames=30),)),
        Track("overlay", (TextItem("title", 0, 30, "Hello"),)),
        Track("overlay", (StickerItem("heart", 0, 30, "heart_red", keyframes=(
            Keyframe(0, 0.5, 0.5, 0.3), Keyframe(29, 0.6, 0.4, 0.4))),)),
        Track("audio", (SoundItem("bed", str(sound), 0, 30),)),
    ))
    project = Project("hostile", fps=Fraction(30), timeline=timeline, metadata=Metadata(caption="hi #tag"))
    return project_to_dict(project, None)


def _set(data: dict, where, value) -> dict:
    data = copy.deepcopy(data)
    if isinstance(where[0], tuple):  # (track, item), field[, keyframe field]
        (track, item), name, *rest = where
        target = data["timeline"]["tracks"][track]["items"][item]
        if rest:
            target = target["keyframes"][1]
            name = rest[0]
        target[name] = value
    elif where[0] == "metadata":
        data["metadata"][where[1]] = value
    else:
        data[where[0]] = value
    return data


class CaseBuilder:
    def __init__(self, root: Path):
        self.root = root
        self.cases: list[dict] = []

    def folder(self, case_id: str) -> Path:
        folder = self.root / "cases" / case_id
        (folder / "out").mkdir(parents=True)
        return folder

    def add(self, case_id: str, argv: list[str], folder: Path) -> None:
        self.cases.append({"id": case_id, "argv": [str(a) for a in argv], "cwd": str(folder),
                           "watch": str(self.root)})

    def export_of(self, case_id: str, data: dict | None = None, text: bytes | None = None) -> None:
        folder = self.folder(case_id)
        project = folder / "p.studio"
        if text is None:
            text = json.dumps(data, indent=1).encode("utf-8", "surrogatepass")
        project.write_bytes(text)
        self.add(case_id, ["export", project, "-o", folder / "out" / "x.mp4", "--quality", "draft"], folder)


def build_cases(root: Path, clip: Path, sound: Path) -> list[dict]:
    b = CaseBuilder(root)
    base = base_project(clip, sound)
    bad = bad_files(root / "bad", clip)

    # project fields: wrong types and non-finite numbers
    for target, names in NUMERIC_FIELDS.items():
        for name in names:
            for label, value in NUMBERS.items():
                b.export_of(f"field-{target[0]}-{name}-{label}", _set(base, (target, name), value))
    for name in KEYFRAME_FIELDS:
        for label, value in NUMBERS.items():
            b.export_of(f"keyframe-{name}-{label}", _set(base, (STICKER, "keyframes", name), value))
    for target, names in TEXT_FIELDS.items():
        for name in names:
            for label, value in TEXTS.items():
                b.export_of(f"text-{target[0]}-{name}-{label}", _set(base, (target, name), value))
    for name in METADATA_TEXTS:
        for label, value in TEXTS.items():
            if value is not None:  # a missing caption is allowed
                b.export_of(f"metadata-{name}-{label}", _set(base, ("metadata", name), value))
    for label, where, value in OUT_OF_RANGE:
        b.export_of(f"range-{label}", _set(base, where, value))

    # media: every bad file as a clip, a sound and a sticker
    for name, path in bad.items():
        b.export_of(f"clip-source-{name}", _set(base, (CLIP, "source"), path))
        b.export_of(f"sound-source-{name}", _set(base, (SOUND, "source"), path))
        if name not in ("notes.cube",):
            b.export_of(f"sticker-file-{name}", _set(base, (STICKER, "sticker"), path))
    b.export_of("sticker-unknown-id", _set(base, (STICKER, "sticker"), "no_such_sticker"))
    b.export_of("sound-unknown-id", _set(base, (SOUND, "source"), "no_such_sound"))
    b.export_of("style-unknown", _set(base, (TEXT, "style"), "no_such_style"))
    b.export_of("effect-unknown", _set(base, (CLIP, "effects"), [{"id": "no_such_effect"}]))
    b.export_of("effect-param-huge", _set(base, (CLIP, "effects"), [{"id": "vignette", "params": {"amount": 1e308}}]))
    b.export_of("effect-param-nan", _set(base, (CLIP, "effects"), [{"id": "grain", "params": {"amount": float("nan")}}]))
    b.export_of("look-name-long", _set(base, (CLIP, "effects"), [{"id": "look", "params": {"name": "l" * 300}}]))
    b.export_of("look-file-text", _set(base, (CLIP, "effects"), [{"id": "look", "params": {"name": bad["secrets.txt"]}}]))
    b.export_of("look-file-missing", _set(base, (CLIP, "effects"), [{"id": "look", "params": {"name": bad["missing.mp4"]}}]))

    # the project file itself
    b.export_of("project-empty", text=b"")
    b.export_of("project-garbage", text=os.urandom(3000))
    b.export_of("project-array", text=b"[1, 2, 3]")
    b.export_of("project-deep", text=b"[" * 100_000 + b"]" * 100_000)
    b.export_of("project-bigint", text=b'{"fps": ' + b"9" * 5000 + b"}")
    b.export_of("project-latin1", text='{"name": "caf\xe9"}'.encode("latin-1"))
    b.export_of("project-other-schema", text=b'{"schema": "something.else"}')
    b.export_of("project-unknown-field", data={**base, "surprise": 1})
    b.export_of("project-no-timeline", data={k: v for k, v in base.items() if k != "timeline"})
    b.export_of("project-overlap", data=_set(base, (CLIP, "start"), 0) | {"timeline": {"tracks": [
        {"kind": "video", "items": [base["timeline"]["tracks"][0]["items"][0],
                                    {**base["timeline"]["tracks"][0]["items"][0], "id": "clip2", "start": 10}]}]}})
    for name in ("dev-zero", "fifo.mp4", "folder.mp4", "loop.mp4", "missing.mp4", "name-too-long"):
        folder = b.folder(f"project-path-{name}")
        b.add(f"project-path-{name}", ["export", bad[name], "-o", folder / "out" / "x.mp4"], folder)
    folder = b.folder("project-sparse-100mb")
    with open(folder / "p.studio", "wb") as f:
        f.truncate(100 * 2 ** 20)
    b.add("project-sparse-100mb", ["export", folder / "p.studio", "-o", folder / "out" / "x.mp4"], folder)

    # output targets, for `export` and for `quick`
    for command in ("export", "quick"):
        for label in ("input-clip", "project", "sidecar-name", "cover-name", "folder", "fifo", "dev-null",
                      "dev-zero", "no-folder", "long-name", "link-to-input", "empty", "dot"):
            case_id = f"output-{command}-{label}"
            folder = b.folder(case_id)
            project = folder / "p.studio"
            project.write_text(json.dumps(base), encoding="utf-8")
            target = {
                "input-clip": clip, "project": project, "sidecar-name": folder / "out" / "v.json",
                "cover-name": folder / "out" / "v.cover.jpg", "folder": folder / "out",
                "fifo": folder / "out" / "pipe.mp4", "dev-null": "/dev/null", "dev-zero": "/dev/zero",
                "no-folder": folder / "nowhere" / "x.mp4", "long-name": folder / "out" / ("n" * 300 + ".mp4"),
                "link-to-input": folder / "out" / "link.mp4", "empty": "", "dot": ".",
            }[label]
            if label == "fifo":
                os.mkfifo(target)
            if label == "link-to-input":
                os.symlink(clip, target)
            head = ["export", project] if command == "export" else ["quick", clip]
            b.add(case_id, [*head, "-o", target, "--quality", "draft", "--no-check"], folder)

    # looks: `studio library looks --import FILE [--name N]`
    looks = root / "looks"
    looks.mkdir()
    cube_rows = "\n".join("0.0 0.0 0.0" for _ in range(8))
    look_files = {
        "size-5000-digits": "LUT_3D_SIZE " + "9" * 5000 + "\n" + cube_rows,
        "size-256": "LUT_3D_SIZE 256\n" + cube_rows,
        "size-1": "LUT_3D_SIZE 1\n0 0 0\n",
        "size-negative": "LUT_3D_SIZE -2\n" + cube_rows,
        "size-missing": cube_rows,
        "size-text": "LUT_3D_SIZE two\n" + cube_rows,
        "rows-short": "LUT_3D_SIZE 2\n" + "\n".join(["0 0 0"] * 5),
        "rows-nan": "LUT_3D_SIZE 2\n" + "\n".join(["nan 0 0"] * 8),
        "rows-huge": "LUT_3D_SIZE 2\n" + "\n".join(["1e308 0 0"] * 8),
        "rows-words": "LUT_3D_SIZE 2\n" + "\n".join(["red green blue"] * 8),
        "rows-two-values": "LUT_3D_SIZE 2\n" + "\n".join(["0 0"] * 8),
        "binary": None,
        "empty": "",
    }
    for label, text in look_files.items():
        path = looks / f"{label}.cube"
        path.write_bytes(os.urandom(3000) if text is None else text.encode())
        folder = b.folder(f"look-import-{label}")
        b.add(f"look-import-{label}", ["library", "looks", "--import", path], folder)
    good = looks / "good.cube"
    good.write_text("LUT_3D_SIZE 2\n" + "\n".join(f"{r} {g} {bl}" for bl in (0, 1) for g in (0, 1) for r in (0, 1)))
    for label, extra in (("name-300", ["--name", "n" * 300]), ("name-slash", ["--name", "../escape"]),
                         ("name-empty", ["--name", ""]), ("name-nul-like", ["--name", "a\x01b"])):
        folder = b.folder(f"look-import-{label}")
        b.add(f"look-import-{label}", ["library", "looks", "--import", good, *extra], folder)
    for name in ("dev-zero", "fifo.mp4", "folder.mp4", "loop.mp4", "missing.mp4", "secrets.txt"):
        folder = b.folder(f"look-import-file-{name}")
        b.add(f"look-import-file-{name}", ["library", "looks", "--import", bad[name]], folder)
    return b.cases

