from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class DefaultLanguageMiddleware(MiddlewareMixin):
    """Chinese unless the visitor chose otherwise.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the
    platform is Chinese by default. A visitor's choice (the language cookie set by
    `set_language`) wins; in the admin, Wagtail applies each user's preferred language.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
