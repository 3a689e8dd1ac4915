"""The indicators page works in a browser with JavaScript switched off: the filters are a plain form, the charts
are drawn on the server, and every figure is in a table beside its chart."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Browser, expect


def _last_month_posts(live_server) -> str:
    """Six women and six men of civil society from Oaxaca, and six men from San Luis Potosí, post on a public
    platform last month; returns that month as YYYY-MM."""
    from forum.accounts import services as accounts
    from forum.core.db import commit, utcnow
    from forum.extensions import db
    from forum.platforms import services as platforms
    from forum.threads.models import Post, Thread

    with live_server.app.app_context():
        when = utcnow().replace(day=1) - timedelta(days=10)
        platform = platforms.create_platform(None, slug="justicia", name_es="Justicia", name_en="Justice")
        thread = None
        groups = [("OAX", "woman")] * 6 + [("OAX", "man")] * 6 + [("SLP", "man")] * 6
        for n, (state, gender) in enumerate(groups):
            person = accounts.create_user(email=f"p{n}@example.org", password="correct horse battery",
                                          display_name=f"Persona {n}", sector="civil_society", state=state,
                                          gender=gender, confirmed=True)
            db.session.flush()
            if thread is None:
                thread = Thread(platform_id=platform.id, author_id=person.id, title="Hilo", language="es",
                                created_at=when, last_activity_at=when)
                db.session.add(thread)
            db.session.add(Post(thread=thread, author_id=person.id, language="es", body_source="Texto",
                                body_html="<p>Texto</p>", created_at=when))
        commit()
        return f"{when.year:04d}-{when.month:02d}"


def test_filters_and_figures_without_javascript(live_server, browser: Browser):
    """A visitor without JavaScript reads the figures, chooses Oaxaca with the keyboard and sends the form: the
    figures of Oaxaca's people follow, each chart with its table."""
    month = _last_month_posts(live_server)
    context = browser.new_context(locale="es-MX", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/indicators?since={month}&until={month}")
        gender = page.locator("#participants-by-gender")
        expect(gender.locator("svg[role=img] title").first).to_have_text("Participantes activos por género")
        expect(gender.locator("tr", has_text="Mujer").locator("td").first).to_have_text("6")
        expect(gender.locator("tr", has_text="Hombre").locator("td").first).to_have_text("12")

        page.locator("#state").select_option("OAX")
        page.locator("#state").focus()
        page.keyboard.press("Tab")  # to the form's button
        expect(page.locator(".indicator-filters button")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{live_server.url}/indicators?since={month}&until={month}&platform=&state=OAX")
        gender = page.locator("#participants-by-gender")
        expect(gender.locator("caption")).to_contain_text("Oaxaca")
        expect(gender.locator("tr", has_text="Mujer").locator("td").first).to_have_text("6")
        expect(gender.locator("tr", has_text="Hombre").locator("td").first).to_have_text("6")
        expect(gender.locator("tr.row-total td").first).to_have_text("12")
    finally:
        context.close()
