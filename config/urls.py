"""The project's URLs: admin, site history, account page, documents, language,
projects, funding's public files, pages."""

import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from core.account import PlatformAccountView
from core.views import SiteHistoryView, favicon, public_media

urlpatterns = [
    # Wagtail's site history, closed to the roles that would read others' logs:
    # before Wagtail's admin URLs, at the same paths (see core.views.SiteHistoryView)
    path(
        "admin/reports/site-history/",
        require_admin_access(SiteHistoryView.as_view()),
        name="core_site_history",
    ),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(SiteHistoryView.as_view(results_only=True)),
        name="core_site_history_results",
    ),
    # Wagtail's account page without the moderation switches that the platform's
    # notification settings replaced (core.account), at Wagtail's path
    path(
        "admin/account/",
        never_cache(require_admin_access(PlatformAccountView.as_view())),
        name="core_account",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("favicon.ico", favicon),
    path("documents/", include(wagtaildocs_urls)),
    # The public pages are cached and shared by every anonymous reader, so their
    # language switch carries no per-visitor CSRF token; choosing a language only
    # sets the language cookie.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("projects/", include("projects.urls")),
    path("funding/", include("funding.urls")),
    path("organizations/", include("incubator.urls")),
    path("supervision/", include("incubator.supervision_urls")),
]


def media_urlpatterns():
    """`/media/` as the development profile serves it (`core.views.public_media`):
    Wagtail's images only (PUBLIC_MEDIA_PREFIXES); every other file is private and
    reached only through the views that check who is asking. Returns a list of one
    URL pattern; used by `make run` (DEBUG) and by the browser tests' URLconf."""
    return [
        re_path(
            r"^%s(?P<path>.*)$" % re.escape(settings.MEDIA_URL.lstrip("/")),
            public_media,
        )
    ]


if settings.DEBUG:
    urlpatterns += media_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]
