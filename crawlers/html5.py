"""HTML5 repair for pages lxml misreads (pure).

Some CMS templates (www.gov.cn content pages among them) close ``</html>`` early and carry
on with the body after it. libxml2's HTML parser stops building the tree there, so CSS
selectors and trafilatura see only the header, and the stored "text" becomes the title and the
breadcrumb. An HTML5-conformant parser (Lexbor, via selectolax) puts the rest back inside
<body> as browsers do; we re-serialise its tree so every lxml-based parser downstream sees
the whole page.
"""

from __future__ import annotations

import re

_END = re.compile(r"</html\s*>|</body\s*>", re.IGNORECASE)
_MARKUP = re.compile(r"<[a-zA-Z]")


def has_stray_end(html: str) -> bool:
    """True if elements follow the first ``</body>``/``</html>`` (not just comments/space)."""
    match = _END.search(html)
    if match is None:
        return False
    rest = re.sub(r"<!--.*?-->", "", html[match.end() :], flags=re.DOTALL)
    return _MARKUP.search(rest) is not None


def repair(html: str) -> str:
    """The page re-serialised by an HTML5 parser when it has a stray early end tag; the page
    unchanged otherwise (a well-formed page is never rewritten)."""
    if not has_stray_end(html):
        return html
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    return tree.html or html


def visible_text_length(html: str) -> int:
    """Characters of visible text in a page (scripts, styles and whitespace left out)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    tree.strip_tags(["script", "style", "noscript", "template"])
    root = tree.body or tree.root
    if root is None:
        return 0
    return len(re.sub(r"\s+", "", root.text(separator=" ")))
