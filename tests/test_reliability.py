"""Reliability and security (issue 11): one test per defect of the reliability review (D1-D14),
each the review's repro or the smallest input that shows it. Timing defects (D1, D7, D8) are in
test_adversarial.py; fuzzing in test_fuzz.py."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import stat
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO_ROOT, child_pids, subprocess_env, wrap_reply
from conftest import no_traceback as _no_traceback
from conftest import one_error_line as _one_error_line

import tonecheck
from tonecheck._engine import linter
from tonecheck._engine.linter import get_engine
from tonecheck._outputs import FORMATS as OUTPUT_FORMATS

FORMATS = OUTPUT_FORMATS  # every output format, the CI ones (concise, json-lines, gitlab, rdjson) too
FIXABLE = wrap_reply("Actually, the refund was sent on Monday.")
FIXED = wrap_reply("The refund was sent on Monday.")


@pytest.fixture
def run_cli(run_cli):
    """The CLI with preview rules on: the findings these tests need ("No, we cannot", "Actually,")
    come from preview rules."""

    def run(argv, stdin=None):
        argv = list(argv)
        if argv[:1] == ["check"]:
            argv.insert(1, "--preview")
        return run_cli(argv, stdin)

    return run


def _commands(output: str) -> list[str]:
    """Output lines GitHub's runner would take as workflow commands: starting with "::" after
    blanks (v2), or holding "##[" anywhere (v1)."""
    return [line for line in output.splitlines() if line.lstrip().startswith("::") or "##[" in line]


def _run(argv, *, stdin=None, timeout=60, env_extra=None, cwd=None, prefix=()):
    env = subprocess_env()
    env.update(env_extra or {})
    if list(argv[:1]) == ["check"]:
        argv = ["check", "--preview", *argv[1:]]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "tonecheck", *argv],
        stdin=stdin,
        capture_output=True,
        env=env,
        timeout=timeout,
        cwd=cwd or str(REPO_ROOT),
    )


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), *args],
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        },
    )


# -- D2: nothing printed can be taken as a command -------------------------------------------------

FORGED = "::error file=README.md,line=1::Forged annotation"


def test_d2_a_pasted_block_holding_a_workflow_command_is_escaped_in_every_format(run_cli, tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(
        "Thanks for writing in. We shipped it today. Let me know if you need anything else.\n\n"
        f"Best,\n{FORGED}\nBest,\n{FORGED}\n##[add-mask]secret\n",
        encoding="utf-8",
    )
    for format in FORMATS:
        result = run_cli(["check", str(path), "--format", format])
        assert result.code == 1, (format, result)
        assert "TPL005" in result.out, format  # the pasted block is reported...
        commands = _commands(result.out)
        if format == "github":  # ...and every annotation is one line of tonecheck's own
            assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in commands), result.out
            assert len(commands) == len(result.out.splitlines())
            assert "##[" not in result.out
        else:
            assert commands == [], (format, commands)


def test_d2_a_v1_command_inside_a_shown_line_is_escaped(run_cli, tmp_path):
    # found by the long fuzz run: the text format showed the source line "0AA##[" as it was
    path = tmp_path / "r.txt"
    path.write_text("No, we cannot do that ##[error]forged.\n", encoding="utf-8")
    for format in FORMATS:
        result = run_cli(["check", str(path), "--format", format])
        assert result.code == 1, (format, result)
        assert _commands(result.out) == [] if format != "github" else "##[" not in result.out, (format, result.out)


def test_d2_titles_and_file_names_cannot_start_a_line_or_colour_the_terminal(run_cli, tmp_path):
    title = "Refund\n::warning file=.github/workflows/ci.yml,line=1::Forged by title\n\x1b[31mRED\x1b[0m \u202e"
    export = {"macros": [{"title": title, "actions": [{"field": "comment_value", "value": "No, we cannot."}]}]}
    (tmp_path / "macros.json").write_text(json.dumps(export), encoding="utf-8")
    (tmp_path / "x\n::error file=README.md,line=1::Forged by file name\nx.txt").write_text(
        "No, we cannot.\n", encoding="utf-8"
    )
    (tmp_path / "::error file=a,line=1::by name.txt").write_text("No, we cannot.\n", encoding="utf-8")
    for format in FORMATS:
        result = run_cli(["check", str(tmp_path), "--format", format])
        assert result.code == 1, (format, result)
        assert "\x1b" not in result.out and "\u202e" not in result.out, format
        commands = _commands(result.out)
        if format == "github":
            assert len(commands) == len(result.out.splitlines()) == 6, result.out  # 2 findings x 3 files
        else:
            assert commands == [], (format, commands)
    text = run_cli(["check", str(tmp_path)]).out
    assert "Refund\\n::warning" in text and "\\x1b[31mRED" in text  # shown escaped, still readable
    assert "./::error file=a" in text or f"{tmp_path}/::error file=a" in text


def test_d2_errors_and_diffs_are_escaped_too(run_cli, tmp_path):
    missing = run_cli(["check", str(tmp_path / f"gone\n{FORGED}.txt")])
    _one_error_line(missing, "\\n::error")
    path = tmp_path / "reply.txt"
    path.write_text(f"Hi Sam,\n\n{FORGED}\nActually, the refund was sent.\n\nBest,\nAna\n", encoding="utf-8")
    diff = run_cli(["check", "--diff", str(path)])
    assert "+The refund was sent." in diff.out.splitlines()
    assert _commands(diff.out) == [], diff.out


# -- D3, D12: the walk stays inside the repository and reads only files ------------------------------

SECRET = "TOKEN ghp_SECRETSECRET123 for the API, the DNS is down\n"


@pytest.mark.parametrize("with_git", [False, True])
def test_d3_the_walk_does_not_follow_symlinks_out_of_the_repository(run_cli, tmp_path, with_git):
    outside = tmp_path / "outside_secret.txt"
    outside.write_text(SECRET, encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "reply.txt").write_text(wrap_reply("The DNS is down."), encoding="utf-8")
    (repo / "leak.txt").symlink_to(outside)
    (repo / "inside.txt").symlink_to(repo / "reply.txt")
    if with_git:
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", "x")
    result = run_cli(["check", str(repo), "--format", "json"])
    _no_traceback(result)
    assert "SECRET" not in result.out
    assert sorted(Path(f["path"]).name for f in json.loads(result.out)["files"]) == ["inside.txt", "reply.txt"]
    assert "leak.txt: skipped: a symbolic link to a file outside the repository" in result.err
    fixed = run_cli(["check", "--fix", str(repo)])
    _no_traceback(fixed)
    assert (repo / "leak.txt").is_symlink() and outside.read_text(encoding="utf-8") == SECRET


def test_d3_d12_the_walk_skips_devices_and_fifos(tmp_path):
    folder = tmp_path / "devdir"
    folder.mkdir()
    (folder / "z.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "b.txt")
    (folder / "r.txt").write_text(wrap_reply("No, we cannot."), encoding="utf-8")
    proc = _run(["check", str(folder), "--format", "json"], timeout=120)  # a hang guard: reading either never ends
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert [Path(f["path"]).name for f in json.loads(proc.stdout)["files"]] == ["r.txt"]
    assert "z.txt: skipped: " in err and "b.txt: skipped: not a regular file" in err


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/urandom", "/proc/self/status"])
def test_d12_d11_a_fifo_device_or_proc_file_given_explicitly_is_a_clear_error(tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "f.txt"
        os.mkfifo(target)
    else:
        target = Path(kind)
    for argv in (["check", str(target)], ["check", "--config", str(target), str(REPO_ROOT / "README.md")]):
        proc = _run(argv, timeout=60)
        err = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode == 2, (argv, err)
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert str(target) in err


def test_d11_standard_input_of_endless_zeros_is_an_error_not_memory_exhaustion():
    with open("/dev/zero", "rb") as zeros:
        proc = _run(["check", "-"], stdin=zeros, timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err and "larger than the limit" in err, err


def test_d3_the_size_limit_is_configurable_and_named_in_the_error(run_cli, tmp_path):
    (tmp_path / "tonecheck.toml").write_text("max-file-bytes = 100\n", encoding="utf-8")
    path = tmp_path / "long.txt"
    path.write_text(wrap_reply("No, we cannot. " * 20), encoding="utf-8")
    _one_error_line(run_cli(["check", str(path)]), "long.txt", "max-file-bytes")
    (tmp_path / "tonecheck.toml").write_text("max-file-bytes = 100000\n", encoding="utf-8")
    assert run_cli(["check", str(path)]).code == 1


# -- D4: lone surrogates and non-UTF-8 file names ------------------------------------------------------


def test_d4_a_lone_surrogate_in_an_export_prints_escaped_in_every_format(run_cli, tmp_path):
    (tmp_path / "s.json").write_text(
        '{"macros":[{"title":"R \\ud800","actions":[{"field":"comment_value","value":"No, we cannot."}]}]}',
        encoding="utf-8",
    )
    (tmp_path / "other.txt").write_text(wrap_reply("As I said, it shipped."), encoding="utf-8")
    for format in FORMATS:
        result = run_cli(["check", str(tmp_path), "--format", format])
        assert result.code == 1, (format, result)
        result.out.encode("utf-8")  # strict: no lone surrogate reaches the output
        assert "PAG002" in result.out  # the other file's results are there
        if format in ("json", "sarif"):
            data = json.loads(result.out)
            assert "R \ud800" in json.dumps(data, ensure_ascii=False)  # the same title comes back


def test_d4_a_non_utf8_file_name_prints_in_every_format_even_with_a_strict_stdout(tmp_path):
    folder = tmp_path / "n"
    folder.mkdir()
    name = os.fsdecode(b"bad\xff.txt")
    (folder / name).write_text("No, we cannot.\n", encoding="utf-8")
    for format in FORMATS:
        proc = _run(["check", str(folder), "--format", format], env_extra={"PYTHONIOENCODING": "utf-8:strict"})
        out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")  # valid UTF-8 either way
        assert proc.returncode == 1, (format, err)
        assert "Traceback" not in err
        if format == "json":
            assert json.loads(out)["files"][0]["path"].endswith(name)  # the name's bytes come back
        if format == "sarif":
            assert (
                "bad%FF.txt"
                in json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
                    "uri"
                ]
            )
        if format == "text":
            assert "bad\\udcff.txt" in out


# -- D5: --fix never loses or corrupts data -------------------------------------------------------------


@pytest.fixture
def fixable(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(FIXABLE, encoding="utf-8")
    return path


def test_d5_a_file_tonecheck_may_not_write_is_left_alone(run_cli, fixable, monkeypatch):
    from tonecheck import _files

    real_open = os.open

    def refuse_writes(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR) and Path(path) == fixable:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(_files.os, "open", refuse_writes)
    result = run_cli(["check", "--fix", str(fixable)])
    assert result.code == 2, result
    assert "Permission denied" in result.err and "Applied 0 fixes." in result.err
    assert fixable.read_text(encoding="utf-8") == FIXABLE


def test_d5_a_read_only_file_is_not_rewritten_by_a_real_process(fixable):
    os.chmod(fixable, 0o444)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root writes any file: drop the capability, as the review did
        assert shutil.which("setpriv"), "setpriv is needed to run this test as root"
        prefix = ("setpriv", "--inh-caps=-all", "--bounding-set=-all", "--")
    proc = _run(["check", "--fix", str(fixable)], prefix=prefix)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Permission denied" in err and "Applied 0 fixes." in err
    assert fixable.read_text(encoding="utf-8") == FIXABLE


def test_d5_symlinks_keep_being_links_and_outside_targets_are_refused(run_cli, tmp_path):
    repo = tmp_path / "repo"
    (repo / "shared").mkdir(parents=True)
    (repo / "tonecheck.toml").write_text("", encoding="utf-8")
    target = repo / "shared" / "target.txt"
    target.write_text(FIXABLE, encoding="utf-8")
    link = repo / "link.txt"
    link.symlink_to(Path("shared") / "target.txt")
    result = run_cli(["check", "--fix", str(link)])
    assert link.is_symlink() and target.read_text(encoding="utf-8") == FIXED, result
    outside = tmp_path / "outside.txt"
    outside.write_text(FIXABLE, encoding="utf-8")
    away = repo / "away.txt"
    away.symlink_to(outside)
    result = run_cli(["check", "--fix", str(away)])
    assert result.code == 2 and "outside the repository" in result.err, result
    assert away.is_symlink() and outside.read_text(encoding="utf-8") == FIXABLE


def test_d5_hard_links_owner_and_mode_are_kept(run_cli, tmp_path):
    first = tmp_path / "hard1.txt"
    first.write_text(FIXABLE, encoding="utf-8")
    second = tmp_path / "hard2.txt"
    os.link(first, second)
    run_cli(["check", "--fix", str(first)])
    assert first.stat().st_nlink == 2 and second.read_text(encoding="utf-8") == FIXED
    owned = tmp_path / "owned.txt"
    owned.write_text(FIXABLE, encoding="utf-8")
    os.chmod(owned, 0o2640)
    owner = (65534, 65534) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    os.chown(owned, *owner)
    run_cli(["check", "--fix", str(owned)])
    status = owned.stat()
    assert owned.read_text(encoding="utf-8") == FIXED
    assert (status.st_uid, status.st_gid) == owner and stat.S_IMODE(status.st_mode) == 0o2640


def _while_fixing(monkeypatch, action):
    """Run `action(path)` after tonecheck has read a file and before it writes the fix."""
    from tonecheck._project import lint

    real = lint.fix_source

    def fix_then_act(engine, source, *, path, file=None, **kwargs):
        result = real(engine, source, path=path, file=file, **kwargs)
        if file is not None:
            action(Path(file))
        return result

    monkeypatch.setattr(lint, "fix_source", fix_then_act)


def test_d5_a_file_edited_while_fixing_is_not_overwritten(run_cli, fixable, monkeypatch):
    _while_fixing(monkeypatch, lambda path: path.write_text(path.read_text() + "P.S. added meanwhile\n"))
    result = run_cli(["check", "--fix", str(fixable)])
    assert result.code == 2 and "changed since tonecheck read it" in result.err, result
    assert "Applied 0 fixes." in result.err
    assert fixable.read_text(encoding="utf-8") == FIXABLE + "P.S. added meanwhile\n"


def test_d5_d14_a_file_deleted_while_fixing_is_reported(run_cli, fixable, monkeypatch):
    _while_fixing(monkeypatch, lambda path: path.unlink())
    result = run_cli(["check", "--fix", str(fixable)])
    _no_traceback(result)
    assert result.code == 2 and "deleted while tonecheck ran" in result.err, result
    assert not fixable.exists() and list(fixable.parent.iterdir()) == []


def test_d14_the_applied_count_counts_only_what_was_written(run_cli, tmp_path, monkeypatch):
    paths = [tmp_path / f"r{i}.txt" for i in range(2)]
    for path in paths:
        path.write_text(FIXABLE, encoding="utf-8")
    _while_fixing(monkeypatch, lambda path: path.write_text("edited") if path.name == "r1.txt" else None)
    result = run_cli(["check", "--fix", *map(str, paths)])
    assert "Applied 1 fix." in result.err, result
    assert paths[0].read_text(encoding="utf-8") == FIXED


def test_d5_an_interrupted_write_leaves_no_temporary_file(run_cli, fixable, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    result = run_cli(["check", "--fix", str(fixable)])
    assert result.code == 130
    assert [p.name for p in fixable.parent.iterdir()] == ["reply.txt"]
    assert fixable.read_text(encoding="utf-8") == FIXABLE


def test_d14_kill_9_during_fix_leaves_no_temporary_file_and_no_half_written_file(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    body = FIXABLE * 40  # 40 fixes per file, so writing takes a while
    for index in range(400):
        (folder / f"r{index:03}.txt").write_text(body, encoding="utf-8")
    fixed = tonecheck.fix(body, mode="saved").text
    env = subprocess_env()
    for delay in (1.5, 3.0, 4.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tonecheck", "check", "--fix", "--quiet", str(folder)],
            env=env,
            cwd=str(REPO_ROOT),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        names = sorted(p.name for p in folder.iterdir())
        assert names == [f"r{index:03}.txt" for index in range(400)], [n for n in names if not n.startswith("r")]
        assert {p.read_text(encoding="utf-8") for p in folder.iterdir()} <= {body, fixed}


def _alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; the kernel request is Linux's")
@pytest.mark.parametrize("fixing", [False, True], ids=["check", "fix"])
def test_workers_end_when_the_cli_is_killed_outright(tmp_path, fixing):
    """A folder run killed with SIGKILL cannot shut its pool down: its workers must not wait for
    ever on the pool's pipes (each held 70 MiB; they had been left blocked for hours). With --fix
    the CLI catches SIGTERM, and workers that kept its handler outlived it the same way."""
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(600):
        (folder / f"r{index:03}.txt").write_text(FIXABLE * 20, encoding="utf-8")
    fix = ["--fix"] if fixing else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "tonecheck", "check", *fix, "--jobs", "2", "--quiet", str(folder)],
        env=subprocess_env(),
        cwd=str(REPO_ROOT),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers |= child_pids(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the run ended before its workers could be seen; give it more files"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # (so that a failure leaves nothing behind)
        os.kill(pid, signal.SIGKILL)
    assert left == []


# -- D6: memory stays bounded --------------------------------------------------------------------------


def test_d6_the_vocabulary_does_not_grow_without_bound(monkeypatch):
    config = tonecheck.Config(glossary=("reliability-test-d6",), preview=True)  # an engine of its own
    engine = get_engine(config)
    monkeypatch.setattr(engine, "vocab_limit", len(engine.nlp.vocab.strings) + 500)
    # words a memory zone forgets still leave tombstones in spaCy's tables: a fresh pipeline
    # replaces them after this many
    monkeypatch.setattr(engine, "renewal_limit", len(engine.nlp.vocab) + 5_000)
    monkeypatch.setattr(linter, "VOCAB_RENEWAL", 5_000)
    rng = random.Random(6)
    expected = None
    for _ in range(1500):
        words = " ".join("".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(20))
        # (English given: twenty random words are no language's, and detection would say so)
        report = tonecheck.check(f"Hi Sam,\n\nAs I said, {words}.\n\nBest,\nAna", config=config, language="en")
        found = [(f.code, f.start) for f in report.findings if f.code != "JAR010"]
        expected = expected or found
        assert found == expected and ("PAG002", 9) in found  # every reply gets the same findings
        # 30,000 new words were seen; the store holds at most the limit and a reply's worth more
        assert len(engine.nlp.vocab.strings) <= engine.vocab_limit + 100
        assert len(engine.nlp.vocab) <= engine.renewal_limit + 100
    assert engine.renewals >= 4


# -- D9: the safe wrong-name fix with titles ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, name, expected",
    [
        ("Hi Ms,", "Ms. Sara", "Hi Ms,"),
        ("Dear Ms,\nYour order shipped.\n", "Ms. Lopez", "Dear Ms,\nYour order shipped.\n"),
        ("Dear Dr,\nYour order shipped.\n", "Dr. Smith", "Dear Dr,\nYour order shipped.\n"),
        ("Hi John,\nYour order shipped.", "Ms. Lopez", "Hi Ms. Lopez,\nYour order shipped."),
        ("Dear Ms. Smith,\nYour order shipped.", "Ms. Lopez", "Dear Ms. Lopez,\nYour order shipped."),
        ("Hi John,\nYour order shipped.", "Sara Lopez", "Hi Sara,\nYour order shipped."),
    ],
)
def test_d9_the_wrong_name_fix_is_right_with_titles_and_idempotent(text, name, expected):
    preview = tonecheck.Config(preview=True)  # TPL006 (wrong-name) is a preview rule
    first = tonecheck.fix(text, context={"customer_name": name}, config=preview)
    assert first.text == expected
    assert tonecheck.fix(first.text, context={"customer_name": name}, config=preview).edits == ()


def test_d9_the_cli_fix_with_a_titled_customer_name(run_cli):
    result = run_cli(["check", "--fix", "--customer-name", "Ms. Lopez", "-"], stdin="Dear Ms,\nYour order shipped.\n")
    assert result.out == "Dear Ms,\nYour order shipped.\n"


# -- D10: rule packs and configuration cannot hang or crash a run ------------------------------------------


def _pack(folder: Path, body: str, vocab: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yml").write_text(
        "category: passive-aggressive\nrules:\n  - code: TST001\n    name: test-rule\n    message: m\n"
        "    why: w\n    fix: f\n    kind: "
        + ("regex" if "regex:" in body else "phrase")
        + "\n"
        + body
        + '    examples:\n      flag: ["aaa!"]\n      pass: ["b"]\n',
        encoding="utf-8",
    )
    if vocab is not None:
        (folder / "vocab.yml").write_text(vocab, encoding="utf-8")
    return folder


def test_d10_a_backtracking_regex_in_a_rule_pack_times_out_naming_the_rule(run_cli, tmp_path, monkeypatch):
    from tonecheck._engine import linter

    monkeypatch.setattr(linter, "USER_REGEX_TIMEOUT", 0.3)
    rules = _pack(tmp_path / "rules", "    regex: ['(a+)+$']\n")
    reply = tmp_path / "a.txt"
    reply.write_text("a" * 5000 + "!", encoding="utf-8")
    result = run_cli(["check", "--rule-path", str(rules), str(reply)])
    _one_error_line(result, "TST001", "catastrophic backtracking")
    assert result.code == 2


def test_d10_a_backtracking_closing_accepted_pattern_times_out_naming_the_key(tmp_path, monkeypatch):
    from tonecheck._detectors import closing

    monkeypatch.setattr(closing, "USER_REGEX_TIMEOUT", 0.3)
    config = tonecheck.Config(closing={"accepted": [r"(\w+\s?)*$"]}, preview=True)
    # English words: closings are looked for in English replies only
    text = "Hi Sam,\n\nThe parcel left today. " + "the word " * 1500 + "word!\n\nBest,\nAna"
    with pytest.raises(tonecheck.ConfigError, match="closing.accepted"):
        tonecheck.check(text, config=config, channel="email")


@pytest.mark.parametrize(
    "body, vocab, needle",
    [
        ('    phrases: ["' + "(a|b)" * 14 + " " + "(a|b)" * 14 + '"]\n', None, "expands to more than"),
        ('    phrases: ["@loop"]\n', "vocab:\n  loop: ['x @loop']\n", "refers to itself"),
        ('    phrases: ["@one"]\n', "vocab:\n  one: ['@two']\n  two: ['(y|@one)']\n", "refers to itself"),
        ('    phrases: ["' + "(" * 3000 + "a" + ")" * 3000 + '"]\n', None, "nested too deeply"),
    ],
)
def test_d10_phrase_bombs_and_vocabulary_loops_are_rule_errors(run_cli, tmp_path, body, vocab, needle):
    rules = _pack(tmp_path / "rules", body, vocab)
    reply = tmp_path / "r.txt"
    reply.write_text("b\n", encoding="utf-8")
    result = run_cli(["check", "--rule-path", str(rules), str(reply)])
    assert result.code == 2
    _one_error_line(result, "TST001", needle)


# -- D11, D14: every error is one line and exit 2 ----------------------------------------------------------


def test_d11_a_symlink_loop_is_skipped_in_a_walk_and_an_error_when_given(run_cli, tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "self.txt").symlink_to("self.txt")
    (folder / "r.txt").write_text(wrap_reply("Your refund went out today."), encoding="utf-8")
    walked = run_cli(["check", str(folder)])
    _no_traceback(walked)
    assert walked.code == 0 and "self.txt: skipped: a symbolic link loop" in walked.err, walked
    _one_error_line(run_cli(["check", str(folder / "self.txt")]), "self.txt")


def test_d11_a_json_export_with_a_huge_integer_is_linted(run_cli, tmp_path):
    path = tmp_path / "big.json"
    path.write_text(
        '{"big": '
        + "1" * 5000
        + ', "macros": [{"title": "T", "id": '
        + "9" * 4301
        + ', "actions": [{"field": "comment_value", "value": "No, we cannot."}]}]}',
        encoding="utf-8",
    )
    result = run_cli(["check", str(path), "--format", "json"])
    _no_traceback(result)
    assert result.code == 1 and "NEG001" in result.out, result


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        '"x"',
        "null",
        "{}",
        '{"version": 1, "entries": [1]}',
        '{"version": 1, "entries": {}}',
        '{"version": 1, "entries": [{"path": "a", "code": "X", "match": "m", "count": 1e999}]}',
        '{"version": 1, "entries": [{"path": "a", "code": "X", "match": "m", "count": -1}]}',
        '{"version": 1, "entries": [{"path": 1, "code": "X", "match": "m"}]}',
        "[" * 100_000 + "]" * 100_000,
        '{"version": 1, "entries": [{"count": ' + "9" * 5000 + "}]}",
        "\xff\xfe",
        "not json",
    ],
)
def test_d11_a_malformed_baseline_is_one_error_line(run_cli, tmp_path, content):
    baseline = tmp_path / "b.json"
    baseline.write_bytes(content.encode("latin-1") if content.startswith("\xff") else content.encode())
    reply = tmp_path / "r.txt"
    reply.write_text(wrap_reply("We can't."), encoding="utf-8")
    result = run_cli(["check", str(reply), "--baseline", str(baseline)])
    assert result.code == 2
    _one_error_line(result, "b.json")


def test_d14_a_baseline_entry_with_a_null_reply_matches(run_cli, tmp_path):
    reply = tmp_path / "r.txt"
    reply.write_text(wrap_reply("We can't refund it."), encoding="utf-8")
    written = tmp_path / "b.json"
    assert run_cli(["check", str(reply), "--write-baseline", str(written)]).code == 0
    data = json.loads(written.read_text(encoding="utf-8"))
    for entry in data["entries"]:
        entry["reply"] = None
    written.write_text(json.dumps(data), encoding="utf-8")
    assert run_cli(["check", str(reply), "--baseline", str(written)]).code == 0


@pytest.mark.parametrize("where", ["missing/b.json", "."])
def test_d11_write_baseline_into_a_missing_folder_or_onto_a_folder(run_cli, tmp_path, where):
    reply = tmp_path / "r.txt"
    reply.write_text(wrap_reply("We can't."), encoding="utf-8")
    result = run_cli(["check", str(reply), "--write-baseline", str(tmp_path / where)])
    assert result.code == 2
    _one_error_line(result, "baseline")


@pytest.mark.parametrize(
    "call",
    [
        lambda: tonecheck.check("hi", context="Sara"),
        lambda: tonecheck.check("hi", context={"customer_name": 5}),
        lambda: tonecheck.check("hi", context={"customer_name": ["Sara"]}),
        lambda: tonecheck.check("hi", config="x"),
        lambda: tonecheck.check("hi", ignore=5),
        lambda: tonecheck.check(b"hi"),
        lambda: tonecheck.check("hi", mode=None),
        lambda: tonecheck.check("hi", format=5),
        lambda: tonecheck.fix("hi", unsafe="yes"),
        lambda: tonecheck.fix("hi", max_rounds="3"),
        lambda: tonecheck.fix("hi", max_rounds=0),
        lambda: tonecheck.check_file(5),
        lambda: tonecheck.Linter(config={"select": ["NEG"]}),
        lambda: tonecheck.Config(select=5),
        lambda: tonecheck.Config(**{"max-file-bytes": "big"}),
    ],
)
def test_d14_wrong_argument_types_raise_tonecheck_errors(call):
    with pytest.raises(tonecheck.TonecheckError):
        call()


def test_d11_one_bad_file_never_loses_the_other_files_results(run_cli, tmp_path, monkeypatch):
    from tonecheck._engine import linter

    (tmp_path / "a.txt").write_text(wrap_reply("As I said, it shipped."), encoding="utf-8")
    (tmp_path / "b.txt").write_text("boom\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(wrap_reply("We can't refund it."), encoding="utf-8")
    real = linter.Engine._check

    def explode(self, text, **kwargs):
        if text.startswith("boom"):
            raise ValueError("an unexpected bug")
        return real(self, text, **kwargs)

    monkeypatch.setattr(linter.Engine, "_check", explode)
    result = run_cli(["check", str(tmp_path), "--format", "json"])
    assert result.code == 2
    _one_error_line(result, "b.txt", "internal error", "ValueError")
    assert sorted(Path(f["path"]).name for f in json.loads(result.out)["files"]) == ["a.txt", "c.txt"]


# -- D13: CR-only line endings ----------------------------------------------------------------------------


def test_d13_cr_only_line_endings_give_the_lines_editors_show(run_cli, tmp_path):
    lf = "Hi Sara,\n\nThanks for the note.\nAs I said, the refund takes five days.\n"
    for name, content in (("lf.txt", lf), ("crlf.txt", lf.replace("\n", "\r\n")), ("cr.txt", lf.replace("\n", "\r"))):
        path = tmp_path / name
        path.write_bytes(content.encode())
        result = run_cli(["check", str(path), "--select", "PAG002", "--format", "json"])
        [finding] = json.loads(result.out)["files"][0]["findings"]
        assert (finding["line"], finding["column"], finding["end_column"]) == (4, 1, 10), name
        text = run_cli(["check", str(path), "--select", "PAG002"]).out
        assert "    As I said, the refund takes five days.\n    ^^^^^^^^^" in text, name


def test_d13_fixes_read_cr_only_sentences_as_lf_ones():
    lf = "Hi Sara,\n\nActually, the refund was sent.\nActually the parcel left.\n\nBest,\nAna\n"
    cr = lf.replace("\n", "\r")
    assert tonecheck.fix(cr).text == tonecheck.fix(lf).text.replace("\n", "\r")
    assert [(f.code, f.line) for f in tonecheck.check(cr).findings] == [
        (f.code, f.line) for f in tonecheck.check(lf).findings
    ]


# -- D14: encodings and configuration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-32-le", b"\xff\xfe\x00\x00")]
)
def test_d14_utf16_and_utf32_files_with_a_bom_are_read_and_fixed_in_their_encoding(run_cli, tmp_path, encoding, bom):
    path = tmp_path / "wide.txt"
    path.write_bytes(bom + FIXABLE.encode(encoding))
    result = run_cli(["check", str(path), "--format", "json"])
    assert result.code == 1, result
    assert [f["code"] for f in json.loads(result.out)["files"][0]["findings"]] == ["PAG001"]
    run_cli(["check", "--fix", str(path)])
    assert path.read_bytes() == bom + FIXED.encode(encoding)


def test_d14_a_configuration_file_starting_with_a_bom_is_accepted(run_cli, tmp_path):
    (tmp_path / "tonecheck.toml").write_bytes(b"\xef\xbb\xbf" + b'select = ["PAG"]\n')
    path = tmp_path / "r.txt"
    path.write_text(wrap_reply("We can't refund it. As I said, it shipped."), encoding="utf-8")
    result = run_cli(["check", str(path), "--format", "json"])
    _no_traceback(result)
    assert [f["code"] for f in json.loads(result.out)["files"][0]["findings"]] == ["PAG002"]


def test_d14_repeated_double_star_globs_stay_fast():
    from tonecheck._project.discovery import _glob, _matches

    path = "/".join(["a"] * 17)
    for stars in (12, 14, 20):
        pattern = "/".join(["**"] * stars) + "/zzz"
        # repeated "**" are one: the regex has a single wildcard to place, not `stars` of them to share out
        assert _glob(pattern).pattern == _glob("**/zzz").pattern
        assert not _matches(path, pattern)
        assert _matches(path + "/zzz", pattern)


def test_d14_a_saved_reply_named_null_gets_its_position_as_id(tmp_path):
    path = tmp_path / ".github" / "replies.yml"
    path.parent.mkdir()
    path.write_text("- name: null\n  body: We can't refund it.\n- name: ~\n  body: No.\n", encoding="utf-8")
    assert [r.reply_id for r in tonecheck.check_file(path).replies] == ["replies[0]", "replies[1]"]
