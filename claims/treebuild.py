"""mwparserfromhell's node tree, built from its tokenizer's tokens with less work per node.

The library's builder creates every node through its public constructor, whose property
setters pass each part through `parse_anything` (which imports four modules on every call) and
check values the tokenizer has already checked. On an article that is about a third of the
parse. `parse_wikitext` builds the same tree (the same node types with the same fields) by
setting the fields the setters would set.

The fields are the library's own private names, so the builder checks itself once, on first
use, against the library's builder on a sample that holds every kind of node; when the trees
differ (another version of the library) it is not used, and every parse goes through the
library's builder as before.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.nodes.extras import Attribute, Parameter
from mwparserfromhell.parser import ParserError, tokens
from mwparserfromhell.parser.builder import _HANDLERS, Builder
from mwparserfromhell.smart_list import SmartList
from mwparserfromhell.wikicode import Wikicode

try:
    from mwparserfromhell.parser._tokenizer import CTokenizer as _Tokenizer
except ImportError:  # the library without its C tokenizer
    from mwparserfromhell.parser.tokenizer import Tokenizer as _Tokenizer

_new = object.__new__


def _code(nodes: list[Node]) -> Wikicode:
    return Wikicode(SmartList(nodes))


def _text(value: str) -> Text:
    node = _new(Text)
    node._value = value
    return node


class _Builder(Builder):
    """The library's builder with the nodes of templates, parameters, links, headings,
    comments, arguments and tags made field by field."""

    def _handle_token(self, token: Any) -> Node:
        handler = _FAST.get(type(token))
        if handler is None:
            return super()._handle_token(token)
        return handler(self, token)

    def _pop(self) -> Wikicode:
        return Wikicode(SmartList(self._stacks.pop()))

    def _handle_parameter(self, default: int) -> Parameter:
        key = None
        showkey = False
        stacks = self._stacks
        stacks.append([])
        pending = self._tokens
        while pending:
            token = pending.pop()
            kind = type(token)
            if kind is tokens.TemplateParamEquals:
                key = self._pop()
                showkey = True
                stacks.append([])
            elif kind is tokens.TemplateParamSeparator or kind is tokens.TemplateClose:
                pending.append(token)
                value = self._pop()
                if key is None:
                    key = _code([_text(str(default))])
                param = _new(Parameter)
                param._name = key
                param._value = value
                param._showkey = showkey
                return param
            else:
                stacks[-1].append(self._handle_token(token))
        raise ParserError("_handle_parameter() missed a close token")

    def _handle_template(self, token: Any) -> Template:
        name = None
        params: list[Parameter] = []
        default = 1
        stacks = self._stacks
        stacks.append([])
        pending = self._tokens
        while pending:
            token = pending.pop()
            kind = type(token)
            if kind is tokens.TemplateParamSeparator:
                if not params:
                    name = self._pop()
                param = self._handle_parameter(default)
                params.append(param)
                if not param._showkey:
                    default += 1
            elif kind is tokens.TemplateClose:
                if not params:
                    name = self._pop()
                node = _new(Template)
                node._name = name
                node._params = params
                return node
            else:
                stacks[-1].append(self._handle_token(token))
        raise ParserError("_handle_template() missed a close token")

    def _until(self, close: type, separator: type | None) -> tuple[Wikicode | None, Wikicode]:
        """The node lists before and after the separator, up to the closing token."""
        first = None
        stacks = self._stacks
        stacks.append([])
        pending = self._tokens
        while pending:
            token = pending.pop()
            kind = type(token)
            if kind is separator:
                first = self._pop()
                stacks.append([])
            elif kind is close:
                return first, self._pop()
            else:
                stacks[-1].append(self._handle_token(token))
        raise ParserError(f"missed a {close.__name__} token")

    def _handle_wikilink(self, token: Any) -> Wikilink:
        title, rest = self._until(tokens.WikilinkClose, tokens.WikilinkSeparator)
        node = _new(Wikilink)
        if title is None:
            node._title, node._text = rest, None
        else:
            node._title, node._text = title, rest
        return node

    def _handle_argument(self, token: Any) -> Argument:
        name, rest = self._until(tokens.ArgumentClose, tokens.ArgumentSeparator)
        node = _new(Argument)
        if name is None:
            node._name, node._default = rest, None
        else:
            node._name, node._default = name, rest
        return node

    def _handle_heading(self, token: Any) -> Heading:
        level = int(token.level)
        if not 1 <= level <= 6:
            return super()._handle_heading(token)  # the library's own refusal
        _, title = self._until(tokens.HeadingEnd, None)
        node = _new(Heading)
        node._title = title
        node._level = level
        return node

    def _handle_comment(self, token: Any) -> Comment:
        _, contents = self._until(tokens.CommentEnd, None)
        node = _new(Comment)
        node._contents = str(contents)
        return node

    def _handle_external_link(self, token: Any) -> ExternalLink:
        brackets = token.brackets
        suppress_space = None
        url = None
        stacks = self._stacks
        stacks.append([])
        pending = self._tokens
        while pending:
            token = pending.pop()
            kind = type(token)
            if kind is tokens.ExternalLinkSeparator:
                url = self._pop()
                suppress_space = token.suppress_space
                stacks.append([])
            elif kind is tokens.ExternalLinkClose:
                node = _new(ExternalLink)
                rest = self._pop()
                node._url, node._title = (rest, None) if url is None else (url, rest)
                node._brackets = bool(brackets)
                node.suppress_space = suppress_space is True
                return node
            else:
                stacks[-1].append(self._handle_token(token))
        raise ParserError("_handle_external_link() missed a close token")

    def _handle_tag(self, token: Any) -> Tag:
        tag = None
        padding = None
        implicit, contents, closing_tag = False, None, None
        attrs: list[Attribute] = []
        wiki_markup, invalid = token.wiki_markup, token.invalid or False
        wiki_style_separator, closing_wiki_markup = None, wiki_markup
        stacks = self._stacks
        stacks.append([])
        pending = self._tokens
        while pending:
            token = pending.pop()
            kind = type(token)
            if kind is tokens.TagAttrStart:
                attrs.append(self._handle_attribute(token))
            elif kind is tokens.TagCloseOpen:
                wiki_style_separator = token.wiki_markup
                padding = token.padding or ""
                tag = self._pop()
                stacks.append([])
            elif kind is tokens.TagOpenClose:
                closing_wiki_markup = token.wiki_markup
                contents = self._pop()
                stacks.append([])
            elif kind is tokens.TagCloseSelfclose or kind is tokens.TagCloseClose:
                if kind is tokens.TagCloseSelfclose:
                    closing_wiki_markup = token.wiki_markup
                    tag = self._pop()
                    self_closing = True
                    padding = token.padding or ""
                    implicit = token.implicit or False
                else:
                    self_closing = False
                    closing_tag = self._pop()
                if padding and not padding.isspace():
                    raise ValueError("padding must be entirely whitespace")
                node = _new(Tag)
                node._tag = node._closing_tag = tag
                node._contents = contents if contents is not None else _code([])
                node._attrs = attrs
                node._wiki_markup = str(wiki_markup) if wiki_markup else None
                node._closing_wiki_markup = node._wiki_markup
                node._self_closing = self_closing
                node._invalid = bool(invalid)
                node._implicit = bool(implicit)
                node._padding = padding or ""
                if closing_tag is not None:
                    node._closing_tag = closing_tag
                node._wiki_style_separator = (
                    str(wiki_style_separator) if wiki_style_separator else None
                )
                if closing_wiki_markup is not None:
                    node._closing_wiki_markup = (
                        str(closing_wiki_markup) if closing_wiki_markup else None
                    )
                return node
            else:
                stacks[-1].append(self._handle_token(token))
        raise ParserError("_handle_tag() missed a close token")


_FAST: dict[type, Any] = {
    **_HANDLERS,
    tokens.Text: lambda self, token: _text(token.text),
    tokens.TemplateOpen: _Builder._handle_template,
    tokens.ArgumentOpen: _Builder._handle_argument,
    tokens.WikilinkOpen: _Builder._handle_wikilink,
    tokens.ExternalLinkOpen: _Builder._handle_external_link,
    tokens.HeadingStart: _Builder._handle_heading,
    tokens.CommentStart: _Builder._handle_comment,
    tokens.TagOpenOpen: _Builder._handle_tag,
}

# a sample with every kind of node the builder makes, each in the shapes it takes
_SAMPLE = """== Heading ==
=== Sub <!-- note --> ===
{{Infobox|name = The '''name'''|2|[[link]]|{{inner|a|b=c}}|  spaced  = value }}
{{bare}} {{{argument}}} {{{argument|default}}} [[Title]] [[Title|its ''text'']]
[http://example.org titled link] [http://example.org] http://bare.example.org
<ref name="a" group=note>cited</ref> <ref name=b /> <br> <br/> <small>small</small>
<span style='color: red' class="x" data-y>span</span> ''italic'' '''bold''' &nbsp; &#160; &#x2014;
{| class="wikitable"
|+ caption
! header !! second
|- style="x"
| cell || cell2
| colspan=2 | wide
|}
* item
# numbered
; term : definition
----
"""


def _fields(item: Any) -> Any:
    """The node tree as plain values: each node's type with its fields, recursively."""
    if isinstance(item, Wikicode):
        return [_fields(node) for node in item.nodes]
    if isinstance(item, list):
        return [_fields(value) for value in item]
    if isinstance(item, (Node, Parameter, Attribute)):
        slots = sorted(vars(item).items())
        return (type(item).__name__, [(name, _fields(value)) for name, value in slots])
    return item


@cache
def _agrees() -> bool:
    """Whether this builder makes the library's tree on the sample (the same fields)."""
    try:
        fast = _Builder().build(_Tokenizer().tokenize(_SAMPLE, 0, False))
        return str(fast) == _SAMPLE and _fields(fast) == _fields(mwparserfromhell.parse(_SAMPLE))
    except Exception:  # any failure means: use the library's builder
        return False


def parse_wikitext(text: str) -> Wikicode:
    """`mwparserfromhell.parse(text)`, the same tree built with less work per node."""
    if not _agrees():
        return mwparserfromhell.parse(text)
    return _Builder().build(_Tokenizer().tokenize(text, 0, False))
