"""Graph stores behind one interface; backends are imported when first used."""
from __future__ import annotations

from importlib import import_module

from ..errors import StoreError
from .interface import QueryResult, Store

STORES = {
    "oxigraph": ("maturity_graph.store.oxigraph", "OxigraphStore"),
    "memory": ("maturity_graph.store.memory", "MemoryStore"),
}


def open_store(name: str = "oxigraph") -> Store:
    try:
        module_name, class_name = STORES[name]
    except KeyError:
        raise StoreError(f"unknown store {name!r}; known stores: {', '.join(STORES)}") from None
    return getattr(import_module(module_name), class_name)()


__all__ = ["QueryResult", "STORES", "Store", "open_store"]
