"""Library pages: the general library and every platform's library with filters, a document's page with its
versions and where it is referenced, uploads, metadata edits, new versions, removal and downloads. Every
action works as a plain form; documents the reader may not see answer 404 everywhere."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.accounts.models import Organisation
from forum.core.db import MAX_ID, commit, whole_number
from forum.core.errors import ActionRefused
from forum.core.forms import INVALID, refusal_status, show_refusal
from forum.documents import bp, choices, files, queries, rules, services
from forum.documents.forms import GENERAL, MetadataForm, RemoveForm, UploadForm, VersionForm
from forum.documents.models import Document
from forum.extensions import db
from forum.i18n import current_locale, localized
from forum.moderation.choices import REASONS
from forum.platforms import directory
from forum.platforms.models import Platform
from forum.threads.models import Thread

DOCUMENTS_PER_PAGE = 20
#: the value of the library filter that means the general library
GENERAL_FILTER = "general"


@bp.record_once
def _upload_limit(state) -> None:
    """Upload pages get the upload size limit before anything (CSRF included) reads the request body."""
    files.install_upload_limit(state.app)


def _document_or_404(document_id: int) -> Document:
    document = queries.visible_document(current_user, document_id)
    if document is None:
        abort(404)
    return document



def _organisations() -> list[tuple[int, str]]:
    """Verified organisations that may be named as a document's publisher, by name in the reader's language."""
    found = db.session.scalars(select(Organisation).where(Organisation.verified.is_(True)))
    named = [(o.id, localized(o, "name")[0] + (f" ({o.acronym})" if o.acronym else "")) for o in found]
    return sorted(named, key=lambda item: item[1].casefold())


def _accept(field) -> None:
    """Let the browser's file picker suggest the accepted types (the server checks them anyway)."""
    extensions = sorted({f".{e}" for kind in files.ACCEPTED.values() for e in kind.extensions})
    field.render_kw = {**(field.render_kw or {}), "accept": ",".join(extensions)}


def _offer(form: MetadataForm) -> None:
    form.offer(kinds=choices.DOCUMENT_TYPES, languages=choices.FILE_LANGUAGES, access_levels=choices.ACCESS_LEVELS,
               organisations=_organisations())


def _upload_targets() -> list[Platform | None]:
    """The libraries the user may upload to: the general one (None) and platforms, in navigation order."""
    targets: list[Platform | None] = [None] if rules.can_upload_to(current_user, None) else []
    return targets + [p for p in directory.active_platforms() if rules.can_upload_to(current_user, p)]


def _library_name(platform: Platform | None) -> str:
    return localized(platform, "name")[0] if platform is not None else _("General library")


def _publishers() -> list[Organisation]:
    """Organisations named as publisher of documents the reader may see (for the filter)."""
    visible = select(Document.organisation_id).where(rules.readable_documents(current_user),
                                                     Document.organisation_id.is_not(None))
    organisations = db.session.scalars(select(Organisation).where(Organisation.id.in_(visible)))
    return sorted(organisations, key=lambda o: localized(o, "name")[0].casefold())


def _library(platform: Platform | None):
    """The library page: every library the reader may see, or one platform's, filtered and sorted."""
    args = request.args
    filters = {
        "kind": args.get("kind") if args.get("kind") in choices.DOCUMENT_TYPES else None,
        "language": args.get("language") if args.get("language") in choices.FILE_LANGUAGES else None,
        "organisation": whole_number(args.get("organisation")),
        "year": whole_number(args.get("year"), 9999),
        "tag": (args.get("tag") or "").strip().lower()[:40] or None,
        "sort": args.get("sort") if args.get("sort") in choices.SORTS else "newest",
        "library": None,
    }
    platform_slug, general = (platform.slug if platform else None), False
    if platform is None:
        wanted = (args.get("library") or "").strip()
        if wanted == GENERAL_FILTER:
            general, filters["library"] = True, GENERAL_FILTER
        elif wanted and directory.platform_by_slug(wanted) is not None:
            platform_slug = filters["library"] = wanted
    query = queries.document_list(current_user, platform_slug=platform_slug, general=general, kind=filters["kind"],
                                  language=filters["language"], organisation_id=filters["organisation"],
                                  year=filters["year"], tag=filters["tag"], sort=filters["sort"])
    documents = db.paginate(query, per_page=DOCUMENTS_PER_PAGE, error_out=False)
    if documents.page > max(documents.pages, 1):
        abort(404)
    targets = _upload_targets() if current_user.is_authenticated else []
    can_upload = (platform in targets) if platform is not None else bool(targets)
    return render_template(
        "documents/library.html", platform=platform, documents=documents, filters=filters,
        platforms=directory.active_platforms() if platform is None else [], publishers=_publishers(),
        kinds=choices.DOCUMENT_TYPES, languages=choices.FILE_LANGUAGES, sorts=choices.SORTS,
        access_levels=choices.ACCESS_LEVELS, can_upload=can_upload,
        tags=queries.tags_in_use(current_user, platform, general=general), years=queries.years_in_use(current_user))


@bp.app_template_global()
def thread_documents(thread: Thread) -> list[Document]:
    """The documents linked to ``thread`` that the reader may see (for the thread page; one query)."""
    return list(queries.documents_of_thread(current_user, thread))


@bp.app_template_filter("filesize")
def filesize(size: int | None) -> str:
    """A file size for people: bytes, KB or MB, with the reader's number format."""
    size = size or 0
    if size < 1024:
        return _("%(num)s bytes", num=format_decimal(size))
    if size < 1024 * 1024:
        return _("%(num)s KB", num=format_decimal(round(size / 1024, 1)))
    return _("%(num)s MB", num=format_decimal(round(size / (1024 * 1024), 1)))


@bp.route("/library")
def library():
    """All the libraries the reader may see (the general one and the platforms'), with filters and sorting."""
    return _library(None)


@bp.route("/p/<slug>/library")
def platform_library(slug: str):
    """One platform's library: the documents of that platform the reader may see."""
    platform = directory.platform_by_slug(slug)
    if platform is None:
        abort(404)
    return _library(platform)


def _show_page(document: Document, *, remove_form: RemoveForm | None = None, status: int = 200):
    if remove_form is None:
        remove_form = RemoveForm(formdata=None)
    remove_form.offer(REASONS)
    return render_template(
        "documents/show.html", document=document, versions=queries.versions(document),
        tags=queries.tags_of(document), threads=queries.threads_of(current_user, document),
        can_edit=rules.can_edit(current_user, document),
        can_remove=rules.can_remove(current_user, document),
        remove_form=remove_form, kinds=choices.DOCUMENT_TYPES,
        languages=choices.FILE_LANGUAGES, access_levels=choices.ACCESS_LEVELS,
        text_statuses=choices.TEXT_STATUSES), status


@bp.route(f"/documents/<int(max={MAX_ID}):document_id>")
def show(document_id: int):
    """A document: its metadata in the reader's language, its versions with downloads, and where it is used."""
    return _show_page(_document_or_404(document_id))


@bp.route("/library/upload", methods=["GET", "POST"])
@login_required
@files.accepts_upload
def upload():
    """Upload a document to a library the user may upload to (``?platform=<slug>`` chooses it first)."""
    if not rules.may_upload(current_user):
        abort(403)
    targets = _upload_targets()
    if not targets:
        abort(403)
    by_slug = {(p.slug if p is not None else GENERAL): p for p in targets}
    if request.method == "GET":
        wanted = request.args.get("platform", GENERAL)
        form = UploadForm(formdata=None, platform=wanted if wanted in by_slug else GENERAL,
                          language=current_locale(), access="public")
    else:
        form = UploadForm()
    form.platform.choices = [(key, _library_name(p)) for key, p in by_slug.items()]
    _offer(form)
    _accept(form.file)
    status = 200
    if form.validate_on_submit():
        try:
            document = services.upload(current_user, file=form.file.data, platform=by_slug[form.platform.data],
                                       **form.metadata())
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
            status = refusal_status(error)
        else:
            flash(_("The document has been added to the library."), "success")
            return redirect(url_for("documents.show", document_id=document.id), 303)
    elif form.errors:
        status = INVALID
    return render_template("documents/upload.html", form=form, max_mb=current_app.config["FORUM_MAX_UPLOAD_MB"],
                           accepted=files.accepted_list()), status


@bp.route(f"/documents/<int(max={MAX_ID}):document_id>/edit", methods=["GET", "POST"])
@login_required
def edit(document_id: int):
    """Edit a document's metadata (its uploader and the moderators of its library)."""
    document = _document_or_404(document_id)
    if not rules.can_edit(current_user, document):
        abort(403)
    if request.method == "GET":
        form = MetadataForm(
            formdata=None, obj=document, organisation_id=str(document.organisation_id or ""),
            tags=", ".join(queries.tags_of(document)),
            thread_ids=", ".join(str(t.id) for t in queries.threads_of(current_user, document)))
    else:
        form = MetadataForm()
    _offer(form)
    status = 200
    if form.validate_on_submit():
        try:
            services.update(current_user, document, **form.metadata())
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
            status = refusal_status(error)
        else:
            flash(_("Your changes have been saved."), "success")
            return redirect(url_for("documents.show", document_id=document.id), 303)
    elif form.errors:
        status = INVALID
    return render_template("documents/edit.html", document=document, form=form), status


@bp.route(f"/documents/<int(max={MAX_ID}):document_id>/versions/new", methods=["GET", "POST"])
@login_required
@files.accepts_upload
def new_version(document_id: int):
    """Upload a new version of the file; earlier versions stay available."""
    document = _document_or_404(document_id)
    if not rules.can_edit(current_user, document):
        abort(403)
    form = VersionForm()
    _accept(form.file)
    status = 200
    if form.validate_on_submit():
        try:
            version = services.add_version(current_user, document, form.file.data, note=form.note.data or "")
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
            status = refusal_status(error)
        else:
            flash(_("Version %(number)s has been added.", number=version.number), "success")
            return redirect(url_for("documents.show", document_id=document.id), 303)
    elif form.errors:
        status = INVALID
    return render_template("documents/new_version.html", document=document, form=form,
                           max_mb=current_app.config["FORUM_MAX_UPLOAD_MB"], accepted=files.accepted_list()), status


@bp.route(f"/documents/<int(max={MAX_ID}):document_id>/remove", methods=["POST"])
@login_required
def remove(document_id: int):
    """Remove a document (moderators of its library, administrators); the reason goes to the moderation log."""
    document = _document_or_404(document_id)
    if not rules.can_remove(current_user, document):
        abort(403)
    form = RemoveForm()
    form.offer(REASONS)
    if form.validate_on_submit():
        platform = document.platform
        try:
            services.remove(current_user, document, form.reason.data, note=form.note.data or "")
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
            return _show_page(document, remove_form=form, status=refusal_status(error))
        flash(_("The document has been removed."), "success")
        if platform is not None:
            return redirect(url_for("documents.platform_library", slug=platform.slug), 303)
        return redirect(url_for("documents.library"), 303)
    return _show_page(document, remove_form=form, status=INVALID)


def _download(document: Document, number: int | None):
    version = queries.latest_version(document) if number is None else queries.version(document, number)
    if version is None:
        abort(404)
    services.count_download(version)
    commit()
    return files.send_version(version, inline=request.args.get("inline") == "1")


@bp.route(f"/documents/<int(max={MAX_ID}):document_id>/download")
def download(document_id: int):
    """Download the current version (``?inline=1`` opens types browsers show safely, such as PDF)."""
    return _download(_document_or_404(document_id), None)


@bp.route(f"/documents/<int(max={MAX_ID}):document_id>/versions/<int(max={MAX_ID}):number>/download")
def download_version(document_id: int, number: int):
    """Download one version of the document."""
    return _download(_document_or_404(document_id), number)
