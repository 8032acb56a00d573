"""Middleware for the machine-readable paths: the API, its sign-in (allauth headless) and Open311."""

from __future__ import annotations

from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIXES = ("/api/", "/open311/", "/_allauth/")


class ApiLanguageMiddleware:
    """The language an app asks for with Accept-Language (or the site's language cookie). The pages'
    LocaleMiddleware reads the language from the path only (Vietnamese pages have no prefix, English ones
    live under /en/), which would answer every app in Vietnamese; placed after it, this one decides for
    the API's paths."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIXES):
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """ETags on the API's reads: a client that sends If-None-Match with the tag it holds gets 304 and no
    body (a phone on a metered connection re-reads a list for nothing). Django's ConditionalGetMiddleware,
    applied to the API's paths only: the site's pages carry a CSP nonce, so their bodies never repeat."""

    def process_response(self, request, response):
        if not request.path.startswith(API_PREFIXES):
            return response
        # What a response says depends on the language asked and on who asks: a shared cache must not
        # give an officer's list to the public, nor a Vietnamese message to an English app.
        patch_vary_headers(response, ("Accept-Language", "Cookie", "X-Session-Token", "Authorization"))
        return super().process_response(request, response)
