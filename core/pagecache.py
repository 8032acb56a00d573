"""Public pages served from the cache, never staler than the database.

A cached page is stored under a key made of what it shows: the page's path and language, today's date,
and the *versions* of the scopes it reads (``"site"``, ``"commune:12"``, ``"feedback:ABCD2345"``).
Every save or delete of a watched model gives its scopes a new version after the transaction commits
(``watch_app``), and bulk writes call ``bump`` themselves; a page stored under an older version is never
looked up again, so an officer's change is on the next request, on every web node sharing the cache.

The stored body is the page as an anonymous visitor sees it. What differs per request is filled in on
the way out: the CSRF token (rendered as ``CSRF_PLACEHOLDER``) and the *holes*, the parts a template
marks with ``{% hole "includes/_site_nav.html" %}`` (the account menu, the flash messages), rendered
again for a signed-in user or a request with messages. Everything else on a cached page must depend
only on its key: a view passes ``build``, a function of no request that returns the context, and
renders live whatever depends on the visitor (a submitter's own actions, a form with errors).

Responses carry an ETag and a Last-Modified and answer 304 to a matching conditional request.
Version tokens start with the time they were set, which gives Last-Modified without another read.

Turned off by ``PAGE_CACHE = False``; it must stay off when web processes do not share one cache (the
local-memory cache under several gunicorn workers), since a bump would reach only one of them.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from core import clock
from core.cache import breaker as cache_breaker

# What {% csrf_token %} writes into a body that is stored; the real token replaces it on every answer.
CSRF_PLACEHOLDER = "csrf-placeholder-4d1c9e0b7a6f"
_CSRF_BYTES = CSRF_PLACEHOLDER.encode()
HOLE_OPEN = "<!--hole:{name}-->"
HOLE_CLOSE = "<!--/hole-->"
_HOLE = re.compile(rb"<!--hole:([\w/.-]+)-->.*?<!--/hole-->", re.S)
# A stored page lives at most this long; it is found only while its versions and day are current.
MAX_AGE = 24 * 3600
KEY_PREFIX = "page:"
VERSION_PREFIX = "pagever:"

Scope = str


# --- Versions ---------------------------------------------------------------------------------------


def _new_token() -> str:
    # The time first (Last-Modified), then randomness: a version lost from the cache (evicted, Redis
    # restarted) starts again as a token no stored page was ever keyed by.
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


def _token_time(token: str) -> float:
    try:
        return int(token.split(".", 1)[0], 16) / 1e9
    except ValueError:
        return time.time()


# Bumps Redis could not take (core.cache's breaker open): a page stored before the outage would be
# current again once Redis is back, so this process sends them again at its first read after it.
_pending: set[Scope] = set()


def _versions_set(scopes: Iterable[Scope]) -> None:
    scopes = set(scopes)
    cache.set_many({VERSION_PREFIX + scope: _new_token() for scope in scopes}, timeout=None)
    if cache_breaker.is_open():  # the write failed, or was not even tried
        _pending.update(scopes)


def bump(*scopes: Scope) -> None:
    """Give ``scopes`` new versions now and again once the current transaction commits: a page rendered
    by a request that read the data just before the commit is stored under a version already gone."""
    if not scopes or not settings.PAGE_CACHE:
        return
    _versions_set(scopes)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _versions_set(scopes))


def versions(scopes: Iterable[Scope]) -> dict[Scope, str]:
    """The current version of each scope, one read; a scope without one gets a new one."""
    if _pending and not cache_breaker.is_open():
        retry = set(_pending)
        _pending.clear()
        _versions_set(retry)
    keys = [VERSION_PREFIX + scope for scope in scopes]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, _new_token(), timeout=None)
    if missing:
        # Another process may have added its own first; the stored one is the version.
        found.update(cache.get_many(missing))
        found.update({key: _new_token() for key in missing if key not in found})  # the cache is down
    return {key.removeprefix(VERSION_PREFIX): found[key] for key in keys}


# --- Watching models --------------------------------------------------------------------------------

# model -> the scopes a saved or deleted instance of it bumps
_watched: dict[type, Callable[[object], Iterable[Scope]]] = {}


def _site_scope(instance) -> tuple[Scope, ...]:
    return ("site",)


def watch_app(app_label: str, *, scopes: dict[type, Callable] | None = None, ignore: Iterable[type] = ()) -> None:
    """Every model of ``app_label`` bumps "site" when saved or deleted, except those in ``scopes``
    (model -> function of the instance giving its scopes) and those in ``ignore``: rows no cached page
    shows (survey responses, which pages read only through refreshed tallies), or rows written in bulk
    whose services call ``bump`` themselves. Receivers are connected per model, so the models left out
    keep Django's fast bulk delete (a delete signal with any receiver makes Django load every row)."""
    from django.apps import apps

    ignored = set(ignore)
    for model in apps.get_app_config(app_label).get_models():
        if model in ignored or hasattr(model, "instance_type"):  # history rows copy a save already seen
            continue
        _watched[model] = (scopes or {}).get(model, _site_scope)
        uid = f"core.pagecache.{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}")


def _changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        bump(*_watched[sender](instance))


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and type(instance) in _watched:
        bump(*_watched[type(instance)](instance))


# --- Serving ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """What ``build`` returns when the page changes by the clock within the day: its context and the
    moment (aware) it stops being true, e.g. when the one-stop shop opens or closes."""

    context: dict
    until: datetime.datetime | None = None
    template: str | None = None  # another template than the view's usual one (a "closed" page, say)


@dataclass(frozen=True)
class _Stored:
    body: bytes
    digest: str
    rendered_at: float
    expires_at: float
    has_form: bool


class _Recent:
    """The pages this process served last, by key: a hit then costs one read of the versions instead of
    also fetching and unpickling the body. Exact, since a key names the versions it was stored under."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self.pages: OrderedDict[str, _Stored] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, ident: str) -> _Stored | None:
        with self.lock:
            stored = self.pages.get(ident)
            if stored is not None:
                self.pages.move_to_end(ident)
            return stored

    def put(self, ident: str, stored: _Stored) -> None:
        with self.lock:
            if ident in self.pages:
                self.size -= len(self.pages.pop(ident).body)
            self.pages[ident] = stored
            self.size += len(stored.body)
            while self.size > self.max_bytes:
                self.size -= len(self.pages.popitem(last=False)[1].body)


_recent = _Recent(max_bytes=32 * 1024 * 1024)


def _as_page(built: dict | Page) -> Page:
    return built if isinstance(built, Page) else Page(built)


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # len() reads them without marking them shown


def _render_anonymous(request, template: str, context: dict) -> bytes:
    """The page as a visitor without an account or messages sees it, CSRF token left as a placeholder."""
    user, stored_messages = getattr(request, "user", None), getattr(request, "_messages", None)
    request.user = AnonymousUser()
    request._messages = ()
    try:
        html = render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request)
    finally:
        request.user = user
        if stored_messages is None:
            del request._messages
        else:
            request._messages = stored_messages
    return html.encode()


def _fill_holes(request, body: bytes) -> bytes:
    def render(match: re.Match) -> bytes:
        name = match.group(1).decode()
        inner = render_to_string(name, request=request)
        return f"{HOLE_OPEN.format(name=name)}{inner}{HOLE_CLOSE}".encode()

    return _HOLE.sub(render, body)


def _ident(template: str, language: str, full_path: str, key: str, current: dict[Scope, str]) -> str:
    parts = [
        settings.PAGE_CACHE_RELEASE,
        template,
        language,
        full_path,
        clock.today().isoformat(),  # what the selectors call "today" (tests move it)
        key,
        *(f"{scope}={version}" for scope, version in current.items()),
    ]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def _next_midnight(now: datetime.datetime) -> float:
    tomorrow = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), clock.VIETNAM)
    return tomorrow.timestamp()


def cached_page(
    request,
    template: str,
    build: Callable[[], dict | Page],
    *,
    scopes: Iterable[Scope],
    key: Iterable = (),
    query: Iterable[str] = (),
    fills: dict[str, Callable[[], str]] | None = None,
    finish: Callable | None = None,
) -> HttpResponse:
    """``template`` rendered with ``build()``'s context, from the cache while ``scopes`` keep their
    versions. ``key`` adds what else the page depends on; ``query`` names the query parameters the view
    reads (a request with any other is rendered live, so made-up query strings never fill the cache);
    ``fills`` maps placeholders in the body to values made fresh for each answer (a signed start time);
    ``finish(request, response)`` is done to every answer, whoever gives it (a cookie the page sets).

    The view must give a request without cookies this page as it is: FirstVisitMiddleware answers such
    requests for it later, with ``fills`` and ``finish``."""
    finish = finish or _unchanged
    cacheable = request.method in {"GET", "HEAD"} and set(request.GET) <= set(query)
    if not settings.PAGE_CACHE or not cacheable:
        page = _as_page(build())
        return finish(request, HttpResponse(render_to_string(page.template or template, page.context, request=request)))

    scopes = tuple(sorted(set(scopes)))
    current = versions(scopes)
    now = clock.now()
    full_path, key = request.get_full_path(), repr(tuple(key))
    ident = _ident(template, request.LANGUAGE_CODE, full_path, key, current)
    stored = _recent.get(ident)
    if stored is None:
        stored = cache.get(KEY_PREFIX + ident)
        if stored is not None:
            _recent.put(ident, stored)
    if stored is None or stored.expires_at <= now.timestamp():
        page = _as_page(build())  # may raise Http404: an error is never stored
        body = _render_anonymous(request, page.template or template, page.context)
        expires_at = min(_next_midnight(now), page.until.timestamp() if page.until else float("inf"))
        digest = hashlib.blake2b(body, digest_size=8).hexdigest()
        stored = _Stored(body, digest, time.time(), expires_at, has_form=_CSRF_BYTES in body)
        timeout = max(1, min(MAX_AGE, int(expires_at - time.time()) + 1))
        cache.set(KEY_PREFIX + ident, stored, timeout=timeout)
        _recent.put(ident, stored)

    messages = _has_messages(request)
    personal = messages or request.user.is_authenticated
    if not personal:
        _routes.remember(full_path, _Route(template, request.LANGUAGE_CODE, key, scopes, fills or {}, finish))
    return _answer(request, stored, current, personal=personal, messages=messages, fills=fills or {}, finish=finish)


def _unchanged(request, response):
    return response


def _answer(
    request, stored: _Stored, current: dict[Scope, str], *, personal: bool, messages: bool, fills: dict, finish
) -> HttpResponse:
    """The stored page as this request gets it: holes, token and fills made for it, or a 304."""
    body = _fill_holes(request, stored.body) if personal else stored.body
    # Only a page with a form asks for a CSRF token (and sets its cookie). The token on a page kept by
    # the browser stays valid while the browser's CSRF cookie is the same, so the ETag names the cookie
    # (a new one after sign-in) and, for a personal page, what the holes show.
    token = get_token(request) if stored.has_form else ""
    etag_parts = [stored.digest, request.META.get("CSRF_COOKIE", "") if token else ""]
    if personal:
        etag_parts.append(hashlib.blake2b(body, digest_size=8).hexdigest())
    etag = '"' + hashlib.blake2b("|".join(etag_parts).encode(), digest_size=12).hexdigest() + '"'
    last_modified = int(max([stored.rendered_at, *(_token_time(version) for version in current.values())]))

    response = None
    if not messages:  # messages are shown once, so never a 304 over them
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        if token:
            body = body.replace(_CSRF_BYTES, token.encode())
        for placeholder, value in fills.items():
            body = body.replace(placeholder.encode(), value().encode())
        response = HttpResponse(body)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Browsers keep the page and ask again each time (a 304 is cheap); shared caches keep nothing,
    # since the holes and the token are the visitor's.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return finish(request, response)


# --- First visits -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Route:
    """How a path's page is keyed, learnt when the page was last served the usual way."""

    template: str
    language: str
    key: str
    scopes: tuple[Scope, ...]
    fills: dict
    finish: Callable


class _Routes:
    def __init__(self, limit: int) -> None:
        self.limit, self.routes = limit, {}

    def remember(self, full_path: str, route: _Route) -> None:
        if len(self.routes) >= self.limit and full_path not in self.routes:
            self.routes.clear()  # bounded: a crawl of every unit's page starts the table over
        self.routes[full_path] = route

    def get(self, full_path: str) -> _Route | None:
        return self.routes.get(full_path)


_routes = _Routes(limit=20_000)


class FirstVisitMiddleware:
    """Answers a GET that carries no cookie at all (a first visit, a crawler, a link opened from a
    message) with this process's copy of the page, before sessions, authentication, messages, CSRF and
    the URL resolver run. Such a request can only be an anonymous visitor without messages, and the
    paths learnt here are those whose views gave a cookie-less GET the cached page as it is; so the
    answer is the stored body, found under the versions read now (one read of the cache), exactly as
    the view would find it, with the page's fills and finish and, for a form, a new CSRF token and its
    cookie. Anything else, or a page not in this process's copy, goes the usual way."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.COOKIES or request.method not in {"GET", "HEAD"} or not settings.PAGE_CACHE:
            return self.get_response(request)
        full_path = request.get_full_path()
        route = _routes.get(full_path)
        if route is None:
            return self.get_response(request)
        current = versions(route.scopes)
        stored = _recent.get(_ident(route.template, route.language, full_path, route.key, current))
        if stored is None or stored.expires_at <= clock.now().timestamp():
            return self.get_response(request)
        response = _answer(
            request, stored, current, personal=False, messages=False, fills=route.fills, finish=route.finish
        )
        # What the middleware below this one would have done to the usual answer.
        response["Content-Language"] = route.language
        response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        patch_vary_headers(response, ("Accept-Language",))
        return _csrf_cookie(request, response)


_csrf = CsrfViewMiddleware(_unchanged)


def _csrf_cookie(request, response):
    """The CSRF cookie a token given on this answer needs, set as CsrfViewMiddleware (further down the
    stack, so not run here) sets it."""
    return _csrf.process_response(request, response)
