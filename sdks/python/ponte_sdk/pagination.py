"""Cursor pagination: Ponte's lists answer a page and an opaque ``nextCursor``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


def paginate(fetch_page: Callable[[str | None], tuple[list[T], str | None]]) -> Iterator[T]:
    """Every item of every page; the next page is fetched only when reached.

    ``fetch_page(cursor)`` answers ``(items, next_cursor)``, ``next_cursor`` None
    on the last page.
    """
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        items, cursor = fetch_page(cursor)
        yield from items
        if not cursor or cursor in seen:
            return
        seen.add(cursor)
