"""Reason templates: ready explanations, in Spanish and English, that moderators pick when they sanction
someone or decide about an item. Moderators add and edit them; one default per flag reason is seeded."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts.models import User
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.moderation import rules
from forum.moderation.choices import REASONS
from forum.moderation.models import ReasonTemplate

TITLE_MAX = 120
TEXT_MAX = 2000

#: the seeded template of each flag reason: (title_es, title_en, text_es, text_en)
DEFAULTS: dict[str, tuple[str, str, str, str]] = {
    "spam": (
        "Publicidad o spam", "Advertising or spam",
        "Su mensaje contenía publicidad o contenido repetitivo sin relación con el diálogo. El foro es un espacio "
        "para debatir políticas públicas: le pedimos no publicar promociones ni mensajes repetidos.",
        "Your message contained advertising or repetitive content unrelated to the dialogue. The forum is a space "
        "to discuss public policy: please do not post promotions or repeated messages."),
    "harassment": (
        "Acoso o agresiones", "Harassment or abuse",
        "Su mensaje contenía ataques personales, insultos o acoso hacia otras personas. En el foro se debaten "
        "ideas; no se ataca a las personas.",
        "Your message contained personal attacks, insults or harassment of other people. On the forum we debate "
        "ideas; we do not attack people."),
    "hate": (
        "Discurso de odio", "Hate speech",
        "Su mensaje contenía expresiones que discriminan o incitan al odio por origen, género, identidad, religión, "
        "discapacidad u otra condición. Este contenido no está permitido en el foro.",
        "Your message contained expressions that discriminate against people or incite hatred because of their "
        "origin, gender, identity, religion, disability or any other condition. Such content is not allowed on "
        "the forum."),
    "off_topic": (
        "Fuera de tema", "Off-topic",
        "Su mensaje no tenía relación con el tema de la conversación. Le invitamos a abrir un hilo nuevo en la "
        "plataforma temática que corresponda.",
        "Your message was not related to the topic of the conversation. You are welcome to start a new thread "
        "on the relevant thematic platform."),
    "personal_data": (
        "Datos personales expuestos", "Personal data exposed",
        "Su mensaje revelaba datos personales de otra persona (por ejemplo, domicilio, teléfono o documentos de "
        "identidad). Para proteger la privacidad de esa persona, este contenido no puede publicarse.",
        "Your message revealed another person's personal data (such as their address, telephone number or "
        "identity documents). To protect their privacy, this content cannot be published."),
    "misinformation": (
        "Desinformación", "Misinformation",
        "Su mensaje presentaba como hechos afirmaciones falsas o engañosas. Cuando comparta datos, le pedimos "
        "citar fuentes verificables.",
        "Your message presented false or misleading claims as facts. When you share data, please cite "
        "verifiable sources."),
    "other": (
        "Incumplimiento de las normas", "Breach of the rules",
        "Su participación no respetó las normas de convivencia del foro.",
        "Your participation did not respect the forum's rules of conduct."),
}


def all_templates() -> list[ReasonTemplate]:
    """Every template, grouped by the flag reason it explains (templates of no reason last), oldest first."""
    templates = db.session.scalars(select(ReasonTemplate).order_by(ReasonTemplate.id)).all()
    order = {code: n for n, code in enumerate(REASONS)}
    return sorted(templates, key=lambda t: (order.get(t.reason, len(order)), t.id))


def get_template(template_id: int | None) -> ReasonTemplate | None:
    """The template with this id, or None."""
    return db.session.get(ReasonTemplate, template_id) if template_id else None


def text_in(template: ReasonTemplate, locale: str) -> str:
    """The template's explanation in ``locale``, or in the other language when that one is empty."""
    other = "en" if locale == "es" else "es"
    return getattr(template, f"text_{locale}", "") or getattr(template, f"text_{other}", "") or ""


def _check(fields: dict) -> dict:
    """Trimmed, validated fields of a template (both languages required)."""
    reason = fields.get("reason") or None
    if reason is not None and reason not in REASONS:
        raise ActionRefused(_("Please choose one of the options offered."), field="reason")
    clean = {"reason": reason}
    for name, limit in (("title_es", TITLE_MAX), ("title_en", TITLE_MAX), ("text_es", TEXT_MAX),
                        ("text_en", TEXT_MAX)):
        value = (fields.get(name) or "").strip()
        if not value:
            raise ActionRefused(_("Please fill this in, in both languages."), field=name)
        if len(value) > limit:
            raise ActionRefused(_("Please write at most %(count)s characters.", count=limit), field=name)
        clean[name] = value
    return clean


def _require_moderator(actor: User | None) -> None:
    if not rules.can_manage_reasons(actor):
        raise ActionRefused(_("Only moderators manage reason templates."), status=403, code="forbidden")


def create_template(actor: User, **fields) -> ReasonTemplate:
    """Add a template (``reason``, ``title_es``, ``title_en``, ``text_es``, ``text_en``)."""
    _require_moderator(actor)
    template = ReasonTemplate(created_by_id=actor.id, **_check(fields))
    db.session.add(template)
    db.session.flush()
    return template


def edit_template(actor: User, template: ReasonTemplate, **fields) -> None:
    """Change a template's reason, titles and texts. Sanctions already issued keep the words they were sent."""
    _require_moderator(actor)
    for name, value in _check(fields).items():
        setattr(template, name, value)


def seed_defaults() -> int:
    """Create the default template of each flag reason that does not have one yet; returns how many were
    created. Safe to repeat (demo data, ``flask seed-demo``). The caller commits."""
    seeded = set(db.session.scalars(select(ReasonTemplate.reason).where(ReasonTemplate.created_by_id.is_(None))))
    created = 0
    for code, (title_es, title_en, text_es, text_en) in DEFAULTS.items():
        if code in seeded:
            continue
        db.session.add(ReasonTemplate(reason=code, title_es=title_es, title_en=title_en, text_es=text_es,
                                      text_en=text_en))
        created += 1
    db.session.flush()
    return created
