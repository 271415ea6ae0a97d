"""Avatars drawn on this site: a coloured disc with the person's name, no Gravatar."""

import re
from base64 import b64encode

from django.utils.html import escape

# Calm colours with white text readable on each (contrast ≥ 4.5:1).
PALETTE = ["#1f4f8f", "#8c0d13", "#2e6b3f", "#6b4a8f", "#8a5a00", "#245f6b"]
_CJK = re.compile(r"[\u3400-\u9fff]")


def avatar_text(user):
    """The one or two characters an avatar shows, as Chinese office software does:
    a Chinese name of up to four characters its last two (周敏 → 周敏, 王小明 → 小明,
    欧阳娜娜 → 娜娜, 李 → 李), a longer one its first (系统管理员 → 系); a Latin
    name its initials (Ann Lee → AL); no name at all the first letter of the login,
    upper-cased."""
    family = (user.last_name or "").strip()
    given = (user.first_name or "").strip()
    name = f"{family}{given}"
    if _CJK.search(name):
        name = name.replace(" ", "")
        # A person's name (two to four characters) by its given name; a longer
        # one (an office, such as 系统管理员) by its first character.
        return name[-2:] if len(name) <= 4 else name[:1]
    initials = "".join(part[0] for part in (given, family) if part)
    return (initials or (user.get_username() or "?")[:1]).upper()


def avatar_data_url(user, size=50):
    """A data: URL of an SVG avatar (`size` px square) for the user: avatar_text on a
    colour chosen by the user's id. img-src allows data: (config/settings/base.py), so
    the page asks no other host for it (issue: the admin must work in mainland China,
    where Gravatar is unreachable)."""
    text = avatar_text(user)
    colour = PALETTE[(user.pk or 0) % len(PALETTE)]
    font = 20 if len(text) > 1 else 26
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 50 50" '
        f'width="{size}" height="{size}">'
        f'<rect width="50" height="50" fill="{colour}"/>'
        '<text x="25" y="25" dy=".35em" text-anchor="middle" fill="#fff" '
        f'font-size="{font}" font-family="PingFang SC, Microsoft YaHei, '
        f'Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif">{escape(text)}</text>'
        "</svg>"
    )
    return "data:image/svg+xml;base64," + b64encode(svg.encode()).decode()
