// Writes the perturbation table of the cell key method for given parameters (see das/protect/ckm.h), after
// validating it. Usage: protect_ptable_gen D V js [max_i] > config/protect/ptable_D2_V1_js2.csv
#include <cstdio>
#include <cstdlib>
#include <string>

#include "das/protect/ckm.h"

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::fprintf(stderr, "usage: protect_ptable_gen D V js [max_i]\n");
    return 2;
  }
  das::protect::PTableParams p;
  p.max_noise = std::atoi(argv[1]);
  p.variance = std::atof(argv[2]);
  p.js = std::atoi(argv[3]);
  if (argc == 5) p.max_i = std::atoi(argv[4]);
  auto t = das::protect::GeneratePTable(p);
  if (!t.ok()) {
    std::fprintf(stderr, "protect_ptable_gen: %s\n", t.status().message().c_str());
    return 1;
  }
  if (das::Status s = das::protect::ValidatePTable(*t); !s.ok()) {
    std::fprintf(stderr, "protect_ptable_gen: %s\n", s.message().c_str());
    return 1;
  }
  std::fputs(t->ToCsv().c_str(), stdout);
  for (const auto& r : das::protect::RowStats(*t)) {
    std::fprintf(stderr, "i=%d sum_p=%.6f mean=%+.6f var=%.6f\n", r.i, r.sum_p, r.mean, r.variance);
  }
  return 0;
}
