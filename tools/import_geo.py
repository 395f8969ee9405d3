#!/usr/bin/env python3
"""Regenerates config/geo/ (the geography DAS ships) from the real public data in /work/shared/data.

Usage: tools/import_geo.py [--shared /work/shared/data] [--out config/geo]

Inputs (see /work/shared/data/README.md; "Bron: CBS / Politie", CC BY 4.0):
  cbs_politie/regio_wijkenenbuurten_2024.csv     gemeente names (CBS spelling) and the 2024 buurt list
  cbs_politie/bevolking_buurt_2024_85984.csv     population per buurt 2024 (CBS 85984NED)
  cbs_politie/gemeenten_2024_bevolking_misdaad.csv  population per gemeente 2024
  cbs_politie/gemeente_provincie_2024.csv        province per gemeente
  geo/gemeente_2024.topojson, geo/provincie_2024.topojson  copied unchanged ("CBS, Kadaster" via cartomap/nl)

Outputs (UTF-8, ',', LF, header): gemeenten.csv, buurten.csv, provincies.csv, politie_eenheden.csv,
arrondissementen.csv, herindelingen.csv, plus the two TopoJSON files.

Knowledge that is not in the input files (police units, court districts, mergers 2019-2024 and the
populations of the former gemeenten) is written down in the tables below; config/geo/README.md says how
sure each part is. The script checks its own output (counts, sums, codes) and exits 1 on any mismatch.
Standard library only; deterministic output.
"""

import argparse
import csv
import os
import shutil
import sys

PROVINCES = [
    ("PV20", "Groningen"), ("PV21", "Fryslân"), ("PV22", "Drenthe"), ("PV23", "Overijssel"),
    ("PV24", "Flevoland"), ("PV25", "Gelderland"), ("PV26", "Utrecht"), ("PV27", "Noord-Holland"),
    ("PV28", "Zuid-Holland"), ("PV29", "Zeeland"), ("PV30", "Noord-Brabant"), ("PV31", "Limburg"),
]
# Province spelling in gemeente_provincie_2024.csv -> code.
PROVINCE_ALIASES = {"Friesland": "PV21"}

POLICE_UNITS = [
    ("RE01", "Noord-Nederland"), ("RE02", "Oost-Nederland"), ("RE03", "Midden-Nederland"),
    ("RE04", "Noord-Holland"), ("RE05", "Amsterdam"), ("RE06", "Den Haag"), ("RE07", "Rotterdam"),
    ("RE08", "Zeeland-West-Brabant"), ("RE09", "Oost-Brabant"), ("RE10", "Limburg"),
]

ARRONDISSEMENTS = [
    ("RBAMS", "Amsterdam"), ("RBDHA", "Den Haag"), ("RBGEL", "Gelderland"), ("RBLIM", "Limburg"),
    ("RBMNE", "Midden-Nederland"), ("RBNHO", "Noord-Holland"), ("RBNNE", "Noord-Nederland"),
    ("RBOBR", "Oost-Brabant"), ("RBOVE", "Overijssel"), ("RBROT", "Rotterdam"), ("RBZWB", "Zeeland-West-Brabant"),
]

# Police units are built from veiligheidsregio's (Politiewet 2012). Default unit per province:
UNIT_BY_PROVINCE = {
    "PV20": "RE01", "PV21": "RE01", "PV22": "RE01", "PV23": "RE02", "PV24": "RE03", "PV25": "RE02",
    "PV26": "RE03", "PV27": "RE04", "PV29": "RE08", "PV31": "RE10",
    # PV28 and PV30 are split; see the name lists below.
}
# Noord-Holland exceptions: veiligheidsregio Amsterdam-Amstelland -> RE05; Gooi en Vechtstreek -> RE03.
NH_AMSTERDAM = {"Amsterdam", "Amstelveen", "Aalsmeer", "Ouder-Amstel", "Uithoorn", "Diemen"}
NH_GOOI = {"Gooise Meren", "Hilversum", "Huizen", "Laren (NH.)", "Blaricum", "Wijdemeren"}
# Zuid-Holland: veiligheidsregio's Haaglanden + Hollands Midden -> RE06 Den Haag; the rest (Rotterdam-Rijnmond
# and Zuid-Holland-Zuid) -> RE07 Rotterdam.
ZH_DEN_HAAG = {
    # Haaglanden
    "'s-Gravenhage", "Delft", "Leidschendam-Voorburg", "Midden-Delfland", "Pijnacker-Nootdorp",
    "Rijswijk (ZH.)", "Wassenaar", "Westland", "Zoetermeer",
    # Hollands Midden
    "Alphen aan den Rijn", "Bodegraven-Reeuwijk", "Gouda", "Hillegom", "Kaag en Braassem", "Katwijk",
    "Krimpenerwaard", "Leiden", "Leiderdorp", "Lisse", "Nieuwkoop", "Noordwijk", "Oegstgeest", "Teylingen",
    "Voorschoten", "Waddinxveen", "Zoeterwoude", "Zuidplas",
}
ZH_ROTTERDAM = {
    # Rotterdam-Rijnmond
    "Albrandswaard", "Barendrecht", "Capelle aan den IJssel", "Goeree-Overflakkee", "Krimpen aan den IJssel",
    "Lansingerland", "Maassluis", "Nissewaard", "Ridderkerk", "Rotterdam", "Schiedam", "Vlaardingen",
    "Voorne aan Zee",
    # Zuid-Holland-Zuid
    "Alblasserdam", "Dordrecht", "Gorinchem", "Hardinxveld-Giessendam", "Hendrik-Ido-Ambacht",
    "Hoeksche Waard", "Molenlanden", "Papendrecht", "Sliedrecht", "Zwijndrecht",
}
# Noord-Brabant: veiligheidsregio Midden- en West-Brabant -> RE08 Zeeland-West-Brabant; Brabant-Noord and
# Brabant-Zuidoost -> RE09 Oost-Brabant.
NB_WEST = {
    "Alphen-Chaam", "Altena", "Baarle-Nassau", "Bergen op Zoom", "Breda", "Dongen", "Drimmelen", "Etten-Leur",
    "Geertruidenberg", "Gilze en Rijen", "Goirle", "Halderberge", "Hilvarenbeek", "Loon op Zand", "Moerdijk",
    "Oisterwijk", "Oosterhout", "Roosendaal", "Rucphen", "Steenbergen", "Tilburg", "Waalwijk", "Woensdrecht",
    "Zundert",
}
NB_OOST = {
    # Brabant-Noord
    "'s-Hertogenbosch", "Bernheze", "Boekel", "Boxtel", "Heusden", "Land van Cuijk", "Maashorst",
    "Meierijstad", "Oss", "Sint-Michielsgestel", "Vught",
    # Brabant-Zuidoost
    "Asten", "Bergeijk", "Best", "Bladel", "Cranendonck", "Deurne", "Eersel", "Eindhoven", "Geldrop-Mierlo",
    "Gemert-Bakel", "Heeze-Leende", "Helmond", "Laarbeek", "Nuenen, Gerwen en Nederwetten", "Oirschot",
    "Reusel-De Mierden", "Someren", "Son en Breugel", "Valkenswaard", "Veldhoven", "Waalre",
}
# Court district per police unit (arrondissementen follow the units since 2013); RE02 splits by province.
ARR_BY_UNIT = {
    "RE01": "RBNNE", "RE03": "RBMNE", "RE04": "RBNHO", "RE05": "RBAMS", "RE06": "RBDHA", "RE07": "RBROT",
    "RE08": "RBZWB", "RE09": "RBOBR", "RE10": "RBLIM",
}
ARR_RE02 = {"PV23": "RBOVE", "PV25": "RBGEL"}

# Municipal mergers and splits effective 1 January of `year` (the former gemeente's last year is year-1),
# 2019-2024, whose successors are 2024 gemeenten. Rows: (year, from code, from name, to code, share,
# population of the former gemeente on 1 January of its last year, rounded, approximate).
# share = fraction of the former gemeente's population that went to `to`.
# Weesp joined Amsterdam on 24 March 2022; CBS's yearly geography (1 January) first lacks it in 2023.
MERGERS = [
    (2019, "GM0009", "Ten Boer", "GM0014", 1.0, 7_300),
    (2019, "GM0017", "Haren", "GM0014", 1.0, 19_800),
    (2019, "GM0005", "Bedum", "GM1966", 1.0, 10_500),
    (2019, "GM1663", "De Marne", "GM1966", 1.0, 10_000),
    (2019, "GM1651", "Eemsmond", "GM1966", 1.0, 15_800),
    (2019, "GM0053", "Winsum", "GM1966", 0.87, 13_600),   # the former gemeente Ezinge went to Westerkwartier
    (2019, "GM0053", "Winsum", "GM1969", 0.13, 13_600),
    (2019, "GM0015", "Grootegast", "GM1969", 1.0, 12_100),
    (2019, "GM0022", "Leek", "GM1969", 1.0, 19_600),
    (2019, "GM0025", "Marum", "GM1969", 1.0, 10_400),
    (2019, "GM0056", "Zuidhorn", "GM1969", 1.0, 18_900),
    (2019, "GM0058", "Dongeradeel", "GM1970", 1.0, 23_800),
    (2019, "GM1722", "Ferwerderadiel", "GM1970", 1.0, 8_700),
    (2019, "GM0079", "Kollumerland en Nieuwkruisland", "GM1970", 1.0, 12_800),
    (2019, "GM0393", "Haarlemmerliede en Spaarnwoude", "GM0394", 1.0, 5_800),
    (2019, "GM0585", "Binnenmaas", "GM1963", 1.0, 29_300),
    (2019, "GM0611", "Cromstrijen", "GM1963", 1.0, 12_800),
    (2019, "GM0588", "Korendijk", "GM1963", 1.0, 11_000),
    (2019, "GM0584", "Oud-Beijerland", "GM1963", 1.0, 24_200),
    (2019, "GM0617", "Strijen", "GM1963", 1.0, 8_800),
    (2019, "GM0689", "Giessenlanden", "GM1978", 1.0, 14_600),
    (2019, "GM1927", "Molenwaard", "GM1978", 1.0, 29_400),
    (2019, "GM0576", "Noordwijkerhout", "GM0575", 1.0, 16_300),
    (2019, "GM0545", "Leerdam", "GM1961", 1.0, 21_000),
    (2019, "GM0707", "Zederik", "GM1961", 1.0, 14_000),
    (2019, "GM0620", "Vianen", "GM1961", 1.0, 19_900),
    (2019, "GM0738", "Aalburg", "GM1959", 1.0, 13_100),
    (2019, "GM0870", "Werkendam", "GM1959", 1.0, 27_000),
    (2019, "GM0874", "Woudrichem", "GM1959", 1.0, 14_600),
    (2019, "GM0236", "Geldermalsen", "GM1960", 1.0, 26_600),
    (2019, "GM0733", "Lingewaal", "GM1960", 1.0, 11_100),
    (2019, "GM0304", "Neerijnen", "GM1960", 1.0, 12_500),
    (2019, "GM0951", "Nuth", "GM1954", 1.0, 15_300),
    (2019, "GM0881", "Onderbanken", "GM1954", 1.0, 7_800),
    (2019, "GM0962", "Schinnen", "GM1954", 1.0, 12_900),
    (2021, "GM0003", "Appingedam", "GM1979", 1.0, 11_800),
    (2021, "GM0010", "Delfzijl", "GM1979", 1.0, 24_700),
    (2021, "GM0024", "Loppersum", "GM1979", 1.0, 9_700),
    (2021, "GM0788", "Haaren", "GM0824", 0.41, 14_100),   # village Haaren
    (2021, "GM0788", "Haaren", "GM0865", 0.34, 14_100),   # Helvoirt
    (2021, "GM0788", "Haaren", "GM0757", 0.16, 14_100),   # Esch
    (2021, "GM0788", "Haaren", "GM0855", 0.09, 14_100),   # Biezenmortel
    (2022, "GM0398", "Heerhugowaard", "GM1980", 1.0, 56_700),
    (2022, "GM0416", "Langedijk", "GM1980", 1.0, 28_200),
    (2022, "GM0756", "Boxmeer", "GM1982", 1.0, 29_100),
    (2022, "GM1684", "Cuijk", "GM1982", 1.0, 25_100),
    (2022, "GM0786", "Grave", "GM1982", 1.0, 12_600),
    (2022, "GM0815", "Mill en Sint Hubert", "GM1982", 1.0, 11_000),
    (2022, "GM1702", "Sint Anthonis", "GM1982", 1.0, 11_600),
    (2022, "GM0856", "Uden", "GM1991", 1.0, 42_000),
    (2022, "GM1685", "Landerd", "GM1991", 1.0, 15_700),
    (2022, "GM0370", "Beemster", "GM0439", 1.0, 10_000),
    (2023, "GM0457", "Weesp", "GM0363", 1.0, 20_000),
    (2023, "GM0501", "Brielle", "GM1992", 1.0, 17_400),
    (2023, "GM0530", "Hellevoetsluis", "GM1992", 1.0, 40_600),
    (2023, "GM0614", "Westvoorne", "GM1992", 1.0, 14_800),
]
# Population on 1 January of the year before the merger of successors whose code continued (approximate).
CONTINUING_POPULATION = {
    ("GM0014", 2019): 202_800, ("GM0394", 2019): 147_300, ("GM0575", 2019): 26_000,
    ("GM0824", 2021): 26_100, ("GM0865", 2021): 26_500, ("GM0757", 2021): 30_900, ("GM0855", 2021): 219_800,
    ("GM0439", 2022): 81_900, ("GM0363", 2023): 882_600,
}
# Former gemeenten whose province or police unit differed from their successor's.
PREDECESSOR_OVERRIDES = {
    "GM0545": {"province": "PV28", "police_unit": "RE07"},  # Leerdam: Zuid-Holland, Zuid-Holland-Zuid
    "GM0707": {"province": "PV28", "police_unit": "RE07"},  # Zederik: idem
    "GM0457": {"police_unit": "RE03"},                       # Weesp: Gooi en Vechtstreek
}

EXPECTED_GEMEENTEN = 342
EXPECTED_POPULATION = 17_942_915
EXPECTED_BUURTEN = 14_574


def fail(msg):
    print(f"import_geo: {msg}", file=sys.stderr)
    sys.exit(1)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def arrondissement(unit, province):
    return ARR_RE02[province] if unit == "RE02" else ARR_BY_UNIT[unit]


def police_unit(name, province):
    if province == "PV27":
        if name in NH_AMSTERDAM:
            return "RE05"
        if name in NH_GOOI:
            return "RE03"
        return "RE04"
    if province == "PV28":
        if name in ZH_DEN_HAAG:
            return "RE06"
        if name in ZH_ROTTERDAM:
            return "RE07"
        fail(f"Zuid-Holland gemeente '{name}' is in neither police unit list")
    if province == "PV30":
        if name in NB_WEST:
            return "RE08"
        if name in NB_OOST:
            return "RE09"
        fail(f"Noord-Brabant gemeente '{name}' is in neither police unit list")
    return UNIT_BY_PROVINCE[province]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="/work/shared/data")
    ap.add_argument("--out", default=os.path.join(here, "..", "config", "geo"))
    args = ap.parse_args()
    cp = os.path.join(args.shared, "cbs_politie")
    os.makedirs(args.out, exist_ok=True)

    regio = read_csv(os.path.join(cp, "regio_wijkenenbuurten_2024.csv"))
    cbs_name = {r["Key"].strip(): r["Title"] for r in regio if r["Key"].startswith("GM")}
    pop_rows = read_csv(os.path.join(cp, "gemeenten_2024_bevolking_misdaad.csv"))
    prov_rows = read_csv(os.path.join(cp, "gemeente_provincie_2024.csv"))
    province_code = {name: code for code, name in PROVINCES}
    province_code.update(PROVINCE_ALIASES)

    # --- 2024 gemeenten ---
    gem = {}  # code -> dict
    for r in prov_rows:
        code = "GM" + r["municipality_id"].strip()
        if r["province_lab"] not in province_code:
            fail(f"unknown province '{r['province_lab']}' for {code}")
        gem[code] = {"code": code, "province": province_code[r["province_lab"]]}
    for r in pop_rows:
        code = "GM" + r["nummer"].strip()
        if code not in gem:
            fail(f"{code} has a population but no province")
        gem[code]["population"] = int(r["bevolking"])
    for code, g in gem.items():
        if code not in cbs_name:
            fail(f"{code} missing from regio_wijkenenbuurten_2024.csv")
        if "population" not in g:
            fail(f"{code} has no population")
        g["name"] = cbs_name[code]
        g["police_unit"] = police_unit(g["name"], g["province"])
        g["arrondissement"] = arrondissement(g["police_unit"], g["province"])
        g["valid_from"] = 0
        g["valid_to"] = 9999
    if len(gem) != EXPECTED_GEMEENTEN:
        fail(f"expected {EXPECTED_GEMEENTEN} gemeenten, found {len(gem)}")
    if sum(g["population"] for g in gem.values()) != EXPECTED_POPULATION:
        fail("gemeente population does not sum to 17,942,915")
    # Each hand-made list must name real gemeenten of its province, and cover it.
    for names, prov in ((ZH_DEN_HAAG | ZH_ROTTERDAM, "PV28"), (NB_WEST | NB_OOST, "PV30"),
                        (NH_AMSTERDAM | NH_GOOI, "PV27")):
        actual = {g["name"] for g in gem.values() if g["province"] == prov}
        if not names <= actual:
            fail(f"names not in {prov}: {sorted(names - actual)}")
        if prov != "PV27" and names != actual:
            fail(f"gemeenten of {prov} not assigned: {sorted(actual - names)}")

    # --- mergers ---
    successors_new = {}  # successor code -> first year (new codes only)
    for year, frm, _, to, share, _ in MERGERS:
        if to not in gem:
            fail(f"merger successor {to} is not a 2024 gemeente")
        if frm in gem:
            fail(f"merger predecessor {frm} is still a 2024 gemeente")
        if not (0 < share <= 1):
            fail(f"share {share} of {frm} -> {to} out of range")
    shares = {}
    for year, frm, *_ in MERGERS:
        shares.setdefault(frm, []).append(year)
    for frm in shares:
        total = sum(m[4] for m in MERGERS if m[1] == frm)
        if abs(total - 1.0) > 1e-9:
            fail(f"shares of {frm} sum to {total}, not 1")
        if len(set(shares[frm])) != 1:
            fail(f"{frm} ceases in more than one year")
    for year, _, _, to, _, _ in MERGERS:
        if (to, year) not in CONTINUING_POPULATION:
            successors_new[to] = min(year, successors_new.get(to, 9999))
    for code, year in successors_new.items():
        gem[code]["valid_from"] = year

    # Predecessor population: its part of the successor's 2024 population, by the pre-merger populations.
    groups = {}  # (to, year) -> list of (from, raw weight)
    for year, frm, _, to, share, pop in MERGERS:
        groups.setdefault((to, year), []).append((frm, share * pop))
    pred_pop = {}
    for (to, year), parts in groups.items():
        raw_total = sum(w for _, w in parts) + CONTINUING_POPULATION.get((to, year), 0)
        factor = gem[to]["population"] / raw_total
        for frm, w in parts:
            pred_pop[frm] = pred_pop.get(frm, 0.0) + w * factor
    predecessors = {}
    for year, frm, name, to, share, _ in MERGERS:
        if frm in predecessors:
            if share > predecessors[frm]["_share"]:
                predecessors[frm]["_main"] = to
                predecessors[frm]["_share"] = share
            continue
        predecessors[frm] = {"code": frm, "name": name, "valid_from": 0, "valid_to": year - 1,
                             "population": round(pred_pop[frm]), "_main": to, "_share": share}
    for p in predecessors.values():
        main_g = gem[p["_main"]]
        p["province"] = main_g["province"]
        p["police_unit"] = main_g["police_unit"]
        p.update(PREDECESSOR_OVERRIDES.get(p["code"], {}))
        p["arrondissement"] = arrondissement(p["police_unit"], p["province"])

    cols = ["code", "name", "province", "police_unit", "arrondissement", "population", "valid_from", "valid_to"]
    all_gem = sorted(list(gem.values()) + list(predecessors.values()), key=lambda g: g["code"])
    write_csv(os.path.join(args.out, "gemeenten.csv"), cols, [[g[c] for c in cols] for g in all_gem])

    # --- buurten ---
    regio_bu = {r["Key"].strip(): r["Municipality"].strip() for r in regio if r["Key"].startswith("BU")}
    regio_wk = {r["Key"].strip() for r in regio if r["Key"].startswith("WK")}
    bu_rows = []
    seen = set()
    for r in read_csv(os.path.join(cp, "bevolking_buurt_2024_85984.csv")):
        code = r["nhood_id"].strip()
        if code in seen:
            fail(f"duplicate buurt {code}")
        seen.add(code)
        gm = "GM" + code[2:6]
        wk = "WK" + code[2:8]
        if gm not in gem:
            fail(f"buurt {code} in unknown gemeente {gm}")
        if regio_bu.get(code) != gm:
            fail(f"buurt {code}: regio file says gemeente {regio_bu.get(code)}")
        if wk not in regio_wk:
            fail(f"buurt {code}: wijk {wk} not in regio file")
        bu_rows.append([code, wk, gm, int(r["population"])])
    bu_rows.sort()
    if len(bu_rows) != EXPECTED_BUURTEN:
        fail(f"expected {EXPECTED_BUURTEN} buurten, found {len(bu_rows)}")
    if sum(r[3] for r in bu_rows) != EXPECTED_POPULATION:
        fail("buurt population does not sum to 17,942,915")
    write_csv(os.path.join(args.out, "buurten.csv"), ["code", "wijk", "gemeente", "population"], bu_rows)

    write_csv(os.path.join(args.out, "provincies.csv"), ["code", "name"], PROVINCES)
    write_csv(os.path.join(args.out, "politie_eenheden.csv"), ["code", "name"], POLICE_UNITS)
    write_csv(os.path.join(args.out, "arrondissementen.csv"), ["code", "name"], ARRONDISSEMENTS)
    merger_rows = sorted([[y, f, n, t, f"{s:g}"] for y, f, n, t, s, _ in MERGERS],
                         key=lambda r: (r[0], r[3], r[1]))
    write_csv(os.path.join(args.out, "herindelingen.csv"), ["year", "from", "from_name", "to", "share"],
              merger_rows)

    for name in ("gemeente_2024.topojson", "provincie_2024.topojson"):
        shutil.copyfile(os.path.join(args.shared, "geo", name), os.path.join(args.out, name))

    print(f"import_geo: wrote {len(all_gem)} gemeenten ({len(gem)} of 2024, {len(predecessors)} former), "
          f"{len(bu_rows)} buurten, {len(MERGERS)} merger rows to {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
