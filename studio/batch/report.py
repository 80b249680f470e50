"""The batch report: DIR/report.html and DIR/contact_sheet.png show every output's cover with its
name, duration, pre-flight verdict and problems; `summary` is the same as data (`--json`)."""
from __future__ import annotations

import html
import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

TILE_W, TILE_H = 216, 384      # a cover at a fifth of 1080x1920
TEXT_H = 92                    # name, duration, verdict and the first problem under each cover
COLUMNS = 6
GAP = 12
BACKGROUND = (24, 24, 28)
PASS, FAIL, GREY = (90, 200, 120), (235, 80, 70), (170, 170, 175)


def summary(statuses) -> dict:
    """Every job's output as data: name, variant, preset, state, duration, verdict and problems."""
    outputs = []
    for s in statuses:
        result = s.result or {}
        preflight = result.get("preflight") or {}
        findings = preflight.get("findings", [])
        problems = [f"{f['level']}: {f['message']}" for f in findings if f["level"] in ("error", "warning")]
        if s.error:
            problems.insert(0, f"error: {s.error}")
        cover = s.job.out.with_suffix(".cover.jpg")
        outputs.append({
            "id": s.job.id, "name": s.job.out.name, "variant": s.job.variant or None, "preset": s.job.preset,
            "state": s.state, "output": str(s.job.out) if s.state == "done" else None,
            "cover": str(cover) if s.state == "done" and cover.is_file() else None,
            "duration": result.get("duration"),
            "verdict": ("passed" if preflight.get("passed") else "failed") if preflight else
                       ("not checked" if s.state == "done" else s.state),
            "problems": problems, "seconds": round(s.seconds, 2),
            "rendered_once": bool(result.get("rendered_once")),
        })
    return {"outputs": outputs, "done": sum(o["state"] == "done" for o in outputs),
            "failed": sum(o["state"] != "done" for o in outputs)}


def write_report(out_dir: Path, data: dict) -> tuple[Path, Path]:
    """report.html and contact_sheet.png in `out_dir` (each written atomically)."""
    out_dir = Path(out_dir)
    sheet = _atomic(out_dir / "contact_sheet.png", lambda p: contact_sheet(data).save(p, format="PNG"))
    page = _atomic(out_dir / "report.html", lambda p: Path(p).write_text(report_html(data, out_dir),
                                                                           encoding="utf-8"))
    return page, sheet


def _atomic(target: Path, write) -> Path:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _font(size: int) -> ImageFont.ImageFont:
    try:
        from studio.library.fonts import font_path

        return ImageFont.truetype(str(font_path("dejavu-sans-bold")), size)
    except Exception:  # noqa: BLE001 - a missing font must not cost the report
        return ImageFont.load_default()


def contact_sheet(data: dict) -> Image.Image:
    outputs = data["outputs"]
    cols = max(1, min(COLUMNS, len(outputs)))
    rows = max(1, -(-len(outputs) // cols))
    sheet = Image.new("RGB", (GAP + cols * (TILE_W + GAP), GAP + rows * (TILE_H + TEXT_H + GAP)), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    big, small = _font(14), _font(11)
    for n, o in enumerate(outputs):
        x = GAP + (n % cols) * (TILE_W + GAP)
        y = GAP + (n // cols) * (TILE_H + TEXT_H + GAP)
        if o["cover"]:
            with Image.open(o["cover"]) as img:
                sheet.paste(img.convert("RGB").resize((TILE_W, TILE_H), Image.Resampling.LANCZOS), (x, y))
        else:
            draw.rectangle((x, y, x + TILE_W - 1, y + TILE_H - 1), fill=(60, 60, 66))
            draw.text((x + 10, y + TILE_H // 2 - 8), o["state"].upper(), font=big, fill=FAIL)
        colour = PASS if o["verdict"] == "passed" else FAIL if o["verdict"] in ("failed", "cancelled") else GREY
        draw.rectangle((x, y + TILE_H, x + TILE_W - 1, y + TILE_H + 4), fill=colour)
        lines = [(_fit(draw, o["name"], big, TILE_W), big, (240, 240, 240)),
                 (f"{o['duration']:.1f} s" if o["duration"] is not None else "-", small, GREY),
                 (f"pre-flight: {o['verdict']}", small, colour)]
        lines += [(_fit(draw, p, small, TILE_W), small, GREY) for p in o["problems"][:2]]
        ty = y + TILE_H + 8
        for text, font, fill in lines:
            draw.text((x, ty), text, font=font, fill=fill)
            ty += 17 if font is big else 15
    return sheet


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def report_html(data: dict, out_dir: Path) -> str:
    def rel(path: str | None) -> str | None:
        return html.escape(os.path.relpath(path, out_dir)) if path else None

    cards = []
    for o in data["outputs"]:
        verdict = o["verdict"]
        cls = "pass" if verdict == "passed" else "fail" if verdict in ("failed", "cancelled") else "other"
        cover = (f'<a href="{rel(o["output"])}"><img src="{rel(o["cover"])}" alt="cover of {html.escape(o["name"])}"></a>'
                 if o["cover"] else f'<div class="missing">{html.escape(o["state"])}</div>')
        problems = "".join(f"<li>{html.escape(p)}</li>" for p in o["problems"]) or "<li class=ok>no problems</li>"
        duration = f"{o['duration']:.2f} s" if o["duration"] is not None else "–"
        cards.append(f"""<figure class="{cls}">{cover}
<figcaption><b>{html.escape(o['name'])}</b><br>
{html.escape(o['variant'] or '')}{' · ' if o['variant'] else ''}{html.escape(o['preset'])} · {duration}<br>
<span class="verdict">pre-flight: {html.escape(verdict)}</span>
<ul>{problems}</ul></figcaption></figure>""")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Batch report</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #18181c; color: #eee; margin: 24px; }}
a {{ color: #8ab4ff; }}
h1 {{ font-size: 20px; }}
.grid {{ display: flex; flex-wrap: wrap; gap: 16px; }}
figure {{ margin: 0; width: 216px; }}
figure img, .missing {{ width: 216px; height: 384px; display: block; border-bottom: 5px solid #888; object-fit: cover; }}
.missing {{ background: #3c3c42; line-height: 384px; text-align: center; color: #eb5046; }}
figure.pass img {{ border-color: #5ac878; }} figure.fail img, figure.fail .missing {{ border-color: #eb5046; }}
figcaption {{ font-size: 12px; padding-top: 6px; word-break: break-all; }}
.pass .verdict {{ color: #5ac878; }} .fail .verdict {{ color: #eb5046; }}
ul {{ padding-left: 16px; margin: 4px 0; color: #aaa; }} li.ok {{ list-style: none; margin-left: -16px; }}
</style></head><body>
<h1>Batch report: {data['done']} done, {data['failed']} not done</h1>
<p><a href="contact_sheet.png">contact sheet</a></p>
<div class="grid">
{chr(10).join(cards)}
</div></body></html>
"""
