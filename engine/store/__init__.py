"""Graph stores behind one interface: embedded Oxigraph (in memory or on disk) or any SPARQL 1.1 endpoint."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError
from .interface import QueryResult, QueryStream, Store

# Seconds an endpoint may take to answer one request. Defined here, not in http.py, so that a run without
# an endpoint never imports the HTTP and TLS modules (about 40 ms of every command).
DEFAULT_TIMEOUT = 120.0


def open_store(name: str = "oxigraph", *, directory: Path | None = None, endpoint: str | None = None,
               update_endpoint: str | None = None, graph_store: str | None = None, auth_env: str | None = None,
               timeout: float = DEFAULT_TIMEOUT) -> Store:
    """The one factory: Oxigraph in memory (no arguments), on disk (`directory`), or a SPARQL endpoint.

    For an endpoint, `update_endpoint` makes it writable, `graph_store` (a Graph Store Protocol URL)
    makes loading files fast, `auth_env` names the environment variable holding the credentials and
    `timeout` bounds each wait on the network, in seconds. `name` is kept for callers that name the
    embedded store ("oxigraph").
    """
    if name not in ("oxigraph", "endpoint"):
        raise StoreError(f"unknown store {name!r}; known stores: oxigraph, endpoint")
    if endpoint is not None and directory is not None:
        raise StoreError("give either a store directory (--store-dir) or an endpoint (--endpoint), not both")
    if endpoint is None and (update_endpoint or graph_store or auth_env):
        raise StoreError("--update-endpoint, --graph-store and --auth-env need --endpoint")
    if endpoint is not None:
        from .endpoint import EndpointStore
        return EndpointStore(endpoint, update_endpoint=update_endpoint, graph_store=graph_store,
                             auth_env=auth_env, timeout=timeout)
    if name == "endpoint":
        raise StoreError("the endpoint store needs an endpoint URL (--endpoint)")
    from .oxigraph import OxigraphStore
    return OxigraphStore(directory)


@dataclass(frozen=True)
class StoreSpec:
    """Where a run's store lives, as the store options gave it; `open()` opens it."""

    directory: Path | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    graph_store: str | None = None
    auth_env: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    @property
    def remote(self) -> bool:
        return self.endpoint is not None

    def open(self) -> Store:
        return open_store(directory=self.directory, endpoint=self.endpoint, update_endpoint=self.update_endpoint,
                          graph_store=self.graph_store, auth_env=self.auth_env, timeout=self.timeout)


__all__ = ["DEFAULT_TIMEOUT", "QueryResult", "QueryStream", "Store", "StoreSpec", "open_store"]
