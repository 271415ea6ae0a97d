"""Middleware of the public site."""

from cms.selectors.site_tree import site_for_request


class SiteLookupMiddleware:
    """Finds the Wagtail site of a request from `cms.selectors.site_tree` (read once
    per change of the site) instead of a query per request, and hands it to Wagtail
    where `Site.find_for_request` keeps it (`request._wagtail_site`). Requests to
    the admin are left to Wagtail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/admin/"):
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)
