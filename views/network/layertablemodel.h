#pragma once

#include "core/compression/compressionplan.h"
#include "core/network/network.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace cdx {

class Document;
struct NetworkResult;

/// The layers of a network as a table: index, name, kind, output shape, MACs, parameters; with a
/// document, each layer's compression (editable: weight and activation bits, weight format,
/// pruning kind, density, block size) and its estimate (accuracy drop, latency, energy, bound).
/// Edits become undo commands of the document; the model never changes data itself.
/// Numbers are returned as numbers under SortRole so proxies sort them numerically.
class LayerTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        Index, Name, Kind, OutputShape, Macs, Params,
        WeightBits, WeightFormat, ActivationBits, Pruning, Density, BlockSize,
        AccuracyDrop, Latency, Energy, Bound,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    /// The choices of an editable column with a fixed set (formats, pruning kinds), as a QStringList.
    static constexpr int ChoicesRole = Qt::UserRole + 2;

    explicit LayerTableModel(QObject* parent = nullptr);

    /// Follows `document`: its network, compression settings and results.
    void setDocument(Document* document);
    void setNetwork(std::shared_ptr<const Network> network);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    /// Sets `column` of every layer in `rows` to `value` as one undo command; false when the
    /// column cannot be edited for them.
    bool editLayers(const std::vector<int>& rows, int column, const QVariant& value);

private:
    void refreshSettings();
    void refreshResults();
    const LayerCompression* setting(int row) const;
    bool editable(int row, int column) const;

    Document* document_ = nullptr;
    std::shared_ptr<const Network> network_;
    struct LayerFigures {
        bool known = false;
        double latencyS = 0;
        double energyPj = 0;
        double accuracyDrop = 0;
        QString bound;
        QString fusedInto;  ///< the MAC layer whose output stage applies this one
        QStringList fused;  ///< the operators this MAC layer's output stage applies
    };
    std::vector<LayerFigures> figures_;
};

}  // namespace cdx
