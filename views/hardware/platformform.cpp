#include "views/hardware/platformform.h"

#include "views/hardware/wheelforwarding.h"

#include "estimators/tech/fpgalibrary.h"
#include "estimators/tech/techlibrary.h"
#include "estimators/tech/techscaling.h"

#include <QAbstractScrollArea>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPalette>
#include <QRegularExpression>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <vector>

namespace cdx {

namespace {

/// The order keys take in a block the form writes (others follow in their own order).
const char* const kKeyOrder[] = {"kind", "node_nm", "vdd", "device", "clock_mhz", "dram", "dram_bandwidth_gbs"};

constexpr double kAsicClockMhz = 1000;  // PlatformSpec's defaults
constexpr double kFpgaClockMhz = 200;
constexpr double kAsicNodeNm = 45;
constexpr const char* kDefaultDram = "lpddr4";

/// A double spin box that leaves out trailing zeros ("214 MHz", not "214.00 MHz").
class CompactDoubleSpinBox : public QDoubleSpinBox {
public:
    using QDoubleSpinBox::QDoubleSpinBox;

    QString textFromValue(double value) const override
    {
        QString text = locale().toString(value, 'f', decimals());
        text.remove(locale().groupSeparator());
        const QString point = locale().decimalPoint();
        if (text.contains(point)) {
            while (text.endsWith(QLatin1Char('0')))
                text.chop(1);
            if (text.endsWith(point))
                text.chop(point.size());
        }
        return text;
    }
};

const TechLibrary* techTables()
{
    static const std::optional<TechLibrary> tables = []() -> std::optional<TechLibrary> {
        auto loaded = TechLibrary::load();
        if (!loaded)
            return std::nullopt;
        return std::move(loaded).value();
    }();
    return tables ? &*tables : nullptr;
}

const FpgaLibrary* fpgaTables()
{
    static const std::optional<FpgaLibrary> tables = []() -> std::optional<FpgaLibrary> {
        auto loaded = FpgaLibrary::load();
        if (!loaded)
            return std::nullopt;
        return std::move(loaded).value();
    }();
    return tables ? &*tables : nullptr;
}

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

std::string lowercase(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// A whole number as a JSON integer ("node_nm": 65, not 65.0).
nlohmann::ordered_json number(double x)
{
    if (std::isfinite(x) && std::floor(x) == x && std::fabs(x) < 1e15)
        return static_cast<std::int64_t>(x);
    return x;
}

double numberAt(const nlohmann::ordered_json& block, const char* key, double fallback)
{
    if (block.is_object() && block.contains(key) && block.at(key).is_number())
        return block.at(key).get<double>();
    return fallback;
}

std::string stringAt(const nlohmann::ordered_json& block, const char* key)
{
    if (block.is_object() && block.contains(key) && block.at(key).is_string())
        return block.at(key).get<std::string>();
    return {};
}

QString nodeText(double nodeNm)
{
    return QStringLiteral("%1 nm").arg(QString::number(nodeNm, 'g', 6));
}

QString count(long long n)
{
    QLocale locale;
    return locale.toString(n);
}

QString deviceDetails(const FpgaDevice& d)
{
    QStringList parts;
    parts << QCoreApplication::translate("cdx::PlatformForm", "%1 LUTs").arg(count(d.lut))
          << QCoreApplication::translate("cdx::PlatformForm", "%1 DSPs").arg(count(d.dsp));
    if (d.m20k > 0)
        parts << QCoreApplication::translate("cdx::PlatformForm", "%1 M20K").arg(count(d.m20k));
    else
        parts << QCoreApplication::translate("cdx::PlatformForm", "%1 BRAM36").arg(count(d.bram18 / 2));
    if (d.uram > 0)
        parts << QCoreApplication::translate("cdx::PlatformForm", "%1 URAM").arg(count(d.uram));
    return parts.join(QStringLiteral(" · "));
}

QString deviceToolTip(const FpgaDevice& d)
{
    QString vendor = fromStd(d.vendor);
    if (!vendor.isEmpty())
        vendor[0] = vendor[0].toUpper();
    return QCoreApplication::translate("cdx::PlatformForm", "%1: %2 %3\n%4 LUTs, %5 FFs, %6 DSP slices (%7), %8\nStatic power %9 W; "
                                                            "figures status %10")
        .arg(fromStd(d.name), vendor, fromStd(d.family), count(d.lut), count(d.ff), count(d.dsp), fromStd(d.dspKind),
             d.m20k > 0 ? QCoreApplication::translate("cdx::PlatformForm", "%1 M20K blocks").arg(count(d.m20k))
                        : QCoreApplication::translate("cdx::PlatformForm", "%1 BRAM18 blocks").arg(count(d.bram18)),
             QString::number(d.staticW, 'g', 3), fromStd(d.status));
}

/// The block with `key` set, keys in the order the form writes them.
nlohmann::ordered_json withKey(const nlohmann::ordered_json& block, const std::string& key, const nlohmann::ordered_json& value)
{
    nlohmann::ordered_json updated = block;
    if (value.is_null()) {
        updated.erase(key);
        return updated;
    }
    if (updated.contains(key)) {
        updated[key] = value;
        return updated;
    }
    updated[key] = value;
    nlohmann::ordered_json ordered = nlohmann::ordered_json::object();
    for (const char* k : kKeyOrder)
        if (updated.contains(k))
            ordered[k] = updated.at(k);
    for (auto it = updated.begin(); it != updated.end(); ++it)
        if (!ordered.contains(it.key()))
            ordered[it.key()] = it.value();
    return ordered;
}

}  // namespace

double PlatformForm::nominalVddAt(double nodeNm)
{
    const TechLibrary* tech = techTables();
    return tech ? nominalVdd(*tech, nodeNm) : 0.0;
}

PlatformForm::PlatformForm(QWidget* parent)
    : QWidget(parent),
      form_(new QFormLayout(this)),
      kind_(new QComboBox(this)),
      node_(new QComboBox(this)),
      vdd_(new CompactDoubleSpinBox(this)),
      device_(new QComboBox(this)),
      deviceInfo_(new QLabel(this)),
      clock_(new CompactDoubleSpinBox(this)),
      dram_(new QComboBox(this)),
      bandwidth_(new CompactDoubleSpinBox(this))
{
    form_->setContentsMargins(0, 0, 0, 0);
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form_->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    kind_->setObjectName(QStringLiteral("kind"));
    kind_->addItem(tr("ASIC"), QStringLiteral("asic"));
    kind_->setItemData(0, tr("A chip at a process node of the technology tables"), Qt::ToolTipRole);
    kind_->addItem(tr("FPGA"), QStringLiteral("fpga"));
    kind_->setItemData(1, tr("A device of the FPGA tables"), Qt::ToolTipRole);
    kind_->setToolTip(tr("What the design is built on"));

    node_->setObjectName(QStringLiteral("node_nm"));
    node_->setEditable(true);
    node_->setInsertPolicy(QComboBox::NoInsert);
    node_->setCompleter(nullptr);
    node_->setToolTip(tr("Process node: one of the technology tables' nodes, or any node from %1 to %2 nm (interpolated between them)")
                          .arg(kMinNodeNm)
                          .arg(kMaxNodeNm));

    vdd_->setObjectName(QStringLiteral("vdd"));
    vdd_->setDecimals(3);
    vdd_->setSingleStep(0.05);
    vdd_->setRange(kMinVdd - 0.01, kMaxVdd);
    vdd_->setSuffix(QStringLiteral(" V"));

    device_->setObjectName(QStringLiteral("device"));
    device_->setToolTip(tr("The FPGA device (resources/tech/fpga.json)"));
    deviceInfo_->setObjectName(QStringLiteral("deviceInfo"));
    deviceInfo_->setWordWrap(true);
    QPalette muted = deviceInfo_->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    deviceInfo_->setPalette(muted);
    if (const FpgaLibrary* fpga = fpgaTables()) {
        std::vector<const FpgaDevice*> devices;
        for (const auto& [name, d] : fpga->devices)
            devices.push_back(&d);
        std::stable_sort(devices.begin(), devices.end(), [](const FpgaDevice* a, const FpgaDevice* b) {
            return a->vendor != b->vendor ? a->vendor > b->vendor : a->lut < b->lut;  // Xilinx first, small to large
        });
        for (const FpgaDevice* d : devices) {
            device_->addItem(QStringLiteral("%1 (%2)").arg(fromStd(d->name), fromStd(d->family)), fromStd(d->name));
            device_->setItemData(device_->count() - 1, deviceToolTip(*d), Qt::ToolTipRole);
        }
    }

    clock_->setObjectName(QStringLiteral("clock_mhz"));
    clock_->setDecimals(3);
    clock_->setRange(1, 100000);
    clock_->setSingleStep(10);
    clock_->setSuffix(QStringLiteral(" MHz"));
    clock_->setToolTip(tr("Clock frequency (1 to 100000 MHz)"));

    dram_->setObjectName(QStringLiteral("dram"));
    dram_->setToolTip(tr("Off-chip memory type: its energy per bit from the technology tables"));
    if (const TechLibrary* tech = techTables())
        for (const auto& [name, pj] : tech->dramPjPerBit) {
            dram_->addItem(fromStd(name), fromStd(name));
            dram_->setItemData(dram_->count() - 1, tr("%1 pJ/bit").arg(pj), Qt::ToolTipRole);
        }

    bandwidth_->setObjectName(QStringLiteral("dram_bandwidth_gbs"));
    bandwidth_->setDecimals(3);
    bandwidth_->setRange(0, 100000);
    bandwidth_->setSingleStep(1);
    bandwidth_->setSuffix(QStringLiteral(" GB/s"));
    bandwidth_->setSpecialValueText(tr("template's default"));
    bandwidth_->setToolTip(tr("Off-chip bandwidth; at 0 the template's dram_bandwidth_gbs parameter applies"));

    for (QWidget* w : {static_cast<QWidget*>(kind_), static_cast<QWidget*>(node_), static_cast<QWidget*>(vdd_),
                       static_cast<QWidget*>(device_), static_cast<QWidget*>(clock_), static_cast<QWidget*>(dram_),
                       static_cast<QWidget*>(bandwidth_)}) {
        w->setFocusPolicy(Qt::StrongFocus);
        w->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        w->installEventFilter(this);
    }

    form_->addRow(tr("Kind"), kind_);
    form_->addRow(tr("Node"), node_);
    form_->addRow(tr("Vdd"), vdd_);
    form_->addRow(tr("Device"), device_);
    form_->addRow(QString(), deviceInfo_);
    form_->addRow(tr("Clock"), clock_);
    form_->addRow(tr("DRAM"), dram_);
    form_->addRow(tr("DRAM bandwidth"), bandwidth_);

    connect(kind_, &QComboBox::activated, this, &PlatformForm::chooseKind);
    connect(node_, &QComboBox::activated, this, [this] { commitNode(); });
    connect(node_->lineEdit(), &QLineEdit::editingFinished, this, [this] { commitNode(); });
    connect(vdd_, &QDoubleSpinBox::editingFinished, this, [this] {
        if (vdd_->value() <= vdd_->minimum())
            edit("vdd", nullptr);
        else
            edit("vdd", number(std::round(vdd_->value() * 1000) / 1000));
    });
    connect(device_, &QComboBox::activated, this, [this](int index) {
        const QVariant name = device_->itemData(index);
        if (name.isValid())
            edit("device", name.toString().toStdString());
    });
    connect(clock_, &QDoubleSpinBox::editingFinished, this, [this] { edit("clock_mhz", number(clock_->value())); });
    connect(dram_, &QComboBox::activated, this, [this](int index) {
        const QVariant name = dram_->itemData(index);
        if (name.isValid())
            edit("dram", name.toString().toStdString());
    });
    connect(bandwidth_, &QDoubleSpinBox::editingFinished, this, [this] {
        edit("dram_bandwidth_gbs", bandwidth_->value() <= 0 ? nlohmann::ordered_json() : number(bandwidth_->value()));
    });

    setPlatform(nlohmann::ordered_json::object());
}

bool PlatformForm::isFpga() const
{
    return lowercase(stringAt(block_, "kind")) == "fpga";
}

void PlatformForm::setPlatform(const nlohmann::ordered_json& effective)
{
    if (effective.is_object() && effective.contains("kind"))
        block_ = effective;
    else
        block_ = nlohmann::ordered_json{{"kind", "asic"}, {"node_nm", number(kAsicNodeNm)}, {"clock_mhz", number(kAsicClockMhz)}, {"dram", kDefaultDram}};
    const bool fpga = isFpga();
    const QSignalBlocker blockKind(kind_), blockNode(node_), blockVdd(vdd_), blockDevice(device_), blockClock(clock_),
        blockDram(dram_), blockBandwidth(bandwidth_);
    kind_->setCurrentIndex(fpga ? 1 : 0);
    const double node = numberAt(block_, "node_nm", kAsicNodeNm);
    fillNodes(node);
    updateVddRange(node);
    vdd_->setValue(block_.contains("vdd") ? numberAt(block_, "vdd", vdd_->minimum()) : vdd_->minimum());
    fillDevice(stringAt(block_, "device"));
    clock_->setValue(numberAt(block_, "clock_mhz", fpga ? kFpgaClockMhz : kAsicClockMhz));
    fillDram(block_.contains("dram") ? stringAt(block_, "dram") : std::string(kDefaultDram));
    bandwidth_->setValue(numberAt(block_, "dram_bandwidth_gbs", 0));
    showKind(fpga);
}

void PlatformForm::showKind(bool fpga)
{
    form_->setRowVisible(node_, !fpga);
    form_->setRowVisible(vdd_, !fpga);
    form_->setRowVisible(device_, fpga);
    form_->setRowVisible(deviceInfo_, fpga && !deviceInfo_->text().isEmpty());
}

void PlatformForm::fillNodes(double nodeNm)
{
    node_->clear();
    std::vector<double> nodes;
    if (const TechLibrary* tech = techTables())
        for (const auto& [n, vdd] : tech->nominalVdd)
            nodes.push_back(n);
    const QString extra = nodeNm < kMinNodeNm || nodeNm > kMaxNodeNm ? tr("%1 (outside the tables)").arg(nodeText(nodeNm))
                                                                       : tr("%1 (interpolated)").arg(nodeText(nodeNm));
    bool listed = false;
    for (double n : nodes) {
        if (!listed && nodeNm < n) {
            node_->addItem(extra, nodeNm);
            listed = true;
        }
        if (n == nodeNm)
            listed = true;
        node_->addItem(nodeText(n), n);
        node_->setItemData(node_->count() - 1, tr("nominal %1 V").arg(nominalVddAt(n)), Qt::ToolTipRole);
    }
    if (!listed)
        node_->addItem(extra, nodeNm);
    const int index = node_->findData(nodeNm);
    node_->setCurrentIndex(index);
    node_->setEditText(node_->itemText(index));
}

void PlatformForm::updateVddRange(double nodeNm)
{
    const TechLibrary* tech = techTables();
    if (!tech)
        return;
    const auto [low, high] = vddRange(*tech, nodeNm);
    vdd_->setSpecialValueText(tr("nominal (%1 V)").arg(QString::number(nominalVdd(*tech, nodeNm), 'g', 3)));
    vdd_->setToolTip(tr("Supply voltage: the %1 fit covers %2 to %3 V. At the bottom of the range: the node's nominal voltage.")
                         .arg(nodeText(nodeNm), QString::number(low, 'g', 3), QString::number(high, 'g', 3)));
}

void PlatformForm::fillDevice(const std::string& name)
{
    const std::string wanted = lowercase(name);
    while (device_->count() > 0 && !device_->itemData(device_->count() - 1).isValid())
        device_->removeItem(device_->count() - 1);
    int index = device_->findData(fromStd(wanted));
    if (index < 0 && !wanted.empty()) {
        device_->addItem(tr("%1 (unknown)").arg(fromStd(name)));
        index = device_->count() - 1;
    }
    device_->setCurrentIndex(index);
    deviceInfo_->clear();
    if (const FpgaLibrary* fpga = fpgaTables()) {
        const auto found = fpga->devices.find(wanted);
        if (found != fpga->devices.end()) {
            deviceInfo_->setText(deviceDetails(found->second));
            deviceInfo_->setToolTip(deviceToolTip(found->second));
        }
    }
}

void PlatformForm::fillDram(const std::string& name)
{
    const std::string wanted = lowercase(name);
    while (dram_->count() > 0 && !dram_->itemData(dram_->count() - 1).isValid())
        dram_->removeItem(dram_->count() - 1);
    int index = dram_->findData(fromStd(wanted));
    if (index < 0) {
        dram_->addItem(tr("%1 (unknown)").arg(fromStd(name)));
        index = dram_->count() - 1;
    }
    dram_->setCurrentIndex(index);
}

void PlatformForm::edit(const char* key, const nlohmann::ordered_json& value)
{
    const nlohmann::ordered_json updated = withKey(block_, key, value);
    if (updated == block_)
        return;
    setPlatform(updated);
    emit platformEdited(updated);
}

void PlatformForm::chooseKind(int index)
{
    const QString kind = kind_->itemData(index).toString();
    if (kind.toStdString() == lowercase(stringAt(block_, "kind")))
        return;
    nlohmann::ordered_json updated = nlohmann::ordered_json::object();
    updated["kind"] = kind.toStdString();
    if (kind == QStringLiteral("fpga")) {
        // The smallest common board (PYNQ-Z1/Z2, ZedBoard) unless the tables lack it.
        const bool known = device_->findData(QStringLiteral("xc7z020")) >= 0 || device_->count() == 0;
        updated["device"] = known ? std::string("xc7z020") : device_->itemData(0).toString().toStdString();
        updated["clock_mhz"] = number(kFpgaClockMhz);
    } else {
        updated["node_nm"] = number(kAsicNodeNm);
        updated["clock_mhz"] = number(kAsicClockMhz);
    }
    updated["dram"] = block_.contains("dram") ? block_.at("dram") : nlohmann::ordered_json(kDefaultDram);
    if (block_.contains("dram_bandwidth_gbs"))
        updated["dram_bandwidth_gbs"] = block_.at("dram_bandwidth_gbs");
    setPlatform(updated);
    emit platformEdited(updated);
}

void PlatformForm::commitNode()
{
    static const QRegularExpression leadingNumber(QStringLiteral("^\\s*(\\d+(?:[.,]\\d+)?)"));
    const QRegularExpressionMatch match = leadingNumber.match(node_->currentText());
    bool ok = false;
    const double node = match.hasMatch() ? match.captured(1).replace(QLatin1Char(','), QLatin1Char('.')).toDouble(&ok) : 0.0;
    const double current = numberAt(block_, "node_nm", kAsicNodeNm);
    if (!ok || node < kMinNodeNm || node > kMaxNodeNm) {
        // Not a node the tables cover: show the current one again.
        const QSignalBlocker blocker(node_);
        fillNodes(current);
        return;
    }
    if (node == current) {
        const QSignalBlocker blocker(node_);
        node_->setEditText(node_->itemText(node_->currentIndex()));
        return;
    }
    edit("node_nm", number(node));
}

bool PlatformForm::eventFilter(QObject* watched, QEvent* event)
{
    return forwardUnfocusedWheel(this, watched, event) || QWidget::eventFilter(watched, event);
}

}  // namespace cdx
