"""The public surface of `certificates` for the apps above it: growth lists them on the growth page and
issues the annual 学时证明 when a trainee's recomputed year reaches the target."""

from certificates.models import Certificate
from certificates.selectors import certificates_of
from certificates.services import certificate_for_annual_target

__all__ = ["Certificate", "certificate_for_annual_target", "certificates_of"]
