"""Helpers shared by the moderation tests: a small forum to moderate and translated expectations."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from tests.conftest import browser


def translated(message: str, locale: str, **values) -> str:
    """``message`` as a person reading ``locale`` gets it (an app context is needed)."""
    with force_locale(locale):
        return _(message, **values)


def text(response) -> str:
    """The body of a response."""
    return response.get_data(as_text=True)


@dataclass
class Forum:
    """A public platform, Justicia, with a thread by Rosa and a reply by Rosa; Claire (English), Diego and Elena
    are members who may flag; Mara moderates Justicia; Gael is a global moderator; Pablo only takes part; and a
    second platform, Seguridad, that Mara does not moderate."""

    rosa: object
    claire: object
    diego: object
    elena: object
    pablo: object
    mara: object
    gael: object
    justicia: object
    seguridad: object
    thread: object
    post: object

    @property
    def flaggers(self) -> list:
        """Three members who may flag Rosa's post, one of them English-speaking."""
        return [self.claire, self.diego, self.elena]


def build_forum(make_user, make_platform, make_thread, make_post) -> Forum:
    """Create :class:`Forum` (every account's password is the suite's ``PASSWORD``)."""
    rosa = make_user("rosa@example.org", display_name="Rosa López")
    claire = make_user("claire@example.org", display_name="Claire Dubois", locale="en")
    diego = make_user("diego@example.org", display_name="Diego Pérez")
    elena = make_user("elena@example.org", display_name="Elena Ruiz")
    pablo = make_user("pablo@example.org", display_name="Pablo Gómez")
    mara = make_user("mara@example.org", display_name="Mara Díaz")
    gael = make_user("gael@example.org", display_name="Gael Moreno", role="moderator", locale="en")
    justicia = make_platform(slug="justicia", name_es="Justicia", name_en="Justice",
                             members=[rosa, claire, diego, elena, pablo], moderators=[mara])
    seguridad = make_platform(slug="seguridad", name_es="Seguridad", name_en="Security", members=[rosa, pablo])
    thread = make_thread(rosa, justicia, title="Intérpretes en las fiscalías", body="¿Qué experiencias conocen?")
    post = make_post(rosa, thread, "Un mensaje que algunas personas consideran **spam**.")
    return Forum(rosa=rosa, claire=claire, diego=diego, elena=elena, pablo=pablo, mara=mara, gael=gael,
                 justicia=justicia, seguridad=seguridad, thread=thread, post=post)


def signed_in(app, email: str):
    """A browser-like client signed in as ``email``."""
    return browser(app, email)
