#pragma once

#include <QWidget>

#include <vector>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace cdx {

class Document;
class LayerTableModel;

/// The network's layer table with a filter by name or kind; follows the document.
class LayerTableView : public QWidget {
    Q_OBJECT

public:
    explicit LayerTableView(Document* document, QWidget* parent = nullptr);

    QTableView* table() const { return table_; }
    LayerTableModel* model() const { return model_; }
    void setFilter(const QString& text);
    /// Selects and shows the named layer (from a chart); clears the filter if it hides it.
    void selectLayer(const QString& name);
    /// Source-model rows of the selected layers.
    std::vector<int> selectedRows() const;

signals:
    /// The current layer changed (its name; empty when none).
    void layerSelected(const QString& name);

private:
    Document* document_;
    LayerTableModel* model_;
    QSortFilterProxyModel* proxy_;
    QLineEdit* filter_;
    QTableView* table_;
    bool resultsSized_ = false;
};

}  // namespace cdx
