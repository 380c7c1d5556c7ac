#include "views/accuracy/layeraccuracymodel.h"

#include <QBrush>
#include <QColor>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cdx {

LayerAccuracyModel::LayerAccuracyModel(QObject* parent) : QAbstractTableModel(parent) {}

void LayerAccuracyModel::setReport(std::shared_ptr<const AccuracyReport> report)
{
    beginResetModel();
    report_ = std::move(report);
    worstSqnrDb_ = std::numeric_limits<double>::infinity();
    if (report_)
        for (const LayerAccuracy& layer : report_->layers)
            worstSqnrDb_ = std::min(worstSqnrDb_, layer.sqnrDb);
    endResetModel();
}

int LayerAccuracyModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !report_ ? 0 : static_cast<int>(report_->layers.size());
}

int LayerAccuracyModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerAccuracyModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const LayerAccuracy& layer = report_->layers[static_cast<std::size_t>(index.row())];
    const bool exact = !std::isfinite(layer.sqnrDb);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Layer: return QString::fromStdString(layer.layer);
        case SqnrDb: return exact ? tr("exact") : QString::number(layer.sqnrDb, 'f', 1);
        case Range: return QStringLiteral("[%1, %2]").arg(layer.calibratedMin, 0, 'f', 3).arg(layer.calibratedMax, 0, 'f', 3);
        case Quantizer: return QString::fromStdString(layer.quantizer);
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case SqnrDb: return exact ? std::numeric_limits<double>::max() : layer.sqnrDb;
        case Range: return layer.calibratedMax - layer.calibratedMin;
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        if (index.column() == Layer)
            return tr("Output tensor %1").arg(QString::fromStdString(layer.tensor));
        if (index.column() == SqnrDb)
            return tr("This layer's output in the compressed network against the float network's, over the evaluated examples; "
                      "lower is noisier");
        if (index.column() == Range)
            return tr("The activation range seen on the calibration examples");
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == SqnrDb ? QVariant(static_cast<int>(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::BackgroundRole:
        // The noisiest layer: where to look first.
        if (index.column() == SqnrDb && rowCount() > 1 && layer.sqnrDb == worstSqnrDb_)
            return QBrush(QColor(220, 60, 60, 70));
        return {};
    default:
        return {};
    }
}

QVariant LayerAccuracyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Layer: return tr("Layer");
    case SqnrDb: return tr("Output SQNR (dB)");
    case Range: return tr("Calibrated range");
    case Quantizer: return tr("Activation quantiser");
    }
    return {};
}

}  // namespace cdx
