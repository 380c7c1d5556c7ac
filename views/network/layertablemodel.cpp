#include "views/network/layertablemodel.h"

#include <QLocale>

namespace cdx {

LayerTableModel::LayerTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void LayerTableModel::setNetwork(std::shared_ptr<const Network> network)
{
    beginResetModel();
    network_ = std::move(network);
    endResetModel();
}

int LayerTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !network_)
        return 0;
    return static_cast<int>(network_->layers().size());
}

int LayerTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerTableModel::data(const QModelIndex& index, int role) const
{
    if (!network_ || !index.isValid() || index.row() >= rowCount())
        return {};
    const Layer& layer = network_->layers()[static_cast<std::size_t>(index.row())];
    const QLocale locale;
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = index.column() == Index || index.column() == Macs || index.column() == Params;
        return QVariant::fromValue(Qt::Alignment(numeric ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter));
    }
    if (role == Qt::ToolTipRole && index.column() == Name) {
        const QString name = QString::fromStdString(layer.name);
        return layer.foldsInto.empty() ? name : tr("%1\nFolds into %2").arg(name, QString::fromStdString(layer.foldsInto));
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case Index: return index.row();
    case Name: return QString::fromStdString(layer.name);
    case Kind: return QString::fromStdString(std::string(layerKindName(layer.kind)));
    case OutputShape:
        return layer.outputShapes.empty() ? QString() : QString::fromStdString(formatShape(layer.outputShapes[0]));
    case Macs:
        return role == SortRole ? QVariant(qlonglong(layer.counts.macs)) : QVariant(locale.toString(qlonglong(layer.counts.macs)));
    case Params:
        return role == SortRole ? QVariant(qlonglong(layer.counts.params))
                                : QVariant(locale.toString(qlonglong(layer.counts.params)));
    default: return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Index: return tr("#");
    case Name: return tr("Layer");
    case Kind: return tr("Kind");
    case OutputShape: return tr("Output shape");
    case Macs: return tr("MACs");
    case Params: return tr("Parameters");
    default: return {};
    }
}

}  // namespace cdx
