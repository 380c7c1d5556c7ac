#include "app/cli/cli.h"

int main(int argc, char** argv)
{
    return cdx::cli::run(argc, argv);
}
