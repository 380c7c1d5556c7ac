#include "views/network/layereditdelegate.h"

#include "views/network/layertablemodel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QSpinBox>

namespace cdx {

LayerEditDelegate::LayerEditDelegate(std::function<std::vector<int>(const QModelIndex&)> selectedRows, QObject* parent)
    : QStyledItemDelegate(parent), selectedRows_(std::move(selectedRows))
{
}

QWidget* LayerEditDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    switch (index.column()) {
    case LayerTableModel::WeightBits:
    case LayerTableModel::ActivationBits: {
        auto* spin = new QSpinBox(parent);
        spin->setRange(1, 32);
        spin->setFrame(false);
        return spin;
    }
    case LayerTableModel::BlockSize: {
        auto* spin = new QSpinBox(parent);
        spin->setRange(1, 1 << 16);
        spin->setFrame(false);
        return spin;
    }
    case LayerTableModel::Density: {
        auto* spin = new QDoubleSpinBox(parent);
        spin->setRange(0.001, 1.0);
        spin->setDecimals(3);
        spin->setSingleStep(0.05);
        spin->setFrame(false);
        return spin;
    }
    case LayerTableModel::WeightFormat:
    case LayerTableModel::Pruning: {
        auto* combo = new QComboBox(parent);
        combo->addItems(index.data(LayerTableModel::ChoicesRole).toStringList());
        return combo;
    }
    default: return QStyledItemDelegate::createEditor(parent, option, index);
    }
}

void LayerEditDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    const QVariant value = index.data(Qt::EditRole);
    if (auto* spin = qobject_cast<QSpinBox*>(editor)) {
        // "2 of 16" or "2:4" edit their group; a plain number edits itself.
        const QString text = value.toString();
        const QStringList parts = text.split(QRegularExpression(QStringLiteral("[^0-9]+")), Qt::SkipEmptyParts);
        spin->setValue(parts.isEmpty() ? 1 : parts.last().toInt());
    } else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(editor)) {
        dspin->setValue(value.toDouble());
    } else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        combo->setCurrentIndex(combo->findText(value.toString()));
    } else {
        QStyledItemDelegate::setEditorData(editor, index);
    }
}

void LayerEditDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    QVariant value;
    if (auto* spin = qobject_cast<QSpinBox*>(editor)) {
        spin->interpretText();
        value = spin->value();
    } else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(editor)) {
        dspin->interpretText();
        value = dspin->value();
    } else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        value = combo->currentText();
    } else {
        QStyledItemDelegate::setModelData(editor, model, index);
        return;
    }
    if (index.data(Qt::EditRole) == value)
        return;
    // Find the layer model under the proxy.
    QAbstractItemModel* source = model;
    while (auto* proxy = qobject_cast<QSortFilterProxyModel*>(source))
        source = proxy->sourceModel();
    if (auto* layers = qobject_cast<LayerTableModel*>(source))
        layers->editLayers(selectedRows_(index), index.column(), value);
}

}  // namespace cdx
