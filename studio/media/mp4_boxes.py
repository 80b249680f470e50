"""The top-level boxes of an MP4/MOV (ISO BMFF) file, read from their headers only: enough to
tell a copy cut short from a whole file, and whether the index (moov) comes before the data."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from .errors import MediaError


def top_level_boxes(path: str | os.PathLike) -> Iterator[tuple[bytes, int, int]]:
    """(kind, offset, size) of each top-level box; nothing for a file that is not ISO BMFF. A box
    of size 0 runs to the end of the file. The last box may claim more bytes than the file has."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        if f.read(8)[4:8] != b"ftyp":
            return
        pos = 0
        while size - pos >= 8:
            f.seek(pos)
            header = f.read(16)
            box = int.from_bytes(header[:4], "big")
            kind = header[4:8]
            if box == 1 and len(header) == 16:
                box = int.from_bytes(header[8:16], "big")
            elif box == 0:
                box = size - pos
            if box < 8:
                raise MediaError(path, "corrupt MP4 structure (a box of impossible size)")
            yield kind, pos, box
            pos += box


def check_complete(path: str | os.PathLike) -> None:
    """Refuse an MP4/MOV whose boxes claim more bytes than the file holds: a copy or download cut
    short. With the index at the front (faststart) such a file still probes and its first part
    decodes, so without this an export would quietly freeze on the last frame that arrived."""
    try:
        size = os.path.getsize(path)
        end = max((offset + box for _, offset, box in top_level_boxes(path)), default=0)
    except OSError as exc:
        raise MediaError(path, f"cannot be read ({exc.strerror or exc})") from None
    if end > size:
        raise MediaError(path, f"truncated: the file ends {end - size} bytes before its data does "
                               "(an incomplete copy or download?)")


def moov_before_mdat(path: str | Path) -> bool | None:
    """True when the index comes first (+faststart), False when last, None when neither is found."""
    for kind, _, _ in top_level_boxes(path):
        if kind in (b"moov", b"mdat"):
            return kind == b"moov"
    return None
