"""What a reader of a served page sees."""

import re


def visible_text(response):
    """The text of `response`'s HTML as a reader sees it: scripts and styles
    dropped, tags removed, runs of white space made one space."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
