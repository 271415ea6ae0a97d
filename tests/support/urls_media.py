"""The platform's URLs with /media/ served as the development profile serves it
(`core.views.public_media`): for the browser tests, whose pages then show their
images read from the test storage (memory)."""

import re

from django.conf import settings
from django.urls import re_path

from config.urls import urlpatterns as platform_urlpatterns
from core.views import public_media

urlpatterns = [
    re_path(
        r"^%s(?P<path>.*)$" % re.escape(settings.MEDIA_URL.lstrip("/")), public_media
    ),
    *platform_urlpatterns,
]
