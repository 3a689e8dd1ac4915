"""User text: Markdown (CommonMark) source rendered once, at write time, to sanitised HTML.

``render`` is the only way user-written Markdown becomes HTML. markdown-it-py renders CommonMark with raw HTML
turned off (typed tags come out as text); nh3, the maintained Rust-based successor of bleach, then keeps only
the allow-list below, so no script, style, frame, form, SVG or MathML, no event handler and no URL scheme other
than http, https and mailto can reach a page, whatever the Markdown parser lets through.
"""

from __future__ import annotations

import html as html_entities
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

#: the HTML a post may contain after rendering
ALLOWED_TAGS = frozenset({
    "a", "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "img", "del", "s", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: every link in user text: no access to the opener, no referrer, no search-engine credit, marked as user content
LINK_REL = "noopener noreferrer nofollow ugc"
#: ``@handle``: letters, digits, dots, hyphens and underscores, not glued to a word before it (e-mail addresses)
MENTION = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9._-]{1,38}[a-z0-9])", re.IGNORECASE)

#: turns a mentioned handle into the address of that person's profile, or None when nobody has that handle
MentionResolver = Callable[[str], "str | None"]


@dataclass
class Rendered:
    """The outcome of :func:`render`: the safe HTML and the handles it mentions (known people only)."""

    html: str
    mentions: list[str] = field(default_factory=list)


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"])


_MARKDOWN = _parser()


def sanitise(html: str) -> str:
    """Reduce ``html`` to the allow-list (idempotent: sanitising twice gives the same result)."""
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True)


def _link_mentions(tokens: list[Token], resolve: MentionResolver, found: list[str]) -> None:
    """Replace ``@handle`` in plain text (not in code, not inside links) with a link to the person."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        inside_link = 0
        for token in block.children:
            if token.type == "link_open":
                inside_link += 1
            elif token.type == "link_close":
                inside_link -= 1
            if token.type != "text" or inside_link or "@" not in token.content:
                children.append(token)
                continue
            position = 0
            for match in MENTION.finditer(token.content):
                handle = match.group(1).lower()
                url = resolve(handle)
                if url is None:
                    continue
                if handle not in found:
                    found.append(handle)
                children.append(_text(token.content[position:match.start()]))
                opening = Token("link_open", "a", 1, attrs={"href": url, "class": "mention"})
                children += [opening, _text(match.group(0)), Token("link_close", "a", -1)]
                position = match.end()
            children.append(_text(token.content[position:]))
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def render(source: str, resolve_mention: MentionResolver | None = None) -> Rendered:
    """Render Markdown ``source`` to sanitised HTML, linking ``@handle`` mentions that ``resolve_mention``
    knows."""
    found: list[str] = []
    tokens = _MARKDOWN.parse(source or "")
    if resolve_mention is not None:
        _link_mentions(tokens, resolve_mention, found)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return Rendered(html=sanitise(html), mentions=found)


def stored_html(html: str | None) -> Markup:
    """Template filter ``stored_html``: HTML that :func:`render` produced when the text was saved, trusted as is.
    Templates apply it only to ``body_html`` columns (a test checks), and mark nothing else as safe."""
    return Markup(html or "")  # noqa: S704  (sanitised by render() before it was stored)


def init_app(app) -> None:
    """Offer :func:`stored_html` and :func:`excerpt` to templates."""
    app.jinja_env.filters["stored_html"] = stored_html
    app.jinja_env.globals["excerpt"] = excerpt


def excerpt(source: str, length: int = 160) -> str:
    """A plain-text beginning of Markdown ``source`` (for lists and notifications), cut at a word."""
    text = plain_text(_MARKDOWN.render(source or ""))
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


def plain_text(html: str | None) -> str:
    """The words of stored HTML without its markup, on one line (for excerpts and the search index)."""
    return re.sub(r"\s+", " ", html_entities.unescape(nh3.clean(html or "", tags=set()))).strip()
