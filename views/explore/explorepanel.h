#pragma once

#include "core/explore/designspace.h"
#include "core/explore/explorer.h"
#include "core/explore/metric.h"
#include "core/explore/searchstrategy.h"
#include "core/network/network.h"
#include "core/project/project.h"
#include "views/explore/explorerunner.h"

#include <QElapsedTimer>
#include <QString>
#include <QWidget>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTimer;

namespace cdx {

class ParetoChart;

/// The Pareto explorer: runs the project's design-space search ("explore" block) in the
/// background and plots every point on two chosen metrics, the feasible front and the current
/// design. Hovering a point shows its axis values and metrics; clicking it emits the design
/// point's project for the editors. The GUI thread never waits for the search, except in
/// waitForFinished() and when the panel is destroyed (it cancels the search first).
class Document;

class ExplorePanel : public QWidget {
    Q_OBJECT

public:
    explicit ExplorePanel(QWidget* parent = nullptr);
    /// Cancels a running search and waits for it, so it never touches a deleted panel.
    ~ExplorePanel() override;

    /// Follows `document`: its project (setProject on every change) and its estimate (the
    /// current-design marker); a clicked point becomes an undoable edit of its design.
    void bind(Document* document);

    /// The project to explore (its explore block) and its network. Without an explore block
    /// (or with a bad one) the panel says why and Run is disabled. The points shown stay until
    /// a new run starts (or loadPoints()); a running search goes on with the project it started with.
    void setProject(const Project& project, std::shared_ptr<const Network> network);
    /// The current design's metrics, marked on the chart (none: no marker).
    void setCurrentMetrics(std::optional<MetricValues> metrics);

    /// Starts the search of the project's space on every core; no-op while one runs.
    void run();
    /// Asks a running search to stop after its current batch (its points so far stay).
    void cancel();
    bool running() const { return running_; }
    /// Blocks, processing events, until the running search is done (for tests).
    void waitForFinished();

    /// Shows the points.csv of a `cdx explore --out` directory, read for the current project's
    /// space. False (with `error` set, when given) if there is no space or the file does not fit it.
    bool loadPoints(const QString& runDirectory, QString* error = nullptr);

    /// The points shown: those of the last run (so far, while it runs) or of loadPoints().
    const std::vector<Evaluation>& points() const { return points_; }
    /// Indices into points() of the feasible non-dominated ones.
    std::vector<int> frontIds() const { return frontIds_; }
    /// The design space of points() (null before any points).
    std::shared_ptr<const DesignSpace> pointsSpace() const { return shownSpace_; }
    ParetoChart* chart() const { return chart_; }

    /// The metrics on the chart's axes.
    Metric xMetric() const;
    Metric yMetric() const;
    /// Chooses the metrics on the chart's axes.
    void setAxisMetrics(Metric x, Metric y);
    /// The status line ("1,234 of 19,264 points, 56,000/s, 12 on the front").
    QString statusText() const;
    /// Why the project has no design space to search (empty when it has one).
    QString spaceProblem() const { return spaceProblem_; }

signals:
    /// A point was clicked: its project (the space applied to the project) and a one-line description.
    void pointActivated(const Project& pointProject, const QString& description);
    /// A run ended (finished, cancelled, stopped by its budget or failed), with a summary line.
    void runFinished(const QString& summary);
    /// A line for the log.
    void message(const QString& text);

protected:
    /// Follows the palette: a dark one gives the dark chart theme.
    void changeEvent(QEvent* event) override;

private:
    void applyUpdate(const ExploreRunner::Batch& update);
    void applyFinish(ExploreRunner::Outcome& finish);
    void scheduleRefresh();
    void refreshChart();
    void refreshAxes();
    void updateControls();
    void setStatus(const QString& text);
    void showPlaceholder(const QString& text);
    void chooseDefaultAxes();
    void autoLog();
    void onHovered(int id);
    void onClicked(int id);
    QString axisValuesText(const Evaluation& e, const QString& separator, int maxAxes) const;
    QString progressText(const ExploreProgress& progress, std::size_t frontSize) const;
    /// The space the shown points belong to, for their axis values.
    const DesignSpace* shownSpace() const;

    Project project_;
    std::shared_ptr<const Network> network_;
    std::shared_ptr<const DesignSpace> space_;  ///< of project_; null without a (valid) explore block
    QString spaceProblem_;                       ///< why there is no space

    std::shared_ptr<const DesignSpace> shownSpace_;  ///< the space of points_
    Project shownProject_;
    std::vector<Evaluation> points_;
    std::vector<int> frontIds_;
    std::optional<MetricValues> current_;
    std::vector<Objective> axesFor_;  ///< the objectives the axis combos were defaulted for

    bool running_ = false;
    std::optional<ExploreProgress> lastProgress_;
    QElapsedTimer sinceRefresh_;
    QTimer* refreshTimer_ = nullptr;
    bool userLog_ = false;  ///< the user set the log box: no automatic choice any more
    bool settingLog_ = false;

    QComboBox* xCombo_ = nullptr;
    QComboBox* yCombo_ = nullptr;
    QCheckBox* logBox_ = nullptr;
    QPushButton* runButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QLabel* placeholder_ = nullptr;
    ParetoChart* chart_ = nullptr;
    ExploreRunner runner_;  ///< last: destroyed (its search cancelled and waited for) first
};

}  // namespace cdx
