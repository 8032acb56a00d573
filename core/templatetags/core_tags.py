"""Template helpers every app's pages share. They format what the template gives them; none queries."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe

from core.pagecache import HOLE_CLOSE, HOLE_OPEN

register = template.Library()


def _link(item) -> tuple[str, str]:
    """A place with a page of its own (a unit: its name and public page), or a (label, url) pair."""
    if hasattr(item, "get_absolute_url"):
        return str(item), item.get_absolute_url()
    label, url = item
    return label, url


@register.inclusion_tag("includes/_trail.html")
def breadcrumbs(*trail, current, home: bool = True) -> dict:
    """The breadcrumbs of a page: Home (unless ``home`` is false), the links of ``trail``, then ``current``.

    Each item of ``trail`` is a place (an object with ``get_absolute_url``), a list of places or of
    (label, url) pairs (a unit's ``parents``, a view's ``crumbs``), or a label followed by its url:
    ``{% breadcrumbs commune.parents commune _("Feedback") feedback_url current=item.display_code %}``.
    """
    links: list[tuple[str, str]] = []
    items = list(trail)
    while items:
        item = items.pop(0)
        if hasattr(item, "get_absolute_url"):
            links.append(_link(item))
        elif isinstance(item, list | tuple):
            links.extend(_link(each) for each in item)
        else:
            links.append((item, items.pop(0)))
    return {"home": home, "links": links, "current": current}


@register.simple_tag(takes_context=True)
def hole(context, template_name: str):
    """``template_name`` included, marked as a part that differs per visitor (the account menu, the flash
    messages): a page served from the cache renders it again for each signed-in visitor (core/pagecache.py).
    The included template must need nothing but what every page has (the request and context processors)."""
    inner = context.template.engine.get_template(template_name).render(context)
    return mark_safe(f"{HOLE_OPEN.format(name=template_name)}{inner}{HOLE_CLOSE}")  # noqa: S308  (rendered by a template, which escaped it)


@register.filter
def language_links(request) -> list[dict]:
    """The page in each language the portal speaks: code, local name, URL, and whether it is this one."""
    current = translation.get_language()
    path = request.get_full_path() if request else "/"  # an error page may render without a request
    return [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"],
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
