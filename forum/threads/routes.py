"""Thread pages: the thread with its posts, new threads, replies with preview, edits, deletion, reactions,
translations, history, following and "jump to first unread". Every action works as a plain form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.core.db import MAX_ID, commit, whole_number
from forum.core.errors import ActionRefused
from forum.core.forms import show_refusal
from forum.core.text import Rendered, render
from forum.extensions import db
from forum.i18n import current_locale
from forum.moderation.limits import posting_limit
from forum.notifications import services as notifications
from forum.platforms import directory
from forum.platforms import rules as platform_rules
from forum.threads import bp, moderation, queries, rules, services
from forum.threads.choices import KINDS, SORTS
from forum.threads.forms import PostForm, ThreadForm, TranslationForm
from forum.threads.models import Post, PostRevision, Thread

INVALID = 422


def _thread_or_404(thread_id: int) -> Thread:
    thread = queries.visible_thread(current_user, thread_id)
    if thread is None:
        abort(404)
    return thread


def _post_or_404(post_id: int) -> Post:
    post = queries.visible_post(current_user, post_id)
    if post is None:
        abort(404)
    return post


def _post_url(post: Post) -> str:
    page = queries.page_of_post(current_user, post.thread, post.id)
    return url_for("threads.show", thread_id=post.thread_id, page=page if page > 1 else None,
                   _anchor=f"post-{post.id}")


def _quotation(post: Post) -> str:
    """The start of a quote-reply: the quoted post's Markdown as a block quote naming its author."""
    name = f"@{post.author.handle}" if post.author else _("someone")
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body_source.splitlines())
    return _("%(name)s wrote:", name=name) + "\n" + quoted + "\n\n"


def _tell_if_held(item: Post | Thread) -> None:
    """After a post was saved: tell its author when it waits for the moderators' review."""
    if item.status == "held":
        flash(_("Your post is awaiting review by the moderators."), "info")


def _preview(form) -> Rendered | None:
    """The rendered text when the form was sent with its Preview button."""
    if "preview" not in request.form or not (form.body.data or "").strip():
        return None
    return render(form.body.data)


def _thread_moderation(thread: Thread) -> tuple[list, list[str]]:
    """For the thread's moderators: the platforms they may move it to, and the decisions the thread's form
    offers (moving only when there is somewhere to move it)."""
    targets = [p for p in directory.active_platforms()
               if p.id != thread.platform_id and rules.can_move_to(current_user, p)]
    decisions = [d for d in moderation.offered_thread_decisions(thread) if d != "move" or targets]
    return targets, decisions


def _thread_page(thread: Thread, form: PostForm, *, preview: str | None = None, status: int = 200):
    posts = queries.posts_page(current_user, thread, request.args.get("page", 1, type=int))
    if posts.page > max(posts.pages, 1):
        abort(404)
    last_read, following = services.last_seen(current_user, thread)
    is_moderator = rules.can_moderate_thread(current_user, thread)
    move_targets, thread_decisions = _thread_moderation(thread) if is_moderator else ([], [])
    page = render_template(
        "threads/show.html", thread=thread, posts=posts, form=form, preview=preview, last_read=last_read,
        following=following, can_reply=rules.can_reply(current_user, thread), is_moderator=is_moderator,
        move_targets=move_targets, thread_decisions=thread_decisions,
        is_member=platform_rules.is_member(current_user, thread.platform),
    )
    newest_on_page = posts.items[-1].id if posts.items else 0
    if current_user.is_authenticated and newest_on_page > last_read:  # after drawing: the commit expires the posts
        services.mark_read(current_user, thread, newest_on_page)
        commit()
    return page, status


@bp.route(f"/t/<int(max={MAX_ID}):thread_id>")
def show(thread_id: int):
    """A thread: 20 posts a page, in the reader's language where a translation exists, and the reply form."""
    thread = _thread_or_404(thread_id)
    form = PostForm(formdata=None, language=current_locale())
    quoted = whole_number(request.args.get("quote"))
    if quoted is not None:
        post = queries.visible_post(current_user, quoted)
        if post is not None and post.thread_id == thread.id and not post.is_deleted and post.status == "visible":
            form.body.data = _quotation(post)
            form.reply_to.data = str(post.id)
    return _thread_page(thread, form)


@bp.route(f"/posts/<int(max={MAX_ID}):post_id>")
def permalink(post_id: int):
    """Go to a post where it stands in its thread (the address search results and notifications link to)."""
    return redirect(_post_url(_post_or_404(post_id)))


@bp.route(f"/t/<int(max={MAX_ID}):thread_id>/unread")
def first_unread(thread_id: int):
    """Jump to the first post the reader has not seen yet (or the last one when all are read)."""
    thread = _thread_or_404(thread_id)
    last_read, _following = services.last_seen(current_user, thread)
    target = queries.first_unread(current_user, thread, last_read) or thread.last_post_id or 0
    page = queries.page_of_post(current_user, thread, target)
    return redirect(url_for("threads.show", thread_id=thread.id, page=page if page > 1 else None,
                            _anchor=f"post-{target}"))


@bp.route(f"/t/<int(max={MAX_ID}):thread_id>/reply", methods=["POST"])
@login_required
@posting_limit
def reply(thread_id: int):
    """Send a reply (or, with the Preview button, see it rendered first); what was typed is never lost."""
    thread = _thread_or_404(thread_id)
    form = PostForm()
    preview = _preview(form)
    if preview is None and form.validate_on_submit():
        reply_to = None
        if whole_number(form.reply_to.data) is not None:
            reply_to = queries.visible_post(current_user, whole_number(form.reply_to.data))
        try:
            post = services.reply(current_user, thread, body=form.body.data, language=form.language.data,
                                  reply_to=reply_to)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
            return _thread_page(thread, form, status=error.status if error.status != 400 else INVALID)
        _tell_if_held(post)
        return redirect(_post_url(post), 303)
    return _thread_page(thread, form, preview=preview, status=INVALID if form.errors else 200)


@bp.route("/p/<slug>")
def platform(slug: str):
    """A platform: what it is for, its moderators, how to join or follow it, and its threads (sorted and
    filtered)."""
    platform = directory.platform_by_slug(slug)
    if platform is None:
        abort(404)
    readable = platform_rules.can_read(current_user, platform)
    filters = {"sort": request.args.get("sort", "activity"), "kind": request.args.get("kind") or None,
               "tag": (request.args.get("tag") or "").strip().lower()[:40] or None,
               "language": request.args.get("language") or None,
               "unanswered": request.args.get("unanswered") == "1"}
    threads = None
    if readable:
        threads = db.paginate(queries.thread_list(current_user, platform, **filters),
                              per_page=queries.THREADS_PER_PAGE, error_out=False)
    return render_template(
        "threads/platform.html", platform=platform, readable=readable, threads=threads, filters=filters,
        sorts=SORTS, kinds=KINDS, tags=queries.tags_in_use(platform) if readable else [],
        moderators=directory.people(platform, "moderator"),
        members=directory.member_counts([platform.id])[platform.id],
        can_start=rules.can_start_thread(current_user, platform),
        following=notifications.is_following(current_user, "platform", platform.id))


@bp.route("/p/<slug>/new", methods=["GET", "POST"])
@login_required
@posting_limit
def new(slug: str):
    """Start a thread on a platform: title, kind, tags, language and the opening post (with preview)."""
    platform = directory.platform_by_slug(slug)
    if platform is None or not platform_rules.can_read(current_user, platform):
        abort(404)
    if not rules.can_start_thread(current_user, platform):
        flash(_("Join this platform to start a thread."), "info")
        return redirect(url_for("threads.platform", slug=slug))
    form = ThreadForm(language=current_locale()) if request.method == "GET" else ThreadForm()
    if not rules.may_announce(current_user, platform):
        form.kind.choices = [c for c in form.kind.choices if c.value != "announcement"]
    preview = _preview(form)
    if preview is None and form.validate_on_submit():
        try:
            thread = services.start_thread(current_user, platform, title=form.title.data, body=form.body.data,
                                           kind=form.kind.data, language=form.language.data, tags=form.tags.data)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            _tell_if_held(thread)
            return redirect(url_for("threads.show", thread_id=thread.id), 303)
    status = INVALID if form.errors else 200
    return render_template("threads/new.html", platform=platform, form=form, preview=preview), status


@bp.route(f"/posts/<int(max={MAX_ID}):post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    """Edit a post (authors, and moderators whose edits are marked); the earlier text is kept."""
    post = _post_or_404(post_id)
    if not rules.can_edit_post(current_user, post):
        abort(403)
    form = PostForm(obj=None, body=post.body_source, language=post.language) if request.method == "GET" \
        else PostForm()
    preview = _preview(form)
    if preview is None and form.validate_on_submit():
        try:
            services.edit_post(current_user, post, body=form.body.data, language=form.language.data)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            flash(_("Your changes have been saved."), "success")
            return redirect(_post_url(post), 303)
    return render_template("threads/edit.html", post=post, form=form, preview=preview), \
        INVALID if form.errors else 200


@bp.route(f"/posts/<int(max={MAX_ID}):post_id>/delete", methods=["POST"])
@login_required
def delete(post_id: int):
    """Delete a post; a placeholder keeps the conversation readable."""
    post = _post_or_404(post_id)
    services.delete_post(current_user, post)
    commit()
    flash(_("The post has been deleted."), "success")
    return redirect(_post_url(post), 303)


@bp.route(f"/posts/<int(max={MAX_ID}):post_id>/react", methods=["POST"])
@login_required
def react(post_id: int):
    """Give or take back support or thanks."""
    post = _post_or_404(post_id)
    services.toggle_reaction(current_user, post, request.form.get("kind", ""))
    commit()
    return redirect(_post_url(post), 303)


@bp.route(f"/posts/<int(max={MAX_ID}):post_id>/translate", methods=["GET", "POST"])
@login_required
def translate(post_id: int):
    """Write or improve the translation of a post into the other language."""
    post = _post_or_404(post_id)
    if not rules.can_translate(current_user, post):
        abort(403)
    current = next((t for t in post.translations), None)
    form = TranslationForm(body=current.body_source if current else "") if request.method == "GET" \
        else TranslationForm()
    preview = _preview(form)
    if preview is None and form.validate_on_submit():
        try:
            services.translate(current_user, post, body=form.body.data)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            flash(_("Thank you: the translation has been saved."), "success")
            return redirect(_post_url(post), 303)
    return render_template("threads/translate.html", post=post, form=form, current=current, preview=preview), \
        INVALID if form.errors else 200


@bp.route(f"/posts/<int(max={MAX_ID}):post_id>/history")
@login_required
def history(post_id: int):
    """Earlier versions of a post and of its translations (the platform's moderators)."""
    post = _post_or_404(post_id)
    if not rules.can_see_history(current_user, post):
        abort(403)
    revisions = db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id)
                                   .order_by(PostRevision.id.desc())).all()
    return render_template("threads/history.html", post=post, revisions=revisions)


@bp.route(f"/t/<int(max={MAX_ID}):thread_id>/follow", methods=["POST"])
@login_required
def follow(thread_id: int):
    """Follow the thread, or stop following it."""
    thread = _thread_or_404(thread_id)
    following = request.form.get("follow") == "1"
    services.set_following(current_user, thread, following)
    commit()
    flash(_("You follow this thread.") if following else _("You no longer follow this thread."), "success")
    return redirect(url_for("threads.show", thread_id=thread.id), 303)


@bp.route("/p/<slug>/translations")
def needs_translation(slug: str):
    """Posts of a platform that have no translation yet, oldest first: the translators' work list."""
    platform = directory.platform_by_slug(slug)
    if platform is None or not platform_rules.can_read(current_user, platform):
        abort(404)
    posts = db.paginate(queries.awaiting_translation(current_user, platform),
                        per_page=queries.THREADS_PER_PAGE, error_out=False)
    return render_template("threads/needs_translation.html", platform=platform, posts=posts)
