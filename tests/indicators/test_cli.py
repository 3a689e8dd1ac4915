"""The ``indicators`` command as an operator meets it: CSV records with one header, or the JSON document of the
exports; the public level unless ``--user`` names an administrator or official; bad options exit with code 2 and
the message."""

from __future__ import annotations

import csv
import io
import json

import pytest

from forum.indicators import dashboard
from forum.indicators.tables import RECORD_FIELDS, Cell, Column, Row, Table
from tests.indicators.conftest import at


def table(key: str) -> Table:
    """A hand-made table: a group of 6 and 7, and the people of groups withheld (3 kept back)."""
    return Table(key=key, title="Sample", description="People by group.", unit="people",
                 columns=[Column("2026-01", "Jan 2026"), Column("2026-02", "Feb 2026")],
                 rows=[Row("group", "Group", [Cell(6), Cell(7)]),
                       Row("withheld", "Fewer than 5", [Cell(3, withheld=True), Cell(None)], kind="withheld")],
                 section="participants")


@pytest.fixture
def made(monkeypatch):
    """The dashboard reduced to two hand-made tables; records the scope and filters of each call."""
    calls = []

    def maker(scope, filters):
        calls.append((scope, filters))
        return [table("participants-by-sector"), table("moderation")]

    monkeypatch.setattr(dashboard, "MAKERS", (maker,))
    return calls


@pytest.fixture
def run(app):
    """``run(*arguments)``: the command's result, in English."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    runner = app.test_cli_runner()
    return lambda *arguments: runner.invoke(args=["indicators", *arguments])


def records(output: str) -> list[dict[str, str]]:
    """The CSV records printed (one header, no byte order mark)."""
    assert not output.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(output))
    assert tuple(reader.fieldnames) == RECORD_FIELDS
    return list(reader)


def test_csv_prints_every_record_under_one_header(made, run):
    result = run("--period", "2026-01:2026-02")
    assert result.exit_code == 0, result.output
    assert result.output.count("table,row,row_label") == 1
    printed = records(result.output)
    assert [(r["table"], r["row"], r["column"], r["value"], r["status"]) for r in printed] == [
        ("participants-by-sector", "group", "2026-01", "6", "shown"),
        ("participants-by-sector", "group", "2026-02", "7", "shown"),
        ("participants-by-sector", "withheld", "2026-01", "", "withheld"),
        ("participants-by-sector", "withheld", "2026-02", "", "none"),
        *[("moderation", *r) for r in (("group", "2026-01", "6", "shown"), ("group", "2026-02", "7", "shown"),
                                       ("withheld", "2026-01", "", "withheld"), ("withheld", "2026-02", "", "none"))]]
    scope, filters = made[0]
    assert (scope.level, scope.viewer) == ("public", None)
    assert (filters.period.first, filters.period.last) == ("2026-01", "2026-02")


def test_json_is_the_export_document(made, run, make_platform):
    make_platform(slug="justicia")
    result = run("--period", "2026-03", "--format", "json", "--table", "moderation", "--platform", "justicia",
                 "--state", "OAX")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["level"] == "public"
    assert document["filters"] == {"since": "2026-03", "until": "2026-03", "platform": "justicia", "state": "OAX"}
    assert [t["key"] for t in document["tables"]] == ["moderation"]
    assert document["tables"][0]["rows"][1]["cells"][0] == {"value": None, "status": "withheld"}


@pytest.mark.parametrize(("arguments", "message"), [
    (("--period", "2026-13:2026-12"), "Enter a month as YYYY-MM, for example 2026-01."),
    (("--period", "2026-01:2026"), "Enter a month as YYYY-MM, for example 2026-01."),
    (("--period", "2026-05:2026-01"), "The last month must be the first month or later."),
    (("--period", "2020-01:2026-01"), "A period covers at most 36 months."),
    (("--platform", "nowhere"), "There is no platform with this address among those you may read."),
    (("--state", "XX"), "Choose a state from the list."),
    (("--table", "nothing-here"), "There is no table with this key. The tables are: participants-by-sector, "
                                  "moderation."),
    (("--format", "xlsx"), "'xlsx' is not one of 'csv', 'json'."),
])
def test_bad_options_exit_2_with_the_message(made, run, arguments, message):
    result = run(*arguments)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_user_gives_the_full_level_to_administrators_only(made, run, make_user, make_platform):
    admin = make_user("admin@example.org", role="admin")
    make_user("ana@example.org")
    make_platform(slug="mesa", visibility="members", join_policy="approval")
    result = run("--user", "admin@example.org", "--format", "json", "--platform", "mesa")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["level"] == "full" and made[-1][0].viewer.id == admin.id
    assert made[-1][1].platform.slug == "mesa"
    public = run("--platform", "mesa")
    assert public.exit_code == 2 and "There is no platform with this address" in public.output
    refused = run("--user", "ana@example.org")
    assert refused.exit_code == 1
    assert "Only administrators and officials may see the full indicators." in refused.output
    unknown = run("--user", "nobody@example.org")
    assert unknown.exit_code == 2 and "There is no account with this e-mail address." in unknown.output
    from forum.core.db import commit, utcnow
    admin.suspended_at = utcnow()
    commit()
    suspended = run("--user", "admin@example.org")
    assert suspended.exit_code == 1
    assert "Only administrators and officials may see the full indicators." in suspended.output


def test_the_real_tables_print_what_the_open_data_gives(make_people, make_platform, post_at, run, client):
    justice = make_platform(slug="justicia")
    for count, sector in ((6, "civil_society"), (5, "federal_government"), (2, "individual")):
        for person in make_people(count, sector=sector):
            post_at(person, justice, at(1))
    result = run("--period", "2026-01:2026-03")
    assert result.exit_code == 0, result.output
    printed = records(result.output)
    found = {(r["table"], r["row"], r["column"]): r["value"] for r in printed}
    assert found[("participants-by-sector", "civil_society", "2026-01")] == "6"
    assert found[("participants-by-sector", "total", "2026-01")] == "13"
    download = client.get("/indicators/all.csv?since=2026-01&until=2026-03", headers={"Accept-Language": "en"})
    assert records(download.get_data(as_text=True).lstrip("\ufeff")) == printed
