"""Bundled content. The ontology, shapes and crosswalks folders at the repository root are installed as
sub-packages here (see pyproject.toml), so they ship inside the wheel."""
