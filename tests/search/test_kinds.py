"""Consultations, their comments, events and documents in search: each is found by the words of its title and
its body (a document by the text of its file), the index follows edits, translations and removals, the
platform, language and date filters apply to each, titles rank above bodies and newer items come first, and a
rebuilt index answers exactly as the one kept up to date write by write."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from forum.consultations import comments
from forum.consultations import services as consultations
from forum.consultations.models import Comment, Consultation
from forum.core.db import commit, utcnow
from forum.documents import services as documents
from forum.documents.models import Document
from forum.events import services as events
from forum.events.models import Event
from forum.extensions import db
from forum.moderation.decisions import decide
from forum.search import index, query
from forum.search.finding import Filters, Results, find
from forum.search.models import SearchEntry

KINDS = ("consultation", "comment", "event", "document")
#: the kinds with a title of their own (a comment's result shows its consultation's title)
TITLED = ("consultation", "event", "document")
ZONE = ZoneInfo("America/Mexico_City")


def found(user, text: str, **filters) -> Results:
    """What ``user`` finds for ``text`` within ``filters`` (in a request, as the search page asks)."""
    with current_app.test_request_context():
        return find(user, query.read(text), Filters(**filters))


def keys(results: Results) -> list[tuple[str, int]]:
    """The results as (kind, id), in order."""
    return [(result.kind.name, result.object_id) for result in results.items]


def ours(results: Results) -> set[tuple[str, int]]:
    """The results of this file's kinds (a published event also opens a discussion thread, found as a thread)."""
    return {key for key in keys(results) if key[0] in KINDS}


def upload(text: str, name: str = "informe.txt") -> FileStorage:
    """A text file as an upload form gives it."""
    return FileStorage(stream=io.BytesIO(text.encode()), filename=name)


@dataclass
class Maker:
    """Creates, edits and removes items of each kind through their services, as their users do."""

    author: object
    agency: object
    moderator: object
    first: object
    second: object

    def __post_init__(self) -> None:
        self.numbers = count(1)
        self.discussed: dict[int, Consultation] = {}

    def consultation(self, title: str, body: str, platform=None, when=None, publish: bool = True) -> Consultation:
        """A consultation titled with ``title`` whose draft speaks of ``body``, opening at ``when``."""
        opens = when or utcnow() - timedelta(hours=1)
        item = consultations.create(
            self.author, organisation=self.agency.id, platform=(platform or self.first).slug,
            title_es=f"Consulta {title}", summary_es="Un resumen.", question_es="¿Qué opina?", opens_at=opens,
            closes_at=max(opens, utcnow()) + timedelta(days=30), text_es=f"Párrafo sobre {body}.", text_en="")
        if publish:
            consultations.publish(self.author, item)
        commit()
        return item

    def comment(self, body: str, platform=None, **fields) -> Comment:
        """A Spanish comment speaking of ``body`` on an open consultation of ``platform``."""
        platform = platform or self.first
        if platform.id not in self.discussed:
            self.discussed[platform.id] = self.consultation("neutral", "neutral", platform)
        item = comments.comment(self.author, self.discussed[platform.id], body=f"Comentario sobre {body}.",
                                kind="support", language="es", **fields)
        commit()
        return item

    def event(self, title: str, body: str, platform=None, when=None) -> Event:
        """A published event titled with ``title`` about ``body``, starting at ``when`` (tomorrow)."""
        start = when or (utcnow() + timedelta(days=1)).replace(microsecond=0)
        item = events.create(self.author, title_es=f"Encuentro {title}", description_es=f"Conversación sobre {body}.",
                             kind="dialogue", venue_name="Casa de la Cultura", city="Oaxaca", starts_at=start,
                             ends_at=start + timedelta(hours=3), platforms=[(platform or self.first).id],
                             organisations=[])
        events.publish(self.author, item)
        commit()
        return item

    def document(self, title: str, body: str, platform=None, **fields) -> Document:
        """A Spanish document titled with ``title`` whose file (only) speaks of ``body``."""
        item = documents.upload(self.author, file=upload(f"Informe {next(self.numbers)} sobre {body}."),
                                platform=platform or self.first, title_es=f"Documento {title}", kind="report",
                                language="es", **fields)
        commit()
        return item

    def create(self, kind: str, title: str = "neutral", body: str = "neutral", platform=None, when=None) -> int:
        """An item of ``kind``; comments have no title and documents and comments no date of their own."""
        if kind == "consultation":
            return self.consultation(title, body, platform, when).id
        if kind == "comment":
            return self.comment(body, platform).id
        if kind == "event":
            return self.event(title, body, platform, when).id
        return self.document(title, body, platform).id


@pytest.fixture
def maker(app, tmp_path, make_user, make_organisation, add_member, make_platform) -> Maker:
    """An official of a verified agency who is a member of two public platforms, and their moderator."""
    app.config["FORUM_UPLOAD_DIR"] = str(tmp_path / "uploads")
    author = make_user(sector="federal_government")
    agency = make_organisation(acronym="SEGOB")
    add_member(author, agency)
    moderator = make_user()
    first = make_platform(members=[author], moderators=[moderator])
    second = make_platform(members=[author], moderators=[moderator])
    return Maker(author, agency, moderator, first, second)


@pytest.mark.parametrize("kind", KINDS)
def test_found_by_title_and_body(maker, kind):
    """Each kind is found by a word of its body (a document's only in its file); titled kinds by their title too."""
    item = maker.create(kind, title="zafiro", body="esmeralda")
    maker.create(kind)
    assert keys(found(maker.author, "esmeralda", kind=kind)) == [(kind, item)]
    assert keys(found(maker.author, "zafiro", kind=kind)) == ([(kind, item)] if kind in TITLED else [])


def test_result_shows_where_the_item_lives(maker):
    """Each result has its title, its page (a comment's anchor on its consultation) and its context."""
    consultation = maker.consultation("turquesa", "neutral")
    comment = maker.comment("turquesa")
    event = maker.event("turquesa", "neutral")
    document = maker.document("turquesa", "neutral")
    shown = {(result.kind.name, result.object_id): result.described
             for result in found(maker.author, "turquesa").items}
    assert shown[("consultation", consultation.id)].url == f"/consultations/{consultation.id}"
    assert shown[("consultation", consultation.id)].context == maker.first.name_es
    assert shown[("comment", comment.id)].url == f"/consultations/{comment.consultation_id}#comment-{comment.id}"
    assert shown[("comment", comment.id)].title == "Consulta neutral"
    assert (shown[("event", event.id)].url, shown[("event", event.id)].context) == (f"/events/{event.id}", "Oaxaca")
    assert shown[("document", document.id)].url == f"/documents/{document.id}"
    assert shown[("document", document.id)].title == "Documento turquesa"


def test_editing_updates_the_index(maker):
    """Edits through the services replace the old words with the new ones."""
    draft = maker.consultation("granate", "ambar", publish=False)
    consultations.update_draft(maker.author, draft, title_es="Consulta cuarzo", text_es="Párrafo sobre jade.")
    event = maker.event("granate", "ambar")
    events.update(maker.author, event, title_es="Encuentro cuarzo", description_es="Conversación sobre jade.")
    document = maker.document("granate", "ambar")
    documents.update(maker.author, document, title_es="Documento cuarzo")
    documents.add_version(maker.author, document, upload("Informe sobre jade."))
    commit()
    expected = {("consultation", draft.id), ("event", event.id), ("document", document.id)}
    for word in ("granate", "ambar"):
        assert ours(found(maker.author, word)) == set(), word
    for word in ("cuarzo", "jade"):
        assert ours(found(maker.author, word)) == expected, word


def test_a_new_version_replaces_the_draft_text(maker):
    """A published consultation is found by its current draft, no longer by the text of the previous one."""
    consultation = maker.consultation("neutral", "obsidiana")
    consultations.new_version(maker.author, consultation, text_es="Párrafo sobre malaquita.", text_en="On lapis.")
    commit()
    assert found(maker.author, "obsidiana").total == 0
    assert keys(found(maker.author, "malaquita")) == keys(found(maker.author, "lapis")) == [
        ("consultation", consultation.id)]


@pytest.mark.parametrize("kind", ["comment", "document"])
def test_removing_drops_it(maker, kind):
    """A deleted comment and a removed document leave the index."""
    item = maker.create(kind, body="peridoto")
    if kind == "comment":
        decide(maker.moderator, "comment", item, "delete")
    else:
        documents.remove(maker.moderator, db.session.get(Document, item))
    commit()
    assert found(maker.moderator, "peridoto").total == 0
    assert db.session.scalar(select(SearchEntry.id).where(SearchEntry.kind == kind, SearchEntry.object_id == item)) \
        is None


def test_a_translation_is_found_and_counts_as_english(maker):
    """A Spanish comment is found by the words of its English translation, and then as readable in English."""
    comment = maker.comment("topacio")
    assert found(maker.author, "topacio", language="en").total == 0
    comments.translate(maker.author, comment, body="A comment about amethyst.")
    commit()
    assert keys(found(maker.author, "amethyst")) == [("comment", comment.id)]
    assert keys(found(maker.author, "topacio", language="en")) == [("comment", comment.id)]
    assert keys(found(maker.author, "topacio", language="es")) == [("comment", comment.id)]


def test_a_file_language_decides_its_columns(maker):
    """The file's text counts as Spanish, English or both, as its uploader said."""
    spanish = maker.document("neutral", "berilo")
    both = documents.upload(maker.author, file=upload("Informe bilingüe: berilo."), platform=maker.first,
                            title_es="Documento bilingüe", kind="report", language="both")
    commit()
    assert keys(found(maker.author, "berilo", language="en")) == [("document", both.id)]
    assert set(keys(found(maker.author, "berilo", language="es"))) == {("document", spanish.id),
                                                                       ("document", both.id)}


def test_rebuilding_gives_the_same_index(maker):
    """Rebuilding from the domains' tables gives the entries and results kept write by write."""
    for kind in KINDS:
        maker.create(kind, title="rodocrosita", body="cuarzo")
        maker.create(kind, title="neutral", body="rodocrosita", platform=maker.second)
    comments.translate(maker.author, maker.comment("citrino"), body="Citrine in English.")
    documents.remove(maker.moderator, maker.document("citrino", "neutral"))
    commit()

    def snapshot():
        entries = db.session.execute(select(
            SearchEntry.kind, SearchEntry.object_id, SearchEntry.in_spanish, SearchEntry.in_english,
            SearchEntry.title_es, SearchEntry.title_en, SearchEntry.body_es, SearchEntry.body_en,
            SearchEntry.dated_at).order_by(SearchEntry.kind, SearchEntry.object_id)).all()
        answers = [keys(found(maker.author, word, **filters)) for word, filters in (
            ("rodocrosita", {}), ("cuarzo", {}), ("citrino", {}), ("citrine", {"language": "en"}),
            ("rodocrosita", {"platform": maker.second}))]
        return entries, answers

    before = snapshot()
    assert index.rebuild()["document"] == 2
    commit()
    assert snapshot() == before


@pytest.mark.parametrize("kind", KINDS)
def test_platform_filter(maker, kind):
    """The platform filter keeps the items of that platform."""
    first = maker.create(kind, body="espinela")
    second = maker.create(kind, body="espinela", platform=maker.second)
    assert keys(found(maker.author, "espinela", kind=kind, platform=maker.first)) == [(kind, first)]
    assert keys(found(maker.author, "espinela", kind=kind, platform=maker.second)) == [(kind, second)]


@pytest.mark.parametrize("kind", KINDS)
def test_date_filter(maker, kind):
    """Since and until are days in the reader's time zone, compared with the item's date: when a consultation
    opens, when an event starts, when a comment or a document was written or added."""
    when = (utcnow() + timedelta(days=40)).replace(hour=18, microsecond=0)
    item = maker.create(kind, body="turmalina", when=when)
    dated = db.session.scalar(select(SearchEntry.dated_at).where(SearchEntry.kind == kind,
                                                                SearchEntry.object_id == item))
    day = dated.astimezone(ZONE).date()
    one = timedelta(days=1)
    assert keys(found(maker.author, "turmalina", kind=kind, since=day, until=day)) == [(kind, item)]
    assert found(maker.author, "turmalina", kind=kind, since=day + one).total == 0
    assert found(maker.author, "turmalina", kind=kind, until=day - one).total == 0


@pytest.mark.parametrize("kind", TITLED)
def test_a_title_match_ranks_above_a_body_match(maker, kind):
    """The item named by the word comes before the (newer) item that only mentions it."""
    soon = utcnow() + timedelta(days=2)
    named = maker.create(kind, title="jaspe", when=soon)
    mentioned = maker.create(kind, body="jaspe", when=soon + timedelta(days=1))
    assert keys(found(maker.author, "jaspe", kind=kind)) == [(kind, named), (kind, mentioned)]


@pytest.mark.parametrize("kind", KINDS)
def test_with_equal_text_the_newer_comes_first(maker, kind):
    """Two items saying the same thing: the newer one first."""
    soon = utcnow() + timedelta(days=2)
    older = maker.create(kind, body="ónice", when=soon)
    newer = maker.create(kind, body="ónice", when=soon + timedelta(days=1))
    assert keys(found(maker.author, "onice", kind=kind)) == [(kind, newer), (kind, older)]
