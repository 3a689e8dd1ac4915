"""The translation section: for each platform, the posts written within the period and how many of them can be
read in both languages (an up-to-date translation of their current text)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, distinct, func, select

from forum.extensions import db
from forum.i18n import localized
from forum.indicators.filters import Filters
from forum.indicators.scope import Scope
from forum.indicators.tables import Cell, Chart, Column, Row, Table
from forum.threads.models import Post, PostTranslation, Thread
from forum.threads.rules import findable_posts


def _cells(posts: int, translated: int) -> list[Cell]:
    """A row's cells: posts, those in both languages, and their share in per cent (None without posts)."""
    return [Cell(posts), Cell(translated), Cell(round(100 * translated / posts, 1) if posts else None)]


def tables(scope: Scope, filters: Filters) -> list[Table]:
    """The table "translation", in one query whatever the number of platforms (a join rather than a subquery per
    post: twice as quick on PostgreSQL)."""
    counted = scope.counted(filters)
    up_to_date = and_(PostTranslation.post_id == Post.id, PostTranslation.source_revision == Post.revision)
    figures = {platform_id: (posts, translated) for platform_id, posts, translated in db.session.execute(
        select(Thread.platform_id, func.count(distinct(Post.id)), func.count(distinct(PostTranslation.post_id)))
        .select_from(Post).join(Thread, Post.thread_id == Thread.id).outerjoin(PostTranslation, up_to_date)
        .where(findable_posts(scope.viewer), Thread.platform_id.in_([platform.id for platform in counted]),
               Post.created_at >= filters.period.start, Post.created_at < filters.period.end)
        .group_by(Thread.platform_id))} if counted else {}
    rows = []
    for platform in counted:
        label, lang, _fallback = localized(platform, "name")
        rows.append(Row(key=platform.slug, label=label, lang=lang, url=url_for("threads.platform", slug=platform.slug),
                        cells=_cells(*figures.get(platform.id, (0, 0)))))
    rows.append(Row(key="total", label=_("All platforms"), kind="total",
                    cells=_cells(sum(posts for posts, _t in figures.values()),
                                 sum(translated for _p, translated in figures.values()))))
    notes = [_("The state filter does not apply to translation: posts belong to platforms, not to states.")]
    return [Table(
        key="translation",
        title=_("Posts in both languages"),
        description=_(
            "For each platform: the posts written within the period (visible, in threads readers may find), and "
            "how many of them have a translation into the other language that is up to date with their "
            "current text."),
        unit="count",
        columns=[Column("posts", _("Posts")), Column("in_both_languages", _("In both languages")),
                 Column("share", _("In both languages (%)"), "percent")],
        rows=rows,
        chart=Chart("bars", column="share", maximum=100),
        notes=notes,
        section="translation",
    )]
