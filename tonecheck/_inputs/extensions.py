"""Which files hold replies: the one definition of reply-file extensions.

The format readers, the default `include` globs of the folder walk and the pre-commit hook's file
pattern all come from here (a test keeps `.pre-commit-hooks.yaml` in step).
"""

from __future__ import annotations

import os

MARKDOWN_EXT = frozenset({".md", ".markdown", ".mdown", ".mkd"})
HTML_EXT = frozenset({".html", ".htm", ".xhtml"})
LIQUID_EXT = frozenset({".liquid", ".j2", ".jinja", ".jinja2", ".hbs", ".handlebars", ".mustache"})
YAML_EXT = frozenset({".yml", ".yaml"})


def _split_path(path: str) -> tuple[str, str, str]:
    """(normalised lower-case path, base name, extension)."""
    norm = path.replace("\\", "/").lower()
    base = norm.rsplit("/", 1)[-1]
    return norm, base, os.path.splitext(base)[1]


JSON_EXT = frozenset({".json"})
TEXT_EXT = frozenset({".txt"})
# the saved-reply file of GitHub's refined-saved-replies: the only YAML walked by default
YAML_REPLY_FILES = ("replies.yml", "replies.yaml")

# what a folder walk lints by default: every extension a reader knows, plus the YAML reply files
REPLY_FILE_GLOBS: tuple[str, ...] = (
    *(f"*{ext}" for ext in sorted(TEXT_EXT | MARKDOWN_EXT | HTML_EXT | LIQUID_EXT | JSON_EXT)),
    *YAML_REPLY_FILES,
)

# files and folders that are never replies, left out of a folder walk by default (the `exclude`
# setting; `extend-exclude` adds to it, `exclude` replaces it): a project's own documents, the
# manifests and settings of other tools, installed packages and virtual environments, and
# tonecheck's own configuration and baseline
NON_REPLY_GLOBS: tuple[str, ...] = (
    *(
        f"{name}{suffix}"
        for name in (
            "README",
            "CONTRIBUTING",
            "CHANGELOG",
            "CHANGES",
            "HISTORY",
            "LICENSE",
            "LICENCE",
            "COPYING",
            "NOTICE",
            "AUTHORS",
            "CODE_OF_CONDUCT",
            "SECURITY",
            "SUPPORT",
        )
        for suffix in (".*", "-*")
    ),
    *("LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS"),
    *(f"{name.lower()}.md" for name in ("README", "CONTRIBUTING", "CHANGELOG", "LICENSE")),
    "package.json",
    "package-lock.json",
    "composer.json",
    "tsconfig*.json",
    "jsconfig*.json",
    ".eslintrc*",
    ".prettierrc*",
    ".markdownlint*",
    "renovate.json",
    ".renovaterc*",
    "*.schema.json",
    "node_modules",
    "bower_components",
    ".venv",
    "venv",
    "__pypackages__",
    "site-packages",
    ".tox",
    ".nox",
    ".git",
    ".tonecheck-baseline.json",
    "tonecheck-baseline.json",
    "*.tonecheck-baseline.json",
    "tonecheck.toml",
    ".tonecheck.toml",
)

_MARKDOWN_EXT, _HTML_EXT, _LIQUID_EXT, _YAML_EXT = MARKDOWN_EXT, HTML_EXT, LIQUID_EXT, YAML_EXT
