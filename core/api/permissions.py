"""The API asks the same rules as the pages (each app's rules.py): a view names its rule per method
and the object it is about; nothing here decides who may do what."""

from __future__ import annotations

from rest_framework.permissions import BasePermission


class Rule(BasePermission):
    """``rules = {"GET": VIEW_X, "POST": DO_Y}`` on the view (a method left out is open to all), and
    ``rule_object(self)`` returning the object the rule is asked about (None: no object)."""

    def has_permission(self, request, view) -> bool:
        rule = getattr(view, "rules", {}).get(request.method if request.method != "HEAD" else "GET")
        if rule is None:
            return True
        rule_object = view.rule_object() if hasattr(view, "rule_object") else None
        return request.user.has_perm(rule, rule_object)


class KeyScope(BasePermission):
    """For endpoints that systems call with an API key: ``key_scope = "dossier_statistics"`` on the view.
    The key must hold that scope (and the view checks the key's province against the object)."""

    def has_permission(self, request, view) -> bool:
        key = request.auth
        return bool(key is not None and getattr(key, "allows", None) and key.allows(view.key_scope))
