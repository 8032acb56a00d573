"""The page the installed app shows for a page it never saved while the network is gone.

The service worker (static/root/sw.js) fetches it, in each language, when it installs, without the
visitor's cookies, and shows it in place of any page it has no copy of. It says what still works
offline; static/js/offline.js lists the pages saved on the device.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def offline(request):
    return render(request, "offline.html")
