"""The moderation API as a program meets it: flagging and reading one's flags; the queue, an item, claiming and
deciding for moderators only (403 for participants, hidden text never in their answers); the first decision
wins (409 in the caller's language); and the OpenAPI document."""

from __future__ import annotations

from sqlalchemy import select

from forum.core.db import commit
from forum.extensions import db
from forum.moderation import flags
from forum.moderation.models import Flag, ModerationAction, QueueItem
from forum.threads.models import Post
from tests.conftest import api_error as error
from tests.moderation import translated

API = "/api/v1"


def hide_by_flags(forum) -> QueueItem:
    """Three people flag Rosa's post, which hides it; the queue item."""
    for person in forum.flaggers:
        flags.flag(person, "post", forum.post.id, reason="spam")
    commit()
    return db.session.scalar(select(QueueItem))


def test_flagging_through_the_api(client, forum, token):
    """201 with the flag; again while open 409; one's own post 403; an unknown item 404; bad input 400; no token
    401."""
    headers = token(forum.claire)
    body = {"target_type": "post", "target_id": forum.post.id, "reason": "spam", "note": "Repeated ads"}
    created = client.post(f"{API}/flags", json=body, headers=headers)
    assert created.status_code == 201
    assert created.json["status"] == "open" and created.json["reason"] == "spam"
    assert created.json["target"]["title"] == "Intérpretes en las fiscalías"
    again = error(client.post(f"{API}/flags", json=body, headers=headers), 409)
    assert again["message"] == "You have already flagged this. The moderators will review it."
    error(client.post(f"{API}/flags", json=body, headers=token(forum.rosa)), 403)
    error(client.post(f"{API}/flags", json={**body, "target_id": 999999}, headers=token(forum.diego)), 404)
    error(client.post(f"{API}/flags", json={**body, "target_type": "nothing"}, headers=token(forum.diego)), 404)
    error(client.post(f"{API}/flags", json={**body, "reason": "boring"}, headers=token(forum.diego)), 400)
    error(client.post(f"{API}/flags", json={**body, "extra": 1}, headers=token(forum.diego)), 400)
    error(client.post(f"{API}/flags", json={**body, "target_id": "2"}, headers=token(forum.diego)), 400)
    error(client.post(f"{API}/flags", json=body), 401)
    assert len(db.session.scalars(select(Flag)).all()) == 1


def test_the_flagger_reads_the_outcome(client, forum, token):
    """``GET /flags`` lists one's flags; after a decision, with its status and the decision."""
    item = hide_by_flags(forum)
    headers = token(forum.diego)
    [waiting] = client.get(f"{API}/flags", headers=headers).json["items"]
    assert (waiting["status"], waiting["decision"]) == ("open", None)
    decided = client.post(f"{API}/moderation/items/{item.id}/decision", json={"decision": "delete"},
                          headers=token(forum.mara))
    assert decided.status_code == 200
    [outcome] = client.get(f"{API}/flags", headers=headers).json["items"]
    assert (outcome["status"], outcome["decision"]) == ("upheld", "delete")
    assert outcome["decided_at"]


def test_participants_get_403_from_every_moderation_endpoint(client, forum, token):
    """Pablo cannot read the queue, an item (whose hidden text stays out of every answer), claim or decide."""
    item = hide_by_flags(forum)
    headers = token(forum.pablo)
    for method, path, body in (
            ("get", f"{API}/moderation/queue", None), ("get", f"{API}/moderation/items/{item.id}", None),
            ("post", f"{API}/moderation/items/{item.id}/claim", None),
            ("delete", f"{API}/moderation/items/{item.id}/claim", None),
            ("post", f"{API}/moderation/items/{item.id}/decision", {"decision": "restore"})):
        response = getattr(client, method)(path, json=body, headers=headers)
        body_text = response.get_data(as_text=True)
        assert error(response, 403)["code"] == "forbidden", path
        assert "algunas personas" not in body_text
    error(client.get(f"{API}/moderation/queue"), 401)
    assert db.session.get(Post, forum.post.id).status == "hidden"


def test_moderators_read_the_queue_with_hidden_text(client, forum, token):
    """Mara's queue lists the hidden post with its text, flags and reasons; the filters work; an item of a
    platform she does not moderate is refused."""
    item = hide_by_flags(forum)
    answer = client.get(f"{API}/moderation/queue", headers=token(forum.mara))
    assert answer.status_code == 200 and answer.json["total"] == 1
    [row] = answer.json["items"]
    assert (row["id"], row["platform"], row["cause"], row["reason"], row["language"], row["status"], row["flags"]) \
        == (item.id, "justicia", "flagged", "spam", "es", "open", 3)
    assert row["reasons"] == {"spam": 3} and row["unread_language"] is False
    assert row["target"]["status"] == "hidden" and "algunas personas" in row["target"]["text"]
    assert client.get(f"{API}/moderation/queue?reason=hate", headers=token(forum.mara)).json["total"] == 0
    assert client.get(f"{API}/moderation/queue?status=closed", headers=token(forum.mara)).json["total"] == 0
    detail = client.get(f"{API}/moderation/items/{item.id}", headers=token(forum.mara)).json
    assert [f["user"]["display_name"] for f in detail["flag_list"]] == ["Claire Dubois", "Diego Pérez", "Elena Ruiz"]
    error(client.get(f"{API}/moderation/items/{item.id + 100}", headers=token(forum.mara)), 404)
    error(client.get(f"{API}/moderation/queue?page=0", headers=token(forum.mara)), 400)


def test_claiming_through_the_api(client, forum, token):
    """Mara claims; Gael's claim answers 409 naming her; she gives it back."""
    item = hide_by_flags(forum)
    claimed = client.post(f"{API}/moderation/items/{item.id}/claim", headers=token(forum.mara))
    assert claimed.status_code == 200 and claimed.json["claimed_by"]["display_name"] == "Mara Díaz"
    refused = error(client.post(f"{API}/moderation/items/{item.id}/claim", headers=token(forum.gael)), 409)
    assert refused["message"] == "Mara Díaz has already claimed this item."
    released = client.delete(f"{API}/moderation/items/{item.id}/claim", headers=token(forum.mara))
    assert released.status_code == 200 and released.json["claimed_by"] is None


def test_deciding_through_the_api_the_first_decision_wins(client, forum, token):
    """Gael restores the post; Mara's later decision on the same item answers 409 in Spanish naming him; one log
    entry besides the system's hide."""
    item = hide_by_flags(forum)
    decided = client.post(f"{API}/moderation/items/{item.id}/decision",
                          json={"decision": "restore", "note": "Not spam"}, headers=token(forum.gael))
    assert decided.status_code == 200
    assert decided.json["item"]["status"] == "closed" and decided.json["item"]["decided_by"]["display_name"] == \
        "Gael Moreno"
    assert (decided.json["action"]["action"], decided.json["action"]["note"]) == ("restore", "Not spam")
    late = error(client.post(f"{API}/moderation/items/{item.id}/decision", json={"decision": "delete"},
                             headers=token(forum.mara)), 409)
    assert late["code"] == "already_handled"
    assert late["message"] == translated("This item was already handled by %(name)s.", "es", name="Gael Moreno")
    actions = [(a.action, a.moderator_id) for a in db.session.scalars(select(ModerationAction)
                                                                      .order_by(ModerationAction.id))]
    assert actions == [("hide", None), ("restore", forum.gael.id)]
    assert db.session.get(Post, forum.post.id).status == "visible"


def test_bad_decisions_are_refused(client, forum, token):
    """A decision the item does not have, a bad reason, unknown fields: 400; nothing changes."""
    item = hide_by_flags(forum)
    headers = token(forum.mara)
    for body in ({"decision": "lock"}, {"decision": "hide", "reason": "boring"}, {"decision": "hide", "x": 1},
                 {"reason": "spam"}, {"decision": 3}):
        error(client.post(f"{API}/moderation/items/{item.id}/decision", json=body, headers=headers), 400)
    error(client.post(f"{API}/moderation/items/{item.id}/decision", json={"decision": "edit", "body": ""},
                      headers=headers), 400)
    assert db.session.get(QueueItem, item.id).status == "open"


def test_the_openapi_document_describes_moderation(client):
    """Every moderation endpoint is in the OpenAPI document, with its schemas."""
    document = client.get(f"{API}/openapi.json").json
    for path, method in (("/flags", "post"), ("/flags", "get"), ("/moderation/queue", "get"),
                         ("/moderation/items/{item_id}", "get"), ("/moderation/items/{item_id}/claim", "post"),
                         ("/moderation/items/{item_id}/claim", "delete"),
                         ("/moderation/items/{item_id}/decision", "post")):
        assert method in document["paths"][path], (path, method)
    assert "403" in document["paths"]["/moderation/queue"]["get"]["responses"]
    assert "409" in document["paths"]["/moderation/items/{item_id}/decision"]["post"]["responses"]
    for name in ("Flag", "FlagCreate", "QueueItem", "Decision", "Decided"):
        assert name in document["components"]["schemas"]
    operation_ids = [entry["operationId"] for methods in document["paths"].values() for entry in methods.values()]
    assert len(operation_ids) == len(set(operation_ids))
