"""Shapes read from a shapes graph into a tree the compiler walks, with what it cannot compile named.

Each shape becomes a `Shape`: its path (None for a node shape), its constraints, its property shapes and
its targets. `signature()` is its structure without names, messages, severities or targets: shapes
with equal signatures differ only in those, so one query with a VALUES block checks them all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from .paths import PathError, PathForm, read_path

# Parameters read with a constraint, or that carry no constraint of their own.
NOT_CONSTRAINTS = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.message, SH.severity,
                   SH.deactivated, SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.path, SH.flags, SH.ignoredProperties, SH.qualifiedMinCount, SH.qualifiedMaxCount,
                   SH.qualifiedValueShapesDisjoint, SH.declare, SH.prefixes, SH.namespace, SH.prefix, SH.select,
                   SH.labelTemplate, SH.parameter, SH.resultAnnotation}
SINGLE_TERM = {SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
               SH.nodeKind: SH.NodeKindConstraintComponent, SH.minExclusive: SH.MinExclusiveConstraintComponent,
               SH.minInclusive: SH.MinInclusiveConstraintComponent, SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
               SH.maxInclusive: SH.MaxInclusiveConstraintComponent, SH.hasValue: SH.HasValueConstraintComponent,
               SH.equals: SH.EqualsConstraintComponent, SH.disjoint: SH.DisjointConstraintComponent,
               SH.lessThan: SH.LessThanConstraintComponent,
               SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent}
COUNTS = {SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
          SH.minLength: SH.MinLengthConstraintComponent, SH.maxLength: SH.MaxLengthConstraintComponent}
PAIRS = {SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals}
PROPERTY_ONLY = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals,
                 SH.qualifiedValueShape}
LISTS = {SH["and"]: SH.AndConstraintComponent, SH["or"]: SH.OrConstraintComponent,
         SH.xone: SH.XoneConstraintComponent}
# What a SPARQL-based constraint may not use to be run with $this unbound (SHACL 1.0, 5.3.1 pre-binding).
UNSAFE_SPARQL = re.compile(r"\$shapesGraph|[?$]failure\b|[?$]shape\b|\bMINUS\b|\bVALUES\b|\bSERVICE\b"
                           r"|\bPREFIX\b|\bBASE\b", re.IGNORECASE)
NODE_KINDS = {SH.IRI, SH.BlankNode, SH.Literal, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral, SH.IRIOrLiteral}


@dataclass(frozen=True, eq=False)
class Constraint:
    """One constraint component applied with its parameter values; nested shapes kept apart from terms."""

    component: URIRef
    params: tuple[Any, ...] = ()
    shapes: tuple[Shape, ...] = ()

    def signature(self) -> tuple[Any, ...]:
        return (str(self.component), self.params, tuple(s.signature() for s in self.shapes))


@dataclass(eq=False)
class Shape:
    node: Node
    path: PathForm | None
    severity: URIRef = SH.Violation
    messages: tuple[str, ...] = ()
    deactivated: bool = False
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    target_nodes: list[Node] = field(default_factory=list)
    target_classes: list[Node] = field(default_factory=list)
    subjects_of: list[Node] = field(default_factory=list)
    objects_of: list[Node] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _signature: tuple[Any, ...] | None = None

    @property
    def targeted(self) -> bool:
        return bool(self.target_nodes or self.target_classes or self.subjects_of or self.objects_of)

    def signature(self) -> tuple[Any, ...]:
        """Structure only; constraints and property shapes in a canonical order, so positions line up."""
        if self._signature is None:
            self.constraints.sort(key=lambda c: repr(c.signature()))
            self.properties.sort(key=lambda s: repr(s.signature()))
            self._signature = (repr(self.path), self.deactivated, tuple(c.signature() for c in self.constraints),
                               tuple(p.signature() for p in self.properties))
        return self._signature

    def all_problems(self, seen: set[int] | None = None) -> list[str]:
        """This shape's problems and those of every shape it reaches."""
        seen = set() if seen is None else seen
        if id(self) in seen:
            return []
        seen.add(id(self))
        found = list(self.problems)
        for nested in [s for c in self.constraints for s in c.shapes] + self.properties:
            found += nested.all_problems(seen)
        return found


def _true(value: Node) -> bool:
    """Only the literal true switches a boolean parameter on ("1"^^xsd:boolean does not, says the W3C suite)."""
    return isinstance(value, Literal) and value.datatype == XSD.boolean and str(value) == "true"


class ShapeReader:
    """Reads shapes on demand, once each, noticing recursion (which the compiler leaves to pyshacl)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.shapes: dict[Node, Shape] = {}
        self._reading: set[Node] = set()

    def targeted_shapes(self) -> list[Shape]:
        """Every shape with a target, explicit or implicit (a shape that is also an rdfs:Class)."""
        g = self.graph
        nodes: set[Node] = set()
        for predicate in (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            nodes.update(g.subjects(predicate, None))
        for kind in (SH.NodeShape, SH.PropertyShape):
            nodes.update(n for n in g.subjects(RDF.type, kind) if (n, RDF.type, RDFS.Class) in g)
        return [self.read(n) for n in sorted(nodes, key=str)]

    def read(self, node: Node) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        if node in self._reading:
            return Shape(node=node, path=None, problems=[f"{node} is recursive"])
        self._reading.add(node)
        try:
            shape = self._read(node)
        finally:
            self._reading.discard(node)
        self.shapes[node] = shape
        return shape

    def _read(self, node: Node) -> Shape:
        g = self.graph
        path_node = g.value(node, SH.path)
        shape = Shape(node=node, path=None)
        if path_node is not None:
            try:
                shape.path = read_path(g, path_node)
            except PathError as err:
                shape.problems.append(f"sh:path of {node}: {err}")
        shape.severity = g.value(node, SH.severity) or SH.Violation  # type: ignore[assignment]
        shape.messages = tuple(sorted(str(m) for m in g.objects(node, SH.message)))
        shape.deactivated = any(_true(v) for v in g.objects(node, SH.deactivated))
        shape.target_nodes = list(g.objects(node, SH.targetNode))
        shape.target_classes = list(g.objects(node, SH.targetClass))
        if (node, RDF.type, RDFS.Class) in g and ((node, RDF.type, SH.NodeShape) in g
                                                   or (node, RDF.type, SH.PropertyShape) in g):
            shape.target_classes.append(node)
        shape.subjects_of = list(g.objects(node, SH.targetSubjectsOf))
        shape.objects_of = list(g.objects(node, SH.targetObjectsOf))
        if (node, SH.target, None) in g:
            shape.problems.append(f"{node} uses sh:target (SPARQL-based targets)")
        if any(isinstance(t, BNode) for t in shape.target_nodes + shape.target_classes + shape.subjects_of
               + shape.objects_of):
            shape.problems.append(f"{node} has a blank node as target")
        for predicate in sorted(set(g.predicates(node, None)), key=str):
            self._constraint(shape, predicate)
        return shape

    def _constraint(self, shape: Shape, predicate: Node) -> None:
        g, node = self.graph, shape.node
        if not isinstance(predicate, URIRef) or not predicate.startswith(str(SH)) or predicate in NOT_CONSTRAINTS:
            return
        values = list(g.objects(node, predicate))
        if predicate in PROPERTY_ONLY and shape.path is None:
            shape.problems.append(f"{node} uses {predicate.n3()} without sh:path")
            return
        if predicate == SH.property:
            shape.properties.extend(self.read(v) for v in values)
        elif predicate in PAIRS and shape.path is None and predicate in (SH.lessThan, SH.lessThanOrEquals):
            shape.problems.append(f"{node} uses {predicate.n3()} without sh:path")
        elif predicate in SINGLE_TERM:
            for value in values:
                self._term_constraint(shape, predicate, value)
        elif predicate in COUNTS:
            for value in values:
                if not (isinstance(value, Literal) and isinstance(value.toPython(), int)):
                    shape.problems.append(f"{predicate.n3()} of {node} is not an integer")
                    continue
                shape.constraints.append(Constraint(COUNTS[predicate], (int(value.toPython()),)))
        elif predicate == SH.pattern:
            flags = [str(f) for f in g.objects(node, SH.flags)]
            for value in values:
                params = (str(value), flags[0] if flags else "")
                shape.constraints.append(Constraint(SH.PatternConstraintComponent, params))
        elif predicate == SH.languageIn:
            for value in values:
                tags = tuple(str(t) for t in Collection(g, value))
                shape.constraints.append(Constraint(SH.LanguageInConstraintComponent, tags))
        elif predicate == SH.uniqueLang:
            if any(_true(v) for v in values):
                shape.constraints.append(Constraint(SH.UniqueLangConstraintComponent))
        elif predicate == SH["in"]:
            for value in values:
                members = tuple(Collection(g, value))
                if any(isinstance(m, BNode) for m in members):
                    shape.problems.append(f"sh:in of {node} lists a blank node")
                    continue
                shape.constraints.append(Constraint(SH.InConstraintComponent, tuple(sorted(members, key=repr))))
        elif predicate in (SH.node, SH["not"]):
            component = SH.NodeConstraintComponent if predicate == SH.node else SH.NotConstraintComponent
            shape.constraints.extend(Constraint(component, shapes=(self.read(v),)) for v in values)
        elif predicate in LISTS:
            for value in values:
                member_shapes = tuple(self.read(m) for m in Collection(g, value))
                shape.constraints.append(Constraint(LISTS[predicate], shapes=member_shapes))
        elif predicate == SH.qualifiedValueShape:
            self._qualified(shape, values)
        elif predicate == SH.sparql:
            for value in values:
                self._sparql(shape, value)
        elif predicate == SH.closed:
            if any(_true(v) for v in values):
                ignored: set[Node] = set()
                for listed in g.objects(node, SH.ignoredProperties):
                    ignored.update(Collection(g, listed))
                for prop in g.objects(node, SH.property):
                    path = g.value(prop, SH.path)
                    if isinstance(path, URIRef):
                        ignored.add(path)
                shape.constraints.append(Constraint(SH.ClosedConstraintComponent,
                                                    tuple(sorted(ignored, key=repr))))
        else:
            shape.problems.append(f"{node} uses {predicate.n3()}, which is not compiled")

    def _term_constraint(self, shape: Shape, predicate: URIRef, value: Node) -> None:
        if isinstance(value, BNode):
            shape.problems.append(f"{predicate.n3()} of {shape.node} is a blank node")
        elif predicate == SH.nodeKind and value not in NODE_KINDS:
            shape.problems.append(f"sh:nodeKind of {shape.node} is not a node kind")
        elif predicate == SH.datatype and not isinstance(value, URIRef):
            shape.problems.append(f"sh:datatype of {shape.node} is not an IRI")
        elif predicate in PAIRS and not isinstance(value, URIRef):
            shape.problems.append(f"{predicate.n3()} of {shape.node} is not an IRI")
        else:
            shape.constraints.append(Constraint(SINGLE_TERM[predicate], (value,)))

    def _sparql(self, shape: Shape, node: Node) -> None:
        """A SPARQL-based constraint, run whole-graph ($this left unbound, joined with the focus nodes)
        when its query keeps to what that allows; otherwise the shape goes to pyshacl."""
        g = self.graph
        if any(_true(v) for v in g.objects(node, SH.deactivated)):
            return
        select = g.value(node, SH.select)
        if not isinstance(select, Literal):
            shape.problems.append(f"{shape.node} has a SPARQL constraint without sh:select")
            return
        text = str(select)
        head = re.match(r"\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE\s*)?\{", text,
                        re.IGNORECASE | re.DOTALL)
        reason = None
        if head is None or not re.search(r"[?$]this\b", head.group(1)):
            reason = "does not project $this"
        elif UNSAFE_SPARQL.search(text) or len(re.findall(r"\bSELECT\b", text, re.IGNORECASE)) > 1:
            reason = "uses $shapesGraph, ?failure, ?shape, MINUS, VALUES, SERVICE, a subquery or its own PREFIX"
        elif "$currentShape" in text and not isinstance(shape.node, URIRef):
            reason = "names $currentShape of a blank-node shape"
        elif "$PATH" in text and shape.path is None:
            reason = "uses $PATH outside a property shape"
        if reason is not None:
            shape.problems.append(f"the SPARQL constraint of {shape.node} {reason}")
            return
        prefixes = {}
        for holder in g.objects(node, SH.prefixes):
            for declaration in g.objects(holder, SH.declare):
                prefix, namespace = g.value(declaration, SH.prefix), g.value(declaration, SH.namespace)
                if prefix is not None and namespace is not None:
                    prefixes[str(prefix)] = str(namespace)
        current = shape.node if "$currentShape" in text else None
        messages = tuple(sorted(str(m) for m in g.objects(node, SH.message)))
        shape.constraints.append(Constraint(SH.SPARQLConstraintComponent,
                                            (text, tuple(sorted(prefixes.items())), current, messages)))

    def _qualified(self, shape: Shape, values: list[Node]) -> None:
        g, node = self.graph, shape.node
        counts = []
        for predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            value = g.value(node, predicate)
            counts.append(int(value.toPython()) if isinstance(value, Literal) and isinstance(value.toPython(), int)
                          else None)
        disjoint = any(_true(v) for v in g.objects(node, SH.qualifiedValueShapesDisjoint))
        siblings: tuple[Shape, ...] = ()
        if disjoint:
            parents = set(g.subjects(SH.property, node))
            sibling_nodes = {q for p in parents for prop in g.objects(p, SH.property) if prop != node
                             for q in g.objects(prop, SH.qualifiedValueShape)}
            siblings = tuple(self.read(s) for s in sorted(sibling_nodes, key=str))
        for value in values:
            nested = (self.read(value),) + siblings
            for index, component in ((0, SH.QualifiedMinCountConstraintComponent),
                                     (1, SH.QualifiedMaxCountConstraintComponent)):
                if counts[index] is not None:
                    shape.constraints.append(Constraint(component, (counts[index], len(siblings)), nested))
