#include "views/hardware/hardwarepanel.h"

#include "views/document/document.h"

#include "views/hardware/wheelforwarding.h"

#include "estimators/estimate/hardwarespec.h"
#include "estimators/platform/platform.h"
#include "estimators/platform/platformspec.h"
#include "estimators/tech/fpgalibrary.h"
#include "estimators/tech/techlibrary.h"
#include "estimators/templates/acceleratortemplate.h"
#include "estimators/templates/templateinfo.h"
#include "views/hardware/paramform.h"
#include "views/hardware/platformform.h"

#include <QAbstractScrollArea>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <memory>

namespace cdx {

namespace {

/// The order of the keys of a hardware block the panel writes (others follow in their order).
const char* const kHardwareKeys[] = {"template", "preset", "params", "mapper"};
/// The platform keys in the order a description looks at them.
const char* const kPlatformKeys[] = {"kind", "node_nm", "vdd", "device", "clock_mhz", "dram", "dram_bandwidth_gbs"};

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

std::string stringAt(const nlohmann::ordered_json& block, const char* key)
{
    if (block.is_object() && block.contains(key) && block.at(key).is_string())
        return block.at(key).get<std::string>();
    return {};
}

/// A value as a user reads it: strings without quotes, numbers without a trailing ".0".
QString valueText(const nlohmann::ordered_json& value)
{
    if (value.is_string())
        return fromStd(value.get<std::string>());
    if (value.is_number_float())
        return QString::number(value.get<double>(), 'g', 12);
    return fromStd(value.dump());
}

nlohmann::ordered_json reordered(const nlohmann::ordered_json& block)
{
    nlohmann::ordered_json ordered = nlohmann::ordered_json::object();
    for (const char* k : kHardwareKeys)
        if (block.contains(k))
            ordered[k] = block.at(k);
    for (auto it = block.begin(); it != block.end(); ++it)
        if (!ordered.contains(it.key()))
            ordered[it.key()] = it.value();
    return ordered;
}

std::shared_ptr<const TechLibrary> techTables()
{
    static const std::shared_ptr<const TechLibrary> tables = []() -> std::shared_ptr<const TechLibrary> {
        auto loaded = TechLibrary::load();
        return loaded ? std::make_shared<const TechLibrary>(std::move(loaded).value()) : nullptr;
    }();
    return tables;
}

std::shared_ptr<const FpgaLibrary> fpgaTables()
{
    static const std::shared_ptr<const FpgaLibrary> tables = []() -> std::shared_ptr<const FpgaLibrary> {
        auto loaded = FpgaLibrary::load();
        return loaded ? std::make_shared<const FpgaLibrary>(std::move(loaded).value()) : nullptr;
    }();
    return tables;
}

/// What changed between two platform blocks, for the undo stack.
QString describePlatformEdit(const nlohmann::ordered_json& before, const nlohmann::ordered_json& after)
{
    if (stringAt(before, "kind") != stringAt(after, "kind"))
        return HardwarePanel::tr("Platform %1").arg(fromStd(stringAt(after, "kind")).toUpper());
    for (const char* key : kPlatformKeys) {
        const bool had = before.contains(key), has = after.contains(key);
        if (had == has && (!has || before.at(key) == after.at(key)))
            continue;
        const std::string k = key;
        const QString value = has ? valueText(after.at(key)) : QString();
        if (k == "node_nm")
            return HardwarePanel::tr("Set node to %1 nm").arg(value);
        if (k == "vdd")
            return has ? HardwarePanel::tr("Set Vdd to %1 V").arg(value) : HardwarePanel::tr("Use the nominal Vdd");
        if (k == "device")
            return HardwarePanel::tr("Set device to %1").arg(value);
        if (k == "clock_mhz")
            return HardwarePanel::tr("Set clock to %1 MHz").arg(value);
        if (k == "dram")
            return HardwarePanel::tr("Set DRAM to %1").arg(value);
        if (k == "dram_bandwidth_gbs")
            return has ? HardwarePanel::tr("Set DRAM bandwidth to %1 GB/s").arg(value)
                       : HardwarePanel::tr("Use the template's DRAM bandwidth");
    }
    return HardwarePanel::tr("Edit platform");
}

/// A scroll area at least as wide as its form (narrower, the form would clip its editors),
/// scrolling vertically only.
class FormScrollArea : public QScrollArea {
public:
    using QScrollArea::QScrollArea;

    QSize minimumSizeHint() const override
    {
        QSize size = QScrollArea::minimumSizeHint();
        if (const QWidget* form = widget())
            size.setWidth(std::max(size.width(), form->minimumSizeHint().width() + verticalScrollBar()->sizeHint().width() +
                                                     2 * frameWidth()));
        return size;
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == widget() && event->type() == QEvent::LayoutRequest)
            updateGeometry();  // the form's rows changed: so may the width it needs
        return QScrollArea::eventFilter(watched, event);
    }
};

}  // namespace

HardwarePanel::HardwarePanel(QWidget* parent)
    : QWidget(parent),
      template_(new QComboBox(this)),
      preset_(new QComboBox(this)),
      description_(new QLabel(this)),
      paramsBox_(new QGroupBox(tr("Parameters"), this)),
      scroll_(new FormScrollArea(paramsBox_)),
      params_(new ParamForm),
      platformBox_(new QGroupBox(tr("Platform"), this)),
      platformForm_(new PlatformForm(platformBox_))
{
    setObjectName(QStringLiteral("hardwarePanel"));
    template_->setObjectName(QStringLiteral("template"));
    template_->setPlaceholderText(tr("(choose a template)"));
    template_->setToolTip(tr("The accelerator template (cdx templates lists them)"));
    for (const AcceleratorTemplate* t : acceleratorTemplates()) {
        const TemplateInfo& info = t->info();
        template_->addItem(fromStd(info.name), fromStd(info.name));
        template_->setItemData(template_->count() - 1, fromStd(info.summary), Qt::ToolTipRole);
    }
    templateCount_ = template_->count();
    preset_->setObjectName(QStringLiteral("preset"));
    preset_->setToolTip(tr("A published configuration of the template: its parameters and platform"));
    for (QComboBox* combo : {template_, preset_}) {
        combo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        combo->setFocusPolicy(Qt::StrongFocus);
        combo->installEventFilter(this);
    }

    description_->setObjectName(QStringLiteral("description"));
    description_->setWordWrap(true);
    description_->setTextFormat(Qt::RichText);
    description_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    description_->setOpenExternalLinks(false);
    description_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);

    auto* top = new QFormLayout;
    top->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    top->addRow(tr("Template"), template_);
    top->addRow(tr("Preset"), preset_);

    params_->setObjectName(QStringLiteral("params"));
    scroll_->setWidget(params_);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    paramsBox_->setToolTip(tr("Bold: set by the project; ↺ removes the project's value"));
    auto* paramsLayout = new QVBoxLayout(paramsBox_);
    paramsLayout->setContentsMargins(6, 6, 6, 6);
    paramsLayout->addWidget(scroll_);

    platformForm_->setObjectName(QStringLiteral("platform"));
    auto* platformLayout = new QVBoxLayout(platformBox_);
    platformLayout->setContentsMargins(6, 6, 6, 6);
    platformLayout->addWidget(platformForm_);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(description_);
    layout->addWidget(paramsBox_, 1);
    layout->addWidget(platformBox_);

    connect(template_, &QComboBox::activated, this, &HardwarePanel::chooseTemplate);
    connect(preset_, &QComboBox::activated, this, &HardwarePanel::choosePreset);
    connect(params_, &ParamForm::paramEdited, this, &HardwarePanel::editParam);
    connect(platformForm_, &PlatformForm::platformEdited, this, &HardwarePanel::editPlatform);
    connect(description_, &QLabel::linkActivated, this, [this](const QString& link) {
        const QString prefix = QStringLiteral("remove:");
        if (link.startsWith(prefix))
            editParam(link.mid(prefix.size()), nlohmann::ordered_json());
    });

    setHardware(nlohmann::ordered_json::object(), nlohmann::ordered_json::object());
}

HardwarePanel::~HardwarePanel() = default;

void HardwarePanel::bind(Document* document)
{
    const auto show = [this, document] { setHardware(document->project().hardware, document->project().platform); };
    connect(document, &Document::blockChanged, this, [show](Document::Block block) {
        if (block == Document::Block::Hardware || block == Document::Block::Platform)
            show();
    });
    connect(this, &HardwarePanel::hardwareEdited, document, [document](const nlohmann::ordered_json& block, const QString& what) {
        document->setBlock(Document::Block::Hardware, block, what);
    });
    connect(this, &HardwarePanel::platformEdited, document, [document](const nlohmann::ordered_json& block, const QString& what) {
        document->setBlock(Document::Block::Platform, block, what);
    });
    show();
}

void HardwarePanel::addProblem(const QString& message)
{
    if (!message.isEmpty() && !problems_.contains(message))
        problems_ << message;
}

void HardwarePanel::setHardware(const nlohmann::ordered_json& hardwareBlock, const nlohmann::ordered_json& platformBlock)
{
    // Rebuilding the forms costs more than the estimate of most edits.
    if (applied_ && applied_->first == hardwareBlock && applied_->second == platformBlock)
        return;
    applied_.emplace(hardwareBlock, platformBlock);
    hardware_ = hardwareBlock.is_object() ? hardwareBlock : nlohmann::ordered_json::object();
    platform_ = platformBlock.is_object() ? platformBlock : nlohmann::ordered_json::object();
    problems_.clear();
    unknownParams_.clear();
    info_ = nullptr;
    presetSpec_ = nullptr;

    if (!hardwareBlock.is_null() && !hardwareBlock.is_object())
        addProblem(tr("/hardware: must be an object"));
    if (!platformBlock.is_null() && !platformBlock.is_object())
        addProblem(tr("/platform: must be an object"));
    const std::string templateName = stringAt(hardware_, "template");
    if (templateName.empty()) {
        addProblem(tr("The project names no hardware template: choose one."));
    } else if (auto spec = HardwareSpec::fromJson(hardware_, {}); !spec) {
        addProblem(fromStd(spec.error().describe()));
    }
    if (!templateName.empty()) {
        if (auto found = findAcceleratorTemplate(templateName))
            info_ = &found.value()->info();
        else
            addProblem(QStringLiteral("/hardware/template: ") + fromStd(found.error().message));
    }
    const std::string presetName = stringAt(hardware_, "preset");
    if (info_ && !presetName.empty()) {
        presetSpec_ = info_->preset(presetName);
        if (!presetSpec_) {
            QStringList names;
            for (const auto& p : info_->presets)
                names << fromStd(p.name);
            addProblem(names.isEmpty() ? tr("/hardware/preset: template %1 has no presets, not even \"%2\"")
                                             .arg(fromStd(info_->name), fromStd(presetName))
                                       : tr("/hardware/preset: template %1 has no preset \"%2\"; its presets: %3")
                                             .arg(fromStd(info_->name), fromStd(presetName), names.join(QStringLiteral(", "))));
        }
    }

    fillTemplates(templateName);
    fillPresets(presetName);

    // Parameters: the defaults, then the preset's, then the project's.
    const nlohmann::ordered_json overrides =
        hardware_.contains("params") && hardware_.at("params").is_object() ? hardware_.at("params") : nlohmann::ordered_json::object();
    effectiveParams_ = nlohmann::ordered_json::object();
    if (info_) {
        for (const ParamSpec& p : info_->params)
            effectiveParams_[p.name] = nlohmann::ordered_json(p.defaultValue);
        if (presetSpec_ && presetSpec_->params.is_object())
            for (auto it = presetSpec_->params.begin(); it != presetSpec_->params.end(); ++it)
                effectiveParams_[it.key()] = it.value();
        for (auto it = overrides.begin(); it != overrides.end(); ++it) {
            effectiveParams_[it.key()] = it.value();
            if (!info_->param(it.key()))
                unknownParams_ << fromStd(it.key());
        }
        if (auto resolved = TemplateParams::resolve(*info_, presetSpec_, overrides, {}); !resolved)
            addProblem(fromStd(resolved.error().describe()));
        params_->setSpecs(info_->params);
    } else {
        params_->setSpecs({});
    }
    params_->setValues(effectiveParams_, overrides);
    paramsBox_->setEnabled(info_ != nullptr);

    // Platform: the preset's, patched by the project's.
    effectivePlatform_ = cdx::effectivePlatform(presetSpec_, platform_);
    platformForm_->setPlatform(effectivePlatform_);
    if (effectivePlatform_.empty()) {
        addProblem(tr("/platform: the project names no platform and its hardware has no preset that does; "
                      "the form shows an ASIC's defaults"));
    } else if (auto spec = PlatformSpec::fromJson(effectivePlatform_, {}); !spec) {
        addProblem(fromStd(spec.error().describe()));
    } else if (techTables() && fpgaTables()) {
        if (auto platform = Platform::create(spec.value(), techTables(), fpgaTables()); !platform)
            addProblem(fromStd(platform.error().describe()));
    }
    showDescription();
}

void HardwarePanel::fillTemplates(const std::string& name)
{
    const QSignalBlocker blocker(template_);
    while (template_->count() > templateCount_)
        template_->removeItem(template_->count() - 1);
    int index = info_ ? template_->findData(fromStd(info_->name)) : -1;
    if (index < 0 && !name.empty()) {
        template_->addItem(tr("%1 (unknown)").arg(fromStd(name)));
        index = template_->count() - 1;
    }
    template_->setCurrentIndex(index);
}

void HardwarePanel::fillPresets(const std::string& name)
{
    const QSignalBlocker blocker(preset_);
    if (presetsOf_ != info_ || preset_->count() == 0) {
        preset_->clear();
        preset_->addItem(tr("(none)"), QString());
        preset_->setItemData(0, tr("The template's defaults, and the project's platform"), Qt::ToolTipRole);
        if (info_)
            for (const PresetSpec& p : info_->presets) {
                preset_->addItem(fromStd(p.name), fromStd(p.name));
                QString tip = fromStd(p.description);
                if (!p.source.empty())
                    tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + tr("Source: %1").arg(fromStd(p.source));
                preset_->setItemData(preset_->count() - 1, tip, Qt::ToolTipRole);
            }
        presetsOf_ = info_;
    }
    while (preset_->count() > 1 && !preset_->itemData(preset_->count() - 1).isValid())
        preset_->removeItem(preset_->count() - 1);
    int index = preset_->findData(fromStd(name));
    if (index < 0) {
        preset_->addItem(tr("%1 (unknown)").arg(fromStd(name)));
        index = preset_->count() - 1;
    }
    preset_->setCurrentIndex(index);
    preset_->setToolTip(presetSpec_ ? preset_->itemData(index, Qt::ToolTipRole).toString()
                                    : tr("A published configuration of the template: its parameters and platform"));
    preset_->setEnabled(info_ != nullptr);
}

void HardwarePanel::showDescription()
{
    QString html;
    if (info_)
        html = fromStd(info_->summary).toHtmlEscaped();
    for (const QString& problem : problems_) {
        if (!html.isEmpty())
            html += QStringLiteral("<br>");
        html += QStringLiteral("<span style=\"color:#c62828;\">%1</span>").arg(problem.toHtmlEscaped());
    }
    for (const QString& name : unknownParams_) {
        if (!html.isEmpty())
            html += QStringLiteral("<br>");
        html += QStringLiteral("<a href=\"remove:%1\">%2</a>").arg(name.toHtmlEscaped(), tr("Remove the project's parameter %1").arg(name).toHtmlEscaped());
    }
    description_->setText(html);
    QString tip;
    if (info_) {
        tip = tr("Model: %1").arg(fromStd(info_->model));
        if (!info_->nonMacLayers.empty())
            tip += QLatin1Char('\n') + tr("Non-MAC layers: %1").arg(fromStd(info_->nonMacLayers));
        if (presetSpec_ && !presetSpec_->description.empty())
            tip += QLatin1Char('\n') + tr("Preset %1: %2").arg(fromStd(presetSpec_->name), fromStd(presetSpec_->description));
    }
    description_->setToolTip(tip);
}

void HardwarePanel::chooseTemplate(int index)
{
    const QVariant item = template_->itemData(index);
    if (!item.isValid())
        return;  // the project's unknown template
    const std::string name = item.toString().toStdString();
    if (info_ && info_->name == name && stringAt(hardware_, "template") == name)
        return;
    nlohmann::ordered_json block = nlohmann::ordered_json::object();
    block["template"] = name;
    if (hardware_.contains("mapper"))
        block["mapper"] = hardware_.at("mapper");  // how the mapper searches is not the template's
    setHardware(block, platform_);
    emit hardwareEdited(block, tr("Template %1").arg(fromStd(name)));
}

void HardwarePanel::choosePreset(int index)
{
    const QVariant item = preset_->itemData(index);
    if (!item.isValid() || !info_)
        return;  // the project's unknown preset
    const std::string name = item.toString().toStdString();
    if (name == stringAt(hardware_, "preset") && (!name.empty() || !hardware_.contains("preset")))
        return;
    nlohmann::ordered_json block = hardware_;
    if (name.empty())
        block.erase("preset");
    else
        block["preset"] = name;
    block = reordered(block);
    setHardware(block, platform_);
    emit hardwareEdited(block, name.empty() ? tr("No preset") : tr("Preset %1").arg(fromStd(name)));
}

void HardwarePanel::editParam(const QString& name, const nlohmann::ordered_json& value)
{
    if (!info_)
        return;
    nlohmann::ordered_json block = hardware_;
    const bool hadParams = block.contains("params") && block.at("params").is_object();
    nlohmann::ordered_json params = hadParams ? block.at("params") : nlohmann::ordered_json::object();
    const std::string key = name.toStdString();
    if (value.is_null()) {
        if (!params.contains(key))
            return;
        params.erase(key);
    } else {
        if (params.contains(key) && params.at(key) == value)
            return;
        params[key] = value;
    }
    if (params.empty() && !hadParams)
        block.erase("params");
    else
        block["params"] = params;
    block = reordered(block);
    setHardware(block, platform_);
    emit hardwareEdited(block, value.is_null() ? tr("Reset %1").arg(name) : tr("Set %1 to %2").arg(name, valueText(value)));
}

void HardwarePanel::editPlatform(const nlohmann::ordered_json& effective)
{
    const nlohmann::ordered_json before = effectivePlatform_;
    const nlohmann::ordered_json base =
        presetSpec_ && presetSpec_->platform.is_object() ? presetSpec_->platform : nlohmann::ordered_json::object();
    nlohmann::ordered_json block;
    if (base.empty() || stringAt(effective, "kind") != stringAt(base, "kind") || stringAt(effective, "kind") != stringAt(before, "kind")) {
        block = effective;  // nothing to patch: the whole block
    } else {
        // Patch the preset's platform: the keys that differ from it, and those the project set.
        block = nlohmann::ordered_json::object();
        for (auto it = effective.begin(); it != effective.end(); ++it)
            if (platform_.contains(it.key()) || !base.contains(it.key()) || base.at(it.key()) != it.value())
                block[it.key()] = it.value();
        if (base.contains("vdd") && !effective.contains("vdd")) {
            // A patch cannot remove the preset's Vdd: write the node's nominal one.
            const double node = effective.contains("node_nm") && effective.at("node_nm").is_number() ? effective.at("node_nm").get<double>() : 45.0;
            block["vdd"] = std::round(PlatformForm::nominalVddAt(node) * 1000) / 1000;
        }
        if (block == platform_)
            return;
    }
    const QString description = describePlatformEdit(before, effective);
    setHardware(hardware_, block);
    emit platformEdited(block, description);
}

bool HardwarePanel::eventFilter(QObject* watched, QEvent* event)
{
    return forwardUnfocusedWheel(this, watched, event) || QWidget::eventFilter(watched, event);
}

}  // namespace cdx
