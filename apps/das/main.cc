// das: the command-line entry point of the DAS platform. Parses arguments and hands over to a stage.
#include <cstdio>

#include "cli.h"

int main(int argc, char** argv) {
  CLI::App app{
      "DAS - data platform of the Dutch criminal justice chain (Data Alliantie Strafrechtketen).\n"
      "Receives deliveries from the chain organisations, pseudonymises, links and harmonises them, computes\n"
      "protected chain statistics and publishes them as open data. Run 'das <command> --help' for details.",
      "das"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "das 0.1.0");

  das::cli::Runner runner;
  das::cli::AddGenerateCommand(app, runner);
  das::cli::AddKeysCommand(app, runner);
  das::cli::AddPreviewCommand(app, runner);
  das::cli::AddIntakeCommand(app, runner);
  das::cli::AddStoreCommand(app, runner);
  das::cli::AddSealCommand(app, runner);
  das::cli::AddLinkCommand(app, runner);
  das::cli::AddExportCommand(app, runner);
  das::cli::AddHarmoniseCommand(app, runner);
  das::cli::AddChainCommand(app, runner);
  das::cli::AddReleasesCommand(app, runner);
  das::cli::AddServeCommand(app, runner);
  das::cli::AddRunCommand(app, runner);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    // --help and --version are successes; anything else is bad usage.
    return code == 0 ? das::cli::kExitOk : das::cli::kExitUsage;
  }
  if (!runner) return das::cli::kExitUsage;
  return runner();
}
