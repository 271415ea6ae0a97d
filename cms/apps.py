"""The public site app: connects the signals that drop cached figures and pages, and
the moderation notifications (`cms.notifications`)."""

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def showcased_organization_changed(sender, instance=None, **_kwargs):
    """Signal receiver: an organization was saved or deleted, its service fields
    changed, or an import job was saved. Drops the showcase filters' choices
    (`cms.selectors.site_tree.showcase_data_changed`) when the organization has a
    showcase page — one query; an import, or a change from a service field's side
    of the relation, drops them always. Other organizations' changes keep them:
    most of a registry's organizations have no showcase."""
    from cms.models import OrganizationShowcasePage
    from cms.selectors.site_tree import showcase_data_changed
    from incubator.models import Organization

    if isinstance(instance, Organization):
        showcased = OrganizationShowcasePage.objects.filter(
            organization_id=instance.pk
        ).exists()
        if not showcased:
            return
    showcase_data_changed()


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        import cms.selectors.showcase_sections  # noqa: F401 - registers the sections
        from cms.notifications import notifications_install

        notifications_install()
        from cms.selectors.figures import figures_invalidate
        from incubator.models import Organization

        # The public figures are cached; drop them when their data changes.
        # Other apps' models are added here as their figures join cms.selectors.figures.
        for model in (
            Organization,
            "incubator.Residency",
            "funding.Award",
            "funding.Fund",
            "funding.Disbursement",
            "projects.Pairing",
            "projects.Indicator",
            "projects.Project",
            "projects.OutcomeReport",
            "projects.OutcomeLine",
            # their names are in the breakdowns (by prefecture, by service field)
            "core.Region",
            "incubator.ServiceField",
        ):
            post_save.connect(
                figures_invalidate, sender=model, dispatch_uid=f"cms-{model}"
            )
            post_delete.connect(
                figures_invalidate, sender=model, dispatch_uid=f"cms-d-{model}"
            )
        m2m_changed.connect(
            figures_invalidate,
            sender=Organization.service_fields.through,
            dispatch_uid="cms-fields",
        )
        # The showcase filters read the showcased organizations' regions and fields.
        for signal, model, uid in (
            (post_save, Organization, "cms-showcase-org"),
            (post_delete, Organization, "cms-showcase-org-d"),
            (m2m_changed, Organization.service_fields.through, "cms-showcase-fields"),
            (post_save, "core.ImportJob", "cms-showcase-import"),
        ):
            signal.connect(
                showcased_organization_changed, sender=model, dispatch_uid=uid
            )
        # Stored public pages: dropped with the figures, and on any page change.
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms.page_cache import page_cache_clear, page_saved, tree_changed

        page_published.connect(page_cache_clear, dispatch_uid="cms-page-published")
        page_unpublished.connect(page_cache_clear, dispatch_uid="cms-page-unpub")
        post_page_move.connect(page_cache_clear, dispatch_uid="cms-page-moved")
        # a page of any type saved (every page model sends its own post_save, a
        # model defined after start-up too: the receiver keeps the pages) or
        # deleted: now and at commit (Wagtail deletes inside a transaction)
        post_save.connect(page_saved, dispatch_uid="cms-page-saved")
        post_delete.connect(tree_changed, sender=Page, dispatch_uid="cms-page-del")
        # … when a region or a service field is renamed (the showcases' filters
        # and cards show their names), and when a site is added, changed or
        # removed (`cms.selectors.site_tree` keeps the site of each host name) …
        for model in ("core.Region", "incubator.ServiceField", "wagtailcore.Site"):
            post_save.connect(
                page_cache_clear, sender=model, dispatch_uid=f"cms-page-{model}"
            )
            post_delete.connect(
                page_cache_clear, sender=model, dispatch_uid=f"cms-page-d-{model}"
            )
        # … and when the registry's public results change (the annual-inspection
        # results and spot-check lists, and the 公示公告 index that links to them).
        for model in (
            "incubator.InspectionCampaign",
            "incubator.Inspection",
            "incubator.SpotCheckCampaign",
            "incubator.SpotCheck",
        ):
            post_save.connect(
                page_cache_clear, sender=model, dispatch_uid=f"cms-page-{model}"
            )
            post_delete.connect(
                page_cache_clear, sender=model, dispatch_uid=f"cms-page-d-{model}"
            )
        # A page (or an ancestor) made private, or its restriction changed: drop the
        # stored copies at once.
        from wagtail.models import CollectionViewRestriction, PageViewRestriction

        from cms.page_cache import view_restriction_changed

        for restriction in (PageViewRestriction, CollectionViewRestriction):
            name = restriction.__name__
            post_save.connect(
                view_restriction_changed,
                sender=restriction,
                dispatch_uid=f"cms-{name}-saved",
            )
            post_delete.connect(
                view_restriction_changed,
                sender=restriction,
                dispatch_uid=f"cms-{name}-deleted",
            )
            m2m_changed.connect(
                view_restriction_changed,
                sender=restriction.groups.through,
                dispatch_uid=f"cms-{name}-groups",
            )
        # Spreadsheet imports write in bulk (no per-row signals): drop the figures
        # when an import job is saved.
        post_save.connect(
            figures_invalidate, sender="core.ImportJob", dispatch_uid="cms-import"
        )
