"""Font files for text styles, resolved from PyPI font packages that the project installs.

No font binaries are committed: each family names a pip package and a file inside it
(licences: assets/fonts/LICENSES.md). Packages are located without importing them.
"""

from __future__ import annotations

import importlib.util
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
