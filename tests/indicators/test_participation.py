"""Active participants by group and the shares of women and young people: hand-computed figures on a seeded set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.indicators.conftest import at, cells, event_at, seats_at


def test_people_are_counted_once_a_month_by_group_with_small_groups_withheld(january, figures):
    tables = figures()
    sector = tables["participants-by-sector"]
    # 18 people: civil society 6, academia 5, federal 5, individual 2. The 2 would be read off the total, so the
    # smallest shown group (federal, 5) is withheld with them: 7 together
    assert cells(sector, "civil_society") == [6, "withheld", "withheld"]
    assert cells(sector, "academia") == [5, "withheld", "withheld"]
    assert sector.row("federal_government") is None and sector.row("individual") is None
    assert cells(sector, "withheld") == [7, "withheld", 0]
    assert cells(sector, "total") == [18, "withheld", 0]
    gender = tables["participants-by-gender"]
    assert cells(gender, "woman") == [11, "withheld", "withheld"]
    assert cells(gender, "withheld") == [7, "withheld", 0]
    state = tables["participants-by-state"]
    assert cells(state, "OAX") == [11, "withheld", "withheld"]


def test_the_public_page_leaves_type_of_organisation_and_age_to_the_full_one(january, figures, make_user):
    assert "participants-by-age-range" not in figures()
    admin = make_user(role="admin")
    tables = figures(user=admin, level="full")
    age = tables["participants-by-age-range"]
    # 18–29: 6, 30–44: 5, 45–64: 5, not given: 2 → of the two groups of 5, the one last in order (45–64) is
    # withheld with the 2
    assert cells(age, "18_29")[0] == 6 and cells(age, "30_44")[0] == 5
    assert age.row("45_64") is None
    assert cells(age, "withheld")[0] == 7
    assert cells(tables["participants-by-organisation-type"], "withheld")[0] == 0  # nobody is a member: not given
    assert cells(tables["participants-by-organisation-type"], "not_given")[0] == 18


def test_a_platform_filter_counts_the_people_active_there(january, figures):
    justice, _gender, _groups = january
    gender = figures(platform=justice)["participants-by-gender"]
    # justice: 6 women, 5 men, 2 non-binary. Men are not shown on the whole page, so they are not shown here
    # (the men elsewhere would be the difference); the 6 women leave 5 women elsewhere: shown
    assert cells(gender, "woman")[0] == 6
    assert cells(gender, "withheld")[0] == 7
    assert cells(gender, "total")[0] == 13


def test_a_state_filter_counts_the_people_of_that_state(january, figures):
    state = figures(state="OAX")["participants-by-sector"]
    assert cells(state, "civil_society")[0] == 6 and cells(state, "academia")[0] == 5
    assert cells(state, "total")[0] == 11


@pytest.fixture
def february(make_people, make_platform, post_at):
    """February 2026, women only: 7 from Oaxaca and 5 from San Luis Potosí on justice; 2 from Oaxaca and 5 from
    San Luis Potosí on gender."""
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice")
    gender = make_platform(slug="genero", name_es="Género", name_en="Gender")
    for count, state, platform in ((7, "OAX", justice), (5, "SLP", justice), (2, "OAX", gender),
                                   (5, "SLP", gender)):
        for person in make_people(count, state=state, gender="woman", age_range="30_44"):
            post_at(person, platform, at(2))
    return justice, gender


def test_two_filters_together_cannot_single_out_a_small_group(february, figures):
    justice, _gender = february
    months = {"since": "2026-02", "until": "2026-02"}
    assert cells(figures(**months)["participants-by-gender"], "woman") == [19]
    # each filter alone leaves at least 5 women out: shown
    assert cells(figures(**months, platform=justice)["participants-by-gender"], "woman") == [12]
    assert cells(figures(**months, state="OAX")["participants-by-gender"], "woman") == [9]
    # together: 7 women from Oaxaca on justice. Shown, it would tell that the 2 Oaxacan women posting only on
    # gender (9 − 7) are women: withheld
    both = figures(**months, platform=justice, state="OAX")["participants-by-gender"]
    assert both.row("woman") is None
    # nor is its size: the breakdown by state within justice keeps Oaxaca's 7 back for the same reason
    assert cells(both, "withheld") == ["withheld"]
    assert cells(both, "total") == ["withheld"]


def test_self_declared_figures_wait_for_the_month_to_end(make_people, make_platform, post_at, figures):
    platform = make_platform()
    now = datetime.now(UTC)
    month = f"{now.year:04d}-{now.month:02d}"
    for person in make_people(6, gender="woman", age_range="18_29", sector="academia"):
        post_at(person, platform, now)
    tables = figures(since=month, until=month)
    assert cells(tables["participants-by-gender"], "withheld") == ["pending"]
    assert cells(tables["participants-by-gender"], "total") == [6]
    assert cells(tables["participants-by-sector"], "academia") == [6]
    assert cells(tables["share-of-women"], "posters:all") == ["pending"]


def test_shares_against_the_target(january, figures):
    justice, gender, _groups = january
    women = figures(since="2026-01", until="2026-01")["share-of-women"]
    # January, all platforms: 11 women of 18 posters = 61.1 %, above the 50 % target
    row = women.row("posters:all")
    assert row.cells[0].value == 61.1 and row.cells[0].meets_target is True
    # justice: 6 women of 13; outside the group 7: 46.2 %, below target
    assert women.row(f"posters:{justice.id}").cells[0].value == 46.2
    assert women.row(f"posters:{justice.id}").cells[0].meets_target is False
    # gender: 5 women and nobody else: "all 5 are women" would tell each one's answer
    assert cells(women, f"posters:{gender.id}") == ["withheld"]
    young = figures(since="2026-01", until="2026-01")["share-of-young-people"]
    assert young.row("posters:all").cells[0].value == 33.3  # 6 of 18


def test_targets_set_by_an_administrator_are_used(january, figures, make_user, app):
    from forum.core.db import commit
    from forum.indicators import targets

    admin = make_user(role="admin")
    targets.set_target(admin, "women", "65")
    commit()
    women = figures(since="2026-01", until="2026-01")["share-of-women"]
    assert women.row("posters:all").cells[0].meets_target is False
    assert women.chart.target == 65.0


def test_people_on_members_only_platforms_are_not_counted_on_either_page(make_people, make_platform, post_at,
                                                                         figures, make_user):
    public = make_platform()
    closed = make_platform(visibility="members")
    for person in make_people(6, gender="woman") + make_people(6, gender="man"):
        post_at(person, public, at(1))
    for person in make_people(3, gender="woman"):
        post_at(person, closed, at(1))
    assert cells(figures()["participants-by-gender"], "woman") == [6, "withheld", "withheld"]
    # were the fuller page to count them, its 9 women less the public page's 6 would tell that the 3 people
    # active only on the members-only platform are women
    admin = make_user(role="admin")
    full = figures(user=admin, level="full")
    assert cells(full["participants-by-gender"], "woman") == [6, "withheld", "withheld"]
    assert cells(full["participants-by-gender"], "total")[0] == 12
    assert cells(figures(user=admin, level="full", platform=closed)["participants-by-gender"], "total")[0] is \
        None


def test_registrants_and_attendees_count_registrations_of_closed_check_ins(make_platform, figures):
    from forum.core.db import commit

    justice = make_platform(slug="justicia")
    january = event_at(justice, at(1))
    seats_at(january, 4, gender="woman", attended=True)
    seats_at(january, 2, gender="woman", attended=False)
    seats_at(january, 5, gender="man", attended=True)
    # anonymised in February: only its frozen figures are left
    event_at(justice, at(2), figures={"registered": {"gender": {"woman": 5, "man": 5}, "age_range": {"18_29": 10}},
                                    "attended": {"gender": {"woman": 5, "man": 3}, "age_range": {"18_29": 8}}})
    commit()
    women = figures()["share-of-women"]
    # January: 6 women of 11 registrants; of the 9 attendees only 4 women: withheld
    assert cells(women, "registrants:all")[:2] == [54.5, 50.0]
    assert cells(women, f"registrants:{justice.id}")[:2] == [54.5, 50.0]
    assert cells(women, "attendees:all")[:2] == ["withheld", "withheld"]
    young = figures()["share-of-young-people"]
    # January: nobody under 30; February: all 10 under 30. Nobody in, or nobody outside: withheld both
    assert cells(young, "registrants:all")[:2] == ["withheld", "withheld"]


def test_an_event_whose_check_in_is_open_keeps_its_month_pending(make_platform, figures):
    from datetime import timedelta

    from forum.core.db import commit

    platform = make_platform()
    now = datetime.now(UTC)
    first_of_month = now.replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    last_month_day = first_of_month - timedelta(days=2)
    event = event_at(platform, last_month_day, ends=now + timedelta(days=7))
    seats_at(event, 6, gender="woman", attended=False)
    seats_at(event, 6, gender="man", attended=False)
    commit()
    month = f"{last_month_day.year:04d}-{last_month_day.month:02d}"
    assert cells(figures(since=month, until=month)["share-of-women"], "registrants:all") == ["pending"]


def test_commenters_and_seat_holders_are_active_too_and_each_person_counts_once(
        make_people, make_platform, make_organisation, post_at, comment_at, figures):
    from forum.consultations.models import Comment, Consultation
    from forum.core.db import commit
    from forum.events.models import Registration
    from forum.extensions import db

    platform = make_platform()
    draft = Consultation(organisation_id=make_organisation().id, platform_id=platform.id, title_es="Borrador",
                         opens_at=at(1, 1), closes_at=at(3, 1))
    db.session.add(draft)
    posters = make_people(3, sector="academia")
    commenters = make_people(3, sector="academia")
    holders = make_people(2, sector="academia")
    for person in posters:
        post_at(person, platform, at(1))
    for person in (*commenters, posters[0]):
        comment_at(person, platform, at(1))
    hidden = make_people(1, sector="academia")[0]
    comment_at(hidden, platform, at(1), status="hidden")
    db.session.add(Comment(consultation=draft, author_id=hidden.id, kind="support", language="es",
                           body_source="No", body_html="<p>No</p>", created_at=at(1)))
    event = event_at(platform, at(1))
    for person in (*holders, posters[1]):
        db.session.add(Registration(event=event, user_id=person.id, status="confirmed", sector="academia"))
    db.session.add(Registration(event=event, user_id=hidden.id, status="cancelled", sector="academia"))
    commit()
    # 3 posters, 3 more commenters (the first poster also commented), 2 more seat holders (one poster holds a seat);
    # not the author of a hidden comment (and of one on an unpublished draft), who also cancelled their registration
    assert cells(figures()["participants-by-sector"], "academia")[0] == 8
    women = figures()["share-of-women"]
    assert cells(women, "commenters:all")[0] == "withheld"  # 4 commenters: too few


def test_sibling_states_cannot_be_added_up_to_single_out_the_rest(make_people, make_platform, post_at, figures):
    platform = make_platform()
    for count, state, gender in ((10, "OAX", "woman"), (10, "OAX", "man"), (7, "SLP", "woman"), (10, "SLP", "man"),
                                 (3, "CMX", "woman")):
        for person in make_people(count, state=state, gender=gender):
            post_at(person, platform, at(1))
    month = {"since": "2026-01", "until": "2026-01"}
    assert cells(figures(**month)["participants-by-gender"], "woman") == [20]
    women = {state: figures(**month, state=state)["participants-by-gender"] for state in ("OAX", "SLP", "CMX")}
    shown = {state: table.row("woman").cells[0].value for state, table in women.items() if table.row("woman")}
    # all women less those shown by state must leave nobody or at least 5: never Mexico City's 3 alone
    assert 20 - sum(shown.values()) == 0 or 20 - sum(shown.values()) >= 5
    assert "CMX" not in shown
    # nor can Mexico City's size be read from the others: the states the breakdown by state withholds are
    # withheld under their own filter too
    by_state = figures(**month)["participants-by-state"]
    for state in ("SLP", "CMX"):
        if by_state.row(state) is None:
            assert cells(women[state], "total") == ["withheld"]


def test_platform_rows_of_a_share_cannot_be_taken_from_the_row_of_all(make_people, make_platform, post_at, figures):
    first, second = make_platform(), make_platform()
    for person in make_people(10, gender="woman"):
        post_at(person, first, at(1))
    for person in make_people(8, gender="man"):
        post_at(person, first, at(1))
    for person in make_people(4, gender="man"):
        post_at(person, second, at(1))
    women = figures(since="2026-01", until="2026-01")["share-of-women"]
    everyone, on_first = women.row("posters:all").cells[0], women.row(f"posters:{first.id}").cells[0]
    # 10 of 22 and 10 of 18 side by side would tell that the second platform's 4 posters are all men
    assert not (everyone.shown and on_first.shown)


def test_people_on_two_platforms_count_on_one_so_platforms_add_up(make_people, make_platform, post_at, figures):
    first, second = make_platform(), make_platform()
    for platform in (first, second):
        for person in make_people(5, gender="woman") + make_people(5, gender="man"):
            post_at(person, platform, at(1))
    both = make_people(1, gender="woman")[0]
    post_at(both, first, at(1))
    post_at(both, second, at(1, 11))
    post_at(both, second, at(1, 12))  # more on the second: she counts there
    month = {"since": "2026-01", "until": "2026-01"}
    totals = [cells(figures(**month, platform=platform)["participants-by-gender"], "total")[0]
              for platform in (first, second)]
    # 10 and 11 make the 21 of all platforms: nothing to subtract that would single her out
    assert totals == [10, 11]
    assert cells(figures(**month)["participants-by-gender"], "total") == [21]


def test_a_share_of_posters_cannot_be_taken_from_everyone_active(make_people, make_platform, post_at, comment_at,
                                                                 figures):
    platform = make_platform()
    for person in make_people(5, gender="woman") + make_people(5, gender="man"):
        post_at(person, platform, at(1))
    for person in make_people(2, gender="woman"):
        comment_at(person, platform, at(1))
    tables = figures(since="2026-01", until="2026-01")
    assert cells(tables["participants-by-gender"], "woman") == [7]
    # 5 women of 10 posters beside 7 women of 12 active people would tell that both commenters are women
    assert cells(tables["share-of-women"], "posters:all") == ["withheld"]


def test_attendees_cannot_be_taken_from_registrants(make_platform, figures):
    from forum.core.db import commit

    platform = make_platform()
    event = event_at(platform, at(1))
    seats_at(event, 3, gender="woman", attended=False)
    seats_at(event, 6, gender="man", attended=True)
    seats_at(event, 5, gender="woman", attended=True)
    commit()
    women = figures(since="2026-01", until="2026-01")["share-of-women"]
    # registrants: 8 women of 14; attendees: 5 of 11. Side by side they would tell that the 3 who did not come
    # (the events table gives 14 registrations and 11 attendances) are women: the attendees' share is withheld
    assert women.row("registrants:all").cells[0].value == 57.1
    assert cells(women, "attendees:all")[0] == "withheld"


def test_states_of_registrants_wait_when_an_anonymised_event_counts_that_month(make_platform, figures):
    from forum.core.db import commit

    platform = make_platform()
    event = event_at(platform, at(1))
    seats_at(event, 5, gender="woman", attended=True, state="OAX")
    seats_at(event, 7, gender="man", attended=True, state="OAX")
    seats_at(event, 5, gender="woman", attended=True, state="SLP")
    seats_at(event, 6, gender="man", attended=True, state="SLP")
    event_at(platform, at(1, 20), figures={"registered": {"gender": {"man": 5}}, "attended": {"gender": {"man": 5}}})
    commit()
    oaxaca = figures(since="2026-01", until="2026-01", state="OAX")["share-of-women"]
    assert cells(oaxaca, "registrants:all") == ["withheld"]


def test_a_platforms_share_cannot_undo_what_the_gender_table_withholds(make_people, make_platform, post_at,
                                                                       comment_at, figures):
    justice, gender = make_platform(), make_platform()
    for person in make_people(10, gender="woman") + make_people(10, gender="man"):
        post_at(person, justice, at(1))
    for person in make_people(2, gender="woman"):
        comment_at(person, gender, at(1))
    month = {"since": "2026-01", "until": "2026-01"}
    assert cells(figures(**month)["participants-by-gender"], "woman") == [12]
    # justice's 20 people are all posters (anyone can count the authors): "50 % of them women" beside 12 women in
    # all would tell that the 2 commenters elsewhere are women
    assert cells(figures(**month)["share-of-women"], f"posters:{justice.id}") == ["withheld"]


def test_the_share_of_young_people_cannot_split_what_the_age_table_withholds(make_people, make_platform, post_at,
                                                                             figures, make_user):
    platform = make_platform()
    for count, age in ((2, "under_18"), (10, "18_29"), (10, "30_44"), (10, "45_64")):
        for person in make_people(count, age_range=age):
            post_at(person, platform, at(1))
    month = {"since": "2026-01", "until": "2026-01"}
    ages = figures(**month, user=make_user(role="admin"), level="full")["participants-by-age-range"]
    assert cells(ages, "18_29") == [10] and ages.row("under_18") is None
    # 12 under 30 of 32, beside 10 aged 18–29 shown, would give the 2 under 18
    assert cells(figures(**month)["share-of-young-people"], "posters:all") == ["withheld"]
