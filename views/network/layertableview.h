#pragma once

#include <QWidget>

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

private:
    Document* document_;
    LayerTableModel* model_;
    QSortFilterProxyModel* proxy_;
    QLineEdit* filter_;
    QTableView* table_;
};

}  // namespace cdx
