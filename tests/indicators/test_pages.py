"""The dashboard pages as people meet them: without JavaScript, in both languages, with filters that refuse bad
values, the fuller page only for administrators and officials, and the administrators' targets."""

from __future__ import annotations

import re

import pytest

from tests.conftest import browser, spanish_page
from tests.indicators.conftest import at

PERIOD = "since=2026-01&until=2026-03"


@pytest.fixture
def seeded(make_people, make_platform, post_at):
    """Justice (public) with 6 women and 6 men of civil society from Oaxaca posting in January 2026; a
    members-only platform where 5 more people post."""
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice")
    closed = make_platform(slug="reservada", name_es="Reservada", name_en="Restricted", visibility="members")
    for person in make_people(6, gender="woman") + make_people(6, gender="man"):
        post_at(person, justice, at(1))
    for person in make_people(5, gender="woman", sector="academia"):
        post_at(person, closed, at(1))
    return justice, closed


def _row(page: str, label: str) -> list[str]:
    """The cells of the first table row whose header is ``label``, as text."""
    match = re.search(r'<th scope="row"[^>]*>(?:<a [^>]*>)?' + re.escape(label) + r'(?:</a>)?</th>(.*?)</tr>',
                      page, re.S)
    assert match, f"no row {label!r}"
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", match.group(1), re.S)]


def test_the_public_page_works_without_javascript_in_english(seeded, english_client):
    response = english_client.get(f"/indicators?{PERIOD}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<form method="get" action="/indicators"' in page
    assert _row(page, "Civil-society organisation")[:3] == ["12", "fewer than 5", "fewer than 5"]
    assert _row(page, "Woman")[0] == "6" and _row(page, "Man")[0] == "6"
    # the members-only platform counts nowhere on the public page, and is not offered as a filter
    assert "Academia" not in page and 'value="reservada"' not in page
    assert "/indicators/participants-by-sector.csv?since=2026-01&amp;until=2026-03" in page


def test_the_public_page_in_spanish(seeded, client):
    page = client.get(f"/indicators?{PERIOD}").get_data(as_text=True)
    assert '<html lang="es"' in page
    assert _row(page, spanish_page("Civil-society organisation"))[:2] == ["12", spanish_page("fewer than %(num)d",
                                                                                                num=5)]
    assert "ene 2026" in page


def test_filters_narrow_the_figures_and_are_kept_in_the_form(seeded, english_client):
    page = english_client.get(f"/indicators?{PERIOD}&platform=justicia&state=OAX").get_data(as_text=True)
    assert '<option value="justicia" lang="es" selected' in page or 'value="justicia"' in page
    assert '<option value="OAX" selected>' in page
    assert _row(page, "Woman")[0] == "6"


@pytest.mark.parametrize("query, field, message", [
    ("since=2026-13", "since", "Enter a month as YYYY-MM, for example 2026-01."),
    ("since=2026-05&until=2026-01", "until", "The last month must be the first month or later."),
    ("since=2020-01&until=2026-01", "until", "A period covers at most %(months)d months."),
    ("platform=reservada", "platform", "There is no platform with this address among those you may read."),
    ("platform=%3Cscript%3E", "platform", "There is no platform with this address among those you may read."),
    ("state=XX", "state", "Choose a state from the list."),
])
def test_bad_filters_are_refused_beside_their_field(seeded, client, query, field, message):
    response = client.get(f"/indicators?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert spanish_page(message, months=36) in page
    assert "<script>" not in page


def test_the_full_page_is_for_administrators_and_officials(seeded, app, make_user, make_organisation,
                                                           add_member):
    from forum.extensions import db
    from forum.platforms.models import PlatformMembership

    _justice, closed = seeded
    make_user("ana@example.org")
    official = make_user("oficial@segob.gob.mx", sector="federal_government")
    add_member(official, make_organisation(acronym="SEGOB"))
    # an official who belongs to a platform (the events of one's platforms are part of what one may see)
    db.session.add(PlatformMembership(platform_id=closed.id, user_id=official.id, status="approved"))
    db.session.commit()
    admin = make_user("admin@example.org", role="admin")
    assert app.test_client().get("/indicators/full").status_code == 302
    assert browser(app, "ana@example.org").get("/indicators/full").status_code == 403
    official_page = browser(app, "oficial@segob.gob.mx").get(f"/indicators/full?{PERIOD}")
    assert official_page.status_code == 200
    page = browser(app, admin.email, "en").get(f"/indicators/full?{PERIOD}").get_data(as_text=True)
    assert spanish_page("Active participants by age range") in page
    assert 'id="targets"' in page
    # people are counted as on the public page: the 5 academics active only on the members-only platform are not
    # (taking the public figures from these would tell their answers) …
    assert spanish_page("Academia") not in page.split('id="section-participants"')[1].split("</section>")[0]
    assert spanish_page("Figures about people count public activity only, here as on the public page.") in page
    # … while content is counted as the reader sees it: the members-only platform's posts are in the translation
    assert _row(page, "Reservada")[0] == "5"


def test_the_public_page_is_the_same_whoever_reads_it(seeded, app, make_user):
    make_user("admin@example.org", role="admin")
    visitor = app.test_client().get(f"/indicators?{PERIOD}").get_data(as_text=True)
    admin = browser(app, "admin@example.org").get(f"/indicators?{PERIOD}").get_data(as_text=True)
    assert _row(visitor, spanish_page("Woman")) == _row(admin, spanish_page("Woman"))
    assert spanish_page("Academia") not in admin.split('id="section-participants"')[1].split("</section>")[0]


def test_administrators_set_the_targets(seeded, app, make_user):
    make_user("admin@example.org", role="admin")
    make_user("ana@example.org")
    admin = browser(app, "admin@example.org", "en")
    response = admin.post("/indicators/targets", data={"women": "60", "young": "35"})
    assert response.status_code == 303
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert spanish_page("The targets are saved.") in page
    assert 'name="women" min="0" max="100" step="1" required value="60"' in page
    public = app.test_client().get("/indicators").get_data(as_text=True)
    assert spanish_page("Targets: %(women)s %% women, %(young)s %% people under 30.", women=60, young=35) in public

    refused = admin.post("/indicators/targets", data={"women": "150", "young": "35"})
    assert refused.status_code == 400
    assert spanish_page("Enter a whole number from 0 to 100.") in refused.get_data(as_text=True)
    assert 'value="150"' in refused.get_data(as_text=True)
    assert spanish_page("Targets: %(women)s %% women, %(young)s %% people under 30.", women=60, young=35) in \
        admin.get("/indicators").get_data(as_text=True)
    assert browser(app, "ana@example.org").post("/indicators/targets", data={"women": "10"}).status_code == 403


def test_the_page_costs_the_same_queries_for_more_platforms_and_people(app, make_people, make_platform,
                                                                      post_at, count_queries, client):
    first = make_platform()
    for person in make_people(6):
        post_at(person, first, at(1))
    client.get(f"/indicators?{PERIOD}")
    with count_queries() as few:
        client.get(f"/indicators?{PERIOD}")
    for _ in range(3):
        platform = make_platform()
        for person in make_people(6):
            post_at(person, platform, at(2))
    with count_queries() as many:
        client.get(f"/indicators?{PERIOD}")
    assert len(many) == len(few)
