"""The client's address behind a reverse proxy.

Behind nginx, REMOTE_ADDR is the proxy's address: every visitor would share one
login-failure counter per (account, address) (core/login_lock.py) and the history would
record the proxy. With TRUSTED_PROXY_HOPS = n (the number of proxies that append to
X-Forwarded-For), the n-th address from the right of that header is the client's:
the ones further left were sent by the client and cannot be trusted.
"""

from django.conf import settings


class ForwardedForMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
        if hops:
            forwarded = [
                a.strip()
                for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if a.strip()
            ]
            if len(forwarded) >= hops:
                request.META["REMOTE_ADDR"] = forwarded[-hops]
        return self.get_response(request)
