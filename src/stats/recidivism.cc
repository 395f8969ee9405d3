// DAS_Recidive: two-year general reconviction (DOMAIN 3.4) for three cohorts; definitions in
// docs/statistics-figures.md.
#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "das/protect/ckm.h"
#include "das/store/store.h"
#include "dimensions.h"
#include "formula.h"

namespace das::stats {
namespace {

constexpr std::int32_t kNoDay = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kFollowUpDays = 730;

bool IsSanctionEvent(std::string_view stage, std::string_view outcome) {
  if (stage == "judgment") return outcome == "schuldig" || outcome.substr(0, 9) == "schuldig_";
  if (stage == "om_decision") return outcome == "strafbeschikking" || outcome == "transactie";
  return false;
}

}  // namespace

Result<StatTable> ComputeRecidivism(store::Store* store, const FiguresOptions& options, const Env& env) {
  (void)env;
  namespace fi = figures_internal;
  DAS_ASSIGN_OR_RETURN(Date horizon, fi::Horizon(store, options));
  DAS_ASSIGN_OR_RETURN(auto years, fi::Years(store, options, horizon));
  for (const char* name : {"chain_cases", "chain_events"}) {
    DAS_ASSIGN_OR_RETURN(bool has, store->HasTable(name));
    if (!has) return Status::FailedPrecondition(std::string("stats: table '") + name + "' is missing (run das chain first)");
  }
  // Column by column (each freed once encoded): ten national years hold 9M cases and 25M events.
  auto read = [&](const char* table, const char* name) -> Result<Column> {
    DAS_ASSIGN_OR_RETURN(Table t, store->GetTable(table, {name}));
    if (t.num_columns() != 1) return Status::FailedPrecondition(std::string("stats: ") + table + " has no column '" + name + "'");
    return std::move(t.column(0));
  };
  auto need_type = [](const Column& c, const char* table, bool text) -> Status {
    if ((c.type() == ColumnType::kString) == text) return Status::Ok();
    return Status::FailedPrecondition(std::string("stats: column '") + c.name() + "' of " + table + " must be " +
                                      (text ? "text" : "a date or boolean"));
  };

  struct Case {
    std::uint32_t person = 0;       // index into persons
    std::int32_t first = kNoDay;
    int minor = -1;                 // 1 minor, 0 adult, -1 unknown
    std::int32_t sanction = kNoDay; // earliest sanctioning event
  };
  std::vector<Case> cs;
  std::vector<std::string> persons;          // person ids by first appearance
  std::vector<std::uint32_t> case_of_row;    // chain_cases row -> index into cs (kNone: skipped)
  constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  // chain_case_id -> case: open addressing over the case id column (kept until the events are mapped).
  DAS_ASSIGN_OR_RETURN(Column cid, read("chain_cases", "chain_case_id"));
  DAS_RETURN_IF_ERROR(need_type(cid, "chain_cases", true));
  {
    DAS_ASSIGN_OR_RETURN(Column pid, read("chain_cases", "person_id"));
    DAS_RETURN_IF_ERROR(need_type(pid, "chain_cases", true));
    std::unordered_map<std::string_view, std::uint32_t> person_index;
    case_of_row.assign(cid.size(), kNone);
    for (std::size_t i = 0; i < cid.size(); ++i) {
      if (cid.IsNull(i) || pid.IsNull(i)) continue;
      auto [it, fresh] = person_index.try_emplace(pid.GetString(i), static_cast<std::uint32_t>(persons.size()));
      if (fresh) persons.emplace_back(pid.GetString(i));
      case_of_row[i] = static_cast<std::uint32_t>(cs.size());
      cs.push_back(Case{it->second, kNoDay, -1, kNoDay});
    }
  }
  {
    DAS_ASSIGN_OR_RETURN(Column first, read("chain_cases", "first_event_date"));
    DAS_RETURN_IF_ERROR(need_type(first, "chain_cases", false));
    for (std::size_t i = 0; i < first.size() && i < case_of_row.size(); ++i) {
      if (case_of_row[i] != kNone && !first.IsNull(i)) cs[case_of_row[i]].first = first.GetDate(i).days();
    }
  }
  {
    DAS_ASSIGN_OR_RETURN(Column minor, read("chain_cases", "minor"));
    DAS_RETURN_IF_ERROR(need_type(minor, "chain_cases", false));
    for (std::size_t i = 0; i < minor.size() && i < case_of_row.size(); ++i) {
      if (case_of_row[i] != kNone && !minor.IsNull(i)) cs[case_of_row[i]].minor = minor.GetBool(i) ? 1 : 0;
    }
  }
  // Events: the case of each row (the first case row of an id), then stage, date and outcome.
  std::vector<std::uint32_t> event_case;
  {
    std::size_t slots = 16;
    while (slots < cs.size() * 2) slots *= 2;
    std::vector<std::uint32_t> table(slots, kNone);  // row of chain_cases
    const std::hash<std::string_view> hash;
    auto probe = [&](std::string_view key) {
      std::size_t h = hash(key) & (slots - 1);
      while (table[h] != kNone && cid.GetString(table[h]) != key) h = (h + 1) & (slots - 1);
      return h;
    };
    for (std::size_t i = 0; i < cid.size(); ++i) {
      if (case_of_row[i] == kNone) continue;
      const std::size_t h = probe(cid.GetString(i));
      if (table[h] == kNone) table[h] = static_cast<std::uint32_t>(i);  // the first row of an id wins
    }
    DAS_ASSIGN_OR_RETURN(Column ecid, read("chain_events", "chain_case_id"));
    DAS_RETURN_IF_ERROR(need_type(ecid, "chain_events", true));
    event_case.assign(ecid.size(), kNone);
    for (std::size_t i = 0; i < ecid.size(); ++i) {
      if (ecid.IsNull(i)) continue;
      const std::uint32_t row = table[probe(ecid.GetString(i))];
      if (row != kNone) event_case[i] = case_of_row[row];
    }
  }
  cid = Column();
  case_of_row = {};
  // Stage and outcome, dictionary-encoded: per dictionary entry the class the recidivism rules need.
  enum : std::uint8_t { kOther = 0, kJudgment = 1, kOmDecision = 2, kDjiExit = 3 };
  auto encode = [](const Column& c, auto classify, std::vector<std::uint8_t>* out) {
    std::unordered_map<std::string_view, std::uint8_t> cls;
    out->assign(c.size(), 0);
    for (std::size_t i = 0; i < c.size(); ++i) {
      const std::string_view v = c.IsNull(i) ? std::string_view() : c.GetString(i);
      auto it = cls.find(v);
      if (it == cls.end()) it = cls.emplace(v, classify(v)).first;
      (*out)[i] = it->second;
    }
  };
  std::vector<std::uint8_t> stage_cls, outcome_cls;
  std::vector<std::uint8_t> stage_null;
  {
    DAS_ASSIGN_OR_RETURN(Column stage, read("chain_events", "stage"));
    DAS_RETURN_IF_ERROR(need_type(stage, "chain_events", true));
    encode(stage, [](std::string_view st) -> std::uint8_t {
      return st == "judgment" ? kJudgment : st == "om_decision" ? kOmDecision : st == "dji_exit" ? kDjiExit : kOther;
    }, &stage_cls);
    stage_null.assign(stage.size(), 0);
    for (std::size_t i = 0; i < stage.size(); ++i) stage_null[i] = stage.IsNull(i) ? 1 : 0;
  }
  DAS_ASSIGN_OR_RETURN(Column date, read("chain_events", "date"));
  DAS_RETURN_IF_ERROR(need_type(date, "chain_events", false));
  {
    DAS_ASSIGN_OR_RETURN(Column outcome, read("chain_events", "outcome"));
    DAS_RETURN_IF_ERROR(need_type(outcome, "chain_events", true));
    // Bit 1: a sanction after a judgment; bit 2: after an OM decision.
    encode(outcome, [](std::string_view oc) -> std::uint8_t {
      return static_cast<std::uint8_t>((IsSanctionEvent("judgment", oc) ? 1 : 0) |
                                       (IsSanctionEvent("om_decision", oc) ? 2 : 0));
    }, &outcome_cls);
  }
  const std::size_t n_events = event_case.size();
  if (stage_cls.size() != n_events || date.size() != n_events || outcome_cls.size() != n_events) {
    return Status::Corruption("stats: the columns of chain_events differ in length");
  }

  // Index events: (person, cohort, date, case).
  struct Index {
    std::uint32_t person;
    int cohort;
    std::int32_t day;
    std::uint32_t c;
  };
  std::vector<Index> idx;
  std::vector<std::pair<std::int32_t, std::uint32_t>> dji_exits;
  for (std::size_t i = 0; i < n_events; ++i) {
    if (event_case[i] == kNone || date.IsNull(i) || stage_null[i] != 0) continue;
    const std::int32_t day = date.GetDate(i).days();
    if (day > horizon.days()) continue;
    const std::uint8_t st = stage_cls[i];
    Case& c = cs[event_case[i]];
    const bool sanction = (st == kJudgment && (outcome_cls[i] & 1) != 0) || (st == kOmDecision && (outcome_cls[i] & 2) != 0);
    if (sanction && (c.sanction == kNoDay || day < c.sanction)) c.sanction = day;
    if (st == kDjiExit) dji_exits.emplace_back(day, event_case[i]);
  }
  event_case = {};
  stage_cls = {};
  outcome_cls = {};
  stage_null = {};
  date = Column();
  for (std::uint32_t k = 0; k < cs.size(); ++k) {
    const Case& c = cs[k];
    if (c.sanction == kNoDay || c.minor < 0) continue;
    idx.push_back({c.person, c.minor == 1 ? 1 : 0, c.sanction, k});
  }
  for (const auto& [day, k] : dji_exits) idx.push_back({cs[k].person, 2, day, k});
  // One index per person, cohort and year: the earliest (persons are grouped; their order does not matter).
  std::sort(idx.begin(), idx.end(), [](const Index& a, const Index& b) {
    return std::tie(a.cohort, a.person, a.day, a.c) < std::tie(b.cohort, b.person, b.day, b.c);
  });
  // Cases per person (CSR), in case order.
  std::vector<std::uint32_t> person_start(persons.size() + 1, 0), person_cases(cs.size());
  for (const Case& c : cs) ++person_start[c.person + 1];
  for (std::size_t p = 0; p < persons.size(); ++p) person_start[p + 1] += person_start[p];
  {
    std::vector<std::uint32_t> fill(person_start.begin(), person_start.end() - 1);
    for (std::uint32_t k = 0; k < cs.size(); ++k) person_cases[fill[cs[k].person]++] = k;
  }

  DAS_ASSIGN_OR_RETURN(PeriodDimension perioden,
                       BuildPerioden(years.first, years.second, PeriodLevel::kYear, false, horizon));
  const int Y = years.second - years.first + 1;
  std::vector<bool> complete(static_cast<std::size_t>(Y));
  for (int y = 0; y < Y; ++y) {
    const Date end = Date::FromYmdUnchecked(years.first + y, 12, 31);
    complete[static_cast<std::size_t>(y)] = end.days() + kFollowUpDays <= horizon.days();
    perioden.spec.codes[static_cast<std::size_t>(y)].status = complete[static_cast<std::size_t>(y)] ? "Definitief" : "Voorlopig";
  }
  DimensionSpec cohort;
  cohort.id = "Cohort";
  cohort.title_nl = "Cohort";
  cohort.title_en = "Cohort";
  cohort.has_total = false;
  cohort.codes = {
      Code{"volwassen_veroordeelden", "Volwassen veroordeelden", "Adult offenders sanctioned", "",
           "Volwassenen (18+) met een schuldigverklaring of een strafbeschikking/transactie van het OM in het jaar.",
           "Adults (18+) convicted or given an OM penalty order or settlement in the year.", ""},
      Code{"jeugdigen", "Jeugdigen", "Juvenile offenders", "",
           "Minderjarigen (12-17) met een schuldigverklaring of een strafbeschikking/transactie van het OM in het jaar.",
           "Minors (12-17) convicted or given an OM penalty order or settlement in the year.", ""},
      Code{"ex_gedetineerden", "Ex-gedetineerden", "Ex-prisoners", "", "Personen die in het jaar DJI verlieten.",
           "Persons leaving a DJI institution in the year.", ""}};

  std::unique_ptr<protect::RecordKeyer> keyer;
  if (!options.record_key_secret.empty()) {
    DAS_ASSIGN_OR_RETURN(auto k, protect::RecordKeyer::Create(options.record_key_secret));
    keyer = std::make_unique<protect::RecordKeyer>(k);
  }
  const std::size_t C = cohort.codes.size(), cells = static_cast<std::size_t>(Y) * C;
  MeasureValues size, recid, pct;
  for (MeasureValues* m : {&size, &recid, &pct}) {
    m->value.assign(cells, 0);
    m->n.assign(cells, 0);
    m->cell_key.assign(cells, 0);
  }
  std::uint32_t prev_person = kNone;
  int prev_cohort = -1, prev_year = -1;
  for (const Index& ix : idx) {
    const int y = Date(ix.day).year() - years.first;
    if (y < 0 || y >= Y) continue;
    if (ix.person == prev_person && ix.cohort == prev_cohort && y == prev_year) continue;
    prev_person = ix.person;
    prev_cohort = ix.cohort;
    prev_year = y;
    const std::size_t k = static_cast<std::size_t>(y) * C + static_cast<std::size_t>(ix.cohort);
    const std::uint32_t key = keyer ? keyer->Key("person:" + persons[ix.person]) : 0;
    size.value[k] += 1;
    size.n[k] += 1;
    size.cell_key[k] = protect::CombineKeys(size.cell_key[k], key);
    bool again = false;
    for (std::uint32_t e = person_start[ix.person]; e < person_start[ix.person + 1]; ++e) {
      const std::uint32_t other = person_cases[e];
      const Case& o = cs[other];
      if (other == ix.c || o.first == kNoDay || o.sanction == kNoDay) continue;
      if (o.first > ix.day && o.first <= ix.day + kFollowUpDays) {
        again = true;
        break;
      }
    }
    if (again) {
      recid.value[k] += 1;
      recid.n[k] += 1;
      recid.cell_key[k] = protect::CombineKeys(recid.cell_key[k], key);
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t k = 0; k < cells; ++k) {
    const bool ok = complete[k / C];
    pct.n[k] = size.n[k];
    pct.value[k] = ok && size.value[k] > 0 ? 100.0 * recid.value[k] / size.value[k] : nan;
    if (!ok) {
      recid.value[k] = nan;
      recid.n[k] = 0;
      recid.cell_key[k] = 0;
    }
  }
  StatTable t;
  t.id = "DAS_Recidive";
  t.title_nl = "Recidive: algemene tweejarige herveroordeling";
  t.title_en = "Recidivism: two-year general reconviction";
  t.description_nl = "Aandeel van een cohort met binnen twee jaar na de indexdatum een nieuwe strafzaak (eerste "
                     "gebeurtenis binnen 730 dagen) die tot een schuldigverklaring of strafbeschikking/transactie "
                     "leidde. Cohorten waarvan de follow-up na de peildatum eindigt zijn voorlopig en zonder recidive.";
  t.description_en = "Share of a cohort with a new criminal case (first event within 730 days after the index date) "
                     "that led to a conviction or OM penalty order/settlement. Cohorts whose follow-up ends after "
                     "the data horizon are provisional and have no recidivism figures.";
  t.theme = "tenuitvoerlegging";
  t.source_stages = {"om", "court", "dji"};
  t.dims = {perioden.spec, cohort};
  auto measure = [](const char* id, const char* nl, const char* en, const char* unit, int dec, MeasureKind kind,
                    const char* key, const char* def) {
    MeasureSpec m;
    m.id = id;
    m.title_nl = nl;
    m.title_en = en;
    m.unit = unit;
    m.decimals = dec;
    m.kind = kind;
    m.cell_key_id = key;
    m.definition = def;
    return m;
  };
  t.measures = {
      measure("Cohortomvang_1", "Cohortomvang", "Cohort size", "aantal", 0, MeasureKind::kCount, "recidive.cohort",
              "persons with an index event in the year (first index event per person and cohort)"),
      measure("Recidivisten_2", "Recidivisten", "Recidivists", "aantal", 0, MeasureKind::kCount, "recidive.recidivists",
              "cohort members with another case whose first event lies within 730 days after the index date and "
              "that has a conviction or OM penalty order/settlement"),
      measure("Recidive_3", "Tweejarige recidive", "Two-year recidivism", "%", 1, MeasureKind::kDerived,
              "recidive.percentage", "100 * Recidivisten_2 / Cohortomvang_1; n = Cohortomvang_1")};
  t.values = {std::move(size), std::move(recid), std::move(pct)};
  return t;
}

}  // namespace das::stats
