"""A trainee's certificates (/me/certificates/), the PDF, and the public verification page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from certificates import selectors
from certificates.models import Certificate
from certificates.pdf import render_certificate_pdf
from certificates.services import normalize_code


@login_required
def me_certificates(request):
    return render(request, "certificates/me_certificates.html", {"certificates": selectors.certificates_of(request.user.pk)})


@login_required
def certificate_pdf(request, certificate_id: int):
    """The holder's own certificate; trainers and the holder's administrators may open it too."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or not selectors.may_download(request.user, certificate):
        raise Http404
    if certificate.revoked_at is not None:
        return render(request, "certificates/verify.html", {"revoked": certificate}, status=410)
    response = HttpResponse(render_certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"certificate-{certificate.code}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


def certificate_verify(request, code: str):
    """Public: name, certificate, date and issuer — nothing else about the holder."""
    certificate = Certificate.objects.filter(code=normalize_code(code)).first()
    if certificate is None:
        return render(request, "certificates/verify.html", {"missing": True}, status=404)
    if certificate.revoked_at is not None:
        return render(request, "certificates/verify.html", {"revoked": certificate}, status=410)
    return render(request, "certificates/verify.html", {"certificate": certificate})
