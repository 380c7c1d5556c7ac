// The registry of accelerator templates (`cdx templates`).
#include "estimators/templates/acceleratortemplate.h"

#include "core/util/jsonreader.h"
#include "estimators/templates/convolverarraytemplate.h"
#include "estimators/templates/dataflowpipelinetemplate.h"
#include "estimators/templates/eyerisstemplate.h"
#include "estimators/templates/nvdlatemplate.h"
#include "estimators/templates/simplearraytemplate.h"
#include "estimators/templates/systolictemplate.h"
#include "estimators/templates/sparsemvtemplate.h"
#include "estimators/templates/blockpearraytemplate.h"
#include "estimators/templates/bitserialtemplate.h"
#include "estimators/templates/circulantffttemplate.h"

namespace cdx {

const std::vector<const AcceleratorTemplate*>& acceleratorTemplates()
{
    static const SimpleArrayTemplate simpleWs(true);
    static const SimpleArrayTemplate simpleOs(false);
    static const EyerissTemplate eyeriss;
    static const SystolicTemplate systolic;
    static const NvdlaTemplate nvdla;
    static const ConvolverArrayTemplate convolverArray;
    static const DataflowPipelineTemplate dataflowPipeline;
    static const SparseMvTemplate sparseMv;
    static const BlockPeArrayTemplate blockPeArray;
    static const BitSerialTemplate bitSerial;
    static const CirculantFftTemplate circulantFft;
    static const std::vector<const AcceleratorTemplate*> all{
        &simpleWs,         &simpleOs, &eyeriss,      &systolic,  &nvdla,       &convolverArray,
        &dataflowPipeline, &sparseMv, &blockPeArray, &bitSerial, &circulantFft};
    return all;
}

Result<const AcceleratorTemplate*> findAcceleratorTemplate(std::string_view name)
{
    std::vector<std::string> names;
    std::string list;
    for (const auto* t : acceleratorTemplates()) {
        if (t->info().name == name)
            return t;
        names.push_back(t->info().name);
        list += (list.empty() ? "" : ", ") + t->info().name;
    }
    std::string message = "no template named \"" + std::string(name) + "\"";
    if (const auto guess = closestMatch(name, names))
        message += " (did you mean \"" + *guess + "\"?)";
    return Error{ExitCode::BadInput, {}, {}, message + "; templates: " + list};
}

}  // namespace cdx
