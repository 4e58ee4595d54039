"""The exception family: library code raises these, only the CLI turns them into exits."""

from __future__ import annotations

import click


class HubkbError(click.ClickException):
    """Base of every error a user should see as one line and a non-zero exit."""

    exit_code = 1


class ConfigError(HubkbError):
    """The configuration file is missing, unreadable or invalid."""


class SourceError(HubkbError):
    """A snapshot or an endpoint could not give usable data."""


class BuildError(HubkbError):
    """Rendering or building the site failed."""


class PublishError(HubkbError):
    """Publishing the site was refused or failed."""


class ChangedError(HubkbError):
    """Any failure of `hubkb changed`, whose exit status 1 means "unchanged": so it exits with 2."""

    exit_code = 2
