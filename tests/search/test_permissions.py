"""Search leaks nothing: for each person (anonymous, signed in without memberships, a member, a moderator, an
official of the consulting agency, the author of everything), each item that is hidden, held, deleted,
removed, a draft or for others only is absent from the results, from the total and from the counts by kind, and
its words never show in a title or a snippet; the items they may see are found. Every item carries its own
secret word and one word they all share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import pytest

from forum.consultations import comments
from forum.consultations import services as consultations
from forum.core.db import commit, utcnow
from forum.documents import services as documents
from forum.events import services as events
from forum.extensions import db
from forum.moderation.decisions import decide
from forum.search.finding import PER_PAGE
from forum.threads import queries
from forum.threads import services as threads
from tests.search.test_kinds import found, keys, upload

#: the word every item of the world below says
SHARED = "colibrí"
ROLES = ("anonymous", "outsider", "member", "moderator", "official", "author")
EVERYONE = frozenset(ROLES)
#: who reads a members-only platform: its members and moderators (the author is a member)
MEMBERS = frozenset({"member", "moderator", "author"})


@dataclass(frozen=True)
class Case:
    """One item: what it is, the word only it says, and who may find it."""

    label: str
    kind: str
    object_id: int
    secret: str
    finders: frozenset[str]


@pytest.fixture
def world(app, tmp_path, make_user, make_organisation, add_member, make_platform, make_thread, make_post):
    """The people by role, and the items (one :class:`Case` each) on a public and a members-only platform."""
    app.config["FORUM_UPLOAD_DIR"] = str(tmp_path / "uploads")
    agency = make_organisation(acronym="SEGOB")
    author, official, member, moderator, outsider = (make_user() for _ in range(5))
    add_member(author, agency)
    add_member(official, agency)
    public = make_platform(members=[author, member], moderators=[moderator])
    closed = make_platform(members=[author, member], moderators=[moderator], visibility="members")
    people = {"anonymous": None, "outsider": outsider, "member": member, "moderator": moderator,
              "official": official, "author": author}
    cases: list[Case] = []

    def said(secret: str) -> str:
        return f"Texto sobre {SHARED} y {secret}."

    def case(label: str, item, secret: str, finders=frozenset(), kind: str | None = None) -> None:
        cases.append(Case(label, kind or type(item).__name__.lower(), item.id, secret, frozenset(finders)))

    # threads and posts
    thread = make_thread(author, public, title="Hilo neutral", body="Texto.")
    case("a visible post", make_post(author, thread, body=said("wolframio")), "wolframio", EVERYONE)
    hidden = make_post(author, thread, body=said("berkelio"))
    decide(moderator, "post", hidden.id, "hide")
    held = make_post(author, thread, body=said("nobelio"))
    held.status = "held"  # as premoderation leaves a new post
    deleted = make_post(author, thread, body=said("fermio"))
    threads.delete_post(author, deleted)
    commit()
    case("a hidden post", hidden, "berkelio")
    opening = queries.opening_post(make_thread(author, public, title="Tercer hilo", body=said("einstenio")))
    decide(moderator, "post", opening.id, "hide")  # the thread stays; its opening post's words must go
    commit()
    case("a hidden opening post", opening, "einstenio")
    case("a held post", held, "nobelio")
    case("a deleted post", deleted, "fermio")
    hidden_thread = make_thread(author, public, title="Otro hilo neutral", body="Texto.")
    case("a post in a hidden thread", make_post(author, hidden_thread, body=said("laurencio")), "laurencio")
    decide(moderator, "thread", hidden_thread.id, "hide")
    commit()
    case("a thread on a members-only platform",
         make_thread(author, closed, title=f"Hilo {SHARED} dubnio", body="Texto."), "dubnio", MEMBERS)

    # consultations and comments
    opens = utcnow() - timedelta(hours=1)
    consulted = dict(organisation=agency.id, platform=public.slug, question_es="¿Qué opina?", opens_at=opens,
                     closes_at=opens + timedelta(days=30), text_es="Párrafo.", text_en="")
    draft = consultations.create(author, title_es=f"Consulta {SHARED} bohrio", **consulted)
    consultation = consultations.create(author, title_es="Consulta neutral", **consulted)
    consultations.publish(author, consultation)
    commit()
    case("a draft consultation", draft, "bohrio", {"official", "author"})

    def comment(secret: str, **fields):
        item = comments.comment(author, consultation, body=said(secret), language="es", **fields)
        commit()
        return item

    case("a visible comment", comment("hassio", kind="support"), "hassio", EVERYONE)
    hidden_comment = comment("meitnerio", kind="concern")
    parent = comments.comment(author, consultation, body="Comentario neutral.", kind="concern", language="es")
    reply = comment("darmstadtio", parent=parent)
    for item in (hidden_comment, parent):
        decide(moderator, "comment", item.id, "hide")
    commit()
    case("a hidden comment", hidden_comment, "meitnerio")
    case("a reply under a hidden comment", reply, "darmstadtio")

    # events: the words are in the English description only (the discussion thread of a published event is
    # opened in the organiser's language, Spanish, and takes its Spanish description)
    start = (utcnow() + timedelta(days=3)).replace(microsecond=0)

    def event(secret: str, platform, *, publish: bool = True, **fields):
        item = events.create(author, title_es="Encuentro neutral", description_es="Un encuentro.",
                             description_en=said(secret), kind="dialogue", city="Oaxaca", starts_at=start,
                             ends_at=start + timedelta(hours=2), platforms=[platform.id], organisations=[], **fields)
        if publish:
            events.publish(author, item)
        commit()
        return item

    case("a public event", event("roentgenio", public), "roentgenio", EVERYONE)
    case("a draft event", event("copernicio", public, publish=False), "copernicio", {"author"})
    case("a members-only event", event("flerovio", closed, access="members"), "flerovio", MEMBERS)

    # documents: the words are in the file only
    def document(secret: str, platform, **fields):
        item = documents.upload(author, file=upload(said(secret)), platform=platform, title_es="Documento neutral",
                                kind="report", language="es", **fields)
        commit()
        return item

    case("a public document", document("moscovio", public), "moscovio", EVERYONE)
    case("a members-only document", document("livermorio", closed, access="members"), "livermorio", MEMBERS)
    case("an organisation-only document", document("teneso", None, access="organisation"), "teneso",
         {"official", "author"})
    removed = document("oganesón", public)
    documents.remove(moderator, removed)
    commit()
    case("a removed document", removed, "oganesón")
    db.session.expire_all()
    return people, cases


def test_each_item_is_found_only_by_those_who_may_see_it(world):
    """Searching an item's own word finds it (total 1, counted in its kind) for those who may see it, and
    nothing at all (no result, total 0, no count) for everyone else."""
    people, cases = world
    wrong = []
    for case in cases:
        for role, user in people.items():
            results = found(user, case.secret)
            seen = (keys(results), results.total, results.by_kind)
            expected = ([(case.kind, case.object_id)], 1, {case.kind: 1}) if role in case.finders else ([], 0, {})
            if seen != expected:
                wrong.append(f"{case.label} for {role}: {seen}, not {expected}")
    assert not wrong, "\n".join(wrong)


def test_a_shared_word_counts_and_shows_only_what_each_may_see(world):
    """The word every item says: each person's results, total and counts by kind are those of the items they may
    see, and no title or snippet shows the secret word of an item they may not."""
    people, cases = world
    assert len(cases) <= PER_PAGE  # every result on one page
    for role, user in people.items():
        allowed = [case for case in cases if role in case.finders]
        withheld = [case.secret for case in cases if role not in case.finders]
        results = found(user, SHARED)
        assert sorted(keys(results)) == sorted((case.kind, case.object_id) for case in allowed), role
        assert results.total == len(allowed), role
        assert results.by_kind == dict(Counter(case.kind for case in allowed)), role
        shown = " ".join(f"{result.title} {result.snippet}".lower() for result in results.items)
        assert [secret for secret in withheld if secret in shown] == [], role
