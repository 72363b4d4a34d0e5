"""A subset of the CJK font, embedded in the HTML report.

report.html must show its Chinese text on any machine, with no network and no
installed Chinese font (a fresh Linux machine has none). The full Noto Sans SC is
17 MB; the report embeds only the glyphs its own text uses (a few hundred KB), as
a WOFF font in a data URL, listed after the usual system CJK fonts so a reader's
own font still wins where it exists.
"""

from __future__ import annotations

import base64
import io
import logging

log = logging.getLogger(__name__)

FAMILY = "caseminer CJK"


def embedded_font_css(text: str) -> str:
    """An ``@font-face`` rule with the glyphs of ``text`` (empty without the font package)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from .figures import _default_font_file

    codepoints = {ord(ch) for ch in text if ord(ch) > 127} | set(range(32, 127))
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    font = TTFont(str(_default_font_file()))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.flavor = "woff"
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    log.info("embedded a %d-glyph font subset (%d bytes)", len(codepoints), len(buffer.getvalue()))
    return f'@font-face{{font-family:"{FAMILY}";src:url(data:font/woff;base64,{data}) format("woff");}}'
