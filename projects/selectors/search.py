"""What the admin search finds of rural revitalization: projects of one's pairings."""

from django.utils.translation import gettext_lazy as _

from core.admin_search import Hit, SearchSection, first_hits, listing_url, record_url
from core.search import text_filter
from projects.models import Project
from projects.permissions import projects_visible_to

PROJECT_FIELDS = ("title", "pairing__organization__name", "pairing__county__name")


def projects_matching(user, text):
    """(count, hits) of the projects `user` may see (`projects_visible_to`: a
    coordinator, her pairings' projects) matching `text` by title, organization or
    county."""
    found = text_filter(
        projects_visible_to(user).select_related(
            "pairing__organization", "pairing__county"
        ),
        text,
        PROJECT_FIELDS,
    )
    return first_hits(
        found.order_by("title"),
        lambda p: Hit(
            p.title,
            f"{p.pairing.organization} · {p.pairing.county}",
            record_url(user, p),
        ),
    )


def projects_section():
    return SearchSection(
        name="projects",
        label=_("Revitalization projects"),
        order=60,
        shown=lambda user: user.has_perm("projects.view_project"),
        search=projects_matching,
        more_url=lambda text: listing_url(Project, text),
    )
