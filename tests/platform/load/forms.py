"""What a browser would submit from a page's form: every field with its current value
(checked boxes, selected options, textareas, hidden inputs such as the CSRF token
and formset counters), ignoring disabled fields, buttons and the empty-form
<template>s of Wagtail's inline panels. Standard library only, so the load client
posts exactly the forms the admin renders."""

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._template_depth = 0
        self._select = None  # [name, multiple, options [(value, selected)]]
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template_depth += 1
            return
        if self._template_depth:
            return
        if tag == "form":
            self._form = {
                "id": attrs.get("id"),
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append((name, attrs.get("value") or "on"))
                return
            self._form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, "multiple" in attrs, []]
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, ""]
            self._select[2].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._template_depth = max(0, self._template_depth - 1)
            return
        if self._template_depth:
            return
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            values = [
                (value if value is not None else text.strip())
                for value, selected, text in options
                if selected
            ]
            if not values and not multiple and options:
                first = options[0]
                values = [first[0] if first[0] is not None else first[2].strip()]
            self._form["fields"].extend((name, v) for v in values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # the HTML parser keeps the newline that follows <textarea>
            self._form["fields"].append((name, text[1:] if text[:1] == "\n" else text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def page_forms(html):
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_fields(html, form_id=None, method="post"):
    """The fields of the page's form (by id, else the first form with `method`) as a
    dict of lists, as a browser would submit them."""
    for form in page_forms(html):
        if (form_id and form["id"] == form_id) or (
            not form_id and form["method"] == method
        ):
            data = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            return data
    raise LookupError(f"no form {form_id or method!r} on the page")
