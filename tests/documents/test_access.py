"""Each access level against each kind of person, over the pages and the API (lists, details, downloads): a
document one may not see is absent from lists and answers 404 everywhere."""

from __future__ import annotations

import pytest

from tests.conftest import Auth
from tests.documents.conftest import make_pdf

#: who sees a document of each access level
SEES = {
    "public": {"visitor", "registered", "member", "colleague", "other_org", "uploader", "moderator"},
    "registered": {"registered", "member", "colleague", "other_org", "uploader", "moderator"},
    "members": {"member", "uploader", "moderator"},
    "organisation": {"colleague", "uploader", "moderator"},
}
PEOPLE = ("visitor", "registered", "member", "colleague", "other_org", "uploader", "moderator")


@pytest.fixture
def world(make_user, make_organisation, add_member, make_platform, make_document, token):
    """A platform, an uploader from organisation A, and one document of each access level."""
    agency, other = make_organisation(), make_organisation()
    people = {name: make_user() for name in PEOPLE if name != "visitor"}
    add_member(people["uploader"], agency)
    add_member(people["colleague"], agency)
    add_member(people["other_org"], other)
    platform = make_platform(members=[people["uploader"], people["member"]], moderators=[people["moderator"]])
    documents = {access: make_document(people["uploader"], platform, access=access, title_es=f"Doc {access}",
                                       data=make_pdf(f"Nivel {access}"))
                 for access in SEES}
    headers = {name: token(user) for name, user in people.items()}
    headers["visitor"] = {}
    return platform, documents, headers, people


@pytest.mark.parametrize("access", list(SEES))
@pytest.mark.parametrize("person", PEOPLE)
def test_access_levels_over_the_api(client, world, access, person):
    """Each person finds a document in lists, details, downloads and old versions only if its access level lets them;
    otherwise it is missing from lists and every address answers 404 without leaking the file."""
    platform, documents, headers, _people = world
    document = documents[access]
    allowed = person in SEES[access]
    listed = {d["id"] for d in client.get("/api/v1/documents?per_page=100", headers=headers[person]).json["items"]}
    assert (document.id in listed) is allowed
    in_library = {d["id"] for d in client.get(f"/api/v1/documents?platform={platform.slug}",
                                              headers=headers[person]).json["items"]}
    assert (document.id in in_library) is allowed
    detail = client.get(f"/api/v1/documents/{document.id}", headers=headers[person])
    assert detail.status_code == (200 if allowed else 404)
    download = client.get(f"/api/v1/documents/{document.id}/download", headers=headers[person])
    assert download.status_code == (200 if allowed else 404)
    if allowed:
        assert download.data == make_pdf(f"Nivel {access}")
    else:
        assert b"Nivel" not in download.data and download.headers.get("Content-Disposition") is None
    old = client.get(f"/api/v1/documents/{document.id}/download?version=1", headers=headers[person])
    assert old.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("person", PEOPLE)
def test_access_levels_over_the_pages(app, world, person):
    """Signed in through the form (or not at all), each person sees in the library, the platform's library, the
    document pages and the download links exactly the documents their access allows; the others answer 404."""
    platform, documents, _headers, people = world
    browser = app.test_client()
    if person != "visitor":
        Auth(browser).login(people[person].email)
    library = browser.get("/library").get_data(as_text=True)
    platform_library = browser.get(f"/p/{platform.slug}/library").get_data(as_text=True)
    for access, document in documents.items():
        allowed = person in SEES[access]
        assert (f"Doc {access}<" in library) is allowed, (access, "library")
        assert (f"Doc {access}<" in platform_library) is allowed, (access, "platform library")
        assert browser.get(f"/documents/{document.id}").status_code == (200 if allowed else 404)
        download = browser.get(f"/documents/{document.id}/download")
        assert download.status_code == (200 if allowed else 404)
        assert browser.get(f"/documents/{document.id}/versions/1/download").status_code == (200 if allowed else 404)


def test_removed_documents_disappear(client, world, make_user, token):
    """Once an admin removes a document, its page and its download answer 404 to everyone, uploader included."""
    from forum.core.db import commit
    from forum.documents import services

    _platform, documents, headers, _people = world
    document = documents["public"]
    services.remove(make_user(role="admin"), document, "spam")
    commit()
    for person in PEOPLE:
        assert client.get(f"/api/v1/documents/{document.id}", headers=headers[person]).status_code == 404
        assert client.get(f"/api/v1/documents/{document.id}/download", headers=headers[person]).status_code == 404


def test_unknown_documents_answer_404(client):
    """Asking for a document that does not exist, or its download, answers 404."""
    assert client.get("/api/v1/documents/999999").status_code == 404
    assert client.get("/api/v1/documents/99999999999999/download").status_code == 404
