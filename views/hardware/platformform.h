#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;

namespace cdx {

/// An editor for a project's "platform" block (PlatformSpec): ASIC or FPGA; for an ASIC the
/// node (the technology tables' nodes, or any between them), Vdd and clock; for an FPGA the
/// device of the FPGA tables and the clock; for both the DRAM type and its bandwidth. The form
/// never edits anything itself: every change is a whole new block for its owner.
class PlatformForm : public QWidget {
    Q_OBJECT

public:
    explicit PlatformForm(QWidget* parent = nullptr);

    /// Shows an effective platform block (the preset's patched by the project's). An empty
    /// block shows the defaults of an ASIC. Emits nothing.
    void setPlatform(const nlohmann::ordered_json& effective);
    /// The block shown, with the changes emitted since setPlatform.
    const nlohmann::ordered_json& platform() const { return block_; }

    /// The nominal supply voltage of an ASIC node, from the built-in technology tables.
    static double nominalVddAt(double nodeNm);

    QComboBox* kindCombo() const { return kind_; }
    QComboBox* nodeCombo() const { return node_; }
    QDoubleSpinBox* vddSpin() const { return vdd_; }
    QDoubleSpinBox* clockSpin() const { return clock_; }
    QComboBox* deviceCombo() const { return device_; }
    QComboBox* dramCombo() const { return dram_; }
    QDoubleSpinBox* bandwidthSpin() const { return bandwidth_; }

signals:
    /// The user changed the platform: the whole new block (keys the form does not edit kept).
    void platformEdited(const nlohmann::ordered_json& newPlatformBlock);

protected:
    /// Keeps the mouse wheel from changing an editor that does not have the focus.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    bool isFpga() const;
    void showKind(bool fpga);
    void fillNodes(double nodeNm);
    void fillDevice(const std::string& name);
    void fillDram(const std::string& name);
    void updateVddRange(double nodeNm);
    /// Emits the block with `key` set to `value` (removed when null), if that changes it.
    void edit(const char* key, const nlohmann::ordered_json& value);
    void chooseKind(int index);
    void commitNode();

    QFormLayout* form_;
    QComboBox* kind_;
    QComboBox* node_;
    QDoubleSpinBox* vdd_;
    QComboBox* device_;
    QLabel* deviceInfo_;
    QDoubleSpinBox* clock_;
    QComboBox* dram_;
    QDoubleSpinBox* bandwidth_;
    nlohmann::ordered_json block_ = nlohmann::ordered_json::object();
};

}  // namespace cdx
