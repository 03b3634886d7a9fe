"""citecheck: check a manuscript's references against Crossref and PubMed.

>>> from citecheck import check, Settings
>>> report = check("paper.md", Settings(mailto="you@example.org"))
"""

__version__ = "0.5.0"

from citecheck.audit import Report, check
from citecheck.settings import Settings, load_settings

__all__ = ["Report", "Settings", "__version__", "check", "load_settings"]
