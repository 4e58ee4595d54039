"""mkdocs hook: the root element gets the locale's own language tag and text direction.

Material sets `lang` from its theme language (`pt` for pt-BR) and `dir` only on <body>; screen readers, search
indexers and the browser's own UI read both from <html>.
"""

from __future__ import annotations

import re
from typing import Any

_HTML_TAG = re.compile(r"<html\b[^>]*>")


def on_post_page(output: str, page: Any, config: Any) -> str:
    hubkb = config["extra"].get("hubkb", {})
    tag = f'<html lang="{hubkb.get("lang", "en")}" dir="{hubkb.get("dir", "ltr")}" class="no-js">'
    return _HTML_TAG.sub(tag, output, count=1)
