"""The threads API as a program meets it: thread lists, starting threads, reading a thread with its posts,
replying, editing and deleting, with the permissions, validation and languages of the pages."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from forum.core.db import commit
from forum.extensions import db
from forum.i18n import catalogs
from forum.threads import services
from forum.threads.models import Post, Thread
from tests.conftest import Auth
from tests.conftest import api_error as error

API = "/api/v1"


@pytest.fixture
def ana(make_user):
    """Ana, a participant who writes in Spanish."""
    return make_user("ana@example.org", display_name="Ana Ruiz")


@pytest.fixture
def ben(make_user):
    """Ben, a participant who writes in English."""
    return make_user("ben@example.org", display_name="Ben Smith", locale="en")


@pytest.fixture
def moderator(make_user):
    """Mara, who moderates the platforms she is named for."""
    return make_user("mara@example.org", display_name="Mara Díaz")


@pytest.fixture
def platform(make_platform, ana, ben, moderator):
    """A public platform where Ana and Ben are members and Mara moderates."""
    return make_platform(slug="justicia", members=[ana, ben], moderators=[moderator])


@pytest.fixture
def closed(make_platform, ana, moderator):
    """A members-only platform where only Ana is a member and Mara moderates."""
    return make_platform(slug="seguridad", visibility="members", members=[ana], moderators=[moderator])


def spanish(source: str) -> str:
    """The Spanish translation of ``source`` (the catalog test guarantees there is one)."""
    return catalogs.read("es")[source].string


class _Elements(HTMLParser):
    """Collects the tags and attribute values of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def elements(html: str) -> _Elements:
    """The elements of ``html``, parsed."""
    parser = _Elements()
    parser.feed(html)
    return parser


# --- the thread list of a platform --------------------------------------------------------------------------


def test_a_thread_in_the_list_has_its_fields(client, ana, platform, make_thread):
    """Each thread carries its platform, title, kind, language, tags, author, times, counters, moderation status
    and page URL."""
    thread = make_thread(ana, platform, title="Reforma judicial en Oaxaca", kind="question",
                         tags="Reforma judicial, oaxaca", language="es")
    response = client.get(f"{API}/platforms/justicia/threads")
    assert response.status_code == 200
    assert (response.json["page"], response.json["per_page"], response.json["total"]) == (1, 20, 1)
    [item] = response.json["items"]
    assert item == {
        "id": thread.id, "platform": "justicia", "title": "Reforma judicial en Oaxaca", "kind": "question",
        "language": "es", "tags": ["oaxaca", "reforma-judicial"],
        "author": {"id": ana.id, "display_name": "Ana Ruiz", "handle": "ana.ruiz"},
        "created_at": thread.created_at.isoformat(), "last_activity_at": thread.last_activity_at.isoformat(),
        "reply_count": 0, "is_locked": False, "is_pinned": False, "status": "visible",
        "moderation_reason": None, "url": f"http://localhost/t/{thread.id}"}


def test_the_list_sorts_filters_and_pages_like_the_page(client, ana, ben, platform, make_thread, make_post):
    """sort, kind, tag, language and unanswered narrow and order the list; page and per_page slice it."""
    quiet = make_thread(ana, platform, title="Hilo sin respuestas", tags=["oaxaca"])
    busy = make_thread(ben, platform, title="A busy English thread", language="en", kind="question")
    make_post(ana, busy)
    make_post(ana, busy)
    newest = make_thread(ana, platform, title="El hilo más nuevo")

    def titles(**query) -> list[str]:
        response = client.get(f"{API}/platforms/justicia/threads", query_string=query)
        assert response.status_code == 200
        return [item["title"] for item in response.json["items"]]

    assert titles() == [newest.title, busy.title, quiet.title]
    assert titles(sort="newest") == [newest.title, busy.title, quiet.title]
    assert titles(sort="replies")[0] == busy.title
    assert titles(kind="question") == [busy.title]
    assert titles(tag="oaxaca") == [quiet.title]
    assert titles(language="en") == [busy.title]
    assert titles(unanswered="1") == [newest.title, quiet.title]
    assert titles(sort="nonsense", kind="nonsense") == titles()
    second = client.get(f"{API}/platforms/justicia/threads", query_string={"per_page": 2, "page": 2}).json
    assert ([item["title"] for item in second["items"]], second["total"]) == ([quiet.title], 3)


@pytest.mark.parametrize("query", [{"page": "0"}, {"per_page": "101"}, {"page": "x"}])
def test_bad_page_values_in_lists_are_a_400(client, platform, query):
    """Pagination values out of range answer 400 invalid_query."""
    assert error(client.get(f"{API}/platforms/justicia/threads", query_string=query), 400)["code"] == \
        "invalid_query"


# --- members-only platforms ---------------------------------------------------------------------------------


@pytest.fixture
def closed_thread(ana, closed, make_thread, make_post):
    """A thread on the members-only platform, with a reply by Ana."""
    thread = make_thread(ana, closed, title="Hilo reservado", body="Texto reservado.")
    make_post(ana, thread, "Respuesta reservada.")
    return thread


def _closed_requests(thread: Thread, post: Post) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", f"{API}/platforms/seguridad/threads", None),
        ("POST", f"{API}/platforms/seguridad/threads", {"title": "Un hilo nuevo", "body": "Hola."}),
        ("GET", f"{API}/threads/{thread.id}", None),
        ("POST", f"{API}/threads/{thread.id}/posts", {"body": "Hola."}),
        ("PATCH", f"{API}/posts/{post.id}", {"body": "Otro texto."}),
        ("DELETE", f"{API}/posts/{post.id}", None),
    ]


def _last_post(thread: Thread) -> Post:
    db.session.expire_all()
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id.desc()))


def test_a_members_only_platform_is_invisible_to_non_members(client, ben, closed_thread, token):
    """For someone outside it (and for visitors reading) every endpoint answers 404, as if nothing existed."""
    headers = token(ben)
    post = _last_post(closed_thread)
    for method, path, body in _closed_requests(closed_thread, post):
        response = client.open(path, method=method, json=body, headers=headers)
        assert error(response, 404)["code"] == "not_found", (method, path)
        if method == "GET":
            assert error(client.get(path), 404)["code"] == "not_found"
    assert _last_post(closed_thread).body_source == "Respuesta reservada."
    assert not _last_post(closed_thread).is_deleted


def test_a_member_uses_the_members_only_platform(client, ana, closed_thread, token):
    """Its member reads, starts threads, replies, edits and deletes there."""
    headers = token(ana)
    post = _last_post(closed_thread)
    expected = {"GET": 200, "POST": 201, "PATCH": 200, "DELETE": 204}
    for method, path, body in _closed_requests(closed_thread, post):
        response = client.open(path, method=method, json=body, headers=headers)
        assert response.status_code == expected[method], (method, path, response.get_data(as_text=True))


def test_a_moderator_reads_a_members_only_platform(client, moderator, closed_thread, token):
    """The platform's moderators read it without being members."""
    response = client.get(f"{API}/threads/{closed_thread.id}", headers=token(moderator))
    assert response.status_code == 200 and response.json["posts"]["total"] == 2


# --- starting a thread --------------------------------------------------------------------------------------


def test_starting_a_thread(client, ana, platform, token):
    """201 with the thread and its first post, as GET /threads/<id> shows it; the Location header points there."""
    response = client.post(f"{API}/platforms/justicia/threads", headers=token(ana), json={
        "title": "  Acceso a la justicia  ", "body": "¿Cómo **mejorar** el acceso?", "kind": "question",
        "tags": "acceso, Oaxaca"})
    assert response.status_code == 201, response.get_data(as_text=True)
    thread = response.json
    assert (thread["title"], thread["kind"], thread["language"], thread["tags"], thread["platform"]) == (
        "Acceso a la justicia", "question", "es", ["acceso", "oaxaca"], "justicia")
    assert thread["author"] == {"id": ana.id, "display_name": "Ana Ruiz", "handle": "ana.ruiz"}
    assert response.headers["Location"].endswith(f"/api/v1/threads/{thread['id']}")
    [first] = thread["posts"]["items"]
    assert first["body_markdown"] == "¿Cómo **mejorar** el acceso?"
    assert "<strong>mejorar</strong>" in first["body_html"]
    assert client.get(f"{API}/threads/{thread['id']}").json == thread


def test_tags_may_be_a_list_and_language_is_chosen(client, ben, platform, token):
    """tags as a JSON list; language given explicitly; kind defaults to discussion."""
    response = client.post(f"{API}/platforms/justicia/threads", headers=token(ben), json={
        "title": "Open data in courts", "body": "Let us talk.", "language": "en", "tags": ["open data", "courts"],
        "kind": None})
    assert response.status_code == 201
    assert (response.json["tags"], response.json["language"], response.json["kind"]) == (
        ["courts", "open-data"], "en", "discussion")


def test_a_non_member_cannot_start_a_thread_on_a_public_platform(client, make_user, platform, token):
    """Reading is open, writing is for members: 403."""
    response = client.post(f"{API}/platforms/justicia/threads", headers=token(make_user()),
                           json={"title": "Un hilo nuevo", "body": "Hola."})
    assert error(response, 403)["code"] == "forbidden"


ANNOUNCEMENT = {"title": "Convocatoria de consulta", "body": "Se abre la consulta.", "kind": "announcement"}


def test_a_participant_cannot_post_an_announcement(client, ana, platform, token):
    """Announcements are for officials and moderators: a member participant gets 403."""
    response = client.post(f"{API}/platforms/justicia/threads", headers=token(ana), json=ANNOUNCEMENT)
    assert error(response, 403)["code"] == "forbidden"
    assert db.session.scalar(select(Thread)) is None


def test_an_official_posts_an_announcement(client, make_user, make_organisation, add_member, make_platform,
                                           token):
    """An approved member of a verified federal agency, member of the platform, publishes announcements."""
    official = make_user("sre@example.org")
    add_member(official, make_organisation(kind="federal_agency"))
    make_platform(slug="empleo", members=[official])
    response = client.post(f"{API}/platforms/empleo/threads", headers=token(official), json=ANNOUNCEMENT)
    assert response.status_code == 201 and response.json["kind"] == "announcement"


def test_a_moderator_posts_an_announcement(client, moderator, platform, token):
    """The platform's moderators publish announcements too."""
    response = client.post(f"{API}/platforms/justicia/threads", headers=token(moderator), json=ANNOUNCEMENT)
    assert response.status_code == 201


NOT_AN_OBJECT = "Send a JSON object with some of"


@pytest.mark.parametrize(("payload", "status", "words"), [
    ({"title": "Un título", "body": ""}, 400, "write something"),
    ({"title": "Un título", "body": "   \n "}, 400, "write something"),
    ({"title": "Hola", "body": "Texto."}, 400, "title of at least"),
    ({"title": "x" * 201, "body": "Texto."}, 400, "at most 200"),
    ({"title": "Un título", "body": "x" * 20_001}, 400, "at most 20000"),
    ({"title": "Un título", "body": "x" * 90_000}, 413, "at most 20000"),
    ({"title": 5, "body": "Texto."}, 400, "title must be text"),
    ({"title": "Un título", "body": None}, 400, "body must be text"),
    ({"title": "Un título", "body": ["Texto."]}, 400, "body must be text"),
    ({"title": "Un título", "body": "Texto.", "tags": {"a": 1}}, 400, "tags must be a list"),
    ({"title": "Un título", "body": "Texto.", "tags": ["ok", 3]}, 400, "tags must be a list"),
    ({"title": "Un título", "body": "Texto.", "tags": "no/valid"}, 400, "tag uses"),
    ({"title": "Un título", "body": "Texto.", "kind": "poll"}, 400, "options offered"),
    ({"title": "Un título", "body": "Texto.", "language": "fr"}, 400, "options offered"),
    ({"title": "Un título", "body": "Texto.", "language": 1}, 400, "language must be text"),
    ({"title": "Un título", "body": "Texto.", "pinned": True}, 400, "unknown field: pinned"),
    ({"body": "Texto."}, 400, "title is required"),
    ({}, 400, "title is required"),
    ([], 400, NOT_AN_OBJECT.lower()),
    (["title", "body"], 400, NOT_AN_OBJECT.lower()),
    ("a string", 400, NOT_AN_OBJECT.lower()),
    (None, 400, NOT_AN_OBJECT.lower()),
])
def test_bad_thread_input_is_a_clear_json_error(english_client, ben, platform, token, payload, status, words):
    """Wrong content or JSON of the wrong shape answers a 4xx naming the problem; nothing is saved."""
    response = english_client.post(f"{API}/platforms/justicia/threads", headers=token(ben), json=payload)
    assert words in error(response, status)["message"].lower()
    assert db.session.scalar(select(Thread)) is None


@pytest.mark.parametrize(("data", "content_type"), [
    ("{not json", "application/json"), ("title=Hola&body=x", "application/x-www-form-urlencoded"), ("", None)])
def test_a_body_that_is_not_json_is_a_400(english_client, ben, platform, token, data, content_type):
    """Broken JSON, a form or nothing at all: 400 asking for a JSON object."""
    response = english_client.post(f"{API}/platforms/justicia/threads", headers=token(ben), data=data,
                                   content_type=content_type)
    assert NOT_AN_OBJECT in error(response, 400)["message"]


def test_a_request_over_the_size_limit_is_a_json_413(client, ben, thread, token):
    """A body larger than the request limit (2 MB) is refused with 413 in JSON, never a page or a 500."""
    response = client.post(f"{API}/threads/{thread.id}/posts", headers=token(ben),
                           json={"body": "x" * 3_000_000})
    assert error(response, 413)["code"] == "too_large"


def test_unknown_platform_for_a_new_thread_is_a_404(client, ana, token):
    """Starting a thread on a platform that does not exist answers 404."""
    response = client.post(f"{API}/platforms/no-existe/threads", headers=token(ana),
                           json={"title": "Un título", "body": "Texto."})
    assert error(response, 404)["code"] == "not_found"


# --- reading a thread ---------------------------------------------------------------------------------------


def test_a_thread_with_its_posts(client, ana, ben, moderator, platform, make_thread, make_post):
    """Posts come oldest first with their fields, reactions and translations (with who made them)."""
    thread = make_thread(ana, platform, title="Hilo con respuestas", body="Primero.")
    reply = make_post(ben, thread, "I agree.", language="en")
    services.translate(moderator, reply, body="Estoy de acuerdo.")
    services.toggle_reaction(ana, reply, "thanks")
    commit()
    response = client.get(f"{API}/threads/{thread.id}")
    assert response.status_code == 200
    body = response.json
    assert body["id"] == thread.id and body["reply_count"] == 1
    assert [p["body_markdown"] for p in body["posts"]["items"]] == ["Primero.", "I agree."]
    item = body["posts"]["items"][1]
    assert item == {
        "id": reply.id, "thread_id": thread.id, "author": {"id": ben.id, "display_name": "Ben Smith",
                                                             "handle": "ben.smith"},
        "language": "en", "body_markdown": "I agree.", "body_html": "<p>I agree.</p>\n",
        "created_at": reply.created_at.isoformat(), "edited_at": None, "deleted": False, "status": "visible",
        "moderation_reason": None, "reply_to_id": None,
        "reactions": {"support": 0, "thanks": 1},
        "translations": [{"language": "es", "body_markdown": "Estoy de acuerdo.",
                          "body_html": "<p>Estoy de acuerdo.</p>\n", "provenance": "moderator", "outdated": False,
                          "translator": {"id": moderator.id, "display_name": "Mara Díaz"}}]}


def test_posts_are_paginated(client, ana, platform, make_thread, make_post):
    """page and per_page select a slice of the posts; total counts them all."""
    thread = make_thread(ana, platform, body="Mensaje 0")
    for n in range(1, 5):
        make_post(ana, thread, f"Mensaje {n}")
    posts = client.get(f"{API}/threads/{thread.id}", query_string={"page": 2, "per_page": 2}).json["posts"]
    assert (posts["page"], posts["per_page"], posts["total"]) == (2, 2, 5)
    assert [p["body_markdown"] for p in posts["items"]] == ["Mensaje 2", "Mensaje 3"]
    assert error(client.get(f"{API}/threads/{thread.id}", query_string={"per_page": 0}), 400)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/threads/999999", None),
    ("POST", "/threads/999999/posts", {"body": "Hola."}),
    ("PATCH", "/posts/999999", {"body": "Hola."}),
    ("DELETE", "/posts/999999", None),
    ("GET", "/platforms/no-existe/threads", None),
    ("GET", "/threads/99999999999999999999999", None),
    ("PATCH", "/posts/99999999999999999999999", {"body": "Hola."}),
    ("GET", "/threads/0", None),
])
def test_unknown_ids_are_a_json_404(client, ana, token, method, path, body):
    """Threads, posts and platforms that do not exist answer 404 in JSON."""
    response = client.open(API + path, method=method, json=body, headers=token(ana))
    assert error(response, 404)["code"] == "not_found"


def test_the_thread_takes_the_same_queries_for_10_and_60_posts(client, make_user, make_platform, make_thread,
                                                              token, count_queries):
    """Reading a thread of 10 or of 60 posts (all on one page, each translated and supported; translated by 2
    or by 4 people) runs the same number of SQL statements."""
    people = [make_user() for _ in range(6)]
    writers, translators = people[:2], people[2:]
    platform = make_platform(members=people, translators=translators)

    def thread_of(size: int, translated_by: list) -> Thread:
        thread = make_thread(writers[0], platform)
        for n in range(1, size):
            services.reply(writers[n % 2], thread, body=f"Respuesta {n}")
        commit()
        posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).all()
        for n, post in enumerate(posts):
            services.translate(translated_by[n % len(translated_by)], post, body=f"Translation of {post.id}")
            services.toggle_reaction(people[-1], post, "support")
        commit()
        return thread

    small, large = thread_of(10, translators[:2]).id, thread_of(60, translators).id
    headers = token(make_user())
    client.get(f"{API}/threads/{small}", headers=headers)  # the token's first use is recorded once

    def queries(thread_id: int, size: int) -> int:
        with count_queries() as statements:
            response = client.get(f"{API}/threads/{thread_id}", headers=headers, query_string={"per_page": 100})
        assert response.status_code == 200
        posts = response.json["posts"]["items"]
        assert len(posts) == size and all(p["translations"][0]["translator"] for p in posts)
        return len(statements)

    assert queries(small, 10) == queries(large, 60)


# --- replying, editing, deleting ----------------------------------------------------------------------------


@pytest.fixture
def thread(ana, platform, make_thread):
    """A thread Ana opened on the public platform."""
    return make_thread(ana, platform, title="Hilo de prueba", body="Mensaje inicial.")


def test_replying(client, ben, thread, token):
    """201 with the post; the thread counts the reply; reply_to links to an earlier post of the same thread."""
    first = _last_post(thread)
    response = client.post(f"{API}/threads/{thread.id}/posts", headers=token(ben),
                           json={"body": "I *agree*.", "reply_to": first.id})
    assert response.status_code == 201, response.get_data(as_text=True)
    post = response.json
    assert (post["thread_id"], post["language"], post["reply_to_id"], post["deleted"]) == (thread.id, "en",
                                                                                          first.id, False)
    assert post["body_html"] == "<p>I <em>agree</em>.</p>\n" and post["author"]["handle"] == "ben.smith"
    assert client.get(f"{API}/threads/{thread.id}").json["reply_count"] == 1


def test_reply_to_must_be_a_post_of_the_same_thread(client, ana, ben, platform, thread, make_thread, token):
    """reply_to naming a post elsewhere, a missing post or not a number answers 400."""
    other = _last_post(make_thread(ana, platform))
    headers = token(ben, **{"Accept-Language": "en"})
    for value, words in ((other.id, "same thread"), (999_999, "same thread"), ("1", "reply_to must be"),
                         (True, "reply_to must be"), (10**30, "reply_to must be"), (-1, "reply_to must be")):
        response = client.post(f"{API}/threads/{thread.id}/posts", headers=headers,
                               json={"body": "Hola.", "reply_to": value})
        assert words in error(response, 400)["message"], value


@pytest.mark.parametrize(("payload", "status", "words"), [
    ({"body": ""}, 400, "write something"),
    ({"body": "x" * 20_001}, 400, "at most 20000"),
    ({"body": None}, 400, "body must be text"),
    ({"body": 12}, 400, "body must be text"),
    ({"text": "Hola."}, 400, "unknown field: text"),
    ({}, 400, "body is required"),
    ([{"body": "Hola."}], 400, NOT_AN_OBJECT.lower()),
])
def test_bad_reply_input_is_a_clear_json_error(english_client, ben, thread, token, payload, status, words):
    """Replies are validated like threads; nothing is saved."""
    response = english_client.post(f"{API}/threads/{thread.id}/posts", headers=token(ben), json=payload)
    assert words in error(response, status)["message"].lower()
    assert _last_post(thread).body_source == "Mensaje inicial."


def test_a_locked_thread_takes_replies_only_from_moderators(client, ben, moderator, thread, token):
    """Members get 403 on a locked thread; its moderators still write."""
    thread.is_locked = True
    commit()
    assert error(client.post(f"{API}/threads/{thread.id}/posts", headers=token(ben), json={"body": "Hola."}), 403)
    assert client.post(f"{API}/threads/{thread.id}/posts", headers=token(moderator),
                       json={"body": "Nota de moderación."}).status_code == 201


def test_editing_ones_post(client, ana, thread, token):
    """200 with the new text and an edited mark."""
    post = _last_post(thread)
    response = client.patch(f"{API}/posts/{post.id}", headers=token(ana), json={"body": "Mensaje **corregido**."})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["body_markdown"] == "Mensaje **corregido**."
    assert "<strong>corregido</strong>" in response.json["body_html"] and response.json["edited_at"]


@pytest.mark.parametrize(("payload", "words"), [
    ({"body": ""}, "write something"), ({"body": 5}, "body must be text"), ({"language": "en"}, "body is required"),
    ({"body": "Nuevo.", "title": "x"}, "unknown field: title"), ({"body": "Nuevo.", "language": "fr"},
                                                                 "options offered")])
def test_bad_edits_are_refused_and_keep_the_text(english_client, ben, thread, make_post, token, payload, words):
    """A bad edit answers 400 and the post keeps its text."""
    post = make_post(ben, thread, "Ben's reply.")
    response = english_client.patch(f"{API}/posts/{post.id}", headers=token(ben), json=payload)
    assert words in error(response, 400)["message"].lower()
    assert _last_post(thread).body_source == "Ben's reply."


def test_someone_elses_post_cannot_be_edited_or_deleted(client, ben, thread, token):
    """Ben may read Ana's post but neither edit nor delete it (403)."""
    post = _last_post(thread)
    headers = token(ben)
    assert error(client.patch(f"{API}/posts/{post.id}", headers=headers, json={"body": "Cambiado."}), 403)
    assert error(client.delete(f"{API}/posts/{post.id}", headers=headers), 403)["code"] == "forbidden"
    assert _last_post(thread).body_source == "Mensaje inicial." and not _last_post(thread).is_deleted


def test_a_moderator_edits_and_deletes_anyones_post(client, moderator, thread, token):
    """The platform's moderator edits (200) and deletes (204) Ana's post."""
    post = _last_post(thread)
    headers = token(moderator)
    assert client.patch(f"{API}/posts/{post.id}", headers=headers, json={"body": "Editado."}).status_code == 200
    assert client.delete(f"{API}/posts/{post.id}", headers=headers).status_code == 204
    assert _last_post(thread).is_deleted


def test_a_deleted_post_shows_no_text(client, ana, ben, moderator, thread, make_post, token):
    """Once deleted, a post keeps its place but neither its text, its HTML nor its translations reach anyone."""
    post = make_post(ana, thread, "Un secreto que borraré.")
    services.translate(moderator, post, body="A secret I will delete.")
    commit()
    response = client.delete(f"{API}/posts/{post.id}", headers=token(ana))
    assert response.status_code == 204 and response.get_data() == b""
    for headers in ({}, token(moderator)):
        page = client.get(f"{API}/threads/{thread.id}", headers=headers)
        item = page.json["posts"]["items"][-1]
        assert (item["id"], item["deleted"], item["body_markdown"], item["body_html"], item["translations"]) == (
            post.id, True, None, None, [])
        assert "secret" not in page.get_data(as_text=True).lower()
    assert error(client.delete(f"{API}/posts/{post.id}", headers=token(ana)), 403)
    assert error(client.patch(f"{API}/posts/{post.id}", headers=token(ana), json={"body": "Vuelvo."}), 403)


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))",
    '<a href="javascript:alert(1)">x</a>', "![i](javascript:alert(1))", '<img src=x onerror="alert(1)">'])
def test_posts_cannot_carry_scripts(client, ana, thread, token, source):
    """Whatever the Markdown, body_html holds no script element, no event handler and no javascript: address
    (typed HTML and refused links stay visible as harmless text)."""
    response = client.post(f"{API}/threads/{thread.id}/posts", headers=token(ana), json={"body": source})
    assert response.status_code == 201
    html = response.json["body_html"]
    assert "<script" not in html.lower()
    found = elements(html)
    assert set(found.tags) <= {"p", "a", "img", "em", "strong", "code"}
    assert not any(name.startswith("on") for name, _value in found.attributes)
    assert not any("javascript:" in value.lower() for _name, value in found.attributes)
    assert response.json["body_markdown"] == source
    assert client.get(f"{API}/threads/{thread.id}").json["posts"]["items"][-1]["body_html"] == html


# --- authentication, CSRF and languages ---------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/platforms/justicia/threads"), ("POST", "/threads/{id}/posts"), ("PATCH", "/posts/{post}"),
    ("DELETE", "/posts/{post}")])
def test_writing_needs_authentication(client, thread, method, path):
    """A visitor (whose browser sends its CSRF token) gets 401 on every write."""
    path = path.format(id=thread.id, post=_last_post(thread).id)
    response = client.open(API + path, method=method, json={"body": "Hola."},
                           headers={"X-CSRFToken": client.csrf_token()})
    assert error(response, 401)["code"] == "unauthorized"


def test_a_signed_in_browser_writes_with_its_csrf_token(app, ana, thread):
    """Cookie-authenticated requests need the X-CSRFToken header; with it a reply is accepted."""
    browser = app.test_client()
    assert Auth(browser).login("ana@example.org").status_code == 302
    path = f"{API}/threads/{thread.id}/posts"
    assert error(browser.post(path, json={"body": "Hola."}), 400)["code"] == "csrf_failed"
    response = browser.post(path, json={"body": "Hola."}, headers={"X-CSRFToken": browser.csrf_token()})
    assert response.status_code == 201


def test_authentication_errors_follow_the_browsers_language(client, thread):
    """Accept-Language: en gives the English message; no preference gives Spanish."""
    path = f"{API}/threads/{thread.id}/posts"
    english = client.post(path, json={"body": "x"}, headers={"X-CSRFToken": client.csrf_token(),
                                                              "Accept-Language": "en"})
    spanish_answer = client.post(path, json={"body": "x"}, headers={"X-CSRFToken": client.csrf_token()})
    assert "required" in error(english, 401)["message"]
    assert "requiere" in error(spanish_answer, 401)["message"]


def test_shape_errors_are_in_the_callers_language(client, ana, ben, thread, token):
    """The same malformed request: English for Ben (English account, English browser), Spanish for Ana."""
    path = f"{API}/threads/{thread.id}/posts"
    english = client.post(path, json=["Hola"], headers=token(ben, **{"Accept-Language": "en"}))
    spanish_answer = client.post(path, json=["Hola"], headers=token(ana, **{"Accept-Language": "en"}))
    assert error(english, 400)["message"] == "Send a JSON object with some of: body, language, reply_to."
    assert error(spanish_answer, 400)["message"].startswith("Envíe un objeto JSON")


@pytest.mark.parametrize(("source", "payload", "status", "english_word"), [
    ("The field %(field)s must be text.", {"title": 5, "body": "Texto."}, 400, "must"),
    ("The field %(field)s is required.", {"body": "Texto."}, 400, "required"),
    ("A title can have at most %(max)d characters.", {"title": "x" * 201, "body": "Texto."}, 400, "most"),
    ("Only officials and moderators publish announcements.", ANNOUNCEMENT, 403, "officials"),
])
def test_domain_errors_are_in_the_callers_language(client, ana, ben, platform, token, source, payload, status,
                                                   english_word):
    """The same request explains itself in English to Ben (English account and browser) and in Spanish to Ana
    (Spanish account, English browser: the account's preference wins)."""
    translation = spanish(source) % {"field": "title", "max": 200}
    path = f"{API}/platforms/justicia/threads"
    english = error(client.post(path, json=payload, headers=token(ben, **{"Accept-Language": "en"})), status)
    in_spanish = error(client.post(path, json=payload, headers=token(ana, **{"Accept-Language": "en"})), status)
    assert english_word in english["message"] and english["message"] == source % {"field": "title", "max": 200}
    assert in_spanish["message"] == translation != english["message"]


# --- the OpenAPI document -----------------------------------------------------------------------------------


def test_the_openapi_document_describes_every_thread_endpoint(client):
    """Each new path and method is in the document, with the Thread, Post and PostTranslation schemas."""
    spec = client.get(f"{API}/openapi.json").json
    expected = {
        "/platforms": {"get"}, "/platforms/{slug}/membership": {"post", "delete"},
        "/platforms/{slug}/threads": {"get", "post"}, "/threads/{thread_id}": {"get"},
        "/threads/{thread_id}/posts": {"post"}, "/posts/{post_id}": {"patch", "delete"},
    }
    for path, methods in expected.items():
        assert methods <= set(spec["paths"][path]), path
    assert {"Platform", "Thread", "Post", "PostTranslation", "ThreadCreate", "PostCreate", "PostUpdate"} <= set(
        spec["components"]["schemas"])
    assert "401" in spec["paths"]["/posts/{post_id}"]["patch"]["responses"]
    assert "404" in spec["paths"]["/threads/{thread_id}"]["get"]["responses"]
