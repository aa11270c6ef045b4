"""
Line drawings of what each demo article is about (a spine, a neck, a desk, a bed…), laid over
its calm gradient so that no two demo pictures look alike and each suits its topic. Drawn with
Pillow on the small canvas of seed_demo.abstract_image, in translucent white.
"""

import math

# What each motif shows, for the articles' alt text.
DESCRIPTIONS = {
    "spine": "a curving column of vertebrae, like a spine seen from the side",
    "neck": "a head and neck in profile above the shoulders",
    "phone": "a head bent down over a phone",
    "desk": "a desk with a screen raised on a stand and a chair",
    "bed": "a bed with a pillow under a crescent moon",
    "breath": "rings spreading out like a slow breath",
    "stretch": "a figure stretching both arms overhead",
    "plank": "a figure holding a plank on a mat",
    "lift": "a figure lifting a box close to the body, knees bent",
    "sunrise": "a sun rising over the horizon",
    "heat-ice": "a sun and a snowflake side by side",
    "clinic": "a rounded medical cross in a circle",
}


def draw(motif, draw, size, fill):
    """Draw `motif` with ImageDraw `draw` on a canvas of `size` in colour `fill`."""
    width, height = size
    unit = height / 10
    cx, cy = width * 0.68, height * 0.5
    line = max(2, round(unit * 0.35))

    def figure(x, y, scale=1.0):
        """A head and a body from the neck at (x, y)."""
        r = unit * 0.9 * scale
        draw.ellipse((x - r, y - 2.2 * r, x + r, y - 0.2 * r), fill=fill)

    if motif == "spine":
        for i in range(9):
            t = i / 8
            x = cx + unit * 1.2 * math.sin(t * math.pi * 1.6 - 0.4)
            y = height * 0.12 + t * height * 0.74
            w, h = unit * (1.1 + t * 0.9), unit * 0.55
            draw.rounded_rectangle((x - w, y, x + w, y + h), radius=h / 2, fill=fill)
    elif motif in ("neck", "phone"):
        tilt = 0.0 if motif == "neck" else 0.7
        shoulders = (cx - unit * 3.4, height * 0.84, cx + unit * 3.4, height * 1.5)
        draw.ellipse(shoulders, fill=fill)
        for i in range(4):
            x = cx + math.sin(tilt) * unit * (3 - i) * 0.7
            y = height * 0.74 - i * unit * 0.75
            draw.rounded_rectangle(
                (x - unit * 0.6, y, x + unit * 0.6, y + unit * 0.5), radius=unit * 0.2, fill=fill
            )
        hx, hy = cx + math.sin(tilt) * unit * 3.2, height * 0.74 - unit * 3.6 + tilt * unit
        draw.ellipse(
            (hx - unit * 1.6, hy - unit * 1.9, hx + unit * 1.6, hy + unit * 1.3), fill=fill
        )
        if motif == "phone":
            px, py = hx + unit * 1.8, hy + unit * 2.6
            draw.rounded_rectangle(
                (px - unit * 0.5, py - unit * 0.9, px + unit * 0.5, py + unit * 0.9),
                radius=unit * 0.2,
                outline=fill,
                width=line,
            )
    elif motif == "desk":
        top = height * 0.62
        draw.rectangle((cx - unit * 4, top, cx + unit * 3, top + unit * 0.4), fill=fill)
        draw.rectangle((cx - unit * 3.6, top, cx - unit * 3.2, height * 0.95), fill=fill)
        draw.rectangle((cx + unit * 2.2, top, cx + unit * 2.6, height * 0.95), fill=fill)
        screen = (cx - unit * 1.8, height * 0.18, cx + unit * 1.4, height * 0.42)
        draw.rounded_rectangle(screen, radius=unit * 0.2, outline=fill, width=line)
        draw.rectangle((cx - unit * 0.4, height * 0.42, cx, top), fill=fill)
        draw.rectangle((cx - unit * 1.1, top - unit * 0.9, cx + unit * 0.7, top), fill=fill)
        seat_x = cx + unit * 4.4
        draw.rectangle(
            (seat_x - unit * 1.2, height * 0.68, seat_x + unit, height * 0.72), fill=fill
        )
        draw.rectangle((seat_x + unit * 0.6, height * 0.36, seat_x + unit, height * 0.7), fill=fill)
        draw.rectangle(
            (seat_x - unit * 0.2, height * 0.72, seat_x + unit * 0.2, height * 0.95), fill=fill
        )
    elif motif == "bed":
        base = (cx - unit * 4.5, height * 0.62, cx + unit * 3.5, height * 0.78)
        draw.rounded_rectangle(base, radius=unit * 0.3, fill=fill)
        draw.rectangle((cx - unit * 4.5, height * 0.4, cx - unit * 4, height * 0.92), fill=fill)
        draw.rectangle((cx + unit * 3, height * 0.55, cx + unit * 3.5, height * 0.92), fill=fill)
        draw.ellipse((cx - unit * 3.8, height * 0.5, cx - unit * 1.6, height * 0.64), fill=fill)
        mx, my, r = cx + unit * 2, height * 0.2, unit * 1.1
        draw.ellipse((mx - r, my - r, mx + r, my + r), fill=fill)
        cut = (mx - r * 0.4, my - r * 1.2, mx + r * 1.6, my + r * 0.8)
        draw.ellipse(cut, fill=(255, 255, 255, 0))  # The crescent: a bite out of the moon.
    elif motif == "breath":
        for i in range(1, 5):
            r = unit * 1.1 * i
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=fill, width=line)
    elif motif == "stretch":
        neck = (cx, height * 0.38)
        figure(*neck, scale=1.1)
        hip = (cx, height * 0.7)
        draw.line((neck, hip), fill=fill, width=line * 2)
        for side in (-1, 1):
            draw.line((neck, (cx + side * unit * 1.6, height * 0.08)), fill=fill, width=line)
            draw.line((hip, (cx + side * unit * 1.4, height * 0.96)), fill=fill, width=line)
    elif motif == "plank":
        draw.rounded_rectangle(
            (cx - unit * 5, height * 0.82, cx + unit * 4, height * 0.88),
            radius=unit * 0.2,
            fill=fill,
        )
        shoulder, ankle = (cx - unit * 2.6, height * 0.56), (cx + unit * 3.4, height * 0.76)
        draw.line((shoulder, ankle), fill=fill, width=line * 2)
        draw.line((shoulder, (cx - unit * 2.6, height * 0.8)), fill=fill, width=line)
        r = unit * 0.9
        hx, hy = cx - unit * 3.6, height * 0.47
        draw.ellipse((hx - r, hy - r, hx + r, hy + r), fill=fill)
    elif motif == "lift":
        neck = (cx - unit * 0.8, height * 0.36)
        figure(*neck)
        hip = (cx - unit * 0.2, height * 0.62)
        draw.line((neck, hip), fill=fill, width=line * 2)
        knee = (cx + unit * 1.2, height * 0.76)
        draw.line((hip, knee, (cx + unit * 0.2, height * 0.95)), fill=fill, width=line)
        box = (cx + unit * 0.4, height * 0.46, cx + unit * 2.6, height * 0.66)
        draw.rectangle(box, outline=fill, width=line)
        draw.line((neck, (cx + unit * 0.6, height * 0.52)), fill=fill, width=line)
    elif motif == "sunrise":
        horizon = height * 0.72
        r = unit * 2.4
        draw.pieslice((cx - r, horizon - r, cx + r, horizon + r), 180, 360, fill=fill)
        for i in range(7):
            angle = math.pi + math.pi * (i + 0.5) / 7
            start = (cx + math.cos(angle) * r * 1.3, horizon + math.sin(angle) * r * 1.3)
            end = (cx + math.cos(angle) * r * 1.8, horizon + math.sin(angle) * r * 1.8)
            draw.line((start, end), fill=fill, width=line)
        draw.rectangle((cx - unit * 5, horizon, cx + unit * 5, horizon + line), fill=fill)
    elif motif == "heat-ice":
        sx, r = cx - unit * 2.8, unit * 1.3
        draw.ellipse((sx - r, cy - r, sx + r, cy + r), fill=fill)
        for i in range(8):
            angle = math.tau * i / 8
            start = (sx + math.cos(angle) * r * 1.35, cy + math.sin(angle) * r * 1.35)
            end = (sx + math.cos(angle) * r * 1.9, cy + math.sin(angle) * r * 1.9)
            draw.line((start, end), fill=fill, width=line)
        fx, length = cx + unit * 3.2, unit * 2.2
        for i in range(3):
            angle = math.pi * i / 3
            dx, dy = math.cos(angle) * length, math.sin(angle) * length
            draw.line(((fx - dx, cy - dy), (fx + dx, cy + dy)), fill=fill, width=line)
    elif motif == "clinic":
        r = unit * 3.2
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=fill, width=line)
        arm, thick = unit * 2, unit * 0.7
        draw.rounded_rectangle(
            (cx - thick, cy - arm, cx + thick, cy + arm), radius=thick / 2, fill=fill
        )
        draw.rounded_rectangle(
            (cx - arm, cy - thick, cx + arm, cy + thick), radius=thick / 2, fill=fill
        )
    else:
        raise ValueError(f"no motif called {motif!r}")
