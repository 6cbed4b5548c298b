"""Wikitext to plain text, keeping the way back to the markup.

The article is parsed once with mwparserfromhell. `render` turns a node tree into plain text and
records, for every piece of that text, where it came from in the wikitext, so a sentence found in
the plain text can be traced to its exact character offsets in the article. References, flags
and headings are kept as zero-width marks at their place in the plain text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.nodes.extras import Attribute, Parameter
from mwparserfromhell.wikicode import Wikicode

from claims.errors import ArticleError
from claims.knowledge import load_data, lowered_set
from claims.treebuild import parse_wikitext


def max_nesting() -> int:
    """How deep markup may nest (`max_nesting` of `data/wikitext.toml`)."""
    return rules().max_nesting


def nesting_problem(what: str = "markup") -> str:
    """The one-line reason an article nested too deep is refused (`what`: "markup", or
    "templates", which nest to `max_template_nesting`)."""
    limit = rules().max_template_nesting if what == "templates" else max_nesting()
    return f"is nested too deeply ({what} more than {limit} levels deep)"


def parse(text: str, name: str = "<text>") -> Wikicode:
    """Parse wikitext into mwparserfromhell's node tree (the one parse of an article).

    Markup left open is ended where MediaWiki ends it (see `_repaired`), so that one unclosed
    `<small>` or `\'\'\'` does not swallow the fields of a template or the cells of a table.
    Raises `ArticleError` (naming `name`) when markup nests deeper than `max_nesting()`: the
    parser, the renderer and the walks recurse once per level.
    """
    try:
        if any(mask in text for mask in _MASKS.values()):
            code = parse_wikitext(text)  # text that holds the masks is read as it is
            repaired = code
        else:
            unopened = _hopeless_openers(text, name)
            code = parse_wikitext(unopened)
            if nesting(code) > max_nesting():
                raise ArticleError(name, nesting_problem())
            repaired = _repaired(unopened, code, masked=unopened is not text)
    except RecursionError:  # the parser's own recursion: far deeper than the limit
        raise ArticleError(name, nesting_problem()) from None
    if repaired is not code and nesting(repaired) > max_nesting():
        raise ArticleError(name, nesting_problem())
    return repaired


def nesting(code: Wikicode) -> int:
    """How many levels of nodes (templates, arguments, tags, links, headings) hold one another
    at the deepest point of a tree, counted without recursion."""
    deepest = 0
    todo: list[tuple[Wikicode, int]] = [(code, 0)]
    while todo:
        wikicode, depth = todo.pop()
        deepest = max(deepest, depth)
        inner = depth + 1
        for node in wikicode.nodes:
            kind = type(node)
            if kind is Text:
                continue
            if kind is Template:
                todo.append((node.name, inner))
                todo.extend((param.value, inner) for param in node.params)
                todo.extend((param.name, inner) for param in node.params if param.showkey)
            elif kind is Tag:
                if node.contents is not None:
                    todo.append((node.contents, inner))
                for attr in node.attributes:
                    todo.append((attr.name, inner))
                    if attr.value is not None:
                        todo.append((attr.value, inner))
            elif kind is Argument:
                todo.append((node.name, inner))
                if node.default is not None:
                    todo.append((node.default, inner))
            elif kind is Wikilink:
                todo.append((node.title, inner))
                if node.text is not None:
                    todo.append((node.text, inner))
            elif kind is ExternalLink:
                todo.append((node.url, inner))
                if node.title is not None:
                    todo.append((node.title, inner))
            elif kind is Heading:
                todo.append((node.title, inner))
    return deepest


# -- the wikitext of a node ----------------------------------------------------------------------
#
# `str()` of a node builds the text of everything under it, so a walk that takes the text (or
# the length) of each node at each depth builds every leaf's text once per level above it.
# `wikitext` builds a node's text from its children's, each built once and kept on the object.
# A tree is never changed after `parse` but by `parse` itself, which forgets what it kept.

_KEPT = "_counterclaim_wikitext"
_generation = 0  # bumped when `parse` changes a tree's text: what was kept before is stale


def wikitext(item: Node | Wikicode | Parameter | Attribute) -> str:
    """The wikitext of a node, parameter, attribute or node list: `str(item)`, built once."""
    if type(item) is Text:
        return item.value
    kept = getattr(item, "__dict__", None)
    if kept is None:  # a string, or None
        return str(item)
    found = kept.get(_KEPT)
    if found is not None and found[0] == _generation:
        return found[1]
    text = _built(item)
    kept[_KEPT] = (_generation, text)
    return text


def _built(item: Node | Wikicode | Parameter | Attribute) -> str:
    """`str(item)` as mwparserfromhell writes it, from the children's `wikitext`."""
    if isinstance(item, Wikicode):
        return "".join([wikitext(node) for node in item.nodes])
    if isinstance(item, Template):
        name = wikitext(item.name)
        if item.params:
            return "{{" + name + "|" + "|".join([wikitext(p) for p in item.params]) + "}}"
        return "{{" + name + "}}"
    if isinstance(item, Parameter):
        if item.showkey:
            return wikitext(item.name) + "=" + wikitext(item.value)
        return wikitext(item.value)
    if isinstance(item, Wikilink):
        if item.text is not None:
            return "[[" + wikitext(item.title) + "|" + wikitext(item.text) + "]]"
        return "[[" + wikitext(item.title) + "]]"
    if isinstance(item, Tag):
        return _tag_text(item)
    if isinstance(item, Attribute):
        result = item.pad_first + wikitext(item.name) + item.pad_before_eq
        if item.value is not None:
            result += "=" + item.pad_after_eq
            if item.quotes:
                return result + item.quotes + wikitext(item.value) + item.quotes
            return result + wikitext(item.value)
        return result
    if isinstance(item, ExternalLink):
        if item.brackets:
            if item.title is not None:
                gap = "" if item.suppress_space is True else " "
                return "[" + wikitext(item.url) + gap + wikitext(item.title) + "]"
            return "[" + wikitext(item.url) + "]"
        return wikitext(item.url)
    if isinstance(item, Heading):
        return ("=" * item.level) + wikitext(item.title) + ("=" * item.level)
    if isinstance(item, Argument):
        start = "{{{" + wikitext(item.name)
        if item.default is not None:
            return start + "|" + wikitext(item.default) + "}}}"
        return start + "}}}"
    return str(item)  # text, comments, entities: no children


def _tag_text(tag: Tag) -> str:
    attrs = "".join([wikitext(a) for a in tag.attributes]) if tag.attributes else ""
    if tag.wiki_markup:
        padding = tag.padding or ""
        separator = tag.wiki_style_separator or ""
        if tag.self_closing:
            return tag.wiki_markup + attrs + padding + separator
        close = tag.closing_wiki_markup or ""
        return tag.wiki_markup + attrs + padding + separator + wikitext(tag.contents) + close
    result = ("</" if tag.invalid else "<") + wikitext(tag.tag) + attrs
    if tag.self_closing:
        return result + tag.padding + (">" if tag.implicit else "/>")
    result += tag.padding + ">" + wikitext(tag.contents)
    return result + "</" + wikitext(tag.closing_tag) + ">"


# -- markup left open --------------------------------------------------------------------------
#
# MediaWiki splits a template's parameters at every "|" and a table's cells at every "||" or
# new line starting with "|" or "!" before it reads any HTML tag, and ends bold and italics at
# the end of their line; a tag left open is then closed at the end of its parameter or cell.
# mwparserfromhell reads a tag first: an unclosed `<small>` whose closing tag comes fields later
# holds every field in between, and an unclosed `{{small|` takes the infobox's own `}}`, which
# leaves the infobox unread. Such an opener is masked (its characters replaced, so that every
# offset stays the same), the text parsed again and the opener's characters put back, as text.

MAX_REPAIRS = 4  # rounds of masking and parsing again (each round can uncover another opener)
_MASKS = {"<": "\ue000", "'": "\ue001", "{": "\ue002", "|": "\ue003", "[": "\ue004"}  # private use
_UNMASK = str.maketrans({v: k for k, v in _MASKS.items()})
_BRACES = re.compile(r"<!--.*?(?:-->|$)|\{\{\{|\}\}\}|\{\{|\}\}|\n[ \t]*\|", re.S)
_TEMPLATE_OPEN = re.compile(r"\{\{(?!\{)")
_NAME_END = re.compile(r"[|}\n]")
_TEMPLATE_BRACES = re.compile(r"<!--.*?(?:-->|$)|\{\{\{|\}\}\}|\{\{|\}\}", re.S)
_OWN_PIPES = re.compile(r"\{\{|\}\}|\[\[|\]\]|\|")


_BRACE_RUNS = re.compile(r"<!--.*?(?:-->|$)|\{\{+|\}\}+", re.S)


def _brace_pairs(text: str) -> tuple[list[tuple[int, int]], int]:
    """The brace runs of a text that no closer closes, as (offset, braces left open), and how
    deep the closed templates nest, read as MediaWiki's preprocessor reads brace runs: a
    closing run closes the innermost open run, three braces for an argument when both have
    three, else two for a template, until either has fewer than two left."""
    stack: list[list[int]] = []  # [offset, braces still open]
    edges: list[tuple[int, int]] = []  # (offset, +1 at a template's opening, -1 at its end)
    for run in _BRACE_RUNS.finditer(text):
        mark = run.group()
        if mark.startswith("<!--"):
            continue
        if mark[0] == "{":
            stack.append([run.start(), len(mark)])
            continue
        left, at = len(mark), run.start()
        while left >= 2 and stack:
            top = stack[-1]
            used = 3 if min(top[1], left) >= 3 else 2
            top[1] -= used
            if used == 2:
                edges.append((top[0] + top[1], 1))
                edges.append((at + 2, -1))
            at += used
            left -= used
            if top[1] < 2:
                stack.pop()
    depth = deepest = 0
    for _at, step in sorted(edges, key=lambda e: (e[0], e[1])):
        depth += step
        deepest = max(deepest, depth)
    return [(offset, count) for offset, count in stack], deepest


def _hopeless_openers(text: str, name: str = "<text>") -> str:
    """The text with the `{{` that no `}}` closes masked, when there are more such runs than
    markup may nest (`max_nesting`): MediaWiki reads them as text, and mwparserfromhell,
    which tries each as a template to the end of the text, would take time quadratic in
    their number. A few are left for `_repaired`, which reads an infobox left open.

    Raises `ArticleError` when the templates that are closed nest deeper than
    `max_template_nesting`: the parser gives up on templates past its own depth limit and
    leaves them as text, so the tree would not show how deep the text nests, and the same
    markup would read one way in the article and another in a part of it."""
    masks: list[tuple[int, int]] = []
    if "{{" in text:
        unclosed, deepest = _brace_pairs(text)
        if deepest > rules().max_template_nesting:
            raise ArticleError(name, nesting_problem("templates"))
        if len(unclosed) > max_nesting():
            masks.extend(unclosed)
    left_open = _unclosed_markup(text)
    if len(left_open) > max_nesting():
        masks.extend((at, 1) for at in left_open)
    if not masks:
        return text
    chars = list(text)
    for at, count in masks:
        for i in range(at, at + count):
            chars[i] = _MASKS[chars[i]]
    return "".join(chars)


_OPEN_MARKUP = re.compile(
    r"(?P<comment><!--)|(?P<uncomment>-->)"
    r"|<(?P<close>/)?(?P<tag>[A-Za-z][\w:-]*)(?=[\s/>])[^<>]*?(?P<alone>/)?>"
    r"|(?P<link>\[)(?=(?:https?:|ftp:|//|mailto:|news:|irc:))",
    re.S | re.I,
)


def _unclosed_markup(text: str) -> list[int]:
    """The offsets of the `<` of tags and comments and the `[` of bracketed external links that
    nothing closes: a tag with no closing tag of its name after it (tags of one name paired
    innermost first), a comment with no `-->`, a link with no `]` on its line. Tags that stand
    alone (`lone_tags`) and self-closed tags are never open. Linear in the text."""
    if "<" not in text and "[" not in text:
        return []
    lone = rules().lone_tags
    open_tags: dict[str, list[int]] = {}
    found: list[int] = []
    links: list[int] = []
    comment: int | None = None  # where the comment being read opened
    for mark in _OPEN_MARKUP.finditer(text):
        if comment is not None:
            if mark.group("uncomment"):
                comment = None
            continue
        if mark.group("comment"):
            comment = mark.start()
        elif mark.group("link"):
            links.append(mark.start())
        elif (tag := mark.group("tag")) is not None:
            tag = tag.lower()
            if tag in lone or mark.group("alone"):
                continue
            stack = open_tags.setdefault(tag, [])
            if not mark.group("close"):
                stack.append(mark.start())
            elif stack:
                stack.pop()
    if comment is not None:  # no `-->` after it: every `<!--` from here on is left open
        at = comment
        while at != -1:
            found.append(at)
            at = text.find("<!--", at + 4)
    for stack in open_tags.values():
        found.extend(stack)
    if links:
        closers = [m.start() for m in re.finditer(r"\]", text)]
        breaks = [m.start() for m in re.finditer(r"\n", text)]
        for at in links:
            closer = bisect.bisect_left(closers, at)
            line_end = bisect.bisect_left(breaks, at)
            end = breaks[line_end] if line_end < len(breaks) else len(text)
            if closer == len(closers) or closers[closer] > end:
                found.append(at)
    return sorted(found)


def _repaired(text: str, code: Wikicode, *, masked: bool = False) -> Wikicode:
    """`code` parsed again with the openers of markup left open masked (see above); `text`
    (its wikitext) may hold masks already (`masked`), which are put back as text too."""
    original = masked_text = text
    for _ in range(MAX_REPAIRS):
        openers = _crossing_openers(code) + _unclosed_templates(masked_text, code)
        if not openers:
            break
        chars = list(masked_text)
        for start, length in openers:
            for i in range(start, start + length):
                chars[i] = _MASKS.get(chars[i], chars[i])
        masked_text = "".join(chars)
        code = parse_wikitext(masked_text)
    if masked_text is not original or masked:
        global _generation
        _generation += 1  # the text of the tree changes: forget what was kept of it
        for node in code.filter_text(recursive=True):
            if any(mask in node.value for mask in _MASKS.values()):
                node.value = node.value.translate(_UNMASK)
    return code


def template_name(node: Template) -> str:
    """A template's name as matched against the data files: lower case, spaces, no namespace."""
    name = wikitext(node.name)
    if "<!--" in name:
        name = re.sub(r"<!--.*?(-->|$)", "", name, flags=re.S)
    name = " ".join(name.replace("_", " ").split()).lower()
    if name.startswith("template:"):
        name = name[9:].strip()
    return name


def param_spans(node: Template, start: int) -> Iterator[tuple[str, Wikicode, int]]:
    """Each parameter of a template as (name, value, offset of the value in the article)."""
    pos = start + 2 + len(wikitext(node.name))
    for param in node.params:
        pos += 1  # the "|"
        value_start = pos + (len(wikitext(param.name)) + 1 if param.showkey else 0)
        yield wikitext(param.name).strip(), param.value, value_start
        pos += len(wikitext(param))


def tag_contents_start(node: Tag, start: int) -> int:
    """Offset of a tag's contents in the article, counted from its opening markup (short)
    rather than from the whole tag (whose text can be long and is costly to build)."""
    attrs = sum(len(wikitext(a)) for a in node.attributes) if node.attributes else 0
    padding = len(node.padding or "")
    if node.wiki_markup:
        separator = len(node.wiki_style_separator or "")
        return start + len(node.wiki_markup) + attrs + padding + separator
    return start + 1 + len(wikitext(node.tag)) + attrs + padding + 1


def tag_attr(node: Tag, name: str) -> str:
    """The value of a tag attribute (case-insensitive), stripped, or ""."""
    for attr in node.attributes:
        if wikitext(attr.name).strip().lower() == name:
            return str(attr.value or "").strip().strip("\"'").strip()
    return ""


def walk(
    code: Wikicode,
    offset: int = 0,
    depth: int = 0,
    descend: Callable[[Node, str], bool] | None = None,
) -> Iterator[tuple[Node, int, int]]:
    """Every node of the tree, depth first, with its (start, end) offsets in the article.

    `descend(node, node_text)` can prune the walk: children of a node are visited only when it
    returns True (the text is passed so that callers need not render the node again).
    """
    limit = rules().max_nesting
    if depth > limit:
        return
    # one list of pending node lists, not one generator per level: a node deep in the tree
    # is handed straight to the caller rather than through every level above it
    stack: list[list] = [[iter(code.nodes), offset, depth]]
    while stack:
        level = stack[-1]
        nodes, pos, level_depth = level
        for node in nodes:
            text = wikitext(node)
            end = pos + len(text)
            yield node, pos, end
            if not isinstance(node, Text) and (descend is None or descend(node, text)):
                children = list(_children(node, pos))
                if children and level_depth < limit:
                    level[1] = end
                    inner = level_depth + 1
                    stack.extend([iter(c.nodes), start, inner] for c, start in reversed(children))
                    break
            pos = end
        else:
            stack.pop()


def wikilinks(code: Wikicode) -> list[Wikilink]:
    """Every wiki link of the tree, in the order of `code.filter_wikilinks()` (depth first,
    a node before its children), without the generator per node that filter builds."""
    found: list[Wikilink] = []
    stack: list[Iterator[Node]] = [iter(code.nodes)]
    while stack:
        for node in stack[-1]:
            kind = type(node)
            if kind is Text:
                continue
            if kind is Wikilink:
                found.append(node)
            stack.append(iter([child for part in node.__children__() for child in part.nodes]))
            break
        else:
            stack.pop()
    return found


def _children(node: Node, start: int) -> Iterator[tuple[Wikicode, int]]:
    if isinstance(node, Template):
        yield node.name, start + 2
        for _name, value, value_start in param_spans(node, start):
            yield value, value_start
    elif isinstance(node, Tag):
        if node.contents is not None and not node.self_closing:
            yield node.contents, tag_contents_start(node, start)
    elif isinstance(node, Wikilink):
        yield node.title, start + 2
        if node.text is not None:
            yield node.text, start + 3 + len(wikitext(node.title))
    elif isinstance(node, ExternalLink):
        if node.brackets and node.title is not None:
            gap = 0 if node.suppress_space else 1
            yield node.title, start + 1 + len(wikitext(node.url)) + gap
    elif isinstance(node, Heading):
        yield node.title, start + node.level


def _crossing_openers(code: Wikicode) -> list[tuple[int, int]]:
    """The openers of tags that hold a parameter or cell boundary MediaWiki would have split at:
    (offset, length) of `<small ...>` or of the quotes opening bold or italics."""
    r = rules()
    crossing: set[int] = set()
    todo: list[tuple[Wikicode, str]] = [(code, "")]
    while todo:
        wikicode, context = todo.pop()
        for node in wikicode.nodes:
            if isinstance(node, Template):
                todo.extend((param.value, "param") for param in node.params)
            elif isinstance(node, Tag) and node.contents is not None and not node.self_closing:
                tag = wikitext(node.tag).strip().lower()
                if tag in r.protected_tags or tag in ("table", "tr"):
                    todo.append((node.contents, ""))
                elif tag in ("td", "th"):
                    todo.append((node.contents, "header" if tag == "th" else "cell"))
                else:
                    if context and _crosses(node, tag, context, r):
                        crossing.add(id(node))
                    todo.append((node.contents, context))
    if not crossing:
        return []
    return [
        (start, tag_contents_start(node, start) - start)
        for node, start, _end in walk(code)
        if id(node) in crossing and isinstance(node, Tag)
    ]


_BOUNDARIES = {
    "param": ("|",),
    "cell": ("\n|", "\n!", "||"),
    "header": ("\n|", "\n!", "||", "!!"),
}


def _crosses(node: Tag, tag: str, context: str, r: _Rules) -> bool:
    quoted = node.wiki_markup is not None and tag in ("b", "i")
    if not quoted and tag not in r.inline_tags:
        return False
    bare = "".join(_bare_text(node.contents, r))
    if quoted and "\n" in bare:
        return True
    return any(mark in bare for mark in _BOUNDARIES[context])


def _bare_text(code: Wikicode, r: _Rules) -> Iterator[str]:
    """The text of some markup outside templates, links and tags that keep their own text."""
    for node in code.nodes:
        if isinstance(node, Text):
            yield node.value
        elif isinstance(node, Tag) and node.contents is not None and not node.self_closing:
            tag = wikitext(node.tag).strip().lower()
            if tag in r.inline_tags or (node.wiki_markup is not None and tag in ("b", "i")):
                yield from _bare_text(node.contents, r)


def _unclosed_templates(text: str, code: Wikicode) -> list[tuple[int, int]]:
    """The `{{` of templates left open inside a template that, for want of its closing braces,
    the parser left as text: such a template ends where its parameter ends (see
    `_open_inline_templates`)."""
    nodes = code.nodes
    if not any(isinstance(node, Text) and "{{" in node.value for node in nodes):
        return []
    found: list[tuple[int, int]] = []
    pos = 0
    scanned = 0  # openers inside a template already read are read with it: each brace once
    for node in nodes:
        if isinstance(node, Text):
            for opener in _TEMPLATE_OPEN.finditer(node.value):
                if pos + opener.start() < scanned:
                    continue
                masks, scanned = _open_inline_templates(text, pos + opener.start())
                found.extend(masks)
            pos += len(node.value)
        else:
            pos += len(wikitext(node))
    return sorted(set(found))


def _open_inline_templates(text: str, start: int) -> tuple[list[tuple[int, int]], int]:
    """The openers to mask in the template opening at `start`, which is left open, and the
    offset where the reading stopped (the template's end, or the end of the text).

    An inline template (or a bare `{{`) still open when the next parameter line begins ends
    there, with the pipes of its line. Any other template opened on one of the parameter lines
    ends at its parameter when it took the braces that close the outer template (the line after
    them is neither a parameter nor the outer's closing braces) or is never closed at all.
    A stray `{{{` on a parameter line (an argument, which an article cannot have) not closed by
    `}}}` in its parameter is text: MediaWiki's parser takes two of its braces with the next
    `}}`, often the outer template's own.
    """
    inline = rules().inline_templates
    found: list[tuple[int, int]] = []
    # (offset, width of the opener, inline, opened on a parameter line)
    stack: list[tuple[int, int, bool, bool]] = []
    for token in _BRACES.finditer(text, start):
        mark = token.group()
        if mark.startswith("<!--"):
            continue
        if mark == "{{{":
            if len(stack) == 1 and _on_parameter_line(text, token.start()):
                stack.append((token.start(), 3, True, True))
            continue
        if mark == "}}}":
            if stack and stack[-1][1] == 3:
                stack.pop()
            continue
        if mark == "{{":
            name_end = _NAME_END.search(text, token.end(), token.end() + 200)
            name = text[token.end() : name_end.start() if name_end else token.end()]
            key = " ".join(name.replace("_", " ").split()).lower()
            stray = len(stack) == 1 and _on_parameter_line(text, token.start())
            stack.append((token.start(), 2, bool(stack) and (not key or key in inline), stray))
        elif mark == "}}":
            if not stack:
                return found, token.end()
            opener, width, is_inline, stray = stack.pop()
            if not stack:
                return found, token.end()
            if len(stack) == 1 and stray and not _continues(text, token.end()):
                found.append((opener, width))  # it took the outer template's closing braces
                if is_inline and width == 2:
                    found.extend(
                        (p, 1) for p in _own_pipes(text, opener + 2, _line_end(text, opener))
                    )
                return found, token.end()
        else:  # a line starting with "|": the next parameter of the template holding it
            while len(stack) > 1 and stack[-1][2]:
                opener, width = stack.pop()[:2]
                found.append((opener, width))
                if width == 2:  # an argument's pipes split the parameters, as MediaWiki's do
                    found.extend((pipe, 1) for pipe in _own_pipes(text, opener + 2, token.start()))
    found.extend(
        (opener, width) for opener, width, _inline, stray in stack[1:2] if stray
    )  # never closed
    return found, len(text)


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _on_parameter_line(text: str, pos: int) -> bool:
    """Whether `pos` sits on a line of template parameters ("| strength1 = ...")."""
    line = text[text.rfind("\n", 0, pos) + 1 : pos]
    return line.lstrip().startswith("|")


_NEXT_LINE = re.compile(r"[^\n]*(?:\n(?:[ \t]*(?:<!--.*?-->)?[ \t]*(?=\n))*)?[ \t]*", re.S)


def _continues(text: str, pos: int) -> bool:
    """Whether the template braces closing at `pos` are followed by more of the template
    holding them: a parameter ("|") or its closing braces, on their line or the next one."""
    rest = text[pos : pos + 200].lstrip(" \t")
    if rest.startswith(("|", "}}")):
        return True
    line = _NEXT_LINE.match(text, pos)
    after = text[line.end() : line.end() + 2] if line else ""
    return after.startswith(("|", "}}"))


def _own_pipes(text: str, start: int, end: int) -> Iterator[int]:
    """The pipes of a template left open, between its name and the end of its line: those not
    inside a template or link it holds."""
    depth = 0
    for mark in _OWN_PIPES.finditer(text, start, end):
        token = mark.group()
        if token in ("{{", "[["):
            depth += 1
        elif token in ("}}", "]]"):
            depth = max(0, depth - 1)
        elif depth == 0:
            yield mark.start()


@dataclass(frozen=True, slots=True)
class RefMark:
    """A citation at a point of the text: a `<ref>`, `{{r|name}}` or `{{sfn|...}}`."""

    pos: int  # position in the plain text (zero width)
    start: int  # span of the markup in the article
    end: int
    name: str = ""
    group: str = ""
    body: Wikicode | None = None  # the ref's contents when it defines them
    body_start: int = -1
    kind: str = "ref"  # ref | sfn
    sfn: tuple[str, ...] = ()  # (author, ..., year) of a short footnote


@dataclass(frozen=True, slots=True)
class NoteMark:
    """A footnote at a point of the text: `{{efn|...}}`, `{{refn|...}}` or a `<ref>` of a notes
    group. Its text is not part of the sentence; its figures are claims of their own, backed by
    the refs the note holds."""

    pos: int  # position in the plain text (zero width)
    start: int  # span of the markup in the article
    end: int
    body: Wikicode | None  # None when the note only names one defined elsewhere
    body_start: int = -1
    name: str = ""


@dataclass(frozen=True, slots=True)
class FlagMark:
    """A flag template at a point of the text: the country or group it stands for."""

    pos: int
    country: str


@dataclass(frozen=True, slots=True)
class TableMark:
    """A table left out of the plain text, at its point there, for the table reader."""

    pos: int
    node: Tag
    start: int  # span of the table in the article
    end: int


@dataclass(frozen=True, slots=True)
class SectionMark:
    pos: int
    level: int
    title: str


@dataclass(slots=True)
class Rendering:
    """Plain text of some wikitext, with the map back to article offsets and the marks in it."""

    text: str
    segments: list[tuple[int, int, int, bool]]  # (plain start, raw start, raw end, contiguous)
    refs: list[RefMark] = field(default_factory=list)
    flags: list[FlagMark] = field(default_factory=list)
    sections: list[SectionMark] = field(default_factory=list)
    tables: list[TableMark] = field(default_factory=list)
    notes: list[NoteMark] = field(default_factory=list)
    # for each segment, the (start, end) of the nodes holding it, outermost first
    chains: list[tuple[tuple[int, int], ...]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [seg[0] for seg in self.segments]

    def raw_start(self, i: int) -> int:
        """Article offset of plain character i."""
        k = bisect.bisect_right(self._starts, i) - 1
        if k < 0:
            return self.segments[0][1] if self.segments else 0
        plain, raw, _raw_end, contiguous = self.segments[k]
        return raw + (i - plain) if contiguous else raw

    def raw_end(self, i: int) -> int:
        """Article offset just after plain character i - 1 (the end of a span ending at i)."""
        if i <= 0:
            return self.raw_start(0)
        k = bisect.bisect_right(self._starts, i - 1) - 1
        if k < 0:
            return self.raw_start(0)
        plain, raw, raw_end, contiguous = self.segments[k]
        return raw + (i - plain) if contiguous else raw_end

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The article span of plain characters start..end: from the markup that shows the
        first to the markup that shows the last. Where the span begins (or ends) inside a
        link, template or tag that does not also hold its other end, it is widened to that
        node's whole markup, so that the span is wikitext that renders on its own."""
        raw_start, raw_end = self.raw_start(start), self.raw_end(end)
        if not self.chains or end <= start:
            return raw_start, raw_end
        first = self.chains[max(0, bisect.bisect_right(self._starts, start) - 1)]
        last = self.chains[max(0, bisect.bisect_right(self._starts, end - 1) - 1)]
        common = 0
        while common < min(len(first), len(last)) and first[common] == last[common]:
            common += 1
        if len(first) > common:
            raw_start = min(raw_start, first[common][0])
        if len(last) > common:
            raw_end = max(raw_end, last[common][1])
        return raw_start, raw_end

    def section_at(self, pos: int) -> str:
        titles = [s.pos for s in self.sections]
        k = bisect.bisect_right(titles, pos) - 1
        return self.sections[k].title if k >= 0 else "Lead"


@dataclass(frozen=True, slots=True)
class _Rules:
    skip_link_prefixes: frozenset[str]
    skip_tags: frozenset[str]
    break_tags: frozenset[str]
    cell_tags: frozenset[str]
    transparent: dict[str, int]
    literal: dict[str, str]
    prefix: dict[str, str]
    dated_prefix: dict[str, str]
    list_templates: frozenset[str]
    flag_text: frozenset[str]
    flag_icon: frozenset[str]
    named_ref: frozenset[str]
    short_footnote: frozenset[str]
    note: frozenset[str]
    note_groups: frozenset[str]
    date_templates: frozenset[str]
    month_names: tuple[str, ...]
    inline_tags: frozenset[str]
    protected_tags: frozenset[str]
    inline_templates: frozenset[str]
    max_nesting: int
    max_template_nesting: int
    lone_tags: frozenset[str]


@cache
def rules() -> _Rules:
    data = load_data("wikitext.toml")
    marks = data.get("citation_marks", {})
    return _Rules(
        skip_link_prefixes=lowered_set(data.get("skip_link_prefixes")),
        skip_tags=lowered_set(data.get("skip_tags")),
        break_tags=lowered_set(data.get("break_tags")),
        cell_tags=lowered_set(data.get("cell_tags")),
        transparent={k.lower(): int(v) for k, v in data.get("transparent", {}).items()},
        literal={k.lower(): str(v) for k, v in data.get("literal", {}).items()},
        prefix={k.lower(): str(v) for k, v in data.get("prefix", {}).items()},
        dated_prefix={k.lower(): str(v) for k, v in data.get("dated_prefix", {}).items()},
        list_templates=lowered_set(data.get("list_templates")),
        flag_text=lowered_set(data.get("flag_text_templates")),
        flag_icon=lowered_set(data.get("flag_icon_templates")),
        named_ref=lowered_set(marks.get("named_ref")),
        short_footnote=lowered_set(marks.get("short_footnote")),
        note=lowered_set(marks.get("note")),
        note_groups=lowered_set(marks.get("note_groups")),
        date_templates=lowered_set(data.get("date_templates")),
        month_names=tuple(data.get("month_names", [])),
        inline_tags=lowered_set(data.get("inline_tags")),
        protected_tags=lowered_set(data.get("skip_tags")) | {"ref", "nowiki"},
        inline_templates=frozenset(
            {k.lower() for k in data.get("transparent", {})}
            | {k.lower() for k in data.get("literal", {})}
            | {k.lower() for k in data.get("prefix", {})}
            | lowered_set(data.get("flag_text_templates"))
            | lowered_set(data.get("flag_icon_templates"))
            | lowered_set(data.get("date_templates"))
            | lowered_set(data.get("inline_templates"))
        ),
        max_nesting=int(data["max_nesting"]),
        max_template_nesting=int(data["max_template_nesting"]),
        lone_tags=lowered_set(data.get("lone_tags")),
    )


_CITATION_NAME = re.compile(r"^(?:cite|vcite|citation\b|citeweb|citenews|citebook)")
_INFOBOX_NAME = re.compile(r"^infobox\b")


def is_citation_template(name: str) -> bool:
    return bool(_CITATION_NAME.match(name))


def is_infobox_template(name: str) -> bool:
    return bool(_INFOBOX_NAME.match(name))


_INFOBOX_OPEN = re.compile(r"\{\{\s*(?:template\s*:\s*)?infobox", re.I)


def infoboxes(
    code: Wikicode, is_infobox: Callable[[str], bool] | None = None
) -> list[tuple[Template, int]]:
    """Every infobox of an article with the offset of its markup, in the order written: at the
    top level, inside a wrapper template (`{{stack|...}}`, a campaignbox's or sidebar's
    parameter, a `<div>`) and embedded in a parameter of another infobox (`| module =
    {{Infobox military conflict|embed=yes|...}}`, `child=yes`); not inside refs or tables,
    whose text is read as theirs. `is_infobox` tells infoboxes by their template name
    (`is_infobox_template` by default)."""
    is_infobox = is_infobox or is_infobox_template
    found: list[tuple[Template, int]] = []
    protected = rules().protected_tags | {"table"}
    limit = rules().max_nesting
    todo: list[tuple[Wikicode, int, int]] = [(code, 0, 0)]
    while todo:
        wikicode, pos, depth = todo.pop()
        children: list[tuple[Wikicode, int, int]] = []
        for node in wikicode.nodes:
            if isinstance(node, Text):
                pos += len(node.value)
                continue
            text = wikitext(node)
            if depth < limit and _INFOBOX_OPEN.search(text):
                if isinstance(node, Template):
                    if is_infobox(template_name(node)):
                        found.append((node, pos))
                    children.extend(
                        (value, value_start, depth + 1)
                        for _name, value, value_start in param_spans(node, pos)
                    )
                elif (
                    isinstance(node, Tag)
                    and node.contents is not None
                    and not node.self_closing
                    and wikitext(node.tag).strip().lower() not in protected
                ):
                    children.append((node.contents, tag_contents_start(node, pos), depth + 1))
            pos += len(text)
        todo.extend(reversed(children))
    return sorted(found, key=lambda item: item[1])


class _Renderer:
    def __init__(self, skip_infobox: bool, skip_tables: bool = False) -> None:
        self.rules = rules()
        self.skip_infobox = skip_infobox
        self.skip_tables = skip_tables
        self.tables: list[TableMark] = []
        self.parts: list[str] = []
        self.length = 0
        self.segments: list[tuple[int, int, int, bool]] = []
        self.refs: list[RefMark] = []
        self.flags: list[FlagMark] = []
        self.sections: list[SectionMark] = []
        self.notes: list[NoteMark] = []
        self.chains: list[tuple[tuple[int, int], ...]] = []
        self._holding: tuple[tuple[int, int], ...] = ()  # the nodes being rendered

    def emit(self, text: str, raw_start: int, raw_end: int, contiguous: bool) -> None:
        if not text:
            return
        self.segments.append((self.length, raw_start, raw_end, contiguous))
        self.chains.append(self._holding)
        self.parts.append(text)
        self.length += len(text)

    def code(self, code: Wikicode, offset: int, depth: int) -> None:
        if depth > self.rules.max_nesting:
            return
        pos = offset
        for node in code.nodes:
            end = pos + len(wikitext(node))
            self.node(node, pos, end, depth)
            pos = end

    def node(self, node: Node, start: int, end: int, depth: int) -> None:
        if isinstance(node, Text):
            value = node.value
            if "<" in value or "''" in value:
                self.stray_markup(value, start)
            else:
                self.emit(value, start, end, True)
            return
        if isinstance(node, Tag) and self._ends_alone(node):
            self.markup(node, start, end, depth)
            return
        holding = self._holding
        self._holding = (*holding, (start, end))
        try:
            self.markup(node, start, end, depth)
        finally:
            self._holding = holding

    def _ends_alone(self, node: Tag) -> bool:
        """Whether a piece of text cut out of this tag renders as it does in the tag: its
        opening or closing markup left alone renders as nothing (bold, italics, `<small>`),
        so a span that holds only one of them need not be widened to the whole tag."""
        if node.wiki_markup is not None:
            return wikitext(node.tag).strip().lower() in ("b", "i")
        return wikitext(node.tag).strip().lower() in self.rules.inline_tags

    def markup(self, node: Node, start: int, end: int, depth: int) -> None:
        if isinstance(node, Wikilink):
            self.wikilink(node, start, depth)
        elif isinstance(node, Template):
            self.template(node, start, end, depth)
        elif isinstance(node, Tag):
            self.tag(node, start, end, depth)
        elif isinstance(node, ExternalLink):
            if node.brackets and node.title is not None:
                gap = 0 if node.suppress_space else 1
                self.code(node.title, start + 1 + len(wikitext(node.url)) + gap, depth + 1)
        elif isinstance(node, Heading):
            self.emit("\n", start, start, False)
            title_start = self.length
            self.code(node.title, start + node.level, depth + 1)
            title = " ".join("".join(self.parts_since(title_start)).split())
            self.sections.append(SectionMark(self.length, node.level, title))
            self.emit("\n", end, end, False)
        elif isinstance(node, HTMLEntity):
            char = node.normalize()
            self.emit(" " if char in "\xa0\u2009\u202f" else char, start, end, False)
        elif isinstance(node, Comment):
            return
        # arguments ({{{1}}}) and anything else render as nothing

    def stray_markup(self, value: str, start: int) -> None:
        """Text holding markup the parser left as text: a tag left open (or a closing tag
        with no opening) and quotes of bold or italics left open render as nothing, as
        MediaWiki closes or drops them."""
        pos = 0
        for mark in _stray_markup().finditer(value):
            self.emit(value[pos : mark.start()], start + pos, start + mark.start(), True)
            quotes = len(mark.group()) if mark.group().startswith("'") else 0
            kept = 1 if quotes == 4 else max(0, quotes - 5)  # "''''" is a quote then bold
            self.emit(
                value[mark.start() : mark.start() + kept],
                start + mark.start(),
                start + mark.start() + kept,
                True,
            )
            pos = mark.end()
        self.emit(value[pos:], start + pos, start + len(value), True)

    def parts_since(self, plain_start: int) -> list[str]:
        out: list[str] = []
        total = self.length
        for part in reversed(self.parts):
            if total <= plain_start:
                break
            total -= len(part)
            out.append(part[max(0, plain_start - total) :])
        return list(reversed(out))

    def wikilink(self, node: Wikilink, start: int, depth: int) -> None:
        title = wikitext(node.title)
        bare = title.lstrip(":").strip()
        prefix = bare.split(":", 1)[0].strip().lower() if ":" in bare else ""
        if prefix in self.rules.skip_link_prefixes and not title.startswith(":"):
            return
        if node.text is not None:
            text_start = start + 3 + len(title)
            if wikitext(node.text).strip():
                self.code(node.text, text_start, depth + 1)
                return
            bare = re.sub(r"\s*\(.*\)$", "", bare)  # the pipe trick: [[Foo (bar)|]] shows "Foo"
        if node.text is None and any(type(n) is not Text for n in node.title.nodes):
            # a title holding markup (a template, a ref, a comment): its rendered text, not
            # the markup written as words
            self.code(node.title, start + 2, depth + 1)
            return
        lead = len(title) - len(title.lstrip(": "))
        self.emit(bare, start + 2 + lead, start + 2 + lead + len(bare), True)

    def template(self, node: Template, start: int, end: int, depth: int) -> None:
        name = template_name(node)
        r = self.rules
        if name.startswith("formatnum:"):
            raw = wikitext(node.name)
            value = raw.split(":", 1)[1]
            value_start = start + 2 + raw.index(":") + 1
            stripped = value.strip()
            lead = len(value) - len(value.lstrip())
            self.emit(stripped, value_start + lead, value_start + lead + len(stripped), True)
            return
        if name in r.literal:
            self.emit(r.literal[name], start, end, False)
            return
        if (self.skip_infobox and is_infobox_template(name)) or is_citation_template(name):
            return
        if name in r.named_ref:
            for pname, value, _ in param_spans(node, start):
                if pname.isdigit():
                    ref_name = value.strip_code().strip()
                    self.refs.append(RefMark(self.length, start, end, name=ref_name))
            return
        if name in r.short_footnote:
            keys = tuple(
                wikitext(value).strip()
                for pname, value, _ in param_spans(node, start)
                if pname.isdigit()
            )
            self.refs.append(RefMark(self.length, start, end, kind="sfn", sfn=keys))
            return
        if name in r.note:
            self.notes.append(_note_mark(node, start, end, self.length))
            return
        positional = [(v, s) for pname, v, s in param_spans(node, start) if pname.isdigit()]
        if name in r.flag_text or name in r.flag_icon:
            if positional:
                value, value_start = positional[0]
                country = value.strip_code().strip()
                if country:
                    self.flags.append(FlagMark(self.length, country))
                    if name in r.flag_text:
                        lead = len(wikitext(value)) - len(wikitext(value).lstrip())
                        self.emit(
                            country,
                            value_start + lead,
                            value_start + lead + len(country),
                            wikitext(value).strip() == country,
                        )
            return
        if name in r.date_templates:
            self.emit(_date_text(positional, r.month_names), start, end, False)
            return
        if name in r.dated_prefix:  # {{As of|2016|8}}: "As of August 2016"
            date = _date_text(positional, r.month_names)
            self.emit(f"{r.dated_prefix[name]}{date}" if date else "", start, end, False)
            return
        if name in r.prefix:
            self.emit(r.prefix[name], start, start, False)
            if positional:
                self.code(positional[0][0], positional[0][1], depth + 1)
            return
        if name in r.transparent:
            index = r.transparent[name]
            if 0 < index <= len(positional):
                value, value_start = positional[index - 1]
                self.code(value, value_start, depth + 1)
            return
        if name in r.list_templates:
            for pname, value, value_start in param_spans(node, start):
                if pname.strip().lower() == "title":  # {{collapsible list|title=Total: 1,100}}
                    self.emit("\n", value_start, value_start, False)
                    self.code(value, value_start, depth + 1)
            for value, value_start in positional:
                self.emit("\n", value_start, value_start, False)
                self.code(value, value_start, depth + 1)
            self.emit("\n", end, end, False)
            return
        if name in ("convert", "cvt"):
            self.convert(positional, depth)
        # any other template renders as nothing

    def convert(self, positional: list[tuple[Wikicode, int]], depth: int) -> None:
        words = ("-", "–", "to", "and", "or", "x", "by", "+/-")
        for i, (value, value_start) in enumerate(positional[:4]):
            text = wikitext(value).strip()
            if i and text in words:
                self.emit(
                    " to " if text in ("-", "–") else f" {text} ", value_start, value_start, False
                )
                continue
            if i:
                self.emit(" ", value_start, value_start, False)
            self.code(value, value_start, depth + 1)
            if i >= 1 and text not in words and not re.match(r"^[\d.,]+$", text):
                break

    def tag(self, node: Tag, start: int, end: int, depth: int) -> None:
        tag = wikitext(node.tag).strip().lower()
        r = self.rules
        if tag == "ref":
            has_body = node.contents is not None and not node.self_closing
            body = node.contents if has_body and wikitext(node.contents).strip() else None
            group = tag_attr(node, "group")
            if group.lower() in r.note_groups:  # a note, not a citation of what it follows
                body_start = tag_contents_start(node, start) if body is not None else -1
                name = tag_attr(node, "name")
                self.notes.append(NoteMark(self.length, start, end, body, body_start, name))
                return
            self.refs.append(
                RefMark(
                    self.length,
                    start,
                    end,
                    name=tag_attr(node, "name"),
                    group=group,
                    body=body,
                    body_start=tag_contents_start(node, start) if body is not None else -1,
                )
            )
            return
        if tag in r.skip_tags:
            return
        if tag == "table" and self.skip_tables:
            self.emit("\n", start, start, False)
            self.tables.append(TableMark(self.length, node, start, end))
            self.emit("\n", end, end, False)
            return
        if tag == "nowiki":
            if node.contents is not None and not node.self_closing:
                contents = wikitext(node.contents)
                cstart = tag_contents_start(node, start)
                self.emit(contents, cstart, cstart + len(contents), True)
            return
        if tag in r.break_tags:
            self.emit("\n", start, start, False)
        elif tag in r.cell_tags:
            self.emit(" | ", start, start, False)
        if node.contents is not None and not node.self_closing:
            self.code(node.contents, tag_contents_start(node, start), depth + 1)
        if tag in r.break_tags and not node.self_closing and tag not in ("br", "hr", "li"):
            self.emit("\n", end, end, False)


def _note_mark(node: Template, start: int, end: int, pos: int) -> NoteMark:
    body, body_start, name = None, -1, ""
    for pname, value, value_start in param_spans(node, start):
        if pname == "1" and wikitext(value).strip():
            body, body_start = value, value_start
        elif pname == "name":
            name = value.strip_code().strip().strip("\"'")
    return NoteMark(pos, start, end, body, body_start, name)


_NOTE_REF = re.compile(
    r"<ref\b(?P<attrs>[^<>]*?\bgroup\s*=[^<>]*?)(?<!/)>(?P<body>.*?)</ref\s*>", re.I | re.S
)
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def notes_in(value: Wikicode, start: int) -> list[NoteMark]:
    """The notes written in some wikitext (an infobox field) whose first character sits at
    `start` in the article."""
    raw = wikitext(value)
    if "<ref" not in raw and not _note_opener().search(raw):
        return []
    return render(value, start, skip_infobox=False).notes


@cache
def _note_opener() -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(n) for n in rules().note), key=len, reverse=True))
    return re.compile(rf"\{{\{{\s*(?:{names})\s*\|", re.I)


def note_definitions(text: str) -> dict[str, tuple[Wikicode, int]]:
    """The text of every named note of an article, by name, with its offset: notes are often
    defined once in the notes list (`{{notelist|notes={{efn|name=A|...}}}}`) and only named
    where they apply (`{{efn|name=A}}`)."""
    r = rules()
    found: dict[str, tuple[Wikicode, int]] = {}
    for opener in _note_opener().finditer(text):
        if "name" not in text[opener.end() : opener.end() + 200]:
            continue
        end = _template_end(text, opener.start())
        if end < 0:
            continue
        node = parse_wikitext(text[opener.start() : end]).nodes[0]
        if isinstance(node, Template):
            mark = _note_mark(node, opener.start(), end, 0)
            if mark.name and mark.body is not None:
                found.setdefault(mark.name, (mark.body, mark.body_start))
    for ref in _NOTE_REF.finditer(text):
        attrs = {
            m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
            for m in _ATTR.finditer(ref.group("attrs"))
        }
        name, group = attrs.get("name", "").strip(), attrs.get("group", "").strip().lower()
        if name and group in r.note_groups and ref.group("body").strip():
            found.setdefault(name, (parse(ref.group("body")), ref.start("body")))
    return found


def _template_end(text: str, start: int) -> int:
    """Where the template opening at `start` ends (after its braces), or -1."""
    depth = 0
    for token in _TEMPLATE_BRACES.finditer(text, start):
        mark = token.group()
        if mark.startswith("<!--") or mark in ("{{{", "}}}"):
            continue
        depth += 1 if mark == "{{" else -1
        if depth == 0:
            return token.end()
    return -1


@cache
def _stray_markup() -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(t) for t in rules().inline_tags), key=len, reverse=True))
    return re.compile(rf"</?(?:{names})(?:\s[^<>]*)?/?>|'{{2,}}", re.I)


def _date_text(positional: list[tuple[Wikicode, int]], months: tuple[str, ...]) -> str:
    """'4 March 2022' from the year, month and day parameters of {{start date|2022|3|4}}."""
    parts = [wikitext(value).strip() for value, _ in positional[:3]]
    if len(parts) == 1 and re.fullmatch(r"\d{4}-\d{1,2}(?:-\d{1,2})?", parts[0]):
        parts = parts[0].split("-")  # {{date|2022-03-04}}
    # `isdecimal`, not `isdigit`: "²" and "①" are digits that `int` refuses
    if not parts or not parts[0].isdecimal():
        return ""
    year = parts[0]
    month = int(parts[1]) if len(parts) > 1 and parts[1].isdecimal() else 0
    day = parts[2] if len(parts) > 2 and parts[2].isdecimal() else ""
    if not 1 <= month <= len(months):
        return year
    return " ".join(part for part in (day.lstrip("0"), months[month - 1], year) if part)


def render(
    code: Wikicode, offset: int = 0, *, skip_infobox: bool = True, skip_tables: bool = False
) -> Rendering:
    """Plain text of a node tree whose first character sits at `offset` in the article.

    With `skip_tables`, tables are left out of the text and listed in `Rendering.tables`.
    """
    renderer = _Renderer(skip_infobox, skip_tables)
    renderer.code(code, offset, 0)
    return Rendering(
        text="".join(renderer.parts),
        segments=renderer.segments,
        refs=renderer.refs,
        flags=renderer.flags,
        sections=renderer.sections,
        tables=renderer.tables,
        notes=renderer.notes,
        chains=renderer.chains,
    )


def plain(code: Wikicode | str) -> str:
    """Plain text of a small piece of wikitext (a citation field, a heading), spaces collapsed."""
    if isinstance(code, str):
        code = parse(code)
    nodes = code.nodes
    if all(isinstance(node, Text) for node in nodes):  # most citation fields: no markup
        joined = "".join(node.value for node in nodes)
        if "<" not in joined and "''" not in joined:  # else stray tags and quotes render
            return " ".join(joined.split())  # as nothing, as `render` has them
    return " ".join(render(code, skip_infobox=False).text.split())


# Sentence boundaries: end punctuation, closing quotes/brackets, space, then a likely start.
_BOUNDARY = re.compile(r"[.!?](?:[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")


@cache
def _abbreviations() -> frozenset[str]:
    return lowered_set(load_data("wikitext_sentences.toml").get("abbreviations"))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of plain text as (start, end) spans; a line break always ends a sentence."""
    end = len(text) if end is None else end
    abbreviations = _abbreviations()
    spans: list[tuple[int, int]] = []
    line_start = start
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        if line_end < 0:
            line_end = end
        cursor = line_start
        for match in _BOUNDARY.finditer(text, line_start, line_end):
            dot = match.start()
            word_start = dot
            while word_start > line_start and not text[word_start - 1].isspace():
                word_start -= 1
            word = text[word_start : dot + 1].lower().lstrip("(\"'“")
            if word in abbreviations or re.fullmatch(r"[a-z]\.", word):
                continue
            spans.append((cursor, match.end()))
            cursor = match.end()
        spans.append((cursor, line_end))
        line_start = line_end + 1
    return [(s, e) for s, e in (_trim(text, s, e) for s, e in spans) if e > s]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def refs_after(refs: Sequence[RefMark], figure_end: int) -> list[RefMark]:
    """The ref group that follows a figure in its sentence (the clause's citation); with none
    after it, the sentence's last group. `refs` are in reading order."""
    if not refs:
        return []
    k = bisect.bisect_left(refs, figure_end, key=lambda r: r.pos)
    if k == len(refs):
        k = bisect.bisect_left(refs, refs[-1].pos, key=lambda r: r.pos)
        return list(refs[k:])
    end = bisect.bisect_left(refs, refs[k].pos + 2, key=lambda r: r.pos)
    return list(refs[k:end])
