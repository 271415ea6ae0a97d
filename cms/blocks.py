"""StreamField blocks for the editor's stories: text, images and quotes."""

import re
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock

#: Names cameras, phones and scanners give files: IMG_20240315_0932, DSC01234,
#: 微信图片_2024…, Screenshot 2024-…, or any name ending in an image extension.
FILE_NAME = re.compile(
    r"^(img|dsc|dscn|dcim|pxl|mvimg|screenshot|image|photo|微信图片|截图)[\s_\-]*[\d_\-\s]*$"
    r"|\.(jpe?g|png|gif|webp|heic|bmp|tiff?|svg)$",
    re.IGNORECASE,
)


def is_file_name(text, image=None):
    """True when `text` is a file name rather than a description: the image's
    own title or file name (which Wagtail offers as the default alt text), or a
    name like IMG_20240315_0932 or photo.jpg."""
    text = (text or "").strip()
    if not text:
        return False
    if image is not None:
        names = {(getattr(image, "title", "") or "").strip()}
        file = getattr(getattr(image, "file", None), "name", "") or ""
        if file:
            names |= {PurePath(file).name, PurePath(file).stem}
        if text in names:
            return True
    return bool(FILE_NAME.search(text))


class DescribedImageBlock(ImageBlock):
    """Wagtail's image block (alt text, or "decorative"), refusing a file name
    as alt text: an informative image needs words that say what it shows
    (GB/T 37668-2019, WCAG 2.1 1.1.1)."""

    def clean(self, value):
        value = super().clean(value)
        if (
            value
            and not value.decorative
            and is_file_name(value.contextual_alt_text, value)
        ):
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _(
                            "This is the file name, not a description: say what "
                            "the picture shows, or mark it as decorative."
                        )
                    )
                }
            )
        return value


class CaptionedImageBlock(blocks.StructBlock):
    image = DescribedImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(
        label=_("attribution"),
        required=False,
        max_length=120,
        help_text=_(
            "Who said it, e.g. 社工站负责人 or 受益村民. Do not give a phone number."
        ),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cms/blocks/quote.html"


class StoryBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        icon="title",
        max_length=80,
        template="cms/blocks/heading.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul"],
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
