#include "das/seal/seal.h"

#include <charconv>
#include <map>

namespace das::seal {
namespace {

struct Resolved {
  std::size_t bsn, surname, tv, given, birth, ref, kind, sex;
  std::vector<bool> drop;
  std::vector<bool> record_id;
  std::vector<std::string> header;
};

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

Result<Resolved> Resolve(const SealSpec& spec, std::span<const std::string> input) {
  std::map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (!index.emplace(input[i], i).second) {
      return Status::InvalidArgument("input header has column '" + input[i] + "' twice (columns " +
                                     std::to_string(index[input[i]] + 1) + " and " + std::to_string(i + 1) + ")");
    }
    for (std::string_view added : kAddedColumns) {
      if (input[i] == added) {
        return Status::InvalidArgument("input header already has column '" + input[i] + "' (column " +
                                       std::to_string(i + 1) + "), which sealing adds");
      }
    }
  }
  auto find = [&](const std::string& name, std::string_view role, std::size_t& out) -> Status {
    out = kNone;
    if (name.empty()) return Status::Ok();
    auto it = index.find(name);
    if (it == index.end()) {
      return Status::InvalidArgument("seal spec: " + std::string(role) + " column '" + name +
                                     "' is not in the input header");
    }
    out = it->second;
    return Status::Ok();
  };
  Resolved r;
  DAS_RETURN_IF_ERROR(find(spec.bsn, "BSN", r.bsn));
  DAS_RETURN_IF_ERROR(find(spec.surname, "surname", r.surname));
  DAS_RETURN_IF_ERROR(find(spec.tussenvoegsel, "tussenvoegsel", r.tv));
  DAS_RETURN_IF_ERROR(find(spec.given_names, "given names", r.given));
  DAS_RETURN_IF_ERROR(find(spec.birth_date, "birth date", r.birth));
  DAS_RETURN_IF_ERROR(find(spec.reference_date, "reference date", r.ref));
  DAS_RETURN_IF_ERROR(find(spec.person_kind, "person kind", r.kind));
  DAS_RETURN_IF_ERROR(find(spec.sex, "sex", r.sex));
  r.drop.assign(input.size(), false);
  r.record_id.assign(input.size(), false);
  const std::pair<std::size_t, std::string_view> identifiers[] = {
      {r.bsn, "BSN"}, {r.surname, "surname"}, {r.tv, "tussenvoegsel"}, {r.given, "given names"},
      {r.birth, "birth date"}};
  for (const auto& [col, role] : identifiers) {
    if (col == kNone) continue;
    if (r.drop[col]) {
      return Status::InvalidArgument("seal spec: column '" + input[col] + "' is named for two identifier roles");
    }
    r.drop[col] = true;
  }
  for (const std::string& name : spec.record_ids) {
    std::size_t col = kNone;
    DAS_RETURN_IF_ERROR(find(name, "record id", col));
    if (r.drop[col] || r.record_id[col]) {
      return Status::InvalidArgument("seal spec: record id column '" + name + "' is named twice");
    }
    r.record_id[col] = true;
  }
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (!r.drop[i]) r.header.push_back(input[i]);
  }
  for (std::string_view added : kAddedColumns) r.header.emplace_back(added);
  return r;
}

void AppendInt(std::string& out, int v) {
  char buf[16];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}

}  // namespace

std::vector<std::string_view> SealedRow::Fields() const {
  std::vector<std::string_view> out;
  out.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) out.push_back((*this)[i]);
  return out;
}

Result<std::vector<std::string>> SealedHeader(const SealSpec& spec, std::span<const std::string> input_header) {
  DAS_ASSIGN_OR_RETURN(Resolved r, Resolve(spec, input_header));
  return std::move(r.header);
}

int AgeInYears(Date birth, Date at) {
  const Ymd b = birth.ToYmd();
  const Ymd a = at.ToYmd();
  int age = a.year - b.year;
  if (a.month < b.month || (a.month == b.month && a.day < b.day)) --age;
  return age;
}

Result<Sealer> Sealer::Create(const SealSpec& spec, std::span<const std::string> input_header,
                              const KeyFile& keys, const Tussenvoegsels& tussenvoegsels,
                              BloomParams name_params, BloomParams date_params) {
  DAS_ASSIGN_OR_RETURN(Resolved r, Resolve(spec, input_header));
  DAS_ASSIGN_OR_RETURN(const SecretKey* link_key, keys.Get(kLinkDomain));
  DAS_ASSIGN_OR_RETURN(const SecretKey* bloom_key, keys.Get(kBloomDomain));
  DAS_ASSIGN_OR_RETURN(BloomEncoder bf_surname, BloomEncoder::Create(*bloom_key, "achternaam", name_params));
  DAS_ASSIGN_OR_RETURN(BloomEncoder bf_given, BloomEncoder::Create(*bloom_key, "voornaam", name_params));
  DAS_ASSIGN_OR_RETURN(BloomEncoder bf_date, BloomEncoder::Create(*bloom_key, "geboortedatum", date_params));
  Sealer s(Pseudonymiser(*link_key, kLinkDomain, "bsn"), std::move(bf_surname), std::move(bf_given),
           std::move(bf_date));
  s.tussenvoegsels_ = &tussenvoegsels;
  s.input_width_ = input_header.size();
  s.roles_.assign(input_header.size(), Role::kKeep);
  s.record_slot_.assign(input_header.size(), kNone);
  bool any_record_id = false;
  for (bool b : r.record_id) any_record_id = any_record_id || b;
  const SecretKey* record_key = nullptr;
  if (any_record_id) {
    DAS_ASSIGN_OR_RETURN(record_key, keys.Get(kRecordDomain));
  }
  for (std::size_t i = 0; i < input_header.size(); ++i) {
    if (r.drop[i]) {
      s.roles_[i] = Role::kDrop;
    } else if (r.record_id[i]) {
      s.roles_[i] = Role::kRecordId;
      s.record_slot_[i] = s.record_ids_.size();
      s.record_ids_.emplace_back(*record_key, kRecordDomain, input_header[i]);
    }
  }
  s.col_bsn_ = r.bsn;
  s.col_surname_ = r.surname;
  s.col_tv_ = r.tv;
  s.col_given_ = r.given;
  s.col_birth_ = r.birth;
  s.col_ref_ = r.ref;
  s.col_kind_ = r.kind;
  s.birth_format_ = spec.birth_date_format;
  s.ref_format_ = spec.reference_date_format;
  s.natural_value_ = spec.natural_person_value;
  s.output_header_ = std::move(r.header);
  return s;
}

Status Sealer::SealRow(std::span<const std::string_view> fields, SealedRow& out, RowOutcome* outcome) const {
  if (fields.size() != input_width_) {
    return Status::InvalidArgument("row has " + std::to_string(fields.size()) + " fields, header has " +
                                   std::to_string(input_width_));
  }
  RowOutcome local;
  RowOutcome& oc = outcome != nullptr ? *outcome : local;
  oc = RowOutcome();
  out.Clear();
  auto field = [&](std::size_t col) { return col == kNone ? std::string_view() : fields[col]; };

  for (std::size_t i = 0; i < fields.size(); ++i) {
    switch (roles_[i]) {
      case Role::kDrop:
        break;
      case Role::kKeep:
        out.buf_.append(fields[i]);
        out.EndField();
        break;
      case Role::kRecordId:
        if (!fields[i].empty()) record_ids_[record_slot_[i]].AppendTo(out.buf_, fields[i]);
        out.EndField();
        break;
    }
  }

  // bsn_pseudo, bsn_status
  const BsnCheck bsn = CheckBsn(field(col_bsn_));
  oc.bsn_status = bsn.status;
  oc.bsn_problem = bsn.problem;
  if (bsn.ok()) bsn_.AppendTo(out.buf_, bsn.normalised());
  out.EndField();
  out.buf_.append(BsnStatusName(bsn.status));
  out.EndField();

  oc.natural_person = col_kind_ == kNone || fields[col_kind_] == natural_value_;

  // geboortejaar, leeftijd
  std::optional<Date> birth;
  if (oc.natural_person && !field(col_birth_).empty()) {
    Result<Date> parsed = ParseDate(field(col_birth_), birth_format_);
    if (parsed.ok()) {
      birth = *parsed;
    } else {
      oc.birth_date_invalid = true;
    }
  }
  std::optional<Date> ref;
  if (!field(col_ref_).empty()) {
    Result<Date> parsed = ParseDate(field(col_ref_), ref_format_);
    if (parsed.ok()) {
      ref = *parsed;
    } else {
      oc.reference_date_invalid = true;
    }
  }
  if (birth) AppendInt(out.buf_, birth->year());
  out.EndField();
  if (birth && ref) {
    const int age = AgeInYears(*birth, *ref);
    if (age >= 0) {
      AppendInt(out.buf_, age);
    } else {
      oc.age_negative = true;
    }
  }
  out.EndField();

  // Bloom encodings
  if (oc.natural_person) {
    tussenvoegsels_->Split(field(col_surname_), field(col_tv_), out.surname_);
    if (!out.surname_.core.empty()) AppendBloomBase64(bf_surname_.EncodeName(out.surname_.core), out.buf_);
    out.EndField();
    SplitGivenNames(field(col_given_), out.given_);
    if (!out.given_.first.empty()) AppendBloomBase64(bf_given_.EncodeName(out.given_.first), out.buf_);
    out.EndField();
    if (birth) AppendBloomBase64(bf_date_.EncodeDate(*birth), out.buf_);
    out.EndField();
  } else {
    out.EndField();
    out.EndField();
    out.EndField();
  }
  return Status::Ok();
}

}  // namespace das::seal
