"""Post to an action that asks for confirmation, and confirm it as the user would:
the first POST shows the summary (nothing written), the second posts what the page
holds, the token of the summary included."""

import re

TOKEN = re.compile(r'name="confirm_token" value="([0-9a-f]+)"')


def confirmation_token(response):
    """The token of the confirmation page `response` shows, or None."""
    match = TOKEN.search(response.content.decode())
    return match.group(1) if match else None


def post_confirmed(client, url, data=None, **extra):
    """POST `data` to `url`; when the answer is a confirmation page, POST again
    with its token (as pressing "Yes" does). Returns the last response."""
    data = dict(data or {})
    response = client.post(url, data, **extra)
    token = confirmation_token(response) if response.status_code == 200 else None
    if token is None:
        return response
    return client.post(url, {**data, "confirm_token": token}, **extra)
