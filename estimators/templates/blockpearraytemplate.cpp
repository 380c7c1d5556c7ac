#include "estimators/templates/blockpearraytemplate.h"

namespace cdx {

BlockPeArrayTemplate::BlockPeArrayTemplate()
{
    info_.name = "block_pe_array";
    info_.summary = "(being written)";
}

Result<std::unique_ptr<HardwareDesign>> BlockPeArrayTemplate::build(const DesignInputs&) const
{
    return Error{ExitCode::BadInput, {}, {}, "template block_pe_array is not built yet"};
}

}  // namespace cdx
