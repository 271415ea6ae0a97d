"""The blocks of a call's own application form (`Call.application_form`).

A call asks, beyond the standard fields of every application (title, requested
amount, budget lines, target region and beneficiaries, attachments, linked
projects), its own questions: one block each, of five kinds — text, number,
choice, table and file — each with a label, whether it is required and a help
text. The form is versioned (`funding.models.CallFormVersion`): an application
keeps the blocks it was written against and its answers keyed by block id, so a
later change of the form never alters a submitted application.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks

#: The block kinds, in the order the form builder offers them.
KINDS = ("text", "number", "choice", "table", "file")


class QuestionBlock(blocks.StructBlock):
    """What every question has: its label, whether it must be answered, a help text."""

    label = blocks.CharBlock(label=_("Question"), max_length=200)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=300)


class TextQuestionBlock(QuestionBlock):
    multiline = blocks.BooleanBlock(
        label=_("Several lines"), required=False, default=True
    )

    class Meta:
        icon = "pilcrow"
        label = pgettext_lazy("form question", "Text")


class NumberQuestionBlock(QuestionBlock):
    unit = blocks.CharBlock(
        label=_("Unit"), required=False, max_length=20, help_text=_("e.g. 人, 元, 场")
    )

    class Meta:
        icon = "order"
        label = pgettext_lazy("form question", "Number")


class ChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=100), label=_("Choices"), min_num=2
    )

    class Meta:
        icon = "list-ul"
        label = pgettext_lazy("form question", "Choice")


class TableQuestionBlock(QuestionBlock):
    columns = blocks.ListBlock(
        blocks.CharBlock(max_length=50), label=_("Columns"), min_num=1
    )
    rows = blocks.IntegerBlock(label=_("Rows"), min_value=1, max_value=20, default=5)

    class Meta:
        icon = "table"
        label = pgettext_lazy("form question", "Table")


class FileQuestionBlock(QuestionBlock):
    class Meta:
        icon = "doc-full"
        label = pgettext_lazy("form question", "File")


class ApplicationFormBlock(blocks.StreamBlock):
    text = TextQuestionBlock()
    number = NumberQuestionBlock()
    choice = ChoiceQuestionBlock()
    table = TableQuestionBlock()
    file = FileQuestionBlock()

    class Meta:
        required = False


def list_values(raw):
    """The items of a ListBlock as stored in a version's raw JSON: Wagtail stores
    `[{"type": "item", "value": …, "id": …}]` (older data: plain values)."""
    return [item["value"] if isinstance(item, dict) else item for item in raw or []]
