#pragma once

#include <QStringList>
#include <QWidget>

#include <nlohmann/json.hpp>

#include <optional>
#include <utility>

class QComboBox;
class QGroupBox;
class QLabel;
class QScrollArea;

namespace cdx {

class ParamForm;
class PlatformForm;
struct PresetSpec;
struct TemplateInfo;

/// The hardware editor: the template and its preset, the template's parameters (defaults,
/// then the preset's, then the project's overrides, shown in bold) and the platform (the
/// preset's, patched by the project's). The panel never edits a project: it emits the new
/// "hardware" or "platform" block with a description for the undo stack, and its owner calls
/// setHardware again with the blocks it applied. Problems with the blocks (an unknown
/// template, preset, parameter or device, a value out of range) show in red under the
/// template's description.
class Document;

class HardwarePanel : public QWidget {
    Q_OBJECT

public:
    explicit HardwarePanel(QWidget* parent = nullptr);
    ~HardwarePanel() override;

    /// Shows `document`'s hardware and platform as they change (Document::blockChanged) and
    /// applies the panel's edits to it as undoable edits.
    void bind(Document* document);

    /// Shows a project's "hardware" and "platform" blocks. Emits nothing; does nothing when they
    /// are the blocks of the previous call (an edit of the compression, say).
    void setHardware(const nlohmann::ordered_json& hardwareBlock, const nlohmann::ordered_json& platformBlock);

    /// The blocks shown (as of setHardware, or the panel's latest edit).
    const nlohmann::ordered_json& hardwareBlock() const { return hardware_; }
    const nlohmann::ordered_json& platformBlock() const { return platform_; }
    /// Every parameter's value: the defaults, then the preset's, then the project's.
    const nlohmann::ordered_json& effectiveParams() const { return effectiveParams_; }
    /// The preset's platform patched by the project's (the project's alone when it names
    /// another kind); empty when neither names one.
    const nlohmann::ordered_json& effectivePlatform() const { return effectivePlatform_; }
    /// What is wrong with the blocks shown, one message each (empty when nothing is).
    const QStringList& problems() const { return problems_; }

    QComboBox* templateCombo() const { return template_; }
    QComboBox* presetCombo() const { return preset_; }
    QLabel* descriptionLabel() const { return description_; }
    ParamForm* paramForm() const { return params_; }
    PlatformForm* platformForm() const { return platformForm_; }

signals:
    /// The user changed the hardware: the whole new block and what changed ("Set pes to 32",
    /// "Template eyeriss", "Preset aristotle"). A new template drops the preset and the
    /// parameters; a new preset keeps the parameters the project sets.
    void hardwareEdited(const nlohmann::ordered_json& newHardwareBlock, const QString& description);
    /// The user changed the platform: the project's new platform block (only what differs
    /// from the preset's platform, plus the keys the project already set; the whole block when
    /// there is no preset platform or the kind changes) and what changed ("Set clock to 500 MHz").
    void platformEdited(const nlohmann::ordered_json& newPlatformBlock, const QString& description);

protected:
    /// Keeps the mouse wheel from changing an editor that does not have the focus.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void fillTemplates(const std::string& name);
    void fillPresets(const std::string& name);
    void showDescription();
    void chooseTemplate(int index);
    void choosePreset(int index);
    void editParam(const QString& name, const nlohmann::ordered_json& value);
    void editPlatform(const nlohmann::ordered_json& effective);
    void addProblem(const QString& message);

    QComboBox* template_;
    QComboBox* preset_;
    QLabel* description_;
    QGroupBox* paramsBox_;
    QScrollArea* scroll_;
    ParamForm* params_;
    QGroupBox* platformBox_;
    PlatformForm* platformForm_;
    int templateCount_ = 0;

    std::optional<std::pair<nlohmann::ordered_json, nlohmann::ordered_json>> applied_;  ///< setHardware's last blocks
    nlohmann::ordered_json hardware_ = nlohmann::ordered_json::object();
    nlohmann::ordered_json platform_ = nlohmann::ordered_json::object();
    nlohmann::ordered_json effectiveParams_ = nlohmann::ordered_json::object();
    nlohmann::ordered_json effectivePlatform_ = nlohmann::ordered_json::object();
    const TemplateInfo* info_ = nullptr;
    const PresetSpec* presetSpec_ = nullptr;
    const TemplateInfo* presetsOf_ = nullptr;  ///< whose presets the preset combo lists
    QStringList problems_;
    QStringList unknownParams_;  ///< the project's parameters the template does not have
};

}  // namespace cdx
