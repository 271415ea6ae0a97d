"""Notifications: `notify` records what a user is told and e-mails it through the worker.

The one entry is `notify(kind, recipients, *, title, link, actor, key)`, called by
each app's services at the moment the event happens (never by views). It keeps
each recipient's choices (`NotificationPreference`: in the admin and/or by
e-mail, both on by default), never tells the actor about their own action, and
schedules the e-mails with `transaction.on_commit` → the `send_notification_emails`
task (django-tasks; `manage.py db_worker` runs it), so a rolled-back action sends
nothing. Who is told is the caller's rule, scoped by its app's permissions;
`permission_holders` lists the people whose work a permission is.

The list, mark-read and preference screens are in `core/views_notifications.py`.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from core import roles
from core.models import Notification, NotificationKind, NotificationPreference


def permission_holders(codename):
    """The active users whose work needs the permission `codename`
    ("app_label.codename"): through a group (a role of `core.roles`), directly, or
    as superusers — the people whose task inbox lists that work. A queryset."""
    app_label, name = codename.split(".", 1)
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=name
    ).first()
    users = get_user_model().objects.filter(is_active=True)
    if permission is None:
        return users.filter(is_superuser=True)
    return users.filter(
        Q(is_superuser=True)
        | Q(groups__permissions=permission)
        | Q(user_permissions=permission)
    ).distinct()


#: Which kinds concern whom, by the permissions of the work they tell of (any one
#: suffices): the settings screen offers a user only these. Page kinds concern
#: whoever may edit pages (`_edits_pages`).
KIND_PERMISSIONS = {
    NotificationKind.REVIEW_ASSIGNED: ["funding.score_review"],
    NotificationKind.REVIEW_DEADLINE: ["funding.score_review"],
    NotificationKind.REPORT_DECIDED: ["projects.add_outcomereport"],
    NotificationKind.PAYMENT_WAITING: [
        "funding.approve_disbursement",
        "funding.pay_disbursement",
        "funding.approve_purchasepayment",
        "funding.pay_purchasepayment",
    ],
    NotificationKind.OBJECTION_RECEIVED: ["funding.change_award"],
    NotificationKind.IMPORT_FINISHED: ["core.add_importjob"],
    NotificationKind.ACCOUNT_REQUESTED: ["incubator.add_organizationmembership"],
    NotificationKind.APPLICATION_SUBMITTED: ["funding.change_application"],
    NotificationKind.AWARD_REPORT_SUBMITTED: ["funding.change_award"],
    NotificationKind.MILESTONE_CLAIMED: ["incubator.change_residency"],
}

#: Kinds that concern a role rather than a permission: the people of an
#: organization (社会组织用户) are told what happens to their own records, and
#: registration officers of the supervision work due. A user of that role is
#: offered these kinds; nobody else is.
KIND_ROLES = {
    NotificationKind.APPLICATION_RECEIVED: roles.ORGANIZATION,
    NotificationKind.MORE_INFO_REQUESTED: roles.ORGANIZATION,
    NotificationKind.APPLICATION_DECIDED: roles.ORGANIZATION,
    NotificationKind.AWARD_MADE: roles.ORGANIZATION,
    NotificationKind.TRANCHE_PAID: roles.ORGANIZATION,
    NotificationKind.REPORT_DUE: roles.ORGANIZATION,
    NotificationKind.REPORT_RETURNED: roles.ORGANIZATION,
    NotificationKind.MILESTONE_DECIDED: roles.ORGANIZATION,
    NotificationKind.SUPERVISION_DUE: roles.REGISTRAR,
}


def _has_role(user, role):
    return user.groups.filter(name=roles.GROUP_NAMES[role]).exists()


def _edits_pages(user):
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return PagePermissionPolicy().user_has_any_permission(
        user, ["add", "change", "publish"]
    )


def kinds_for(user):
    """The kinds that concern `user` (`KIND_PERMISSIONS`), in `NotificationKind`
    order: the rows of their settings screen."""
    kinds = []
    for kind in NotificationKind:
        if kind in KIND_ROLES:
            if _has_role(user, KIND_ROLES[kind]):
                kinds.append(kind)
            continue
        needed = KIND_PERMISSIONS.get(kind)
        if needed is None:
            if _edits_pages(user):
                kinds.append(kind)
        elif any(user.has_perm(p) for p in needed):
            kinds.append(kind)
    return kinds


def preferences_for(user):
    """`{kind: (in_admin, email)}` for every kind, defaults (True, True) filled in."""
    chosen = {
        p.kind: (p.in_admin, p.email)
        for p in NotificationPreference.objects.filter(user=user)
    }
    return {kind: chosen.get(kind, (True, True)) for kind in NotificationKind.values}


def notify(kind, recipients, *, title, link="", actor=None, key=""):
    """Tell `recipients` (users; None and duplicates ignored) that `kind` happened.

    - `title`: what happened, in one line (a lazy string: it is written in the
      platform's language, `settings.LANGUAGE_CODE`, whoever's request this is);
    - `link`: the admin path of the screen that does the work;
    - `actor`: the user who acted — never told of their own action;
    - `key`: when given, each recipient is told once per key (a reminder per
      review and deadline); a later call with the same key tells no one again.

    Each recipient's `NotificationPreference` for `kind` decides: a row in the
    admin list, an e-mail (sent by the worker after commit, to users with an
    address), both or nothing. Inactive users are skipped. Returns the list of
    `Notification` rows created (those only kept for `key` included)."""
    kind = NotificationKind(kind)
    people = {}
    for user in recipients:
        if user is None or not user.is_active:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        people[user.pk] = user
    if not people:
        return []
    chosen = {
        p.user_id: (p.in_admin, p.email)
        for p in NotificationPreference.objects.filter(user_id__in=people, kind=kind)
    }
    if key:
        told = set(
            Notification.objects.filter(recipient_id__in=people, key=key).values_list(
                "recipient_id", flat=True
            )
        )
    else:
        told = set()
    with translation.override(settings.LANGUAGE_CODE):
        text = str(title)[:255]
    created, to_email = [], []
    for pk, user in people.items():
        in_admin, email = chosen.get(pk, (True, True))
        if pk in told or not (in_admin or email or key):
            continue
        if not (in_admin or email):
            in_admin = False  # kept only so that the key is not used again
        try:
            with transaction.atomic():
                row = Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    title=text,
                    link=link,
                    key=key,
                    in_admin=in_admin,
                )
        except IntegrityError:
            continue  # told by a concurrent run with the same key
        created.append(row)
        if email and user.email:
            to_email.append(row.pk)
    if to_email:
        transaction.on_commit(lambda: send_notification_emails.enqueue(to_email))
    return created


@task()
def send_notification_emails(notification_ids):
    """The worker's task: e-mail each of the `Notification` rows `notification_ids`
    (a list of ints) to its recipient, in the platform's language, through
    Django's mail backend (console in development, SMTP when EMAIL_HOST is set).
    The mail is plain text: its templates print names and titles as typed (no
    HTML escaping, which would show "张&amp;李" to the reader). Returns how
    many mails were sent."""
    sent = 0
    rows = Notification.objects.filter(pk__in=notification_ids).select_related(
        "recipient"
    )
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        for row in rows:
            person = row.recipient
            context = {
                "notification": row,
                "name": f"{person.last_name}{person.first_name}".strip()
                or person.get_username(),
                "kind": row.get_kind_display(),
                "url": base + row.link if row.link else "",
                "preferences_url": base + reverse("core_notification_preferences"),
                "site_name": settings.WAGTAIL_SITE_NAME,
            }
            subject = render_to_string("core/notifications/email_subject.txt", context)
            body = render_to_string("core/notifications/email.txt", context)
            sent += send_mail(
                " ".join(subject.split()),
                body,
                None,
                [row.recipient.email],
            )
    return sent


def unread_count(user):
    """How many notifications `user` has not read (shown in the admin), an int."""
    return notifications_shown_to(user).filter(read_at__isnull=True).count()


def notifications_shown_to(user):
    """The notifications `user` sees in the admin list, newest first (a queryset):
    their own only, so any other id answers 404 on the screens."""
    return Notification.objects.filter(recipient=user, in_admin=True)


def notification_mark_read(*, user, pk):
    """Mark `user`'s notification `pk` read (once: the first reading time is kept).
    Raises Notification.DoesNotExist for another user's notification. Returns it."""
    notification = notifications_shown_to(user).get(pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user):
    """Mark every unread notification of `user` read; returns how many."""
    return (
        notifications_shown_to(user)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )


@transaction.atomic
def notification_preferences_save(*, user, choices):
    """Store `user`'s choices, `{kind: (in_admin, email)}` (bools), one row per kind."""
    for kind, (in_admin, email) in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user,
            kind=NotificationKind(kind),
            defaults={"in_admin": in_admin, "email": email},
        )
