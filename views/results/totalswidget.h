#pragma once

#include <QWidget>

#include <map>

class QLabel;
class QGridLayout;

namespace cdx {

class Document;

/// The totals of the document's latest estimate: latency, energy, power, throughput, TOPS/W,
/// utilisation, area or FPGA utilisation, accuracy, compression; and the estimate's state.
class TotalsWidget : public QWidget {
    Q_OBJECT

public:
    explicit TotalsWidget(Document* document, QWidget* parent = nullptr);

    /// The value text shown for a total ("latency", "energy", ...): for tests and screenshots.
    QString valueText(const QString& key) const;

private:
    void refresh();
    void setValue(const QString& key, const QString& text, const QString& toolTip = {});

    Document* document_;
    QGridLayout* grid_;
    QLabel* status_;
    std::map<QString, QLabel*> values_;
};

}  // namespace cdx
