"""The live sections of an organization showcase page, from the incubation, grants
and rural-revitalization apps (registered in `cms.showcase`).

Each runs a fixed number of queries and returns public facts only: stage names and
dates (never the notes or who moved a stage), awards (call, project title, amount,
year — never reviewers or contacts), and outcome figures of approved reports only.
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import pgettext_lazy

from cms.showcase import register_showcase_section


@register_showcase_section
def incubation_history(organization):
    """Each residency: the base, and the stages it went through with their dates."""
    from incubator.models import Residency, StageTransition

    residencies = (
        Residency.objects.filter(organization=organization)
        .select_related("base")
        .only("stage", "applied_on", "base", "base__name")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=StageTransition.objects.only(
                    "residency_id", "to_stage", "moved_on"
                ),
            )
        )
        .order_by("applied_on", "pk")
    )
    items = [
        {
            "base": residency.base.name,
            "stage": residency.get_stage_display(),
            "moves": [
                {"stage": move.get_to_stage_display(), "on": move.moved_on}
                for move in residency.transitions.all()
            ],
        }
        for residency in residencies
    ]
    if not items:
        return None
    return {
        "key": "incubation",
        "template": "cms/sections/incubation.html",
        "title": pgettext_lazy("showcase section", "Incubation"),
        "items": items,
    }


@register_showcase_section
def awards(organization):
    """The organization's awards made (立项 and later; not those still in public
    notice): call, project title, amount (a terminated award: what was paid), year."""
    from funding.selectors.public_money import awards_made

    rows = (
        awards_made()
        .filter(application__organization=organization)
        .select_related("application__call", "notice")
        .only(
            "awarded_on",
            "application",
            "application__title",
            "application__call",
            "application__call__name",
            "notice",
            "notice__starts_on",
        )
        .order_by("-notice__starts_on", "pk")
    )
    items = [
        {
            "call": award.application.call.name,
            "title": award.application.title,
            "amount": award.public_amount,
            "year": (award.awarded_on or award.notice.starts_on).year,
        }
        for award in rows
    ]
    if not items:
        return None
    return {
        "key": "awards",
        "template": "cms/sections/awards.html",
        "title": pgettext_lazy("showcase section", "Funded projects"),
        "items": items,
        "total": sum((i["amount"] for i in items), Decimal("0")),
    }


def project_outcomes(projects):
    """{project id: [(indicator, value)]} from approved reports only, combined by the
    roll-up rules of `projects.selectors.rollups` (fixed number of queries)."""
    from projects.models import Indicator
    from projects.selectors import rollups

    indicators = list(Indicator.objects.filter(is_active=True).order_by("sort_order"))
    frame = rollups.project_figures(rollups.Scope(projects=projects))
    combined = rollups._combine(frame, ["project", "indicator"], indicators)
    outcomes = {}
    for (project_id,), values in combined.items():
        outcomes[project_id] = [
            (indicator, values[indicator.code])
            for indicator in indicators
            if values.get(indicator.code) is not None
        ]
    return outcomes


#: What the outcomes section shows of a project: title, category, and the county's
#: full name (its names up to the province, which has no parent selected).
PROJECT_COLUMNS = (
    "title",
    "category",
    "start_date",
    "pairing",
    "pairing__county",
    "pairing__county__name",
    "pairing__county__parent",
    "pairing__county__parent__name",
    "pairing__county__parent__parent",
    "pairing__county__parent__parent__name",
    "pairing__county__parent__parent__parent",
)


@register_showcase_section
def revitalization_outcomes(organization):
    """The organization's rural-revitalization projects and their approved outcomes."""
    from projects.models import Project

    projects = list(
        Project.objects.filter(pairing__organization=organization)
        .select_related("pairing__county__parent__parent")
        .only(*PROJECT_COLUMNS)
        .order_by("start_date", "pk")
    )
    if not projects:
        return None
    outcomes = project_outcomes([p.pk for p in projects])
    items = [
        {
            "title": project.title,
            "county": project.pairing.county.full_name,
            "category": project.get_category_display(),
            "outcomes": outcomes.get(project.pk, []),
        }
        for project in projects
    ]
    return {
        "key": "outcomes",
        "template": "cms/sections/outcomes.html",
        "title": pgettext_lazy("showcase section", "Rural revitalization"),
        "items": items,
    }
