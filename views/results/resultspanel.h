#pragma once

#include <QWidget>

#include <vector>

class QCheckBox;
class QTabWidget;

namespace cdx {

class ChartView;
class Document;
class TotalsWidget;

/// The results of the document's estimate: the totals above tabs of charts (energy by component
/// per layer, latency per layer with its bound, area or FPGA resources, roofline). Only the
/// visible chart redraws on a new result; the others catch up when shown.
class ResultsPanel : public QWidget {
    Q_OBJECT

public:
    enum Chart { Energy, Latency, Area, Roofline, ChartCount };

    explicit ResultsPanel(Document* document, QWidget* parent = nullptr);

    TotalsWidget* totals() const { return totals_; }
    ChartView* chart(Chart which) const { return charts_[static_cast<std::size_t>(which)]; }
    ChartView* currentChart() const;
    void showChart(Chart which);
    /// "energy", "latency", "area", "roofline" for --screenshot --panel.
    static const char* chartName(Chart which);
    void setDark(bool dark);
    /// The area chart's rows: by what the components are built of, or one per component.
    void setAreaGroupedByKind(bool grouped);

public slots:
    void setSelectedLayer(const QString& layer);

signals:
    void layerClicked(const QString& layer);

private:
    void refresh();
    void refreshChart(int which);

    Document* document_;
    TotalsWidget* totals_;
    QTabWidget* tabs_;
    QCheckBox* areaByKind_ = nullptr;
    std::vector<ChartView*> charts_;
    std::vector<bool> stale_;
    QString selectedLayer_;
};

}  // namespace cdx
