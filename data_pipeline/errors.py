"""Project errors: raised with a message a user can act on, caught once at the command line."""


class DataError(Exception):
    """The data on disk is missing, malformed or does not match what the workdir expects."""


class UsageError(Exception):
    """A command-line flag or argument is wrong."""
