"""Forms of the platform administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from forum.core.forms import choices
from forum.platforms.choices import ICONS, JOIN_POLICIES, PLATFORM_ROLES, VISIBILITIES

REQUIRED = _l("This field is required.")


class PlatformForm(FlaskForm):
    """A platform's address, names and descriptions in both languages, look and access."""

    slug = StringField(_l("Address"), [DataRequired(REQUIRED), Length(max=60),
                                       Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                              message=_l("Use lower-case letters, digits and hyphens only."))])
    name_es = StringField(_l("Name in Spanish"), [Optional(), Length(max=120)])
    name_en = StringField(_l("Name in English"), [Optional(), Length(max=120)])
    description_es = TextAreaField(_l("Description in Spanish"), [Optional(), Length(max=5000)])
    description_en = TextAreaField(_l("Description in English"), [Optional(), Length(max=5000)])
    colour = StringField(_l("Colour"), [DataRequired(REQUIRED),
                                        Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Write the colour as #rrggbb."))])
    icon = SelectField(_l("Icon"), choices=choices(ICONS))
    visibility = SelectField(_l("Who can read"), choices=choices(VISIBILITIES))
    join_policy = SelectField(_l("Who can join"), choices=choices(JOIN_POLICIES))
    premoderated = BooleanField(_l("Pre-moderated: every new post waits for approval"))
    leavers_may_delete_posts = BooleanField(_l("People who delete their account may delete their posts here"))


class PlatformRoleForm(FlaskForm):
    """Give someone a duty on a platform, by their e-mail address."""

    email = EmailField(_l("E-mail address"), [DataRequired(REQUIRED), Email(_l("Please enter a valid e-mail address."),
                                                                           check_deliverability=False)])
    role = SelectField(_l("Duty"), choices=choices(PLATFORM_ROLES))
