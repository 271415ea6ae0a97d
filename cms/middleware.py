"""Middleware of the public site."""

from django.core.exceptions import DisallowedHost

from cms.selectors.site_tree import REQUEST_FACTS, site_for_request


class SiteLookupMiddleware:
    """Finds the Wagtail site of a request from `cms.selectors.site_tree` (read once
    per change of the site) instead of a query per request, and hands it to Wagtail
    where `Site.find_for_request` keeps it (`request._wagtail_site`). Requests to
    the admin are left to Wagtail. Every request gets its own `REQUEST_FACTS`
    (the private sections, read once per request), dropped when it ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = REQUEST_FACTS.set({})
        try:
            return self._call(request)
        finally:
            REQUEST_FACTS.reset(token)

    def _call(self, request):
        if not request.path.startswith("/admin/"):
            try:
                # only a host the platform serves (ALLOWED_HOSTS) is looked up and
                # kept: any other is refused further on, as before
                request.get_host()
            except DisallowedHost:
                pass
            else:
                request._wagtail_site = site_for_request(request)
        return self.get_response(request)
