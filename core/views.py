"""Core admin screens: change history, import upload and progress, site history."""

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from core.forms import ImportUploadForm
from core.history import history_entries
from core.imports import get_importer, import_jobs_interrupt_stale, preview_digest
from core.models import ImportJob
from core.tasks import import_job_confirm_run, import_job_create, import_job_rerun


class ChangeHistoryView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView
):
    """The history of a record and its child records, from django-simple-history."""

    any_permission_required = ["add", "change", "delete", "view"]
    template_name = "core/change_history.html"
    page_title = gettext_lazy("History")
    header_icon = "history"
    index_url_name = None
    edit_url_name = None
    history_url_name = None
    history_results_url_name = None
    results_only = False
    related_histories = ()
    paginate_by = 50

    def get_object(self):
        obj = super().get_object()
        check = getattr(self, "object_permission", None)
        if check and not check(self.request.user, obj):
            raise PermissionDenied
        return obj

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        items = []
        if self.index_url_name:
            items.append(
                {
                    "url": reverse(self.index_url_name),
                    "label": self.model._meta.verbose_name_plural,
                }
            )
        if self.edit_url_name:
            items.append(
                {
                    "url": reverse(self.edit_url_name, args=[self.object.pk]),
                    "label": str(self.object),
                }
            )
        items.append({"url": "", "label": self.get_page_title()})
        return self.breadcrumbs_items + items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = history_entries(self.object, related=self.related_histories)
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("p"))
        context.update(
            object=self.object,
            page_obj=page,
            entries=page.object_list,
            action_labels={
                "created": _("Created"),
                "changed": _("Changed"),
                "deleted": _("Deleted"),
                "action": _("Action"),
            },
        )
        return context


def import_template_response(importer):
    """The importer's empty template workbook as a download."""
    return FileResponse(
        io.BytesIO(importer.template_workbook()),
        as_attachment=True,
        filename=f"{importer.kind}-template.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class ImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a spreadsheet for one importer; shows the column template."""

    template_name = "core/import_form.html"
    form_class = ImportUploadForm
    kind = None
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        self.importer = get_importer(self.kind)
        if not request.user.has_perms(self.importer.permissions_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.importer.label)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.importer.index_url(), "label": self.importer.index_label},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        if request.GET.get("template") == "xlsx":
            return import_template_response(self.importer)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = self.importer.import_columns
        jobs = ImportJob.objects.filter(kind=self.kind, created_by=self.request.user)
        import_jobs_interrupt_stale(jobs)
        context["recent_jobs"] = jobs[:10]
        return context

    def form_valid(self, form):
        job = import_job_create(
            kind=self.kind,
            uploaded_file=form.cleaned_data["file"],
            user=self.request.user,
        )
        return redirect("core_import_job", pk=job.pk)


class ImportJobView(WagtailAdminTemplateMixin, TemplateView):
    """Progress and outcome of one import; polls itself while it runs."""

    template_name = "core/import_job.html"
    header_icon = "upload"
    page_title = gettext_lazy("Import")
    errors_per_page = 100

    def dispatch(self, request, *args, **kwargs):
        self.job = get_object_or_404(ImportJob, pk=kwargs["pk"])
        user = request.user
        if self.job.created_by_id != user.pk and not user.is_superuser:
            raise PermissionDenied
        # A job whose worker has gone silent is shown (and marked) failed.
        if import_jobs_interrupt_stale(ImportJob.objects.filter(pk=self.job.pk)):
            self.job.refresh_from_db()
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "status": self.job.status,
                    "status_display": self.job.get_status_display(),
                    "percent": self.job.percent,
                    "processed_rows": self.job.processed_rows,
                    "total_rows": self.job.total_rows,
                    "finished": self.job.is_settled,
                    "message": str(self.job.failure_message),
                }
            )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """Confirm the preview (``action=confirm``): write the file, once; or run
        an interrupted import again, with the same file, as a new job."""
        importer = get_importer(self.job.kind)
        if not request.user.has_perms(importer.permissions_required):
            raise PermissionDenied
        if request.POST.get("action") == "confirm":
            try:
                import_job_confirm_run(
                    self.job, user=request.user, seen=request.POST.get("seen")
                )
            except PermissionError as exc:
                raise PermissionDenied from exc
            # A replayed confirmation lands here too: the job shows what it did.
            return redirect("core_import_job", pk=self.job.pk)
        if not self.job.interrupted:
            raise PermissionDenied
        again = import_job_rerun(self.job, user=request.user)
        return redirect("core_import_job", pk=again.pk)

    def get_page_subtitle(self):
        return self.job.original_name

    def get_breadcrumbs_items(self):
        importer = get_importer(self.job.kind)
        return self.breadcrumbs_items + [
            {"url": importer.index_url(), "label": importer.index_label},
            {"url": "", "label": f"{self.page_title}: {self.job.original_name}"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        importer = get_importer(self.job.kind)
        errors = Paginator(self.job.errors, self.errors_per_page).get_page(
            self.request.GET.get("p")
        )
        context.update(
            job=self.job,
            importer=importer,
            back_url=importer.index_url(),
            errors_page=errors,
            preview_digest=preview_digest(self.job.preview),
        )
        return context


class SiteHistoryView(LogEntriesView):
    """Wagtail's site history, only for those its menu shows it to: page editors and
    administrators. Wagtail lists there the log of every model on which a user holds
    any one permission — a reviewer would read every review's log ("application ·
    reviewer"), an operator every base's stage moves. Served at Wagtail's own URL
    (config/urls.py puts it first)."""

    def dispatch(self, request, *args, **kwargs):
        root = policy_registry.get_by_type(Page).explorable_root_instance(request.user)
        if root is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def public_media(request, path):
    """/media/ in the development profile: Wagtail's images and nothing else
    (settings.PUBLIC_MEDIA_PREFIXES), read from the default storage (the disk under
    MEDIA_ROOT for `make run`, memory in the browser tests). Any other path —
    documents, import files, `images/../…` — is a 404, as if it did not exist."""
    import mimetypes
    import posixpath

    from django.core.files.storage import default_storage
    from django.http import Http404, HttpResponse

    clean = posixpath.normpath(path).lstrip("/")
    if ".." in clean.split("/") or not clean.startswith(
        tuple(settings.PUBLIC_MEDIA_PREFIXES)
    ):
        raise Http404
    if not default_storage.exists(clean):
        raise Http404
    # read whole (pictures of a few MB at most): a file in memory is one stream
    # shared by every reader, which two requests at once would interleave
    with default_storage.open(clean) as stored:
        content = stored.read()
    content_type = mimetypes.guess_type(clean)[0] or "application/octet-stream"
    return HttpResponse(content, content_type=content_type)


def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for without reading the page:
    a redirect to the platform's icon among the static files (core/static/core/img/),
    so the request never ends in a 404 page."""
    return redirect(static("core/img/favicon.ico"))
