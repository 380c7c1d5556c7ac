#include "app/cli/cli.h"

#include "app/cli/chartoptions.h"
#include "app/cli/command.h"
#include "core/util/version.h"


namespace cdx::cli {

int run(int argc, char** argv)
{
    setInvocation(argc, argv);
    CLI::App app{"Codesign Explorer: hardware/software co-design of neural-network accelerators.\n"
                 "Exit codes: 0 success, 1 internal error, 2 bad input, 3 a check failed.",
                 "cdx"};
    app.set_version_flag("--version", std::string("cdx (Codesign Explorer) ") + kVersion);
    app.require_subcommand(1);
    const std::vector<Command> commands{
        addNetworksCommand(app),
        addTemplatesCommand(app),
        addInspectCommand(app),
        addCompressCommand(app),
        addAccuracyCommand(app),
        addEstimateCommand(app),
        addExploreCommand(app),
        addMergeCommand(app),
        addTimeloopCommand(app),
        addValidateCommand(app),
        addExportCommand(app),
        addChartCommand(app),
        addReportCommand(app),
        addCalibrateCommand(app),
    };
    return parseAndRun(app, commands, argc, argv);
}

}  // namespace cdx::cli
