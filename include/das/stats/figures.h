// Key figures of the six dashboard themes, recidivism, the victimisation survey, fines and distinct suspects:
// StatTables computed from the chain model (das chain) and the survey/context deliveries.
//
// In (store tables): chain_stage_units, chain_sanctions, chain_executions, chain_cases, chain_events,
// chain_person_residence (das chain); h_cbs_veiligheidsmonitor (das harmonise; optional); the deliveries of
// context_bevolking_buurt (optional, else the 2024 populations of config/geo). Out: StatTables (no store
// writes):
//   DAS_Kerncijfers_<Thema>   Perioden JJ x RegioS NL01>PVxx>GMxxxx; one topic per key figure in config order
//                             (the theme's headline first), defined by formulas (config/stats/kerncijfers.toml)
//   DAS_Recidive              Perioden (cohort year) x Cohort (no total): cohort size, recidivists, %
//   DAS_Slachtofferschap      Perioden x RegioS NL01>PVxx: weighted survey % with a 95% interval, respondents
//   DAS_CJIB_Boetes           Perioden x Soort x RegioS NL01>PVxx: amounts imposed and collected (kAmount)
//   DAS_Verdachten_Personen   Perioden x RegioS x Leeftijd x Geslacht: distinct suspects, per 10 000 inhabitants
// Definitions: docs/statistics-figures.md.
//
// Errors: config errors name the file, the key figure and the formula column ("kerncijfers.toml: key figure
// 'x': column 7: ..."); a missing chain table is FailedPrecondition (run das chain first); a formula naming a
// column the chain table does not have is InvalidArgument naming figure, column and table.
// Threading: one thread; the Store is used by one thread at a time. Deterministic: same store, config and
// options give identical tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "das/core/date.h"
#include "das/core/env.h"
#include "das/core/status.h"
#include "das/stats/stat_table.h"

namespace das::geo {
class Geography;
}
namespace das::harmonise {
class AgeGroups;
}
namespace das::store {
class Store;
}

namespace das::stats {

// One theme (config/stats/themas.toml).
struct Theme {
  std::string id;          // preventie, slachtofferschap, opsporing, vervolging, berechting, tenuitvoerlegging
  std::string table_stem;  // Preventie, ... (table DAS_Kerncijfers_<stem>)
  std::string title_nl, title_en, description_nl, description_en;
  std::string headline;    // id of the headline key figure (the table's first topic)
};

// One key figure (config/stats/kerncijfers.toml).
struct KeyFigure {
  std::string id;          // snake_case, unique; the topic key is derived from it (CamelCase + "_<k>")
  std::string theme;
  std::string title_nl, title_en, description_nl, description_en;
  std::string unit;        // "aantal", "%", "per 10 000 inwoners", "euro", ...
  int decimals = 0;
  std::vector<std::string> source_stages;
  std::string formula;     // the definition (see src/stats/formula.h)
  // "count", "amount" or "derived"; default: "count" for a single count()/persons() call, "amount" for a
  // single sum(), else "derived".
  std::string kind;
  int line = 0;            // line in kerncijfers.toml (for messages)
};

struct FiguresConfig {
  std::vector<Theme> themes;         // file order
  std::vector<KeyFigure> figures;    // file order
};

// Reads config/stats/themas.toml and config/stats/kerncijfers.toml from `dir` and checks them: the six
// themes, >= 5 key figures per theme, unique ids, every formula parses, the headline exists in its theme.
Result<FiguresConfig> LoadFiguresConfig(const std::string& dir, const FileSystem& fs);
// The same from text (tests); `themes_name` / `figures_name` are used in messages.
Result<FiguresConfig> ParseFiguresConfig(const std::string& themes_toml, const std::string& themes_name,
                                         const std::string& figures_toml, const std::string& figures_name);

struct FiguresOptions {
  const geo::Geography* geography = nullptr;       // required, not owned
  const harmonise::AgeGroups* age_groups = nullptr;  // required for DAS_Verdachten_Personen, not owned
  int from_year = 0, to_year = 0;                  // 0: from the data (years of unit entries up to the horizon)
  // The data horizon: periods ending after it are "Voorlopig"; recidivism cohorts whose two-year follow-up
  // passes it are unavailable. Default: the latest event date in chain_events.
  std::optional<Date> horizon;
  // CKM record-key secret (>= 16 bytes; e.g. KeyStore "protect/record-key"). Empty: cell keys are 0.
  std::string record_key_secret;
};

// DAS_Kerncijfers_<Thema> for every theme, in config order.
Result<std::vector<StatTable>> ComputeFigureTables(store::Store* store, const FiguresConfig& config,
                                                   const FiguresOptions& options, const Env& env);
// DAS_Recidive.
Result<StatTable> ComputeRecidivism(store::Store* store, const FiguresOptions& options, const Env& env);
// DAS_Slachtofferschap; NotFound when no survey was delivered (h_cbs_veiligheidsmonitor absent).
Result<StatTable> ComputeSurvey(store::Store* store, const FiguresOptions& options, const Env& env);
// DAS_CJIB_Boetes.
Result<StatTable> ComputeFines(store::Store* store, const FiguresOptions& options, const Env& env);
// DAS_Verdachten_Personen.
Result<StatTable> ComputeSuspectPersons(store::Store* store, const FiguresOptions& options, const Env& env);

// All of the above (the survey table only when a survey was delivered), key figures first.
Result<std::vector<StatTable>> ComputeAllFigures(store::Store* store, const FiguresConfig& config,
                                                 const FiguresOptions& options, const Env& env);

// Survey interval (exposed for tests): weighted proportion p = sum(w y) / sum(w), Kish effective sample size
// n_eff = (sum w)^2 / sum(w^2), and the Wilson score interval at z = 1.959964 with n_eff. Percentages (0..100).
struct SurveyEstimate {
  double percent = 0, lower = 0, upper = 0;
  double n_eff = 0;
  std::int64_t respondents = 0;
};
SurveyEstimate EstimateProportion(const std::vector<double>& weights, const std::vector<bool>& outcome);

}  // namespace das::stats
