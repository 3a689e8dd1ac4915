"""The dashboard's downloads as readers meet them: CSV records and JSON tables that parse, withheld figures
without their value, the filters read from the address (400 with the message in the reader's language, 404 for a
table the level does not have), the fuller files only for administrators and officials and never cached; then
once end to end over the real tables."""

from __future__ import annotations

import csv
import io

import pytest

from forum.indicators import dashboard
from forum.indicators.tables import RECORD_FIELDS, Cell, Column, Row, Table
from tests.conftest import browser, spanish_page
from tests.indicators.conftest import at


def parsed_csv(response) -> list[dict[str, str]]:
    """The records of a CSV download (its byte order mark checked and dropped)."""
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(body[1:]))
    assert tuple(reader.fieldnames) == RECORD_FIELDS
    return list(reader)


def sample(key: str = "sample-people", label: str = "Sociedad civil") -> Table:
    """A hand-made table: a group shown (7, 12), the people of groups withheld (4 kept back in February), a
    pending figure (9 held back), and a total with nothing to count in February."""
    return Table(key=key, title="Sample", description="People by sample group.", unit="people",
                 columns=[Column("2026-01", "Jan 2026"), Column("2026-02", "Feb 2026")],
                 rows=[Row("civil_society", label, [Cell(7), Cell(12)]),
                       Row("withheld", "Fewer than 5", [Cell(4, withheld=True), Cell(9, pending=True)],
                           kind="withheld"),
                       Row("total", "Total", [Cell(11), Cell(None)], kind="total")],
                 notes=["A note."], section="participants")


@pytest.fixture
def made(monkeypatch):
    """The dashboard reduced to the sample table and a second one; records the scope and filters each call got."""
    calls = []

    def maker(scope, filters):
        calls.append((scope, filters))
        return [sample(), sample("sample-second", "=SUM(A1)")]

    monkeypatch.setattr(dashboard, "MAKERS", (maker,))
    return calls


def test_public_csv_is_one_record_per_figure_without_withheld_values(app, made, client):
    response = client.get("/indicators/sample-people.csv?since=2026-01&until=2026-02")
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="indicators-sample-people-2026-01-2026-02.csv"'
    assert "no-store" not in response.headers.get("Cache-Control", "")
    records = parsed_csv(response)
    assert [(r["row"], r["column"], r["value"], r["status"]) for r in records] == [
        ("civil_society", "2026-01", "7", "shown"), ("civil_society", "2026-02", "12", "shown"),
        ("withheld", "2026-01", "", "withheld"), ("withheld", "2026-02", "", "pending"),
        ("total", "2026-01", "11", "shown"), ("total", "2026-02", "", "none")]
    assert {r["table"] for r in records} == {"sample-people"}
    assert records[0]["row_label"] == "Sociedad civil" and records[0]["column_label"] == "Jan 2026"
    scope, filters = made[0]
    assert (scope.level, scope.viewer) == ("public", None)
    assert (filters.period.first, filters.period.last, filters.platform, filters.state) == \
        ("2026-01", "2026-02", None, None)


def test_public_json_keeps_the_table_shape(app, made, english_client, make_platform):
    make_platform(slug="justicia")
    response = english_client.get("/indicators/sample-people.json?since=2026-01&until=2026-02&platform=justicia"
                                  "&state=OAX")
    assert response.status_code == 200 and response.content_type.startswith("application/json")
    document = response.get_json()
    assert document["level"] == "public" and document["smallest_group"] == 5
    assert document["filters"] == {"since": "2026-01", "until": "2026-02", "platform": "justicia", "state": "OAX"}
    assert document["licence"]["id"] == "CC-BY-4.0" and document["generated_at"].endswith("+00:00")
    [table] = document["tables"]
    assert (table["key"], table["unit"], table["section"], table["notes"]) == \
        ("sample-people", "people", "participants", ["A note."])
    assert table["columns"] == [{"key": "2026-01", "label": "Jan 2026", "unit": "people"},
                                {"key": "2026-02", "label": "Feb 2026", "unit": "people"}]
    assert [(row["key"], row["kind"]) for row in table["rows"]] == \
        [("civil_society", "group"), ("withheld", "withheld"), ("total", "total")]
    assert table["rows"][1]["cells"] == [{"value": None, "status": "withheld"}, {"value": None, "status": "pending"}]
    assert table["rows"][0]["cells"][1] == {"value": 12, "status": "shown"}
    assert made[0][1].platform.slug == "justicia" and made[0][1].state == "OAX"


def test_all_gives_every_table_and_neutralises_formulas(app, made, client):
    records = parsed_csv(client.get("/indicators/all.csv"))
    assert [r["table"] for r in records] == ["sample-people"] * 6 + ["sample-second"] * 6
    assert records[6]["row_label"] == "'=SUM(A1)"
    document = client.get("/indicators/all.json").get_json()
    assert [table["key"] for table in document["tables"]] == ["sample-people", "sample-second"]


@pytest.mark.parametrize(("query", "message"), [
    ("since=2026-13", "Enter a month as YYYY-MM, for example 2026-01."),
    ("since=2026-05&until=2026-01", "The last month must be the first month or later."),
    ("platform=nowhere", "There is no platform with this address among those you may read."),
    ("state=XX", "Choose a state from the list."),
])
def test_bad_filters_answer_400_in_the_readers_language(app, made, client, english_client, query, message):
    english = english_client.get(f"/indicators/sample-people.csv?{query}")
    assert english.status_code == 400 and message in english.get_data(as_text=True)
    spanish = client.get(f"/indicators/all.json?{query}")
    page = spanish.get_data(as_text=True)
    assert spanish.status_code == 400 and '<html lang="es">' in page and spanish_page(message) in page
    assert made == []


def test_unknown_table_is_404(app, made, client, auth, make_user):
    assert client.get("/indicators/nothing-here.csv").status_code == 404
    assert client.get("/indicators/sample-people.xlsx").status_code == 404
    make_user("admin@example.org", role="admin")
    auth.login("admin@example.org")
    assert client.get("/indicators/full/nothing-here.json").status_code == 404


def test_full_files_are_for_administrators_and_officials_and_never_cached(app, made, make_user, make_organisation,
                                                                        add_member):
    make_user("ana@example.org")
    make_user("admin@example.org", role="admin")
    official = make_user("jorge@segob.gob.mx")
    add_member(official, make_organisation(acronym="SEGOB"))
    visitor = app.test_client().get("/indicators/full/sample-people.csv")
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    assert browser(app, "ana@example.org").get("/indicators/full/all.json").status_code == 403
    assert made == []
    response = browser(app, "admin@example.org").get("/indicators/full/sample-people.csv?since=2026-01"
                                                     "&until=2026-02")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"].endswith('filename="indicators-full-sample-people-2026-01-'
                                                            '2026-02.csv"')
    assert len(parsed_csv(response)) == 6
    assert (made[0][0].level, made[0][0].viewer.email) == ("full", "admin@example.org")
    document = browser(app, "jorge@segob.gob.mx").get("/indicators/full/all.json")
    assert document.status_code == 200 and document.headers["Cache-Control"] == "private, no-store"
    assert document.get_json()["level"] == "full" and made[-1][0].viewer.email == "jorge@segob.gob.mx"


def test_members_only_platforms_are_refused_in_public_files_even_to_their_members(app, made, make_user,
                                                                                   make_platform):
    member = make_user("ana@example.org", role="admin", locale="en")
    make_platform(slug="mesa", visibility="members", join_policy="approval", members=[member])
    signed_in = browser(app, "ana@example.org", "en")
    refused = signed_in.get("/indicators/sample-people.json?platform=mesa")
    assert refused.status_code == 400
    assert "There is no platform with this address among those you may read." in refused.get_data(as_text=True)
    assert signed_in.get("/indicators/full/sample-people.json?platform=mesa").status_code == 200


# --- end to end, over the real tables ---------------------------------------------------------------------------


@pytest.fixture
def january(make_people, make_platform, post_at):
    """January 2026 on Justicia: 6 people of civil society, 5 of the federal government, 2 individuals."""
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice")
    for count, sector in ((6, "civil_society"), (5, "federal_government"), (2, "individual")):
        for person in make_people(count, sector=sector, state="OAX", gender="woman", age_range="18_29"):
            post_at(person, justice, at(1))
    return justice


def test_real_tables_export_alike_in_csv_and_json(january, client):
    query = "since=2026-01&until=2026-03"
    records = parsed_csv(client.get(f"/indicators/all.csv?{query}"))
    document = client.get(f"/indicators/all.json?{query}").get_json()
    keys = [table["key"] for table in document["tables"]]
    assert "participants-by-sector" in keys and len(keys) == len(set(keys)) > 5
    assert list(dict.fromkeys(r["table"] for r in records)) == keys
    from_json = [(table["key"], row["key"], column["key"], cell["status"],
                  "" if cell["value"] is None else str(cell["value"]))
                 for table in document["tables"] for row in table["rows"]
                 for column, cell in zip(table["columns"], row["cells"], strict=True)]
    assert from_json == [(r["table"], r["row"], r["column"], r["status"], r["value"]) for r in records]
    assert all(r["value"] == "" for r in records if r["status"] != "shown")
    sector = {(r["row"], r["column"]): (r["value"], r["status"]) for r in records
              if r["table"] == "participants-by-sector"}
    # 13 people: civil society 6 shown; the 2 individuals and, to protect them, the 5 federal officials withheld
    assert sector[("civil_society", "2026-01")] == ("6", "shown")
    assert ("federal_government", "2026-01") not in sector and ("individual", "2026-01") not in sector
    assert sector[("total", "2026-01")] == ("13", "shown")
    one = client.get(f"/indicators/participants-by-sector.csv?{query}")
    assert [r for r in parsed_csv(one)] == [r for r in records if r["table"] == "participants-by-sector"]
