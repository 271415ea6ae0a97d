"""Listing filters of many choices (a region, a call) that stay cheap to draw.

Django's `ModelChoiceFilter` builds one model instance per option and draws
each `<option>` through two templates: for the 2,000 calls of a national
deployment that is most of a listing's time. `ValuesModelChoiceFilter` reads
only the columns of its labels (no instance) and `Select` writes the same
HTML as Django's `select.html` in Python. What the filter accepts and returns
is unchanged: the option values are the primary keys, and the cleaned value is
the model instance, fetched by Django's `ModelChoiceField` (one query, when
the filter is used)."""

import html

import django_filters
from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime


class Select(forms.Select):
    """A `<select>` written by Python (named as Django's, so Wagtail's field
    classes — `w-field--select` — stay as they were), the same HTML as Django's
    `django/forms/widgets/select.html` and `select_option.html` (flat choices;
    option groups and a multiple select are drawn by the templates, as before).
    The options are written straight from the choices, without Django's
    per-option dictionaries (`optgroups`): a select of the 2,000 calls of a
    national deployment is drawn once per listing page."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        # Django's Widget context (attrs, the value as a list of str), without
        # ChoiceWidget's optgroups
        context = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = context["value"]
        parts = [
            f'<select name="{conditional_escape(name)}"{attrs_html(context["attrs"])}>'
        ]
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                # an option group: Django's templates draw the whole select
                return super().render(name, value, attrs, renderer)
            if option_value is None:
                option_value = ""
            text = str(option_value)
            selected = not has_selected and text in chosen
            has_selected |= selected
            parts.append(
                f'\n  <option value="{template_text(text)}"'
                f"{' selected' if selected else ''}>{template_text(option_label)}</option>\n"
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


def template_text(value):
    """The HTML `{{ value }}` writes in a template: a plain str escaped as
    `escape` does (the common case, without the checks); anything else (a
    number, a date, a safe string) localized, then `conditional_escape`d. A
    str; None gives "None", as the template does."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(localize(template_localtime(value)))


def attrs_html(attrs):
    """The HTML of a dict of attributes as Django's `attrs.html` and Wagtail's
    `shared/attrs.html` write it: ` name="value"` (both escaped), ` name` for
    True, nothing for False; a str."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(
                f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
            )
    return "".join(out)


class _ValuesChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The choices of a `ModelChoiceField`: the empty choice, then
    (primary key, label) read with `values_list` — no model instances."""

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        rows = self.queryset.values_list("pk", *field.label_fields)
        for pk, *values in rows:
            yield (pk, field.label_from_values(*values))


class ModelChoiceField(django_filters.fields.ModelChoiceField):
    # named as django-filters' field: Wagtail's `w-field--model_choice_field`
    iterator = _ValuesChoiceIterator

    def __init__(self, *args, label_fields=(), label_from_values=None, **kwargs):
        self.label_fields = tuple(label_fields)
        self.label_from_values = label_from_values
        super().__init__(*args, **kwargs)


class ValuesModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A `ModelChoiceFilter` whose options are read as values: `label_fields`
    (field paths, e.g. ("name", "parent__name")) and `label_from_values` (a
    callable taking those values in that order and returning the option's
    label, which must equal `str(instance)`). Drawn by `Select`. The
    filter's value, as for `ModelChoiceFilter`, is the chosen instance."""

    field_class = ModelChoiceField

    def __init__(self, *args, label_fields, label_from_values, **kwargs):
        kwargs.setdefault("widget", Select)
        super().__init__(
            *args,
            label_fields=label_fields,
            label_from_values=label_from_values,
            **kwargs,
        )
