#include "views/validate/validationpanel.h"

#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cdx {

namespace {

QString percent(double pct)
{
    return QStringLiteral("%1%2%").arg(pct > 0 ? QStringLiteral("+") : QString()).arg(pct, 0, 'f', 2);
}

QTableWidgetItem* cell(const QString& text, bool right = false)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (right)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

ValidationPanel::ValidationPanel(QWidget* parent)
    : QWidget(parent),
      status_(new QLabel(tr("Validate a design point (Explore menu) to check its estimate on the RTL processing element."))),
      progress_(new QProgressBar),
      cancel_(new QPushButton(tr("Cancel"))),
      table_(new QTableWidget(0, 10))
{
    status_->setWordWrap(true);
    progress_->setVisible(false);
    cancel_->setVisible(false);
    table_->setHorizontalHeaderLabels({tr("Workload"), tr("PE"), tr("Tile"), tr("RTL cycles"), tr("Predicted"), tr("Error"),
                                       tr("Layer estimate"), tr("vs layer"), tr("Mismatches"), tr("Toggle rate")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table_->horizontalHeader()->setStretchLastSection(false);
    table_->verticalHeader()->setVisible(false);
    table_->setAlternatingRowColors(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    auto* top = new QHBoxLayout;
    top->addWidget(status_, 1);
    top->addWidget(progress_);
    top->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(table_, 1);
    connect(cancel_, &QPushButton::clicked, this, &ValidationPanel::cancel);
}

ValidationPanel::~ValidationPanel() = default;

bool ValidationPanel::isRunning() const
{
    return job_.isRunning();
}

void ValidationPanel::cancel()
{
    job_.cancel();
}

void ValidationPanel::waitForFinished()
{
    job_.waitForFinished();
    // The report is posted to this thread: deliver it.
    QCoreApplication::sendPostedEvents(this);
    QCoreApplication::processEvents();
}

void ValidationPanel::validate(const Project& project, std::shared_ptr<const Network> network, const QString& layer)
{
    if (!network) {
        job_.abandon();
        showError(tr("No network to validate."));
        return;
    }
    progress_->setRange(0, 0);
    progress_->setVisible(true);
    cancel_->setVisible(true);
    status_->setText(layer.isEmpty() ? tr("Validating every MAC layer on the RTL PE…") : tr("Validating %1 on the RTL PE…").arg(layer));
    job_.start([this, project, network, layer = layer.toStdString()](BackgroundJob::Run& run) {
        ValidationOptions options;
        options.layer = layer;
        options.cancel = run.cancelFlag();
        options.onProgress = [this, &run](int done, int total) {
            run.post([this, done, total] {
                progress_->setRange(0, total);
                progress_->setValue(done);
            });
        };
        auto shared = std::make_shared<Result<ValidationReport>>(validateProject(project, *network, options));
        run.post([this, shared] {
            progress_->setVisible(false);
            cancel_->setVisible(false);
            if (!shared->ok())
                showError(QString::fromStdString(shared->error().describe()));
            else
                showReport(shared->value());
        });
    });
}

void ValidationPanel::showError(const QString& message)
{
    progress_->setVisible(false);
    cancel_->setVisible(false);
    status_->setText(tr("Validation failed: %1").arg(message));
    emit finished(false, status_->text());
}

void ValidationPanel::showReport(const ValidationReport& report)
{
    report_ = report;
    table_->setRowCount(0);
    const QColor bad(220, 60, 60, 70);
    for (const LayerValidation& v : report.layers) {
        if (v.workload.empty())
            continue;
        const int row = table_->rowCount();
        table_->insertRow(row);
        table_->setItem(row, 0, cell(QString::fromStdString(v.workload)));
        if (!v.skipped.empty()) {
            table_->setItem(row, 1, cell(tr("skipped")));
            auto* reason = cell(QString::fromStdString(v.skipped));
            reason->setToolTip(reason->text());
            table_->setItem(row, 2, reason);
            continue;
        }
        QString pe = QStringLiteral("%1 ×%2 w%3 a%4").arg(QString::fromUtf8(peModeName(v.pe.mode))).arg(v.pe.lanes).arg(v.pe.weightBits).arg(v.pe.activationBits);
        auto* peItem = cell(pe);
        peItem->setToolTip(QString::fromStdString(v.pe.origin));
        table_->setItem(row, 1, peItem);
        auto* tile = cell(QString::fromStdString(v.tile));
        tile->setToolTip(QString::fromStdString(v.weightsNote));
        table_->setItem(row, 2, tile);
        table_->setItem(row, 3, cell(QLocale().toString(static_cast<qlonglong>(v.rtlCycles)), true));
        table_->setItem(row, 4, cell(QLocale().toString(static_cast<qlonglong>(v.predictedCycles)), true));
        table_->setItem(row, 5, cell(percent(v.cycleErrorPct), true));
        table_->setItem(row, 6, cell(v.layerTileCycles > 0 ? QLocale().toString(v.layerTileCycles, 'f', 0) : QString(), true));
        table_->setItem(row, 7, cell(v.layerTileCycles > 0 ? percent(v.layerErrorPct) : QString(), true));
        auto* mismatches = cell(QString::number(v.mismatches), true);
        if (!v.firstMismatch.empty())
            mismatches->setToolTip(QString::fromStdString(v.firstMismatch));
        table_->setItem(row, 8, mismatches);
        auto* toggles = cell(QString::number(v.toggleRate, 'f', 3), true);
        toggles->setToolTip(tr("Bit flips per multiplier-input bit; the energy model assumes %1").arg(v.assumedToggleRate));
        table_->setItem(row, 9, toggles);
        if (!v.passed)
            for (int c = 0; c < table_->columnCount(); ++c)
                if (auto* item = table_->item(row, c))
                    item->setBackground(bad);
    }
    table_->resizeColumnsToContents();
    const QString summary = tr("%1: %2 validated, %3 failed, %4 skipped; %5 cycles simulated in %6 s — %7")
                                .arg(QString::fromStdString(report.project))
                                .arg(report.validated)
                                .arg(report.failed)
                                .arg(report.skipped)
                                .arg(QLocale().toString(static_cast<qulonglong>(report.simulatedCycles)))
                                .arg(report.seconds, 0, 'f', 2)
                                .arg(report.cancelled ? tr("cancelled") : report.passed() ? tr("passed") : tr("FAILED"));
    status_->setText(summary);
    emit finished(report.passed(), summary);
}

}  // namespace cdx
