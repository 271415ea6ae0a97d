"""Reads over funding links: the projects an award or purchase pays for."""

from django.contrib.contenttypes.models import ContentType

from projects.funding_sources import funding_link_is_eligible
from projects.models import FundingLink


def funding_record_projects(record):
    """The projects funded by `record` (an award or purchase) through a link that
    keeps the rule of `funding_link_is_eligible`: a link stored before the rule, to
    another organization's record, is not counted (such a link would make an
    award's "approved outcomes" tranche payable). A list of Project."""
    record_type = ContentType.objects.get_for_model(type(record))
    links = FundingLink.objects.filter(
        source_type=record_type, source_id=record.pk
    ).select_related("project__pairing")
    projects = {}
    for link in links:
        if link.project_id not in projects and funding_link_is_eligible(link):
            projects[link.project_id] = link.project
    return list(projects.values())
