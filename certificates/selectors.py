"""Reads of certificates: a trainee's own, an administrator's subtree, who may open a PDF."""

from certificates.models import Certificate
from orgs.api import in_scope, is_trainer


def certificates_of(user_id: int) -> list[Certificate]:
    """A trainee's certificates, newest first (revoked ones included: the page says so)."""
    return list(Certificate.objects.filter(user_id=user_id).order_by("-issued_on", "-pk"))


def certificates_in_scope(user):
    """Certificates whose holder lies in `user`'s subtree (all for superusers; none for others)."""
    return Certificate.objects.filter(in_scope(user, "user__profile__organization__path"))


def may_download(user, certificate: Certificate) -> bool:
    """The holder, trainers, and the administrators whose subtree holds the holder."""
    return (certificate.user_id == user.pk or is_trainer(user)
            or certificates_in_scope(user).filter(pk=certificate.pk).exists())
