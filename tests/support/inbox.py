"""Reading the dashboard's task inbox as a user sees it: each line's text and links."""

from bs4 import BeautifulSoup
from django.urls import reverse


def inbox_lines(client):
    """The inbox of the client's dashboard: a list of dicts with `label` (e.g.
    "待评审 2"), `text` (the whole line, whitespace collapsed), `href` (the line's
    link) and `items` (the (text, href) of the records listed under it); [] when
    the panel says nothing waits."""
    page = client.get(reverse("wagtailadmin_home"))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content.decode(), "html.parser")
    panel = soup.find(id="inbox-section")
    assert panel is not None, "no inbox panel on the dashboard"
    lines = []
    for task in panel.select('[data-testid="inbox-task"]'):
        label = task.select_one('[data-testid="inbox-label"]')
        lines.append(
            {
                "label": " ".join(label.get_text(" ").split()),
                "text": " ".join(task.get_text(" ").split()),
                "href": label["href"],
                "items": [
                    (" ".join(a.get_text(" ").split()), a["href"])
                    for a in task.select(".inbox__items a")
                ],
            }
        )
    return lines


def inbox_empty_text(client):
    """The words the panel shows when nothing waits ("" when something does)."""
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    empty = BeautifulSoup(page, "html.parser").select_one('[data-testid="inbox-empty"]')
    return empty.get_text(strip=True) if empty else ""
