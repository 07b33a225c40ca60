"""SHACL Core shapes compiled into whole-graph SPARQL: a few queries per group of like shapes.

Shapes with the same structure (`Shape.signature`) form a group and share every query: their targets
meet in one VALUES block that numbers each shape (?shape), so ~750 requirement shapes are one query.
Each reporting shape of a group (the targeted shape and the property shapes under it) gets one query
per constraint, run over all focus nodes at once, except that in a group without sh:targetNode the value
checks of the direct property shapes are one scanned query (report-scanned in constraints.rq).
Nested shapes (sh:node, sh:not, sh:and, sh:or, sh:xone, sh:qualifiedValueShape) compile to sub-patterns
that bind the candidate nodes failing them, so nesting costs no extra round trips and no focus node is
ever queried alone.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from ..errors import ContentError
from .fragments import fill, join
from .paths import sparql_path
from .shapes import Constraint, Shape, ShapeReader

# sh:datatype values whose lexical space a SPARQL cast checks (derived integers through xsd:integer).
CASTS = {XSD.integer: XSD.integer, XSD.decimal: XSD.decimal, XSD.float: XSD.float, XSD.double: XSD.double,
         XSD.boolean: XSD.boolean, XSD.dateTime: XSD.dateTime, XSD.date: XSD.date, XSD.time: XSD.time,
         **{t: XSD.integer for t in (XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
                                      XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
                                      XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte)}}
KINDS = {SH.IRI: "kind-iri", SH.BlankNode: "kind-blank", SH.Literal: "kind-literal",
         SH.BlankNodeOrIRI: "kind-blank-or-iri", SH.BlankNodeOrLiteral: "kind-blank-or-literal",
         SH.IRIOrLiteral: "kind-iri-or-literal"}
RANGES = {SH.MinExclusiveConstraintComponent: "min-exclusive", SH.MinInclusiveConstraintComponent: "min-inclusive",
          SH.MaxExclusiveConstraintComponent: "max-exclusive", SH.MaxInclusiveConstraintComponent: "max-inclusive"}
PAIRED = {SH.DisjointConstraintComponent: "disjoint", SH.LessThanConstraintComponent: "less-than",
          SH.LessThanOrEqualsConstraintComponent: "less-than-or-equals"}
# Components whose results name no value node (SHACL 1.0, section 4).
NO_VALUE = {SH.MinCountConstraintComponent, SH.HasValueConstraintComponent, SH.MaxCountConstraintComponent,
            SH.UniqueLangConstraintComponent,
            SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent}


class Unsupported(Exception):
    """A construct the compiler leaves to pyshacl."""


@dataclass
class Member:
    """One targeted shape of a group: its reporting shapes listed in the group's canonical walk order."""

    shape: Shape
    positions: list[Shape]


@dataclass(frozen=True)
class CompiledQuery:
    """One report query: rows are (?shape, ?this, ?value, ?path) for one constraint of one reporting shape.

    A scanned query checks several constraints at once: its rows add ?k, an index into `tagged`, which
    names the reporting shape (position) and component of each result.
    """

    text: str
    group: int
    position: int
    component: URIRef
    messages: tuple[str, ...] = ()  # a SPARQL constraint's own sh:message, which comes before its shape's
    tagged: tuple[tuple[int, URIRef], ...] = ()


@dataclass
class Group:
    members: list[Member]
    queries: list[CompiledQuery] = field(default_factory=list)


@dataclass
class ShapesProgram:
    """What compile_shapes makes of a shapes graph; pure, so a caller may cache it (shacl/cache.py keeps it on disk).

    A program read back from the disk cache holds no graph, only `build`, which makes it again when pyshacl
    needs it (engine="pyshacl", or shapes left to the fallback): the compiled path never parses the shapes.
    """

    groups: list[Group]
    classes: list[URIRef]
    class_targets: list[list[tuple[int, URIRef]]]
    fallback: list[Shape]
    unsupported: list[tuple[Node, str]]
    graph: Graph | None = None
    build: Callable[[], Graph] | None = field(default=None, repr=False, compare=False)

    @property
    def shapes(self) -> Graph:
        """The shapes graph the program was compiled from, built on first use if the program came from the cache."""
        if self.graph is None:
            if self.build is None:
                raise ContentError("this compiled SHACL program has no shapes graph to give pyshacl")
            self.graph = self.build()
        return self.graph

    @property
    def query_count(self) -> int:
        return sum(len(g.queries) for g in self.groups)


def compile_shapes(shapes: Graph) -> ShapesProgram:
    """Group the targeted shapes of `shapes` by structure and compile each group's queries."""
    reader = ShapeReader(shapes)
    program = ShapesProgram(groups=[], classes=[], class_targets=[], fallback=[], unsupported=[], graph=shapes)
    by_signature: dict[tuple[object, ...], Group] = {}
    for shape in reader.targeted_shapes():
        problems = shape.all_problems()
        if problems:
            program.fallback.append(shape)
            program.unsupported.append((shape.node, problems[0]))
            continue
        group = by_signature.setdefault(shape.signature(), Group(members=[]))
        group.members.append(Member(shape=shape, positions=_walk(shape)))
    for group in by_signature.values():
        index = len(program.groups)
        try:
            group.queries = _Builder(program, index, group).queries()
        except Unsupported as err:
            for member in group.members:
                program.fallback.append(member.shape)
                program.unsupported.append((member.shape.node, str(err)))
            continue
        program.groups.append(group)
    return program


def _walk(shape: Shape) -> list[Shape]:
    """The reporting shapes under a targeted shape: itself, then its property shapes, depth first."""
    shape.signature()  # sorts constraints and property shapes canonically
    found = [shape]
    for prop in shape.properties:
        found += _walk(prop)
    return found


def term(node: Node) -> str:
    """A term as SPARQL text (shapes-graph blank nodes never get here: the reader rejects them)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise Unsupported(f"{node!r} cannot be written in a query")


class _Builder:
    """Writes the queries of one group."""

    def __init__(self, program: ShapesProgram, index: int, group: Group) -> None:
        self.program = program
        self.index = index
        self.group = group
        self.nesting = 0  # above 0 while writing a nested shape's failing-node pattern

    def queries(self) -> list[CompiledQuery]:
        found: list[CompiledQuery] = []
        root = self.group.members[0].shape
        position = [0]
        root_focus = self.focus()
        scan = not any(m.shape.target_nodes for m in self.group.members)
        branches: list[str] = []
        tagged: list[tuple[int, URIRef]] = []

        def visit(shape: Shape, focus: str) -> None:
            here = position[0]
            position[0] += 1
            if shape.deactivated:
                position[0] += len(_walk(shape)) - 1
                return
            for constraint in shape.constraints:
                if scan and focus is root_focus and _bounded(shape.path) and self.scannable(constraint):
                    branch = self.body(shape, constraint, "")
                    branches.append(fill("tagged-branch", BODY=branch, INDEX=str(len(tagged))))
                    tagged.append((here, constraint.component))
                    continue
                body = self.body(shape, constraint, focus, hashed=scan and focus is root_focus)
                text, messages = fill("report", BODY=body), ()
                if constraint.component == SH.SPARQLConstraintComponent:
                    prologue = [fill("prefix", NAME=n, NAMESPACE=ns) for n, ns in constraint.params[1]]
                    text, messages = "\n".join([*prologue, text]), constraint.params[3]
                found.append(CompiledQuery(text, self.index, here, constraint.component, messages))
            inner = focus if shape.path is None else fill("focus-of-values", FOCUS=focus, PATH=sparql_path(shape.path))
            for prop in shape.properties:
                visit(prop, inner)

        visit(root, root_focus)
        if tagged:
            text = fill("report-scanned", BRANCHES=join("union", branches), FOCUS=root_focus)
            found.append(CompiledQuery(text, self.index, tagged[0][0], tagged[0][1], tagged=tuple(tagged)))
        return found

    def scannable(self, constraint: Constraint) -> bool:
        """A constraint of a direct property shape whose failures need no focus node to be found: they come
        from one scan of the path's triples, and only the few failing rows are joined with the focus nodes."""
        c = constraint.component
        if c in SCANNED:
            return True
        return c in LOGICAL and _Fusion(self).constraint(constraint, "?value") is not None

    def focus(self) -> str:
        """The focus pattern of the whole group: every member's targets, numbered by member."""
        nodes, classes, subjects, objects = [], [], [], []
        for number, member in enumerate(self.group.members):
            shape, tag = member.shape, Literal(number).n3()
            nodes += [fill("pair", LEFT=tag, RIGHT=term(n)) for n in shape.target_nodes]
            classes += [(number, c) for c in shape.target_classes if isinstance(c, URIRef)]
            subjects += [fill("pair", LEFT=tag, RIGHT=term(p)) for p in shape.subjects_of]
            objects += [fill("pair", LEFT=tag, RIGHT=term(p)) for p in shape.objects_of]
        parts = []
        if nodes:
            parts.append(fill("target-nodes", PAIRS=" ".join(nodes)))
        if classes:
            self.program.class_targets.append(classes)
            parts.append(fill("target-classes", PAIRS=f"{{{{class-pairs:{len(self.program.class_targets) - 1}}}}}"))
        if subjects:
            parts.append(fill("target-subjects", PAIRS=" ".join(subjects)))
        if objects:
            parts.append(fill("target-objects", PAIRS=" ".join(objects)))
        return fill("focus", PARTS=join("union", parts))

    def closure(self, cls: URIRef) -> str:
        if cls not in self.program.classes:
            self.program.classes.append(cls)
        return f"{{{{closure:{self.program.classes.index(cls)}}}}}"

    @staticmethod
    def value_nodes(shape: Shape, focus: str) -> str:
        if shape.path is None:
            return fill("value-nodes-self", FOCUS=focus)
        return fill("value-nodes-path", FOCUS=focus, PATH=sparql_path(shape.path))

    @staticmethod
    def candidates(shape: Shape, focus: str) -> str:
        if shape.path is None:
            return fill("candidates-of-focus", FOCUS=focus)
        return fill("candidates-of-values", FOCUS=focus, PATH=sparql_path(shape.path))

    def body(self, shape: Shape, constraint: Constraint, focus: str, hashed: bool = False) -> str:
        """The group pattern whose solutions are the results of one constraint over `focus`.

        `hashed` (the root focus of a group without sh:targetNode, or no focus at all) asks for the forms
        Oxigraph runs as hash joins over whole scans rather than as one lookup per focus node.
        """
        c, params = constraint.component, constraint.params
        values = self.value_nodes(shape, focus)
        path = sparql_path(shape.path) if shape.path is not None else ""
        hashed = hashed or not focus
        if c == SH.ClassConstraintComponent:
            return fill("class-scanned" if hashed else "class", VALUE_NODES=values, CLASSES=self.closure(params[0]))
        if c == SH.InConstraintComponent:
            return fill("in", VALUE_NODES=values, TERMS=" ".join(term(t) for t in params))
        if c == SH.MinCountConstraintComponent and params[0] == 1 and hashed and _bounded(shape.path):
            return fill("min-count-one", FOCUS=focus, PATH=path)
        if c in (SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent):
            name = "min-count" if c == SH.MinCountConstraintComponent else "max-count"
            return fill(name, FOCUS=focus, PATH=path, COUNT=str(params[0]))
        if c == SH.HasValueConstraintComponent:
            if shape.path is None:
                return fill("test", VALUE_NODES=values, TEST=self.test(constraint))
            return fill("has-value", FOCUS=focus, PATH=path, TERM=term(params[0]))
        if c == SH.UniqueLangConstraintComponent:
            return fill("unique-lang", VALUE_NODES=values)
        if c == SH.EqualsConstraintComponent:
            if shape.path is None:
                return fill("equals-self", FOCUS=focus, OTHER=term(params[0]))
            return fill("equals-path", FOCUS=focus, PATH=path, OTHER=term(params[0]))
        if c in PAIRED:
            return fill(PAIRED[c], VALUE_NODES=values, OTHER=term(params[0]))
        if c == SH.SPARQLConstraintComponent:
            if self.nesting:
                raise Unsupported("a SPARQL constraint inside a nested shape is not compiled")
            select = params[0].replace("$PATH", path)
            if params[2] is not None:
                select = re.sub(r"[$?]currentShape\b", term(params[2]), select)
            return fill("sparql", FOCUS=focus, SELECT=select)
        if c == SH.ClosedConstraintComponent:
            return fill("closed", VALUE_NODES=values, ALLOWED=" ".join(term(t) for t in params))
        if c in (SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent):
            return self.qualified(shape, constraint, focus)
        if c in (SH.NodeConstraintComponent, SH.NotConstraintComponent, SH.AndConstraintComponent,
                 SH.OrConstraintComponent, SH.XoneConstraintComponent):
            fused = _Fusion(self).constraint(constraint, "?value")
            if fused is not None:
                return fill("fused-value", VALUE_NODES=values, BLOCKS=fused[0], FAILS=fused[1])
            bad = self.logical(constraint, self.candidates(shape, focus))
            return fill("bad-value", VALUE_NODES=values, BAD=bad)
        return fill("test", VALUE_NODES=values, TEST=self.test(constraint))

    def test(self, constraint: Constraint, var: str = "?value") -> str:
        """The expression a value node (`var`) must satisfy for a value-type, range, string or language constraint."""
        c, params = constraint.component, constraint.params
        if c == SH.HasValueConstraintComponent:
            return fill("same", VALUE=var, TERM=term(params[0]))
        if c == SH.DatatypeConstraintComponent:
            cast = CASTS.get(params[0])
            if cast is None:
                return fill("datatype", VALUE=var, DATATYPE=term(params[0]))
            return fill("datatype-well-formed", VALUE=var, DATATYPE=term(params[0]), CAST=term(cast))
        if c == SH.NodeKindConstraintComponent:
            return fill(KINDS[params[0]], VALUE=var)
        if c in RANGES:
            return fill(RANGES[c], VALUE=var, BOUND=term(params[0]))
        if c in (SH.MinLengthConstraintComponent, SH.MaxLengthConstraintComponent):
            name = "min-length" if c == SH.MinLengthConstraintComponent else "max-length"
            return fill(name, VALUE=var, COUNT=str(params[0]))
        if c == SH.PatternConstraintComponent:
            return fill("pattern", VALUE=var, PATTERN=Literal(params[0]).n3(), FLAGS=Literal(params[1]).n3())
        if c == SH.LanguageInConstraintComponent:
            if not params:
                return fill("never")
            return join("either", [fill("language", VALUE=var, TAG=Literal(t).n3()) for t in params])
        raise Unsupported(f"{c.n3()} is not compiled")

    def logical(self, constraint: Constraint, candidates: str) -> str:
        """The nodes of `candidates` that violate a sh:node, sh:not, sh:and, sh:or or sh:xone constraint."""
        c, nested = constraint.component, constraint.shapes
        if c == SH.NodeConstraintComponent:
            return self.bad(nested[0], candidates)
        if c == SH.NotConstraintComponent:
            return fill("except", CANDIDATES=candidates, BAD=self.bad(nested[0], candidates))
        if not nested:  # an empty sh:and is always met, an empty sh:or or sh:xone never
            return fill("none") if c == SH.AndConstraintComponent else candidates
        parts = [self.bad(s, candidates) for s in nested]
        if c == SH.AndConstraintComponent:
            return fill("any-of", PARTS=join("union", parts))
        if c == SH.OrConstraintComponent:
            return fill("all-of", PARTS=" ".join(parts))
        tagged = [fill("tagged", BAD=p, INDEX=str(i)) for i, p in enumerate(parts)]
        return fill("xone", CANDIDATES=candidates, TAGGED=join("union", tagged), EXPECTED=str(len(parts) - 1))

    def qualified(self, shape: Shape, constraint: Constraint, focus: str) -> str:
        """qualifiedMin/MaxCount: value nodes conforming to the shape (and, if disjoint, to no sibling) counted."""
        count, sibling_count = constraint.params
        own, siblings = constraint.shapes[0], constraint.shapes[1:]
        fused = _Fusion(self).qualified(own, siblings, "?value")
        if fused is not None:
            name = "fused-qualified-" + ("min" if constraint.component == SH.QualifiedMinCountConstraintComponent
                                         else "max")
            return fill(name, FOCUS=focus, PATH=sparql_path(shape.path),  # type: ignore[arg-type]
                        BLOCKS=fused[0], FAILS=fused[1], COUNT=str(count))
        candidates = self.candidates(shape, focus)
        parts = [self.bad(own, candidates)]
        parts += [fill("except", CANDIDATES=candidates, BAD=self.bad(s, candidates)) for s in siblings]
        assert len(siblings) == sibling_count
        bad = parts[0] if len(parts) == 1 else fill("any-of", PARTS=join("union", parts))
        name = "qualified-min" if constraint.component == SH.QualifiedMinCountConstraintComponent else "qualified-max"
        return fill(name, FOCUS=focus, PATH=sparql_path(shape.path), BAD=bad, COUNT=str(count))  # type: ignore[arg-type]

    def bad(self, shape: Shape, candidates: str) -> str:
        """The nodes of `candidates` that do not conform to `shape` (a deactivated shape fails none)."""
        if shape.deactivated:
            return fill("none")
        fused = _Fusion(self).shape(shape, "?this")
        if fused is not None:
            return fill("fused-bad", CANDIDATES=candidates, BLOCKS=fused[0], FAILS=fused[1])
        self.nesting += 1
        try:
            parts = [self.body(shape, constraint, candidates) for constraint in shape.constraints]
            inner = candidates if shape.path is None else self.candidates(shape, candidates)
            parts += [self.bad(prop, inner) for prop in shape.properties]
        finally:
            self.nesting -= 1
        if not parts:
            return fill("none")
        return fill("any-of", PARTS=join("union", parts))


# Components of a direct property shape (predicate or inverse path) checked from a scan of the path, when
# the group's targets are classes or predicates (not sh:targetNode: a few named nodes are cheaper to follow).
SCANNED = {SH.ClassConstraintComponent, SH.InConstraintComponent, SH.DatatypeConstraintComponent,
           SH.NodeKindConstraintComponent, SH.MinLengthConstraintComponent, SH.MaxLengthConstraintComponent,
           SH.PatternConstraintComponent, SH.LanguageInConstraintComponent, SH.MaxCountConstraintComponent,
           SH.DisjointConstraintComponent, SH.LessThanConstraintComponent,
           SH.LessThanOrEqualsConstraintComponent, *RANGES}
# Components a fused shape checks on its node itself, and on the values of one of its property shapes.
SELF_TESTS = {SH.DatatypeConstraintComponent, SH.NodeKindConstraintComponent, SH.MinLengthConstraintComponent,
              SH.MaxLengthConstraintComponent, SH.PatternConstraintComponent, SH.LanguageInConstraintComponent,
              SH.HasValueConstraintComponent, *RANGES}
VALUE_TESTS = SELF_TESTS - {SH.HasValueConstraintComponent}
LOGICAL = {SH.NodeConstraintComponent, SH.NotConstraintComponent, SH.AndConstraintComponent,
           SH.OrConstraintComponent, SH.XoneConstraintComponent}


class _Fusion:
    """Compiles a nested shape into OPTIONAL lookups on one node and a "fails" expression, or says it cannot.

    Only lookups bounded by the node qualify (its types, its direct property values), so one pass over
    the candidates checks every constraint; anything else (counts above one, paths with repetition,
    sh:xone, sh:class on values, nested property shapes) keeps the set-based form.
    """

    def __init__(self, builder: _Builder) -> None:
        self.builder = builder
        self.blocks: list[str] = []
        self.flags: dict[str, str] = {}

    def lookup(self, name: str, **slots: str) -> str:
        """Add one OPTIONAL lookup (once: sh:or branches often repeat a check) and return its flag variable."""
        key = fill(name, FLAG="?fused", **slots)
        if key not in self.flags:
            flag = f"?fused{len(self.flags)}"
            self.flags[key] = flag
            # the checked value's variable is named after the flag, so lookups never join on each other
            self.blocks.append(fill(name, FLAG=flag, **slots).replace("?fusedvalue", f"{flag}value"))
        return self.flags[key]

    def finish(self, fails: str | None) -> tuple[str, str] | None:
        return None if fails is None else (" ".join(self.blocks), fails)

    def qualified(self, own: Shape, siblings: tuple[Shape, ...], var: str) -> tuple[str, str] | None:
        """Fails unless the node conforms to `own` and (sh:qualifiedValueShapesDisjoint) to no sibling."""
        parts = [self._shape(own, var)] + [self._shape(s, var) for s in siblings]
        compiled = [p for p in parts if p is not None]
        if len(compiled) < len(parts):
            return None
        fails = join("either", [compiled[0]] + [fill("negated", EXPR=p) for p in compiled[1:]])
        return self.finish(fails)

    def shape(self, shape: Shape, var: str) -> tuple[str, str] | None:
        return self.finish(self._shape(shape, var))

    def constraint(self, constraint: Constraint, var: str) -> tuple[str, str] | None:
        return self.finish(self._logical(constraint, var))

    def _shape(self, shape: Shape, var: str) -> str | None:
        if shape.path is not None:
            return None
        if shape.deactivated:
            return fill("never")
        parts: list[str | None] = [self._self(c, var) for c in shape.constraints]
        parts += [self._property(p, var) for p in shape.properties]
        if any(p is None for p in parts):
            return None
        return join("either", parts) if parts else fill("never")  # type: ignore[arg-type]

    def _self(self, constraint: Constraint, var: str) -> str | None:
        c = constraint.component
        if c == SH.ClassConstraintComponent:
            flag = self.lookup("has-class", NODE=var, CLASSES=self.builder.closure(constraint.params[0]))
            return fill("unbound", FLAG=flag)
        if c in SELF_TESTS:
            return fill("fails-test", TEST=self.builder.test(constraint, var))
        if c in LOGICAL:
            return self._logical(constraint, var)
        return None

    def _logical(self, constraint: Constraint, var: str) -> str | None:
        c = constraint.component
        if c == SH.XoneConstraintComponent or c not in LOGICAL:
            return None
        parts = [self._shape(s, var) for s in constraint.shapes]
        if any(p is None for p in parts) or not parts:
            return None
        if c == SH.NodeConstraintComponent:
            return parts[0]
        if c == SH.NotConstraintComponent:
            return fill("negated", EXPR=parts[0])  # type: ignore[arg-type]
        return join("either" if c == SH.AndConstraintComponent else "both", parts)  # type: ignore[arg-type]

    def _property(self, prop: Shape, var: str) -> str | None:
        """A property shape of a fused node shape: a direct or inverse predicate, no nested shapes."""
        if prop.deactivated:
            return fill("never")
        if prop.properties or not _bounded(prop.path):
            return None
        path = sparql_path(prop.path)  # type: ignore[arg-type]
        parts = []
        for constraint in prop.constraints:
            c = constraint.component
            if c == SH.MinCountConstraintComponent and constraint.params[0] <= 1:
                if constraint.params[0] == 1:
                    parts.append(fill("unbound", FLAG=self.lookup("has-any", NODE=var, PATH=path)))
            elif c == SH.HasValueConstraintComponent:
                flag = self.lookup("has-term", NODE=var, PATH=path, TERM=term(constraint.params[0]))
                parts.append(fill("unbound", FLAG=flag))
            elif c in VALUE_TESTS:
                test = self.builder.test(constraint, "?fusedvalue")
                flag = self.lookup("has-failing-value", NODE=var, PATH=path, TEST=test)
                parts.append(fill("bound", FLAG=flag))
            else:
                return None
        return join("either", parts) if parts else fill("never")


def _bounded(path: object) -> bool:
    """A predicate or an inverse predicate: one index lookup from the node."""
    return isinstance(path, URIRef) or (isinstance(path, tuple) and path[0] == "inverse"
                                        and isinstance(path[1], URIRef))
