"""Input formats: turn one file's content into the replies inside it.

Teams keep saved replies (macros, canned responses) in git in many formats. `extract` turns the
content of one file into `Segment`s, one per reply text, and every segment knows where each of
its characters came from in the ORIGINAL file: `Segment.position(offset)` gives the 1-based
(line, column) of `text[offset]` in the file, even when the text was decoded (JSON escapes, HTML
entities, YAML block scalars). Lines are separated by "\\n" only and columns count code points,
as in the engine's findings.

Formats (`detect_format` picks one from the path and, for JSON and YAML, the shape of the data):

``text``
    ``.txt`` and every unknown extension: the whole content, identity mapping.
``markdown``
    ``.md``, ``.markdown``. Front matter, fenced code blocks, HTML comments, link targets
    ``(url "title")`` of ``[text](url)`` / ``![alt](src)`` and reference definitions
    ``[1]: url`` are BLANKED (every character but "\\n"/"\\r" becomes a space), so the text has
    the length of the content and the mapping is the identity. Headings are kept. A file that is
    a collection of replies, one per top-level heading (GitHub saved replies kept in Markdown),
    gives one segment per heading section (reply_id = heading text, mode "saved", field None);
    see `_markdown_sections` for the rule. Only ATX headings (``#``) count; Setext headings,
    indented code blocks and inline code are left as they are.
``html``
    ``.html``, ``.htm``, ``.xhtml``. Tags, comments, doctype and the contents of <script>,
    <style>, <template> and <title> are skipped; character references are decoded; <br>, <hr>
    and the end tags of p, div, li, h1-h6, tr, blockquote and pre become "\\n". Whitespace is kept
    as written (not collapsed). The offset map is exact: every text character maps to the first
    character of its source (the "&" of an entity, the "<" of a <br>).
``liquid``
    ``.liquid``, ``.j2``, ``.jinja``, ``.jinja2``, ``.hbs``, ``.handlebars``, ``.mustache``:
    the whole file, identity mapping, mode "saved"; placeholders are kept (the linter judges
    them); template comments (``{# #}``, ``{% comment %}...{% endcomment %}``, ``{% # %}``,
    ``{{!-- --}}``, ``{{! }}``) are blanked.
JSON helpdesk exports (``.json``, recognised by shape; mode "saved")
    ``zendesk-macros`` (``comment_value``/``comment_value_html`` actions; a ``[channel, text]``
    value gives its last string), ``helpscout-saved-replies`` (``text``, stripped as HTML
    when it contains markup),
    ``freshdesk-canned-responses`` (``content``, ``content_html``), ``intercom-macros``
    (``body``, stripped as HTML when it contains markup; ``body_text``), ``gorgias-macros``
    (``setResponseText`` actions: ``body_text``, ``body_html``). Every non-blank reply string
    is one segment (so an export carrying both the plain and the HTML version of a reply gives
    two segments with the same reply_id and different fields). The text is the decoded JSON
    string, HTML fields additionally stripped as in ``html``; positions point inside the string
    literal in the file, at the first character of an escape sequence for escaped characters.
    reply_id is the title/name, or the JSON path of the reply object when it has none.
    Internal notes are not replies and give no segment: a Zendesk macro whose
    ``comment_mode_is_public`` action is false, and any item marked ``"type": "note"`` or
    ``internal``/``private`` true or ``public`` false.
``json-unknown``
    any other ``.json``: every string value longer than 40 characters that contains a space is
    a segment, reply_id = its JSON path (``$.items[3].text``; keys that are not identifiers are
    written ``$["odd key"]``), field = the last object key on the path (None when the value sits
    directly in an array), mode None. Strings that contain HTML markup are stripped as HTML.
    File linting (`tonecheck._project.lint`) does not lint this format: it reports the file as
    "not a reply file" and skips it, unless the format is forced.
``github-saved-replies``
    ``.github/replies.yml`` (refined-saved-replies), or any ``.yml``/``.yaml`` file shaped as a
    list of ``{name, body}`` or a mapping with ``replies:``; one segment per reply, field
    "body", mode "saved". Mapping precision is described in `_yaml_scalar_map`.

Invalid JSON/YAML in a file that claims one of these formats raises `FormatError`, whose message
names the file and the line:column of the problem.
"""

from __future__ import annotations

from .detect import FORMATS, detect_format, extract
from .segment import Segment

__all__ = ["FORMATS", "Segment", "detect_format", "extract"]
