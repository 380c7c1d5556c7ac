#include "app/cli/cli.h"

#include "app/cli/command.h"
#include "core/util/version.h"

#include <exception>
#include <iostream>
#include <new>

namespace cdx::cli {

int run(int argc, char** argv)
{
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
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);  // prints help, version or the usage error
        return code == 0 ? 0 : static_cast<int>(ExitCode::BadInput);
    }
    try {
        for (const auto& command : commands)
            if (command.parser->parsed())
                return command.run();
    } catch (const std::bad_alloc&) {
        std::cerr << "cdx: error: out of memory\n";
        return static_cast<int>(ExitCode::Internal);
    } catch (const std::exception& e) {
        std::cerr << "cdx: internal error: " << e.what() << "\n";
        return static_cast<int>(ExitCode::Internal);
    }
    return static_cast<int>(ExitCode::Internal);
}

}  // namespace cdx::cli
