"""Framework packs: a model a GRC engineer writes as framework.yaml and a spreadsheet, built into the same
Turtle and SHACL the bundled models use, and checked like them (docs/packs.md)."""
from .build import BuiltPack, build_pack
from .check import PackCheck, PackFinding, check_pack
from .model import Pack
from .reader import is_built, is_pack, read_pack

__all__ = ["BuiltPack", "Pack", "PackCheck", "PackFinding", "build_pack", "check_pack", "is_built", "is_pack",
           "read_pack"]
