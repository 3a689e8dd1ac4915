"""Listing pages run the same number of SQL queries for few and for many rows (no N+1)."""

from __future__ import annotations

from tests.conftest import Auth


def queries_for(client, count_queries, path: str) -> int:
    """How many SQL statements one request to ``path`` runs."""
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_people_list_does_not_grow_with_the_number_of_people(app, make_user, make_organisation, add_member,
                                                            count_queries):
    """The administrators' list of people: 3 or 40 accounts with organisations, same queries."""
    make_user("admin@example.org", role="admin")
    client = app.test_client()
    Auth(client).login("admin@example.org")
    organisation = make_organisation()

    def add(n):
        for _ in range(n):
            add_member(make_user(), organisation)

    add(3)
    few = queries_for(client, count_queries, "/admin/users")
    add(37)
    many = queries_for(client, count_queries, "/admin/users")
    assert few == many


def test_organisation_page_does_not_grow_with_its_members(app, make_user, make_organisation, add_member,
                                                         count_queries):
    """An organisation page with 2 or 30 members runs the same queries."""
    organisation = make_organisation()
    viewer = make_user("viewer@example.org")
    add_member(viewer, organisation, representative=True)
    client = app.test_client()
    Auth(client).login("viewer@example.org")
    for _ in range(2):
        add_member(make_user(), organisation)
    few = queries_for(client, count_queries, f"/organisations/{organisation.id}")
    for _ in range(28):
        add_member(make_user(), organisation)
    many = queries_for(client, count_queries, f"/organisations/{organisation.id}")
    assert few == many
