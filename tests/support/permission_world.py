"""The data the permission matrix runs against: one user per role, and for every
object-scoped rule an object of *someone else* (another base's resident, a review
assigned to another expert, another coordinator's pairing…).

Built once per test module by `tests/platform/test_permission_matrix.py` inside a transaction
that is rolled back at the end, so other modules never see it."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from core import roles

PASSWORD = "test-pass-123"  # noqa: S105 - test users only

ANON = "anonymous"
NO_ROLE = "no_role"
SUPERUSER = "superuser"
# Every principal the matrix tries, in the order the tests are generated.
PRINCIPALS = [
    ANON,
    NO_ROLE,
    roles.OPERATOR,
    roles.FUND_MANAGER,
    roles.FINANCE,
    roles.REVIEWER,
    roles.COORDINATOR,
    roles.EDITOR,
    roles.REGISTRAR,
    roles.ORGANIZATION,
    roles.ADMINISTRATOR,
    SUPERUSER,
]


def _user(username, role=None, **extra):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        **extra,
    )
    if role:
        user.groups.add(roles.role_group(role))
    return user


def _uscc(serial, region_code="430111"):
    from incubator.choices import USCC_CATEGORY_BY_TYPE, OrganizationType
    from incubator.uscc import uscc_make

    return uscc_make(
        USCC_CATEGORY_BY_TYPE[OrganizationType.SOCIAL_SERVICE], region_code, serial
    )


def build_world():  # noqa: PLR0915 - one straight story, read top to bottom
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection, Page, Site, Task, Workflow

    from core.documents import document_keep_internal
    from core.models import ImportJob, Region
    from core.roles import internal_collection, public_collection
    from funding.choices import ApplicationStatus
    from funding.models import (
        Application,
        Attachment,
        BudgetLine,
        Call,
        Criterion,
        DeclaredConflict,
        Fund,
        ReviewerProfile,
    )
    from funding.models.awards import Disbursement, TrancheCondition
    from funding.models.purchases import PaymentInstalment, ServicePurchase
    from funding.services.assignment import review_assign
    from funding.services.awards import award_sign
    from funding.services.disbursements import disbursement_record
    from funding.services.notices import notice_close, notice_publish
    from funding.services.purchases import (
        evaluation_record,
        purchase_payment_approve,
        purchase_payment_pay,
        purchase_payment_record,
    )
    from funding.services.tranches import award_schedule_set
    from incubator.choices import OrganizationType, RegistrationLevel
    from incubator.models import (
        IncubationBase,
        Organization,
        OrganizationMembership,
        ServiceField,
    )
    from incubator.models.activities import ServiceActivity
    from incubator.models.bases import (
        DEFAULT_CRITERIA,
        DEFAULT_MILESTONES,
        AssessmentCriterion,
        BaseLevel,
        MilestoneTemplate,
    )
    from incubator.services.residencies import residency_admit, residency_advance
    from projects.choices import PeriodType, ProjectCategory, ReportStatus
    from projects.demo import indicators_ensure
    from projects.models import (
        Alliance,
        OutcomeEvidence,
        OutcomeReport,
        Pairing,
        Project,
        Village,
    )

    w = SimpleNamespace()
    # --- people -------------------------------------------------------------------
    w.users = {
        NO_ROLE: _user("norole"),
        roles.OPERATOR: _user("operator_a", roles.OPERATOR),
        roles.FUND_MANAGER: _user("fundmanager", roles.FUND_MANAGER),
        roles.FINANCE: _user("finance", roles.FINANCE),
        roles.REVIEWER: _user("reviewer_a", roles.REVIEWER),
        roles.COORDINATOR: _user("coordinator_a", roles.COORDINATOR),
        roles.EDITOR: _user("editor", roles.EDITOR),
        roles.REGISTRAR: _user("registrar", roles.REGISTRAR),
        roles.ORGANIZATION: _user("orguser", roles.ORGANIZATION),
        roles.ADMINISTRATOR: _user("administrator", roles.ADMINISTRATOR),
        SUPERUSER: get_user_model().objects.create_superuser(
            "root", "root@example.org", PASSWORD
        ),
    }
    w.operator_b = _user("operator_b", roles.OPERATOR)
    w.reviewer_b = _user("reviewer_b", roles.REVIEWER)
    w.coordinator_b = _user("coordinator_b", roles.COORDINATOR)
    manager = w.users[roles.FUND_MANAGER]
    # another fund manager records payments (separation of duties, DESIGN.md)
    w.fund_clerk = _user("fundclerk", roles.FUND_MANAGER)

    # --- registry -----------------------------------------------------------------
    region = Region.objects.get(code="430111")
    w.region = region
    w.service_field = ServiceField.objects.get_or_create(name="养老")[0]

    def org(n, **fields):
        defaults = {
            "name": f"矩阵测试社会工作服务中心{n}",
            "org_type": OrganizationType.SOCIAL_SERVICE,
            "registration_level": RegistrationLevel.COUNTY,
            "region": region,
            "uscc": _uscc(900 + n),
        }
        defaults.update(fields)
        return Organization.objects.create(**defaults)

    w.organization = org(1)
    orgs = [org(n) for n in range(2, 10)]
    # the organization user's own organization: every other object of the world
    # belongs to someone else
    w.own_organization = org(10)
    OrganizationMembership.objects.create(
        user=w.users[roles.ORGANIZATION], organization=w.own_organization
    )

    # --- incubation: base A is operator A's, base B another operator's -------------
    def base(name, operator):
        b = IncubationBase.objects.create(
            name=name, level=BaseLevel.COUNTY, region=region, capacity=10
        )
        b.operators.set([operator])
        for order, (kind, weight) in enumerate(DEFAULT_CRITERIA):
            AssessmentCriterion.objects.create(
                base=b, kind=kind, weight=weight, sort_order=order
            )
        for order, (title, days) in enumerate(DEFAULT_MILESTONES):
            MilestoneTemplate.objects.create(
                base=b, title=title, due_after_days=days, sort_order=order
            )
        return b

    w.base_a = base("雨花区社会组织孵化基地", w.users[roles.OPERATOR])
    w.base_b = base("岳麓区社会组织孵化基地", w.operator_b)
    w.residency_a = residency_admit(organization=orgs[0], base=w.base_a, enter=True)
    w.residency_b = residency_admit(organization=orgs[1], base=w.base_b, enter=True)
    w.residency_b_assessing = residency_admit(
        organization=orgs[2], base=w.base_b, enter=True
    )
    for stage in ("incubating", "assessing"):
        residency_advance(w.residency_b_assessing, stage)
    from incubator.services.assessments import assessment_create

    w.assessment_b = assessment_create(
        residency=w.residency_b_assessing, assessors=[w.operator_b]
    )
    w.activity_b = ServiceActivity.objects.create(
        base=w.base_b,
        kind="training",
        held_on=datetime.date(2023, 4, 1),
        topic="财务管理培训",
        hours=Decimal("2"),
    )

    # --- organization accounts: a self-registration, base B's milestone claimed --
    from incubator.models import AccountRequest, MilestoneClaim

    w.account_request = AccountRequest.objects.create(
        organization_name=w.organization.name,
        uscc=w.organization.uscc,
        contact_name="王芳",
        phone="13800000000",
        email="wangfang@example.org",
        username="wangfang",
        password_hash="!",
        client_hash="0" * 64,
    )
    w.milestone_b = w.residency_b.milestones.first()
    w.claim_b = MilestoneClaim.objects.create(
        milestone=w.milestone_b,
        done_on=datetime.date(2023, 5, 1),
        note="已完成登记",
        claimed_by=w.operator_b,
    )
    # the organization user's own residency (at base B: not operator A's)
    w.residency_own = residency_admit(
        organization=w.own_organization, base=w.base_b, enter=True
    )
    w.milestone_own = w.residency_own.milestones.first()
    # --- end organization accounts ----------------------------------------------

    w.fund = Fund.objects.create(
        name="湖南省福彩公益金",
        source="lottery_province",
        year=2023,
        budget=Decimal("7500000"),
    )
    today = timezone.localdate()
    w.call = Call.objects.create(
        fund=w.fund,
        name="2023年度福彩公益金资助项目",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        total_budget=Decimal("7500000"),
        max_per_award=Decimal("150000"),
        eligible_levels=[RegistrationLevel.CITY, RegistrationLevel.COUNTY],
        eligible_types=[t.value for t in OrganizationType],
        reviewers_per_application=1,
        blind_review=True,
    )
    for order, (name, weight) in enumerate([("项目必要性", 50), ("实施方案", 50)]):
        Criterion.objects.create(
            call=w.call, name=name, weight=weight, max_score=weight, sort_order=order
        )

    def application(organization, status, title):
        app = Application.objects.create(
            call=w.call,
            organization=organization,
            title=title,
            requested_amount=Decimal("100000"),
            summary="为留守儿童提供课后陪伴与心理支持。",
            # in its status at once: an organization has one draft per call
            status=status,
        )
        BudgetLine.objects.create(
            application=app, item="人员费用", amount=Decimal("100000")
        )
        Application.objects.filter(pk=app.pk).update(
            status=status, submitted_at=timezone.now()
        )
        app.refresh_from_db()
        return app

    w.application = application(orgs[3], ApplicationStatus.IN_REVIEW, "留守儿童关爱")
    w.application_own = application(orgs[4], ApplicationStatus.IN_REVIEW, "居家养老")
    ReviewerProfile.objects.get_or_create(user=w.users[roles.REVIEWER])
    ReviewerProfile.objects.get_or_create(user=w.reviewer_b)
    w.review_b = review_assign(w.application, w.reviewer_b, user=manager)
    w.review_a = review_assign(w.application_own, w.users[roles.REVIEWER], user=manager)
    w.reviewer_profile = ReviewerProfile.objects.get(user=w.reviewer_b)
    w.conflict = DeclaredConflict.objects.create(
        reviewer=w.reviewer_b, organization=orgs[5], reason="曾任该机构理事"
    )
    document = Document.objects.create(
        title="法定代表人身份证复印件",
        file=ContentFile(b"%PDF-1.4 private", name="matrix-id-card.pdf"),
    )
    w.attachment = Attachment.objects.create(
        application=w.application, title=document.title, document=document
    )
    document_keep_internal(document)
    w.internal_document = document

    # --- applying online: the organization user's own draft (我的申报) -----------
    w.application_org = application(
        w.own_organization, ApplicationStatus.DRAFT, "本机构草稿"
    )

    # --- awards: one award, a tranche, a disbursement awaiting approval -----------
    awarded = application(orgs[6], ApplicationStatus.APPROVED, "社区治理")
    Application.objects.filter(pk=awarded.pk).update(approved_amount=Decimal("100000"))
    w.notice = notice_publish(
        w.call,
        title="2023年度福彩公益金资助项目立项公示",
        starts_on=datetime.date(2023, 6, 5),
        working_days=5,
        objection_contact="省民政厅社会组织管理局 0731-00000000",
        user=manager,
    )
    notice_close(w.notice, user=manager, on=datetime.date(2023, 6, 12))
    awarded.refresh_from_db()
    w.award = awarded.award
    award_schedule_set(
        w.award,
        [
            (Decimal(60), TrancheCondition.SIGNING, ""),
            (Decimal(40), TrancheCondition.FINAL_REPORT, ""),
        ],
        user=manager,
    )
    award_sign(w.award, signed_on=datetime.date(2023, 6, 20), user=manager)
    w.disbursement = disbursement_record(
        w.award.tranches.first(), amount=Decimal("60000"), user=w.fund_clerk
    )
    assert isinstance(w.disbursement, Disbursement)

    # --- the organization's own award (portal 我的资助) and another's report -------
    from funding.models import Award, AwardReport
    from funding.models.awards import ReportKind
    from funding.models.awards import ReportStatus as AwardReportStatus

    own = application(w.own_organization, ApplicationStatus.IN_PROGRESS, "我的资助")
    w.own_award = Award.objects.create(
        application=own,
        notice=w.notice,
        approved_amount=Decimal("80000"),
        awarded_on=datetime.date(2023, 6, 12),
    )
    w.award_report = AwardReport.objects.create(
        award=w.award, kind=ReportKind.MIDTERM, status=AwardReportStatus.SUBMITTED
    )

    # --- government service purchases ---------------------------------------------
    w.purchase = ServicePurchase.objects.create(
        title="姑苏区社区居家养老服务项目",
        purchasing_department="苏州市民政局",
        service_category="basic_public",
        procurement_method="consultation",
        contract_number="SZMZ-2023-001",
        contract_amount=Decimal("500000"),
        signed_on=datetime.date(2023, 3, 1),
        starts_on=datetime.date(2023, 3, 1),
        ends_on=datetime.date(2023, 12, 31),
        supplier_kind="social_org",
        supplier=orgs[6],
    )
    first = PaymentInstalment.objects.create(
        purchase=w.purchase,
        sort_order=0,
        label="第1期",
        amount=Decimal("300000"),
        is_final=False,
    )
    PaymentInstalment.objects.create(
        purchase=w.purchase,
        sort_order=1,
        label="尾款",
        amount=Decimal("200000"),
        is_final=True,
    )
    w.payment = purchase_payment_record(
        w.purchase, instalment=first, amount=Decimal("300000"), user=w.fund_clerk
    )
    purchase_payment_approve(w.payment, user=manager, on=datetime.date(2023, 4, 1))
    purchase_payment_pay(
        w.payment,
        user=w.users[roles.FINANCE],
        voucher_number="2023-0401",
        paid_on=datetime.date(2023, 4, 1),
    )
    w.evaluation = evaluation_record(
        w.purchase,
        score=Decimal("92"),
        evaluated_on=datetime.date(2024, 1, 15),
        evaluator="第三方评估机构",
        user=manager,
    )

    # --- rural revitalization: pairing B is another coordinator's ------------------
    indicators = indicators_ensure()
    w.indicator = next(iter(indicators.values()))
    county = Region.objects.get(code="433127")
    w.pairing_a = Pairing.objects.create(
        organization=orgs[7], county=county, start_date=datetime.date(2023, 1, 1)
    )
    w.pairing_a.coordinators.set([w.users[roles.COORDINATOR]])
    w.pairing_b = Pairing.objects.create(
        organization=w.organization,
        county=county,
        start_date=datetime.date(2023, 1, 1),
        agreement=ContentFile(b"%PDF-1.4 agreement", name="matrix-agreement.pdf"),
    )
    w.pairing_b.coordinators.set([w.coordinator_b])
    w.alliance = Alliance.objects.create(name="永顺县合力团", county=county)
    w.village = Village.objects.create(name="司城村", county=county)
    w.project_b = Project.objects.create(
        pairing=w.pairing_b,
        title="永顺县消费帮扶项目",
        category=ProjectCategory.CONSUMPTION,
        start_date=datetime.date(2023, 1, 1),
        budget=Decimal("100000"),
        reporting_frequency=PeriodType.HALF_YEAR,
    )
    w.report_b = OutcomeReport.objects.create(
        project=w.project_b,
        period_type=PeriodType.HALF_YEAR,
        year=2023,
        number=1,
        status=ReportStatus.SUBMITTED,
        created_by=w.coordinator_b,
    )
    w.evidence_private = OutcomeEvidence.objects.create(
        report=w.report_b,
        title="村民签收单",
        kind="documents",
        file=ContentFile(b"%PDF-1.4 evidence", name="matrix-evidence.pdf"),
        is_public=False,
    )
    # Marked public on a report not yet approved: still private.
    w.evidence_public_unapproved = OutcomeEvidence.objects.create(
        report=w.report_b,
        title="直播小屋照片（待审核）",
        kind="documents",
        file=ContentFile(b"%PDF-1.4 pending", name="matrix-pending.pdf"),
        is_public=True,
    )
    w.report_b_approved = OutcomeReport.objects.create(
        project=w.project_b,
        period_type=PeriodType.HALF_YEAR,
        year=2022,
        number=2,
        status=ReportStatus.APPROVED,
        created_by=w.coordinator_b,
    )
    w.evidence_public = OutcomeEvidence.objects.create(
        report=w.report_b_approved,
        title="直播小屋照片",
        kind="documents",
        file=ContentFile(b"%PDF-1.4 public", name="matrix-public.pdf"),
        is_public=True,
    )

    # --- supervision: annual inspections and dormant organizations ----------------
    from incubator.models import DormantCase, DormantStep
    from incubator.services.dormant import dormant_campaign_open
    from incubator.services.inspections import inspection_campaign_open

    registrar = w.users[roles.REGISTRAR]
    w.inspection_campaign = inspection_campaign_open(year=2024, user=registrar)
    w.inspection = w.inspection_campaign.inspections.first()
    w.dormant_campaign = dormant_campaign_open(
        title="僵尸型社会组织专项清理", user=registrar
    )
    w.dormant_case = DormantCase.objects.create(
        campaign=w.dormant_campaign,
        organization=w.organization,
        missed_years="2022、2023",
        found_on=datetime.date(2025, 3, 1),
        changed_on=datetime.date(2025, 3, 1),
    )
    w.dormant_step = DormantStep.objects.create(
        case=w.dormant_case,
        from_status="found",
        to_status="found",
        on=datetime.date(2025, 3, 1),
        note="列入清理",
        document=Document.objects.create(
            title="约谈通知书",
            file=ContentFile(b"%PDF-1.4 notice", name="matrix-dormant.pdf"),
            collection=internal_collection(),
        ),
    )
    # --- end of supervision ------------------------------------------------------
    # --- spot checks and credit decisions (双随机、一公开, 双公示) -----------------
    from incubator.models import CreditDecision, Inspector, SpotCheckCampaign
    from incubator.services.spotchecks import spotcheck_campaign_draw

    w.inspector = Inspector.objects.create(name="王建国", unit="湖南省民政厅")
    Inspector.objects.create(name="刘芳", unit="湖南省财政厅")
    w.spotcheck_campaign = SpotCheckCampaign.objects.create(
        name="矩阵抽查", year=today.year, base_rate=Decimal("10")
    )
    spotcheck_campaign_draw(campaign=w.spotcheck_campaign, user=None)
    w.spotcheck = w.spotcheck_campaign.checks.first()
    w.spotcheck_campaign_draft = SpotCheckCampaign.objects.create(
        name="矩阵抽查（未抽取）", year=today.year
    )
    w.credit_decision = CreditDecision.objects.create(
        organization=w.organization,
        decision_type="warning",
        reason="矩阵",
        decided_on=today,
        authority="湖南省民政厅",
    )
    # --- end of spot checks and credit decisions ----------------------------------

    # --- imports: a job started by operator B -------------------------------------
    w.import_job = ImportJob.objects.create(
        kind="organizations",
        file=ContentFile(b"x", name="matrix-import.xlsx"),
        original_name="社会组织名录.xlsx",
        created_by=w.operator_b,
    )
    # --- notifications: one of operator B's -----------------------------------------
    from core.models import Notification

    w.notification = Notification.objects.create(
        recipient=w.operator_b, kind="import_finished", title="导入完成", link="/admin/"
    )

    # --- targets and performance frameworks (supervision; funding) -----------------
    from incubator.models import Target

    w.target = Target.objects.create(
        name="3A以上社会组织占比",
        department="内蒙古自治区民政厅",
        metric="rated_3a",
        threshold=Decimal("80"),
        deadline=datetime.date(2025, 12, 31),
        from_year=2023,
    )
    from funding.services.performance import indicator_evaluation_start
    from tests.support.performance import framework_make

    w.framework = framework_make()
    w.indicator_evaluation = indicator_evaluation_start(
        framework=w.framework,
        purchase=w.purchase,
        evaluated_on=w.purchase.ends_on,
        user=w.users[roles.FUND_MANAGER],
    )
    # --- end targets and performance frameworks ------------------------------------

    # --- Wagtail's own objects -----------------------------------------------------
    w.root_collection = Collection.get_first_root_node()
    w.collection = w.root_collection.add_child(name="宣传图片")
    w.image = Image.objects.create(
        title="孵化基地开放日", file=get_test_image_file(), collection=w.collection
    )
    # the editor's document for the public site, in 公开文件 (core/documents.py)
    w.internal_collection = internal_collection()
    w.public_collection = public_collection()
    w.document = Document.objects.create(
        title="年度工作报告",
        file=ContentFile(b"%PDF-1.4 public", name="matrix-report.pdf"),
        collection=w.public_collection,
    )
    w.page = Page.objects.filter(depth=2).first().specific
    w.revision = w.page.save_revision(user=w.users[roles.ADMINISTRATOR])
    from wagtail.contrib.redirects.models import Redirect

    w.redirect = Redirect.objects.create(old_path="/old-news", redirect_link="/news/")
    w.site = Site.objects.first()
    w.workflow = Workflow.objects.first()
    w.task = Task.objects.first()
    w.group = roles.role_group(roles.EDITOR)
    w.missing = SimpleNamespace(pk=999999)  # an id no object has
    return w
