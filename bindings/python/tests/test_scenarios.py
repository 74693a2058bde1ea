"""The thirteen scenarios of DOMAIN.md, asked through Python of the example inventory.

Each row: (system, action, release, at) -> verdict, the deciding rule ids (binding
forbids for a deny; for an allow, the baseline permit), the advice ids and the
waivers used.
"""

from __future__ import annotations

import datetime as dt

import pytest

import clearance

PERMIT = ["baseline/permit-unless-forbidden"]
NCSC_SECRET = "uk-ncsc-2017/secret-and-above"
NCSC_NATSEC = "uk-ncsc-2017/national-security-assessed"
NCSC_NATSEC_DEPTS = "uk-ncsc-2017/national-security-departments"
NCSC_NATSEC_DATA = "uk-ncsc-2017/national-security-assessed-data-in-russia"
NCSC_2022 = "uk-ncsc-2017/reconsider-russian-controlled-2022"
ICTS_UPDATES = "us-icts-2024-kaspersky/updates"
ICTS_NEW = "us-icts-2024-kaspersky/new-transactions"
BOD = "us-bod-17-01/kaspersky-security-products"
NDAA_1634 = "us-ndaa-1634/kaspersky"
S889_VIDEO = "us-ndaa-889/agency-video-surveillance"
S889_TELECOM = "us-ndaa-889/agency-telecom"
# Installing is read as obtaining, in rules of their own (s.889 bars procuring
# or obtaining; equipment already held is not obtained by installing it).
S889_VIDEO_INSTALL = "us-ndaa-889/agency-video-surveillance-install"
S889_TELECOM_INSTALL = "us-ndaa-889/agency-telecom-install"
ASSURANCE = "assurance/required-assurance"
PSPF = "au-pspf-002-2025/kaspersky"
BSI = "de-bsi-2022/replace-kaspersky-antivirus"

# (id, system, action, release, at, allowed, rules, advice, waivers)
SCENARIOS = [
    # 1. Kaspersky on a UK MOD SECRET system.
    ("1-mod-secret", "mod-secret", "deploy", "kes-12", "2018-01-10", False, [NCSC_SECRET], [], []),
    # 1. The 2017 letter applies from 1 December 2017, not before.
    ("1-mod-secret-before", "mod-secret", "deploy", "kes-12", "2017-11-30", True, PERMIT, [], []),
    # 2. Foreign Office OFFICIAL (national-security department): deny; ordinary
    #    department: allow, and from 2022-03-29 allow with the advice to reconsider.
    ("2-fco-official", "fco-official", "deploy", "kes-12", "2018-01-10", False, [NCSC_NATSEC, NCSC_NATSEC_DEPTS], [], []),
    ("2-fco-official-in-use", "fco-official", "operate", "kes-12", "2018-01-10", False, [NCSC_NATSEC_DEPTS], [], []),
    ("2-dfe-official", "dfe-official", "deploy", "kes-12", "2018-01-10", True, PERMIT, [], []),
    ("2-council-2021", "council-official", "operate", "kes-12", "2021-06-01", True, PERMIT, [], []),
    ("2-council-2022-03-28", "council-official", "operate", "kes-12", "2022-03-28", True, PERMIT, [], []),
    ("2-council-2022", "council-official", "operate", "kes-12", "2022-03-29", True, PERMIT, [NCSC_2022], []),
    ("2-dfe-2022", "dfe-official", "operate", "kes-12", "2022-03-29", True, PERMIT, [NCSC_2022], []),
    # 3. Home laptops and the US Commerce (ICTS) rule.
    ("3-uk-home", "uk-home-laptop", "deploy", "kis-2024", "2024-10-01", True, PERMIT, [], []),
    ("3-us-update-oct", "us-home-laptop", "update", "kis-2024", "2024-10-01", False, [ICTS_UPDATES], [], []),
    ("3-us-update-sep", "us-home-laptop", "update", "kis-2024", "2024-09-15", True, PERMIT, [], []),
    ("3-us-procure-jul", "us-home-laptop", "procure", "kis-2024", "2024-07-25", False, [ICTS_NEW], [], []),
    ("3-us-kti-update", "us-home-laptop", "update", "kti-2024", "2024-10-01", True, PERMIT, [], []),
    ("3-us-kti-procure", "us-home-laptop", "procure", "kti-2024", "2024-10-01", True, PERMIT, [], []),
    ("3-us-operate", "us-home-laptop", "operate", "kis-2024", "2024-10-01", True, PERMIT, [], []),
    # 4. A UK reseller controlled by Kaspersky Labs Limited, on a US federal system in 2019.
    ("4-reseller", "gsa-desktops", "deploy", "shield-av-1", "2019-06-01", False, [BOD, NDAA_1634], [], []),
    # 5. A French suite whose engine is Kaspersky's SDK, on a federal contractor's system.
    ("5-embedded", "contractor-endpoints", "deploy", "hexagone-suite-2018", "2019-06-01", False, [NDAA_1634], [], []),
    # 6. Hikvision under an agency waiver that ends 2021-08-13.
    ("6-waived", "gsa-facility-cctv", "deploy", "hikvision-nvr-4", "2021-06-01", True, PERMIT, [], ["gsa-889-waiver-cctv"]),
    ("6-expired", "gsa-facility-cctv", "deploy", "hikvision-nvr-4", "2021-09-01", False, [S889_VIDEO_INSTALL], [], []),
    ("6-expired-procure", "gsa-facility-cctv", "procure", "hikvision-nvr-4", "2021-09-01", False, [S889_VIDEO], [], []),
    # 7. Dahua for research vs facility security; Huawei for anything.
    ("7-dahua-research", "gsa-research-lab", "deploy", "dahua-camera-2", "2021-09-01", True, PERMIT, [], []),
    ("7-dahua-security", "gsa-facility-cctv", "deploy", "dahua-camera-2", "2021-09-01", False, [S889_VIDEO_INSTALL], [], []),
    ("7-huawei-network", "gsa-network", "procure", "huawei-router-22", "2021-09-01", False, [S889_TELECOM], [], []),
    ("7-huawei-research", "gsa-research-lab", "deploy", "huawei-router-22", "2021-09-01", False, [S889_TELECOM_INSTALL], [], []),
    # 8. Where the data goes: Nordlys 5.2 (telemetry to Russia) vs 5.3; Kaspersky via Switzerland.
    ("8-nordlys-5.2", "mod-logistics", "deploy", "nordlys-av-5.2", "2019-01-01", False, [NCSC_NATSEC_DATA], [], []),
    ("8-nordlys-5.3", "mod-logistics", "deploy", "nordlys-av-5.3", "2019-01-01", True, PERMIT, [], []),
    ("8-kes-swiss", "mod-secret", "deploy", "kes-12", "2019-01-01", False, [NCSC_SECRET], [], []),
    # 9. Assurance: CPA Foundation Grade on OFFICIAL vs a SECRET enclave needing more;
    #    FedRAMP Moderate on a FedRAMP High system.
    ("9-cpa-official", "dfe-remote-access", "deploy", "redoubt-vpn-3.1", "2022-01-01", True, PERMIT, [], []),
    ("9-cpa-secret", "mod-secret-crypto", "deploy", "redoubt-vpn-3.1", "2022-01-01", False, [ASSURANCE], [], []),
    ("9-cpa-lapsed", "dfe-remote-access", "operate", "redoubt-vpn-3.1", "2023-04-01", False, [ASSURANCE], [], []),
    ("9-fedramp", "gsa-high-enclave", "deploy", "cumulus-crm-2024", "2024-01-01", False, [ASSURANCE], [], []),
    # 10. Australia's PSPF direction, and a national-security exemption to 2025-12-31.
    ("10-desktops", "home-affairs-desktops", "operate", "kes-12", "2025-04-02", False, [PSPF], [], []),
    ("10-before", "home-affairs-desktops", "operate", "kes-12", "2025-03-31", True, PERMIT, [], []),
    ("10-exempt", "home-affairs-malware-lab", "operate", "kes-12", "2025-04-02", True, PERMIT, [], ["pspf-002-exemption-malware-lab"]),
    ("10-exempt-ended", "home-affairs-malware-lab", "operate", "kes-12", "2026-01-02", False, [PSPF], [], []),
    # 11. A German CNI operator: allow, with the BSI's advice.
    ("11-bsi", "stadtwerke-office", "operate", "kes-12", "2023-06-01", True, PERMIT, [BSI], []),
    # 13. Kaspersky Lab, Inc., whose parent also controls AO Kaspersky Lab, on a US
    #     federal system in 2019; the Swiss company's antivirus updated in the US.
    ("13-kis-2019", "gsa-desktops", "deploy", "kis-2019", "2019-06-01", False, [BOD, NDAA_1634], [], []),
    ("13-swiss-update", "us-home-laptop", "update", "kav-2024", "2024-10-01", False, [ICTS_UPDATES], [], []),
    # Peers abroad (DOMAIN.md, other countries): new use barred, existing use advised.
    ("lt-2017-new", "lt-mod-desktops", "deploy", "kes-12", "2018-01-01", False, ["lt-2017/kaspersky-new-use"], [], []),
    ("lt-2017-in-use", "lt-mod-desktops", "operate", "kes-12", "2018-01-01", True, PERMIT, ["lt-2017/kaspersky-existing-use"], []),
    ("nl-2018-new", "nl-justice-desktops", "deploy", "kes-12", "2018-06-01", False, ["nl-2018/national-government-antivirus"], [], []),
    ("nl-2018-in-use", "nl-justice-desktops", "operate", "kes-12", "2018-06-01", True, PERMIT, ["nl-2018/national-government-antivirus-phase-out"], []),
    ("nl-2018-not-av", "nl-justice-desktops", "operate", "kti-2024", "2018-06-01", True, PERMIT, [], []),
]


@pytest.mark.parametrize(
    "system, action, release, at, allowed, rules, advice, waivers",
    [pytest.param(*row[1:], id=row[0]) for row in SCENARIOS],
)
def test_scenario(engine, system, action, release, at, allowed, rules, advice, waivers):
    decision = engine.decide(system, action, release, at=at)
    assert decision.allowed is allowed, str(decision)
    assert decision.verdict == ("allow" if allowed else "deny")
    assert decision.rule_ids == rules, str(decision)
    assert [r.id for r in decision.reasons] == rules
    assert decision.advice_ids == advice, str(decision)
    assert decision.waivers == waivers, str(decision)
    assert decision.errors == []
    assert (decision.system, decision.action, decision.release) == (system, action, release)
    assert decision.at == dt.datetime.fromisoformat(at).replace(tzinfo=dt.timezone.utc)


def test_every_deciding_rule_cites_its_source(engine):
    for row in SCENARIOS:
        decision = engine.decide(*row[1:5])
        for rule in decision.reasons + decision.advice:
            assert rule.source, rule
            assert rule.reason
            assert rule.origin in clearance.PACKS
            # Every rule that encodes an instrument quotes its words, and says where.
            if rule.origin not in ("baseline", "assurance"):
                assert rule.quote and rule.quote_source, rule
                assert rule.to_dict()["quote"] == rule.quote


def test_scenario_1_explains_itself(engine):
    decision = engine.decide("mod-secret", "deploy", "kes-12", at="2018-01-10")
    text = str(decision)
    assert text.startswith("DENY deploy kes-12 on mod-secret at 2018-01-10T00:00:00Z")
    assert "rule    uk-ncsc-2017/secret-and-above:" in text
    assert "source: NCSC, letter from Ciaran Martin" in text
    assert decision.explain() == text
    assert decision.chains == [
        "Kaspersky Endpoint Security 12.0.0, made by AO Kaspersky Lab (RU), "
        "controlled by Kaspersky Labs Limited (incorporated GB, run from RU) (unconfirmed)"
    ]


def test_scenario_4_shows_the_control_chain(engine):
    decision = engine.decide("gsa-desktops", "deploy", "shield-av-1", at="2019-06-01")
    assert decision.chains == [
        "Shield Antivirus (hypothetical) 1.0.0, made by Shield Resellers Ltd (hypothetical) (GB), "
        "controlled by Kaspersky Labs Limited (incorporated GB, run from RU), "
        "which controls AO Kaspersky Lab (RU) (unconfirmed)"
    ]
    assert "chain   Shield Antivirus" in str(decision)


def test_scenario_5_shows_the_embedded_engine(engine):
    decision = engine.decide("contractor-endpoints", "deploy", "hexagone-suite-2018", at="2019-06-01")
    assert any("embeds Kaspersky Anti-Virus SDK 8, made by AO Kaspersky Lab (RU)" in c for c in decision.chains)


def test_scenario_8_moving_data_does_not_cure_jurisdiction(engine):
    # kes-12 sends its data to Switzerland only, and is still denied on SECRET.
    assert "RU" not in engine.inventory.to_dict()["releases"][0]["data_countries"]
    assert not engine.decide("mod-secret", "operate", "kes-12", at="2019-01-01").allowed


def test_scenario_12_missing_vendor_is_an_inventory_error(example_dict):
    broken = {**example_dict, "vendors": [v for v in example_dict["vendors"] if v["id"] != "nordlys-security"]}
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Engine(broken)
    assert raised.value.kind == "dangling-reference"
    assert "nordlys-security" in str(raised.value)


def test_scenario_13_the_chain_goes_through_the_parent(engine):
    decision = engine.decide("gsa-desktops", "deploy", "kis-2019", at="2019-06-01")
    assert decision.chains == [
        "Kaspersky Internet Security 2019, made by Kaspersky Lab, Inc. (US), "
        "controlled by Kaspersky Labs Limited (incorporated GB, run from RU), "
        "which controls AO Kaspersky Lab (RU) (unconfirmed)"
    ]


def test_the_registry_is_merged_unless_the_inventory_opts_out(example_dict):
    # The example names Kaspersky Lab, Inc. without defining it.
    assert "kaspersky-lab-inc" not in [v["id"] for v in example_dict["vendors"]]
    with pytest.raises(clearance.InventoryError) as raised:
        clearance.Engine({**example_dict, "registry": False})
    assert raised.value.kind == "dangling-reference"


# A binding rule that validates but fails at run time (integer overflow for any
# tier of 2 or more): Cedar would skip it; clearance must deny, with the error.
OVERFLOWING = """
@id("test/overflows")
@reason("Fails to evaluate on purpose.")
forbid (principal, action, resource)
when { principal.tier * 4611686018427387904 < 0 };
"""


def test_scenario_12_a_rule_that_fails_to_evaluate_denies(example_path):
    engine = clearance.Engine(example_path, policies={"overflow.cedar": OVERFLOWING})
    decision = engine.decide("mod-secret", "deploy", "defender-4.18", at="2024-01-01")
    assert not decision.allowed
    assert decision.verdict == "deny"
    assert decision.errors, str(decision)
    assert "test/overflows" in decision.errors[0]
    assert decision.rule_ids == []
    assert "error   " in str(decision)
    # Where the rule evaluates cleanly (OFFICIAL is tier 1), the answer is unaffected.
    official = engine.decide("dfe-official", "deploy", "defender-4.18", at="2024-01-01")
    assert official.allowed and official.errors == []
    # The sweep fails closed the same way: Defender is deployed on mod-secret.
    swept = {(d.system, d.release): d for d in engine.sweep(at="2024-01-01")}
    assert not swept[("mod-secret", "defender-4.18")].allowed
    assert swept[("mod-secret", "defender-4.18")].errors
    assert swept[("dfe-official", "kes-12")].allowed
