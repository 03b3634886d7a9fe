"""Checks: decide whether a record is the cited work, then what disagrees with it."""
