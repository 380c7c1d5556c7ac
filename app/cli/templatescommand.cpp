// `cdx templates`: the accelerator templates, their parameters and presets.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/util/jsonwriter.h"
#include "estimators/templates/acceleratortemplate.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace cdx::cli {

namespace {

/// How the template's datapath meets a layer's bits, and how it stores narrow weights, as
/// `cdx templates` says it.
std::string datapathName(const TemplateInfo& info)
{
    switch (info.datapath) {
    case DatapathKind::Fixed:
        return std::string("fixed width (a narrower layer computes at the datapath's width; the estimate warns)") +
               (info.param("pack_weights") ? "; narrower weights stored packed with pack_weights" : "");
    case DatapathKind::Scalable: return "precision-scalable (time and energy follow each layer's bits; weights stored at their bits)";
    case DatapathKind::PerLayer: return "per layer (each module at its layer's width, its weights at their bits)";
    }
    return "";
}


nlohmann::ordered_json paramJson(const ParamSpec& p)
{
    nlohmann::ordered_json j;
    j["name"] = p.name;
    j["type"] = paramTypeName(p.type);
    if (p.type == ParamType::Integer || p.type == ParamType::Real) {
        j["min"] = p.min;
        j["max"] = p.max;
    }
    if (p.type == ParamType::Choice)
        j["choices"] = p.choices;
    j["default"] = p.defaultValue;
    if (!p.unit.empty())
        j["unit"] = p.unit;
    j["description"] = p.description;
    return j;
}

std::string rangeText(const ParamSpec& p)
{
    switch (p.type) {
    case ParamType::Integer:
    case ParamType::Real: {
        const auto number = [&](double v) {
            nlohmann::json j = v;
            if (p.type == ParamType::Integer)
                j = static_cast<long long>(v);
            return j.dump();
        };
        return number(p.min) + " .. " + number(p.max);
    }
    case ParamType::Choice: {
        std::string text;
        for (const auto& c : p.choices)
            text += (text.empty() ? "" : " | ") + c;
        return text;
    }
    case ParamType::Boolean: return "true | false";
    }
    return "";
}

/// What the template turns into fewer cycles beyond the structural pruning every template gets.
std::vector<std::string> exploitsList(const CompressionSupport& c)
{
    std::vector<std::string> out;
    if (c.elementSparsity)
        out.emplace_back("element sparsity");
    if (c.circulant)
        out.emplace_back("block-circulant (FFT)");
    if (c.fastAlgorithms)
        out.emplace_back("fast algorithms");
    return out;
}

int listTemplates(bool json)
{
    if (json) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto* t : acceleratorTemplates()) {
            const TemplateInfo& info = t->info();
            nlohmann::ordered_json j;
            j["name"] = info.name;
            j["summary"] = info.summary;
            j["model"] = info.model;
            j["non_mac_layers"] = info.nonMacLayers;
            j["datapath"] = datapathName(info);
            j["output_stage"] = info.outputStage.describe();
            j["exploits"] = exploitsList(info.exploits);
            j["params"] = nlohmann::ordered_json::array();
            for (const auto& p : info.params)
                j["params"].push_back(paramJson(p));
            j["presets"] = nlohmann::ordered_json::array();
            for (const auto& p : info.presets) {
                nlohmann::ordered_json preset;
                preset["name"] = p.name;
                preset["description"] = p.description;
                preset["params"] = p.params;
                preset["platform"] = p.platform;
                preset["source"] = p.source;
                j["presets"].push_back(preset);
            }
            list.push_back(j);
        }
        nlohmann::ordered_json doc;
        doc["format"] = "cdx-templates";
        doc["version"] = 1;
        doc["templates"] = list;
        std::cout << formatJson(doc, 4);
        return 0;
    }
    for (const auto* t : acceleratorTemplates()) {
        const TemplateInfo& info = t->info();
        std::cout << info.name << ": " << info.summary << "\n"
                  << "  model: " << info.model << "\n"
                  << "  non-MAC layers: " << info.nonMacLayers << "\n"
                  << "  output stage (fused into MAC layers): " << info.outputStage.describe() << "\n"
                  << "  datapath: " << datapathName(info) << "\n";
        std::string exploits;
        for (const auto& e : exploitsList(info.exploits))
            exploits += (exploits.empty() ? "" : ", ") + e;
        std::cout << "  compression it exploits: channel, group and block-diagonal pruning (smaller layers)"
                  << (exploits.empty() ? std::string() : ", " + exploits) << "\n";
        TextTable table({{"  parameter"}, {"type"}, {"range"}, {"default", TextTable::Align::Right}, {"unit"}, {"meaning", TextTable::Align::Left, 70}});
        for (const auto& p : info.params)
            table.addRow({"  " + p.name, paramTypeName(p.type), rangeText(p), p.defaultValue.dump(), p.unit, p.description});
        std::cout << table.render();
        for (const auto& p : info.presets) {
            std::cout << "  preset " << p.name << ": " << p.description << "\n";
            if (!p.params.empty())
                std::cout << "    params:   " << p.params.dump() << "\n";
            if (!p.platform.empty())
                std::cout << "    platform: " << p.platform.dump() << "\n";
            std::cout << "    source:   " << p.source << "\n";
        }
        std::cout << "\n";
    }
    return 0;
}

}  // namespace

Command addTemplatesCommand(CLI::App& app)
{
    auto* parser = app.add_subcommand("templates", "List the accelerator templates, their parameters and presets");
    auto json = std::make_shared<bool>(false);
    parser->add_flag("--json", *json, "Machine-readable output (\"cdx-templates\") on stdout");
    return {parser, [json] { return listTemplates(*json); }};
}

}  // namespace cdx::cli
