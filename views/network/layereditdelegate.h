#pragma once

#include <QStyledItemDelegate>

#include <functional>
#include <vector>

namespace cdx {

/// Editors of the layer table's compression columns: spin boxes for bits and block sizes, a
/// spin box for densities, combo boxes for formats and pruning kinds. A committed value goes to
/// every selected layer (the `selectedRows` callback gives them, in source-model rows) as one edit.
class LayerEditDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    LayerEditDelegate(std::function<std::vector<int>(const QModelIndex&)> selectedRows, QObject* parent = nullptr);

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;

private:
    std::function<std::vector<int>(const QModelIndex&)> selectedRows_;
};

}  // namespace cdx
