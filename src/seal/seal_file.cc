#include "das/seal/seal_file.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "das/io/csv_reader.h"
#include "das/io/csv_writer.h"

namespace das::seal {
namespace {

using contract::Column;
using contract::Contract;
using contract::FieldType;
using contract::Form;

constexpr std::string_view kPersonKindCodeList = "soort_verdachte";
constexpr std::string_view kNaturalPerson = "N";
constexpr std::size_t kBlockTextBytes = 8 << 20;  // a block is also cut when its field text reaches this

// A header name that is safe to quote in a message: looks like a column name, not like data.
bool LooksLikeColumnName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  bool letter = false;
  for (char c : name) {
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    const bool other = (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '.';
    if (!alpha && !other) return false;
    letter = letter || alpha;
  }
  return letter;
}

std::string QuoteList(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

std::string Plural(std::size_t n, std::string_view word) {
  return std::string(word) + (n == 1 ? "" : "s");
}

// The raw input's first line end: "\r\n" -> crlf; "\n" -> lf; lone "\r" -> crlf (the writer has no CR-only
// mode); none -> nullopt.
std::optional<bool> DetectCrlf(std::string_view raw, bool* cr_only) {
  *cr_only = false;
  const std::size_t i = raw.find_first_of("\r\n");
  if (i == std::string_view::npos) return std::nullopt;
  if (raw[i] == '\n') return false;
  if (i + 1 < raw.size() && raw[i + 1] == '\n') return true;
  *cr_only = true;
  return true;
}

// One block of rows copied out of the reader, sealed by any thread.
struct Block {
  struct Row {
    std::int64_t line = 0;
    std::size_t first = 0;  // index of the first field in `ends`/`quoted`
    std::size_t count = 0;
    std::int32_t bad = -1;  // index into bad_reasons, or -1
  };
  // Input.
  std::string text;
  std::vector<std::size_t> ends;  // end offset in `text` of each field
  std::vector<std::uint8_t> quoted;
  std::vector<Row> rows;
  std::vector<std::string> bad_reasons;
  // Output.
  std::unique_ptr<io::CsvWriter> writer;  // created once per Block; its buffer is reused (Flush clears it)
  SealReport stats;  // counts and dropped rows of this block
  Status status;
  bool done = false;

  // Ready for the next rows; keeps the capacity of every buffer (blocks are recycled, so the steady state
  // allocates nothing and touches no fresh pages).
  void Reset() {
    text.clear();
    ends.clear();
    quoted.clear();
    rows.clear();
    bad_reasons.clear();
    stats = SealReport();
    status = Status::Ok();
    done = false;
  }
};

// Appends what a CsvWriter flushes to a string.
class StringSink final : public WritableFile {
 public:
  explicit StringSink(std::string* out) : out_(out) {}
  Status Append(std::string_view data) override {
    out_->append(data);
    return Status::Ok();
  }
  Status Close() override { return Status::Ok(); }

 private:
  std::string* out_;
};

// Everything a worker needs; immutable while sealing runs.
struct Job {
  const Sealer* sealer = nullptr;
  std::vector<std::size_t> out_index;  // sealed header column -> index in the sealer's output row
  std::vector<std::size_t> keep_input;  // sealed header column -> input column it keeps (or npos)
  io::CsvWriteOptions write_options;
  std::string file_name;
  std::size_t max_dropped = 0;
};

void Drop(const Job& job, Block& b, std::int64_t line, std::string reason) {
  ++b.stats.rows_dropped;
  if (b.stats.dropped.size() < job.max_dropped) b.stats.dropped.push_back({line, std::move(reason)});
}

void SealBlock(const Job& job, Block& b) {
  if (b.writer == nullptr) b.writer = std::make_unique<io::CsvWriter>(job.write_options);
  io::CsvWriter& w = *b.writer;
  SealedRow sealed;
  RowOutcome oc;
  std::vector<std::string_view> fields;
  for (const Block::Row& row : b.rows) {
    if (row.bad >= 0) {
      ++b.stats.rows_read;
      Drop(job, b, row.line, b.bad_reasons[static_cast<std::size_t>(row.bad)]);
      continue;
    }
    if (row.count == 0) {
      ++b.stats.blank_lines;
      continue;
    }
    ++b.stats.rows_read;
    fields.clear();
    for (std::size_t i = 0; i < row.count; ++i) {
      const std::size_t f = row.first + i;
      const std::size_t begin = f == 0 ? 0 : b.ends[f - 1];
      fields.emplace_back(b.text.data() + begin, b.ends[f] - begin);
    }
    if (Status s = job.sealer->SealRow(fields, sealed, &oc); !s.ok()) {
      Drop(job, b, row.line, s.message());
      continue;
    }
    for (std::size_t c = 0; c < job.out_index.size(); ++c) {
      const std::string_view v = sealed[job.out_index[c]];
      const std::size_t in = job.keep_input[c];
      if (in != std::string::npos && b.quoted[row.first + in] != 0) {
        w.Quoted(v);
      } else if (v.empty()) {
        w.Missing();
      } else {
        w.Text(v);
      }
    }
    w.EndRecord();
    if (!w.status().ok()) {
      b.status = Status::Internal(job.file_name + ": line " + std::to_string(row.line) +
                                  ": the sealed row cannot be encoded in " +
                                  std::string(io::EncodingName(job.write_options.encoding)));
      return;
    }
    ++b.stats.rows_written;
    switch (oc.bsn_status) {
      case BsnStatus::kOk: ++b.stats.bsn_ok; break;
      case BsnStatus::kMissing: ++b.stats.bsn_missing; break;
      case BsnStatus::kInvalid: ++b.stats.bsn_invalid; break;
    }
    ++b.stats.bsn_problems[static_cast<std::size_t>(oc.bsn_problem)];
    if (!oc.natural_person) ++b.stats.legal_persons;
    if (oc.birth_date_invalid) ++b.stats.birth_date_invalid;
    if (oc.reference_date_invalid) ++b.stats.reference_date_invalid;
    if (oc.age_negative) ++b.stats.age_negative;
  }
}

void Merge(const SealReport& from, std::size_t max_dropped, SealReport& to) {
  to.rows_read += from.rows_read;
  to.rows_written += from.rows_written;
  to.rows_dropped += from.rows_dropped;
  to.blank_lines += from.blank_lines;
  for (const DroppedRow& d : from.dropped) {
    if (to.dropped.size() < max_dropped) to.dropped.push_back(d);
  }
  to.bsn_ok += from.bsn_ok;
  to.bsn_missing += from.bsn_missing;
  to.bsn_invalid += from.bsn_invalid;
  for (std::size_t i = 0; i < to.bsn_problems.size(); ++i) to.bsn_problems[i] += from.bsn_problems[i];
  to.legal_persons += from.legal_persons;
  to.birth_date_invalid += from.birth_date_invalid;
  to.reference_date_invalid += from.reference_date_invalid;
  to.age_negative += from.age_negative;
}

// A value-free reason for a record the reader could not read cleanly.
std::string BadReason(const io::BadRow& bad, const std::vector<std::string>& header) {
  std::string out = bad.what + " (expected " + bad.expected + ")";
  if (bad.column > 0) {
    std::string col = "column " + std::to_string(bad.column);
    const auto idx = static_cast<std::size_t>(bad.column - 1);
    if (idx < header.size() && LooksLikeColumnName(header[idx])) col += " '" + header[idx] + "'";
    out = col + ": " + out;
  }
  if (bad.line > 0) out = "line " + std::to_string(bad.line) + ": " + out;
  return out;
}

// Runs the pipeline: the calling thread reads blocks; `threads` threads (helpers + caller) seal them; the
// caller appends finished blocks to the output in input order.
class Pipeline {
 public:
  Pipeline(const Job& job, int threads) : job_(job), threads_(std::max(1, threads)) {
    for (int i = 1; i < threads_; ++i) helpers_.emplace_back([this] { HelperLoop(); });
  }
  ~Pipeline() { Stop(); }

  // Queues a block (takes ownership); seals queued blocks on this thread while the queue is long.
  void Push(std::unique_ptr<Block> block) {
    Block* raw = block.get();
    {
      std::lock_guard<std::mutex> lock(mu_);
      order_.push_back(std::move(block));
      queue_.push_back(raw);
    }
    work_.notify_one();
    while (Block* b = PopIf(static_cast<std::size_t>(2 * threads_))) SealAndMark(b);
  }

  // An empty block: a recycled one if there is one.
  std::unique_ptr<Block> NewBlock() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) return std::make_unique<Block>();
    std::unique_ptr<Block> b = std::move(free_.back());
    free_.pop_back();
    return b;
  }

  // Appends finished blocks at the front of the order to `out`; the first error stops (and is kept).
  Status Emit(std::string* out, SealReport& report) {
    StringSink sink(out);
    for (;;) {
      std::unique_ptr<Block> front;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (order_.empty() || !order_.front()->done) return Status::Ok();
        front = std::move(order_.front());
        order_.pop_front();
      }
      DAS_RETURN_IF_ERROR(front->status);
      DAS_RETURN_IF_ERROR(front->writer->Flush(&sink));
      Merge(front->stats, job_.max_dropped, report);
      front->Reset();
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(std::move(front));
    }
  }

  // Seals what is left (helping the helpers), waits for everything and emits it.
  Status Finish(std::string* out, SealReport& report) {
    while (Block* b = PopIf(0)) SealAndMark(b);
    {
      std::unique_lock<std::mutex> lock(mu_);
      done_cv_.wait(lock, [this] {
        for (const auto& b : order_) {
          if (!b->done) return false;
        }
        return true;
      });
    }
    Stop();
    return Emit(out, report);
  }

 private:
  // Pops a queued block if more than `min_queued` are queued.
  Block* PopIf(std::size_t min_queued) {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() <= min_queued) return nullptr;
    Block* b = queue_.front();
    queue_.pop_front();
    return b;
  }
  void SealAndMark(Block* b) {
    SealBlock(job_, *b);
    {
      std::lock_guard<std::mutex> lock(mu_);
      b->done = true;
    }
    done_cv_.notify_all();
  }
  void HelperLoop() {
    for (;;) {
      Block* b = nullptr;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stop_ and nothing left
        b = queue_.front();
        queue_.pop_front();
      }
      SealAndMark(b);
    }
  }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    work_.notify_all();
    for (std::thread& t : helpers_) {
      if (t.joinable()) t.join();
    }
  }

  const Job& job_;
  const int threads_;
  std::mutex mu_;
  std::condition_variable work_;
  std::condition_variable done_cv_;
  std::deque<std::unique_ptr<Block>> order_;  // all blocks not yet emitted, in input order
  std::deque<Block*> queue_;                  // blocks waiting to be sealed
  std::vector<std::unique_ptr<Block>> free_;  // emitted blocks for reuse
  bool stop_ = false;
  std::vector<std::thread> helpers_;
};

// `raw_owned` is moved into the reader (no second copy of the input).
Result<SealReport> SealFileImpl(const Contract& contract, const KeyFile& keys, const Tussenvoegsels& tussenvoegsels,
                                std::string raw_owned, std::string* sealed_out, const SealFileOptions& options) {
  sealed_out->clear();
  const std::string_view raw = raw_owned;
  SealReport report;
  report.contract = contract.Id();
  const std::string& file = options.file_name;
  DAS_ASSIGN_OR_RETURN(SealSpec spec, SealSpecForContract(contract));
  if (!contract.format.header) {
    return Status::FailedPrecondition("contract " + contract.Id() + " declares files without a header; das seal "
                                      "needs the header to find the identifier columns");
  }
  if (options.block_rows == 0) return Status::InvalidArgument("seal: block_rows must be at least 1");

  // Dialect of the output, mirrored from the input.
  const io::CsvDialect dialect = contract.format.Dialect();
  DAS_RETURN_IF_ERROR(dialect.Validate());
  bool cr_only = false;
  const std::optional<bool> crlf = DetectCrlf(raw, &cr_only);
  report.crlf = crlf.value_or(contract.format.line_ending == "crlf");
  if (cr_only) report.warnings.push_back("input lines end in CR only; the output uses CRLF");

  // Room for the whole output, so that it is not copied while it grows: the input plus the seal columns.
  const std::size_t lines = static_cast<std::size_t>(std::count(raw.begin(), raw.end(), '\n')) + 1;
  const std::size_t added_bytes = 32 + 7 + 4 + 3 + 2 * ((options.name_params.bits / 8 + 2) / 3 * 4) +
                                  (options.date_params.bits / 8 + 2) / 3 * 4 + 7;
  const std::size_t expected_size = raw.size() + lines * added_bytes + 1024;
  std::unique_ptr<io::CsvReader> reader = io::CsvReader::FromString(std::move(raw_owned), dialect, file);
  const std::vector<std::string>& header = reader->header();
  if (header.empty()) return Status::InvalidArgument(file + ": empty file: no header line");
  if (const auto& bad = reader->header_error(); bad.has_value()) {
    return Status::InvalidArgument(file + ": header cannot be read: " + BadReason(*bad, {}));
  }
  DAS_RETURN_IF_ERROR(CheckRawHeader(contract, header, file, reader->header_line()));
  report.bom = reader->had_bom() && dialect.encoding == io::Encoding::kUtf8;
  using Bom = contract::Format::Bom;
  if (report.bom && contract.format.bom == Bom::kForbidden) {
    report.warnings.push_back("input has a BOM, but contract " + contract.Id() +
                              " forbids one (the output mirrors the input)");
  } else if (!report.bom && contract.format.bom == Bom::kRequired) {
    report.warnings.push_back("input has no BOM, but contract " + contract.Id() +
                              " requires one (the output mirrors the input)");
  }
  if (crlf.has_value() && !cr_only && (contract.format.line_ending == "crlf" || contract.format.line_ending == "lf") &&
      *crlf != (contract.format.line_ending == "crlf")) {
    report.warnings.push_back(std::string("input lines end in ") + (*crlf ? "CRLF" : "LF") + ", contract " +
                              contract.Id() + " says " + contract.format.line_ending +
                              " (the output mirrors the input)");
  }

  DAS_ASSIGN_OR_RETURN(Sealer sealer, Sealer::Create(spec, header, keys, tussenvoegsels, options.name_params,
                                                     options.date_params));
  Job job;
  job.sealer = &sealer;
  job.file_name = file;
  job.max_dropped = options.max_dropped_listed;
  const std::vector<std::string> sealed_header = contract.Header(Form::kSealed);
  const std::vector<std::string>& produced = sealer.output_header();
  for (const std::string& name : sealed_header) {
    auto it = std::find(produced.begin(), produced.end(), name);
    if (it == produced.end()) {
      return Status::Internal("contract " + contract.Id() + ": sealed column '" + name +
                              "' is not produced by the sealer");
    }
    job.out_index.push_back(static_cast<std::size_t>(it - produced.begin()));
    auto in = std::find(header.begin(), header.end(), name);
    job.keep_input.push_back(in == header.end() ? std::string::npos : static_cast<std::size_t>(in - header.begin()));
  }
  job.write_options.delimiter = dialect.delimiter;
  job.write_options.quote = dialect.quote;
  job.write_options.encoding = dialect.encoding;
  job.write_options.crlf = report.crlf;
  job.write_options.bom = false;
  job.write_options.decimal_separator = contract.format.decimal_separator;

  {
    io::CsvWriteOptions head = job.write_options;
    head.bom = report.bom;
    io::CsvWriter w(head);
    for (const std::string& name : sealed_header) w.Text(name);
    w.EndRecord();
    if (!w.status().ok()) return Status::InvalidArgument(file + ": sealed header cannot be encoded");
    sealed_out->reserve(expected_size);
    sealed_out->append(w.buffer());
  }

  Status status;
  {
    Pipeline pipeline(job, options.threads);
    io::CsvRecord rec;
    std::unique_ptr<Block> block = pipeline.NewBlock();
    for (;;) {
      Result<bool> more = reader->Next(&rec);
      if (!more.ok()) {
        status = more.status();
        break;
      }
      if (*more) {
        Block::Row row;
        row.line = rec.line;
        row.first = block->ends.size();
        if (rec.error.has_value()) {
          row.bad = static_cast<std::int32_t>(block->bad_reasons.size());
          block->bad_reasons.push_back(BadReason(*rec.error, header));
        } else {
          row.count = rec.fields.size();
          for (std::size_t i = 0; i < rec.fields.size(); ++i) {
            block->text.append(rec.fields[i]);
            block->ends.push_back(block->text.size());
            block->quoted.push_back(rec.quoted[i] ? 1 : 0);
          }
        }
        block->rows.push_back(row);
      }
      if (!*more || block->rows.size() >= options.block_rows || block->text.size() >= kBlockTextBytes) {
        if (!block->rows.empty()) {
          pipeline.Push(std::move(block));
          block = pipeline.NewBlock();
          status = pipeline.Emit(sealed_out, report);
          if (!status.ok()) break;
        }
        if (!*more) break;
      }
    }
    if (status.ok()) status = pipeline.Finish(sealed_out, report);
  }
  if (!status.ok()) {
    sealed_out->clear();
    return status;
  }
  return report;
}

}  // namespace

std::string SealReport::Summary() const {
  std::string out = contract + ": " + std::to_string(rows_read) + " rows read, " + std::to_string(rows_written) +
                    " written, " + std::to_string(rows_dropped) + " dropped";
  if (blank_lines > 0) out += ", " + std::to_string(blank_lines) + " blank lines skipped";
  out += "; BSN ok " + std::to_string(bsn_ok) + ", missing " + std::to_string(bsn_missing) + ", invalid " +
         std::to_string(bsn_invalid);
  if (birth_date_invalid > 0) out += "; " + std::to_string(birth_date_invalid) + " unreadable birth dates";
  return out;
}

Result<SealSpec> SealSpecForContract(const Contract& contract) {
  if (!contract.seal.present) {
    return Status::FailedPrecondition("contract " + contract.Id() +
                                      " has no direct identifier columns: its files are delivered as they are, "
                                      "there is nothing to seal");
  }
  SealSpec spec;
  auto set = [&](std::string& slot, const Column& col) -> Status {
    if (!slot.empty()) {
      return Status::InvalidArgument("contract " + contract.Id() + ": columns '" + slot + "' and '" + col.name +
                                     "' both have type " + std::string(contract::FieldTypeName(col.type)) +
                                     "; das seal handles one of each");
    }
    slot = col.name;
    return Status::Ok();
  };
  for (const Column& col : contract.columns) {
    switch (col.type) {
      case FieldType::kBsn: DAS_RETURN_IF_ERROR(set(spec.bsn, col)); break;
      case FieldType::kSurname: DAS_RETURN_IF_ERROR(set(spec.surname, col)); break;
      case FieldType::kTussenvoegsel: DAS_RETURN_IF_ERROR(set(spec.tussenvoegsel, col)); break;
      case FieldType::kGivenNames: DAS_RETURN_IF_ERROR(set(spec.given_names, col)); break;
      case FieldType::kBirthDate:
        DAS_RETURN_IF_ERROR(set(spec.birth_date, col));
        spec.birth_date_format = col.date_format;
        break;
      case FieldType::kSex: DAS_RETURN_IF_ERROR(set(spec.sex, col)); break;
      case FieldType::kCode:
        if (col.codelist == kPersonKindCodeList) {
          DAS_RETURN_IF_ERROR(set(spec.person_kind, col));
          spec.natural_person_value = std::string(kNaturalPerson);
        }
        break;
      default: break;
    }
  }
  if (!contract.seal.reference_date_field.empty()) {
    const Column* ref = nullptr;
    for (const Column& col : contract.columns) {
      if (col.field == contract.seal.reference_date_field) ref = &col;
    }
    if (ref == nullptr) {
      return Status::InvalidArgument("contract " + contract.Id() + ": [seal] reference_date '" +
                                     contract.seal.reference_date_field + "' is not a column of the raw file");
    }
    spec.reference_date = ref->name;
    spec.reference_date_format = ref->date_format;
  }
  return spec;
}

Status CheckRawHeader(const Contract& contract, const std::vector<std::string>& header, std::string_view file_name,
                      std::int64_t line) {
  const std::vector<std::string> expected = contract.Header(Form::kRaw);
  if (header == expected) return Status::Ok();
  const std::string where = std::string(file_name) + ": line " + std::to_string(line) + ": ";
  if (contract.seal.present && header == contract.Header(Form::kSealed)) {
    return Status::FailedPrecondition(where + "header is the sealed form of contract " + contract.Id() +
                                      ": the file is already sealed");
  }
  const std::string lead = where + "header does not match contract " + contract.Id() + ": ";
  std::vector<std::string> missing, unexpected, repeated;
  for (const std::string& name : expected) {
    if (std::find(header.begin(), header.end(), name) == header.end()) missing.push_back("'" + name + "'");
  }
  std::size_t known = 0;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& name = header[i];
    const bool in_contract = std::find(expected.begin(), expected.end(), name) != expected.end();
    known += in_contract ? 1 : 0;
    if (std::find(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        header.begin() + static_cast<std::ptrdiff_t>(i)) {
      if (LooksLikeColumnName(name)) repeated.push_back("'" + name + "'");
      else repeated.push_back("column " + std::to_string(i + 1));
      continue;
    }
    if (!in_contract) {
      unexpected.push_back(LooksLikeColumnName(name) ? "'" + name + "'"
                                                     : "column " + std::to_string(i + 1) + " (name not shown)");
    }
  }
  if (known == 0) {
    return Status::InvalidArgument(lead + "none of its " + std::to_string(expected.size()) +
                                   " columns is in the first line (" + std::to_string(header.size()) + " " +
                                   Plural(header.size(), "field") + "): is the header missing, or is this another source's file?");
  }
  std::vector<std::string> parts;
  if (!missing.empty()) parts.push_back(Plural(missing.size(), "missing column") + " " + QuoteList(missing));
  if (!unexpected.empty()) {
    parts.push_back(Plural(unexpected.size(), "unexpected column") + " " + QuoteList(unexpected));
  }
  if (!repeated.empty()) parts.push_back(Plural(repeated.size(), "repeated column") + " " + QuoteList(repeated));
  if (!parts.empty()) {
    std::string msg = lead;
    for (std::size_t i = 0; i < parts.size(); ++i) msg += (i > 0 ? "; " : "") + parts[i];
    return Status::InvalidArgument(msg);
  }
  // Same columns, different order.
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (header[i] != expected[i]) {
      return Status::InvalidArgument(lead + "column " + std::to_string(i + 1) + " is '" + header[i] +
                                     "', expected '" + expected[i] + "' (same columns, different order)");
    }
  }
  return Status::Internal(lead + "header differs in an unexplained way");
}

Result<SealReport> SealFile(const Contract& contract, const KeyFile& keys, const Tussenvoegsels& tussenvoegsels,
                            std::string_view raw_file_bytes, std::string* sealed_out, const SealFileOptions& options) {
  Result<SealReport> r = SealFileImpl(contract, keys, tussenvoegsels, std::string(raw_file_bytes), sealed_out, options);
  if (!r.ok()) sealed_out->clear();
  return r;
}

Result<SealReport> SealFileAtPaths(const Contract& contract, const std::string& key_path,
                                   const Tussenvoegsels& tussenvoegsels, const std::string& in_path,
                                   const std::string& out_path, FileSystem& fs, SealFileOptions options) {
  if (out_path == in_path) {
    return Status::InvalidArgument("output '" + out_path + "' is the input file; the raw file must be kept");
  }
  DAS_ASSIGN_OR_RETURN(KeyFile keys, LoadKeyFile(key_path));
  DAS_ASSIGN_OR_RETURN(std::string raw, fs.ReadFile(in_path));
  options.file_name = in_path;
  std::string sealed;
  Result<SealReport> report = SealFileImpl(contract, keys, tussenvoegsels, std::move(raw), &sealed, options);
  if (!report.ok()) return report.status();
  DAS_RETURN_IF_ERROR(fs.WriteFile(out_path, sealed));
  return report;
}

}  // namespace das::seal
