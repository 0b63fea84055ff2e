"""ACLED's regions: which region a country (ISO 3166-1 alpha-3) belongs to, as ACLED groups them
(written by the eventlens project from ACLED's published region names; territories follow the
region of their geography)."""

from __future__ import annotations

__all__ = ["REGIONS", "region_of"]

_GROUPS: dict[str, str] = {
    "Western Africa": "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SEN SLE TGO SHN",
    "Middle Africa": "AGO CMR CAF TCD COG COD GNQ GAB STP",
    "Eastern Africa": "BDI COM DJI ERI ETH KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD TZA UGA ZMB ZWE",
    "Southern Africa": "BWA SWZ LSO NAM ZAF",
    "Northern Africa": "DZA EGY LBY MAR SDN TUN ESH",
    "Middle East": "BHR CYP IRN IRQ ISR JOR KWT LBN OMN PSE QAT SAU SYR TUR ARE YEM",
    "South Asia": "AFG BGD BTN IND IOT MDV NPL PAK LKA",
    "Southeast Asia": "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM",
    "East Asia": "CHN HKG JPN MAC MNG PRK KOR TWN",
    "Caucasus and Central Asia": "ARM AZE GEO KAZ KGZ TJK TKM UZB",
    "Europe": ("ALB AND AUT BLR BEL BIH BGR HRV CZE DNK EST FIN FRA DEU GRC HUN ISL IRL ITA XKX LVA LIE "
               "LTU LUX MLT MDA MCO MNE NLD MKD NOR POL PRT ROU RUS SMR SRB SVK SVN ESP SWE CHE UKR GBR "
               "VAT FRO GIB IMN JEY GGY ALA SJM"),
    "North America": "CAN USA GRL BMU SPM",
    "Central America": "BLZ CRI SLV GTM HND MEX NIC PAN",
    "South America": "ARG BOL BRA CHL COL ECU FLK GUF GUY PRY PER SUR URY VEN",
    "Caribbean": ("AIA ATG ABW BHS BRB VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM KNA LCA "
                  "MAF VCT SXM TTO TCA VIR BES"),
    "Oceania": ("ASM AUS CCK CXR HMD UMI COK FJI PYF GUM KIR MHL FSM NRU NCL NZL NIU NFK MNP PLW PNG PCN "
                "WSM SLB TKL TON TUV VUT WLF"),
    "Antarctica": "ATA ATF BVT SGS",
}

#: ISO3 -> ACLED region
REGIONS: dict[str, str] = {iso3: region for region, codes in _GROUPS.items() for iso3 in codes.split()}


def region_of(iso3: str | None) -> str | None:
    """ACLED's region of a country (None when the country is unknown)."""
    return REGIONS.get(iso3.upper()) if iso3 else None
