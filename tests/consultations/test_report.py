"""The consultation's report, as officials and readers meet it, in both languages: publishing refused while the
consultation is open (409) and to others (403, 404), publishing once closed (the consultation is then answered),
the figures per paragraph, who took part with groups under five withheld, and the open data (CSV without names,
e-mails or formulas; JSON with the same figures); the report of a draft or open consultation is 404."""

from __future__ import annotations

import csv
import io

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape

from forum.consultations import comments, lifecycle, report, services
from forum.core.db import commit
from tests.conftest import browser, saved

OFFICIAL = "jorge@segob.gob.mx"


def _in(locale: str, message: str, **values) -> str:
    """``message`` as a page in ``locale`` shows it."""
    with force_locale(locale):
        return str(escape(_(message, **values)))


@pytest.fixture
def signed_in(app, official):
    """The official's browser (Spanish)."""
    return browser(app, OFFICIAL)


@pytest.fixture
def commented(official, make_user, make_consultation):
    """An open consultation: on §1 two supports and a proposal (the proposal answered, a reply to it), a concern
    on the whole draft written as a formula; 11 commenters: 6 women, 2 men, 3 who did not say."""
    consultation = make_consultation(official)
    people = [make_user(f"p{n}@example.org", display_name=f"Participante {n}", gender=gender)
              for n, gender in enumerate(["woman"] * 6 + ["man"] * 2 + [None] * 3)]
    first = comments.comment(people[0], consultation, body="Apoyo el párrafo.", kind="support", paragraph="1")
    comments.comment(people[1], consultation, body="Yo también.", kind="support", paragraph="1")
    proposal = comments.comment(people[2], consultation, body="Propongo otra redacción.", kind="proposal",
                                paragraph="1", replacement="Garantizar intérpretes certificados.")
    comments.comment(people[3], consultation, body="De acuerdo con la propuesta.", parent=proposal)
    comments.comment(people[4], consultation, body="=cmd()", kind="concern")
    for person in people[5:]:
        comments.comment(person, consultation, body="Sobre el alcance.", kind="concern", paragraph="3")
    comments.answer(official, proposal, status="accepted", explanation_es="Se incorpora.",
                    explanation_en="It is included.")
    commit()
    assert first.id
    return consultation


def _close(official, consultation) -> None:
    services.close_early(official, consultation)
    commit()


def test_publishing_is_refused_while_open_and_to_others(app, signed_in, official, commented, make_user,
                                                        make_consultation):
    """While open: 409 with the reason. A participant: 403; a draft for anyone else: 404; visitors sign in."""
    url = f"/consultations/{commented.id}/report/publish"
    refused = signed_in.post(url, data={"summary_es": "Resumen"})
    assert refused.status_code == 409
    assert _in("es", "The report is published once the consultation has closed, and only once.") \
        in refused.get_data(as_text=True)
    assert saved(commented).report_published_at is None
    _close(official, commented)
    ana = browser(app, "p0@example.org")
    assert ana.get(url).status_code == 403
    assert ana.post(url, data={"summary_es": "Mío"}).status_code == 403
    draft = make_consultation(official, publish=False)
    assert ana.get(f"/consultations/{draft.id}/report/publish").status_code == 404
    assert "/login" in app.test_client().get(url).headers["Location"]
    assert lifecycle.phase(saved(commented)) == "closed"


def test_publishing_the_report_answers_the_consultation(signed_in, official, commented, client):
    """Once closed, the official's page links to the form; an empty summary is refused (422, text kept); a
    summary publishes it: answered, recorded, linked from the consultation, shown with the figures."""
    _close(official, commented)
    page = signed_in.get(f"/consultations/{commented.id}").get_data(as_text=True)
    assert f"/consultations/{commented.id}/report/publish" in page
    form = signed_in.get(f"/consultations/{commented.id}/report/publish")
    assert form.status_code == 200 and _in("es", "Publish the report") in form.get_data(as_text=True)
    empty = signed_in.post(f"/consultations/{commented.id}/report/publish", data={"summary_es": "  "})
    assert empty.status_code == 422
    assert _in("es", "Write the summary in Spanish, in English or in both.") in empty.get_data(as_text=True)
    assert client.get(f"/consultations/{commented.id}/report").status_code == 404
    done = signed_in.post(f"/consultations/{commented.id}/report/publish",
                          data={"summary_es": "Recibimos **11** opiniones.", "summary_en": ""})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/consultations/{commented.id}/report")
    consultation = saved(commented)
    assert lifecycle.phase(consultation) == "answered"
    assert consultation.report_summary_html_es == "<p>Recibimos <strong>11</strong> opiniones.</p>\n"
    assert [c.action for c in services.changes(consultation)][-1] == "report"
    assert signed_in.post(f"/consultations/{commented.id}/report/publish",
                          data={"summary_es": "Otra"}).status_code == 409
    assert f"/consultations/{commented.id}/report" in client.get(f"/consultations/{commented.id}").get_data(
        as_text=True)
    shown = client.get(f"/consultations/{commented.id}/report")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "<strong>11</strong>" in html and _in("es", "Comments and answers") in html
    assert "Se incorpora." in html and "Participante" not in html
    assert _in("es", "Groups of fewer than %(num)d people are not shown.", num=5) in html


def test_statistics_match_the_comments(official, commented):
    """§1: 2 supports, 1 proposal, 1 reply, 1 answered (accepted); the whole draft: 1 concern; totals."""
    figures = report.statistics(commented)
    rows = {row.key: row for row in figures.paragraphs}
    assert [row.key for row in figures.paragraphs][:1] == [1] and None in rows
    first = rows[1]
    assert first.kinds == {"support": 2, "concern": 0, "proposal": 1}
    assert (first.replies, first.answered, first.statuses["accepted"]) == (1, 1, 1)
    assert rows[None].kinds["concern"] == 1 and rows[None].answered == 0
    assert rows[3].kinds["concern"] == 6
    assert figures.total.comments == 10 and figures.total.replies == 1 and figures.total.answered == 1


def test_participation_withholds_small_groups(official, commented):
    """6 women are shown; the 2 men and 3 who did not say are withheld (5 people in groups under five)."""
    gender = report.participation(commented)["gender"]
    assert gender.total == 11 and gender.shown == [("woman", 6)] and gender.withheld == 5
    kinds = report.participation(commented)["organisation_kind"]
    assert kinds.shown == [("not_given", 11)]


def _published(signed_in, official, consultation) -> None:
    _close(official, consultation)
    assert signed_in.post(f"/consultations/{consultation.id}/report/publish",
                          data={"summary_es": "Resumen.", "summary_en": "Summary."}).status_code == 303


def test_csv_names_nobody_and_neutralises_formulas(signed_in, official, commented, client):
    """One row per visible comment, never the author's name or e-mail; ``=cmd()`` comes out as text."""
    _published(signed_in, official, commented)
    response = client.get(f"/consultations/{commented.id}/report.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    assert "Participante" not in body and "@example.org" not in body and "woman" not in body
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == list(report.COLUMNS) and len(rows) == 1 + 11
    assert ["'=cmd()"] == [cell for row in rows for cell in row if "cmd()" in cell]
    proposal = next(row for row in rows if row[2] == "proposal")
    assert proposal[1] == "1" and proposal[8] == "accepted" and proposal[9:] == ["Se incorpora.", "It is included."]


def test_json_matches_the_report(signed_in, official, commented, client):
    """The consultation, the figures, the groups shown and withheld, and the same comment rows."""
    _published(signed_in, official, commented)
    data = client.get(f"/consultations/{commented.id}/report.json").get_json()
    assert data["consultation"]["id"] == commented.id and data["consultation"]["phase"] == "answered"
    assert data["report"]["summary"] == {"es": "Resumen.", "en": "Summary."}
    first = next(row for row in data["statistics"]["paragraphs"] if row["paragraph"] == 1)
    assert first["kinds"] == {"support": 2, "concern": 0, "proposal": 1} and first["answered"] == 1
    assert data["participation"]["gender"] == {"total": 11, "groups": {"woman": 6}, "withheld": 5}
    assert data["comments"] == report.rows(saved(commented))
    assert all("author" not in row for row in data["comments"])


def test_no_report_before_it_is_published(app, official, commented, make_consultation, client):
    """A draft, an open or a closed consultation has no report: 404 for the page and the open data."""
    draft = make_consultation(official, publish=False)
    for consultation in (draft, commented):
        for suffix in ("report", "report.csv", "report.json"):
            assert client.get(f"/consultations/{consultation.id}/{suffix}").status_code == 404
    _close(official, commented)
    assert browser(app, OFFICIAL).get(f"/consultations/{commented.id}/report").status_code == 404
    assert client.get("/consultations/999999/report").status_code == 404


def test_english_report_marks_the_summary_only_in_spanish(app, official, commented, signed_in):
    """An English reader sees the English page, the Spanish-only summary marked as such."""
    _close(official, commented)
    assert signed_in.post(f"/consultations/{commented.id}/report/publish",
                          data={"summary_es": "Solo en español."}).status_code == 303
    page = browser(app, language="en").get(f"/consultations/{commented.id}/report").get_data(as_text=True)
    assert _in("en", "Comments per paragraph") in page and "Solo en español." in page
    assert _in("en", "only in %(language)s", language="Español") in page
    assert f'<th scope="row">{_in("en", "Woman")}</th>' in page
    assert f'<th scope="row">{_in("en", "Man")}</th>' not in page
    english = browser(app, OFFICIAL, "en")
    assert english.get(f"/consultations/{commented.id}/report/publish").status_code == 409
