"""The pages of award notices (公示) and calls (申报通知), made when a fund
manager publishes a notice or creates a call: published at once or submitted to
moderation, as the department's site settings say (`PublicSiteSettings`)."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.models import (
    CALLS_SLUG,
    NOTICES_SLUG,
    AnnouncementPublishing,
    AwardNoticePage,
    CallPage,
    HomePage,
    NewsIndexPage,
    PublicSiteSettings,
)
from cms.skeleton import child_page_ensure

logger = logging.getLogger(__name__)


def _site_and_home():
    site = Site.objects.filter(is_default_site=True).first()
    home = None
    if site is not None and site.root_page_id:
        home = HomePage.objects.filter(pk=site.root_page_id).first()
    return site, home or HomePage.objects.first()


def _index(home, slug, title):
    page = NewsIndexPage.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page, _made = child_page_ensure(
            home, NewsIndexPage, slug, title=title, show_in_menus=True
        )
    return page


def _publish_or_submit(page, site, user):
    """Publish `page` (a new draft) or start its moderation workflow, as the site's
    settings say. Without a workflow on the page there is no moderator to publish
    it: the page is published, so the notice is not missing from the site."""
    revision = page.save_revision(user=user, log_action=True)
    mode = PublicSiteSettings.for_site(site).announcement_publishing
    workflow = (
        page.get_workflow() if mode == AnnouncementPublishing.MODERATION else None
    )
    if workflow is not None and workflow.active:
        workflow.start(page, user)
    else:
        # The department chose direct publishing (its settings): the fund
        # manager publishes the page without page permissions of their own.
        revision.publish(user=user, skip_permission_checks=True)
    return page


def _ensure(model, field, record, index, title, user, **fields):
    """The page of `record`, found by its `field`, else made under the index
    `index` = (its slug, its title if it must be made) and published or submitted;
    the page's slug is `<field>-<record id>` (call-3, notice-5)."""
    existing = model.objects.filter(**{field: record}).first()
    if existing is not None:
        return existing
    site, home = _site_and_home()
    if home is None:  # no public site installed (setup_platform not run)
        return None
    with translation.override(settings.LANGUAGE_CODE):
        parent = _index(home, *index)
        slug, n = f"{field}-{record.pk}", 1
        while parent.get_children().filter(slug=slug).exists():
            n += 1
            slug = f"{field}-{record.pk}-{n}"
        page = model(
            title=title(),
            slug=slug,
            owner=user,
            live=False,
            **{field: record},
            **{k: v() if callable(v) else v for k, v in fields.items()},
        )
        parent.add_child(instance=page)
        return _publish_or_submit(page, site or page.get_site(), user)


@transaction.atomic
def notice_page_ensure(notice, *, user):
    """The page of a 公示 (`funding.PublicNotice`) in 公示公告: made, titled as
    the notice, and published or submitted to moderation (site settings), unless
    the notice already has a page. Returns the page, or None when no public site
    is installed. Source: DESIGN.md "award public notices (公示) generated from
    the approved list"; a 公示 nobody can find does not serve its purpose."""
    return _ensure(
        AwardNoticePage,
        "notice",
        notice,
        (NOTICES_SLUG, _("Public notices and announcements")),
        lambda: notice.title,
        user,
    )


@transaction.atomic
def call_page_ensure(call, *, user):
    """The page of a call (`funding.Call`) in 申报通知: made with a standard
    title and how-to-apply text the editor can rewrite, and published or
    submitted to moderation (site settings), unless the call already has a page.
    Returns the page, or None when no public site is installed."""
    return _ensure(
        CallPage,
        "call",
        call,
        (CALLS_SLUG, _("Calls for applications")),
        lambda: _("Notice on applications to %(call)s") % {"call": call.name},
        user,
        how_to_apply=lambda: (
            "<p>%s</p>"
            % _(
                "Log in to the platform as your organization and apply online before "
                "the closing date; the fund's office answers questions."
            )
        ),
    )


def _safely(make, record, user):
    try:
        make(record, user=user)
    except Exception:  # the record is saved; a page failure must not undo or 500 it
        logger.exception("The public page of %r could not be made.", record)


def announcement_page_schedule(record, *, user):
    """After the current transaction commits, make the public page of `record`
    (a `funding.PublicNotice` or `funding.Call`). A failure to make the page is
    logged and never undoes the record (`announcement_pages_ensure` makes the
    missing pages later)."""
    make = call_page_ensure if record._meta.model_name == "call" else notice_page_ensure
    transaction.on_commit(lambda: _safely(make, record, user))


def announcement_pages_ensure(*, user=None):
    """Make the missing page of every call and 公示 (oldest first): {"calls": n,
    "notices": n} pages made. For `setup_platform` and after a failure."""
    from funding.models import Call, PublicNotice

    made = {"calls": 0, "notices": 0}
    for key, model, field, make in (
        ("calls", Call, "pages", call_page_ensure),
        ("notices", PublicNotice, "pages", notice_page_ensure),
    ):
        for record in model.objects.filter(**{f"{field}__isnull": True}).order_by("pk"):
            if make(record, user=user) is not None:
                made[key] += 1
    return made
