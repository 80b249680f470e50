"""The registry of item kinds: every part of Studio that treats items differently by kind asks it
(`kind_of(item)`), and the render and window layers attach their per-kind behaviour in registries
of the same shape (studio.render.kinds, studio.ui.kinds), keyed by the kind's name.

Like OpenTimelineIO's schema registry, it is module state on purpose: the built-in kinds are filled
in on first use, and a kind added later (a plug-in, a test's toy kind) is visible to the project
reader, the edits, the renderer and the window alike. Change it only through `register` and
`unregister` (or the `registered` context manager)."""
from __future__ import annotations

import threading
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Callable, Generic, Iterable, Iterator, TypeVar

from .fields import ItemKind
from .items import BUILTIN_KINDS

T = TypeVar("T")


class KindRegistry(Generic[T]):
    """Entries with a `name` (an item kind's), keyed by it: the built-ins, made by `builtins` on
    first use (so the modules that implement them may import the registry), plus any registered
    later. Built-ins cannot be replaced or removed."""

    def __init__(self, what: str, builtins: Callable[[], Iterable[T]]):
        self._what = what
        self._builtins = builtins
        self._table: dict[str, T] | None = None
        self._builtin_names: frozenset[str] = frozenset()
        self._lock = threading.RLock()  # the preview's render thread may ask first

    def _entries(self) -> dict[str, T]:
        if self._table is None:
            with self._lock:
                if self._table is None:
                    table = {entry.name: entry for entry in self._builtins()}
                    self._builtin_names = frozenset(table)
                    self._filled(table)
                    self._table = table
        return self._table

    def register(self, entry: T) -> T:
        with self._lock:
            table = self._entries()
            if entry.name in table:
                raise ValueError(f"{self._what} '{entry.name}' is already registered")
            self._check(entry)
            table[entry.name] = entry
            self._added(entry)
        return entry

    def unregister(self, name: str) -> None:
        with self._lock:
            table = self._entries()
            if name in self._builtin_names:
                raise ValueError(f"{self._what} '{name}' is built in and cannot be removed")
            entry = table.pop(name, None)
            if entry is not None:
                self._removed(entry)

    @contextmanager
    def registered(self, entry: T) -> Iterator[T]:
        """Registered for the duration of a `with` block (tests, previews of a plug-in)."""
        self.register(entry)
        try:
            yield entry
        finally:
            self.unregister(entry.name)

    def get(self, name: str) -> T | None:
        return self._entries().get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._entries()

    def all(self) -> tuple[T, ...]:
        """Built-ins first, in their order, then the others in the order they were registered."""
        return tuple(self._entries().values())

    def _filled(self, table: dict[str, T]) -> None:
        pass

    def _check(self, entry: T) -> None:
        pass

    def _added(self, entry: T) -> None:
        pass

    def _removed(self, entry: T) -> None:
        pass


class _ItemKinds(KindRegistry[ItemKind]):
    """Also finds a kind by its dataclass."""

    def __init__(self):
        super().__init__("item kind", lambda: BUILTIN_KINDS)
        self._by_class: dict[type, ItemKind] = {}

    def _filled(self, table: dict[str, ItemKind]) -> None:
        self._by_class = {kind.cls: kind for kind in table.values()}

    def _check(self, kind: ItemKind) -> None:
        if not isinstance(kind, ItemKind):
            raise TypeError(f"not an ItemKind: {kind!r}")
        if kind.cls in self._by_class:
            raise ValueError(f"item kind '{kind.name}': {kind.cls.__name__} is already the "
                             f"'{self._by_class[kind.cls].name}' kind")

    def _added(self, kind: ItemKind) -> None:
        self._by_class[kind.cls] = kind

    def _removed(self, kind: ItemKind) -> None:
        self._by_class.pop(kind.cls, None)

    def of(self, item_or_class) -> ItemKind:
        self._entries()
        cls = item_or_class if isinstance(item_or_class, type) else type(item_or_class)
        try:
            return self._by_class[cls]
        except KeyError:
            raise KeyError(f"{cls.__name__} is not a registered item kind") from None


ITEM_KINDS = _ItemKinds()


def kind_of(item_or_class) -> ItemKind:
    """The kind of an item (or of an item class); KeyError for a class that is not registered."""
    return ITEM_KINDS.of(item_or_class)


def find_kind(name: str) -> ItemKind | None:
    """The kind named `name` in project files ("clip", "text", ...), or None."""
    return ITEM_KINDS.get(name) if isinstance(name, str) else None


def item_kinds() -> tuple[ItemKind, ...]:
    return ITEM_KINDS.all()


def register_kind(kind: ItemKind) -> ItemKind:
    return ITEM_KINDS.register(kind)


def unregister_kind(name: str) -> None:
    ITEM_KINDS.unregister(name)


class _TrackOfItem(Mapping):
    """item class -> the kind of track it lives on, read from the registry (the old KIND_OF_ITEM table)."""

    def __getitem__(self, cls: type) -> str:
        try:
            return kind_of(cls).track
        except KeyError:
            raise KeyError(cls) from None

    def __iter__(self):
        return iter([kind.cls for kind in item_kinds()])

    def __len__(self) -> int:
        return len(item_kinds())


KIND_OF_ITEM: Mapping[type, str] = _TrackOfItem()


def key_problem(item) -> str | None:
    """Why an item's keys cannot animate it (as '<where> ...'), or None. A key names an animatable
    field of the item or 'effect_id.param' of an effect the item carries (the effect registry
    checks the param itself when the item is rendered)."""
    keys = getattr(item, "keys", ())
    if not keys:
        return None
    kind = kind_of(item)
    effect_ids = {ref.id for ref in kind.effects(item)}
    for key in keys:
        if "." in key.param:
            effect_id = key.param.split(".", 1)[0]
            if effect_id not in effect_ids:
                return f"keys: '{key.param}' animates effect '{effect_id}', which the item does not have"
            continue
        field = kind.field(key.param)
        if field is None or not field.animatable:
            animatable = ", ".join(f.name for f in kind.fields if f.animatable) or "nothing"
            return f"keys: '{key.param}' cannot be animated (a {kind.name} animates {animatable})"
        problem = field.problem(key.value)
        if problem:
            return f"keys: {key.param} at frame {key.frame} {problem}"
    return None
