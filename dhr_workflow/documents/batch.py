"""Many files of stored document versions at once, for a pack: stored files read in one query, the missing ones
rendered in parallel in a pool of processes sized to the machine's CPUs, each stored as it arrives (issue 17: a
cold `dhr docs pack` took 39 s rendering about a hundred and seventy files one after another).

The pool's processes are started fresh (`spawn`), not forked: a forked child would share the parent's database
connections. They only render (HTML -> PDF, Word, text) from the stored data; every database write stays in this
process, one short transaction a file, exactly as `versions.file_for` does for a single file.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.documents.catalogue import template_info
from dhr_workflow.documents.pipeline import render
from dhr_workflow.documents.tables import DocumentFile, GeneratedDocument

# Below this many files to make, starting processes costs more than it saves.
MIN_PARALLEL_FILES = 6

Wanted = tuple[GeneratedDocument, str, str]  # (stored version, format, variant)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(jobs: int, workers: int | None = None) -> int:
    """How many processes to render `jobs` files with: 0 means render here, one after another."""
    if multiprocessing.current_process().daemon:
        return 0  # a daemonic process (a Celery prefork child) may not start processes of its own
    available = cpu_count() if workers is None else workers
    if available < 2 or jobs < MIN_PARALLEL_FILES:
        return 0
    return min(available, jobs)


def files_for(ctx: AppContext, wanted: list[Wanted], by: str, workers: int | None = None) -> Iterator[bytes]:
    """The bytes of each wanted file, in order: stored ones as stored, the others made (in parallel) and stored."""
    stored = _stored(ctx, {doc.id or 0 for doc, _, _ in wanted})
    missing = [(doc, fmt, variant) for doc, fmt, variant in wanted if (doc.id, fmt, variant) not in stored]
    for doc, _, _ in missing:
        if doc.template_version != template_info(doc.template).template_version:
            raise InvalidInput(
                f"version {doc.version} of {doc.template} was made with an older template and has no stored files; "
                "regenerate the document to get the current wording"
            )
    pool_size = workers_for(len(missing), workers)
    if not pool_size:
        yield from _in_order(ctx, wanted, stored, {}, by)  # made one at a time, as they are reached
        return
    with ProcessPoolExecutor(pool_size, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {
            key: pool.submit(render, template_info(doc.template).template, doc.data, fmt, variant)
            for key, (doc, fmt, variant) in _keyed(missing)
        }
        yield from _in_order(ctx, wanted, stored, futures, by)


def _keyed(items: list[Wanted]) -> Iterator[tuple[tuple[int | None, str, str], Wanted]]:
    for doc, fmt, variant in items:
        yield (doc.id, fmt, variant), (doc, fmt, variant)


def _make(doc: GeneratedDocument, fmt: str, variant: str) -> bytes:
    return render(template_info(doc.template).template, doc.data, fmt, variant)


def _in_order(
    ctx: AppContext,
    wanted: list[Wanted],
    stored: dict[tuple[int | None, str, str], bytes],
    made: dict[tuple[int | None, str, str], Future[bytes]],
    by: str,
) -> Iterator[bytes]:
    for doc, fmt, variant in wanted:
        key = (doc.id, fmt, variant)
        if key in stored:
            yield stored[key]
            continue
        pending = made.get(key)
        content = pending.result() if pending is not None else _make(doc, fmt, variant)
        _store(ctx, doc.id or 0, fmt, variant, content, by)
        stored[key] = content  # the same file asked for twice is made once
        yield content


def _stored(ctx: AppContext, document_ids: set[int]) -> dict[tuple[int | None, str, str], bytes]:
    if not document_ids:
        return {}
    with ctx.db.read() as session:
        rows = session.execute(
            select(DocumentFile.document_id, DocumentFile.format, DocumentFile.variant, DocumentFile.content).where(
                DocumentFile.document_id.in_(document_ids)  # type: ignore[union-attr]
            )
        )
        return {(doc_id, fmt, variant): content for doc_id, fmt, variant, content in rows}


def _store(ctx: AppContext, document_id: int, fmt: str, variant: str, content: bytes, by: str) -> None:
    try:
        with ctx.db.write() as session:
            session.add(
                DocumentFile(
                    document_id=document_id,
                    format=fmt,
                    variant=variant,
                    content=content,
                    sha256=hashlib.sha256(content).hexdigest(),
                    size=len(content),
                    source="generated",
                    created_by=by,
                )
            )
    except IntegrityError:
        pass  # made at the same moment by another worker: identical bytes from identical data
