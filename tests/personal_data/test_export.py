"""Download my data: the copy holds every kind of the person's data (the e-mails the forum keeps for them and the
reads of their account included) and nothing of anyone else, escaped where it is shown, naming only the threads
they may still read; small copies are ready at once, large ones are prepared in the background or by the command
and sent by e-mail; the link works once, for its owner, until it expires; both languages."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage

from forum.consultations import comments as consultation_comments
from forum.consultations import services as consultation_services
from forum.core.db import commit, utcnow
from forum.core.mail import OutboxMessage
from forum.documents import services as documents
from forum.events import registrations as event_registrations
from forum.events import services as events
from forum.extensions import db, socketio
from forum.moderation import decisions, flags, sanctions
from forum.notifications import services as notifications
from forum.notifications.choices import MESSAGES
from forum.personal_data import export_contents
from forum.personal_data.models import DataExport
from forum.threads import moderating
from forum.threads import services as threads
from forum.threads.models import Post
from tests.conftest import Auth, browser, saved, spanish_page

SCRIPT = '<script>alert("ana")</script> Sigo la conversación.'
PARTS = [part.name for part in export_contents.PARTS]
LINK = re.compile(r"http://localhost(/account/data/[A-Za-z0-9_-]+)")


@pytest.fixture
def world(app, make_user, make_organisation, add_member, make_platform, make_thread, make_post, token_for):
    """Ana (English) and everything she did on the forum, beside Olga, who shares her threads, events, flags and
    notifications, a moderator and an official."""
    ana = make_user("ana@example.org", display_name="Ana Andrade", locale="en", gender="woman",
                    age_range="30_44", position="Coordinadora")
    olga = make_user("olga.otero@example.org", display_name="Olga Otero", position="Investigadora")
    mateo = make_user("mateo.moderador@example.org", display_name="Mateo Moderador", role="moderator")
    jorge = make_user("jorge.oficial@segob.gob.mx", display_name="Jorge Oficial", sector="federal_government")
    add_member(ana, make_organisation(kind="cso", acronym="RMM", name_es="Red de Mujeres", name_en="Women's Network"))
    segob = make_organisation(acronym="SEGOB", name_es="Secretaría de Gobernación", name_en="Interior Ministry")
    add_member(jorge, segob)
    platform = make_platform(slug="justicia", name_es="Justicia", name_en="Justice", members=[ana, olga, jorge])
    token_for(ana)

    # discussions: Olga's thread, where Ana replies (with a script), edits, translates, reacts; Ana's own thread
    shared = make_thread(olga, platform, title="Acceso a la justicia", body="Texto de Olga: secreto Zafiro.")
    reply = make_post(ana, shared, SCRIPT)
    answer = make_post(olga, shared, "Respuesta de Olga: secreto Rubí.", reply_to=reply)
    threads.edit_post(ana, reply, body=SCRIPT + " Editado.")
    threads.translate(ana, reply, body="I follow the conversation (translation by Ana).")
    threads.toggle_reaction(ana, answer, "thanks")
    threads.set_following(ana, shared, True)
    own = make_thread(ana, platform, title="Mi propio hilo", body="Texto de Ana en su hilo.")
    removed = make_post(ana, own, "Un mensaje que Ana borró.")
    threads.delete_post(ana, removed)
    hidden = make_post(ana, own, "Un mensaje que los moderadores ocultaron.")
    commit()
    decisions.decide(mateo, "post", hidden.id, "hide", reason="off_topic", note="Nota interna de Mateo")
    commit()

    # flags: Ana and Olga flag the same post by Jorge; the moderator upholds them
    flagged = make_post(jorge, own, "Publicidad de Jorge: secreto Topacio.")
    flags.flag(ana, "post", flagged.id, reason="spam", note="Ana cree que es publicidad.")
    flags.flag(olga, "post", flagged.id, reason="other", note="Nota de Olga: secreto Ámbar.")
    commit()
    decisions.decide(mateo, "post", flagged.id, "hide", reason="spam")
    commit()

    # a consultation: Ana and Olga comment; the agency answers Ana
    consultation = consultation_services.create(
        jorge, organisation=segob.id, platform=platform.slug, title_es="Protocolo de intérpretes",
        title_en="Interpreters' protocol", opens_at=utcnow() - timedelta(hours=1),
        closes_at=utcnow() + timedelta(days=14), text_es="## 1. Objetivo\n\nGarantizar intérpretes.",
        text_en="## 1. Aim\n\nGuarantee interpreters.")
    consultation_services.publish(jorge, consultation)
    commit()
    comment = consultation_comments.comment(ana, consultation, body="Comentario de Ana.", kind="support")
    consultation_comments.comment(olga, consultation, body="Comentario de Olga: secreto Jade.", kind="concern")
    consultation_comments.answer(jorge, comment, status="accepted", explanation_es="Respuesta de Jorge: Ópalo.")
    commit()

    # an event with a question, where both register
    start = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    event = events.create(jorge, title_es="Diálogo sobre justicia", title_en="Dialogue on justice",
                          description_es="Un diálogo.", kind="dialogue", venue_name="Casa de la Cultura",
                          city="Oaxaca de Juárez", state="OAX", starts_at=start, ends_at=start + timedelta(hours=3),
                          capacity=50, organisations=[])
    question = events.add_question(jorge, event, kind="short_text", label_es="¿Qué tema le interesa?",
                                   label_en="Which topic interests you?")
    events.publish(jorge, event)
    commit()
    event_registrations.register(ana, event, answers={str(question.id): "Justicia indígena"},
                                 accessibility_needs="Rampa de acceso")
    event_registrations.register(olga, event, answers={str(question.id): "Secreto Coral de Olga"})
    notifications.follow(ana, "platform", platform.id)
    commit()

    # a document Ana uploaded, in two versions
    document = documents.upload(ana, file=FileStorage(io.BytesIO(b"Notas de Ana, primera version."),
                                                      filename="notas de ana.txt"),
                                platform=platform, title_es="Notas de campo", kind="report", language="es")
    commit()
    documents.add_version(ana, document, FileStorage(io.BytesIO(b"Notas de Ana, segunda version."),
                                                     filename="notas.txt"), note="Corregido")
    commit()

    # a warning, which Ana contests
    warning = sanctions.warn(mateo, ana, text="Por favor respete las normas del foro.")
    commit()
    sanctions.contest(ana, warning, "No estoy de acuerdo con la advertencia.")
    commit()
    return SimpleNamespace(ana=ana, olga=olga, mateo=mateo, jorge=jorge, platform=platform, thread=shared)


def _ask(client) -> tuple:
    """Ask for a copy through the page; return the answer and the download path it shows (if any)."""
    response = client.post("/account/data", data={})
    found = re.search(r'href="(/account/data/[A-Za-z0-9_-]+)"', response.get_data(as_text=True))
    return response, found.group(1) if found else None


def _zip(response) -> dict[str, bytes]:
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _records(files: dict[str, bytes], part: str) -> dict:
    return json.loads(files[f"{part}.json"])


def test_the_copy_holds_every_kind_and_nothing_of_anyone_else(world, client, outbox):
    Auth(client).login("ana@example.org")
    response, path = _ask(client)
    assert response.status_code == 201
    assert "Your copy is ready." in response.get_data(as_text=True)
    files = _zip(client.get(path))

    assert {"index.html", *(f"{part}.{kind}" for part in PARTS for kind in ("json", "html"))} <= set(files)
    profile = _records(files, "profile")
    account = profile["account"][0]
    assert account["email"] == "ana@example.org" and account["gender"] == "woman"
    assert "password_hash" not in account and world.ana.password_hash.encode() not in b"".join(files.values())
    assert [o["acronym"] for o in profile["organisations"]] == ["RMM"]
    assert [p["status"] for p in profile["platforms"]] == ["approved"]
    assert profile["sessions"] and profile["email_preferences"]
    assert [(t["name"], t["prefix"][:4]) for t in profile["api_tokens"]] == [("live", "fcs_")]
    assert set(profile["api_tokens"][0]) == {"name", "prefix", "created_at", "last_used_at", "revoked_at"}

    posts = _records(files, "posts")
    assert {p["status"] for p in posts["posts"]} == {"visible", "hidden", "deleted"}
    replied = next(p for p in posts["posts"] if p["text"].startswith("<script>"))
    assert replied["thread"] == "Acceso a la justicia" and replied["platform"] == "Justice"
    assert replied["link"] == f"http://localhost/posts/{replied['id']}"
    assert [t["title"] for t in posts["threads"]] == ["Mi propio hilo"]
    assert [e["text"] for e in posts["earlier_texts"]] == [SCRIPT]
    assert [r["kind"] for r in posts["reactions"]] == ["thanks"]
    translations = _records(files, "post_translations")["translations"]
    assert [(t["language"], t["provenance"]) for t in translations] == [("es", "author")]
    [comment] = _records(files, "comments")["comments"]
    assert (comment["text"], comment["answer"]) == ("Comentario de Ana.", "accepted")
    [registration] = _records(files, "registrations")["registrations"]
    assert registration["answers"] == {"Which topic interests you?": "Justicia indígena"}
    assert registration["accessibility_needs"] == "Rampa de acceso"
    [flag] = _records(files, "flags")["flags"]
    assert (flag["reason"], flag["note"], flag["outcome"]) == ("spam", "Ana cree que es publicidad.", "upheld")
    kinds = {n["kind"] for n in _records(files, "notifications")["notifications"]}
    assert {"reply", "moderated", "flag_outcome", "comment_answered"} <= kinds
    saved = _records(files, "documents")
    assert [d["title_es"] for d in saved["documents"]] == ["Notas de campo"]
    assert [files[v["file"]] for v in saved["versions"]] == [b"Notas de Ana, primera version.",
                                                             b"Notas de Ana, segunda version."]
    follows = _records(files, "follows")
    assert [(f["target_type"], f["title"]) for f in follows["follows"]] == [
        ("consultation", "Interpreters' protocol"), ("platform", "Justice")]  # commenting follows
    assert any(t["following"] and t["thread"] == "Acceso a la justicia" for t in follows["threads"])
    moderation = _records(files, "sanctions")
    [warning] = moderation["sanctions"]
    assert (warning["reason"], warning["your_reply"]) == ("Por favor respete las normas del foro.",
                                                          "No estoy de acuerdo con la advertencia.")
    assert ("hide", "off_topic") in {(d["decision"], d["reason"]) for d in moderation["decisions"]}
    assert any(e["subject"].startswith("Olga Otero replied") for e in _records(files, "emails")["emails"])

    # the e-mails are given as they were sent, naming whom the forum named in them; nothing else names anyone
    everything = b"\n".join(data for name, data in files.items() if not name.startswith("emails.")).decode(
        "utf-8", "replace")
    others = ["olga", "Olga", "Otero", "Investigadora", "Zafiro", "Rubí", "Topacio", "Ámbar", "Jade", "Coral",
              "Mateo", "mateo", "Nota interna", "Jorge", "jorge", "Ópalo"]
    assert [word for word in others if word in everything] == []

    page = files["posts.html"].decode()
    assert "&lt;script&gt;alert(" in page and "<script>" not in page
    assert "Acceso a la justicia" in page and "Justice" in page
    index = files["index.html"].decode()
    assert 'href="posts.html"' in index and "<code>reply_to_post_id</code>" in index

    [mail] = [m for m in outbox("ana@example.org") if "copy of your data" in m.subject.lower()]
    assert outbox.link(mail).startswith("/account/data/")
    centre = client.get("/notifications").get_data(as_text=True)
    with force_locale("en"):
        assert str(MESSAGES["data_export_ready"]) in centre


def test_copy_is_read_in_a_bounded_number_of_queries(world, app, make_post, count_queries):
    def queries_for_copy() -> int:
        db.session.expire_all()
        with app.test_request_context(), force_locale("en"), count_queries() as statements:
            export_contents.gather(world.ana)
        return len(statements)

    before = queries_for_copy()
    for number in range(5):
        make_post(world.ana, world.thread, f"Otra respuesta {number}.")
    assert queries_for_copy() == before


def test_one_copy_at_a_time(world, client):
    Auth(client).login("ana@example.org")
    assert _ask(client)[0].status_code == 201
    again, path = _ask(client)
    assert again.status_code == 409 and path is None
    assert "A copy of your data is ready" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 1


def test_large_copy_is_prepared_by_the_command_and_sent_by_email(world, app_factory, smtp_server, monkeypatch):
    started = []
    monkeypatch.setattr(socketio, "start_background_task", lambda *args: started.append(args))
    large = app_factory(FORUM_DATA_EXPORT_INLINE_RECORDS=3, FORUM_SMTP_URL=smtp_server.url)
    client = browser(large, "ana@example.org")
    response, path = _ask(client)
    assert response.status_code == 202 and path is None
    assert "We are preparing your copy" in response.get_data(as_text=True)
    assert len(started) == 1
    assert "Being prepared" in client.get("/account/data").get_data(as_text=True)
    assert _ask(client)[0].status_code == 409
    assert smtp_server.messages == []

    with large.app_context():  # as ``flask --app forum`` runs it
        result = large.test_cli_runner().invoke(args=["prepare-data-exports"])
    assert result.exit_code == 0, result.output
    assert "Prepared 1 of 1" in result.output
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "ana@example.org" and "ready" in mail["Subject"]
    path = LINK.search(mail.get_content()).group(1)

    assert "posts.json" in _zip(client.get(path))
    gone = client.get(path)
    assert gone.status_code == 410
    assert "already been used" in gone.get_data(as_text=True)
    assert "Downloaded" in client.get("/account/data").get_data(as_text=True)
    exported = db.session.scalar(select(DataExport))
    assert exported.status == "downloaded" and exported.storage_key is None


def test_background_task_prepares_a_large_copy(world, app_factory, outbox, monkeypatch):
    started = []
    monkeypatch.setattr(socketio, "start_background_task", lambda *args: started.append(args))
    large = app_factory(FORUM_DATA_EXPORT_INLINE_BYTES=10)
    client = browser(large, "ana@example.org")
    assert _ask(client)[0].status_code == 202
    [(task, *arguments)] = started
    task(*arguments)
    db.session.expire_all()
    assert db.session.scalar(select(DataExport.status)) == "ready"
    [mail] = [m for m in outbox("ana@example.org") if "copy of your data" in m.subject.lower()]
    assert "posts.html" in _zip(client.get(outbox.link(mail)))


def test_expired_link_answers_gone(world, app, client):
    Auth(client).login("ana@example.org")
    path = _ask(client)[1]
    db.session.execute(update(DataExport).values(expires_at=utcnow() - timedelta(minutes=1)))
    commit()
    gone = client.get(path)
    assert gone.status_code == 410
    page = gone.get_data(as_text=True)
    assert "This link has expired" in page and 'action="/account/data"' in page
    assert "Expired" in client.get("/account/data").get_data(as_text=True)
    assert "Expired 1 copies" in app.test_cli_runner().invoke(args=["purge-expired"]).output
    assert client.get(path).status_code == 410  # the retention job removed the file, not the link's meaning
    assert _ask(client)[0].status_code == 201  # a new copy may be asked for


def test_someone_elses_or_a_made_up_link_is_not_found(world, app, client):
    Auth(client).login("ana@example.org")
    path = _ask(client)[1]
    olga = browser(app, "olga.otero@example.org")
    assert olga.get(path).status_code == 404
    assert olga.head(path).status_code == 404
    assert client.head(path).status_code == 200  # checks the link without using it up
    assert client.get("/account/data/made-up-token").status_code == 404
    assert client.get("/account/data/" + "x" * 500).status_code == 404
    assert client.get(path).status_code == 200


def test_only_a_form_sent_on_purpose_asks_for_a_copy(world, client):
    """A HEAD request (a link preview, a page of another site) shows the page's headers and asks for nothing."""
    Auth(client).login("ana@example.org")
    assert client.head("/account/data").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 0
    assert _ask(client)[0].status_code == 201


def test_visitors_are_sent_to_sign_in(world, client):
    for path in ("/account/data", "/account/data/some-token"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/account/data", data={}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 0


def test_spanish_pages_and_copy(app, make_user, client, outbox):
    make_user("lucia@example.org", display_name="Lucía Hernández", locale="es")
    Auth(client).login("lucia@example.org")
    page = client.get("/account/data").get_data(as_text=True)
    assert spanish_page("Download my data") in page
    assert spanish_page("Ask for a copy of my data") in page
    response, path = _ask(client)
    files = _zip(client.get(path))
    with force_locale("es"):
        assert str(export_contents.PARTS[0].title) in files["index.html"].decode()
    gone = client.get(path).get_data(as_text=True)
    assert spanish_page("This link has already been used: a copy of your data can be downloaded only once.") in gone
    [mail] = outbox("lucia@example.org")
    with force_locale("es"):
        assert mail.subject == _("Your copy of your data is ready")


def test_every_column_of_the_account_and_every_key_is_documented():
    from pathlib import Path

    from sqlalchemy import inspect

    from forum.accounts.models import User

    account = export_contents.PARTS[0].sections[0]
    assert set(account.keys) == {a.key for a in inspect(User).column_attrs} - {"password_hash"}
    docs = (Path(__file__).resolve().parents[2] / "docs" / "personal-data.md").read_text(encoding="utf-8")
    missing = [f"{part.name}.{section.name}.{key}" for part in export_contents.PARTS for section in part.sections
               for key in section.keys if f"`{key}`" not in docs]
    assert missing == []


def _copy(client) -> dict[str, bytes]:
    """Ask for a small copy through the page and download it."""
    response, path = _ask(client)
    assert response.status_code == 201
    return _zip(client.get(path))


def test_the_copy_does_not_reveal_a_thread_hidden_by_the_moderators(app, client, make_user, make_platform,
                                                                    make_thread, make_post):
    ana = make_user("ana@example.org", display_name="Ana Andrade", locale="en")
    olga = make_user("olga@example.org", display_name="Olga Otero")
    platform = make_platform(members=[ana, olga])
    thread = make_thread(olga, platform, title="Teléfono de Rosa Ríos 555 0101 9090", body="Llamen a Rosa.")
    own = make_thread(ana, platform, title="Mi hilo, oculto también", body="Texto de Ana.")
    reply = make_post(ana, thread, "Respuesta de Ana.")
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))
    with app.test_request_context():
        threads.toggle_reaction(saved(ana), opening, "support")
        threads.mark_read(saved(ana), saved(thread), reply.id)
        moderating.hide_thread(None, saved(thread), reason="personal_data")
        moderating.hide_thread(None, saved(own), reason="off_topic")
        commit()

    Auth(client).login("ana@example.org")
    files = _copy(client)
    everything = b"\n".join(files.values()).decode()
    assert "555 0101 9090" not in everything
    gone = f"#{thread.id} (no longer available)"
    posts = _records(files, "posts")
    assert {p["thread"] for p in posts["posts"] if p["thread_id"] == thread.id} == {gone}
    assert [r["thread"] for r in posts["reactions"]] == [gone]
    assert {t["thread_id"]: t["thread"] for t in _records(files, "follows")["threads"]}[thread.id] == gone
    assert gone in files["posts.html"].decode()
    assert [t["title"] for t in posts["threads"]] == ["Mi hilo, oculto también"]  # her own title stays hers
    assert {p["text"] for p in posts["posts"]} >= {"Respuesta de Ana."}


def test_the_copy_holds_the_emails_the_forum_keeps_for_the_person(app, client, make_user):
    ana = make_user("ana@example.org", locale="en")
    make_user("olga@example.org")
    db.session.add_all([
        OutboxMessage(recipient="ana@example.org", subject="Su registro ZAFIRO-7",
                      body="Código ZAFIRO-7 <b>para Ana</b>", sent_at=utcnow()),
        OutboxMessage(recipient="olga@example.org", subject="Para Olga", body="Secreto Coral")])
    commit()

    Auth(client).login("ana@example.org")
    files = _copy(client)
    [email] = [e for e in _records(files, "emails")["emails"] if "ZAFIRO" in e["subject"]]
    assert (email["body"], set(email)) == ("Código ZAFIRO-7 <b>para Ana</b>",
                                           {"subject", "queued_at", "sent_at", "body"})
    assert email["sent_at"] is not None
    page = files["emails.html"].decode()
    assert "Código ZAFIRO-7 &lt;b&gt;para Ana&lt;/b&gt;" in page and "<b>" not in page
    assert 'href="emails.html"' in files["index.html"].decode()
    assert "Coral" not in b"\n".join(files.values()).decode()
    assert ana.email == "ana@example.org"


def test_the_copy_tells_the_person_who_read_their_account(app, client, make_user):
    ana = make_user("ana@example.org", locale="en")
    make_user("ada.admin@example.org", role="admin", display_name="Ada Admin")
    admin = browser(app, "ada.admin@example.org")
    assert admin.get(f"/admin/users/{ana.id}").status_code == 200

    Auth(client).login("ana@example.org")
    files = _copy(client)
    [read] = _records(files, "access_log")["reads"]
    assert (read["action"], read["reader"]) == ("user_account", "admin") and read["read_at"]
    page = files["access_log.html"].decode()
    assert "Viewed an account&#39;s details" in page and "Administrator" in page
    everything = b"\n".join(files.values()).decode()
    assert "Ada" not in everything and "ada.admin" not in everything
