"""Font files for text styles, resolved from PyPI font packages that the project installs, and the
fallback fonts (system Noto packages) for the scripts and emoji a style's font lacks.

No font binaries are committed: each family names a pip package and a file inside it
(licences: assets/fonts/LICENSES.md). Packages are located without importing them.
"""

from __future__ import annotations

import bisect
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import LibraryError
from .paths import bundle_dir

# family id -> (python module, folder inside the module, file name, pip package)
_FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "roboto-black": ("font_roboto", "files", "Roboto-Black.ttf", "font-roboto"),
    "roboto-bold": ("font_roboto", "files", "Roboto-Bold.ttf", "font-roboto"),
    "roboto-regular": ("font_roboto", "files", "Roboto-Regular.ttf", "font-roboto"),
    "fredoka-one": ("font_fredoka_one", "files", "FredokaOne-Regular.ttf", "font-fredoka-one"),
    "amatic-sc-bold": ("font_amatic_sc", "files", "AmaticSC-Bold.ttf", "font-amatic-sc"),
    "source-serif-black": ("font_source_serif_pro", "files", "SourceSerifPro-Black.ttf", "font-source-serif-pro"),
    "source-serif-bold": ("font_source_serif_pro", "files", "SourceSerifPro-Bold.ttf", "font-source-serif-pro"),
    "source-sans-black": ("font_source_sans_pro", "files", "SourceSansPro-Black.ttf", "font-source-sans-pro"),
    "source-sans-bold": ("font_source_sans_pro", "files", "SourceSansPro-Bold.ttf", "font-source-sans-pro"),
    "caladea-bold-italic": ("font_caladea", "files", "Caladea-BoldItalic.ttf", "font-caladea"),
    "dejavu-sans-mono-bold": ("matplotlib", "mpl-data/fonts/ttf", "DejaVuSansMono-Bold.ttf", "matplotlib"),
    "dejavu-sans-bold": ("matplotlib", "mpl-data/fonts/ttf", "DejaVuSans-Bold.ttf", "matplotlib"),
}


def list_families() -> list[str]:
    return sorted(_FAMILIES)


def package_font_files() -> list[tuple[str, str, str]]:
    """(module, folder, file name) of every family's font: what a frozen build copies (packaging/studio.spec)."""
    return sorted({(module, folder, filename) for module, folder, filename, _ in _FAMILIES.values()})


def font_path(family_id: str) -> Path:
    """Path of the font file for `family_id`; LibraryError if unknown or its package is not installed."""
    try:
        module, folder, filename, package = _FAMILIES[family_id]
    except KeyError:
        raise LibraryError(f"unknown font family '{family_id}' (known: {', '.join(sorted(_FAMILIES))})") from None
    bundle = bundle_dir()
    if bundle is not None:
        # a frozen build has no importable font packages: packaging/studio.spec copies each
        # package's font folder into the bundle under the module's name, same layout
        path = bundle / module / folder / filename
    else:
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.origin:
            raise LibraryError(f"font family '{family_id}' needs the pip package '{package}', which is not installed")
        path = Path(spec.origin).parent / folder / filename
    if not path.is_file():
        raise LibraryError(f"font family '{family_id}': file {path} is missing from package '{package}'")
    return path


# ------------------------------------------------------------------ fallback fonts for every script

# Text in a script the style's font lacks (emoji, CJK, Arabic, Hebrew, Devanagari, Thai, ...) is
# drawn with system fonts from Debian packages that ./setup.sh installs; they are looked up by file
# name under these folders, so a missing package degrades to boxes plus a pre-flight warning.
FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FALLBACK_PACKAGES = ("fonts-noto-core", "fonts-noto-cjk", "fonts-noto-color-emoji")
COLOUR_EMOJI_SIZE = 109  # Noto Color Emoji is a CBDT bitmap font with one strike: 109 px

# (bold file, regular file, face name inside a collection or "", Debian package), in the order tried
# after the style's own font. Noto Sans first: Latin, Cyrillic and Greek the style font may lack.
_CHAIN: tuple[tuple[str, str, str, str], ...] = (
    ("NotoSans-Bold.ttf", "NotoSans-Regular.ttf", "", "fonts-noto-core"),
    ("NotoSansArabic-Bold.ttf", "NotoSansArabic-Regular.ttf", "", "fonts-noto-core"),
    ("NotoSansHebrew-Bold.ttf", "NotoSansHebrew-Regular.ttf", "", "fonts-noto-core"),
    ("NotoSansDevanagari-Bold.ttf", "NotoSansDevanagari-Regular.ttf", "", "fonts-noto-core"),
    ("NotoSansThai-Bold.ttf", "NotoSansThai-Regular.ttf", "", "fonts-noto-core"),
    ("NotoSansCJK-Bold.ttc", "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "fonts-noto-cjk"),
    ("NotoSansSymbols-Bold.ttf", "NotoSansSymbols-Regular.ttf", "", "fonts-noto-core"),
    ("NotoSansSymbols2-Regular.ttf", "NotoSansSymbols2-Regular.ttf", "", "fonts-noto-core"),
    ("NotoSansMath-Regular.ttf", "NotoSansMath-Regular.ttf", "", "fonts-noto-core"),
    ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "", "fonts-dejavu-core"),
)
_EMOJI = ("NotoColorEmoji.ttf", "fonts-noto-color-emoji")


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (`index` picks the face inside a .ttc collection)."""
    path: Path
    index: int = 0
    colour: bool = False  # a colour bitmap font, drawn at COLOUR_EMOJI_SIZE and scaled
    package: str = ""     # the Debian package it comes from, for messages


@dataclass(frozen=True)
class FallbackFonts:
    faces: tuple[FontFace, ...]  # tried in order after the style's font
    emoji: FontFace | None       # tried first for emoji, last for everything else
    more: tuple[FontFace, ...]   # every other font file found, tried only when the above all fail
    missing: tuple[str, ...]     # Debian packages whose fonts were not found


class Coverage:
    """The code points a face maps, as sorted ranges (a set of every code point would cost ~100 MB
    over all of Noto); immutable, so one instance can be shared by threads."""

    def __init__(self, codepoints):
        starts: list[int] = []
        ends: list[int] = []
        for cp in sorted(codepoints):
            if ends and cp == ends[-1] + 1:
                ends[-1] = cp
            else:
                starts.append(cp)
                ends.append(cp)
        self._starts, self._ends = tuple(starts), tuple(ends)

    def __contains__(self, cp: int) -> bool:
        i = bisect.bisect_right(self._starts, cp) - 1
        return i >= 0 and cp <= self._ends[i]

    def covers(self, codepoints) -> bool:
        return all(cp in self for cp in codepoints)


@lru_cache(maxsize=None)
def coverage(path: Path, index: int = 0) -> Coverage:
    """Read a face's character map once per process (fontTools; ~2 ms, 140 ms for Noto CJK).
    An unreadable file covers nothing."""
    try:
        with _open_face(path, index) as font:
            return Coverage((font["cmap"].getBestCmap() or {}).keys())
    except Exception:  # a broken or unsupported font file is skipped, not fatal
        return Coverage(())


def is_bold(path: Path) -> bool:
    """Whether a font is bold enough (OS/2 weight >= 600) to take bold fallback faces."""
    return _weight(path) >= 600


@lru_cache(maxsize=64)
def _weight(path: Path) -> int:
    try:
        with _open_face(path, 0) as font:
            return int(font["OS/2"].usWeightClass)
    except Exception:
        return 400


def fallback_fonts(bold: bool, dirs: tuple[Path, ...] = FONT_DIRS) -> FallbackFonts:
    """The fallback faces found under `dirs` (bold or regular weights)."""
    return _fallback_fonts(bold, tuple(dirs))


@lru_cache(maxsize=8)
def _fallback_fonts(bold: bool, dirs: tuple[Path, ...]) -> FallbackFonts:
    files = _font_files(dirs)
    faces, used, missing = [], set(), []
    for bold_name, regular_name, face_name, package in _CHAIN:
        name = bold_name if bold and bold_name in files else regular_name
        if name not in files:
            if package not in missing:
                missing.append(package)
            continue
        faces.append(FontFace(files[name], _face_index(files[name], face_name), False, package))
        used.update((bold_name, regular_name))
    emoji = None
    if _EMOJI[0] in files:
        emoji = FontFace(files[_EMOJI[0]], 0, True, _EMOJI[1])
        used.add(_EMOJI[0])
    else:
        missing.append(_EMOJI[1])
    return FallbackFonts(tuple(faces), emoji, _more_faces(files, used, bold), tuple(missing))


def _more_faces(files: dict[str, Path], used: set[str], bold: bool) -> tuple[FontFace, ...]:
    """One face per family of every other font file (Sans before the rest), so a rare script
    (Bengali, Georgian, Ethiopic, hieroglyphs, ...) still finds a font."""
    families: dict[str, str] = {}
    taken = {Path(name).stem.partition("-")[0] for name in used}
    for name in sorted(files):
        family, _, weight = Path(name).stem.partition("-")
        if family in taken:
            continue
        best = families.get(family)
        wanted = "Bold" if bold else "Regular"
        if best is None or (weight == wanted and Path(best).stem.partition("-")[2] != wanted):
            families[family] = name
    order = sorted(families.values(), key=lambda n: (not n.startswith("NotoSans"), n))
    return tuple(FontFace(files[n], 0, False, "") for n in order)


def _font_files(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """File name -> path of every font file under dirs (the first one found wins)."""
    found: dict[str, Path] = {}
    for root in dirs:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.suffix.lower() in (".ttf", ".otf", ".ttc") and path.is_file():
                    found.setdefault(path.name, path)
    return found


def _face_index(path: Path, face_name: str) -> int:
    if not face_name or path.suffix.lower() != ".ttc":
        return 0
    try:
        from fontTools.ttLib import TTCollection

        collection = TTCollection(str(path), lazy=True)
        names = [font["name"].getDebugName(1) for font in collection.fonts]
        collection.close()
        return names.index(face_name) if face_name in names else 0
    except Exception:
        return 0


def _open_face(path: Path, index: int):
    from fontTools.ttLib import TTFont  # imported when a fallback is needed, not at start-up

    return TTFont(str(path), fontNumber=index if str(path).lower().endswith(".ttc") else -1, lazy=True)


def package_for(codepoint: int) -> str:
    """The Debian package whose fonts cover a code point's script (for a hint when it is missing)."""
    if 0x1F000 <= codepoint <= 0x1FAFF or 0x2600 <= codepoint <= 0x27BF:
        return "fonts-noto-color-emoji"
    if any(lo <= codepoint <= hi for lo, hi in _CJK_RANGES):
        return "fonts-noto-cjk"
    return "fonts-noto-core"


_CJK_RANGES = ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x31FF), (0x3200, 0x4DBF),
               (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
               (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
