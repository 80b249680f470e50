"""Render the PNG icon sizes (16..512) from the hand-drawn SVGs with Qt's SVG renderer.

    python packaging/linux/render_icons.py [OUT_DIR]

Writes OUT_DIR/hicolor/<N>x<N>/{apps,mimetypes}/<name>.png and the scalable SVGs (default OUT_DIR:
packaging/linux/icons, the committed copies). Needs only PySide6 (a Studio dependency); runs
headless with the offscreen Qt platform.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICONS = {"org.studio.Studio": "apps", "application-x-studio-project": "mimetypes"}


def render(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QPainter needs one for text/fonts
    written = []
    for name, context in ICONS.items():
        svg = HERE / "icons" / f"{name}.svg"
        renderer = QSvgRenderer(str(svg))
        if not renderer.isValid():
            raise SystemExit(f"render_icons: {svg}: not a valid SVG")
        scalable = out_dir / "hicolor" / "scalable" / context / svg.name
        scalable.parent.mkdir(parents=True, exist_ok=True)
        if scalable.resolve() != svg.resolve():
            shutil.copyfile(svg, scalable)
        written.append(scalable)
        for n in SIZES:
            image = QImage(n, n, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            renderer.render(painter)
            painter.end()
            png = out_dir / "hicolor" / f"{n}x{n}" / context / f"{name}.png"
            png.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(png), "PNG"):
                raise SystemExit(f"render_icons: could not write {png}")
            written.append(png)
    del app
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "icons"
    for path in render(out):
        print(path)
