"""Thread pages as people use them, without JavaScript: reading, starting, replying, previewing, editing,
deleting, reacting, translating, following, and what stays hidden from non-members."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.core.db import commit
from forum.extensions import db
from forum.threads import services
from forum.threads.models import Post, PostRevision, Thread
from tests.conftest import Auth


@pytest.fixture
def people(make_user):
    """An author, a second member, an outsider and a global moderator."""
    return {
        "rosa": make_user("rosa@example.org", display_name="Rosa López"),
        "claire": make_user("claire@example.org", display_name="Claire Dubois", locale="en"),
        "outsider": make_user("nadie@example.org", display_name="Persona Ajena"),
        "mod": make_user("mod@example.org", display_name="Mateo Moderador", role="moderator"),
    }


@pytest.fixture
def platform(make_platform, people):
    """A public platform whose members are Rosa and Claire."""
    return make_platform(slug="justicia", name_es="Justicia", name_en="Justice",
                         members=[people["rosa"], people["claire"]])


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def add_posts(thread, author, count: int, prefix: str = "mensaje") -> None:
    """Add ``count`` replies at once (quicker than the form for long threads), keeping the thread's figures."""
    posts = [Post(thread_id=thread.id, author_id=author.id, language="es", body_source=f"{prefix} {n}",
                  body_html=f"<p>{prefix} {n}</p>") for n in range(1, count + 1)]
    db.session.add_all(posts)
    db.session.flush()
    stored = db.session.get(Thread, thread.id)
    stored.last_post_id, stored.reply_count = posts[-1].id, stored.reply_count + count
    commit()


def test_a_member_starts_a_thread_and_another_replies(client, people, platform):
    """The whole no-JavaScript path: new-thread form, thread page, reply form, redirect to the new post."""
    auth = Auth(client)
    auth.login("rosa@example.org")
    response = client.post("/p/justicia/new", data={
        "title": "Intérpretes en las fiscalías", "kind": "question", "tags": "Oaxaca, justicia indígena",
        "language": "es", "body": "¿Qué **experiencias** conocen?"})
    assert response.status_code == 303
    thread = db.session.scalar(select(Thread))
    assert response.headers["Location"].endswith(f"/t/{thread.id}")
    assert [t.name for t in thread.tags] == ["justicia-indígena", "oaxaca"]
    auth.logout()
    auth.login("claire@example.org")
    answer = client.post(f"/t/{thread.id}/reply", data={"body": "We funded interpreters in Guatemala.",
                                                         "language": "en"})
    assert answer.status_code == 303 and re.search(r"#post-\d+$", answer.headers["Location"])
    page = text(client.get(f"/t/{thread.id}"))
    assert "<strong>experiencias</strong>" in page and "We funded interpreters in Guatemala." in page
    assert re.search(r'<article class="post" id="post-\d+"[^>]*lang="en"', page)


def test_preview_shows_the_rendering_and_saves_nothing(client, people, platform, make_thread):
    """The Preview button renders the Markdown under the form, keeps the text, and posts nothing."""
    thread = make_thread(people["rosa"], platform)
    Auth(client).login("claire@example.org")
    response = client.post(f"/t/{thread.id}/reply", data={"body": "Una *propuesta*", "language": "es",
                                                           "preview": "1"})
    assert response.status_code == 200
    page = text(response)
    assert '<div class="post-body"><p>Una <em>propuesta</em></p>' in page
    assert "Una *propuesta*</textarea>" in page
    assert db.session.scalar(select(func.count(Post.id))) == 1


@pytest.mark.parametrize(("field", "value", "message_es"), [
    ("body", "   ", "obligatorio"),
    ("body", "x" * 20_001, "20000"),
])
def test_a_bad_reply_keeps_what_was_typed(client, people, platform, make_thread, field, value, message_es):
    """Empty or over-long replies get a Spanish message and a 422; nothing is saved."""
    thread = make_thread(people["rosa"], platform)
    Auth(client).login("rosa@example.org")
    response = client.post(f"/t/{thread.id}/reply", data={"body": value, "language": "es"})
    assert response.status_code == 422
    assert message_es in text(response)
    assert db.session.scalar(select(func.count(Post.id))) == 1


def test_a_bad_new_thread_keeps_every_field(client, people, platform):
    """An over-long title is refused with the other fields still filled in."""
    Auth(client).login("rosa@example.org")
    response = client.post("/p/justicia/new", data={"title": "T" * 201, "kind": "discussion",
                                                     "tags": "seguridad", "language": "es", "body": "Mi texto"})
    assert response.status_code == 422
    page = text(response)
    assert 'value="seguridad"' in page and "Mi texto</textarea>" in page and "T" * 201 in page
    assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_announcements_are_for_officials_and_moderators(client, people, platform, make_organisation, add_member):
    """A participant is not offered the announcement kind and is refused it; an official publishes one."""
    auth = Auth(client)
    auth.login("rosa@example.org")
    assert 'value="announcement"' not in text(client.get("/p/justicia/new"))
    data = {"title": "Convocatoria oficial", "kind": "announcement", "language": "es", "body": "Texto"}
    assert client.post("/p/justicia/new", data=data).status_code == 422
    auth.logout()
    add_member(people["claire"], make_organisation(kind="federal_agency", acronym="SRE"))
    auth.login("claire@example.org")
    assert 'value="announcement"' in text(client.get("/p/justicia/new"))
    assert client.post("/p/justicia/new", data=data).status_code == 303
    assert db.session.scalar(select(Thread.kind)) == "announcement"


def test_members_only_threads_do_not_exist_for_others(client, people, make_platform, make_thread):
    """Non-members get 404 for the thread, its replies and posts; they see only the platform's description."""
    group = make_platform(slug="mesa", visibility="members", join_policy="approval", members=[people["rosa"]])
    thread = make_thread(people["rosa"], group, title="Borrador confidencial")
    post = db.session.scalar(select(Post))
    auth = Auth(client)
    for who in (None, "nadie@example.org"):
        if who:
            auth.login(who)
        assert client.get(f"/t/{thread.id}").status_code == 404
        assert client.get(f"/t/{thread.id}/unread").status_code == 404
        assert "Borrador confidencial" not in text(client.get("/p/mesa"))
        assert client.get("/p/mesa/translations").status_code == 404
    assert client.post(f"/t/{thread.id}/reply", data={"body": "hola", "language": "es"}).status_code == 404
    assert client.get(f"/posts/{post.id}/edit").status_code == 404
    assert client.post(f"/posts/{post.id}/delete", data={}).status_code == 404
    assert client.get("/p/mesa/new").status_code == 404
    auth.logout()
    auth.login("mod@example.org")
    assert "Borrador confidencial" in text(client.get(f"/t/{thread.id}"))


def test_editing_keeps_the_history_for_moderators(client, people, platform, make_thread):
    """An edit shows the "edited" mark; the earlier text is in the history, which only moderators open."""
    thread = make_thread(people["rosa"], platform, body="Primera versión")
    post = db.session.scalar(select(Post))
    auth = Auth(client)
    auth.login("rosa@example.org")
    assert client.post(f"/posts/{post.id}/edit", data={"body": "Segunda versión", "language": "es"}).status_code \
        == 303
    page = text(client.get(f"/t/{thread.id}"))
    assert "Segunda versión" in page and 'class="edited"' in page and "Primera versión" not in page
    assert client.get(f"/posts/{post.id}/history").status_code == 403
    auth.logout()
    auth.login("claire@example.org")
    assert client.get(f"/posts/{post.id}/edit").status_code == 403
    auth.logout()
    auth.login("mod@example.org")
    history = text(client.get(f"/posts/{post.id}/history"))
    assert "Primera versión" in history and "Segunda versión" in history


def test_deleting_leaves_a_placeholder(client, people, platform, make_thread, make_post):
    """The author's deletion keeps the conversation readable; others cannot delete it."""
    thread = make_thread(people["rosa"], platform)
    reply = make_post(people["claire"], thread, "Texto que se borrará")
    auth = Auth(client)
    auth.login("rosa@example.org")
    assert client.post(f"/posts/{reply.id}/delete", data={}).status_code == 403
    auth.logout()
    auth.login("claire@example.org")
    assert client.post(f"/posts/{reply.id}/delete", data={}).status_code == 303
    page = text(client.get(f"/t/{thread.id}"))
    assert "Texto que se borrará" not in page and "deleted by its author" in page
    assert db.session.get(Thread, thread.id).reply_count == 0


def test_reactions_count_once_per_person_and_not_on_ones_own_post(client, people, platform, make_thread):
    """Support is given and taken back; authors cannot react to their own posts."""
    make_thread(people["rosa"], platform)
    post = db.session.scalar(select(Post))
    auth = Auth(client)
    auth.login("claire@example.org")
    client.post(f"/posts/{post.id}/react", data={"kind": "support"})
    assert db.session.get(Post, post.id).support_count == 1
    client.post(f"/posts/{post.id}/react", data={"kind": "support"})
    assert db.session.get(Post, post.id).support_count == 0
    assert client.post(f"/posts/{post.id}/react", data={"kind": "love"}).status_code == 400
    auth.logout()
    auth.login("rosa@example.org")
    assert client.post(f"/posts/{post.id}/react", data={"kind": "thanks"}).status_code == 403


def test_readers_see_a_translation_with_its_provenance_and_the_original(client, english_client, people, platform,
                                                                          make_thread, make_user):
    """A Spanish reader sees the Spanish translation of an English post, labelled, with the original one click
    away; an English reader sees the original; an edit marks the translation outdated."""
    translator = make_user("trad@example.org")
    from forum.platforms import services as platforms

    platforms.grant_role(None, platform, translator, "translator")
    commit()
    thread = make_thread(people["claire"], platform, body="Interpreters help victims.", language="en")
    post = db.session.scalar(select(Post))
    Auth(client).login("trad@example.org")
    assert client.post(f"/posts/{post.id}/translate", data={"body": "Los intérpretes ayudan."}).status_code == 303
    spanish = text(client.get(f"/t/{thread.id}"))
    assert re.search(r'<article class="post" id="post-\d+"[^>]*lang="es"', spanish)
    assert "Los intérpretes ayudan." in spanish and "Traducido por una persona traductora" in spanish
    assert '<div class="post-body" lang="en"><p>Interpreters help victims.</p>' in spanish
    english = text(english_client.get(f"/t/{thread.id}"))
    assert "Los intérpretes ayudan." not in english and "Interpreters help victims." in english
    services.edit_post(people["claire"], db.session.get(Post, post.id), body="Interpreters help many victims.")
    commit()
    assert "el original cambió desde entonces" in text(client.get(f"/t/{thread.id}"))


def test_only_authors_translators_moderators_and_colleagues_translate(client, people, platform, make_thread):
    """A member without the translator duty cannot translate someone else's post."""
    make_thread(people["rosa"], platform)
    post = db.session.scalar(select(Post))
    Auth(client).login("claire@example.org")
    assert client.get(f"/posts/{post.id}/translate").status_code == 403


def test_needs_translation_lists_untranslated_posts_oldest_first(client, people, platform, make_thread,
                                                                 make_post):
    """The translators' list shows posts without a translation, and drops them once translated."""
    thread = make_thread(people["rosa"], platform, body="Primero sin traducir")
    make_post(people["claire"], thread, "Second, untranslated", language="en")
    page = text(client.get("/p/justicia/translations"))
    assert page.index("Primero sin traducir") < page.index("Second, untranslated")
    services.translate(people["rosa"], db.session.scalar(select(Post).order_by(Post.id)), body="First, translated")
    commit()
    assert "Primero sin traducir" not in text(client.get("/p/justicia/translations"))


def test_thread_page_queries_do_not_grow_with_the_thread(client, people, platform, make_thread, count_queries):
    """The thread page issues as many SQL queries for 10 posts as for 500."""
    small = make_thread(people["rosa"], platform, title="Hilo corto")
    large = make_thread(people["claire"], platform, title="Hilo largo")
    add_posts(small, people["rosa"], 9)
    add_posts(large, people["claire"], 499)
    Auth(client).login("nadie@example.org")
    measured = []
    for thread in (small, large):
        client.get(f"/t/{thread.id}")  # the first visit records the read position
        with count_queries() as queries:
            assert client.get(f"/t/{thread.id}").status_code == 200
        measured.append(len(queries))
    assert measured[0] == measured[1], measured


def test_twenty_posts_a_page_and_jump_to_first_unread(client, people, platform, make_thread):
    """Pages hold 20 posts; the reader's position is remembered and "first unread" goes to the right page."""
    thread = make_thread(people["rosa"], platform)
    add_posts(thread, people["rosa"], 29)
    Auth(client).login("claire@example.org")
    first = text(client.get(f"/t/{thread.id}"))
    assert first.count('<article class="post') == 20 and "mensaje 19</p>" in first and "mensaje 20</p>" not in first
    seen = db.session.scalar(select(Post.id).order_by(Post.id).offset(19).limit(1))
    add_posts(thread, people["rosa"], 1, "nuevo")
    jump = client.get(f"/t/{thread.id}/unread")
    assert jump.status_code == 302 and jump.headers["Location"].endswith(f"?page=2#post-{seen + 1}")
    assert client.get(f"/t/{thread.id}?page=9").status_code == 404


def test_thread_lists_sort_and_filter(client, people, platform, make_thread, make_post):
    """Sorting by replies and filtering by kind, tag, language and "unanswered" each change the list."""
    quiet = make_thread(people["rosa"], platform, title="Pregunta sin respuesta", kind="question", tags="datos")
    busy = make_thread(people["claire"], platform, title="Busy English thread", language="en")
    make_post(people["rosa"], busy, "Respuesta")
    def titles(query: str) -> list[str]:
        page = text(client.get(f"/p/justicia?{query}"))
        return re.findall(r'<a href="/t/\d+">([^<]+)</a>', page)

    assert titles("sort=replies") == [busy.title, quiet.title]
    assert titles("sort=newest") == [busy.title, quiet.title]
    assert titles("kind=question") == [quiet.title]
    assert titles("tag=datos") == [quiet.title]
    assert titles("language=en") == [busy.title]
    assert titles("unanswered=1") == [quiet.title]
    assert titles("sort=nonsense&kind=%3Cscript%3E") == [busy.title, quiet.title]


def test_quote_reply_and_mentions(client, people, platform, make_thread):
    """Quote-reply fills the form with the quoted text; a mention links to the person's profile."""
    thread = make_thread(people["rosa"], platform, body="Necesitamos intérpretes")
    post = db.session.scalar(select(Post))
    Auth(client).login("claire@example.org")
    page = text(client.get(f"/t/{thread.id}?quote={post.id}"))
    assert "@rosa.lopez wrote:\n&gt; Necesitamos intérpretes" in page
    client.post(f"/t/{thread.id}/reply", data={"body": "Agree with @rosa.lopez", "language": "en",
                                                "reply_to": str(post.id)})
    reply = db.session.scalar(select(Post).order_by(Post.id.desc()))
    assert reply.reply_to_id == post.id
    assert f'<a href="/users/{people["rosa"].id}" class="mention"' in reply.body_html


def test_following_a_thread(client, people, platform, make_thread):
    """Readers follow and unfollow; authors follow their own threads from the start."""
    thread = make_thread(people["rosa"], platform)
    assert services.last_seen(people["rosa"], thread)[1] is True
    Auth(client).login("claire@example.org")
    assert ">Follow</button>" in text(client.get(f"/t/{thread.id}"))
    client.post(f"/t/{thread.id}/follow", data={"follow": "1"})
    assert services.last_seen(people["claire"], thread)[1] is True
    client.post(f"/t/{thread.id}/follow", data={"follow": "0"})
    assert services.last_seen(people["claire"], thread)[1] is False


def test_user_links_are_safe(client, people, platform, make_thread):
    """Links in posts carry rel="noopener noreferrer nofollow ugc"; raw HTML is shown as text."""
    thread = make_thread(people["rosa"], platform, body="[sitio](https://example.org) <script>alert(1)</script>")
    page = text(client.get(f"/t/{thread.id}"))
    assert 'href="https://example.org" rel="noopener noreferrer nofollow ugc"' in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_unknown_ids_are_404_in_both_languages(client, english_client):
    """Unknown threads, posts and platforms answer 404 with a page in the visitor's language."""
    for path in ("/t/999", "/t/999/unread", "/posts/999/edit", "/p/nowhere", "/p/nowhere/new"):
        spanish = client.get(path)
        assert spanish.status_code in (404, 302)
    assert "no existe" in text(client.get("/t/999"))
    assert "does not exist" in text(english_client.get("/t/999"))


def test_history_survives_translation_revisions(people, platform, make_thread, make_user):
    """Rewriting a translation keeps the earlier translation in the history."""
    make_thread(people["claire"], platform, body="Original text", language="en")
    post = db.session.scalar(select(Post))
    services.translate(people["claire"], post, body="Primera traducción")
    commit()
    services.translate(people["claire"], post, body="Segunda traducción")
    commit()
    revision = db.session.scalar(select(PostRevision))
    assert revision.is_translation and revision.body_source == "Primera traducción"
    assert db.session.get(Post, post.id).translations[0].provenance == "author"
