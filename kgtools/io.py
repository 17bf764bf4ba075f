"""Writing output files and folders whole or not at all, and never over an input.

Every file is written to a temporary sibling and renamed into place when
complete (a device or a pipe, such as ``/dev/null``, is written into); every folder is filled as a temporary sibling and renamed into
place (an existing folder is renamed aside first, then removed). A failure
or an interrupt leaves the previous output as it was and no temporary file.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from kgtools.errors import InputError


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and an existing file is left
    untouched if writing fails.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomic(out, "hello\\n").read_text()
    'hello\\n'
    >>> oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    True
    """
    return write_atomic_together({path: data})[0]


def write_atomic_together(files: dict[str | os.PathLike, str | bytes]) -> list[Path]:
    """Write every file of ``files`` (path: data) whole, all of them or none.

    Each file is written to a temporary sibling; once all are complete they
    are renamed into place one after the other. If a rename fails, or an
    interrupt comes between two renames, the files already renamed are put
    back as they were (an earlier file restored, a new one removed): a merged
    ontology never lies beside the report of another run. A device or a pipe
    (``/dev/stdout``) is written into, last, once every file is in place.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "report.json").mkdir()
    >>> _ = (folder / "report.json" / "x").write_text("a folder in the way")
    >>> write_atomic_together({folder / "merged.owl": "<rdf/>", folder / "report.json": "{}"})
    Traceback (most recent call last):
    ...
    kgtools.errors.InputError: cannot write .../report.json: Is a directory
    >>> sorted(p.name for p in folder.iterdir())
    ['report.json']
    """
    contents: dict[Path, bytes] = {Path(path): data.encode("utf-8") if isinstance(data, str) else data
                                   for path, data in files.items()}
    special = [path for path in contents if _is_special(path)]
    written: dict[Path, str] = {}  # each regular file and its complete temporary sibling
    renamed: list[tuple[Path, str | None]] = []  # each file renamed into place, and where its earlier version is kept
    try:
        for path in contents:
            if path not in special:
                written[path] = _write_temporary(path, contents[path])
        for path, tmp in written.items():
            earlier = _keep_earlier(path, tmp) if len(contents) > 1 else None
            try:
                os.replace(tmp, path)
            except BaseException:
                if earlier:
                    os.unlink(earlier)
                raise
            renamed.append((path, earlier))
        for path in special:
            _write_special(path, contents[path])
    except BaseException as err:
        _put_back(renamed)
        for tmp in written.values():
            Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and not isinstance(err, BrokenPipeError):
            failed = next((p for p in contents if p not in {r for r, _ in renamed}), None)
            raise InputError(f"cannot write {failed}: {err.strerror}") from None
        raise
    for _, earlier in renamed:
        if earlier:
            Path(earlier).unlink(missing_ok=True)
    return list(contents)


def _write_temporary(path: Path, data: bytes) -> str:
    """Write ``data`` to a new temporary sibling of ``path``, with the permissions a plain open() would give."""
    try:
        fd, tmp = tempfile.mkstemp(dir=_parent_folder(path), prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private (0600); give it the permissions a plain open() would.
        os.chmod(tmp, 0o666 & ~_umask())
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {err.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _keep_earlier(path: Path, tmp: str) -> str | None:
    """A second name beside ``tmp`` for the file at ``path`` about to be replaced (a hard link, or a copy where the
    file system has none); None if no file is there."""
    if not path.is_file():
        return None
    earlier = tmp + ".earlier"
    try:
        os.link(path, earlier)
    except OSError:
        shutil.copy2(path, earlier)
    return earlier


def _put_back(renamed: list[tuple[Path, str | None]]) -> None:
    """Undo the renames of :func:`write_atomic_together`, the last first."""
    for path, earlier in reversed(renamed):
        if earlier:
            os.replace(earlier, path)
        else:
            path.unlink(missing_ok=True)


@contextmanager
def atomic_folder(path: str | os.PathLike) -> Iterator[Path]:
    """Fill a temporary sibling of the folder ``path``; when the block ends without error, it becomes ``path``.

    An existing folder at ``path`` is replaced only if every name in it is
    also in the new one (it holds an earlier output, nothing else), and never
    when it holds the current directory. On an error or an interrupt the
    temporary folder is removed and ``path`` is as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "release"
    >>> with atomic_folder(out) as tmp:
    ...     _ = write_atomic(tmp / "a.txt", "a")
    ...     out.exists()
    False
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt']
    """
    target = Path(path)
    check_folder_output(target)
    try:
        tmp = Path(tempfile.mkdtemp(dir=_parent_folder(target), prefix=f".{target.name}.", suffix=".tmp"))
    except OSError as err:
        raise InputError(f"cannot write {target}: {err.strerror}") from None
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        _swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_in(new: Path, target: Path) -> None:
    """Rename the complete folder ``new`` to ``target``; an existing ``target`` is renamed aside, then removed."""
    if not target.exists():
        os.rename(new, target)
        return
    foreign = sorted(set(os.listdir(target)) - set(os.listdir(new)))
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise InputError(f"cannot replace {target}: it holds files this command does not write ({shown}); "
                         "remove them or choose another folder")
    # An empty folder is a rename target on POSIX: the old folder takes its place at once.
    aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def check_folder_output(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` can become an output folder (see :func:`check_outputs`)."""
    _check_writable(path, folder=True)


def check_outputs(outputs: Iterable[tuple[str | os.PathLike, bool]], inputs: Iterable[str | os.PathLike]) -> None:
    """Raise :class:`InputError` unless every output can be written without touching an input.

    ``outputs`` are ``(path, is_folder)`` pairs. An output may not be one of
    the ``inputs`` (the same file: same device and inode, whatever the
    path), a folder output may not hold an input, two outputs may not be the
    same, and each must be writable: its folder exists and a file can be
    created in it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> src = pathlib.Path(tempfile.mkdtemp()) / "a.ttl"
    >>> _ = src.write_text("")
    >>> check_outputs([(src, False)], [src])
    Traceback (most recent call last):
    ...
    kgtools.errors.InputError: ... is also an input; write to another file
    """
    named = [(Path(p), folder) for p, folder in outputs]
    existing = [Path(p) for p in inputs if os.path.exists(p)]
    seen: list[Path] = []
    for path, folder in named:
        for earlier in seen:
            if _same_file(path, earlier) or path.resolve() == earlier.resolve():
                raise InputError(f"{path} is named as two outputs; give each its own file")
        seen.append(path)
        for source in existing:
            if _same_file(path, source):
                raise InputError(f"{path} is also an input; write to another {'folder' if folder else 'file'}")
            if folder and path.resolve() in source.resolve().parents:
                raise InputError(f"{path} holds the input {source}; write to another folder")
        _check_writable(path, folder)


def _check_writable(path: Path, folder: bool) -> None:
    if folder:
        if path.exists() and not path.is_dir():
            raise InputError(f"cannot write {path}: it is a file, not a folder")
        if path.exists() and (path.resolve() == Path.cwd() or path.resolve() in Path.cwd().parents):
            raise InputError(f"cannot replace {path}: it holds the current folder; choose another folder")
    elif path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder, not a file")
    elif _is_special(path):
        return
    directory = _parent_folder(path)
    try:
        fd, probe = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror}") from None
    os.close(fd)
    os.unlink(probe)


def _is_special(path: Path) -> bool:
    """Whether ``path`` is a device, a pipe or a socket (``/dev/null``, ``/dev/stdout``): written into, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_special(path: Path, data: bytes) -> Path:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except BrokenPipeError:  # /dev/stdout into `head`: the reader has gone, as for standard output
        raise
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror}") from None
    return path


def _parent_folder(path: Path) -> Path:
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        what = f"{directory} is not a folder" if directory.exists() else f"folder {directory} does not exist"
        raise InputError(f"cannot write {path}: {what}")
    return directory


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samestat(os.stat(a), os.stat(b))
    except OSError:
        return False


def _umask() -> int:
    """The process's file-creation mask (reading it means setting it, so it is set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
