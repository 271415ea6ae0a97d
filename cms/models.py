"""The public site: page types of the portal.

Site tree (built by `cms.demo`)::

    HomePage 首页
    ├── NewsIndexPage 工作动态 ── NewsPage …
    ├── OrganizationShowcaseIndexPage 社会组织风采 ── OrganizationShowcasePage …
    ├── StatisticsPage 数据统计
    ├── NewsIndexPage 公示公告 (slug `notices`) ── AwardNoticePage …
    └── NewsIndexPage 申报通知 (slug `calls`) ── CallPage …

Every number is read from `cms.selectors.figures`; every organization fact from
`cms.public.organization_public_facts` (the allow-list that keeps personal data off
the public pages). Listings are fetched with a fixed number of queries whatever the
number of pages.
"""

import datetime
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from cms.blocks import StoryBlock, is_file_name
from cms.public import PUBLIC_FACT_COLUMNS, organization_public_facts, region_prefix
from cms.selectors import figures, site_tree
from cms.selectors.announcements import (
    announcement_pages,
    announcements,
    notice_is_public,
)

CARD_IMAGE = "fill-640x360"

#: Slugs of the two announcement indexes under home (`cms.skeleton` creates them):
#: 公示公告 lists award notices, 申报通知 call announcements.
NOTICES_SLUG = "notices"
CALLS_SLUG = "calls"


def _paginate(request, queryset, per_page, param="page"):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get(param, 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def _with_card_images(queryset):
    return queryset.select_related("cover_image").prefetch_related(
        models.Prefetch(
            "cover_image__renditions",
            queryset=_rendition_model().objects.filter(filter_spec=CARD_IMAGE),
            to_attr="prefetched_renditions",
        )
    )


def _showcase_cards(queryset):
    """Showcase pages as the cards of the home and showcase index pages draw them
    (`cms/includes/showcase_card.html`): the page without its story or any other
    StreamField, the organization's name and its region's name, the cover image
    and its card rendition. The registry's other columns are not read."""
    own = [
        f.name
        for f in OrganizationShowcasePage._meta.concrete_fields
        if not isinstance(f, StreamField)
    ]
    return _with_card_images(
        queryset.select_related("organization__region").only(
            *own,
            "organization__name",
            "organization__region",
            "organization__region__name",
        )
    )


def _rendition_model():
    from wagtail.images import get_image_model

    return get_image_model().get_rendition_model()


class SitePage(Page):
    """A page of the public site: routed and checked for view restrictions with the
    tree facts of `cms.selectors.site_tree` (read once per change, not per render)."""

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """As Wagtail's, without a query on a site where no page is private (the
        usual case): no restriction anywhere means none on this page."""
        if not site_tree.private_sections():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def child_model(self, slug):
        """The specific class of the child at `slug` when known without a query (the
        one page type allowed below this one), else None."""
        models_allowed = self.allowed_subpage_models()
        return models_allowed[0] if len(models_allowed) == 1 else None

    def known_child(self, slug):
        """The child page at `slug` as its specific class, in one query, when
        `child_model` knows its type; None when it does not or guessed wrong (then
        `route` falls back to Wagtail's own, two queries)."""
        model = self.child_model(slug)
        if model is None:
            return None
        return model.objects.child_of(self).filter(slug=slug).first()

    def route(self, request, path_components):
        """As Wagtail's `Page.route`, routing on from `known_child` (the child by
        its specific type, parent already known); Wagtail's own route whenever
        `known_child` gives None."""
        if path_components:
            child = self.known_child(path_components[0])
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)


class SummaryPage(SitePage):
    """A page with a one-line summary and a cover image, for lists and cards."""

    summary = models.CharField(
        pgettext_lazy("page", "summary"), max_length=255, blank=True
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField(
        _("cover image text alternative"),
        max_length=255,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it (screen "
            "readers). Required unless the image is marked decorative."
        ),
    )
    cover_decorative = models.BooleanField(
        _("cover image is decorative"),
        default=False,
        help_text=_("Tick only if the picture adds nothing to the text."),
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    cover_panels = [
        MultiFieldPanel(
            [
                FieldPanel("cover_image"),
                FieldPanel("cover_alt"),
                FieldPanel("cover_decorative"),
            ],
            heading=_("cover image"),
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        """An informative cover image needs its text alternative (GB/T 37668-2019,
        WCAG 2.1 1.1.1): the editor writes it or marks the image decorative."""
        super().clean()
        if self.cover_image_id and not self.cover_decorative:
            alt = (self.cover_alt or "").strip()
            if not alt or is_file_name(alt, self.cover_image):
                raise ValidationError(
                    {
                        "cover_alt": _(
                            "Say what the cover image shows (not its file name), or mark it as decorative."
                        )
                    }
                )

    @property
    def cover_alt_text(self):
        """The cover's text alternative: "" for a decorative image; never the
        file name (an image saved before alt text was required falls back to
        the image's own description, else "")."""
        if self.cover_decorative or self.cover_image is None:
            return ""
        for text in (self.cover_alt, getattr(self.cover_image, "description", "")):
            text = (text or "").strip()
            if text and not is_file_name(text, self.cover_image):
                return text
        return ""


class StoryPage(SummaryPage):
    """A page that tells a story (the editor's StreamField) beside live data."""

    story = StreamField(StoryBlock(), verbose_name=_("story"), blank=True)

    search_fields = [*SummaryPage.search_fields, index.SearchField("story")]
    story_panels = [
        FieldPanel("summary"),
        *SummaryPage.cover_panels,
        FieldPanel("story"),
    ]

    class Meta:
        abstract = True


class HomePage(SitePage):
    """首页: banner, live headline figures, latest news and showcases."""

    banner_title = models.CharField(_("banner title"), max_length=120)
    banner_text = models.CharField(_("banner text"), max_length=255, blank=True)
    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )
    footer_text = models.CharField(
        _("footer text"),
        max_length=255,
        blank=True,
        help_text=_("Sponsor and contact line shown at the bottom of every page."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("banner_title"),
        FieldPanel("banner_text"),
        FieldPanel("intro"),
        FieldPanel("footer_text"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.NewsIndexPage",
        "cms.OrganizationShowcaseIndexPage",
        "cms.StatisticsPage",
        "cms.CallPage",
        "cms.AwardNoticePage",
        "cms.ProjectStoryPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def known_child(self, slug):
        """The section at `slug` from the home page's children read once per change
        of the site (`site_tree.children`) instead of the database; None for a slug
        that is not a child (then Wagtail's own route: a 404)."""
        return site_tree.children(self).get(slug)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        year = figures.year_chosen(request.GET.get("year"))
        context["figures"] = figures.headline_figures(year)
        context["year"] = year
        context["years"] = figures.years()
        context["latest_news"] = site_tree.public(
            NewsPage.objects.live().descendant_of(self).order_by("-date", "-pk")
        )[:6]
        context["showcases"] = _showcase_cards(
            site_tree.public(
                OrganizationShowcasePage.objects.live()
                .descendant_of(self)
                .order_by("-first_published_at", "-pk")
            )
        )[:4]
        # The section pages by class name, for the "more" links (read once per
        # change of the site); of several of a type (news, 公示公告, 申报通知 are
        # all news indexes) the first in the tree's order is the one linked.
        sections = {}
        children = site_tree.live_children(self)
        for p in children:
            if p.specific_class is not None:
                sections.setdefault(p.specific_class.__name__, p)
        context["sections"] = sections
        # The 公示公告 and 申报通知 sections by their slugs, with their latest
        # five lines each (state and period), so a running 公示 is one click away;
        # the lines of both read together (one listing, split by section).
        indexes = []
        for key, slug in (("notices", NOTICES_SLUG), ("calls", CALLS_SLUG)):
            index = next((p for p in children if p.slug == slug), None)
            context[f"{key}_index"] = index
            if index is not None:
                indexes.append((key, index))
        today = timezone.localdate()
        latest = []
        for _key, index in indexes:
            latest += announcement_pages(
                site_tree.public(
                    Page.objects.live().child_of(index).not_type(NewsPage)
                ),
                today=today,
            ).values_list("pk", flat=True)[:5]
        rows = announcements(Page.objects.filter(pk__in=latest), today=today)
        context["announcement_sections"] = [
            (index, [r for r in rows if r.page.path.startswith(index.path)][:5], key)
            for key, index in indexes
        ]
        return context


class NewsIndexPage(SitePage):
    """工作动态: the list of news, newest first."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = [
        "cms.NewsPage",
        "cms.CallPage",
        "cms.AwardNoticePage",
        "cms.ProjectStoryPage",
    ]
    per_page = 10
    announcements_per_page = 20

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = site_tree.public(
            NewsPage.objects.live().child_of(self).order_by("-date", "-pk")
        )
        context["news_page"] = _paginate(request, news, self.per_page)
        # The 公示公告 and 申报通知 indexes are news indexes too: their award
        # notices, call announcements and stories are listed newest first, each
        # with its state and period (one day for the order and the states).
        today = timezone.localdate()
        listed = _paginate(
            request,
            announcement_pages(
                site_tree.public(Page.objects.live().child_of(self).not_type(NewsPage)),
                today=today,
            ),
            self.announcements_per_page,
            param="announcements_page",
        )
        context["announcements_page"] = listed
        # Each pager's links keep the other's page (its number as shown, never the
        # raw parameter), so turning one does not send the reader back to page 1
        # of the other.
        news_page = context["news_page"]
        if news_page.paginator.num_pages > 1:
            context["announcements_query"] = urlencode({"page": news_page.number})
        if listed.paginator.num_pages > 1:
            context["news_query"] = urlencode({"announcements_page": listed.number})
        context["announcements"] = announcements(
            Page.objects.filter(pk__in=[page.pk for page in listed]), today=today
        )
        # 公示公告 also leads to the registry's public results: each year's annual
        # inspection and each drawn spot check (pages of incubator/, no Wagtail page).
        if self.slug == NOTICES_SLUG:
            from incubator.selectors.public_supervision import (
                public_supervision_pages,
            )

            context["supervision_pages"] = public_supervision_pages()
        return context


class NewsPage(SummaryPage):
    """A news item (工作动态)."""

    date = models.DateField(_("date"), default=datetime.date.today)
    source = models.CharField(
        _("source"),
        max_length=120,
        blank=True,
        help_text=_("e.g. 省民政厅社会组织管理局"),
    )
    body = StreamField(StoryBlock(), verbose_name=_("body"), blank=True)

    search_fields = [*SummaryPage.search_fields, index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("source")]),
        FieldPanel("summary"),
        *SummaryPage.cover_panels,
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news")
        verbose_name_plural = _("news")


class OrganizationShowcaseIndexPage(SitePage):
    """社会组织风采: showcases, filterable by region, service field and year of
    graduation."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.OrganizationShowcasePage"]
    per_page = 12

    class Meta:
        verbose_name = _("organization showcase index")

    def showcases(self):
        return site_tree.public(OrganizationShowcasePage.objects.live().child_of(self))

    def filter_choices(self, showcases):
        """The regions (provinces and prefectures), service fields and years that
        have at least one showcase: three queries."""
        from core.models import Region
        from incubator.models import ServiceField

        codes = set(
            showcases.values_list("organization__region__code", flat=True).distinct()
        )
        wanted = {f"{c[:2]}0000" for c in codes} | {f"{c[:4]}00" for c in codes}
        regions = list(
            Region.objects.filter(code__in=wanted, level__lte=Region.Level.CITY)
        )
        fields = ServiceField.objects.filter(
            organizations__showcase_pages__in=showcases.values("pk")
        ).distinct()
        years = sorted(
            {
                y
                for y in showcases.values_list("graduation_year", flat=True)
                if y is not None
            },
            reverse=True,
        )
        return {"regions": regions, "fields": list(fields), "years": years}

    def apply_filters(self, showcases, params):
        """Filter by `region` (a division code: province, prefecture or county),
        `field` (a service-field id) and `year` (of graduation). Values that are not
        valid are ignored, never an error page."""
        active = {}
        region = (params.get("region") or "").strip()
        if region.isascii() and region.isdigit() and len(region) == 6:
            showcases = showcases.filter(
                organization__region__code__startswith=region_prefix(region)
            )
            active["region"] = region
        field = (params.get("field") or "").strip()
        if field.isascii() and field.isdigit() and len(field) <= 9:
            # through the many-to-many fields: one row per matching field, made
            # distinct (the other filters follow foreign keys: no duplicates, and
            # the listing and its count are cheaper without DISTINCT)
            showcases = showcases.filter(
                organization__service_fields__pk=int(field)
            ).distinct()
            active["field"] = int(field)
        year = (params.get("year") or "").strip()
        if year.isascii() and year.isdigit() and 1949 <= int(year) <= 2100:
            showcases = showcases.filter(graduation_year=int(year))
            active["year"] = int(year)
        return showcases, active

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        showcases = self.showcases()
        # The same for every reader until a showcase is published or an
        # organization, region or service field changes: read once per change.
        choices = site_tree.site_cached(
            f"showcase-choices:{self.pk}",
            lambda: self.filter_choices(showcases),
            data=True,
        )
        filtered, active = self.apply_filters(showcases, request.GET)
        # The page's keys are read in order from the pages alone, and the cards'
        # joins (organization, region, image) made for the page's rows only, in
        # the same query: joining every showcase before the sort took 13 ms of
        # a 29 ms render at 5,100 showcase pages (PostgreSQL, 2026-12-03).
        order = ("-graduation_year", "title", "pk")
        page = _paginate(request, filtered.order_by(*order).values("pk"), self.per_page)
        page.object_list = _showcase_cards(
            OrganizationShowcasePage.objects.filter(pk__in=page.object_list)
        ).order_by(*order)
        context.update(
            choices=choices,
            active=active,
            filter_query=urlencode(active),
            showcase_page=page,
        )
        return context


class OrganizationShowcasePage(StoryPage):
    """One organization's showcase: public facts from the registry plus the
    editor's story."""

    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="showcase_pages",
    )
    graduation_year = models.PositiveSmallIntegerField(
        _("year of graduation"),
        null=True,
        blank=True,
        help_text=_("The year the organization graduated from incubation (出壳)."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("organization"), FieldPanel("graduation_year")],
            heading=_("Organization"),
            help_text=_(
                "Registration facts are read from the registry; contacts and the legal representative are never shown."
            ),
        ),
        *StoryPage.story_panels,
    ]
    parent_page_types = ["cms.OrganizationShowcaseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("organization showcase")
        verbose_name_plural = _("organization showcases")

    def clean(self):
        super().clean()
        if self.graduation_year and not (
            1949 <= self.graduation_year <= timezone.localdate().year
        ):
            raise ValidationError(
                {"graduation_year": _("Give a year between 1949 and this year.")}
            )

    def get_context(self, request, *args, **kwargs):
        from cms.showcase import showcase_sections

        context = super().get_context(request, *args, **kwargs)
        from incubator.models import Organization

        organization = (
            Organization.objects.select_related("region__parent__parent")
            .only(*PUBLIC_FACT_COLUMNS)
            .prefetch_related("service_fields")
            .get(pk=self.organization_id)
        )
        self.organization = organization  # the template's name: no second query
        context["facts"] = organization_public_facts(organization)
        context["live_sections"] = showcase_sections(organization)
        return context


class StatisticsPage(SitePage):
    """数据统计: headline figures and charts (Apache ECharts), each with the same
    numbers in a table."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])
    data_note = models.CharField(
        _("note on the data"),
        max_length=255,
        blank=True,
        help_text=_("e.g. where the figures come from; shown under the charts."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("data_note"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("statistics page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        year = figures.year_chosen(request.GET.get("year"))
        shown = figures.headline_figures(year)
        context["figures"] = [f for f in shown if not f.figure.yearly]
        context["yearly_figures"] = [f for f in shown if f.figure.yearly]
        results = figures.breakdowns(year)
        context["breakdowns"] = [r for r in results if not r.breakdown.yearly]
        context["yearly_breakdowns"] = [r for r in results if r.breakdown.yearly]
        context["outcomes"] = figures.outcome_results(year)
        context["year"] = year
        context["years"] = figures.years()
        context["as_of"] = timezone.localdate()
        indexes = {
            p.slug: p
            for p in site_tree.live_children(self.get_parent())
            if p.slug in (NOTICES_SLUG, CALLS_SLUG)
        }
        context["notices_index"] = indexes.get(NOTICES_SLUG)
        context["calls_index"] = indexes.get(CALLS_SLUG)
        return context


# --- grants: call announcements and award notices --------------------------------


def _labels(choices, values):
    labels = dict(choices)
    return [str(labels.get(v, v)) for v in values]


class CallPage(SitePage):
    """申报通知: a call for applications, its dates and money read from the
    funding `Call`; the editor writes the introduction and how to apply."""

    call = models.ForeignKey(
        "funding.Call",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="pages",
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])
    how_to_apply = RichTextField(
        _("how to apply"),
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Where and how to submit, the documents required, whom to ask."),
    )

    search_fields = [*Page.search_fields, index.SearchField("how_to_apply")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("call"),
        FieldPanel("intro"),
        FieldPanel("how_to_apply"),
    ]
    parent_page_types = ["cms.HomePage", "cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("call announcement")

    def get_context(self, request, *args, **kwargs):
        from incubator.choices import OrganizationType, RegistrationLevel

        context = super().get_context(request, *args, **kwargs)
        call = type(self.call).objects.select_related("fund").get(pk=self.call_id)
        context["call"] = call
        context["eligible_levels"] = _labels(
            RegistrationLevel.choices, call.eligible_levels
        )
        context["eligible_types"] = _labels(
            OrganizationType.choices, call.eligible_types
        )
        context["is_open"] = call.is_open(timezone.localdate())
        return context


class AwardNoticePage(SitePage):
    """公示: the approved list of a `PublicNotice` (organization, project, amount),
    the notice period and whom to send objections to. Never applicants' contacts or
    reviewers."""

    notice = models.ForeignKey(
        "funding.PublicNotice",
        verbose_name=pgettext_lazy("cms page", "public notice"),
        on_delete=models.PROTECT,
        related_name="pages",
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("notice"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage", "cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("award public notice")

    def serve(self, request, *args, **kwargs):
        """The page, from the 公示's first day on (`notice_is_public`); before it,
        404 to everyone but an editor's preview."""
        if not getattr(request, "is_preview", False) and not notice_is_public(
            self.notice
        ):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from funding.models.awards import Award

        context = super().get_context(request, *args, **kwargs)
        notice = (
            type(self.notice)
            .objects.select_related("call__fund")
            .get(pk=self.notice_id)
        )
        rows = [
            {
                "organization": award.application.organization.name,
                "title": award.application.title,
                "amount": award.approved_amount,
            }
            for award in Award.objects.filter(notice=notice)
            .select_related("application__organization")
            .only(
                "approved_amount",
                "application__title",
                "application__organization__name",
            )
            .order_by("application__organization__name", "pk")
        ]
        from funding.services.public_objections import notice_objection_refusal

        context["notice"] = notice
        context["rows"] = rows
        # the online objection form is offered only while the 公示 runs
        context["objection_open"] = notice_objection_refusal(notice) is None
        context["total"] = sum((r["amount"] for r in rows), 0)
        return context


# --- rural revitalization: project stories ------------------------------------------


class ProjectStoryPage(StoryPage):
    """A revitalization project's story: its pairing county, category and approved
    outcome figures from `projects`, plus the editor's story."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=pgettext_lazy("cms page", "project"),
        on_delete=models.PROTECT,
        related_name="story_pages",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("project"),
        *StoryPage.story_panels,
    ]
    parent_page_types = ["cms.HomePage", "cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("project story")
        verbose_name_plural = _("project stories")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors.showcase_sections import project_outcomes

        context = super().get_context(request, *args, **kwargs)
        project = (
            type(self.project)
            .objects.select_related(
                "pairing__county__parent__parent", "pairing__organization"
            )
            .get(pk=self.project_id)
        )
        context["project"] = project
        context["county"] = project.pairing.county.full_name
        context["organization_name"] = project.pairing.organization.name
        context["outcomes"] = project_outcomes([project.pk]).get(project.pk, [])
        return context


# --- the department's settings of the public site ----------------------------------


class AnnouncementPublishing(models.TextChoices):
    """How the page of a 公示 or a call reaches the public site."""

    DIRECT = "direct", _("Publish the page at once")
    MODERATION = "moderation", _("Submit the page for moderation")


class PublicSiteSettings(BaseSiteSetting):
    """设置 › 公开网站: the department's choices for its public site (one row per
    site, edited by the administrator)."""

    announcement_publishing = models.CharField(
        _("pages of public notices and calls"),
        max_length=20,
        choices=AnnouncementPublishing.choices,
        default=AnnouncementPublishing.DIRECT,
        help_text=_(
            "When a fund manager publishes a public notice or creates a call, its "
            "page is made in 公示公告 or 申报通知: published at once (the notice "
            "period starts on its own date, whoever is on duty), or submitted to "
            "the site's moderation, where a moderator publishes it."
        ),
    )

    panels = [FieldPanel("announcement_publishing")]

    class Meta:
        verbose_name = _("public site")
