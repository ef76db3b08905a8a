"""Content-Security-Policy: the college's own pages run only the scripts and styles it serves itself.

The strict policy (settings.CONTENT_SECURITY_POLICY) holds everywhere a trainee goes: no inline script,
no inline style, nothing from another host. Wagtail's and Django's admin still write inline `<script>`
data blocks and `style=""` attributes, so under their prefixes the policy also allows inline code —
never another host. django-csp builds the header; this only picks the per-path update.
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

# Staff-only back offices whose third-party templates need inline script and style.
INLINE_PREFIXES = ("/admin/", "/django-admin/")
INLINE_UPDATE = {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE]}


class CollegeCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.update is None and request.path_info.startswith(INLINE_PREFIXES):
            parts.update = INLINE_UPDATE
        return parts
