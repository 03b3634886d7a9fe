"""LaTeX (.tex, .bbl): the \\cite keys as markers, the .bib entries they name as the list.

A .tex file says exactly what it cites (``\\cite{key}``) and where the entries are
(``\\bibliography{refs}``, ``\\addbibresource{refs.bib}``, an inline ``thebibliography``, or
the .bbl BibTeX left next to it). The list is what BibTeX would print: the cited and
``\\nocite``'d entries in order of first citation (numbered styles), not every entry of the
.bib. Only files inside the .tex's folder tree are read: a hostile manuscript must not make
citecheck read ``/etc/passwd`` through ``\\input`` or ``\\bibliography``.

Modules: ``source`` (the .tex with its included files, comments out), ``cites`` (citation
commands and their keys), ``bibliography`` (where the entries are), ``plain`` (LaTeX to
plain text) and ``reader`` (all of them put together).
"""

from citecheck.ingest.latex.plain import to_plain
from citecheck.ingest.latex.reader import read_latex

__all__ = ["read_latex", "to_plain"]
