"""User Markdown becomes safe HTML: the XSS vectors of the issue, mentions, links and idempotent sanitising."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from forum.core.text import LINK_REL, excerpt, render, sanitise

VECTORS = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](java\u200bscript:alert(1))",
    "[click](jav\tascript:alert(1))",
    "[click](\u0001javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    '[x](https://example.org "title\\" onmouseover=\\"alert(1))',
    '[x](https://example.org "a" onmouseover="alert(1)")',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<style>body{display:none}</style>",
    "<form action=\"https://evil.example\"><button>go</button></form>",
    "<scr<script>ipt>alert(1)</script>",
    "<div <script>alert(1)</script>",
    "<b onclick=alert(1)>unclosed",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "``` \n</code><script>alert(1)</script>\n```",
]


class _Elements(HTMLParser):
    """Collects the elements and attributes a browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def _dangerous(html: str) -> list[str]:
    """What in ``html`` could run script: forbidden elements, event handlers, or non-web URL schemes."""
    parser = _Elements()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        if tag in {"script", "svg", "math", "iframe", "style", "form", "object", "embed", "base", "meta"}:
            problems.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                squeezed = re.sub(r"[\x00-\x20\u200b]", "", value or "").lower()
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", squeezed)
                if scheme and scheme.group(1) not in ("http", "https", "mailto"):
                    problems.append(f"{tag}[{name}]={value}")
    return problems


@pytest.mark.parametrize("source", VECTORS)
def test_xss_vectors_produce_no_script(source):
    """Each vector renders to HTML without scripts, event handlers, foreign elements or unsafe URLs."""
    html = render(source).html
    assert _dangerous(html) == [], html


@pytest.mark.parametrize("source", [*VECTORS, "**bold** [ok](https://example.org) `code`\n\n> quote"])
def test_sanitising_twice_changes_nothing(source):
    """The sanitiser is idempotent: what it keeps it would keep again."""
    once = render(source).html
    assert sanitise(once) == once


def test_ordinary_markdown_survives():
    """CommonMark formatting, tables and safe links come through; links get the safe rel values."""
    html = render("**bold** *it* [site](https://example.org) <mailto:ana@example.org>\n\n| a |\n|---|\n| 1 |").html
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<table>" in html
    assert f'href="https://example.org" rel="{LINK_REL}"' in html
    assert 'href="mailto:ana@example.org"' in html


def test_mentions_link_known_people_only_and_not_in_code():
    """``@handle`` links to known people; unknown handles, code spans and e-mail addresses stay text."""
    known = {"rosa.lopez": "/users/7"}
    rendered = render("Hola @rosa.lopez y @nadie; `@rosa.lopez`; ana@rosa.lopez.mx", known.get)
    assert rendered.html.count('href="/users/7"') == 1
    assert rendered.mentions == ["rosa.lopez"]
    assert "<code>@rosa.lopez</code>" in rendered.html


def test_excerpt_is_plain_text_cut_at_a_word():
    """Excerpts drop the markup and stop at a word boundary with an ellipsis."""
    text = excerpt("**Hola** <b>mundo</b> & " + "palabra " * 50, length=40)
    assert text.startswith("Hola <b>mundo</b> & palabra") and text.endswith("…") and len(text) <= 41


def test_the_checker_recognises_danger_in_raw_html():
    """The check above would catch each kind of attack if the sanitiser let it through."""
    assert _dangerous('<a href=" jav&#x09;ascript:alert(1)">x</a><img src=x onerror=alert(1)><svg></svg>') == [
        "a[href]= jav\tascript:alert(1)", "img[onerror]", "svg"]
