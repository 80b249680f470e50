"""Text style presets: every font resolves to a real font that draws glyphs."""

import pytest
from PIL import Image, ImageDraw, ImageFont

from studio.library.errors import LibraryError
from studio.library.fonts import font_path, list_families
from studio.library.styles import DEFAULT_STYLE_ID, TextStyle, get_style, list_styles

STYLES = list_styles()


def test_presets_present():
    ids = [s.id for s in STYLES]
    for required in ("classic", "typewriter", "neon", "highlight", "serif", "handwriting"):
        assert required in ids
    assert ids[0] == DEFAULT_STYLE_ID
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.id)
def test_style_font_renders_glyphs(style: TextStyle):
    assert style.font_path.is_file()
    font = ImageFont.truetype(str(style.font_path), style.font_size)
    im = Image.new("L", (style.font_size * 8, style.font_size * 2), 0)
    ImageDraw.Draw(im).text((10, 10), "Hello 123!", font=font, fill=255)
    bbox = im.getbbox()
    assert bbox is not None and bbox[2] - bbox[0] > style.font_size * 2
    assert style.align in ("left", "center", "right")
    assert 0.5 < style.line_spacing < 2.0
    for colour in (style.fill, style.stroke_color, style.box_color, style.shadow_color, style.glow_color):
        assert colour is None or (len(colour) == 4 and all(0 <= c <= 255 for c in colour))


def test_style_character():
    assert get_style("classic").stroke_color[:3] == (0, 0, 0) and get_style("classic").stroke_width > 0
    assert get_style("neon").glow_color is not None and get_style("neon").glow_radius > 0
    assert get_style("highlight").box_color is not None and get_style("highlight").box_radius > 0
    assert get_style("typewriter").box_color is not None
    mono = ImageFont.truetype(str(get_style("typewriter").font_path), 40)
    assert mono.getlength("iii") == pytest.approx(mono.getlength("WWW"))


def test_every_family_resolves():
    for family in list_families():
        assert font_path(family).is_file()


def test_unknown_ids():
    with pytest.raises(LibraryError, match="nope"):
        get_style("nope")
    with pytest.raises(LibraryError, match="nofont"):
        font_path("nofont")
