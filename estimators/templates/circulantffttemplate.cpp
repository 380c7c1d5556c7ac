#include "estimators/templates/circulantffttemplate.h"

namespace cdx {

CirculantFftTemplate::CirculantFftTemplate()
{
    info_.name = "circulant_fft";
    info_.summary = "(being written)";
}

Result<std::unique_ptr<HardwareDesign>> CirculantFftTemplate::build(const DesignInputs&) const
{
    return Error{ExitCode::BadInput, {}, {}, "template circulant_fft is not built yet"};
}

}  // namespace cdx
