#include "views/explore/explorepanel.h"

#include "core/explore/explorefiles.h"
// oneTBB (through the evaluator) declares a function named emit, which Qt defines as a macro.
#pragma push_macro("emit")
#undef emit
#include "estimators/explore/networkmetrics.h"
#pragma pop_macro("emit")
#include "estimators/explore/spacecheck.h"
#include "views/charts/chartstyle.h"
#include "views/charts/metricaxes.h"
#include "views/charts/paretochart.h"
#include "views/document/document.h"
#include "views/results/units.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QCursor>
#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QThread>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>

namespace cdx {

namespace {

constexpr int kRefreshIntervalMs = 100;  ///< at most ~10 chart updates a second while a search runs

QString axisValueText(const nlohmann::ordered_json& value)
{
    const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    return QString::fromStdString(text);
}

QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

/// Whether two spaces have the same axes (names and values): a genome of one is a genome of the other.
bool sameAxes(const DesignSpace& a, const DesignSpace& b)
{
    if (a.axes().size() != b.axes().size())
        return false;
    for (std::size_t i = 0; i < a.axes().size(); ++i)
        if (a.axes()[i].name != b.axes()[i].name || a.axes()[i].values != b.axes()[i].values)
            return false;
    return true;
}

bool validGenome(const DesignSpace& space, const Genome& genome)
{
    if (genome.size() != space.axes().size())
        return false;
    for (std::size_t i = 0; i < genome.size(); ++i)
        if (genome[i] < 0 || static_cast<std::size_t>(genome[i]) >= space.axes()[i].values.size())
            return false;
    return true;
}

}  // namespace

ExplorePanel::ExplorePanel(QWidget* parent)
    : QWidget(parent),
      refreshTimer_(new QTimer(this)),
      xCombo_(new QComboBox(this)),
      yCombo_(new QComboBox(this)),
      logBox_(new QCheckBox(tr("log"), this)),
      runButton_(new QPushButton(tr("Run"), this)),
      cancelButton_(new QPushButton(tr("Cancel"), this)),
      progress_(new QProgressBar(this)),
      status_(new QLabel(this)),
      stack_(new QStackedWidget(this)),
      placeholder_(new QLabel(this)),
      chart_(new ParetoChart(this))
{
    for (std::size_t i = 0; i < kMetricCount; ++i) {
        const auto metric = static_cast<Metric>(i);
        const QString key = QString::fromUtf8(metricName(metric).data(), static_cast<qsizetype>(metricName(metric).size()));
        for (QComboBox* combo : {xCombo_, yCombo_}) {
            combo->addItem(metricLabel(metric), static_cast<int>(i));
            combo->setItemData(combo->count() - 1, key, Qt::ToolTipRole);
        }
    }
    xCombo_->setToolTip(tr("The metric on the horizontal axis"));
    yCombo_->setToolTip(tr("The metric on the vertical axis"));
    xCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    yCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    logBox_->setToolTip(tr("Logarithmic axes (for an axis whose values span at least a factor of ten)"));
    runButton_->setToolTip(tr("Search the project's design space on every core"));
    cancelButton_->setToolTip(tr("Stop the search after its current batch"));
    progress_->setTextVisible(true);
    progress_->setMaximumWidth(160);
    progress_->setMinimumWidth(90);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat(QString());  // no "0%" before the first run
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setMinimumWidth(120);
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setMargin(24);
    placeholder_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* bar = new QHBoxLayout();
    bar->setContentsMargins(4, 4, 4, 0);
    bar->addWidget(new QLabel(tr("X"), this));
    bar->addWidget(xCombo_);
    bar->addWidget(new QLabel(tr("Y"), this));
    bar->addWidget(yCombo_);
    bar->addWidget(logBox_);
    bar->addSpacing(8);
    bar->addWidget(runButton_);
    bar->addWidget(cancelButton_);
    bar->addWidget(progress_);
    bar->addWidget(status_, 1);

    stack_->addWidget(placeholder_);
    stack_->addWidget(chart_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(stack_, 1);

    chart_->setDark(chartstyle::isDark(palette()));
    refreshTimer_->setSingleShot(true);
    connect(refreshTimer_, &QTimer::timeout, this, &ExplorePanel::refreshChart);
    connect(runButton_, &QPushButton::clicked, this, &ExplorePanel::run);
    connect(cancelButton_, &QPushButton::clicked, this, &ExplorePanel::cancel);
    auto axesChanged = [this] {
        if (!userLog_)
            autoLog();
        refreshAxes();
    };
    connect(xCombo_, &QComboBox::currentIndexChanged, this, axesChanged);
    connect(yCombo_, &QComboBox::currentIndexChanged, this, axesChanged);
    connect(logBox_, &QCheckBox::toggled, this, [this] {
        if (!settingLog_)
            userLog_ = true;
        refreshAxes();
    });
    connect(chart_, &ParetoChart::pointHovered, this, &ExplorePanel::onHovered);
    connect(chart_, &ParetoChart::pointClicked, this, &ExplorePanel::onClicked);

    chooseDefaultAxes();
    spaceProblem_ = tr("No project loaded.");
    showPlaceholder(spaceProblem_);
    setStatus(spaceProblem_);
    updateControls();
}

// The search posts to the runner until it returns: the runner (the last member, so destroyed
// first) cancels it and waits. Its posted batches die with the runner.
ExplorePanel::~ExplorePanel() = default;

void ExplorePanel::bind(Document* document)
{
    const auto follow = [this, document] { setProject(document->project(), document->network()); };
    connect(document, &Document::projectChanged, this, follow);
    connect(document, &Document::resultChanged, this, [this, document] {
        const auto r = document->result();
        setCurrentMetrics(r ? std::optional<MetricValues>(networkMetrics(*r)) : std::nullopt);
    });
    connect(this, &ExplorePanel::pointActivated, document, [document](const Project& point, const QString& description) {
        document->setDesign(point, tr("Load design point %1").arg(description));
    });
    follow();
}

void ExplorePanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        chart_->setDark(chartstyle::isDark(palette()));
    QWidget::changeEvent(event);
}

Metric ExplorePanel::xMetric() const
{
    return static_cast<Metric>(xCombo_->currentData().toInt());
}

Metric ExplorePanel::yMetric() const
{
    return static_cast<Metric>(yCombo_->currentData().toInt());
}

void ExplorePanel::setAxisMetrics(Metric x, Metric y)
{
    const QSignalBlocker blockX(xCombo_);
    const QSignalBlocker blockY(yCombo_);
    xCombo_->setCurrentIndex(static_cast<int>(x));
    yCombo_->setCurrentIndex(static_cast<int>(y));
    if (!userLog_)
        autoLog();
    refreshAxes();
}

QString ExplorePanel::statusText() const
{
    return status_->text();
}

void ExplorePanel::chooseDefaultAxes()
{
    Metric x = Metric::EnergyPj, y = Metric::LatencyS;
    if (space_ && space_->objectives().size() >= 2) {
        x = space_->objectives()[0].metric;
        y = space_->objectives()[1].metric;
    }
    const QSignalBlocker blockX(xCombo_);
    const QSignalBlocker blockY(yCombo_);
    xCombo_->setCurrentIndex(static_cast<int>(x));
    yCombo_->setCurrentIndex(static_cast<int>(y));
}

void ExplorePanel::setProject(const Project& project, std::shared_ptr<const Network> network)
{
    project_ = project;
    network_ = std::move(network);
    const QString previousProblem = spaceProblem_;
    space_.reset();
    spaceProblem_.clear();
    if (project_.explore.is_null() || project_.explore.empty()) {
        spaceProblem_ = tr("This project has no design space: add an \"explore\" block with \"axes\" and \"objectives\" to the "
                           "project to search it.");
    } else if (!network_) {
        spaceProblem_ = tr("The design space cannot be read without the project's network.");
    } else {
        try {
            auto space = DesignSpace::fromProject(project_, *network_);
            // A misspelt parameter or key would make every point infeasible: refused before a run.
            if (space) {
                if (auto misnamed = checkSpaceNames(project_, space.value()))
                    spaceProblem_ = tr("The design space is not valid: %1").arg(fromStd(misnamed->describe()));
                else
                    space_ = std::make_shared<const DesignSpace>(std::move(space.value()));
            } else
                spaceProblem_ = tr("The design space is not valid: %1").arg(fromStd(space.error().describe()));
        } catch (const std::exception& e) {
            spaceProblem_ = tr("The design space is not valid: %1").arg(QString::fromUtf8(e.what()));
        }
    }
    if (!spaceProblem_.isEmpty() && spaceProblem_ != previousProblem)
        emit message(spaceProblem_);

    // New objectives: the axes follow them (an edit elsewhere in the project keeps the user's choice).
    std::vector<Objective> objectives = space_ ? space_->objectives() : std::vector<Objective>{};
    const bool sameObjectives = objectives.size() == axesFor_.size() &&
                                std::equal(objectives.begin(), objectives.end(), axesFor_.begin(), [](const Objective& a, const Objective& b) {
                                    return a.metric == b.metric && a.maximise == b.maximise;
                                });
    if (!sameObjectives && space_) {
        axesFor_ = std::move(objectives);
        chooseDefaultAxes();
        if (!userLog_)
            autoLog();
        refreshAxes();
    }
    if (!running_) {
        if (!spaceProblem_.isEmpty()) {
            setStatus(project_.explore.is_null() || project_.explore.empty() ? tr("No design space (no \"explore\" block)")
                                                                             : tr("The design space is not valid"));
            status_->setToolTip(spaceProblem_);
        }
        else if (points_.empty())
            setStatus(tr("%1 points in the design space over %2 axes: press Run to search it.")
                          .arg(groupedCount(space_->size()))
                          .arg(space_->axes().size()));
    }
    if (points_.empty())
        showPlaceholder(spaceProblem_.isEmpty() ? tr("Press Run to search the %1 points of this design space.").arg(groupedCount(space_->size()))
                                                : spaceProblem_);
    updateControls();
}

void ExplorePanel::setCurrentMetrics(std::optional<MetricValues> metrics)
{
    current_ = metrics;
    refreshAxes();
}

void ExplorePanel::updateControls()
{
    runButton_->setEnabled(!running_ && space_ && network_);
    cancelButton_->setEnabled(running_);
    runButton_->setToolTip(space_ ? tr("Search the project's design space on every core") : spaceProblem_);
}

void ExplorePanel::setStatus(const QString& text)
{
    status_->setText(text);
    status_->setToolTip(text);
}

void ExplorePanel::showPlaceholder(const QString& text)
{
    placeholder_->setText(text);
    stack_->setCurrentWidget(points_.empty() ? static_cast<QWidget*>(placeholder_) : static_cast<QWidget*>(chart_));
}

void ExplorePanel::run()
{
    if (running_ || !space_ || !network_)
        return;
    points_.clear();
    frontIds_.clear();
    shownSpace_ = space_;
    shownProject_ = project_;
    lastProgress_.reset();
    running_ = true;
    const std::optional<std::uint64_t> planned = space_->countablePoints();
    if (planned && *planned > 0 && *planned <= static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
        progress_->setRange(0, static_cast<int>(*planned));
    else
        progress_->setRange(0, 0);
    progress_->setValue(0);
    progress_->setFormat(QStringLiteral("%p%"));
    chart_->setPoints({}, {});
    chart_->setFront({});
    chart_->resetView();
    showPlaceholder(tr("Searching…"));
    setStatus(tr("Starting the search…"));
    updateControls();
    emit message(tr("Exploring %1 (%2 points, %3 axes)")
                     .arg(fromStd(project_.name.empty() ? project_.filePath : project_.name), groupedCount(space_->size()))
                     .arg(space_->axes().size()));
    sinceRefresh_.restart();

    runner_.start(project_, network_, space_, kRefreshIntervalMs, [this](const ExploreRunner::Batch& batch) { applyUpdate(batch); },
                  [this](ExploreRunner::Outcome& outcome) { applyFinish(outcome); });
}

void ExplorePanel::cancel()
{
    if (!running_)
        return;
    runner_.cancel();
    setStatus(tr("Cancelling…"));
    cancelButton_->setEnabled(false);
}

void ExplorePanel::waitForFinished()
{
    while (running_) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        if (running_ && !runner_.isRunning())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);  // the outcome is posted
        else if (running_)
            QThread::msleep(2);
    }
}

QString ExplorePanel::progressText(const ExploreProgress& progress, std::size_t frontSize) const
{
    const double done = static_cast<double>(progress.evaluated + progress.recovered);
    QString text = groupedCount(done);
    if (progress.planned > 0)
        text = tr("%1 of %2").arg(text, groupedCount(static_cast<double>(progress.planned)));
    return tr("%1 points, %2/s, %3 on the front").arg(text, groupedCount(progress.pointsPerS), groupedCount(static_cast<double>(frontSize)));
}

void ExplorePanel::applyUpdate(const ExploreRunner::Batch& update)
{
    points_.insert(points_.end(), update.points.begin(), update.points.end());
    frontIds_ = update.front;
    lastProgress_ = update.progress;
    const std::uint64_t done = update.progress.evaluated + update.progress.recovered;
    if (progress_->maximum() > 0)
        progress_->setValue(static_cast<int>(std::min<std::uint64_t>(done, static_cast<std::uint64_t>(progress_->maximum()))));
    if (!runner_.cancelled())
        setStatus(progressText(update.progress, frontIds_.size()));
    scheduleRefresh();
}

void ExplorePanel::applyFinish(ExploreRunner::Outcome& finish)
{
    running_ = false;
    refreshTimer_->stop();
    QString summary;
    QString status;  // the short form for the status line
    if (finish.failed) {
        summary = tr("The search failed: %1").arg(finish.error);
        progress_->setRange(0, 1);
        progress_->setValue(0);
    } else {
        ExploreOutcome& outcome = finish.outcome;
        points_ = std::move(outcome.points);
        frontIds_.assign(outcome.front.begin(), outcome.front.end());
        lastProgress_ = outcome.progress;
        const double seconds = outcome.progress.elapsedS;
        summary = tr("Explored %1 points in %2 s (%3/s): %4 feasible, %5 on the front")
                      .arg(groupedCount(static_cast<double>(points_.size())))
                      .arg(seconds, 0, 'f', seconds < 10 ? 2 : 1)
                      .arg(groupedCount(outcome.progress.pointsPerS), groupedCount(static_cast<double>(outcome.progress.feasible)),
                           groupedCount(static_cast<double>(frontIds_.size())));
        status = tr("%1 points in %2 s, %3/s, %4 on the front")
                     .arg(groupedCount(static_cast<double>(points_.size())))
                     .arg(seconds, 0, 'f', seconds < 10 ? 2 : 1)
                     .arg(groupedCount(outcome.progress.pointsPerS), groupedCount(static_cast<double>(frontIds_.size())));
        QString stop;
        switch (outcome.stoppedBy) {
        case StopReason::None: break;
        case StopReason::Cancelled: stop = tr("cancelled"); break;
        case StopReason::TimeBudget: stop = tr("stopped by the time budget"); break;
        case StopReason::PointBudget: stop = tr("stopped by the point budget"); break;
        }
        if (!stop.isEmpty()) {
            summary += QStringLiteral("; ") + stop;
            status += QStringLiteral(" (") + stop + QStringLiteral(")");
        }
        if (progress_->maximum() == 0)
            progress_->setRange(0, 1);
        progress_->setValue(outcome.complete ? progress_->maximum()
                                             : static_cast<int>(std::min<std::size_t>(points_.size(), static_cast<std::size_t>(progress_->maximum()))));
        if (!userLog_)
            autoLog();
        refreshChart();
        chart_->resetView();
    }
    setStatus(status.isEmpty() ? summary : status);
    status_->setToolTip(summary);
    updateControls();
    if (!finish.failed && !finish.strategy.isEmpty())
        emit message(tr("%1 (%2, %3)").arg(summary, finish.strategy, finish.evaluation));
    else
        emit message(summary);
    emit runFinished(summary);
}

void ExplorePanel::scheduleRefresh()
{
    if (refreshTimer_->isActive())
        return;
    const qint64 since = sinceRefresh_.isValid() ? sinceRefresh_.elapsed() : kRefreshIntervalMs;
    if (since >= kRefreshIntervalMs)
        refreshChart();
    else
        refreshTimer_->start(static_cast<int>(kRefreshIntervalMs - since));
}

void ExplorePanel::autoLog()
{
    const bool wide = wantsLogAxes(points_, current_, xMetric(), yMetric());
    settingLog_ = true;
    logBox_->setChecked(wide);
    settingLog_ = false;
}

void ExplorePanel::refreshAxes()
{
    refreshChart();
    chart_->resetView();
}

void ExplorePanel::refreshChart()
{
    sinceRefresh_.restart();
    const Metric mx = xMetric(), my = yMetric();
    std::vector<std::size_t> front;
    for (int id : frontIds_)
        front.push_back(static_cast<std::size_t>(id));
    if (const DesignSpace* space = shownSpace())
        plotPareto(*chart_, *space, points_, front, mx, my, current_, logBox_->isChecked());
    else
        chart_->setPoints({}, {});
    if (points_.empty())
        showPlaceholder(running_ ? tr("Searching…")
                        : !spaceProblem_.isEmpty() ? spaceProblem_
                        : space_ ? tr("Press Run to search the %1 points of this design space.").arg(groupedCount(space_->size()))
                                 : QString());
    else
        stack_->setCurrentWidget(chart_);
}

const DesignSpace* ExplorePanel::shownSpace() const
{
    return shownSpace_ ? shownSpace_.get() : space_.get();
}

QString ExplorePanel::axisValuesText(const Evaluation& e, const QString& separator, int maxAxes) const
{
    const DesignSpace* space = shownSpace();
    if (!space || !validGenome(*space, e.genome))
        return QString();
    QStringList parts;
    const auto& axes = space->axes();
    const int shown = std::min<int>(static_cast<int>(axes.size()), maxAxes);
    for (int i = 0; i < shown; ++i) {
        const Axis& axis = axes[static_cast<std::size_t>(i)];
        parts << QStringLiteral("%1 = %2").arg(fromStd(axis.name), axisValueText(axis.values[static_cast<std::size_t>(e.genome[static_cast<std::size_t>(i)])]));
    }
    if (static_cast<int>(axes.size()) > shown)
        parts << tr("… and %1 more axes").arg(static_cast<int>(axes.size()) - shown);
    return parts.join(separator);
}

void ExplorePanel::onHovered(int id)
{
    if (id < 0 || static_cast<std::size_t>(id) >= points_.size()) {
        QToolTip::hideText();
        return;
    }
    const Evaluation& e = points_[static_cast<std::size_t>(id)];
    QStringList lines;
    lines << tr("<b>Design point %1</b>").arg(fromStd(e.key).toHtmlEscaped());
    const QString axes = axisValuesText(e, QStringLiteral("\n"), 16);
    for (const QString& line : axes.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        lines << line.toHtmlEscaped();
    const Metric mx = xMetric(), my = yMetric();
    lines << QString();
    for (const Metric m : {mx, my})
        lines << QStringLiteral("%1: <b>%2</b>").arg(metricLabel(m).toHtmlEscaped(),
                                                     formatMetric(m, e.metrics[static_cast<std::size_t>(m)]).toHtmlEscaped());
    const bool onFront = std::find(frontIds_.begin(), frontIds_.end(), id) != frontIds_.end();
    if (e.feasible) {
        lines << (onFront ? tr("feasible, on the Pareto front") : tr("feasible"));
    } else {
        QString reason = fromStd(e.reason);
        if (reason.size() > 200)
            reason = reason.left(199) + QStringLiteral("…");
        lines << tr("infeasible: %1").arg(reason.toHtmlEscaped());
    }
    lines << tr("<i>click to load this design</i>");
    QToolTip::showText(QCursor::pos(), lines.join(QStringLiteral("<br>")), chart_);
}

void ExplorePanel::onClicked(int id)
{
    if (id < 0 || static_cast<std::size_t>(id) >= points_.size())
        return;
    const Evaluation& e = points_[static_cast<std::size_t>(id)];
    // The point on the current project when its space has the same axes (it keeps the user's
    // other edits), otherwise on the project the points were searched for.
    const bool current = space_ && (!shownSpace_ || sameAxes(*space_, *shownSpace_));
    const DesignSpace* space = current ? space_.get() : shownSpace_.get();
    const Project& base = current ? project_ : shownProject_;
    if (!space || !validGenome(*space, e.genome))
        return;
    try {
        Project point = space->apply(base, e.genome);
        const QString description = tr("Design point %1: %2").arg(fromStd(e.key), axisValuesText(e, QStringLiteral(", "), 8));
        emit message(description);
        emit pointActivated(point, description);
    } catch (const std::exception& ex) {
        const QString text = tr("Cannot load design point %1: %2").arg(fromStd(e.key), QString::fromUtf8(ex.what()));
        setStatus(text);
        emit message(text);
    }
}

bool ExplorePanel::loadPoints(const QString& runDirectory, QString* error)
{
    auto fail = [&](const QString& text) {
        if (error)
            *error = text;
        emit message(text);
        return false;
    };
    if (running_)
        return fail(tr("A search is running: cancel it before loading points."));
    if (!space_)
        return fail(spaceProblem_.isEmpty() ? tr("No design space to read the points for.") : spaceProblem_);
    const QString path = QDir(runDirectory).filePath(QString::fromLatin1(explorefiles::kPoints));
    std::size_t partial = 0;
    auto read = explorefiles::readPoints(*space_, QDir::toNativeSeparators(path).toStdString(), &partial);
    if (!read)
        return fail(fromStd(read.error().describe()));
    runner_.abandon();  // nothing a finished search still has queued may overwrite these points
    points_ = std::move(read.value());
    const std::vector<std::size_t> front = feasibleFront(points_);
    frontIds_.assign(front.begin(), front.end());
    shownSpace_ = space_;
    shownProject_ = project_;
    lastProgress_.reset();
    QString text = tr("Loaded %1 points from %2: %3 on the front")
                       .arg(groupedCount(static_cast<double>(points_.size())), QDir::toNativeSeparators(path), groupedCount(static_cast<double>(frontIds_.size())));
    QString status = tr("%1 points loaded from %2, %3 on the front")
                         .arg(groupedCount(static_cast<double>(points_.size())), QDir(runDirectory).dirName(), groupedCount(static_cast<double>(frontIds_.size())));
    if (partial > 0) {
        text += tr(" (dropped a partial last line)");
        status += tr(" (partial last line dropped)");
    }
    if (!userLog_)
        autoLog();
    refreshAxes();
    progress_->setRange(0, 1);
    progress_->setValue(1);
    setStatus(status);
    status_->setToolTip(text);
    emit message(text);
    if (error)
        error->clear();
    return true;
}

}  // namespace cdx
