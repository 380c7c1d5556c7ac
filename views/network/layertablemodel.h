#pragma once

#include "core/network/network.h"

#include <QAbstractTableModel>

#include <memory>

namespace cdx {

/// The layers of a network as a table: index, name, kind, output shape, MACs, parameters.
/// Numbers are returned as qlonglong under Qt::DisplayRole's sort role so proxies sort them
/// numerically; the display text has thousands separators.
class LayerTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Index, Name, Kind, OutputShape, Macs, Params, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit LayerTableModel(QObject* parent = nullptr);

    void setNetwork(std::shared_ptr<const Network> network);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Network> network_;
};

}  // namespace cdx
