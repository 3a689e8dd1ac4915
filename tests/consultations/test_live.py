"""New comments reach the readers of a consultation live: beside their paragraph, with its new count, drawn in
both languages; nothing is sent about drafts or before the commit, and malformed payloads are refused."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from forum.consultations import comments
from forum.core.db import commit
from tests.live import Live


def test_a_new_comment_arrives_beside_its_paragraph_with_the_new_count(app, official, make_user,
                                                                       make_consultation):
    consultation = make_consultation(official)
    reader = Live(app)
    assert reader.ask("consultation.subscribe", {"topic": f"consultation:{consultation.id}"}) == {"ok": True}
    comments.comment(make_user(display_name="Rosa López"), consultation, kind="proposal", paragraph=3,
                     body="Falta la **Huasteca** <script>x</script>")
    assert reader.events("comment.created") == []  # nothing before the commit
    commit()
    [sent] = reader.events("comment.created")
    assert (sent["paragraph"], sent["count"]) == (3, 1)
    assert sent["count_text"] == {"es": "1 comentario", "en": "1 comment"}
    assert "Rosa López" in sent["html"]["es"] and "<strong>Huasteca</strong>" in sent["html"]["en"]
    assert "<script>" not in sent["html"]["es"] and "Propuesta de cambio" in sent["html"]["es"]
    assert "Proposal for change" in sent["html"]["en"] and "/answer" not in sent["html"]["es"]


def test_drafts_and_malformed_topics_are_refused(app, official, make_consultation):
    draft = make_consultation(official, publish=False)
    reader = Live(app)
    with force_locale("es"):
        missing = {"ok": False, "error": _("This topic does not exist or is not available to you.")}
        malformed = {"ok": False, "error": _('Send an object such as {"topic": "consultation:12"}.')}
    assert reader.ask("consultation.subscribe", {"topic": f"consultation:{draft.id}"}) == missing
    assert reader.ask("consultation.subscribe", {"topic": "consultation:99999999999"}) == malformed
    assert reader.ask("consultation.subscribe", {"topic": "consultation:2147483648"}) == missing
    assert reader.ask("consultation.subscribe", "consultation:1") == malformed
    assert reader.ask("consultation.subscribe", {"topic": ["x"]}) == malformed
    assert reader.connected


def test_the_page_turns_live_only_on_the_current_version(app, client, official, make_consultation):
    consultation = make_consultation(official)
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert 'data-live="1"' in page and "js/consultation-live.js" in page
