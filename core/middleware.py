"""The visitor's language: the language cookie's choice, else Chinese."""

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


def request_language(request):
    """The visitor's language: the language cookie's if supported, else Chinese."""
    supported = {code for code, _name in settings.LANGUAGES}
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in supported else settings.LANGUAGE_CODE


class DefaultLanguageMiddleware(MiddlewareMixin):
    """Chinese unless the visitor chose otherwise.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the
    platform is Chinese by default. A visitor's choice (the language cookie set by
    `set_language`) wins; in the admin, Wagtail applies each user's preferred language.
    """

    def process_request(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
