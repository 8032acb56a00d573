"""Template helpers every app's pages share. They format what the template gives them; none queries."""

from __future__ import annotations

from django import template

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
