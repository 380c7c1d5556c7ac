#include "estimators/templates/bitserialtemplate.h"

namespace cdx {

BitSerialTemplate::BitSerialTemplate()
{
    info_.name = "bit_serial";
    info_.summary = "(being written)";
}

Result<std::unique_ptr<HardwareDesign>> BitSerialTemplate::build(const DesignInputs&) const
{
    return Error{ExitCode::BadInput, {}, {}, "template bit_serial is not built yet"};
}

}  // namespace cdx
