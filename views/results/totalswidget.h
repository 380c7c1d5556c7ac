#pragma once

#include <QWidget>

#include <map>

class QLabel;
class QGridLayout;

namespace cdx {

class AccuracyMeasurement;
class Document;

/// The totals of the document's latest estimate: latency, energy, power, throughput, TOPS/W,
/// utilisation, area or FPGA utilisation, accuracy, compression; and the estimate's state.
/// The accuracy drop says where it comes from: the estimate's proxy or table, or a measurement
/// when one was made for the current compression plan.
class TotalsWidget : public QWidget {
    Q_OBJECT

public:
    explicit TotalsWidget(Document* document, QWidget* parent = nullptr);

    /// Shows `measurement`'s report in the accuracy tile while it applies (null: estimates only).
    void setAccuracyMeasurement(AccuracyMeasurement* measurement);

    /// The value text shown for a total ("latency", "energy", ...): for tests and screenshots.
    QString valueText(const QString& key) const;
    /// The line under the accuracy drop: "estimated: proxy", "measured: 0.06 pp (top-1 …)".
    QString accuracySourceText() const;

private:
    void refresh();
    void setValue(const QString& key, const QString& text, const QString& toolTip = {});
    void refreshAccuracy();

    Document* document_;
    QGridLayout* grid_;
    QLabel* status_;
    QLabel* accuracySource_;
    AccuracyMeasurement* measurement_ = nullptr;
    std::map<QString, QLabel*> values_;
};

}  // namespace cdx
