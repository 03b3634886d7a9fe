"""The exceptions that may end a run. Everything else is a value (see ``model.Lookup``).

    CitecheckError
    ├── InputError      the manuscript cannot be read (exit 2)
    └── ConfigError     settings or flags are wrong (exit 2)

Service failures live in ``citecheck.resolve.interface`` and never escape a run: they turn
the affected references into ``unverified`` results.
"""


class CitecheckError(Exception):
    """Base class of the errors that stop a run with a one-line message."""


class InputError(CitecheckError):
    """The manuscript is missing, empty, binary, undecodable or too large."""


class ConfigError(CitecheckError):
    """A setting, flag or config file is invalid."""
