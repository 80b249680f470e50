"""Regenerate the demo project's clip shipped in assets/demo (CC0, made by studio/demo.py).

    python -m tools.gen_demo
"""
from studio.demo import make_demo_clip, shipped_demo_clip

if __name__ == "__main__":
    target = shipped_demo_clip()
    target.parent.mkdir(parents=True, exist_ok=True)
    make_demo_clip(target)
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB)")
