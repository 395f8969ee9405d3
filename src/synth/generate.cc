// Orchestration of `das generate`: load configuration, build the world, simulate the years (in parallel),
// number keys, write the deliveries (in parallel), the manifest and the ground truth.
#include "das/synth/generate.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "deliver.h"

namespace das::synth {
namespace {

// Runs f(0..n-1) on up to `threads` threads; results are stored by index, so order is deterministic.
template <typename F>
void ParallelFor(int threads, std::size_t n, F f) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) f(i);
  };
  const int t = std::max(1, std::min<int>(threads, static_cast<int>(n)));
  std::vector<std::thread> pool;
  for (int k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
}

class Totals {
 public:
  void Add(int year, const std::string& stage, const std::string& measure, double v) {
    values_[{year, stage, measure}] += v;
  }
  void Set(int year, const std::string& stage, const std::string& measure, double v) {
    values_[{year, stage, measure}] = v;
  }
  std::string Csv() const {
    std::string out;
    for (const auto& [k, v] : values_) {
      char buf[64];
      if (std::fabs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
      else std::snprintf(buf, sizeof buf, "%.4f", v);
      out += std::to_string(std::get<0>(k)) + "," + std::get<1>(k) + "," + std::get<2>(k) + "," + buf + "\n";
    }
    return out;
  }

 private:
  std::map<std::tuple<int, std::string, std::string>, double> values_;
};

int IndexOf(const Mix& mix, const char* code) {
  for (std::size_t i = 0; i < mix.codes.size(); ++i) {
    if (mix.codes[i] == code) return static_cast<int>(i);
  }
  return -1;
}

int AgeAt(Date birth, Date d) {
  Ymd b = birth.ToYmd(), t = d.ToYmd();
  int age = t.year - b.year;
  if (t.month < b.month || (t.month == b.month && t.day < b.day)) --age;
  return age;
}

std::string ComputeTotals(const World& w, const std::vector<Year>& years) {
  const Calibration& c = *w.cal;
  const int from = w.opt.from, to = w.opt.to;
  auto in = [&](Date d) { return d != kNever && d.year() >= from && d.year() <= to; };
  Totals t;
  static const char* kDisp[] = {"OM", "HALT", "PSB", "GEEN"};
  static const char* kSanctie[] = {"GEV", "JD", "TAAK", "BOETE", "TBS", "ISD", "PIJ", "OZR"};
  static const char* kCjibSoort[] = {"SBS", "PSB", "BOETE", "TRNS"};
  static const char* kCjibStatus[] = {"BETAALD", "DEELS", "OPEN", "VERVANGENDE_HECHTENIS", "ONINBAAR"};
  static const char* kTitel[] = {"VH", "GS", "VVH", "ISD", "TBS", "JJI"};
  static const char* kAanbrenger[] = {"POL", "KMAR", "BOD"};
  std::map<int, std::set<std::uint32_t>> persons_by_year;
  // New OM cases per person, for re-offending.
  std::vector<std::pair<std::uint32_t, std::int32_t>> events;
  for (const Year& y : years) {
    for (const Crime& cr : y.crimes) {
      if (!in(cr.reg)) continue;
      t.Add(cr.reg.year(), "politie", "misdrijven_geregistreerd", 1);
      t.Add(cr.reg.year(), "politie", "misdrijven_geregistreerd_" + c.klassen[cr.klasse].soort, 1);
      if (cr.cleared != kNever) t.Add(cr.reg.year(), "politie", "misdrijven_opgehelderd", 1);
    }
    for (const Suspect& s : y.suspects) {
      if (!in(s.reg)) continue;
      const int yr = s.reg.year();
      t.Add(yr, "politie", "verdachtregistraties", 1);
      if (s.kind == 'R') t.Add(yr, "politie", "verdachtregistraties_rechtspersoon", 1);
      if (s.minor) t.Add(yr, "politie", "verdachtregistraties_minderjarig", 1);
      t.Add(yr, "politie", std::string("afdoening_") + kDisp[static_cast<int>(s.disposal)], 1);
      if (s.kind == 'N') persons_by_year[yr].insert(s.person);
    }
    for (const OmCase& o : y.om) {
      events.emplace_back(o.person, o.inflow.days());
      if (in(o.inflow)) {
        const int yr = o.inflow.year();
        t.Add(yr, "om", "instroom", 1);
        t.Add(yr, "om", std::string("instroom_") + kAanbrenger[o.aanbrenger], 1);
        if (o.zsm) t.Add(yr, "om", "instroom_zsm", 1);
        if (o.minor) t.Add(yr, "om", "instroom_minderjarig", 1);
        if (w.persons[o.person].sex == 'R') t.Add(yr, "om", "instroom_rechtspersoon", 1);
      }
      if (in(o.decision)) {
        t.Add(o.decision.year(), "om", "beslissingen", 1);
        t.Add(o.decision.year(), "om", "beslissing_" + c.beslissing.codes[o.decision_code], 1);
      }
    }
    for (const CourtCase& cc : y.courts) {
      if (in(cc.inschrijving)) t.Add(cc.inschrijving.year(), "rechtspraak", "zaken_ingeschreven", 1);
      if (!in(cc.uitspraak)) continue;
      const int yr = cc.uitspraak.year();
      t.Add(yr, "rechtspraak", "uitspraken", 1);
      t.Add(yr, "rechtspraak", "rechter_" + c.rechter.codes[cc.rechter], 1);
      t.Add(yr, "rechtspraak", "uitspraak_" + c.uitspraak.codes[cc.uitspraak_code], 1);
      if (cc.verstek) t.Add(yr, "rechtspraak", "verstek", 1);
      if (cc.appeal != kNever) t.Add(yr, "rechtspraak", "hoger_beroep", 1);
      const Person& p = w.persons[y.om[cc.om].person];
      if (p.sex == 'M') t.Add(yr, "rechtspraak", "mannen", 1);
      if (p.sex != 'R') t.Add(yr, "rechtspraak", "natuurlijke_personen", 1);
      bool v = false, ts = false, b = false;
      for (std::uint32_t k = 0; k < cc.n_sanctions; ++k) {
        const Sanction& s = y.sanctions[cc.first_sanction + k];
        t.Add(yr, "rechtspraak", std::string("sanctie_") + kSanctie[static_cast<int>(s.type)], 1);
        v |= s.type == SanctionType::kGev || s.type == SanctionType::kJd;
        ts |= s.type == SanctionType::kTaak;
        b |= s.type == SanctionType::kBoete;
      }
      if (c.uitspraak.codes[cc.uitspraak_code] == "SCHLD") {
        t.Add(yr, "rechtspraak", "veroordeeld_met_straf", 1);
        if (v) t.Add(yr, "rechtspraak", "met_vrijheidsstraf", 1);
        if (ts) t.Add(yr, "rechtspraak", "met_taakstraf", 1);
        if (b) t.Add(yr, "rechtspraak", "met_boete", 1);
      }
    }
    for (const Cjib& cj : y.cjib) {
      if (!in(cj.reg)) continue;
      t.Add(cj.reg.year(), "cjib", std::string("registraties_") + kCjibSoort[static_cast<int>(cj.soort)], 1);
      t.Add(cj.reg.year(), "cjib", std::string("eindstatus_") + kCjibStatus[static_cast<int>(cj.status)], 1);
    }
    for (const Detention& d : y.dji) {
      if (in(d.in)) t.Add(d.in.year(), "dji", std::string("instroom_") + kTitel[static_cast<int>(d.titel)], 1);
      for (int yr = from; yr <= to; ++yr) {
        const Date sep30 = Date::FromYmdUnchecked(yr, 9, 30);
        if (d.in <= sep30 && sep30 < d.out) {
          t.Add(yr, "dji", std::string("bezetting_30sep_") + kTitel[static_cast<int>(d.titel)], 1);
          t.Add(yr, "dji", "bezetting_30sep_totaal", 1);
        }
      }
    }
    for (const Probation& p : y.rn) {
      if (!in(p.start)) continue;
      t.Add(p.start.year(), "reclassering", p.werkstraf ? "werkstraffen_gestart" : "toezichten_gestart", 1);
      if (p.werkstraf && p.completed) t.Add(p.start.year(), "reclassering", "werkstraffen_voltooid", 1);
    }
    for (const HaltCase& h : y.halt) {
      if (!in(h.date)) continue;
      t.Add(h.date.year(), "halt", "verwijzingen", 1);
      if (w.persons[h.person].sex == 'M') t.Add(h.date.year(), "halt", "jongens", 1);
      if (h.suspect != kNone) t.Add(h.date.year(), "halt", "via_politie", 1);
    }
    for (const RvdkCase& r : y.rvdk) {
      if (in(r.start)) t.Add(r.start.year(), "rvdk", "onderzoeken", 1);
    }
  }
  for (const auto& [yr, set] : persons_by_year) t.Set(yr, "politie", "verdachten_personen", static_cast<double>(set.size()));
  for (int yr = from; yr <= to; ++yr) {
    auto it = persons_by_year.find(yr);
    if (it == persons_by_year.end()) continue;
    std::size_t minors = 0;
    for (auto p : it->second) {
      if (AgeAt(w.persons[p].birth, Date::FromYmdUnchecked(yr, 7, 1)) < 18) ++minors;
    }
    t.Set(yr, "politie", "verdachten_personen_minderjarig", static_cast<double>(minors));
  }
  // Re-offending (after WODC's 2-year prevalence): persons convicted in Y (court SCHLD/SCHZS, or an OM
  // strafbeschikking/transactie), share with a new OM case within 2 years after their first conviction in Y;
  // ex-prisoners: released from a prison sentence in Y, share with a new OM case within 2 years of release.
  std::sort(events.begin(), events.end());
  auto next_after = [&](std::uint32_t person, std::int32_t day) -> std::int32_t {
    auto it = std::upper_bound(events.begin(), events.end(), std::make_pair(person, day));
    return it != events.end() && it->first == person ? it->second : -1;
  };
  std::vector<std::pair<std::uint32_t, std::int32_t>> convictions;
  const int i_sbs = IndexOf(c.beslissing, "SBS");
  const int i_trns = IndexOf(c.beslissing, "TRNS");
  for (const Year& y : years) {
    for (const OmCase& o : y.om) {
      if (o.decision != kNever && (o.decision_code == i_sbs || o.decision_code == i_trns)) {
        convictions.emplace_back(o.person, o.decision.days());
      }
    }
    for (const CourtCase& cc : y.courts) {
      const std::string& u = c.uitspraak.codes[cc.uitspraak_code];
      if (u == "SCHLD" || u == "SCHZS") convictions.emplace_back(y.om[cc.om].person, cc.uitspraak.days());
    }
  }
  std::sort(convictions.begin(), convictions.end());
  for (int yr = from; yr <= to - 2; ++yr) {
    double n[2] = {0, 0}, re[2] = {0, 0};
    std::uint32_t last = kNone;
    for (const auto& [p, d] : convictions) {
      if (Date(d).year() != yr || p >= w.n_natural || p == last) continue;
      last = p;  // first conviction of the person in the year
      const int juvenile = AgeAt(w.persons[p].birth, Date(d)) < 18 ? 1 : 0;
      n[juvenile] += 1;
      const std::int32_t nx = next_after(p, d);
      if (nx >= 0 && nx - d <= 730) re[juvenile] += 1;
    }
    if (n[0] > 0) t.Set(yr, "recidive", "twee_jaar_volwassenen_pct", 100 * re[0] / n[0]);
    if (n[1] > 0) t.Set(yr, "recidive", "twee_jaar_jeugdigen_pct", 100 * re[1] / n[1]);
    double ex = 0, ex_re = 0;
    for (const Year& y : years) {
      for (const Detention& d : y.dji) {
        if (d.titel != Titel::kGs || d.out == kNever || d.out.year() != yr) continue;
        ex += 1;
        const std::int32_t nx = next_after(d.person, d.out.days());
        if (nx >= 0 && nx - d.out.days() <= 730) ex_re += 1;
      }
    }
    if (ex > 0) t.Set(yr, "recidive", "twee_jaar_ex_gedetineerden_pct", 100 * ex_re / ex);
  }
  return t.Csv();
}

Status WriteTruth(const World& w, const std::vector<Year>& years, FileSystem* fs, const std::string& records,
                  const std::string& defects, const std::function<std::string()>& totals_rows,
                  std::int64_t* bytes) {
  const std::string dir = w.opt.out_dir + "/_truth";
  DAS_RETURN_IF_ERROR(fs->CreateDirs(dir));
  Keys keys(w, years);
  const int from = w.opt.from, to = w.opt.to;
  auto in = [&](Date d) { return d != kNever && d.year() >= from && d.year() <= to; };
  // Cases: the key of each stage's record, '|' between several.
  std::vector<std::uint8_t> used(w.persons.size(), 0);
  std::string cases = "chain_case_id,person_id,registratienummer,pv_nummer,parketnummer,halt_id,cjib_nummers,"
                      "detentienummers,rn_ids,raad_ids\n";
  for (std::uint32_t yi = 0; yi < years.size(); ++yi) {
    const Year& y = years[yi];
    struct C {
      std::uint32_t person = kNone;
      bool relevant = false;
      std::string crime, pv, parket, halt, cjib, dji, rn, rvdk;
    };
    std::vector<C> cs(y.n_chains);
    auto add = [](std::string& s, const std::string& k) {
      if (!s.empty()) s += '|';
      s += k;
    };
    auto mark = [&](C& c, std::uint32_t person, Date ref) {
      c.person = person;
      if (in(ref)) c.relevant = true;
    };
    for (std::uint32_t i = 0; i < y.suspects.size(); ++i) {
      const Suspect& s = y.suspects[i];
      mark(cs[i], s.person, s.reg);
      cs[i].crime = keys.CrimeKey(yi, s.crime);
      cs[i].pv = keys.PvKey(yi, i);
    }
    for (std::uint32_t i = 0; i < y.om.size(); ++i) {
      mark(cs[y.om[i].chain], y.om[i].person, y.om[i].inflow);
      cs[y.om[i].chain].parket = keys.ParketKey(yi, i);
      if (y.om[i].court != kNone && in(y.courts[y.om[i].court].inschrijving)) cs[y.om[i].chain].relevant = true;
    }
    for (std::uint32_t i = 0; i < y.halt.size(); ++i) {
      mark(cs[y.halt[i].chain], y.halt[i].person, y.halt[i].date);
      cs[y.halt[i].chain].halt = keys.HaltKey(yi, i);
    }
    for (std::uint32_t i = 0; i < y.cjib.size(); ++i) {
      mark(cs[y.cjib[i].chain], y.cjib[i].person, y.cjib[i].reg);
      add(cs[y.cjib[i].chain].cjib, keys.CjibKey(yi, i));
    }
    for (std::uint32_t i = 0; i < y.dji.size(); ++i) {
      mark(cs[y.dji[i].chain], y.dji[i].person, y.dji[i].in);
      add(cs[y.dji[i].chain].dji, keys.DjiKey(yi, i));
    }
    for (std::uint32_t i = 0; i < y.rn.size(); ++i) {
      mark(cs[y.rn[i].chain], y.rn[i].person, y.rn[i].start);
      add(cs[y.rn[i].chain].rn, keys.RnKey(yi, i));
    }
    for (std::uint32_t i = 0; i < y.rvdk.size(); ++i) {
      mark(cs[y.rvdk[i].chain], y.rvdk[i].person, y.rvdk[i].start);
      add(cs[y.rvdk[i].chain].rvdk, keys.RvdkKey(yi, i));
    }
    for (std::uint32_t k = 0; k < cs.size(); ++k) {
      const C& c = cs[k];
      if (!c.relevant || c.person == kNone) continue;
      used[c.person] = 1;
      cases += keys.ChainKey(yi, k) + "," + keys.PersonId(c.person) + "," + c.crime + "," + c.pv + "," + c.parket +
               "," + c.halt + "," + c.cjib + "," + c.dji + "," + c.rn + "," + c.rvdk + "\n";
    }
  }
  std::string persons = "person_id,soort,geslacht,geboortedatum,bsn,kvk_nummer\n";
  for (std::uint32_t i = 0; i < w.persons.size(); ++i) {
    if (!used[i]) continue;
    const Person& p = w.persons[i];
    char buf[128];
    if (p.sex == 'R') {
      std::snprintf(buf, sizeof buf, "%s,R,,,,%08u\n", keys.PersonId(i).c_str(), p.kvk);
    } else if (p.bsn != 0) {
      std::snprintf(buf, sizeof buf, "%s,N,%c,%s,%09u,\n", keys.PersonId(i).c_str(), p.sex, p.birth.ToIso().c_str(), p.bsn);
    } else {
      std::snprintf(buf, sizeof buf, "%s,N,%c,%s,,\n", keys.PersonId(i).c_str(), p.sex, p.birth.ToIso().c_str());
    }
    persons += buf;
  }
  const std::string totals = "year,stage,measure,value\n" + totals_rows();
  const std::pair<const char*, const std::string*> files[] = {{"persons.csv", &persons}, {"cases.csv", &cases},
                                                              {"totals.csv", &totals}};
  for (const auto& [name, text] : files) {
    DAS_RETURN_IF_ERROR(fs->WriteFile(dir + "/" + name, *text));
    *bytes += static_cast<std::int64_t>(text->size());
  }
  // records.csv and defects.csv can be large: stream them.
  const std::pair<const char*, const std::string*> streamed[] = {{"records.csv", &records}, {"defects.csv", &defects}};
  const char* headers[] = {"dataset,key,person_id,chain_case_id\n", "file,line,key,defect\n"};
  for (int k = 0; k < 2; ++k) {
    DAS_ASSIGN_OR_RETURN(auto file, fs->NewWritableFile(dir + "/" + streamed[k].first));
    DAS_RETURN_IF_ERROR(file->Append(headers[k]));
    DAS_RETURN_IF_ERROR(file->Append(*streamed[k].second));
    DAS_RETURN_IF_ERROR(file->Close());
    *bytes += static_cast<std::int64_t>(streamed[k].second->size());
  }
  return Status::Ok();
}

}  // namespace

Result<GenerateSummary> Generate(const GenerateOptions& options, FileSystem* fs) {
  if (fs == nullptr) fs = PosixFileSystem();
  if (options.out_dir.empty()) return Status::InvalidArgument("--out: an output directory is required");
  if (options.from < 2000 || options.to > 2100 || options.from > options.to) {
    return Status::InvalidArgument("--from/--to: need 2000 <= from <= to <= 2100, got " +
                                   std::to_string(options.from) + ".." + std::to_string(options.to));
  }
  if (!(options.scale > 0 && options.scale <= 10)) {
    return Status::InvalidArgument("--scale: must be in (0, 10], got " + std::to_string(options.scale));
  }
  if (!(options.defect_multiplier >= 0 && options.defect_multiplier <= 50)) {
    return Status::InvalidArgument("--defects: multiplier must be in [0, 50]");
  }
  DAS_ASSIGN_OR_RETURN(Calibration cal, LoadCalibration(options.config_dir + "/synth", fs));
  DAS_ASSIGN_OR_RETURN(geo::Geography geo, geo::Geography::Load(options.config_dir + "/geo", fs));
  DAS_ASSIGN_OR_RETURN(World world, BuildWorld(cal, geo, options));
  std::unique_ptr<SealContext> sealing;
  if (options.seal) {
    sealing = std::make_unique<SealContext>();
    DAS_ASSIGN_OR_RETURN(sealing->contracts, contract::ContractSet::LoadDir(options.config_dir + "/sources", *fs));
    DAS_ASSIGN_OR_RETURN(sealing->tussenvoegsels,
                         seal::Tussenvoegsels::Load(*fs, options.config_dir + "/seal/tussenvoegsels.txt"));
    for (const char* org : {"politie", "om", "rechtspraak", "cjib", "dji", "reclassering", "halt", "rvdk", "cbs",
                            "context"}) {
      DAS_ASSIGN_OR_RETURN(seal::KeyFile keys, seal::DemoKeyFile(org, options.seed));
      sealing->keys.emplace(org, std::move(keys));
    }
    world.sealing = sealing.get();
  }

  std::vector<Year> years(static_cast<std::size_t>(options.to - world.sim_from + 1));
  ParallelFor(options.threads, years.size(),
              [&](std::size_t i) { years[i] = SimulateYear(world, world.sim_from + static_cast<int>(i)); });
  NumberKeys(years);

  DAS_RETURN_IF_ERROR(fs->CreateDirs(options.out_dir));
  if (sealing && fs == PosixFileSystem()) {
    // The suppliers' side: each organisation's key file (mode 0600). Never read by the pipeline.
    const std::string keys_dir = options.out_dir + "/_keys";
    DAS_RETURN_IF_ERROR(fs->CreateDirs(keys_dir));
    for (const auto& [org, keys] : sealing->keys) {
      const std::string key_path = keys_dir + "/" + org + ".keys";
      if (fs->Exists(key_path)) DAS_RETURN_IF_ERROR(fs->Remove(key_path));
      DAS_RETURN_IF_ERROR(seal::WriteKeyFile(key_path, keys));
    }
  }
  auto datasets = MakeDatasets(world, years);
  struct Task {
    int year;
    const Dataset* ds;  // null: survey and context
  };
  std::vector<Task> tasks;
  for (int y = options.from; y <= options.to; ++y) {
    for (const auto& ds : datasets) tasks.push_back({y, ds.get()});
    tasks.push_back({y, nullptr});
  }
  std::vector<TaskOutput> outputs(tasks.size());
  ParallelFor(options.threads, tasks.size(), [&](std::size_t i) {
    outputs[i] = tasks[i].ds ? WriteDelivery(world, *tasks[i].ds, tasks[i].year, fs)
                             : WriteSurveyAndContext(world, years, tasks[i].year, fs);
  });

  GenerateSummary summary;
  std::string manifest = "file,organisation,dataset,contract,period,delivered_on,kind,rows,sha256\n";
  std::string records, defects, survey_totals;
  for (const auto& o : outputs) {
    DAS_RETURN_IF_ERROR(o.status);
    for (const auto& m : o.manifest) {
      manifest += m.file + "," + m.organisation + "," + m.dataset + "," + m.contract + "," + m.period + "," +
                  m.delivered_on + "," + m.kind + "," + std::to_string(m.rows) + "," + m.sha256 + "\n";
      ++summary.files;
    }
    summary.rows += o.rows;
    summary.bytes += o.bytes;
  }
  DAS_RETURN_IF_ERROR(fs->WriteFile(options.out_dir + "/manifest.csv", manifest));
  if (options.write_truth) {
    for (auto& o : outputs) {
      records += o.records;
      defects += o.defects;
      survey_totals += o.totals;
      o.records.clear();
      o.records.shrink_to_fit();
    }
    // Totals are computed on a second thread while cases and persons are assembled.
    std::string totals;
    std::thread totals_thread([&] { totals = ComputeTotals(world, years) + survey_totals; });
    auto join_totals = [&] {
      totals_thread.join();
      return totals;
    };
    Status st = WriteTruth(world, years, fs, records, defects, join_totals, &summary.truth_bytes);
    if (totals_thread.joinable()) totals_thread.join();
    DAS_RETURN_IF_ERROR(st);
  }
  return summary;
}

}  // namespace das::synth
