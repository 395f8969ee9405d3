// Calibration of the synthetic chain: the targets and mixes in config/synth/ (kalibratie.toml and the CSV
// tables next to it), read into plain values. Tests read the same object to compare what `das generate`
// wrote against what it was asked to produce.
//
// Errors: LoadCalibration() returns NotFound/IoError when a file cannot be read and ParseError naming file,
// line (and key) for a malformed one. Thread-safety: an immutable value after loading.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"

namespace das::synth {

// A lognormal delay: median days and sigma of log(days).
struct Delay {
  double median = 1;
  double sigma = 0;
};

// A categorical mix: codes with shares (not necessarily summing to 1; normalised when drawn).
struct Mix {
  std::vector<std::string> codes;
  std::vector<double> shares;
  // The normalised share of `code` (0 if absent).
  double Share(const std::string& code) const;
};

// One police offence class (47018NED) with its generator parameters.
struct OffenceClass {
  std::string soort;          // "1.1.1"
  std::string omschrijving;
  std::vector<std::string> incidentcodes;  // "A20", ...
  double opheldering = 0;     // relative clearance weight (scaled to the national target)
  double aangifte = 0;        // share reported by a victim
  std::string groep;          // gewoon, zwaar, economisch, verkeer
  std::string wetsartikel;    // "310 Sr"
  std::map<int, std::int64_t> per_jaar;  // registered crimes per year (47025NED)
};

struct GemeenteCrime {
  std::string code;            // GM0363
  std::string naam;
  std::int64_t inwoners = 0;   // 2024
  std::int64_t misdrijven = 0; // 2023
};

struct NameEntry {
  std::string name;
  std::string extra;   // surname: tussenvoegsel; given name: sex (M/V); company part: kind
  double weight = 1;
  std::string origin;  // surname: nl, tr, ma, ...
};

// A value per year given at some years; other years take the nearest given year (flat extrapolation,
// linear interpolation between given years).
struct YearSeries {
  std::vector<int> years;
  std::vector<double> values;
  double At(int year) const;
};

struct Calibration {
  // [politie]
  double opheldering = 0.27;
  double verdachten_per_opgehelderd = 1.16;
  double personen_per_registratie = 0.635;
  double rechtspersonen = 0.02;
  double minderjarigen = 0.075;
  double niet_ingezetenen = 0.04;
  double mannen = 0.84;
  double jongens = 0.75;
  Delay dagen_tot_opheldering, dagen_tot_afdoening;
  double psb = 0.05, halt_minderjarig = 0.4, geen_minderjarig = 0.08;
  // [personen]
  double pool_per_persoon = 9;
  double propensiteit_sigma = 1.0;
  double propensiteit_exponent_jeugd = 1.0;  // juveniles are selected with propensity^this
  std::vector<double> leeftijd_punten, leeftijd_gewicht;
  // [om]
  YearSeries om_instroom;
  double om_aandeel_politie = 0.9, om_aandeel_kmar = 0.04, zsm = 0.7;
  Mix beslissing;
  double sbs_taakstraf = 0.2;
  Delay dagen_tot_beslissing_zsm, dagen_tot_beslissing;
  double onbeslist = 0.01;
  // [rechtspraak]
  double niet_aangebracht = 0.15;
  Mix rechter, uitspraak;
  double verstek = 0.25, hoger_beroep = 0.17;
  Delay dagen_tot_inschrijving, dagen_tot_uitspraak_pr, dagen_tot_uitspraak_mk, dagen_tot_uitspraak_kr,
      dagen_tot_uitspraak_epr;
  // [sancties]
  Mix combinaties;
  std::array<double, 3> vw_vrijheidsstraf{}, vw_taakstraf{}, vw_boete{};  // N, J, D
  double ozr_verkeer = 0.6, isd = 0.008, tbs = 0.002, pij = 0.01, toezicht = 0.45;
  double custody_noise = 1.0;  // sd of the noise on log propensity when custody is handed out
  // [cjib]
  double sbs_betaald = 0.61, boete_betaald = 0.75, vervangende_hechtenis = 0.06, psb_betaald = 0.7;
  Delay cjib_dagen_tot_registratie, cjib_dagen_tot_betaling;
  // [dji]
  double vh_mk = 0.55, vh_pr = 0.12;
  Delay dagen_vh, dagen_gs_pr, dagen_gs_mk, dagen_vvh;
  double isd_dagen = 730, vi = 0.5;
  // [reclassering]
  double werkstraf_voltooid = 0.9;
  Delay uren_taakstraf, rn_dagen_tot_start, dagen_toezicht;
  // [halt]
  YearSeries halt_verwijzingen;
  double halt_positief = 0.88, halt_jongens_overig = 0.65;
  // [rvdk]
  double vroeghulp = 0.55, basisonderzoek = 0.8;
  Delay rvdk_dagen_onderzoek;
  // [veiligheidsmonitor]
  double vm_respondenten = 90000;
  double vm_vermogen = 0.1, vm_vernieling = 0.065, vm_geweld = 0.055, vm_fraude = 0.085, vm_hacken = 0.055,
         vm_bedreiging = 0.028, vm_aangifte = 0.33, vm_onveilig = 0.35, vm_15plus = 0.84;
  // [context]
  double bijstand_daders = 0.12, bijstand_overig = 0.01, vow = 0.004;
  // [defecten] base rates per record
  double typo_naam = 0.02, bsn_weggelaten = 0.01, bsn_ongeldig = 0.002, duplicaat = 0.002, laat = 0.01,
         onmogelijke_datum = 0.001, onbekende_code = 0.001;

  // Tables.
  std::vector<OffenceClass> klassen;       // soort_misdrijf.csv + wetsartikelen.csv + misdrijven_per_jaar.csv
  std::vector<GemeenteCrime> gemeenten;    // gemeenten_misdaad_2023.csv
  std::map<int, std::int64_t> bevolking_nl;  // bevolking_nl.csv
  std::vector<NameEntry> achternamen, voornamen, bedrijfsnamen;

  // Registered crimes of one class in `year` (nearest year of the table outside it).
  std::int64_t CrimesIn(const OffenceClass& k, int year) const;
  std::int64_t TotalCrimesIn(int year) const;
  double PopulationIn(int year) const;  // national mean population (nearest year outside the table)
};

// Reads config/synth/ (the directory holding kalibratie.toml).
Result<Calibration> LoadCalibration(const std::string& dir, const FileSystem* fs = nullptr);

}  // namespace das::synth
