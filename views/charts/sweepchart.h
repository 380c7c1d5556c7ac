#pragma once

#include <QChartView>
#include <QString>
#include <QStringList>

#include <vector>

namespace cdx {

/// How one metric varies along one axis of a design space: every explored point as a faint dot
/// at its axis value, and the best value at each axis value joined by a line (the envelope a
/// designer can reach by choosing the other axes well). Numeric axis values are placed on a
/// value axis; others (a dataflow, a number format) at evenly spaced categories.
class SweepChart : public QChartView {
    Q_OBJECT

public:
    struct Point {
        QString axisValue;  ///< the axis's value as written in the project ("16", "\"ws\"")
        double metric = 0;
        bool feasible = true;
    };

    explicit SweepChart(QWidget* parent = nullptr);

    /// Draws `points`; `best` takes the smallest metric at each axis value, or the largest when
    /// `maximise`. `logY`: a logarithmic metric axis (ignored when a value is not positive).
    void setSweep(const QString& axisTitle, const QString& metricTitle, const std::vector<Point>& points, bool maximise, bool logY);
    void setDark(bool dark);
    /// The axis values along x, in drawing order (numbers ascending, else first-seen order).
    QStringList axisValues() const { return values_; }

private:
    void rebuild();

    QString axisTitle_, metricTitle_;
    std::vector<Point> points_;
    QStringList values_;
    bool maximise_ = false;
    bool logY_ = false;
    bool dark_ = false;
};

}  // namespace cdx
