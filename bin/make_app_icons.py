"""The installable app's icons, drawn from static/img/emblem.svg's shapes (Pillow renders no SVG).

Run from the project after changing the emblem: .venv/bin/python bin/make_app_icons.py
"any": the round emblem on a transparent square, as the site shows it.
"maskable": the emblem's red filling the square, the ring and star inside the central safe circle
(radius 40% of the side), so a launcher's circle, squircle or rounded square never cuts them.
"""

from pathlib import Path

from PIL import Image, ImageDraw

RED = "#b3261e"
GOLD = "#f6c445"
STAR = [
    (32, 12),
    (37.3, 28.3),
    (54, 28.3),
    (40.1, 38.3),
    (45.4, 54.7),
    (32, 44.6),
    (18.6, 54.7),
    (23.9, 38.3),
    (10, 28.3),
    (26.7, 28.3),
]
SUPERSAMPLE = 4
OUT = Path("static/root/icons")


def emblem(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), RED if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    # The SVG's 64-unit box: the whole square, or (maskable) the outer circle (r=31) fitted to the safe zone.
    scale = big / 64 if not maskable else (0.40 * big) / 31
    offset = big / 2 - 32 * scale

    def at(x: float, y: float) -> tuple[float, float]:
        return offset + x * scale, offset + y * scale

    def circle(r: float):
        (x0, y0), (x1, y1) = at(32 - r, 32 - r), at(32 + r, 32 + r)
        return [x0, y0, x1, y1]

    if not maskable:
        draw.ellipse(circle(31), fill=RED)
    draw.ellipse(circle(26), fill=GOLD)  # the ring: 2 units wide around r=25
    draw.ellipse(circle(24), fill=RED)
    draw.polygon([at(x, y) for x, y in STAR], fill=GOLD)
    return image.resize((size, size), Image.Resampling.LANCZOS)


OUT.mkdir(parents=True, exist_ok=True)
for size in (192, 512):
    emblem(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    emblem(size, maskable=True).save(OUT / f"icon-maskable-{size}.png", optimize=True)
print(sorted(p.name for p in OUT.iterdir()))
