// Rendering of keys and identifiers of the synthetic chain (internal).
#pragma once

#include <cstdio>
#include <string>

#include "model.h"

namespace das::synth {

class Keys {
 public:
  Keys(const World& w, const std::vector<Year>& years) : w_(w), years_(years) {}

  int Unit(std::uint32_t buurt) const { return w_.gemeenten[w_.buurt_gemeente[buurt]].unit; }
  std::string CrimeKey(std::uint32_t yi, std::uint32_t c) const {
    const Crime& cr = years_[yi].crimes[c];
    return Fmt("PL%02d00_BVH_%04d%07u", Unit(cr.buurt), years_[yi].year, cr.seq);
  }
  std::string PvKey(std::uint32_t yi, std::uint32_t s) const {
    const Suspect& su = years_[yi].suspects[s];
    return Fmt("PL%02d00_PV_%04d%07u", Unit(years_[yi].crimes[su.crime].buurt), su.reg.year(), su.seq);
  }
  std::string ParketKey(std::uint32_t yi, std::uint32_t o) const {
    const OmCase& om = years_[yi].om[o];
    return Fmt("%s/%06u-%02d", kParketNumbers[om.arr], om.seq, om.inflow.year() % 100);
  }
  std::string CjibKey(std::uint32_t yi, std::uint32_t i) const {
    const auto& c = years_[yi].cjib[i];
    return Fmt("CJ%04d%08u", c.reg.year(), c.seq);
  }
  std::string DjiKey(std::uint32_t yi, std::uint32_t i) const {
    const auto& d = years_[yi].dji[i];
    return Fmt("DJI%04d%07u", d.in.year(), d.seq);
  }
  std::string RnKey(std::uint32_t yi, std::uint32_t i) const {
    const auto& p = years_[yi].rn[i];
    return Fmt("RN%04d%07u", p.start.year(), p.seq);
  }
  std::string HaltKey(std::uint32_t yi, std::uint32_t i) const {
    const auto& h = years_[yi].halt[i];
    return Fmt("H%04d%06u", h.date.year(), h.seq);
  }
  std::string RvdkKey(std::uint32_t yi, std::uint32_t i) const {
    const auto& r = years_[yi].rvdk[i];
    return Fmt("RK%04d%06u", r.start.year(), r.seq);
  }
  std::string ChainKey(std::uint32_t yi, std::uint32_t chain) const {
    return Fmt("K%04d-%07u", years_[yi].year, chain + 1);
  }
  std::string PersonId(std::uint32_t p) const {
    if (p < w_.n_natural) return Fmt("P%08u", p + 1);
    return Fmt("R%07u", p - w_.n_natural + 1);
  }

  template <typename... Args>
  static std::string Fmt(const char* fmt, Args... args) {
    char buf[64];
    int n = std::snprintf(buf, sizeof buf, fmt, args...);
    return std::string(buf, static_cast<std::size_t>(n < 0 ? 0 : n));
  }

 private:
  const World& w_;
  const std::vector<Year>& years_;
};

}  // namespace das::synth
