"""The layering rule (pyproject's import-linter contracts) holds: only studio/ui imports Qt, the
model is standard library only, only studio.media uses PyAV, and each layer imports only the layers
below it."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is part of the test extra"
    result = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is part of the test extra"
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([exe, "--no-cache", "--config", str(cwd / "pyproject.toml")], cwd=cwd, env=env,
                          capture_output=True, text=True)


def test_only_media_uses_pyav():
    """The contract is there and holds: containers and codecs are opened by studio.media alone."""
    result = _lint_imports(ROOT)
    assert "Only studio.media uses PyAV KEPT" in result.stdout, result.stdout + result.stderr


def test_pyav_contract_catches_an_import_outside_media(tmp_path):
    """A copy of the package with PyAV imported inside a tracking function (the lazy kind of import
    the code base uses) breaks the contract, so a new `import av` outside studio/media cannot slip in."""
    shutil.copytree(ROOT / "studio", tmp_path / "studio", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "studio" / "tracking" / "cache.py", "a") as f:
        f.write("\n\ndef _sneaky():\n    import av\n    return av\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Only studio.media uses PyAV BROKEN" in result.stdout
    assert "studio.tracking.cache -> av" in result.stdout
