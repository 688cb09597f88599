"""Only the package list lives here (everything else is in pyproject.toml): pyproject's
`packages.find` cannot add crocoqb_desktop.resources, a package whose folder is the repository's
resources/ (mapped in [tool.setuptools.package-dir]), so the wheel carries the icons and translations."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["crocoqb_desktop", "crocoqb_desktop.*"]), "crocoqb_desktop.resources"])
