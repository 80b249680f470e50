"""Entry point: `python -m tools.gen_sounds` or `python tools/gen_sounds/__main__.py`."""

import sys
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script: make the repo root importable so the package imports work.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tools.gen_sounds.build import main
else:
    from .build import main

if __name__ == "__main__":
    raise SystemExit(main())
