#pragma once

#include "core/accuracy/accuracyrunner.h"

#include <QAbstractTableModel>

#include <memory>

namespace cdx {

/// Where the loss of a measurement comes from: one row per quantised layer output, with its
/// SQNR against the float network, the calibrated range and the activation quantiser.
/// Read-only. Numbers are returned as numbers under SortRole so proxies sort them numerically.
class LayerAccuracyModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Layer, SqnrDb, Range, Quantizer, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit LayerAccuracyModel(QObject* parent = nullptr);

    /// Shows `report`'s layers (null: none).
    void setReport(std::shared_ptr<const AccuracyReport> report);
    std::shared_ptr<const AccuracyReport> report() const { return report_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const AccuracyReport> report_;
    double worstSqnrDb_ = 0;
};

}  // namespace cdx
