"""The permission matrix: every URL pattern of the project, and who may use it.

`url_patterns()` walks the URL configuration (`get_resolver()`), so a view added to
any app shows up here by itself; `tests/platform/test_permission_matrix.py` fails until the
new URL has a row in `EXPECTED`. See docs/permissions.md."""

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from core import roles
from tests.support.permission_world import ANON, NO_ROLE, PRINCIPALS, SUPERUSER

OWN_APPS = ("core", "incubator", "funding", "projects", "cms")

AD = roles.ADMINISTRATOR
OP = roles.OPERATOR
FM = roles.FUND_MANAGER
FI = roles.FINANCE
RV = roles.REVIEWER
CO = roles.COORDINATOR
ED = roles.EDITOR
RG = roles.REGISTRAR
OG = roles.ORGANIZATION
SU = SUPERUSER
ADMINS = frozenset({AD, SU})
ROLES = frozenset(PRINCIPALS) - {ANON, NO_ROLE}
NOBODY = frozenset()

# What a response means. A refused admin view redirects to the dashboard with
# "Sorry, you do not have permission" (Wagtail's `permission_denied`); anonymous
# visitors and users without admin access are sent to the login page.
OK = "ok"  # 200, or a redirect that is not a refusal
LOGIN = "login"
DENIED = "denied"  # 302 to the dashboard with the permission message
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
ERROR = "500"


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    kwargs: tuple
    view: str  # module.Class of the view, to tell our apps' views from Wagtail's

    @property
    def key(self):
        """Unique id: the name, plus the kwargs where one name has two routes."""
        return self.name

    @property
    def is_own(self):
        return self.view.split(".", 1)[0] in OWN_APPS or any(
            f"_{app}_" in self.name for app in OWN_APPS
        )


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            view_class = getattr(callback, "view_class", None)
            if view_class is not None:
                view = f"{view_class.__module__}.{view_class.__name__}"
            else:
                view = f"{callback.__module__}.{callback.__name__}"
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Pattern(
                name=name or "",
                route=prefix + str(entry.pattern),
                kwargs=tuple(entry.pattern.regex.groupindex),
                view=view,
            )


def url_patterns():
    """Every URL pattern of the project (named or not), in resolver order."""
    patterns = []
    seen = set()
    for pattern in _walk(get_resolver()):
        key = (pattern.name, pattern.kwargs)
        if key in seen:
            continue
        seen.add(key)
        patterns.append(pattern)
    names = [p.name for p in patterns]
    # Two routes with one name (e.g. Wagtail's settings edit with and without pk):
    # the test reverses the name, so keep the route with the most arguments.
    keep = {}
    for pattern in patterns:
        if names.count(pattern.name) == 1 or len(pattern.kwargs) >= len(
            keep.get(pattern.name, Pattern("", "", (), "")).kwargs
        ):
            keep[pattern.name] = pattern
    return [p for p in patterns if keep.get(p.name) is p]


@dataclass(frozen=True)
class Row:
    """Who gets in (GET) and how the others are refused.

    `ok`: principals that get the screen. `refused`: what the other logged-in
    roles get (anonymous and no-role users always go to the login page, except
    where `anonymous` says otherwise). `outcomes` overrides single principals.
    `kwargs(world)` fills the URL; `post` is the data a refused POST sends."""

    ok: frozenset = NOBODY
    refused: str = DENIED
    outcomes: dict = field(default_factory=dict)
    anonymous: str = LOGIN
    kwargs: object = None
    post: object = None
    query: str = ""
    scope: str = ""  # for the docs: the object-scoped rule this row checks
    skip_get: bool = False  # logout and the like: a GET changes the session

    def expected(self, principal):
        if principal in self.outcomes:
            return self.outcomes[principal]
        if principal in self.ok:
            return OK
        if principal in (ANON, NO_ROLE):
            return self.anonymous
        return self.refused


# --- filling the URL arguments -------------------------------------------------------

MISSING = 999999  # an id no object has: for Wagtail screens keyed by transient rows

# The object each snippet screen is opened on. For object-scoped models it is one
# that the operator / reviewer / coordinator of the matrix does NOT own.
SNIPPET_OBJECTS = {
    "core.region": "region",
    "incubator.organization": "organization",
    "incubator.servicefield": "service_field",
    "incubator.incubationbase": "base_b",
    "incubator.residency": "residency_b",
    "incubator.serviceactivity": "activity_b",
    "incubator.assessment": "assessment_b",
    "incubator.target": "target",
    "incubator.inspector": "inspector",
    "incubator.spotcheckcampaign": "spotcheck_campaign",
    "incubator.creditdecision": "credit_decision",
    "funding.fund": "fund",
    "funding.call": "call",
    "funding.application": "application",
    "funding.reviewerprofile": "reviewer_profile",
    "funding.declaredconflict": "conflict",
    "funding.publicnotice": "notice",
    "funding.award": "award",
    "funding.disbursement": "disbursement",
    "funding.servicepurchase": "purchase",
    "funding.purchasepayment": "payment",
    "funding.performanceevaluation": "evaluation",
    "funding.indicatorframework": "framework",
    "funding.indicatorevaluation": "indicator_evaluation",
    "projects.pairing": "pairing_b",
    "projects.alliance": "alliance",
    "projects.village": "village",
    "projects.project": "project_b",
    "projects.outcomereport": "report_b",
    "projects.indicator": "indicator",
    # supervision: annual inspections and dormant organizations
    "incubator.inspectioncampaign": "inspection_campaign",
    "incubator.inspection": "inspection",
    "incubator.dormantcampaign": "dormant_campaign",
    "incubator.dormantcase": "dormant_case",
}

# pk of the non-snippet screens, by URL namespace or name
PK_OBJECTS = {
    "wagtailadmin_collections": "collection",
    "wagtailadmin_collections:edit": "internal_collection",
    "wagtailsites": "site",
    "wagtailusers_users": "operator_b",
    "wagtailusers_groups": "group",
    "wagtailadmin_api:pages": "page",
    "wagtailadmin_api:documents": "internal_document",
    "wagtailadmin_api:images": "image",
    "wagtailadmin_workflows:enable": "workflow",
    "wagtailadmin_workflows:disable": "workflow",
    "wagtailadmin_workflows:edit": "workflow",
    "wagtailadmin_workflows:usage": "workflow",
    "wagtailadmin_workflows:usage_results": "workflow",
    "wagtailadmin_workflows:edit_task": "task",
    "wagtailadmin_workflows:disable_task": "task",
    "wagtailadmin_workflows:enable_task": "task",
    "wagtailadmin_pages:revisions_compare": "page",
    "wagtaildocs_chooser": "internal_document",
    "wagtailimages_chooser": "image",
    "wagtailsettings": "missing",
}

GENERIC_KWARGS = {
    "page_id": lambda w: w.page.pk,
    "parent_page_id": lambda w: w.page.pk,
    "page_to_move_id": lambda w: w.page.pk,
    "destination_id": lambda w: w.page.pk,
    "page_pk": lambda w: w.page.pk,
    "revision_id": lambda w: w.revision.pk,
    "revision_id_a": lambda w: "earliest",
    "revision_id_b": lambda w: "latest",
    "workflow_pk": lambda w: w.workflow.pk,
    "task_id": lambda w: w.task.pk,
    "task_state_id": lambda w: MISSING,
    "workflow_state_id": lambda w: MISSING,
    "image_id": lambda w: w.image.pk,
    "filter_spec": lambda w: "original",
    # document screens open the internal document (内部文件): the rows say who
    # should reach it; the editor's own public document is in OWN_OBJECTS
    "document_id": lambda w: w.internal_document.pk,
    "doc_id": lambda w: w.internal_document.pk,
    "uploaded_file_id": lambda w: MISSING,
    "redirect_id": lambda w: w.redirect.pk,
    "collection_id": lambda w: w.collection.pk,
    "content_type_app_name": lambda w: "wagtailcore",
    "content_type_model_name": lambda w: "page",
    "app_label": lambda w: "wagtailcore",
    "model_name": lambda w: "page",
    "app_name": lambda w: "wagtailcore",
    "action": lambda w: "delete",
    "action_name": lambda w: "copy",
    "object_id": lambda w: str(w.page.pk),
    "session_id": lambda w: MISSING,
    "restriction_id": lambda w: MISSING,
    "page_view_restriction_id": lambda w: MISSING,
    "uidb64": lambda w: "MQ",
    "token": lambda w: "set-password",
}


def snippet_model(name):
    """'incubator.residency' for a snippet or snippet-chooser URL name."""
    namespace = name.split(":", 1)[0]
    for prefix in ("wagtailsnippets_", "wagtailsnippetchoosers_"):
        if namespace.startswith(prefix):
            app_model = namespace[len(prefix) :]
            for app in OWN_APPS:
                if app_model.startswith(f"{app}_"):
                    return f"{app}.{app_model[len(app) + 1 :]}"
    return None


def url_kwargs(pattern, row, world):
    """The arguments that reverse `pattern`: the row's, or filled by name."""
    if row is not None and row.kwargs is not None:
        return row.kwargs(world)
    values = {}
    model = snippet_model(pattern.name)
    for kwarg in pattern.kwargs:
        if kwarg == "pk":
            if model:
                obj = getattr(world, SNIPPET_OBJECTS[model])
            else:
                namespace = pattern.name.split(":")[0]
                key = (
                    PK_OBJECTS.get(pattern.name)
                    or PK_OBJECTS.get(pattern.name.rsplit(":", 1)[0])
                    or PK_OBJECTS[namespace]
                )
                obj = getattr(world, key)
            values["pk"] = obj.pk
        else:
            values[kwarg] = GENERIC_KWARGS[kwarg](world)
    return values


def outcome(response):
    """What a response means, as one of OK, LOGIN, DENIED, FORBIDDEN, NOT_FOUND…"""
    from django.contrib.messages import constants
    from django.urls import reverse

    ERROR_LEVEL = constants.ERROR  # noqa: N806

    status = response.status_code
    if status in (301, 302):
        location = response["Location"].split("?", 1)[0]
        if location.endswith("/login/"):
            return LOGIN
        if location == reverse("wagtailadmin_home"):
            # refused: sent to the dashboard with an error message
            storage = response.wsgi_request._messages
            if any(m.level == ERROR_LEVEL for m in storage._queued_messages):
                return DENIED
        return OK
    return {
        200: OK,
        403: FORBIDDEN,
        404: NOT_FOUND,
        405: NOT_ALLOWED,
    }.get(status, str(status))


# --- the expectation table --------------------------------------------------------------
#
# Our models: who holds which permission (the policy of core/roles.py, written out
# again by hand so that a change there shows up here), and for object-scoped models
# who can see the *other* object the matrix opens.

REGISTRY_READERS = frozenset({OP, FM, CO, ED, RG}) | ADMINS


@dataclass(frozen=True)
class Model:
    view: frozenset  # any of add/change/delete/view: listings, choosers
    add: frozenset = ADMINS
    change: frozenset = ADMINS
    delete: frozenset = ADMINS
    # object-scoped: who sees the object of someone else, and how others are refused
    sees: frozenset | None = None
    scope_refusal: str = NOT_FOUND
    scope_first: bool = False  # the scope is checked before the permission
    # principals in `sees` who see others' objects only through the chooser
    chooser_only: frozenset = frozenset()
    wagtail_history: bool = False  # Wagtail's own History view: needs "change"
    page_linked: bool = False  # pages pick it: page editors may use its chooser
    scope: str = ""


ORG_AWARD_SCOPE = (
    "an organization user reaches only its own organization's awards, reports and "
    "documents (another organization's id: 404); staff have no portal"
)
SUPERVISORS = ADMINS | {RG}
INCUBATION_SCOPE = "operators see only the bases they operate (another base: 404)"
PAIRING_SCOPE = "coordinators see only their own pairings, projects and reports"
MODELS = {
    "core.region": Model(REGISTRY_READERS, wagtail_history=True),
    "incubator.organization": Model(
        REGISTRY_READERS, add=ADMINS | {OP}, change=ADMINS | {OP}
    ),
    "incubator.servicefield": Model(REGISTRY_READERS, wagtail_history=True),
    # spot checks and credit decisions: the registration officer's
    **{
        f"incubator.{model}": Model(
            ADMINS | {RG}, add=ADMINS | {RG}, change=ADMINS | {RG}
        )
        for model in ("inspector", "spotcheckcampaign", "creditdecision")
    },
    "incubator.incubationbase": Model(
        ADMINS | {OP, FM},
        change=ADMINS | {OP},
        sees=ADMINS | {FM},
        scope_first=True,
        scope=INCUBATION_SCOPE,
    ),
    **{
        f"incubator.{model}": Model(
            ADMINS | {OP, FM},
            add=ADMINS | {OP},
            change=ADMINS | {OP},
            sees=ADMINS | {FM},
            scope_first=True,
            scope=INCUBATION_SCOPE,
        )
        for model in ("residency", "serviceactivity", "assessment")
    },
    # targets: registration officers set them, fund managers read them
    "incubator.target": Model(
        ADMINS | {RG, FM}, add=ADMINS | {RG}, change=ADMINS | {RG}
    ),
    **{
        f"funding.{model}": Model(
            ADMINS | {FM}, add=ADMINS | {FM}, change=ADMINS | {FM}, page_linked=linked
        )
        for model, linked in (("fund", False), ("call", True), ("application", False))
    },
    "funding.reviewerprofile": Model(
        ADMINS | {FM}, add=ADMINS | {FM}, change=ADMINS | {FM}, wagtail_history=True
    ),
    "funding.declaredconflict": Model(
        ADMINS | {FM},
        add=ADMINS | {FM},
        change=ADMINS | {FM},
        delete=ADMINS | {FM},
        wagtail_history=True,
    ),
    # money and notices go through the services: some screens are closed to all
    "funding.publicnotice": Model(
        ADMINS | {FM},
        add=ADMINS | {FM},
        change=ADMINS | {FM},
        delete=NOBODY,
        page_linked=True,
    ),
    "funding.award": Model(
        ADMINS | {FM, FI}, add=NOBODY, change=ADMINS | {FM}, delete=NOBODY
    ),
    "funding.disbursement": Model(
        ADMINS | {FM, FI}, add=NOBODY, change=NOBODY, delete=NOBODY
    ),
    "funding.servicepurchase": Model(
        ADMINS | {FM, FI}, add=ADMINS | {FM}, change=ADMINS | {FM}, delete=NOBODY
    ),
    # finance sees the purchase payments it pays (separation of duties)
    "funding.purchasepayment": Model(
        ADMINS | {FM, FI}, add=ADMINS | {FM}, change=NOBODY, delete=NOBODY
    ),
    "funding.performanceevaluation": Model(
        ADMINS | {FM}, add=ADMINS | {FM}, change=ADMINS | {FM}, delete=NOBODY
    ),
    # performance evaluation by indicators: fund managers run it
    **{
        f"funding.{model}": Model(
            ADMINS | {FM}, add=ADMINS | {FM}, change=ADMINS | {FM}
        )
        for model in ("indicatorframework", "indicatorevaluation")
    },
    **{
        f"projects.{model}": Model(
            ADMINS | {FM, CO},
            add=ADMINS | {CO},
            change=ADMINS | {CO},
            # page editors pick any project for a project story page
            sees=ADMINS | {FM} | ({ED} if model == "project" else set()),
            scope_first=True,
            chooser_only=frozenset({ED}),
            page_linked=model == "project",
            scope=PAIRING_SCOPE,
        )
        for model in ("pairing", "project", "outcomereport")
    },
    "projects.alliance": Model(
        ADMINS | {FM, CO}, add=ADMINS | {CO}, change=ADMINS | {CO}
    ),
    "projects.village": Model(
        ADMINS | {FM, CO}, add=ADMINS | {CO}, change=ADMINS | {CO}, wagtail_history=True
    ),
    "projects.indicator": Model(ADMINS | {FM, CO}),
    # supervision (annual inspections, dormant organizations): the registration
    # officer and the administrator; inspections are created by opening a campaign,
    # cases by listing the dormant (their add screens send back to the listing)
    "incubator.inspectioncampaign": Model(
        SUPERVISORS, add=SUPERVISORS, change=SUPERVISORS
    ),
    "incubator.inspection": Model(SUPERVISORS, change=SUPERVISORS),
    "incubator.dormantcampaign": Model(
        SUPERVISORS, add=SUPERVISORS, change=SUPERVISORS
    ),
    "incubator.dormantcase": Model(SUPERVISORS, change=SUPERVISORS),
}

PAGE_EDITORS = frozenset({ED, AD, SU})
EDITORS = (ED, *ADMINS)

# snippet URL → (the permission it needs, whether it opens one object, chooser?)
SNIPPET_VIEWS = {
    "list": ("view", False, False),
    "list_results": ("view", False, False),
    "add": ("add", False, False),
    "edit": ("change", True, False),
    "delete": ("delete", True, False),
    "usage": ("change", True, False),
    "history": ("history", True, False),
    "history_results": ("history", True, False),
    "copy": ("add", True, False),
    "choose": ("choose", False, True),
    "choose_results": ("choose", False, True),
    "chosen": ("choose", True, True),
    "chosen_multiple": ("choose", False, True),
    "create": ("add", False, True),
}


def snippet_row(name):
    """The row of a snippet or snippet-chooser URL, from MODELS and SNIPPET_VIEWS."""
    model = MODELS.get(snippet_model(name))
    suffix = name.rsplit(":", 1)[-1]
    if model is None or suffix not in SNIPPET_VIEWS:
        return None
    need, on_object, chooser = SNIPPET_VIEWS[suffix]
    if need == "history":
        need = "change" if model.wagtail_history else "view"
    allowed = getattr(model, need) if need != "choose" else model.view
    if need == "choose" and model.page_linked:
        allowed = allowed | PAGE_EDITORS
    outcomes = {}
    for principal in ROLES:
        sees = model.sees is None or principal in model.sees
        if principal in model.chooser_only and not chooser:
            sees = False
        if principal not in allowed:
            if on_object and not sees and model.scope_first and not chooser:
                outcomes[principal] = model.scope_refusal
            else:
                outcomes[principal] = DENIED
        elif on_object and not sees:
            outcomes[principal] = NOT_FOUND if chooser else model.scope_refusal
        else:
            outcomes[principal] = OK
    write = suffix in ("add", "edit", "delete", "copy", "create")
    return Row(
        outcomes=outcomes,
        post={} if write else None,
        scope=model.scope if on_object and model.sees else "",
    )


def only(*principals, refused=DENIED, **extra):
    return Row(
        ok=frozenset(principals) | extra.pop("plus", NOBODY), refused=refused, **extra
    )


EVERY_ROLE = ROLES
PUBLIC = Row(ok=ROLES, anonymous=OK)

# Our own screens, one row each. `kwargs` open objects of someone else where a rule
# is object-scoped: operator B's residency, reviewer B's review, coordinator B's
# report; `post` is what a refused POST sends (it must change nothing).
OWN = {
    "core_import_job": Row(
        ok=frozenset({SU}),
        kwargs=lambda w: {"pk": w.import_job.pk},
        scope="an import's progress: only whoever started it",
    ),
    "core_admin_search": Row(
        ok=EVERY_ROLE,
        scope="the sidebar search: every admin user, each kind within her own scope "
        "(tests/core/test_admin_search.py)",
    ),
    # Wagtail's account page, served by core/account.py without the moderation
    # switches our notifications replaced: everyone's own
    "core_account": Row(ok=EVERY_ROLE, scope="one's own account"),
    "core_notifications": Row(
        ok=EVERY_ROLE,
        scope="one's own notifications only (tests/core/test_notifications.py)",
    ),
    "core_notification_preferences": Row(ok=EVERY_ROLE, scope="one's own settings"),
    # POST only (a GET changes nothing); another user's notification answers 404
    # (tests/core/test_notifications.py)
    "core_notification_open": Row(
        refused=NOT_ALLOWED, kwargs=lambda w: {"pk": w.notification.pk}
    ),
    "core_notifications_read_all": Row(refused=NOT_ALLOWED),
    "core_site_history": only(
        *EDITORS, scope="the log of every model: not for roles that see only theirs"
    ),
    "core_site_history_results": only(*EDITORS),
    "incubator_organization_import": only(OP, *ADMINS, post={}),
    "incubator_targets_board": only(RG, FM, *ADMINS),
    "funding_framework_revise": only(
        FM, *ADMINS, kwargs=lambda w: {"pk": w.framework.pk}, post={}
    ),
    "funding_indicator_evaluation": only(
        FM, *ADMINS, kwargs=lambda w: {"pk": w.indicator_evaluation.pk}, post={}
    ),
    "funding_indicator_evaluation_conclude": only(
        FM, *ADMINS, kwargs=lambda w: {"pk": w.indicator_evaluation.pk}, post={}
    ),
    "incubator_residency_import": only(OP, *ADMINS, post={}),
    "incubator_residency_move": Row(
        ok=ADMINS,
        outcomes={OP: NOT_FOUND},
        kwargs=lambda w: {"pk": w.residency_b.pk},
        post={"to_stage": "incubating", "note": "矩阵"},
        scope=INCUBATION_SCOPE,
    ),
    "incubator_assessment_score": Row(
        ok=ADMINS,  # the administrator may conclude any assessment
        refused=NOT_FOUND,
        kwargs=lambda w: {"pk": w.assessment_b.pk},
        post={},
        scope="only the assessors of an assessment score it (others: 404)",
    ),
    "incubator_residency_page": Row(
        ok=frozenset({FM, *ADMINS}),  # department users oversee every base
        refused=NOT_FOUND,
        kwargs=lambda w: {"pk": w.residency_b.pk},
        scope=INCUBATION_SCOPE + "; an assessor named on one of its assessments",
    ),
    "incubator_board": only(OP, FM, *ADMINS),
    # --- organization accounts and the organization's portal (我的机构) ---------
    "incubator_account_register": Row(ok=ROLES, anonymous=OK),
    # an unknown token: a refusal page for everyone (tests/incubator/
    # test_portal_accounts.py walks the good, used and expired links)
    "incubator_invitation_accept": Row(
        outcomes=dict.fromkeys(ROLES, NOT_FOUND), anonymous=NOT_FOUND
    ),
    "incubator_invite": only(
        FM,
        *ADMINS,
        outcomes={OP: NOT_FOUND},
        kwargs=lambda w: {"pk": w.organization.pk},
        post={"email": "matrix@example.org"},
        scope="fund managers invite anyone; an operator only their residents",
    ),
    "incubator_account_requests": only(FM, *ADMINS),
    "incubator_account_request": only(
        FM,
        *ADMINS,
        kwargs=lambda w: {"pk": w.account_request.pk},
        post={"action": "reject", "reason": "矩阵"},
    ),
    "incubator_milestone_claim_decide": Row(
        ok=ADMINS,
        outcomes={OP: NOT_FOUND},
        kwargs=lambda w: {"pk": w.claim_b.pk},
        post={"decision": "confirmed"},
        scope=INCUBATION_SCOPE,
    ),
    "incubator_portal_organization": only(
        OG, scope="an organization user's own organization only"
    ),
    "incubator_portal_incubation": only(
        OG, scope="an organization user's own organization only"
    ),
    "incubator_portal_milestone_claim": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.milestone_b.pk},
        post={"note": "矩阵"},
        scope="another organization's milestone: 404",
    ),
    # --- end organization accounts ---------------------------------------------
    # spot checks (双随机、一公开) and credit publication (双公示)
    "incubator_spotcheck_campaign": only(
        RG, *ADMINS, kwargs=lambda w: {"pk": w.spotcheck_campaign.pk}
    ),
    "incubator_spotcheck_draw": only(
        RG,
        *ADMINS,
        kwargs=lambda w: {"pk": w.spotcheck_campaign_draft.pk},
        post={},
    ),
    "incubator_spotcheck_result": only(
        RG,
        *ADMINS,
        kwargs=lambda w: {"pk": w.spotcheck.pk},
        post={"result": "passed"},
    ),
    "incubator_spotcheck_result_import": only(RG, *ADMINS, post={}),
    "incubator_credit_publication": only(RG, *ADMINS, post={}),
    "incubator_public_spotchecks": Row(
        ok=ROLES,
        anonymous=OK,
        kwargs=lambda w: {"pk": w.spotcheck_campaign.pk},
        scope="public: names and results only, no inspector",
    ),
    "funding_award_desk": only(
        FM, *ADMINS, kwargs=lambda w: {"pk": w.award.pk}, post={"action": "complete"}
    ),
    "funding_disbursement_action": only(
        FI,
        *ADMINS,
        kwargs=lambda w: {"pk": w.disbursement.pk, "step": "pay"},
        post={"paid_on": "2023-07-01"},
        scope="finance pays; the fund manager approves and may not pay",
    ),
    "funding_purchase_payment_action": only(
        FI,
        *ADMINS,
        kwargs=lambda w: {"pk": w.payment.pk, "step": "pay"},
        post={},
        scope="finance pays purchase payments; fund managers record and approve",
    ),
    # the payments desk: whoever approves (fund manager) or pays (finance)
    "funding_finance_desk": only(FM, FI, *ADMINS),
    "funding_finance_batch": only(
        FM,
        FI,
        *ADMINS,
        kwargs=lambda w: {"step": "pay"},
        post={},
        scope="payments not waiting for the user's own step: 404 "
        "(tests/funding/test_finance_desk.py)",
    ),
    "funding_notice_close": only(
        FM, *ADMINS, kwargs=lambda w: {"pk": w.notice.pk}, post={}
    ),
    "funding_purchase_rollup": only(FM, FI, *ADMINS),
    "funding_calls": only(FM, *ADMINS),
    # the fund manager records past awards and registers purchases (DESIGN.md §1)
    "funding_award_import": only(FM, *ADMINS, post={}),
    "funding_purchase_import": only(FM, *ADMINS, post={}),
    "funding_call_desk": only(
        FM, *ADMINS, kwargs=lambda w: {"pk": w.call.pk}, post={"action": "assign"}
    ),
    "funding_ranking_export": only(FM, *ADMINS, kwargs=lambda w: {"pk": w.call.pk}),
    # the printed documents: the fund manager's, like the desks
    "funding_ranking_pdf": only(FM, *ADMINS, kwargs=lambda w: {"pk": w.call.pk}),
    "funding_call_score_sheets_pdf": only(
        FM, *ADMINS, kwargs=lambda w: {"pk": w.call.pk}
    ),
    "funding_notice_pdf": only(FM, *ADMINS, kwargs=lambda w: {"pk": w.notice.pk}),
    # the organization prints its own award's letter (another's: 404)
    "funding_award_letter_pdf": only(
        FM,
        *ADMINS,
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.award.pk},
        scope=ORG_AWARD_SCOPE,
    ),
    "funding_score_sheet_pdf": Row(
        ok=NOBODY,
        outcomes={RV: NOT_FOUND, AD: NOT_FOUND, SU: NOT_FOUND},
        kwargs=lambda w: {"pk": w.review_b.pk},
        scope="a reviewer prints only her own score sheet",
    ),
    "funding_public_notice_pdf": Row(
        outcomes=dict.fromkeys(ROLES, NOT_FOUND),
        anonymous=NOT_FOUND,
        kwargs=lambda w: {"pk": w.notice.pk},
        scope="the public gets a notice's PDF once a live page publishes it",
    ),
    # --- public objections and the organization's outcome reports -------------------
    "funding_public_objection": Row(
        outcomes=dict.fromkeys(ROLES, NOT_FOUND),
        anonymous=NOT_FOUND,
        kwargs=lambda w: {"pk": w.notice.pk},
        post={"content": "矩阵"},
        scope="anyone may object to a notice a live page publishes, while it runs; "
        "any other notice is a 404 (tests/funding/test_public_objection.py)",
    ),
    # 我的机构 → 成效报告: organization users only (the admin's refusal for
    # everyone else), and within its own organization: the world's report, project and evidence are
    # another organization's, so the organization user gets 404
    "projects_portal_reports": only(
        OG,
        scope="an organization user lists its own organization's projects only "
        "(tests/projects/test_portal_reports.py)",
    ),
    "projects_portal_report_create": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.project_b.pk},
        post={"year": "2025", "number": "1"},
        scope="another organization's project: 404",
    ),
    "projects_portal_report": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.report_b.pk},
        post={"action": "submit"},
        scope="another organization's report: 404",
    ),
    "projects_portal_evidence": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.evidence_private.pk},
        scope="another organization's evidence file: 404",
    ),
    "funding_application_decide": only(
        FM,
        *ADMINS,
        kwargs=lambda w: {"pk": w.application.pk},
        post={"decision": "reject", "note": "矩阵"},
    ),
    "funding_application_assign": only(
        FM, *ADMINS, kwargs=lambda w: {"pk": w.application.pk}, post={}
    ),
    "funding_my_reviews": only(RV, *ADMINS),
    "funding_my_reviews_export": only(RV, *ADMINS),
    "funding_review_score": Row(
        ok=NOBODY,
        outcomes={RV: NOT_FOUND, AD: NOT_FOUND, SU: NOT_FOUND},
        kwargs=lambda w: {"pk": w.review_b.pk},
        post={"action": "submit", "recommendation": "fund"},
        scope="reviewers see only their own assignments",
    ),
    "funding_review_attachment": Row(
        ok=NOBODY,
        outcomes={RV: NOT_FOUND, AD: NOT_FOUND, SU: NOT_FOUND},
        kwargs=lambda w: {"pk": w.review_b.pk, "number": 1},
        scope="reviewers get attachments of their own assignments only",
    ),
    # --- applying online (我的申报): the organization user's own applications only;
    # staff have no organization (refused); another organization's application: 404
    "funding_portal_applications": only(
        OG, scope="an organization user's own applications"
    ),
    "funding_portal_application_new": only(
        OG,
        kwargs=lambda w: {"call_pk": w.call.pk},
        post={},
    ),
    "funding_portal_application": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.application.pk},
        post={},
        scope="another organization's application: 404",
    ),
    "funding_portal_application_edit": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.application.pk},
        post={},
        scope="another organization's application: 404",
    ),
    "funding_portal_application_file": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.application.pk, "attachment_pk": w.attachment.pk},
        scope="another organization's files: 404",
    ),
    "funding_application_record": Row(
        ok=frozenset({FM, *ADMINS}),
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.application.pk},
        post={"note": "矩阵"},
        scope="fund managers; an organization user its own applications only",
    ),
    # --- 我的机构 → 我的资助: the organization user's own awards -------------------
    "funding_portal_awards": only(OG, scope=ORG_AWARD_SCOPE),
    "funding_portal_award": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.award.pk},
        scope=ORG_AWARD_SCOPE,
    ),
    "funding_portal_award_agreement": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.award.pk},
        scope=ORG_AWARD_SCOPE,
    ),
    "funding_portal_award_report": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.award.pk, "kind": "midterm"},
        post={"summary": "矩阵", "then": "draft"},
        scope=ORG_AWARD_SCOPE,
    ),
    "funding_portal_award_report_submit": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.award.pk, "kind": "midterm"},
        post={},
        scope=ORG_AWARD_SCOPE,
    ),
    "funding_portal_report_document": Row(
        outcomes={OG: NOT_FOUND},
        kwargs=lambda w: {"pk": w.award_report.pk},
        scope=ORG_AWARD_SCOPE,
    ),
    "projects_rollup": only(FM, CO, *ADMINS),
    "projects_report_review": only(
        FM,
        *ADMINS,
        outcomes={CO: NOT_FOUND},
        kwargs=lambda w: {"pk": w.report_b.pk},
        post={"action": "approve"},
        scope=PAIRING_SCOPE,
    ),
    "projects_evidence_file": only(
        FM,
        *ADMINS,
        outcomes={CO: NOT_FOUND},
        kwargs=lambda w: {"pk": w.evidence_private.pk},
        scope="private evidence: only who may see the report",
    ),
    "projects_private_file": only(
        FM,
        *ADMINS,
        outcomes={CO: NOT_FOUND},
        kwargs=lambda w: {"name": w.evidence_private.file.name},
        scope="private evidence: only who may see the report",
    ),
    "projects_report_import": only(CO, *ADMINS, post={}),
    # pairings and projects are imported by who may add them (DESIGN §1:
    # coordinators record pairings and projects; the fund manager only reads)
    "projects_pairing_import": only(CO, *ADMINS, post={}),
    "projects_project_import": only(CO, *ADMINS, post={}),
    "projects_public_evidence": Row(
        outcomes=dict.fromkeys(ROLES, NOT_FOUND),
        anonymous=NOT_FOUND,
        kwargs=lambda w: {"pk": w.evidence_private.pk},
        scope="the public gets evidence marked public only (private: 404)",
    ),
    # --- supervision: annual inspections and dormant organizations: the
    # registration officer (登记管理机关) and the administrator; fund managers,
    # operators and the other roles have no business here
    "incubator_inspection_import": only(RG, *ADMINS, post={}),
    "incubator_inspection_campaign": only(
        RG, *ADMINS, kwargs=lambda w: {"pk": w.inspection_campaign.pk}
    ),
    # GET: the summary of what closing does; POST with its token: the close
    "incubator_inspection_close": only(
        RG, *ADMINS, kwargs=lambda w: {"pk": w.inspection_campaign.pk}, post={}
    ),
    "incubator_dormant_list": only(
        RG, *ADMINS, kwargs=lambda w: {"pk": w.dormant_campaign.pk}, post={}
    ),
    "incubator_dormant_step": only(
        RG,
        *ADMINS,
        kwargs=lambda w: {"pk": w.dormant_case.pk},
        post={"to_status": "interviewed"},
    ),
    "incubator_dormant_document": only(
        RG,
        *ADMINS,
        kwargs=lambda w: {"pk": w.dormant_step.pk},
        scope="a case's documents: who works on dormant organizations",
    ),
    # the public announcement of a year's results: names and results only
    "incubator_public_inspections": Row(
        ok=ROLES, anonymous=OK, kwargs=lambda w: {"year": 2024}
    ),
}


def everyone_gets(outcome, anonymous=LOGIN):
    """Every logged-in role gets the same answer (an id that does not exist, a
    method not allowed, a redirect): the row still proves nobody gets a 500."""
    return Row(outcomes=dict.fromkeys(ROLES, outcome), anonymous=anonymous)


# Documents (who needs them: core/documents.py). Rows state what
# each role SHOULD reach from those rules, not what Wagtail happens to allow.
INTERNAL_DOCS = frozenset({FM, *ADMINS})  # admin screens of an internal document
INTERNAL_DOWNLOAD = frozenset({FM, FI, *ADMINS})  # its download URL, the admin API
DOCUMENT_LIBRARY = frozenset({FM, ED, *ADMINS})  # each lists its own collection
INTERNAL_DOCUMENT_SCOPE = (
    "internal documents (内部文件 or linked to an application, agreement, report): "
    "fund managers and administrators; finance downloads; nobody else"
)

# Wagtail's own admin, grouped by URL name (a trailing * matches a prefix). Still
# every pattern is tried with every principal; a name no rule matches fails the test.
WAGTAIL = [
    # public: the login page, password reset, the site itself
    ("wagtailadmin_login", Row(ok=ROLES, anonymous=OK)),
    ("wagtailadmin_password_reset*", PUBLIC),
    ("wagtailadmin_sprite", PUBLIC),
    ("wagtailadmin_javascript_catalog", PUBLIC),
    ("set_language", PUBLIC),
    ("wagtailcore_login", PUBLIC),
    ("wagtail_serve", Row(ok=ROLES, anonymous=OK, kwargs=lambda w: [""])),
    ("wagtaildocs_authenticate_with_password", everyone_gets(NOT_FOUND, NOT_FOUND)),
    ("wagtailcore_authenticate_with_password", everyone_gets(NOT_FOUND, NOT_FOUND)),
    # an internal document (内部文件, linked to an application): downloaded by
    # administrators, fund managers and finance; any other logged-in user: 403
    (
        "wagtaildocs_serve",
        Row(
            ok=INTERNAL_DOWNLOAD,
            refused=FORBIDDEN,
            outcomes={NO_ROLE: FORBIDDEN},
            kwargs=lambda w: [w.internal_document.pk, w.internal_document.filename],
            scope=INTERNAL_DOCUMENT_SCOPE,
        ),
    ),
    ("wagtailadmin_logout", Row(ok=ROLES, skip_get=True)),
    # every admin user: dashboard, account, choosers of pages/links/embeds
    ("wagtailadmin_home", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_account", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_dismissibles", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_choose_page*", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_tag_autocomplete", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_tag_model_autocomplete", everyone_gets(NOT_FOUND)),
    ("wagtailembeds:*", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_error_test", everyone_gets(ERROR)),  # Wagtail's deliberate 500
    ("wagtailadmin_block_preview", everyone_gets(NOT_FOUND)),
    ("wagtailadmin_editing_sessions:*", everyone_gets(NOT_ALLOWED)),
    ("wagtail_bulk_action", everyone_gets(NOT_FOUND)),
    # the admin API behind the page explorer and the choosers
    ("wagtailadmin_api:pages:listing", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_api:pages:detail", Row(ok=frozenset(EDITORS), refused=NOT_FOUND)),
    *(
        (f"wagtailadmin_api:{api}:find", everyone_gets(NOT_FOUND))
        for api in ("pages", "documents", "images")
    ),
    ("wagtailadmin_api:pages:action", everyone_gets(NOT_ALLOWED)),
    # the listing shows each role what it may see (OWN_OBJECTS: no internal title)
    (
        "wagtailadmin_api:documents:detail",
        Row(ok=INTERNAL_DOWNLOAD, refused=NOT_FOUND, scope=INTERNAL_DOCUMENT_SCOPE),
    ),
    ("wagtailadmin_api:documents:*", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_api:images:*", Row(ok=EVERY_ROLE)),
    # pages: editors add and edit, the administrator (moderator) publishes
    ("wagtailadmin_pages:choose_parent", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_pages:revisions_index", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_pages:move_confirm", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_pages:confirm_workflow_cancellation", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_pages:add", Row(post={})),
    ("wagtailadmin_pages:convert_alias", everyone_gets(NOT_FOUND)),
    ("wagtailadmin_pages:workflow_preview", everyone_gets(DENIED)),  # no workflow
    ("wagtailadmin_pages:workflow_action", everyone_gets(NOT_FOUND)),
    ("wagtailadmin_pages:collect_workflow_action_data", everyone_gets(NOT_FOUND)),
    ("wagtailadmin_pages:set_page_position", everyone_gets(NOT_ALLOWED)),
    ("wagtailadmin_pages:lock", everyone_gets(NOT_ALLOWED)),
    ("wagtailadmin_pages:unlock", everyone_gets(NOT_ALLOWED)),
    (
        "wagtailadmin_pages:workflow_history_detail",
        Row(outcomes={ED: NOT_FOUND, AD: NOT_FOUND, SU: NOT_FOUND}),
    ),
    *(
        (f"wagtailadmin_pages:{name}", Row(ok=ADMINS, post={}))
        for name in (
            "delete",
            "unpublish",
            "move",
            "set_privacy",
            "revisions_unschedule",
        )
    ),
    ("wagtailadmin_pages:*", Row(ok=frozenset(EDITORS), post={})),
    ("wagtailadmin_explore*", Row(ok=frozenset(EDITORS))),
    # collections, images, documents: per collection (core.roles syncs them). Only
    # the administrator manages collections — 内部文件 included (edit, privacy).
    ("wagtailadmin_collections:delete", Row(ok=ADMINS, refused=NOT_FOUND, post={})),
    (
        "wagtailadmin_collections:set_privacy",
        Row(
            ok=ADMINS,
            post={},
            kwargs=lambda w: {"collection_id": w.internal_collection.pk},
        ),
    ),
    ("wagtailadmin_collections:*", Row(ok=ADMINS, post={})),
    # the multiple-upload endpoints answer POSTs only (Wagtail's own tests cover them)
    *(
        (f"{app}:{action}", everyone_gets(NOT_ALLOWED))
        for app, kind in (("wagtailimages", "image"), ("wagtaildocs", "document"))
        for action in (
            "edit_multiple",
            "delete_multiple",
            f"create_multiple_from_uploaded_{kind}",
            "delete_upload_multiple",
        )
    ),
    (
        "wagtailimages:url_generator*",  # needs Wagtail's dynamic image serve view
        Row(
            outcomes={
                **dict.fromkeys(ROLES, DENIED),
                **dict.fromkeys(EDITORS, NOT_FOUND),
            }
        ),
    ),
    ("wagtailimages:*", Row(ok=frozenset(EDITORS), post={})),
    # choosers list only what the user may choose (nothing, for most roles)
    ("wagtailimages_chooser:create", Row(ok=frozenset(EDITORS), post={})),
    ("wagtailimages_chooser:select_format", Row(ok=frozenset(EDITORS))),
    ("wagtailimages_chooser:chosen", Row(ok=frozenset(EDITORS))),
    ("wagtailimages_chooser:*", Row(ok=EVERY_ROLE)),
    # documents: the library lists each role's own collection (fund manager
    # 内部文件, editor 公开文件); every screen of a document opens the internal one,
    # which only the fund manager and the administrator reach
    ("wagtaildocs:index*", Row(ok=DOCUMENT_LIBRARY)),
    ("wagtaildocs:add*", Row(ok=DOCUMENT_LIBRARY, post={})),
    # edit (replace the file, move it), delete (Wagtail: whoever may change; a
    # document an application links is PROTECTed), usage
    ("wagtaildocs:*", Row(ok=INTERNAL_DOCS, post={}, scope=INTERNAL_DOCUMENT_SCOPE)),
    ("wagtaildocs_chooser:create", Row(ok=DOCUMENT_LIBRARY, post={})),
    (
        "wagtaildocs_chooser:chosen",
        Row(ok=INTERNAL_DOCS, scope=INTERNAL_DOCUMENT_SCOPE),
    ),
    # the chooser lists only what the role may choose (nothing, for most roles)
    ("wagtaildocs_chooser:*", Row(ok=EVERY_ROLE)),
    # forms (none yet), workflows, reports
    ("wagtailforms:index*", Row(ok=frozenset(EDITORS))),
    ("wagtailforms:delete_submissions", Row(post={})),
    ("wagtailforms:*", everyone_gets(NOT_FOUND)),
    ("wagtailadmin_workflows:task_chooser*", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_workflows:task_chosen", Row(ok=EVERY_ROLE)),
    ("wagtailadmin_workflows:enable*", everyone_gets(NOT_ALLOWED)),
    ("wagtailadmin_workflows:remove", everyone_gets(NOT_ALLOWED)),
    ("wagtailadmin_workflows:add_task", everyone_gets(NOT_FOUND)),
    ("wagtailadmin_workflows:*", Row(ok=ADMINS, post={})),
    # served by core.views.SiteHistoryView (config/urls.py): page editors only
    ("wagtailadmin_reports:site_history*", Row(ok=frozenset(EDITORS))),
    ("wagtailadmin_reports:locked_pages*", Row(ok=ADMINS)),
    ("wagtailadmin_reports:*", Row(ok=frozenset(EDITORS))),
    # the administrator's settings: redirects, sites, users, groups
    (
        "wagtailredirects:process_import",
        Row(outcomes={AD: NOT_ALLOWED, SU: NOT_ALLOWED}),
    ),
    ("wagtailredirects:*", Row(ok=ADMINS, post={})),
    ("wagtailsites:*", Row(ok=ADMINS, post={})),
    ("wagtailusers_users:*", Row(ok=ADMINS, post={})),
    ("wagtailusers_groups:*", Row(ok=ADMINS, post={})),
    ("wagtailsettings:*", everyone_gets(NOT_FOUND)),  # no settings models yet
    ("wagtailsnippets:index", Row()),
]


def _rule_matches(rule, name):
    return name.startswith(rule[:-1]) if rule.endswith("*") else name == rule


def row_for(pattern):
    """The expectation for a URL pattern, or None when it has none (a failure)."""
    if pattern.name in OWN:
        return OWN[pattern.name]
    row = snippet_row(pattern.name)
    if row is not None or snippet_model(pattern.name):
        return row
    if pattern.is_own:
        return None  # our views must have their own row
    for rule, rule_row in WAGTAIL:
        if _rule_matches(rule, pattern.name):
            return rule_row
    return None


# The object-scoped rows above open someone else's object; these open the
# principal's own, which must work (else the refusals above prove nothing).
# (url name, principal, kwargs, expected, text that must NOT be on the page)
OWN_OBJECTS = [
    (
        "wagtailsnippets_incubator_residency:edit",
        OP,
        lambda w: {"pk": w.residency_a.pk},
        OK,
        None,
    ),
    (
        "wagtailsnippets_incubator_residency:history",
        OP,
        lambda w: {"pk": w.residency_a.pk},
        OK,
        None,
    ),
    (
        "wagtailsnippetchoosers_incubator_residency:chosen",
        OP,
        lambda w: {"pk": w.residency_a.pk},
        OK,
        None,
    ),
    ("incubator_residency_move", OP, lambda w: {"pk": w.residency_a.pk}, OK, None),
    ("incubator_residency_page", OP, lambda w: {"pk": w.residency_a.pk}, OK, None),
    ("incubator_board", OP, lambda w: {}, OK, lambda w: w.base_b.name),
    # the organization's own award, report and letter (others' are 404 above)
    (
        "funding_portal_awards",
        OG,
        lambda w: {},
        OK,
        lambda w: w.award.application.organization.name,
    ),
    (
        "funding_portal_award",
        OG,
        lambda w: {"pk": w.own_award.pk},
        OK,
        lambda w: w.award.application.organization.name,
    ),
    (
        "funding_portal_award_report",
        OG,
        lambda w: {"pk": w.own_award.pk, "kind": "midterm"},
        OK,
        None,
    ),
    ("funding_award_letter_pdf", OG, lambda w: {"pk": w.own_award.pk}, OK, None),
    # organization accounts: an operator invites their own resident's people;
    # the organization user claims its own milestone
    ("incubator_invite", OP, lambda w: {"pk": w.residency_a.organization_id}, OK, None),
    (
        "incubator_portal_milestone_claim",
        OG,
        lambda w: {"pk": w.milestone_own.pk},
        OK,
        None,
    ),
    (
        "incubator_portal_incubation",
        OG,
        lambda w: {},
        OK,
        lambda w: w.milestone_b.residency.organization.name,
    ),
    # blind review: the reviewer's own assignment, without the applicant's name
    (
        "funding_review_score",
        RV,
        lambda w: {"pk": w.review_a.pk},
        OK,
        lambda w: w.application_own.organization.name,
    ),
    ("funding_my_reviews", RV, lambda w: {}, OK, lambda w: w.application.title),
    # 我的申报: the organization user's own application, never another's title
    (
        "funding_portal_applications",
        OG,
        lambda w: {},
        OK,
        lambda w: w.application.title,
    ),
    (
        "funding_portal_application",
        OG,
        lambda w: {"pk": w.application_org.pk},
        OK,
        None,
    ),
    (
        "funding_portal_application_edit",
        OG,
        lambda w: {"pk": w.application_org.pk},
        OK,
        None,
    ),
    (
        "funding_application_record",
        OG,
        lambda w: {"pk": w.application_org.pk},
        OK,
        None,
    ),
    (
        "wagtailsnippets_projects_pairing:edit",
        CO,
        lambda w: {"pk": w.pairing_a.pk},
        OK,
        None,
    ),
    (
        "wagtailsnippetchoosers_projects_pairing:chosen",
        CO,
        lambda w: {"pk": w.pairing_a.pk},
        OK,
        None,
    ),
    (
        "wagtailsnippets_projects_pairing:list",
        CO,
        lambda w: {},
        OK,
        lambda w: w.organization.name,
    ),
    # finance pays, the fund manager approves: each refused the other's step
    (
        "funding_disbursement_action",
        FM,
        lambda w: {"pk": w.disbursement.pk, "step": "approve"},
        OK,
        None,
    ),
    (
        "funding_disbursement_action",
        FI,
        lambda w: {"pk": w.disbursement.pk, "step": "approve"},
        DENIED,
        None,
    ),
    (
        "funding_disbursement_action",
        FI,
        lambda w: {"pk": w.disbursement.pk, "step": "reject"},
        DENIED,
        None,
    ),
    (
        "projects_public_evidence",
        ANON,
        lambda w: {"pk": w.evidence_public.pk},
        OK,
        None,
    ),
    # marked public, but its report is not approved yet: the public gets nothing
    (
        "projects_public_evidence",
        ANON,
        lambda w: {"pk": w.evidence_public_unapproved.pk},
        NOT_FOUND,
        None,
    ),
    # the editor's own public document (公开文件) works; the fund manager, whose
    # documents are internal, has no business with it
    (
        "wagtaildocs:edit",
        ED,
        lambda w: {"document_id": w.document.pk},
        OK,
        lambda w: w.internal_document.title,
    ),
    ("wagtaildocs:edit", FM, lambda w: {"document_id": w.document.pk}, DENIED, None),
    ("wagtaildocs_chooser:chosen", ED, lambda w: {"pk": w.document.pk}, OK, None),
    # the admin API, the library and the choosers do not list internal titles
    ("wagtaildocs:index", ED, lambda w: {}, OK, lambda w: w.internal_document.title),
    (
        "wagtaildocs_chooser:choose",
        ED,
        lambda w: {},
        OK,
        lambda w: w.internal_document.title,
    ),
    (
        "wagtailadmin_api:documents:listing",
        ED,
        lambda w: {},
        OK,
        lambda w: w.internal_document.title,
    ),
    (
        "wagtailadmin_api:documents:listing",
        RV,
        lambda w: {},
        OK,
        lambda w: w.internal_document.title,
    ),
    (
        "wagtaildocs_chooser:choose",
        OP,
        lambda w: {},
        OK,
        lambda w: w.internal_document.title,
    ),
]
