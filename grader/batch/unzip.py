"""Extract a class .zip safely: no path outside the target, no links, a cap on size and count.

Entry names without the zip's UTF-8 flag are decoded the way Windows and macOS archivers wrote
them (cp437 bytes that are really UTF-8 or cp949, common with Korean names).
"""

from __future__ import annotations

import shutil
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from grader.errors import GradeError

MAX_BYTES = 1 << 30  # uncompressed bytes in one class zip
MAX_ENTRIES = 100_000
CHUNK = 1 << 20


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as the archiver meant it, with / as the separator."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", errors="replace")
        for encoding in ("utf-8", "cp949"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return name.replace("\\", "/")


def safe_parts(name: str, archive: Path) -> tuple[str, ...]:
    """The path components of an entry; GradeError for absolute paths or `..`."""
    path = PurePosixPath(name)
    parts = tuple(p for p in path.parts if p not in ("", "."))
    if path.is_absolute() or ".." in parts or (parts and ":" in parts[0]):
        raise GradeError(f"{archive} holds an unsafe path {name!r} (absolute or with ..); "
                         "refusing to extract it: re-create the zip from the class folder")
    return parts


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, budget: int, archive: Path) -> int:
    """Copy one member, stopping when more than `budget` bytes come out; returns bytes written."""
    written = 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zf.open(info) as src, open(dest, "wb") as fh:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            if written > budget:
                raise GradeError(f"{archive} expands to more than {MAX_BYTES >> 20} MB; "
                                 "grade it as a folder or split the class")
            fh.write(chunk)
    return written


def _extract(zf: zipfile.ZipFile, archive: Path, target: Path) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise GradeError(f"{archive} holds {len(infos)} entries (more than {MAX_ENTRIES}); split the class")
    if sum(i.file_size for i in infos) > MAX_BYTES:
        raise GradeError(f"{archive} expands to more than {MAX_BYTES >> 20} MB; grade it as a folder or split the class")
    seen, left = set(), MAX_BYTES
    for info in infos:
        parts = safe_parts(entry_name(info), archive)
        if not parts or info.is_dir() or _is_link(info):
            continue
        if parts in seen:
            raise GradeError(f"{archive} holds {'/'.join(parts)} twice; re-create the zip from the class folder")
        seen.add(parts)
        left -= _copy(zf, info, target.joinpath(*parts), left, archive)


def extract_zip(archive: Path, target: Path) -> Path:
    """Extract `archive` into `target` (made empty first); returns `target`."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    try:
        with zipfile.ZipFile(archive) as zf:
            _extract(zf, archive, target)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise GradeError(f"{archive} is not a readable zip file ({exc}); re-create it or unzip it "
                         "and give the folder") from None
    except OSError as exc:
        raise GradeError(f"could not extract {archive}: {exc.strerror or exc}") from None
    return target
