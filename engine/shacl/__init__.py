"""SHACL Core compiled to whole-graph SPARQL, with pyshacl as the authority.

compile_shapes() turns a shapes graph into a ShapesProgram (pure, cacheable); validate() runs it on a
store and returns a Report; shapes the compiler does not support go to pyshacl automatically.
"""
from .compiler import ShapesProgram, compile_shapes
from .report import Report, ReportRow
from .run import validate

__all__ = ["Report", "ReportRow", "ShapesProgram", "compile_shapes", "validate"]
