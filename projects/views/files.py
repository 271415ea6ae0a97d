"""Downloads of private files (evidence, pairing agreements) for those who may see
them, and of public evidence for anyone."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from core.uploads import file_response
from projects.models import OutcomeEvidence, Pairing
from projects.permissions import evidence_public, pairing_visible
from projects.views.reports import visible_report


class PrivateFileView(View):
    """Any private file (evidence or pairing agreement) by its stored name, for
    users who may see the report or pairing it belongs to."""

    def get(self, request, name):
        evidence = OutcomeEvidence.objects.filter(file=name).first()
        if evidence is not None:
            visible_report(request, evidence.report_id)
            stored = evidence.file
        else:
            pairing = get_object_or_404(Pairing, agreement=name)
            if not request.user.has_perm("projects.view_pairing"):
                raise PermissionDenied
            if not pairing_visible(request.user, pairing):
                raise Http404
            stored = pairing.agreement
        return file_response(stored)


class EvidenceFileView(View):
    """Evidence files are private: only users who may see the report get them."""

    def get(self, request, pk):
        evidence = get_object_or_404(OutcomeEvidence, pk=pk)
        visible_report(request, evidence.report_id)
        return file_response(evidence.file)


class PublicEvidenceFileView(View):
    """The public may download evidence marked public once its report is approved
    (projects.permissions.evidence_public), and only that: any other file
    answers 404, as if it did not exist."""

    def get(self, request, pk):
        evidence = get_object_or_404(evidence_public(), pk=pk)
        return file_response(evidence.file)
