"""Forms of the account pages. Labels and messages are translated when the page is drawn."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Email, Length, Optional, StopValidation, ValidationError

from forum.accounts.choices import AGE_RANGES, GENDERS, ORGANISATION_TYPES, ROLES, SECTORS, STATES, TIMEZONES
from forum.accounts.passwords import MAX_LENGTH, password_problem
from forum.core.forms import CHOOSE, NOT_GIVEN, OptionalSelectField, choices
from forum.i18n import LANGUAGE_NAMES

REQUIRED = _l("This field is required.")
def _strip(value):
    return value.strip() if isinstance(value, str) else value


EMAIL_FILTERS = [_strip]
EMAIL = [DataRequired(REQUIRED), Email(_l("Please enter a valid e-mail address."), check_deliverability=False),
         Length(max=320)]


def _new_password(form, field) -> None:
    email = form.email.data if "email" in form else ""
    problem = password_problem(field.data or "", email or "")
    if problem:
        raise ValidationError(problem)


def _languages() -> list[SelectChoice]:
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()]


class ProfileFields(FlaskForm):
    """The fields a person fills at registration and edits later in their settings."""

    display_name = StringField(_l("Name shown to others"), [DataRequired(REQUIRED), Length(max=80)])
    position = StringField(_l("Position or job title"), [Optional(), Length(max=120)])
    locale = SelectField(_l("Preferred language"), choices=_languages())
    sector = SelectField(_l("Sector"), [DataRequired(REQUIRED)], choices=choices(SECTORS, empty=CHOOSE))
    state = SelectField(_l("State"), [DataRequired(REQUIRED)], choices=choices(STATES, empty=CHOOSE))
    gender = OptionalSelectField(_l("Gender"), choices=choices(GENDERS, empty=NOT_GIVEN))
    gender_description = StringField(_l("Gender, in your own words"), [Optional(), Length(max=80)])
    age_range = OptionalSelectField(_l("Age range"), choices=choices(AGE_RANGES, empty=NOT_GIVEN))


class Ticked:
    """A checkbox that must be ticked: only the box's own value counts ("no", "off" or "0" sent by hand are a
    refusal, not a yes)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        """Stop the field's validation with the message unless the box was ticked."""
        if field.raw_data != ["y"]:
            field.data = False
            raise StopValidation(self.message)


class RegistrationForm(ProfileFields):
    """Open an account."""

    email = EmailField(_l("E-mail address"), EMAIL, filters=EMAIL_FILTERS)
    password = PasswordField(_l("Password"), [DataRequired(REQUIRED), Length(max=MAX_LENGTH), _new_password])
    organisation = SelectField(_l("Organisation"), choices=[])
    new_organisation_name = StringField(_l("Name of your organisation"), [Length(max=200)])
    new_organisation_acronym = StringField(_l("Acronym"), [Optional(), Length(max=30)])
    new_organisation_kind = OptionalSelectField(_l("Type of organisation"),
                                                choices=choices(ORGANISATION_TYPES, empty=CHOOSE))
    privacy_consent = BooleanField(
        _l("I have read the privacy notice and agree to the processing of my personal data as it describes."),
        [Ticked(_l("To open an account, please confirm that you have read the privacy notice and agree to it."))])

    def validate_new_organisation_name(self, field) -> None:
        """A new organisation needs a name and a type."""
        if self.organisation.data == "new" and not (field.data or "").strip():
            raise ValidationError(_l("Please give the name of your organisation."))

    def validate_new_organisation_kind(self, field) -> None:
        """A new organisation needs a type."""
        if self.organisation.data == "new" and not field.data:
            raise ValidationError(_l("Please choose the type of your organisation."))


class SettingsForm(ProfileFields):
    """The profile settings page."""

    timezone = SelectField(_l("Time zone"), choices=[SelectChoice(tz, tz.replace("_", " ")) for tz in TIMEZONES])


class LoginForm(FlaskForm):
    """Sign in."""

    email = EmailField(_l("E-mail address"), EMAIL, filters=EMAIL_FILTERS)
    password = PasswordField(_l("Password"), [DataRequired(REQUIRED), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class EmailForm(FlaskForm):
    """Ask for a link by e-mail (password reset, new confirmation link)."""

    email = EmailField(_l("E-mail address"), EMAIL, filters=EMAIL_FILTERS)


class NewPasswordForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = PasswordField(_l("New password"), [DataRequired(REQUIRED), Length(max=MAX_LENGTH), _new_password])


class ChangePasswordForm(FlaskForm):
    """Change the password, proving the current one."""

    current_password = PasswordField(_l("Current password"), [DataRequired(REQUIRED), Length(max=MAX_LENGTH)])
    password = PasswordField(_l("New password"), [DataRequired(REQUIRED), Length(max=MAX_LENGTH), _new_password])


class ChangeEmailForm(FlaskForm):
    """Change the e-mail address, proving the current password."""

    email = EmailField(_l("New e-mail address"), EMAIL, filters=EMAIL_FILTERS)
    current_password = PasswordField(_l("Current password"), [DataRequired(REQUIRED), Length(max=MAX_LENGTH)])


class TokenForm(FlaskForm):
    """Create a personal access token."""

    name = StringField(_l("Token name"), [DataRequired(REQUIRED), Length(max=80)])


class RoleForm(FlaskForm):
    """An administrator changes someone's role."""

    role = SelectField(_l("Role"), choices=choices(ROLES))


class SuspendForm(FlaskForm):
    """An administrator suspends an account."""

    reason = TextAreaField(_l("Reason (the person will read it)"), [DataRequired(REQUIRED), Length(max=2000)])


class OrganisationForm(FlaskForm):
    """Edit an organisation's details."""

    name_es = StringField(_l("Name in Spanish"), [Length(max=200)])
    name_en = StringField(_l("Name in English"), [Length(max=200)])
    acronym = StringField(_l("Acronym"), [Optional(), Length(max=30)])
    kind = SelectField(_l("Type of organisation"), choices=choices(ORGANISATION_TYPES))
    state = OptionalSelectField(_l("State"), choices=choices(STATES, empty=NOT_GIVEN))
    website = StringField(_l("Website"), [Optional(), URL(message=_l("Please enter a full web address.")),
                                           Length(max=300)])
    description_es = TextAreaField(_l("Description in Spanish"), [Optional(), Length(max=5000)])
    description_en = TextAreaField(_l("Description in English"), [Optional(), Length(max=5000)])
