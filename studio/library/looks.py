"""Colour looks: 3D LUTs in the .cube format (built-in library + user files).

Applying a LUT must be real-time, so each Lut3D builds once a 128^3 table pre-interpolated
(trilinear) from the cube, laid out as a 2D image, and looks pixels up with cv2.remap
(nearest): 7 bits per channel in, so the error vs. full trilinear is at most ~1 level.
"""

from __future__ import annotations

import os

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .errors import LibraryError
from .paths import assets_dir

_BITS = 7  # index precision of the fast table per channel
_N = 1 << _BITS
_SHIFT = 8 - _BITS
_LOW_BITS = 4  # low bits of blue go into x of the 2D table, high bits into y
_BLUE_HIGH = _N >> _LOW_BITS


@dataclass(frozen=True)
class Look:
    id: str
    title: str
    path: Path


def _axis_weights(domain_min: float, domain_max: float, size: int) -> np.ndarray:
    """(_N, size) linear-interpolation matrix: 7-bit bin centre -> lattice weights along one axis."""
    values = (np.arange(_N) * (1 << _SHIFT) + ((1 << _SHIFT) - 1) / 2) / 255.0
    span = domain_max - domain_min
    pos = np.clip((values - domain_min) / span, 0.0, 1.0) * (size - 1)
    lo = np.minimum(np.floor(pos).astype(int), size - 2)
    frac = pos - lo
    w = np.zeros((_N, size), dtype=np.float64)
    w[np.arange(_N), lo] = 1.0 - frac
    w[np.arange(_N), lo + 1] += frac
    return w


class Lut3D:
    """A 3D colour LUT. `table[r, g, b]` is the output RGB (floats 0..1) at lattice point (r, g, b)."""

    def __init__(self, table: np.ndarray, title: str = "",
                 domain_min: tuple[float, float, float] = (0.0, 0.0, 0.0),
                 domain_max: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> None:
        table = np.asarray(table, dtype=np.float32)
        if table.ndim != 4 or table.shape[3] != 3 or not (table.shape[0] == table.shape[1] == table.shape[2]):
            raise LibraryError(f"LUT '{title}': table must be NxNxNx3, got {table.shape}")
        if table.shape[0] < 2:
            raise LibraryError(f"LUT '{title}': size must be at least 2")
        self.table = table
        self.size = table.shape[0]
        self.title = title
        self.domain_min = tuple(float(v) for v in domain_min)
        self.domain_max = tuple(float(v) for v in domain_max)
        self._fast: tuple | None = None
        self._lock = threading.Lock()

    @classmethod
    def identity(cls, size: int = 33) -> "Lut3D":
        axis = np.linspace(0.0, 1.0, size, dtype=np.float32)
        r, g, b = np.meshgrid(axis, axis, axis, indexing="ij")
        return cls(np.stack([r, g, b], axis=-1), title="identity")

    def _fast_tables(self) -> tuple:
        with self._lock:
            if self._fast is None:
                self._fast = self._build_fast()
            return self._fast

    def _build_fast(self) -> tuple:
        wr, wg, wb = (_axis_weights(self.domain_min[i], self.domain_max[i], self.size) for i in range(3))
        # one red slab at a time: the full float (N, N, N, 3) intermediate would briefly take
        # ~150 MB per look, which showed up as the export's peak memory
        t8 = np.empty((_N, _N, _N, 3), np.uint8)
        table = self.table.astype(np.float32)
        wg32, wb32 = wg.astype(np.float32), wb.astype(np.float32)
        for i in range(_N):
            slab = np.tensordot(wr[i].astype(np.float32), table, axes=([0], [0]))  # (s, s, 3) over g, b
            slab = np.tensordot(wg32, slab, axes=([1], [0]))  # (N, s, 3)
            slab = np.tensordot(wb32, slab, axes=([1], [1])).transpose(1, 0, 2)  # (N, N, 3)
            t8[i] = np.clip(np.rint(slab * 255.0), 0, 255).astype(np.uint8)
        # 2D layout for cv2.remap: y = r * BLUE_HIGH + (b >> LOW_BITS), x = g << LOW_BITS | (b & low mask)
        t2 = t8.reshape(_N, _N, _BLUE_HIGH, 1 << _LOW_BITS, 3).transpose(0, 2, 1, 3, 4)
        t2 = np.ascontiguousarray(t2.reshape(_N * _BLUE_HIGH, _N << _LOW_BITS, 3))
        idx = np.arange(256) >> _SHIFT
        x_from_g = (idx << _LOW_BITS).astype(np.int16)
        x_from_b = (idx & ((1 << _LOW_BITS) - 1)).astype(np.int16)
        y_from_r = (idx * _BLUE_HIGH).astype(np.int16)
        y_from_b = (idx >> _LOW_BITS).astype(np.int16)
        return t2, x_from_g, x_from_b, y_from_r, y_from_b

    def apply(self, rgb: np.ndarray, intensity: float = 1.0) -> np.ndarray:
        """Map an RGB uint8 HxWx3 image through the LUT; `intensity` blends with the original (0..1)."""
        if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
            raise ValueError(f"LUT apply needs an HxWx3 uint8 image, got {rgb.dtype} {rgb.shape}")
        intensity = float(min(max(intensity, 0.0), 1.0))
        if intensity <= 0.0:
            return rgb.copy()
        t2, x_from_g, x_from_b, y_from_r, y_from_b = self._fast_tables()
        r, g, b = cv2.split(rgb)
        x = cv2.add(cv2.LUT(g, x_from_g), cv2.LUT(b, x_from_b))
        y = cv2.add(cv2.LUT(r, y_from_r), cv2.LUT(b, y_from_b))
        out = cv2.remap(t2, cv2.merge([x, y]), None, cv2.INTER_NEAREST)
        if intensity < 1.0:
            out = cv2.addWeighted(rgb, 1.0 - intensity, out, intensity, 0.0)
        return out


def _parse_floats(parts: list[str], name: str, lineno: int, count: int) -> tuple[float, ...]:
    if len(parts) != count:
        raise LibraryError(f"{name}: line {lineno}: expected {count} numbers, got {len(parts)}")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise LibraryError(f"{name}: line {lineno}: not a number in '{' '.join(parts)}'") from None
    if not all(np.isfinite(values)):
        raise LibraryError(f"{name}: line {lineno}: non-finite number in '{' '.join(parts)}'")
    if any(abs(v) > MAX_VALUE for v in values):
        raise LibraryError(f"{name}: line {lineno}: number out of range ±{MAX_VALUE:g} in '{' '.join(parts)}'")
    return values


MAX_VALUE = 1000.0  # colours are 0..1 (a few HDR LUTs go a little past); 1e308 would overflow float32
MAX_LUT_SIZE = 129  # lattice points per axis; 65 is the usual most, 129 the rare high end
MAX_NAME = 64  # characters of an imported look's name


def parse_cube(text: str, name: str = "<cube>") -> Lut3D:
    """Parse a .cube 3D LUT (Adobe/Resolve format). Errors name the file and the line."""
    size = None
    title = ""
    dmin = (0.0, 0.0, 0.0)
    dmax = (1.0, 1.0, 1.0)
    rows: list[tuple[int, list[str]]] = []
    last_line = 0
    lines = text.splitlines()
    for lineno, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        last_line = lineno
        parts = line.split()
        key = parts[0].upper()
        if size is not None and not rows and (key[0].isdigit() or key[0] in "-+."):
            # the data block: converted in C in one go (a 33^3 LUT in ~10 ms, not ~200 ms of Python
            # that starved the camera thread while the window made look thumbnails); anything
            # unusual falls through to the line-by-line reading, which names the bad line
            table = _bulk_table(lines[lineno - 1:], size)
            if table is not None:
                return _make_lut(table, size, title or name, dmin, dmax, name)
        if key == "TITLE":
            title = line[5:].strip().strip('"')
        elif key == "LUT_3D_SIZE":
            if rows:
                raise LibraryError(f"{name}: line {lineno}: LUT_3D_SIZE after data lines")
            if len(parts) != 2 or not re.fullmatch(r"[0-9]+", parts[1]):
                raise LibraryError(f"{name}: line {lineno}: LUT_3D_SIZE needs one integer (2..{MAX_LUT_SIZE})")
            if len(parts[1]) > 4:  # int() of thousands of digits is refused by Python
                raise LibraryError(f"{name}: line {lineno}: LUT_3D_SIZE {parts[1][:6]}... ({len(parts[1])} digits) "
                                   f"out of range 2..{MAX_LUT_SIZE}")
            size = int(parts[1])
            if not 2 <= size <= MAX_LUT_SIZE:
                raise LibraryError(f"{name}: line {lineno}: LUT_3D_SIZE {size} out of range 2..{MAX_LUT_SIZE}")
        elif key == "LUT_1D_SIZE":
            raise LibraryError(f"{name}: line {lineno}: 1D LUTs are not supported (need LUT_3D_SIZE)")
        elif key == "DOMAIN_MIN":
            dmin = _parse_floats(parts[1:], name, lineno, 3)
        elif key == "DOMAIN_MAX":
            dmax = _parse_floats(parts[1:], name, lineno, 3)
        elif key in ("LUT_3D_INPUT_RANGE", "LUT_1D_INPUT_RANGE"):
            lo, hi = _parse_floats(parts[1:], name, lineno, 2)
            dmin, dmax = (lo,) * 3, (hi,) * 3
        elif re.fullmatch(r"[A-Z_][A-Z0-9_]*", parts[0]):
            continue  # unknown keyword (vendor extension): ignore, as other tools do
        else:
            if size is None:
                raise LibraryError(f"{name}: line {lineno}: data before LUT_3D_SIZE")
            if len(parts) != 3:
                raise LibraryError(f"{name}: line {lineno}: expected 3 numbers, got {len(parts)}")
            rows.append((lineno, parts))
            if len(rows) > size ** 3:
                raise LibraryError(f"{name}: line {lineno}: more than {size}^3 = {size ** 3} entries")
    if size is None:
        raise LibraryError(f"{name}: line {max(last_line, 1)}: no LUT_3D_SIZE found")
    try:
        flat = np.array([p for _, parts in rows for p in parts], dtype=np.float64)
    except ValueError:
        for lineno, parts in rows:  # slow path only to name the bad line
            _parse_floats(parts, name, lineno, 3)
        raise
    if not np.isfinite(flat).all():
        bad = int(np.flatnonzero(~np.isfinite(flat))[0]) // 3
        raise LibraryError(f"{name}: line {rows[bad][0]}: non-finite number")
    if (np.abs(flat) > MAX_VALUE).any():
        bad = int(np.flatnonzero(np.abs(flat) > MAX_VALUE)[0]) // 3
        raise LibraryError(f"{name}: line {rows[bad][0]}: number out of range ±{MAX_VALUE:g}")
    if len(rows) != size ** 3:
        raise LibraryError(f"{name}: line {last_line}: expected {size ** 3} entries for size {size}, "
                           f"found {len(rows)}")
    return _make_lut(flat, size, title or name, dmin, dmax, name)


def _bulk_table(lines: list[str], size: int) -> np.ndarray | None:
    """All numbers of the data lines, when they are exactly size^3 plain, finite, in-range rows."""
    if any("#" in line for line in lines) or sum(1 for line in lines if line.strip()) != size ** 3:
        return None
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fromstring stops at a non-number
        flat = np.fromstring("\n".join(lines), dtype=np.float64, sep=" ")
    if flat.size != 3 * size ** 3 or not np.isfinite(flat).all() or (np.abs(flat) > MAX_VALUE).any():
        return None
    return flat


def _make_lut(flat: np.ndarray, size: int, title: str, dmin, dmax, name: str) -> Lut3D:
    if any(hi <= lo for lo, hi in zip(dmin, dmax)):
        raise LibraryError(f"{name}: DOMAIN_MIN must be below DOMAIN_MAX")
    # .cube order: red varies fastest, so the flat array is [b][g][r].
    table = flat.astype(np.float32).reshape(size, size, size, 3).transpose(2, 1, 0, 3)
    return Lut3D(np.clip(table, 0.0, 1.0), title=title, domain_min=dmin, domain_max=dmax)


def _fmt(v: float, decimals: int) -> str:
    text = f"{v:.{decimals}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def write_cube(lut: Lut3D, path: str | Path, decimals: int = 6) -> None:
    """Write `lut` as a .cube file (red fastest, `decimals` digits, trailing zeros dropped)."""
    n = lut.size
    flat = lut.table.transpose(2, 1, 0, 3).reshape(-1, 3)
    lines = [f'TITLE "{lut.title}"', f"LUT_3D_SIZE {n}"]
    if lut.domain_min != (0.0, 0.0, 0.0) or lut.domain_max != (1.0, 1.0, 1.0):
        lines.append("DOMAIN_MIN " + " ".join(f"{v:.6f}" for v in lut.domain_min))
        lines.append("DOMAIN_MAX " + " ".join(f"{v:.6f}" for v in lut.domain_max))
    lines.extend(" ".join(_fmt(v, decimals) for v in rgb) for rgb in flat.tolist())
    Path(path).write_text("\n".join(lines) + "\n", encoding="ascii")


def _looks_dir() -> Path:
    return assets_dir() / "looks"


def _manifest() -> list[dict]:
    path = _looks_dir() / "library.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["looks"]
    except (OSError, ValueError, KeyError) as exc:
        raise LibraryError(f"{path}: cannot read looks manifest ({exc})") from None


USER_PREFIX = "my_"


def _user_looks_dir() -> Path:
    from .userdata import user_data_dir

    return user_data_dir() / "looks"


def list_looks() -> list[Look]:
    """Built-in looks, then the ones the user imported (ids prefixed 'my_')."""
    base = _looks_dir()
    looks = [Look(id=e["id"], title=e["title"], path=base / e["file"]) for e in _manifest()]
    user = _user_looks_dir()
    if user.is_dir():
        looks += [Look(id=f"{USER_PREFIX}{p.stem}", title=p.stem.replace("_", " ").title(), path=p)
                  for p in sorted(user.glob("*.cube"))]
    return looks


def _user_stem(name: str | None, source: Path) -> str:
    """The file stem (and id after 'my_') of an imported look; a given name must be 1..MAX_NAME
    letters, digits, spaces, '-' or '_' (a 300-character name is no file name on most disks)."""
    if name is not None:
        if len(name) > MAX_NAME:
            raise LibraryError(f"look name is {len(name)} characters long; use at most {MAX_NAME}")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _-]*", name):
            raise LibraryError("look name: use ASCII letters, digits, spaces, '-' and '_', "
                               "starting with a letter or digit")
    stem = re.sub(r"[^a-z0-9_]+", "_", (name or source.stem).lower()).strip("_") or "look"
    if len(stem) > MAX_NAME:
        raise LibraryError(f"{source.name[:40]}...: file name too long for a look name ({len(stem)} characters, "
                           f"at most {MAX_NAME}); give a shorter one with --name")
    return stem


def import_look(path: str | Path, name: str | None = None, replace: bool = False) -> Look:
    """Validate a user's .cube file and keep a copy in the user library; returns the new Look
    (id 'my_<name>'), usable by id in projects, `studio quick --effect look:name=...` and the window.
    An existing look of that name is only overwritten with `replace`."""
    import shutil
    import stat

    source = Path(path)
    stem = _user_stem(name, source)
    try:
        st = os.stat(source)
    except OSError:
        raise LibraryError(f"{source}: no such .cube file") from None
    if not stat.S_ISREG(st.st_mode):
        raise LibraryError(f"{source}: not a .cube file (a folder, device or pipe)")
    # a lattice of MAX_LUT_SIZE needs at most ~100 bytes a line: anything larger is not a LUT
    if st.st_size > MAX_LUT_SIZE ** 3 * 100 + 2 ** 20:
        raise LibraryError(f"{source}: too large for a .cube file ({st.st_size // 2 ** 20} MB)")
    try:
        text = source.read_text(encoding="utf-8", errors="strict")
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError(f"{source}: cannot read ({exc.__class__.__name__})") from None
    parse_cube(text, source.name)  # raises LibraryError naming the line of a malformed file
    folder = _user_looks_dir()
    target = folder / f"{stem}.cube"
    if target.exists() and not replace:
        raise LibraryError(f"a look named '{USER_PREFIX}{stem}' already exists; use --replace to overwrite it "
                           f"or --name to choose another name")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{stem}.cube.{os.getpid()}.tmp"
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)
    return Look(id=f"{USER_PREFIX}{stem}", title=stem.replace("_", " ").title(), path=target)


def get_look(id_or_path: str | Path) -> Look:
    """A built-in look by id, or a user .cube file by path."""
    text = str(id_or_path)
    for look in list_looks():
        if look.id == text:
            return look
    path = Path(id_or_path)
    if path.suffix.lower() == ".cube":
        if not path.is_file():
            raise LibraryError(f"{path}: LUT file not found")
        return Look(id=str(path), title=path.stem, path=path)
    raise LibraryError(f"unknown look '{text}' (not a built-in id nor a .cube file)")


def load_lut(look_or_path: Look | str | Path) -> Lut3D:
    look = look_or_path if isinstance(look_or_path, Look) else get_look(look_or_path)
    try:
        text = look.path.read_text(encoding="utf-8", errors="strict")
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError(f"{look.path}: cannot read LUT ({exc})") from None
    lut = parse_cube(text, str(look.path))
    lut.title = look.title
    return lut
