#include "estimators/templates/sparsemvtemplate.h"

namespace cdx {

SparseMvTemplate::SparseMvTemplate()
{
    info_.name = "sparse_mv";
    info_.summary = "(being written)";
}

Result<std::unique_ptr<HardwareDesign>> SparseMvTemplate::build(const DesignInputs&) const
{
    return Error{ExitCode::BadInput, {}, {}, "template sparse_mv is not built yet"};
}

}  // namespace cdx
