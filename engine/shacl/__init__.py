"""SHACL Core compiled to whole-graph SPARQL, with pyshacl as the authority."""
