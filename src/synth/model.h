// Internal model of the synthetic chain: the world (geography, names, offender pool) and the records each
// simulated year produces. Records refer to each other by index within the same simulated year (`Year`);
// keys are numbered after all years are simulated (numbering.cc) and rendered when files are written.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "das/core/date.h"
#include "das/core/env.h"
#include "das/geo/geography.h"
#include "das/synth/calibration.h"
#include "das/synth/generate.h"

namespace das::synth {

// "Never" (an event that does not happen): compares after every real date.
inline constexpr Date kNever = Date(std::numeric_limits<std::int32_t>::max());
inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

// Lognormal draw in days, at least `min_days`.
int DrawDays(Random& rng, const Delay& d, int min_days = 0, int max_days = 3650);
// Index drawn from cumulative weights (last element = total).
std::size_t DrawCumulative(Random& rng, const std::vector<double>& cumulative);
std::vector<double> Cumulative(const std::vector<double>& weights);

struct GemeenteX {
  std::string code;         // 2024 code
  std::uint8_t unit = 1;    // police unit 1-10
  std::uint8_t arr = 0;     // arrondissement index (kCourts)
  std::uint8_t province = 0;
  double crime_weight = 0;  // registered crimes 2023
  double population = 0;
  std::vector<std::uint32_t> buurten;  // indices into World::buurten
  std::vector<double> buurt_cum;       // cumulative populations
};

inline constexpr int kCourts = 11;
extern const std::array<const char*, kCourts> kCourtCodes;     // RBAMS ...
extern const std::array<const char*, kCourts> kParketNumbers;  // "13" ...

// A natural person of the offender pool, or (kind 'R') a legal person.
struct Person {
  Date birth;
  std::int16_t birth_year = 0;
  std::int16_t birth_day_of_year = 0;  // 0 = 1 January
  float propensity = 1;
  std::uint32_t buurt = kNone;   // home buurt index; kNone = no known address / abroad
  std::uint32_t bsn = 0;         // 0 = none (non-resident); else 9 digits
  std::uint16_t surname = 0;
  std::array<std::uint16_t, 3> given{0xFFFF, 0xFFFF, 0xFFFF};
  char sex = 'M';                // M/V; 'R' marks a legal person
  std::uint32_t kvk = 0;         // legal persons
};

struct SealContext;  // deliver.h

struct World {
  const SealContext* sealing = nullptr;  // null: write raw files
  const Calibration* cal = nullptr;
  const geo::Geography* geo = nullptr;
  GenerateOptions opt;
  std::vector<GemeenteX> gemeenten;           // 2024 gemeenten
  std::vector<const geo::BuurtInfo*> buurten; // 2024 buurten
  std::vector<std::uint32_t> buurt_gemeente;  // buurt -> gemeenten index
  std::vector<double> gemeente_crime_cum;
  std::vector<Person> persons;                // natural persons [0, n_natural), then legal persons
  std::uint32_t n_natural = 0;
  std::vector<double> surname_cum, male_cum, female_cum;
  std::vector<std::uint16_t> male_names, female_names;
  // Per offence class: probability that a crime has no known place (online fraud, cybercrime, ...), so that
  // located crimes match the real registered crime per gemeente.
  std::vector<double> p_no_location;
  double clearance_factor = 1;
  int sim_from = 0;                           // first simulated year (warm-up before opt.from)
  Date horizon;                               // last delivery date considered (1 June to+1)

  // Code in `year` of a buurt / the gemeente of a buurt.
  std::string BuurtCode(std::uint32_t buurt, int year) const { return geo->BuurtCodeIn(*buurten[buurt], year); }
  const std::string& GemeenteCode(std::uint32_t buurt, int year) const {
    return geo->GemeenteOf(*buurten[buurt], year);
  }
};

// Age in whole years on day `day_of_year` (0-based) of `year`.
inline int AgeOn(const Person& p, int year, int day_of_year) {
  return year - p.birth_year - (p.birth_day_of_year > day_of_year ? 1 : 0);
}

// ---- Records of one simulated year. Indices refer to vectors of the same Year. ----
enum class Disposal : std::uint8_t { kOm, kHalt, kPsb, kGeen };

struct Crime {
  Date pleeg, reg, cleared = kNever;
  std::uint32_t buurt = 0;
  std::uint16_t klasse = 0;
  std::uint8_t incident = 0;
  bool aangifte = false;
  bool pleeg_unknown = false;
  bool location_unknown = false;  // the buurt is still used for the registering unit and the parket
  std::uint32_t seq = 0;
};

struct Suspect {  // one suspect per incident; also the chain case
  std::uint32_t crime = 0;
  std::uint32_t person = 0;
  Date reg, disposal_date = kNever;
  Disposal disposal = Disposal::kGeen;
  char kind = 'N';   // N/R
  bool minor = false;
  std::uint32_t seq = 0;
};

struct OmCase {
  std::uint32_t suspect = kNone;  // kNone: brought by KMAR/BOD
  std::uint32_t person = 0;
  std::uint32_t chain = 0;        // chain case number within the year
  Date inflow, decision = kNever;
  std::uint16_t klasse = 0;
  std::uint8_t decision_code = 0;  // index into cal.beslissing
  std::uint8_t aanbrenger = 0;     // 0 POL, 1 KMAR, 2 BOD
  std::uint8_t arr = 0;
  bool zsm = false, minor = false, sbs_taak = false;
  std::uint32_t court = kNone;
  std::uint32_t seq = 0;
};

struct CourtCase {
  std::uint32_t om = 0;
  Date inschrijving, uitspraak = kNever, appeal = kNever;
  std::uint8_t rechter = 0, uitspraak_code = 0;  // indices into cal.rechter / cal.uitspraak
  bool verstek = false;
  std::uint32_t first_sanction = 0, n_sanctions = 0;
};

enum class SanctionType : std::uint8_t { kGev, kJd, kTaak, kBoete, kTbs, kIsd, kPij, kOzr };
struct Sanction {
  std::uint32_t court = 0;
  SanctionType type = SanctionType::kGev;
  char vw = 'N';                 // N/J/D
  std::int64_t amount = 0;       // days, hours, months, or euro cents
};

enum class CjibSoort : std::uint8_t { kSbs, kPsb, kBoete, kTrns };
enum class CjibStatus : std::uint8_t { kBetaald, kDeels, kOpen, kVvh, kOninbaar };
struct Cjib {
  CjibSoort soort = CjibSoort::kSbs;
  std::uint32_t om = kNone, suspect = kNone, person = 0, chain = 0;
  std::int64_t bedrag = 0, geind = 0;  // cents
  Date reg, status_date = kNever;      // final status reached on status_date
  CjibStatus status = CjibStatus::kOpen;
  std::uint32_t seq = 0;
};

enum class Titel : std::uint8_t { kVh, kGs, kVvh, kIsd, kTbs, kJji };
struct Detention {
  std::uint32_t person = 0, om = kNone, chain = 0;
  Titel titel = Titel::kGs;
  std::uint8_t inrichting = 0;
  Date in, out = kNever;
  std::uint8_t reden = 0;  // 0 EINDE, 1 VI, 2 SCHORSING, 3 OVERGANG
  std::uint32_t seq = 0;
};

struct Probation {
  std::uint32_t person = 0, om = 0, chain = 0;
  bool werkstraf = true;
  int uren = 0, uren_done = 0;
  Date start, end = kNever;
  bool completed = true;
  std::uint32_t seq = 0;
};

struct HaltCase {
  std::uint32_t person = 0, suspect = kNone, chain = 0;
  Date date, afloop_date = kNever;
  std::uint16_t klasse = 0;
  int uren = 0;
  bool positief = true;
  std::uint32_t seq = 0;
};

struct RvdkCase {
  std::uint32_t person = 0, om = 0, chain = 0;
  std::uint8_t soort = 0;  // 0 VH, 1 BRO, 2 TS
  std::uint8_t advies = 0; // 0 TAAKSTRAF, 1 JD, 2 PIJ, 3 GEEN
  Date start, end = kNever;
  std::uint32_t seq = 0;
};

struct Year {
  int year = 0;
  std::vector<Crime> crimes;
  std::vector<Suspect> suspects;
  std::vector<OmCase> om;
  std::vector<CourtCase> courts;
  std::vector<Sanction> sanctions;
  std::vector<Cjib> cjib;
  std::vector<Detention> dji;
  std::vector<Probation> rn;
  std::vector<HaltCase> halt;
  std::vector<RvdkCase> rvdk;
  std::uint32_t n_chains = 0;  // chain cases: suspects first, then OM cases without a suspect, then Halt
};

// Builds the world: geography tables, names and the offender pool. Deterministic in options.seed.
Result<World> BuildWorld(const Calibration& cal, const geo::Geography& geo, const GenerateOptions& opt);
// Simulates the chains of every crime registered (and every KMAR/BOD case and non-police Halt referral) in
// `year`. Thread-safe for distinct years (reads the world only).
Year SimulateYear(const World& world, int year);
// Numbers the keys of all records (sequence numbers by reference date) across the simulated years.
void NumberKeys(std::vector<Year>& years);

// Writes all deliveries, manifest.csv and _truth/. `years` are all simulated years in order.
Result<GenerateSummary> WriteAll(const World& world, const std::vector<Year>& years, FileSystem* fs);

}  // namespace das::synth
