#include "views/network/layertableview.h"

#include "views/document/document.h"
#include "views/network/layertablemodel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace cdx {

namespace {

/// Matches the filter text against the layer name or its kind.
class LayerFilterProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setText(const QString& text)
    {
        text_ = text.trimmed();
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        const QString& text = text_;
        if (text.isEmpty())
            return true;
        const auto* model = sourceModel();
        const QString name = model->index(row, LayerTableModel::Name, parent).data().toString();
        const QString kind = model->index(row, LayerTableModel::Kind, parent).data().toString();
        return name.contains(text, Qt::CaseInsensitive) || kind.compare(text, Qt::CaseInsensitive) == 0;
    }

private:
    QString text_;
};

}  // namespace

LayerTableView::LayerTableView(Document* document, QWidget* parent)
    : QWidget(parent),
      document_(document),
      model_(new LayerTableModel(this)),
      proxy_(new LayerFilterProxy(this)),
      filter_(new QLineEdit(this)),
      table_(new QTableView(this))
{
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(LayerTableModel::SortRole);
    filter_->setPlaceholderText(tr("Filter by layer name or kind"));
    filter_->setClearButtonEnabled(true);
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(LayerTableModel::Index, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setStretchLastSection(false);
    table_->setAlternatingRowColors(true);
    table_->setTextElideMode(Qt::ElideMiddle);  // exporters' long names differ at the end
    table_->setWordWrap(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(filter_);
    layout->addWidget(table_);

    connect(filter_, &QLineEdit::textChanged, this, &LayerTableView::setFilter);
    connect(document_, &Document::networkChanged, this, [this] {
        model_->setNetwork(document_->network());
        table_->resizeColumnsToContents();
        table_->horizontalHeader()->setSectionResizeMode(LayerTableModel::Name, QHeaderView::Stretch);
    });
    model_->setNetwork(document_->network());
}

void LayerTableView::setFilter(const QString& text)
{
    if (filter_->text() != text)
        filter_->setText(text);
    static_cast<LayerFilterProxy*>(proxy_)->setText(text);
}

}  // namespace cdx
