"""A strict Content-Security-Policy on the curator pages, a second guard behind template escaping."""

from __future__ import annotations

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
# Django's admin and Ninja's API docs bring their own scripts, so the policy covers only our own pages.
PROTECTED_PREFIXES = ("/curate/", "/accounts/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PROTECTED_PREFIXES):
            response.setdefault("Content-Security-Policy", POLICY)
        return response
