"""The one StreamField block set shared by every page body."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "h3", "h4"]


class BaseStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label="小标题", form_classname="title", icon="title")
    paragraph = blocks.RichTextBlock(label="段落", features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = ImageChooserBlock(label="图片")
    quote = blocks.BlockQuoteBlock(label="引文")
    document = DocumentChooserBlock(label="附件")

    class Meta:
        label = "正文"
