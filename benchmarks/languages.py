"""Language detection, measured: how often each corpus's replies are judged to be in their language.

    python benchmarks/languages.py                 # every corpus; real corpora are English
    python benchmarks/languages.py --show 20       # also list replies judged to be in another language
    python benchmarks/languages.py --catalogs /usr/share/locale   # also the shortcuts on translations

Real replies (../shared/corpora/real) are English support text, except django-helpdesk's templates
in nine other languages (their source names the locale): an English reply judged non-English is a
miss (a reply that would not be linted). Labelled corpora say their language in their folder
(corpora/<language>/*.jsonl; corpora/*.jsonl is English). Reported per corpus and by reply length
(letters of the agent's own text), since short replies are where a detector guesses.

The corpora hold few replies in other languages, so `--catalogs` also measures the detector's
shortcuts on text in many languages that nobody here wrote: the translated messages of the gettext
catalogs (`*/LC_MESSAGES/*.mo`) a Debian machine keeps under /usr/share/locale, grouped into texts
of 120-900 characters per language. A shortcut (the default language's first look, or a pack
language's common-word share of the cleaned sample) that takes a text as a pack language where the
detector's model, asked without shortcuts, names another is an error; the highest common-word
shares among texts of other languages show the margin below QUICK_SHARE and COMMON_SHARE.
(Catalogs hold untranslated English too: a text the model itself calls English is not counted
against the shortcuts.)
"""

from __future__ import annotations

import argparse
import gettext
import json
import random
import sys
from collections import Counter
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from real_judged import REAL  # noqa: E402

from tonecheck._engine.linter import _common_words, _pack_scripts, get_engine  # noqa: E402
from tonecheck._langid import (  # noqa: E402
    COMMON_SHARE,
    MIN_WORDS_FOR_SHARE,
    QUICK_SHARE,
    clean,
    common_share,
    detect,
    first_look_counts,
    first_look_runs,
    letters,
    sample,
    script_of,
    script_of_language,
)


def corpora() -> list[tuple[str, str, str]]:
    """(corpus, expected language, text) for every reply."""
    rows: list[tuple[str, str, str]] = []
    for path in sorted((ROOT / "corpora").rglob("*.jsonl")):
        language = path.parent.name if path.parent != ROOT / "corpora" else "en"
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and "text" in row:
                rows.append((str(path.relative_to(ROOT)), language, row["text"]))
    for path in sorted(REAL.glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                # a row whose source names a locale (django-helpdesk's translations) is in that language
                locale = regex.search(r"locale=([a-z]{2,3})\b", row.get("source", ""))
                rows.append((f"real/{path.parent.name}", locale.group(1) if locale else "en", row["text"]))
    return rows


def _band(count: int) -> str:
    for limit in (20, 40, 80, 160):
        if count < limit:
            return f"<{limit}"
    return ">=160"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", type=int, default=0, help="list this many misjudged replies")
    parser.add_argument(
        "--catalogs", metavar="DIR", help="also measure the shortcuts on gettext catalogs (/usr/share/locale)"
    )
    parser.add_argument("--per-language", type=int, default=300, help="texts made of each language's catalogs")
    args = parser.parse_args()
    engine = get_engine()
    per_corpus: Counter[tuple[str, bool]] = Counter()
    per_band: Counter[tuple[str, bool]] = Counter()
    judged: Counter[str] = Counter()
    wrong: list[tuple[str, str, str]] = []
    common = _common_words()[engine.config.default_language]
    # the highest share of the default language's common words in a reply judged to be in another
    # language: how far below the detector's shortcuts (COMMON_SHARE, QUICK_SHARE) other languages stay
    highest = {"sample": 0.0, "words": 0.0}
    first_looked = 0  # of those replies, the ones the first look reads (short, with ASCII words)
    for corpus, expected, text in corpora():
        report = engine.check(text, mode="saved")
        if report.language != engine.config.default_language:
            highest["sample"] = max(highest["sample"], common_share(sample(text), common))
            runs = first_look_runs(text.lower())  # (None: a reply the first look does not read)
            found, counted = first_look_counts(text, runs, common) if runs is not None else (0, 0)
            first_looked += runs is not None
            if counted >= MIN_WORDS_FOR_SHARE:
                highest["words"] = max(highest["words"], found / counted)
        right = report.language == expected
        per_corpus[(corpus, right)] += 1
        per_band[(_band(letters(clean(text))), right)] += 1
        if not right:
            judged[f"{expected}->{report.language}"] += 1
            wrong.append((corpus, report.language, text))
    total = sum(per_corpus.values())
    right_total = sum(n for (_, ok), n in per_corpus.items() if ok)
    print(f"right: {right_total}/{total} = {right_total / total:.4f}")
    print("\nper corpus (right / replies):")
    for corpus in sorted({c for c, _ in per_corpus}):
        ok, bad = per_corpus[(corpus, True)], per_corpus[(corpus, False)]
        print(f"  {corpus:55} {ok:6}/{ok + bad:<6} {ok / (ok + bad):.4f}")
    print("\nby letters of the reply's own text (right / replies):")
    for band in ("<20", "<40", "<80", "<160", ">=160"):
        ok, bad = per_band[(band, True)], per_band[(band, False)]
        if ok + bad:
            print(f"  {band:6} {ok:6}/{ok + bad:<6} {ok / (ok + bad):.4f}")
    print("\nmisjudged as:", dict(judged.most_common()))
    print(
        f"\nhighest share of the default language's common words in a reply judged to be in another:"
        f"\n  in the cleaned sample {highest['sample']:.3f} (taken as the default from COMMON_SHARE = {COMMON_SHARE})"
        + (
            f"\n  in the words the first look reads {highest['words']:.3f} (from QUICK_SHARE = {QUICK_SHARE};"
            f" {first_looked} such replies are short, with ASCII words)"
            if first_looked
            else f"\n  no such reply is short with ASCII words: the first look (QUICK_SHARE = {QUICK_SHARE}) reads none"
        )
    )
    for corpus, language, text in wrong[: args.show]:
        print(f"\n--- {corpus} judged {language}:\n{text[:300]}")
    if args.catalogs:
        _measure_catalogs(Path(args.catalogs), engine.config.default_language, args.per_language)
    return 0


# what a catalog message holds that is no one's words: printf and brace fields, shell variables, tags
_FIELDS = regex.compile(r"%[-#0-9.]*[a-zA-Z]|\{[^}]*\}|\$\{?\w+\}?|<[^>]*>")


def catalog_texts(folder: Path, per_language: int, seed: int = 7) -> list[tuple[str, str]]:
    """(language, text): each language's translated messages (those that differ from their
    English original), shuffled with a fixed seed and joined into texts of 120-900 characters,
    at most `per_language` of them."""
    messages: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*/LC_MESSAGES/*.mo")):
        language = regex.split(r"[_@]", path.parts[-3])[0]
        if language == "en":
            continue
        try:
            with path.open("rb") as handle:
                catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        except (OSError, ValueError, IndexError, UnicodeDecodeError):  # (a malformed header)
            continue
        for original, translated in catalog.items():
            if isinstance(original, str) and isinstance(translated, str) and translated != original:
                words = " ".join(_FIELDS.sub(" ", translated).split())
                if len(words) >= 15:
                    messages.setdefault(language, []).append(words)
    rng = random.Random(seed)
    texts = []
    for language, found in sorted(messages.items()):
        rng.shuffle(found)
        made = 0
        while found and made < per_language:
            size = rng.choice([120, 250, 500, 900])
            parts: list[str] = []
            while found and sum(map(len, parts)) < size:
                parts.append(found.pop())
            texts.append((language, " ".join(parts)))
            made += 1
    return texts


def _measure_catalogs(folder: Path, default: str, per_language: int) -> None:
    """The shortcuts on the catalog texts, for every language with a pack: the first look (the
    default language's) and the common-word share of the cleaned sample (each pack language's,
    in its own script)."""
    texts = catalog_texts(folder, per_language)
    if not texts:
        print(f"\nno gettext catalogs under {folder}")
        return
    common_words = _common_words()
    options = {"default": default, "by_script": _pack_scripts()}
    taken: list[tuple[str, str, str, str]] = []
    # per pack language: the highest share of its common words in a text of another language of its script
    highest = dict.fromkeys(common_words, (0.0, ""))
    highest_first_look = (0.0, "")
    for language, text in texts:
        model = detect(text, **options)  # no shortcuts: cleaning, script and the model
        runs = first_look_runs(text.lower())
        quick = detect(text, **options, common=common_words, runs=runs)
        if quick != model:  # (a shortcut answers only with a pack language)
            taken.append((language, model, quick, text))
        words = sample(text)
        script = script_of(words)
        for pack, common in common_words.items():
            if model != pack and script == script_of_language(pack):
                highest[pack] = max(highest[pack], (common_share(words, common), language))
        if runs is not None and model != default:
            found, counted = first_look_counts(text, runs, common_words[default])
            if counted >= MIN_WORDS_FOR_SHARE:
                highest_first_look = max(highest_first_look, (found / counted, language))
    languages = len({language for language, _ in texts})
    print(f"\ngettext catalogs under {folder}: {len(texts):,} texts in {languages} languages")
    for pack in sorted(common_words):
        count = sum(1 for _, _, quick, _ in taken if quick == pack)
        print(f"  taken as {pack} by a shortcut where the model names another language: {count}")
    print("  highest share of a pack language's common words in a text of another language of its script:")
    for pack, (share, language) in sorted(highest.items()):
        print(f"    {pack}, in the cleaned sample: {share:.3f} ({language or '-'}; COMMON_SHARE = {COMMON_SHARE})")
    print(
        f"    {default}, in the words the first look reads: {highest_first_look[0]:.3f}"
        f" ({highest_first_look[1] or '-'}; QUICK_SHARE = {QUICK_SHARE})"
    )
    for language, model, quick, text in taken[:10]:
        print(f"  - {language} taken as {quick} (model: {model}): {text[:150]!r}")


if __name__ == "__main__":
    raise SystemExit(main())
