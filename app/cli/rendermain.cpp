// cdx-render: cdx chart and cdx report, the commands that draw with Qt (cdx runs this).
#include "app/cli/chartcommand.h"

int main(int argc, char** argv)
{
    return cdx::cli::runRender(argc, argv);
}
