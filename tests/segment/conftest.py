from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.segment import SrxRules, load_rules

SRX = Path(__file__).resolve().parents[1] / "data" / "srx"


@pytest.fixture(scope="session")
def omegat() -> SrxRules:
    return load_rules(SRX / "defaultRules.srx")


@pytest.fixture(scope="session")
def okapi_icu4j() -> SrxRules:
    return load_rules(SRX / "okapi_default_icu4j.srx")
