"""The public objection form of a 公示 (any visitor, no login): GET shows the form
with a new one-time token, POST sends it through
`funding.services.public_objections.objection_submit_public`. Only for a notice a
live public page publishes (`notice_is_public`); any other id answers 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from funding.errors import FundingError
from funding.forms import PublicObjectionForm
from funding.models import PublicNotice
from funding.selectors.documents import notice_is_public
from funding.services.public_objections import (
    ObjectionAlreadyReceived,
    notice_objection_awards,
    notice_objection_refusal,
    objection_form_token,
    objection_submit_public,
)


@method_decorator(never_cache, name="dispatch")
class PublicObjectionView(TemplateView):
    template_name = "funding/public_objection.html"

    def dispatch(self, request, *args, **kwargs):
        self.notice = get_object_or_404(
            PublicNotice.objects.select_related("call__fund"), pk=kwargs["pk"]
        )
        if not notice_is_public(self.notice):
            raise Http404
        self.page = self.notice.pages.live().public().first()
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        initial = {"token": objection_form_token(self.notice)}
        return PublicObjectionForm(
            data, initial=initial, awards=notice_objection_awards(self.notice)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        refusal = notice_objection_refusal(self.notice)
        context.update(
            notice=self.notice,
            notice_page=self.page,
            refusal=refusal,
            sent=self.request.GET.get("sent") == "1",
        )
        if "form" not in context and not refusal:
            context["form"] = self.form()
        return context

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection_submit_public(
                    self.notice,
                    award=data["award"],
                    objector=data["objector"],
                    contact=data["contact"],
                    content=data["content"],
                    address=request.META.get("REMOTE_ADDR", ""),
                    token=data["token"],
                )
            except ObjectionAlreadyReceived:
                return redirect(self.sent_url())
            except FundingError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, " ".join(exc.messages))
            else:
                return redirect(self.sent_url())
        if not form.errors:  # pragma: no cover - every path above sets one
            form.add_error(None, _("The objection could not be sent."))
        # A new token for the corrected form: the refused one stored nothing.
        form.data = form.data.copy()
        form.data["token"] = objection_form_token(self.notice)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def sent_url(self):
        url = reverse("funding_public_objection", args=[self.notice.pk])
        return f"{url}?sent=1"
