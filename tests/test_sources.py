"""Local input: reading files and stdin with the size cap, expanding directories."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from noticecheck.model import UnreadableInput
from noticecheck.sources import iter_paths, read_document


def test_read_document_reads_bytes_and_names(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes(b"Privacy notice\n")
    document = read_document(str(path), max_bytes=1000)
    assert document.data == b"Privacy notice\n"
    assert document.source == str(path)
    assert document.filename == "notice.txt"


def test_missing_file_is_not_found(tmp_path):
    with pytest.raises(UnreadableInput) as caught:
        read_document(str(tmp_path / "nope.pdf"), max_bytes=1000)
    assert caught.value.code == "not-found"
    assert str(caught.value) == f"no such file: {tmp_path / 'nope.pdf'}"


def test_directory_is_not_a_document(tmp_path):
    with pytest.raises(UnreadableInput) as caught:
        read_document(str(tmp_path), max_bytes=1000)
    assert caught.value.code == "not-found"
    assert "directory" in str(caught.value)


def test_size_is_checked_from_stat_before_reading(tmp_path):
    path = tmp_path / "huge.pdf"
    with open(path, "wb") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: stat says 3 MiB, nothing to read
    with pytest.raises(UnreadableInput) as caught:
        read_document(str(path), max_bytes=1024 * 1024)
    assert caught.value.code == "too-large"
    assert "3 MiB" in str(caught.value) and "1 MiB" in str(caught.value) and "--max-bytes" in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_says_permission_denied(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(UnreadableInput) as caught:
        read_document(str(path), max_bytes=1000)
    assert caught.value.code == "permission-denied"


def _check_command(*args: str) -> subprocess.CompletedProcess:
    """`noticecheck check ...` as a real process, so a hang fails the test instead of stalling it."""
    command = [sys.executable, "-c", "from noticecheck.cli import main; main()", "check", "--no-color", "--isolated", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_fifo_gets_a_status_and_the_other_files_are_still_checked(tmp_path):
    os.mkfifo(tmp_path / "fifo.txt")  # nobody ever writes to it: opening it would block for ever
    (tmp_path / "notice.txt").write_text("Privacy notice\n\nWe are the data controller for your information.\n")
    for args in ([str(tmp_path / "fifo.txt"), str(tmp_path / "notice.txt")], [str(tmp_path)]):
        done = _check_command("--format", "json", *args)
        assert done.returncode == 2, done.stderr  # an unreadable input, the others reported
        documents = {d["source"].rsplit("/", 1)[-1]: d for d in json.loads(done.stdout)["documents"]}
        assert documents["fifo.txt"]["status"] == "unreadable"
        assert documents["fifo.txt"]["error"]["code"] == "not-a-file"
        assert "named pipe" in documents["fifo.txt"]["error"]["message"]
        assert documents["notice.txt"]["status"] == "checked"


def _read_stdin(data: bytes, max_bytes: int) -> subprocess.CompletedProcess:
    script = (
        "import sys\n"
        "from noticecheck.sources import read_document\n"
        "from noticecheck.model import UnreadableInput\n"
        "try:\n"
        f"    d = read_document('-', max_bytes={max_bytes})\n"
        "    print(d.source, len(d.data), d.filename)\n"
        "except UnreadableInput as e:\n"
        "    print(e.code, e)\n"
    )
    return subprocess.run([sys.executable, "-c", script], input=data, capture_output=True, check=True, timeout=60)


def test_stdin_is_read_as_bytes():
    assert _read_stdin(b"Privacy\xa3\n", 100).stdout.decode().strip() == "- 9 None"


def test_stdin_over_the_cap_is_too_large():
    out = _read_stdin(b"x" * 2000, 1000).stdout.decode()
    assert out.startswith("too-large input is over the 1000 bytes size limit")


def test_iter_paths_expands_directories_recursively_sorted_and_filtered(tmp_path):
    files = [
        "b.txt", "a.PDF", "notes.csv", "sub/z.md", "sub/deeper/y.docx", "sub/x.html", ".hidden.txt",
        ".git/config.txt", "sub/.cache/c.txt", "~$lock.docx", "page.htm", "c.odt", "d.markdown",
    ]  # fmt: skip
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = [os.path.relpath(p, tmp_path) for p in iter_paths([str(tmp_path)])]
    assert found == ["a.PDF", "b.txt", "c.odt", "d.markdown", "page.htm", "sub/deeper/y.docx", "sub/x.html", "sub/z.md"]


def test_iter_paths_passes_files_dash_and_missing_paths_through(tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "n.txt").write_text("x")
    given = ["-", str(tmp_path / "odd.csv"), str(tmp_path / "missing.pdf"), str(tmp_path / "dir")]
    assert list(iter_paths(given)) == given[:3] + [str(tmp_path / "dir" / "n.txt")]


def test_iter_paths_is_lazy(tmp_path):
    paths = iter_paths(["-", str(tmp_path)])
    assert next(paths) == "-"
