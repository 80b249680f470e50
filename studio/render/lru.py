"""A small bounded cache owned by one renderer (no module-level state)."""
from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

V = TypeVar("V")


class LRU:
    def __init__(self, capacity: int, on_evict: Callable[[object], None] | None = None):
        self.capacity = capacity
        self._data: OrderedDict = OrderedDict()
        self._on_evict = on_evict

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        if key in self._data:
            self._data.move_to_end(key)
            return self._data[key]
        value = make()
        self._data[key] = value
        while len(self._data) > self.capacity:
            _, old = self._data.popitem(last=False)
            if self._on_evict:
                self._on_evict(old)
        return value

    def values(self):
        return list(self._data.values())

    def clear(self) -> None:
        if self._on_evict:
            for value in self._data.values():
                self._on_evict(value)
        self._data.clear()
