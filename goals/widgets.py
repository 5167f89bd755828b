"""
Widgets written in Python: the same HTML as Django's templates for them
(django/forms/widgets/*.html), without a template render each. A page with a
form per program (the approval page: a hundred at 500 indicators) spent a
sixth of its time rendering these through the template engine. BoundField
still decides every attribute (id, aria-invalid, aria-describedby, maxlength).
"""

import html

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def escaped(text):
    """conditional_escape without its lazy-string wrapper, which costs more
    than the escaping where pages write tens of thousands of values."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def attributes(attrs):
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for
    True, nothing for False."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in attrs.items() if value is not False)


class PlainTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        text = conditional_escape(widget["value"]) if widget["value"] else ""
        return mark_safe(f'<textarea name="{conditional_escape(widget["name"])}"'
                         f'{attributes(widget["attrs"])}>\n{text}</textarea>')
