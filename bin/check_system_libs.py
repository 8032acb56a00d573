"""Say which Debian packages to install when WeasyPrint's system libraries are missing.

The portal runs without them; only the PDF certificates need them. So this warns and does not stop.
"""

import sys

PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core"

try:
    import weasyprint  # noqa: F401
except OSError as error:
    print(
        "WARNING: WeasyPrint cannot load a system library, so PDF certificates will not work.\n"
        f"  ({error})\n"
        f"  On Debian or Ubuntu: sudo apt-get install {PACKAGES}",
        file=sys.stderr,
    )
