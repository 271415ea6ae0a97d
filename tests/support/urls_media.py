"""The platform's URLs with /media/ served as the development profile serves it
(`config.urls.media_urlpatterns`): for the browser tests, whose pages then show
their images read from the test storage (memory)."""

from config.urls import media_urlpatterns
from config.urls import urlpatterns as platform_urlpatterns

urlpatterns = [*media_urlpatterns(), *platform_urlpatterns]
