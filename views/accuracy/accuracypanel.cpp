#include "views/accuracy/accuracypanel.h"

#include "views/accuracy/accuracymeasurement.h"
#include "views/accuracy/layeraccuracymodel.h"
#include "views/charts/chartstyle.h"
#include "views/charts/sensitivitychart.h"
#include "views/document/document.h"

#include "core/compression/sensitivitytable.h"

#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace cdx {

namespace {

/// The file the project's compression.sensitivity names, against the project's folder; empty
/// when it names none. (A malformed block is the validation panel's to report.)
QString sensitivityFile(const Document& document)
{
    const auto& block = document.project().compression;
    const auto it = block.find("sensitivity");
    if (it == block.end() || !it->is_string() || it->get<std::string>().empty())
        return {};
    const QString path = QString::fromStdString(it->get<std::string>());
    if (QFileInfo(path).isRelative() && !document.filePath().isEmpty())
        return QFileInfo(document.filePath()).dir().filePath(path);
    return path;
}

}  // namespace

AccuracyPanel::AccuracyPanel(AccuracyMeasurement* measurement, QWidget* parent)
    : QWidget(parent),
      measurement_(measurement),
      model_(new LayerAccuracyModel(this)),
      status_(new QLabel),
      progress_(new QProgressBar),
      measure_(new QPushButton(tr("Measure"))),
      cancel_(new QPushButton(tr("Cancel"))),
      table_(new QTableView),
      sensitivity_(new SensitivityChart),
      tabs_(new QTabWidget)
{
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    progress_->setRange(0, 1000);
    progress_->setFormat(QStringLiteral("%p %"));
    progress_->setVisible(false);
    cancel_->setVisible(false);
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model_);
    proxy->setSortRole(LayerAccuracyModel::SortRole);
    table_->setModel(proxy);
    table_->setSortingEnabled(true);
    table_->sortByColumn(-1, Qt::AscendingOrder);  // the network's order until the user sorts
    table_->verticalHeader()->setVisible(false);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setAlternatingRowColors(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* top = new QHBoxLayout;
    top->addWidget(status_, 1);
    top->addWidget(progress_);
    top->addWidget(measure_);
    top->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    tabs_->setDocumentMode(true);
    tabs_->addTab(table_, tr("Layers"));
    tabs_->addTab(sensitivity_, tr("Sensitivity"));
    layout->addWidget(tabs_, 1);
    sensitivity_->setDark(chartstyle::isDark(palette()));

    connect(measure_, &QPushButton::clicked, measurement_, &AccuracyMeasurement::start);
    connect(cancel_, &QPushButton::clicked, measurement_, &AccuracyMeasurement::cancel);
    connect(measurement_, &AccuracyMeasurement::availabilityChanged, this, &AccuracyPanel::refreshButtons);
    connect(measurement_, &AccuracyMeasurement::reportChanged, this, &AccuracyPanel::showReport);
    connect(measurement_, &AccuracyMeasurement::finished, this, &AccuracyPanel::showFinished);
    connect(measurement_, &AccuracyMeasurement::started, this, [this] {
        status_->setStyleSheet({});
        status_->setText(tr("Measuring: the float and the compressed network on the project's data, with ONNX Runtime…"));
    });
    connect(measurement_, &AccuracyMeasurement::progressChanged, this,
            [this](double share) { progress_->setValue(static_cast<int>(share * 1000)); });
    Document* document = measurement_->document();
    connect(document, &Document::projectChanged, this, &AccuracyPanel::showSensitivity);
    connect(document, &Document::filePathChanged, this, &AccuracyPanel::showSensitivity);
    // The table is written outside the studio (cdx accuracy --sensitivity): look again on showing it.
    connect(tabs_, &QTabWidget::currentChanged, this, &AccuracyPanel::showSensitivity);
    refreshButtons();
    showReport();
    showSensitivity();
}

void AccuracyPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        sensitivity_->setDark(chartstyle::isDark(palette()));
    QWidget::changeEvent(event);
}

void AccuracyPanel::showSensitivity()
{
    const QString path = sensitivityFile(*measurement_->document());
    const QFileInfo info(path);
    const QString key = path.isEmpty() ? QString()
                                       : path + QLatin1Char('|') + info.lastModified().toString(Qt::ISODateWithMs) + QLatin1Char('|') +
                                             QString::number(info.size());
    if (sensitivityKey_ == key)
        return;
    sensitivityKey_ = key;
    if (path.isEmpty()) {
        sensitivity_->clearTable(tr("No sensitivity table: measure one with cdx accuracy PROJECT --sensitivity --out FILE.csv\n"
                                    "and name it in the compression block's \"sensitivity\""));
        return;
    }
    auto table = SensitivityTable::load(path.toStdString());
    if (!table) {
        sensitivity_->clearTable(QString::fromStdString(table.error().describe()));
        return;
    }
    sensitivity_->setTable(table.value());
    if (model_->rowCount() == 0)  // nothing measured to show on the layers' tab
        tabs_->setCurrentWidget(sensitivity_);
}

QString AccuracyPanel::statusText() const
{
    return status_->text();
}

void AccuracyPanel::refreshButtons()
{
    const bool running = measurement_->isRunning();
    const QString reason = measurement_->unavailableReason();
    measure_->setEnabled(!running && reason.isEmpty());
    measure_->setToolTip(running ? tr("A measurement is running") : reason.isEmpty() ? tr("Measure the accuracy of the current compression plan") : reason);
    progress_->setVisible(running);
    cancel_->setVisible(running);
    if (!running && !measurement_->lastReport())
        status_->setText(reason.isEmpty() ? tr("Measure runs the compressed network on the project's data with ONNX Runtime and "
                                               "compares it with the float network.")
                                          : reason);
}

void AccuracyPanel::showReport()
{
    const auto last = measurement_->lastReport();
    model_->setReport(last);
    table_->resizeColumnsToContents();
    if (!last || measurement_->isRunning())
        return;
    status_->setStyleSheet({});
    if (!measurement_->currentReport()) {
        status_->setText(tr("The last measurement was for another compression plan (%1); Measure again for this one.")
                             .arg(AccuracyMeasurement::describe(*last)));
        return;
    }
    status_->setText(tr("%1 · agreement %2 %, output SQNR %3 dB · %4 s, %5")
                         .arg(AccuracyMeasurement::describe(*last))
                         .arg(last->agreement, 0, 'f', 2)
                         .arg(last->outputSqnrDb, 0, 'f', 1)
                         .arg(last->seconds, 0, 'f', 1)
                         .arg(QString::fromStdString(last->runtime)));
}

void AccuracyPanel::showFinished(bool ok, bool cancelled, const QString& message)
{
    refreshButtons();
    if (ok) {
        showReport();
        return;
    }
    status_->setStyleSheet(cancelled ? QString() : QStringLiteral("color: #c62828"));
    status_->setText(cancelled ? message : tr("Measurement failed: %1").arg(message));
}

}  // namespace cdx
