// Writing deliveries: regular, late and correction files with state "as known on" the delivery date, and
// the defects of config/synth/kalibratie.toml [defecten], each listed in _truth/defects.csv.
#include "deliver.h"

#include "das/seal/digest.h"


#include <algorithm>
#include <cctype>
#include <cstdio>

namespace das::synth {
namespace {

std::uint64_t Fnv(std::string_view s, std::uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::uint64_t RowHash(const Row& row) {
  std::uint64_t h = 1469598103934665603ULL;
  for (int i = 0; i < row.n; ++i) {
    h = Fnv(row[i], h);
    h = Fnv("\x1f", h);
  }
  return h | 1;  // never 0 (0 = not delivered)
}

// Appends a CSV field of _truth files (values never hold ',' or quotes except names, which are quoted).
void TruthField(std::string& out, std::string_view v, bool last = false) {
  if (v.find_first_of(",\"\n") != std::string_view::npos) {
    out += '"';
    for (char c : v) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  } else {
    out += v;
  }
  out += last ? '\n' : ',';
}

// A typo or spelling variant of a name (UTF-8 aware enough: only ASCII letters are swapped or dropped).
bool Typo(std::string& s, Random& rng) {
  if (s.size() < 3) return false;
  // Spelling variants first.
  static const std::pair<const char*, const char*> kVariants[] = {
      {"ij", "y"}, {"ei", "ij"}, {"ou", "au"}, {"ck", "k"}, {"dt", "d"}, {"ph", "f"}, {"ş", "s"}, {"ç", "c"},
      {"ö", "o"}, {"ü", "u"}, {"ı", "i"}, {"ğ", "g"}, {"é", "e"}, {"ë", "e"}, {"ï", "i"}, {"ń", "n"}, {"ś", "s"}};
  if (rng.Bernoulli(0.4)) {
    for (const auto& [from, to] : kVariants) {
      auto pos = s.find(from);
      if (pos != std::string::npos) {
        s.replace(pos, std::string_view(from).size(), to);
        return true;
      }
    }
  }
  std::vector<std::size_t> ascii;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    auto d = static_cast<unsigned char>(s[i + 1]);
    if (c < 0x80 && d < 0x80 && std::isalpha(c) && std::isalpha(d)) ascii.push_back(i);
  }
  if (ascii.empty()) return false;
  std::size_t i = ascii[rng.Below(ascii.size())];
  switch (rng.Below(3)) {
    case 0:
      std::swap(s[i], s[i + 1]);
      if (s[i] == s[i + 1]) s.erase(i, 1);
      break;
    case 1:
      s.erase(i, 1);
      break;
    default:
      s.insert(i, 1, s[i]);
  }
  return true;
}

struct DefectRates {
  double typo, bsn_omit, bsn_invalid, duplicate, late, impossible, unknown, wrong;
};

DefectRates Rates(const World& w) {
  const double m = w.opt.defect_multiplier;
  const Calibration& c = *w.cal;
  return {c.typo_naam * m,  c.bsn_weggelaten * m,   c.bsn_ongeldig * m,   c.duplicaat * m,
          c.laat * m,       c.onmogelijke_datum * m, c.onbekende_code * m, c.onbekende_code * 2 * m};
}

class FileWriter {
 public:
  FileWriter(const Dataset& ds, std::string relative)
      : ds_(ds), relative_(std::move(relative)), writer_(ds.options()) {
    auto cols = ds.columns();
    for (const char* c : cols) writer_.Text(c);
    writer_.EndRecord();
    line_ = 1;
  }

  void Emit(const Row& row) {
    for (int i = 0; i < row.n; ++i) {
      const std::string& v = row[i];
      if (v.empty()) writer_.Missing();
      else if (ds_.quoted(i)) writer_.Quoted(v);
      else writer_.Text(v);
    }
    writer_.EndRecord();
    ++line_;
    ++rows_;
  }
  void Defect(std::string& out, const std::string& key, const char* defect) const {
    TruthField(out, relative_);
    TruthField(out, std::to_string(line_ + 1));
    TruthField(out, key);
    TruthField(out, defect, true);
  }
  std::int64_t rows() const { return rows_; }
  const std::string& relative() const { return relative_; }
  io::CsvWriter& writer() { return writer_; }

 private:
  const Dataset& ds_;
  std::string relative_;
  io::CsvWriter writer_;
  std::int64_t line_ = 0;  // physical lines written so far
  std::int64_t rows_ = 0;
};

}  // namespace

Status WriteFileWithManifest(const World& w, FileSystem* fs, const std::string& relative, const std::string& content,
                             const char* org, const char* dataset, const std::string& contract, int year,
                             const char* kind, std::int64_t rows, TaskOutput* out) {
  const std::string path = w.opt.out_dir + "/" + relative;
  DAS_RETURN_IF_ERROR(fs->CreateDirs(path.substr(0, path.rfind('/'))));
  const std::string* written = &content;
  std::string sealed;
  if (w.sealing != nullptr) {
    DAS_ASSIGN_OR_RETURN(const contract::Contract* c, w.sealing->contracts.Find(contract));
    if (c->seal.present) {
      auto keys = w.sealing->keys.find(org);
      if (keys == w.sealing->keys.end()) return Status::Internal(std::string("no demo keys for ") + org);
      seal::SealFileOptions so;
      so.file_name = relative;
      so.threads = 1;  // files are already written in parallel
      DAS_ASSIGN_OR_RETURN(seal::SealReport report,
                           seal::SealFile(*c, keys->second, w.sealing->tussenvoegsels, content, &sealed, so));
      if (report.rows_dropped > 0) {
        return Status::Internal(relative + ": sealing dropped " + std::to_string(report.rows_dropped) +
                                " rows the generator wrote (first at line " +
                                std::to_string(report.dropped.empty() ? 0 : report.dropped[0].line) + ")");
      }
      rows = report.rows_written;
      written = &sealed;
      if (w.opt.write_raw) {
        const std::string raw_path = w.opt.out_dir + "/_raw/" + relative;
        DAS_RETURN_IF_ERROR(fs->CreateDirs(raw_path.substr(0, raw_path.rfind('/'))));
        DAS_RETURN_IF_ERROR(fs->WriteFile(raw_path, content));
      }
    }
  }
  DAS_RETURN_IF_ERROR(fs->WriteFile(path, *written));
  ManifestRow m;
  m.file = relative;
  m.organisation = org;
  m.dataset = dataset;
  m.contract = contract;
  m.period = Period::Year(year).Code();
  m.kind = kind;
  m.rows = rows;
  m.sha256 = seal::Sha256Hex(*written);
  out->manifest.push_back(std::move(m));
  out->rows += rows;
  out->bytes += static_cast<std::int64_t>(written->size());
  return Status::Ok();
}

TaskOutput WriteDelivery(const World& w, const Dataset& ds, int year, FileSystem* fs) {
  TaskOutput out;
  const DefectRates rates = Rates(w);
  const std::vector<Ref> refs = ds.Collect(year);
  std::vector<std::uint64_t> state(refs.size(), 0);  // hash of the last delivered clean row; 0 = none
  std::vector<bool> late(refs.size(), false), truth_done(refs.size(), false);
  const std::uint64_t stream = Fnv(ds.stem()) ^ (static_cast<std::uint64_t>(year) << 40);
  Random rng = Random(w.opt.seed).Derive(stream);
  const std::string dir = std::string(ds.organisation()) + "/" + std::to_string(year) + "/";
  const std::string base = dir + ds.stem() + "_" + std::to_string(year);
  const bool has_names = ds.surname_col() >= 0;
  Row row;

  auto truth_record = [&](std::size_t k, const std::string& key) {
    if (truth_done[k]) return;
    truth_done[k] = true;
    std::uint32_t person = ds.PersonOf(refs[k]);
    std::uint32_t chain = ds.ChainOf(refs[k]);
    if (person == kNone && chain == kNone) return;
    TruthField(out.records, ds.name());
    TruthField(out.records, key);
    TruthField(out.records, person == kNone ? std::string() : ds.keys().PersonId(person));
    TruthField(out.records, chain == kNone ? std::string() : ds.keys().ChainKey(refs[k].yi, chain), true);
  };

  // Applies per-row defects (not duplicates) to a clean row and lists them for the line about to be written
  // (and again for a duplicate of it); returns true if a wrong value was put in.
  std::vector<const char*> applied;
  auto defects = [&](FileWriter& f, Row& r, const std::string& key, bool regular) {
    applied.clear();
    if (has_names && rng.Bernoulli(rates.typo)) {
      int col = rng.Bernoulli(0.6) ? ds.surname_col() : ds.given_col();
      if (!r[col].empty()) {
        if (col == ds.surname_col() && !r[ds.tussenvoegsel_col()].empty() && rng.Bernoulli(0.3)) {
          // Tussenvoegsel glued to or capitalised in the surname: "Van der Berg", "vanderBerg".
          std::string tv = r[ds.tussenvoegsel_col()];
          tv[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(tv[0])));
          r[col] = tv + " " + r[col];
          r[ds.tussenvoegsel_col()].clear();
          applied.push_back("tussenvoegsel_in_achternaam");
        } else if (Typo(r[col], rng)) {
          applied.push_back(col == ds.surname_col() ? "typo_achternaam" : "typo_voornaam");
        }
      }
    }
    const int bsn = ds.bsn_col();
    if (bsn >= 0 && !r[bsn].empty()) {
      if (rng.Bernoulli(rates.bsn_omit)) {
        r[bsn].clear();
        applied.push_back("bsn_weggelaten");
      } else if (rng.Bernoulli(rates.bsn_invalid)) {
        char& last = r[bsn][8];
        last = static_cast<char>('0' + (last - '0' + 1 + static_cast<int>(rng.Below(8))) % 10);
        if (!PassesElevenCheck(r[bsn])) applied.push_back("bsn_ongeldig");
      }
    }
    if (rng.Bernoulli(rates.impossible)) {
      if (const char* d = ds.ImpossibleDate(r, rng)) applied.push_back(d);
    }
    if (rng.Bernoulli(rates.unknown)) {
      if (const char* d = ds.UnknownCode(r, rng)) applied.push_back(d);
    }
    bool wrong = false;
    if (regular && rng.Bernoulli(rates.wrong)) {
      if (const char* d = ds.WrongValue(r, rng)) {
        applied.push_back(d);
        wrong = true;
      }
    }
    for (const char* d : applied) f.Defect(out.defects, key, d);
    return wrong;
  };

  auto finish = [&](FileWriter& f, const char* kind, bool always) -> Status {
    if (!always && f.rows() == 0) return Status::Ok();
    DAS_RETURN_IF_ERROR(f.writer().status());
    return WriteFileWithManifest(w, fs, f.relative(), f.writer().buffer(), ds.organisation(), ds.name(),
                                 ds.contract(), year, kind, f.rows(), &out);
  };

  // Regular delivery, 1 February of year+1.
  const Date d0 = Date::FromYmdUnchecked(year + 1, 2, 1);
  {
    FileWriter f(ds, base + ".csv");
    for (std::size_t k = 0; k < refs.size(); ++k) {
      if (!ds.Render(refs[k], d0, row)) continue;
      if (rng.Bernoulli(rates.late)) {
        late[k] = true;
        continue;
      }
      const std::uint64_t h = RowHash(row);
      const std::string key = ds.KeyOf(row);
      truth_record(k, key);
      const bool wrong = defects(f, row, key, true);
      state[k] = wrong ? 1 : h;  // a wrong value is corrected in the next correction delivery
      f.Emit(row);
      if (rng.Bernoulli(rates.duplicate)) {
        f.Defect(out.defects, key, "duplicaat");
        for (const char* d : applied) f.Defect(out.defects, key, d);
        f.Emit(row);
      }
    }
    out.status = finish(f, "regulier", true);
    if (!out.status.ok()) return out;
    out.manifest.back().delivered_on = d0.ToIso();
  }
  // Late rows, 1 June of year+1.
  const Date dl = Date::FromYmdUnchecked(year + 1, 6, 1);
  if (dl <= w.horizon) {
    FileWriter f(ds, base + "_laat_01.csv");
    for (std::size_t k = 0; k < refs.size(); ++k) {
      if (!late[k] || !ds.Render(refs[k], dl, row)) continue;
      const std::string key = ds.KeyOf(row);
      state[k] = RowHash(row);
      truth_record(k, key);
      f.Defect(out.defects, key, "laat");
      defects(f, row, key, false);
      f.Emit(row);
    }
    std::size_t before = out.manifest.size();
    out.status = finish(f, "laat", false);
    if (!out.status.ok()) return out;
    if (out.manifest.size() > before) out.manifest.back().delivered_on = dl.ToIso();
  }
  // Corrections, 1 February of year+2 and year+3: rows whose state changed since their last delivery.
  for (int nn = 1; nn <= 2; ++nn) {
    const Date dc = Date::FromYmdUnchecked(year + 1 + nn, 2, 1);
    if (dc > w.horizon) break;
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "_correctie_%02d.csv", nn);
    FileWriter f(ds, base + suffix);
    for (std::size_t k = 0; k < refs.size(); ++k) {
      if (!ds.Render(refs[k], dc, row)) continue;
      const std::uint64_t h = RowHash(row);
      if (h == state[k]) continue;
      state[k] = h;
      const std::string key = ds.KeyOf(row);
      truth_record(k, key);
      defects(f, row, key, false);
      f.Emit(row);
    }
    std::size_t before = out.manifest.size();
    out.status = finish(f, "correctie", false);
    if (!out.status.ok()) return out;
    if (out.manifest.size() > before) out.manifest.back().delivered_on = dc.ToIso();
  }
  return out;
}

}  // namespace das::synth
