#include "views/results/resultspanel.h"

#include "estimators/results/networkresult.h"
#include "views/charts/areachart.h"
#include "views/charts/energybreakdownchart.h"
#include "views/charts/latencychart.h"
#include "views/charts/rooflinechart.h"
#include "views/document/document.h"
#include "views/results/totalswidget.h"

#include <QCheckBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace cdx {

ResultsPanel::ResultsPanel(Document* document, QWidget* parent)
    : QWidget(parent), document_(document), totals_(new TotalsWidget(document, this)), tabs_(new QTabWidget(this))
{
    charts_ = {new EnergyBreakdownChart(this), new LatencyChart(this), new AreaChart(this), new RooflineChart(this)};
    stale_.assign(charts_.size(), true);
    const QString titles[] = {tr("Energy by component"), tr("Latency and bound"), tr("Area / resources"), tr("Roofline")};
    for (std::size_t i = 0; i < charts_.size(); ++i) {
        if (i == Area) {
            // The area tab: the chart under a switch between its two groupings.
            auto* page = new QWidget(this);
            auto* column = new QVBoxLayout(page);
            column->setContentsMargins(0, 0, 0, 0);
            column->setSpacing(0);
            areaByKind_ = new QCheckBox(tr("Group by what it is built of (logic, SRAM, registers, overheads)"), page);
            areaByKind_->setToolTip(tr("One row per kind of silicon, each stacked by its components, instead of one row per component"));
            column->addWidget(areaByKind_);
            column->addWidget(charts_[i], 1);
            tabs_->addTab(page, titles[i]);
            connect(areaByKind_, &QCheckBox::toggled, this, [this](bool on) { static_cast<AreaChart*>(charts_[Area])->setGroupedByKind(on); });
        } else {
            tabs_->addTab(charts_[i], titles[i]);
        }
        connect(charts_[i], &ChartView::layerClicked, this, &ResultsPanel::layerClicked);
    }
    tabs_->setDocumentMode(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(totals_);
    layout->addWidget(tabs_, 1);
    connect(tabs_, &QTabWidget::currentChanged, this, &ResultsPanel::refreshChart);
    connect(document_, &Document::resultChanged, this, &ResultsPanel::refresh);
    refresh();
}

const char* ResultsPanel::chartName(Chart which)
{
    switch (which) {
    case Energy: return "energy";
    case Latency: return "latency";
    case Area: return "area";
    case Roofline: return "roofline";
    case ChartCount: break;
    }
    return "";
}

ChartView* ResultsPanel::currentChart() const
{
    return charts_[static_cast<std::size_t>(std::max(0, tabs_->currentIndex()))];
}

void ResultsPanel::showChart(Chart which)
{
    tabs_->setCurrentIndex(which);
    refreshChart(which);
}

void ResultsPanel::setAreaGroupedByKind(bool grouped)
{
    areaByKind_->setChecked(grouped);
}

void ResultsPanel::setDark(bool dark)
{
    for (ChartView* chart : charts_)
        chart->setDark(dark);
}

void ResultsPanel::setSelectedLayer(const QString& layer)
{
    selectedLayer_ = layer;
    currentChart()->setSelectedLayer(layer);
}

void ResultsPanel::refresh()
{
    stale_.assign(charts_.size(), true);
    refreshChart(tabs_->currentIndex());
}

void ResultsPanel::refreshChart(int which)
{
    if (which < 0 || static_cast<std::size_t>(which) >= charts_.size() || !stale_[static_cast<std::size_t>(which)])
        return;
    const auto result = document_->result();
    if (!result)
        return;  // the charts keep the last estimate while the next one runs or after a failure
    ChartView* chart = charts_[static_cast<std::size_t>(which)];
    chart->setResult(result);
    chart->setSelectedLayer(selectedLayer_);
    stale_[static_cast<std::size_t>(which)] = false;
}

}  // namespace cdx
