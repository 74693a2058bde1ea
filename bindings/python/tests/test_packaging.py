"""What the installed distribution says about itself: its licence (the
Apache-2.0 text, shipped in the wheel) and a description that reads the same
on a package index as in the repository (no links relative to the checkout)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from pathlib import Path

import pytest

import clearance

ROOT = Path(__file__).resolve().parents[3]
#: The MD5 of the Apache License 2.0 as apache.org publishes it (LICENSE-2.0.txt).
APACHE_2_MD5 = "3b83ef96387f14655fc854ddc3c6bd57"


@pytest.fixture(scope="module")
def distribution() -> importlib.metadata.Distribution:
    return importlib.metadata.distribution("clearance")


def test_the_repository_has_the_apache_license():
    text = (ROOT / "LICENSE").read_bytes()
    assert hashlib.md5(text).hexdigest() == APACHE_2_MD5
    assert (ROOT / "bindings" / "python" / "LICENSE").read_bytes() == text


def test_the_wheel_ships_the_license_and_declares_it(distribution):
    metadata = distribution.metadata
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    # PEP 639: with a licence expression, no licence classifiers.
    assert not [c for c in metadata.get_all("Classifier") or [] if c.startswith("License ::")]
    files = [f for f in distribution.files or [] if f.name == "LICENSE"]
    assert len(files) == 1 and "dist-info" in str(files[0])
    assert hashlib.md5(files[0].read_binary()).hexdigest() == APACHE_2_MD5
    assert metadata["Version"] == clearance.__version__


def test_the_description_has_no_links_into_the_checkout(distribution):
    description = distribution.metadata.get_payload() or distribution.metadata["Description"]
    assert description.startswith("# clearance for Python")
    targets = re.findall(r"\]\(([^)\s]+)", description) + re.findall(r'(?:href|src)="([^"]+)"', description)
    relative = [t for t in targets if not re.match(r"(https?://|mailto:|#)", t)]
    assert relative == [], "links that break on a package index"
