"""ETags on the API's reads: a client that sends If-None-Match with the tag it holds gets 304 and no
body (a phone on a metered connection re-reads a list for nothing). Django's ConditionalGetMiddleware,
applied to the API's paths only: the site's pages carry a CSP nonce, so their bodies never repeat."""

from __future__ import annotations

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_vary_headers

API_PREFIXES = ("/api/", "/open311/")


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith(API_PREFIXES):
            return response
        # What a response says depends on the language asked and on who asks: a shared cache must not
        # give an officer's list to the public, nor a Vietnamese message to an English app.
        patch_vary_headers(response, ("Accept-Language", "Cookie", "X-Session-Token", "Authorization"))
        return super().process_response(request, response)
