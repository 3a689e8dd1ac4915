"""The search page as people use it, without JavaScript, in both languages: the box in every page's header, the
results with their kind, highlighted title and snippet, counts by kind, filters and pages that keep them; every
refused value explained beside its field (400, never 500); members-only platforms kept from others; and strange
text shown escaped."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, ngettext

from forum.core.db import utcnow
from forum.platforms.rules import forget_access
from tests.conftest import browser
from tests.conftest import spanish_page as _es

UNKNOWN_PLATFORM = "There is no platform with this address among those you may read."


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def main(response) -> str:
    """The page's main content (the header lists every platform's public page)."""
    return re.search(r"<main.*</main>", text(response), re.S).group(0)


def titles(page: str) -> list[str]:
    """The titles of the results, in order, without their highlighting."""
    return [re.sub(r"</?mark>", "", title) for title in
            re.findall(r'<li class="search-result">.*?<a href="[^"]*" lang="[a-z]+">(.*?)</a>', page, re.S)]


@pytest.fixture
def writer(make_user, make_platform):
    """A member of a public platform, and the platform."""
    person = make_user()
    return person, make_platform(members=[person], slug="justicia", name_es="Justicia", name_en="Justice")


@pytest.fixture
def discussion(writer, make_thread, make_post):
    """Two threads about women's participation (one with a reply that mentions it) and one about something else."""
    person, platform = writer
    first = make_thread(person, platform, title="Participación de la mujer indígena", body="Propuestas de Oaxaca.")
    make_post(person, first, body="Las mujeres rurales también participan.")
    make_thread(person, platform, title="Mujeres en la política local", body="Cuotas de género.")
    make_thread(person, platform, title="Seguridad vial", body="Nada que ver.")
    return first


def test_header_box_on_every_page(english_client):
    """The header of the home page carries a labelled search box that sends ``q`` to the results page."""
    page = text(english_client.get("/"))
    box = re.search(r'<form class="site-search" role="search" method="get" action="/search">.*?</form>', page, re.S)
    assert box is not None
    assert '<label class="visually-hidden" for="site-search-q">Search the forum</label>' in box.group(0)
    assert 'type="search" id="site-search-q" name="q"' in box.group(0)


def test_empty_query_shows_the_box_and_a_hint(english_client):
    """Without words the page has the box and says how searching works, and runs no search."""
    response = english_client.get("/search")
    page = text(response)
    assert response.status_code == 200
    assert 'id="q" name="q" value=""' in page
    assert "Every word must appear" in page
    assert "results-heading" not in page


def test_results_in_english(english_client, discussion):
    """Results show the count, kind, highlighted title, snippet in its language, context and date, best first;
    the query is in the box and the page title."""
    response = english_client.get("/search?q=mujeres")
    page = text(response)
    assert response.status_code == 200
    assert "<title>Search: mujeres · " in page
    assert 'value="mujeres"' in page
    assert "3 results" in page
    assert sorted(titles(page)) == sorted(["Participación de la mujer indígena", "Mujeres en la política local",
                                           "Participación de la mujer indígena"])
    assert "<mark>Mujeres</mark> en la política local" in page
    assert '<p class="snippet" lang="es">Las <mark>mujeres</mark> rurales también participan.</p>' in page
    assert '<span class="badge">Post</span>' in page and '<span class="badge">Thread</span>' in page
    assert "Justice" in page and "<time datetime=" in page


def test_results_in_spanish(client, discussion):
    """The Spanish page finds the same, with the count in Spanish."""
    response = client.get("/search?q=mujer")
    page = text(response)
    assert response.status_code == 200
    assert '<html lang="es">' in page
    assert len(titles(page)) == 3
    with force_locale("es"):
        assert ngettext("%(num)s result", "%(num)s results", 3) in page
    assert "Justicia" in page


def test_counts_by_kind_and_the_kind_filter(english_client, discussion):
    """The tabs count each kind of the whole search; choosing one lists only it and keeps the others' counts."""
    page = text(english_client.get("/search?q=mujeres"))
    assert "All (3)</a>" in page and "Threads (2)</a>" in page and "Posts (1)</a>" in page
    page = text(english_client.get("/search?q=mujeres&kind=post"))
    assert "1 result" in page and "1 results" not in page
    assert titles(page) == ["Participación de la mujer indígena"]
    assert '<span class="badge">Thread</span>' not in page
    assert re.search(r'href="/search\?q=mujeres&amp;kind=post"\s+aria-current="page">Posts \(1\)', page)
    assert "All (3)</a>" in page and "Threads (2)</a>" in page


def test_platform_language_and_date_filters(english_client, writer, make_platform, make_thread, discussion):
    """Each filter narrows the results; the platform list offers the platforms one may read."""
    person, _platform = writer
    other = make_platform(members=[person], slug="empleo", name_es="Empleo", name_en="Employment")
    forget_access()
    english = "Rural employment of women (mujeres)"
    make_thread(person, other, title=english, body="Policies.", language="en")
    assert len(titles(text(english_client.get("/search?q=mujer")))) == 4
    assert titles(text(english_client.get("/search?q=mujer&platform=empleo"))) == [english]
    assert titles(text(english_client.get("/search?q=mujer&language=en"))) == [english]
    assert len(titles(text(english_client.get("/search?q=mujer&language=es")))) == 3
    today = utcnow().date()
    tomorrow, yesterday = (today + timedelta(days=2)).isoformat(), (today - timedelta(days=2)).isoformat()
    assert titles(text(english_client.get(f"/search?q=mujer&since={tomorrow}"))) == []
    assert titles(text(english_client.get(f"/search?q=mujer&until={yesterday}"))) == []
    assert len(titles(text(english_client.get(f"/search?q=mujer&since={yesterday}&until={tomorrow}")))) == 4
    page = text(english_client.get("/search?q=mujer&platform=empleo"))
    assert '<option value="empleo" lang="en" selected>Employment</option>' in page
    assert '<option value="justicia" lang="en" >Justice</option>' in page


def test_no_words_and_no_results(english_client, discussion):
    """A query without letters asks for a word; a search that finds nothing says what to try, and with filters
    offers to search without them."""
    page = text(english_client.get("/search?q=!!!"))
    assert "Type at least one word: letters or digits." in page
    page = text(english_client.get("/search?q=zanahoria"))
    assert "0 results" in page and "Try fewer or other words" in page
    page = text(english_client.get("/search?q=mujer&language=en"))
    assert "Nothing found with these filters." in page
    assert '<a href="/search?q=mujer">Search everything instead</a>' in page


def test_pages_keep_the_filters(english_client, writer, make_thread):
    """Past 20 results the pager links to the next page with every filter; a page past the last is not found."""
    person, platform = writer
    for number in range(22):
        make_thread(person, platform, title=f"Reforma judicial {number}", body="Texto.")
    page = text(english_client.get("/search?q=reforma&kind=thread&language=es&platform=justicia"))
    assert "22 results" in page and len(titles(page)) == 20
    link = re.search(r'<a rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert sorted(link.split("?")[1].split("&")) == sorted(
        ["q=reforma", "kind=thread", "platform=justicia", "language=es", "page=2"])
    second = text(english_client.get(link))
    assert len(titles(second)) == 2 and 'rel="prev"' in second
    assert english_client.get(link.replace("page=2", "page=3")).status_code == 404


@pytest.mark.parametrize(("arguments", "field", "message"), [
    ("q=" + "a" * 201, "q", "Search for at most 200 characters."),
    ("q=mujer&kind=nada", "kind", "There is no such kind of result."),
    ("q=mujer&platform=no-existe", "platform", UNKNOWN_PLATFORM),
    ("q=mujer&platform=%00", "platform", UNKNOWN_PLATFORM),
    ("q=mujer&platform=" + "x" * 300, "platform", UNKNOWN_PLATFORM),
    ("q=mujer&language=fr", "language", "Choose Spanish or English."),
    ("q=mujer&since=ayer", "since", "Enter a real date as YYYY-MM-DD, for example 2025-03-31."),
    ("q=mujer&since=2025-02-30", "since", "Enter a real date as YYYY-MM-DD, for example 2025-03-31."),
    ("q=mujer&until=2025-13-01", "until", "Enter a real date as YYYY-MM-DD, for example 2025-03-31."),
    ("q=mujer&until=9999-12-31", "until", "Enter a real date as YYYY-MM-DD, for example 2025-03-31."),
    ("q=mujer&since=0001-01-01", "since", "Enter a real date as YYYY-MM-DD, for example 2025-03-31."),
    ("q=mujer&since=2025-1-1", "since", "Enter a real date as YYYY-MM-DD, for example 2025-03-31."),
    ("q=mujer&since=2025-03-02&until=2025-03-01", "until", "The end date must be on or after the start date."),
    ("kind=nada", "kind", "There is no such kind of result."),
])
def test_refused_values(english_client, discussion, arguments, field, message):
    """Each refused value answers 400 with its message beside its field (and in the summary), never a 500."""
    response = english_client.get(f"/search?{arguments}")
    page = text(response)
    assert response.status_code == 400
    assert f'id="{field}-error">{message}</p>' in page or f'id="{field}">{message}</p>' in page
    assert 'role="alert"' in page and "results-heading" not in page


def test_refused_values_in_spanish(client):
    """The Spanish page explains a refused value the same way."""
    response = client.get("/search?q=mujer&language=fr")
    assert response.status_code == 400
    assert _es("Choose Spanish or English.") in text(response)


def test_members_only_platform(app, make_user, make_platform, make_thread, writer, discussion):
    """Outsiders find nothing of a members-only platform, it is not among their platform choices, and naming it
    is refused exactly like a platform that does not exist; its members find and choose it."""
    member = make_user(email="socia@example.org")
    closed = make_platform(members=[member], slug="genero", name_es="Género", name_en="Gender",
                           visibility="members")
    forget_access()
    make_thread(member, closed, title="Mujeres y violencia: casos reservados", body="Confidencial.")
    outsider = browser(app, language="en")
    page = text(outsider.get("/search?q=mujer"))
    assert "casos reservados" not in page and 'value="genero"' not in page
    hidden, unknown = outsider.get("/search?q=mujer&platform=genero"), outsider.get("/search?q=mujer&platform=nada")
    assert hidden.status_code == unknown.status_code == 400
    assert main(hidden).replace("genero", "nada") == main(unknown)
    inside = browser(app, "socia@example.org", "en")
    page = text(inside.get("/search?q=mujer&platform=genero"))
    assert titles(page) == ["Mujeres y violencia: casos reservados"]
    assert 'value="genero" lang="es" selected' in page


def test_strange_text_is_escaped(english_client, writer, make_thread):
    """A title and a body with markup are shown as text, in the title and in the snippet alike."""
    person, platform = writer
    make_thread(person, platform, title="<script>alert(1)</script> mujer",
                body="<script>alert(2)</script> mujer <img src=x onerror=alert(3)>")
    page = text(english_client.get("/search?q=mujer"))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>mujer</mark>" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt; <mark>mujer</mark>" in page


def test_counting_stops_at_the_limit(english_client, writer, make_thread, make_post, monkeypatch):
    """Past the counting limit the page says "more than N" instead of asking the rules about every match, and
    the pages still reach the limit; below it, counts are exact."""
    person, platform = writer
    thread = make_thread(person, platform, title="Reforma judicial", body="Primera propuesta de reforma.")
    for number in range(4):
        make_post(person, thread, body=f"Otra reforma, la número {number}.")
    monkeypatch.setattr("forum.search.finding.COUNT_LIMIT", 3)
    monkeypatch.setattr("forum.search.routes.COUNT_LIMIT", 3)
    page = main(english_client.get("/search?q=reforma"))
    assert "More than 3 results" in page and "All (more than 3)" in page
    assert "Posts (" not in page  # partial counts by kind are not shown
    exact = main(english_client.get("/search?q=reforma&kind=thread"))
    assert "1 result" in exact and titles(exact) == ["Reforma judicial"]
