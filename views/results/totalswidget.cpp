#include "views/results/totalswidget.h"

#include "estimators/results/networkresult.h"
#include "views/accuracy/accuracymeasurement.h"
#include "views/document/document.h"
#include "views/results/units.h"

#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace cdx {

namespace {

struct Total {
    const char* key;
    const char* label;
};

constexpr Total kTotals[] = {
    {"latency", "Latency"},       {"interval", "Interval"},      {"energy", "Energy / inference"},
    {"power", "Power"},           {"throughput", "Throughput"}, {"efficiency", "Efficiency"},
    {"utilization", "Utilization"}, {"area", "Area"},           {"accuracy", "Accuracy drop"},
    {"compression", "Weights"},
};

}  // namespace

TotalsWidget::TotalsWidget(Document* document, QWidget* parent)
    : QWidget(parent), document_(document), grid_(new QGridLayout), status_(new QLabel(this)), accuracySource_(new QLabel(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    QFont valueFont = font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.25);
    valueFont.setBold(true);
    const int columns = 5;
    int i = 0;
    for (const Total& t : kTotals) {
        auto* label = new QLabel(tr(t.label), this);
        label->setForegroundRole(QPalette::PlaceholderText);
        auto* value = new QLabel(QStringLiteral("–"), this);
        value->setFont(valueFont);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        const int row = (i / columns) * 2;
        const int column = i % columns;
        grid_->addWidget(label, row, column);
        grid_->addWidget(value, row + 1, column);
        values_[QString::fromLatin1(t.key)] = value;
        if (QLatin1String(t.key) == QLatin1String("accuracy")) {
            // Where the drop comes from, under it; two columns wide, as a measurement says more.
            accuracySource_->setForegroundRole(QPalette::PlaceholderText);
            accuracySource_->setWordWrap(true);
            accuracySource_->setTextInteractionFlags(Qt::TextSelectableByMouse);
            accuracySource_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
            grid_->addWidget(accuracySource_, row + 2, column, 1, columns - column);
        }
        ++i;
    }
    grid_->setHorizontalSpacing(18);
    layout->addLayout(grid_);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(status_);
    connect(document_, &Document::resultChanged, this, &TotalsWidget::refresh);
    connect(document_, &Document::estimateStarted, this, [this] {
        if (!document_->result())
            status_->setText(tr("Estimating…"));
    });
    refresh();
}

void TotalsWidget::setAccuracyMeasurement(AccuracyMeasurement* measurement)
{
    if (measurement_)
        measurement_->disconnect(this);
    measurement_ = measurement;
    if (measurement_)
        connect(measurement_, &AccuracyMeasurement::reportChanged, this, &TotalsWidget::refreshAccuracy);
    refreshAccuracy();
}

QString TotalsWidget::accuracySourceText() const
{
    return accuracySource_->text();
}

QString TotalsWidget::valueText(const QString& key) const
{
    const auto it = values_.find(key);
    return it == values_.end() ? QString() : it->second->text();
}

void TotalsWidget::setValue(const QString& key, const QString& text, const QString& toolTip)
{
    QLabel* label = values_.at(key);
    label->setText(text);
    label->setToolTip(toolTip);
}

void TotalsWidget::refresh()
{
    const auto r = document_->result();
    if (!r) {
        for (auto& [key, label] : values_)
            label->setText(QStringLiteral("–"));
        const QString error = document_->estimateError();
        status_->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("color: #c62828"));
        status_->setText(error.isEmpty() ? tr("No estimate yet") : error);
        refreshAccuracy();
        return;
    }
    setValue(QStringLiteral("latency"), units::seconds(r->latencyS), tr("%L1 cycles at %2").arg(r->cycles).arg(units::hertz(r->clockHz)));
    setValue(QStringLiteral("interval"), r->pipelined ? units::seconds(r->intervalS) : tr("= latency"),
             tr("Time between inferences (the slowest stage of a pipeline)"));
    setValue(QStringLiteral("energy"), units::joules(r->energyPj * 1e-12));
    // Both scopes side by side: papers quote a chip's core power, without its DRAM accesses.
    QString parts;
    for (const auto& [name, watts] : r->corePowerBreakdownW)
        parts += tr("<br>%1: %2").arg(QString::fromStdString(name).toHtmlEscaped(), units::watts(watts));
    setValue(QStringLiteral("power"), tr("%1 (core %2)").arg(units::watts(r->powerW), units::watts(r->corePowerW)),
             tr("With the DRAM accesses %1; the chip alone (core) %2%3").arg(units::watts(r->powerW), units::watts(r->corePowerW), parts));
    setValue(QStringLiteral("throughput"), units::ops(r->effectiveOpsPerS),
             tr("Executed, of %1 peak; dense-equivalent %2").arg(units::ops(r->peakOpsPerS), units::ops(r->opsPerS)));
    setValue(QStringLiteral("efficiency"), tr("%1 TOPS/W").arg(r->topsPerW, 0, 'g', 3));
    setValue(QStringLiteral("utilization"), QStringLiteral("%1 %").arg(r->utilization * 100, 0, 'f', 1));
    if (r->fpga) {
        const auto& u = r->fpgaUsage;
        auto share = [](double used, double available) { return available > 0 ? used / available * 100 : 0.0; };
        setValue(QStringLiteral("area"),
                 tr("DSP %1 %  BRAM %2 %").arg(share(u.used.dsp, u.available.dsp), 0, 'f', 0).arg(share(u.used.bram36, u.available.bram36), 0, 'f', 0),
                 tr("%1: LUT %L2 of %L3, FF %L4 of %L5, DSP %L6 of %L7, BRAM36 %L8 of %L9")
                     .arg(QString::fromStdString(u.device))
                     .arg(qRound64(u.used.lut)).arg(qRound64(u.available.lut))
                     .arg(qRound64(u.used.ff)).arg(qRound64(u.available.ff))
                     .arg(qRound64(u.used.dsp)).arg(qRound64(u.available.dsp))
                     .arg(u.used.bram36, 0, 'f', 1).arg(qRound64(u.available.bram36)));
    } else {
        setValue(QStringLiteral("area"), QStringLiteral("%1 mm²").arg(r->areaMm2, 0, 'g', 4));
    }
    refreshAccuracy();
    setValue(QStringLiteral("compression"), QStringLiteral("%1×").arg(r->weightCompressionRatio, 0, 'g', 3),
             tr("32-bit dense weights over the stored weight bits"));
    status_->setStyleSheet({});
    status_->setText(tr("%1 on %2 · %3 warnings · estimated in %4 ms")
                         .arg(QString::fromStdString(r->design), QString::fromStdString(r->platform))
                         .arg(r->warnings.size())
                         .arg(document_->lastEstimateMs(), 0, 'f', 1));
}

void TotalsWidget::refreshAccuracy()
{
    const auto r = document_->result();
    const auto measured = measurement_ ? measurement_->currentReport() : nullptr;
    const QString estimate = r ? tr("The estimate (%1) says %2 pp.").arg(QString::fromStdString(r->accuracySource)).arg(r->accuracyDropPp, 0, 'f', 2)
                               : QString();
    if (measured) {
        const QString value = measured->metric == AccuracyMetric::Sqnr ? QStringLiteral("%1 dB").arg(measured->compressedMetric, 0, 'f', 1)
                                                                        : QStringLiteral("%1 pp").arg(measured->dropPp, 0, 'f', 2);
        setValue(QStringLiteral("accuracy"), value,
                 tr("Measured with %1 on %2 for the current compression plan. %3")
                     .arg(QString::fromStdString(measured->runtime), QString::fromStdString(measured->dataset), estimate));
        accuracySource_->setText(AccuracyMeasurement::describe(*measured));
        accuracySource_->setToolTip(values_.at(QStringLiteral("accuracy"))->toolTip());
        return;
    }
    if (!r) {
        setValue(QStringLiteral("accuracy"), QStringLiteral("–"));
        accuracySource_->clear();
        accuracySource_->setToolTip({});
        return;
    }
    QString toolTip = tr("Percentage points, from the %1").arg(QString::fromStdString(r->accuracySource));
    if (measurement_ && measurement_->lastReport())
        toolTip += tr("; the last measurement was for another compression plan");
    setValue(QStringLiteral("accuracy"), QStringLiteral("%1 pp").arg(r->accuracyDropPp, 0, 'f', 2), toolTip);
    accuracySource_->setText(tr("estimated: %1").arg(QString::fromStdString(r->accuracySource)));
    accuracySource_->setToolTip(toolTip);
}

}  // namespace cdx
