// das generate: writes the synthetic national criminal justice chain (src/synth/).
#include <cstdio>
#include <memory>
#include <string>

#include "cli.h"
#include "das/synth/generate.h"

namespace das::cli {

void AddGenerateCommand(CLI::App& app, Runner& runner) {
  auto opt = std::make_shared<synth::GenerateOptions>();
  auto defects = std::make_shared<double>(1.0);
  auto no_defects = std::make_shared<bool>(false);
  auto config = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "generate",
      "Write synthetic deliveries of the chain organisations (docs/deliveries.md), manifest.csv and _truth/.\n"
      "Deliveries are sealed as the organisations would seal them before delivery (das seal, demo keys in\n"
      "OUT/_keys); with --raw the unsealed originals are also kept in OUT/_raw. _truth, _keys and _raw are\n"
      "never read by the pipeline.");
  cmd->add_option("--out", opt->out_dir, "Output directory")->required();
  cmd->add_option("--from", opt->from, "First year")->capture_default_str();
  cmd->add_option("--to", opt->to, "Last year")->capture_default_str();
  cmd->add_option("--scale", opt->scale, "Volume relative to the Netherlands (1 = national)")->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Random seed")->capture_default_str();
  auto* d = cmd->add_option("--defects", *defects, "Multiplier of the defect rates in config/synth/kalibratie.toml")
                ->capture_default_str();
  cmd->add_flag("--no-defects", *no_defects, "Write no defects")->excludes(d);
  cmd->add_option("--config", *config,
                  "Configuration directory holding synth/ and geo/ (default: ./config, else the source tree's)");
  cmd->add_option("--threads", opt->threads, "Worker threads")->capture_default_str();
  cmd->add_flag("--raw", opt->write_raw,
                "Also write the unsealed files the organisations hold, under OUT/_raw/ (deliveries are always sealed)");
  cmd->callback([&runner, opt, defects, no_defects, config] {
    runner = [opt, defects, no_defects, config] {
      synth::GenerateOptions o = *opt;
      auto dir = ConfigDir(*config);
      if (!dir.ok()) return Report("generate", dir.status());
      o.config_dir = *dir;
      o.defect_multiplier = *no_defects ? 0.0 : *defects;
      auto result = synth::Generate(o);
      if (!result.ok()) return Report("generate", result.status());
      std::printf("das generate: %lld files, %lld rows, %.1f MB in %s\n", static_cast<long long>(result->files),
                  static_cast<long long>(result->rows), static_cast<double>(result->bytes) / 1e6, o.out_dir.c_str());
      return kExitOk;
    };
  });
}

}  // namespace das::cli
