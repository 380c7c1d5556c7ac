#include "views/network/layertableview.h"

#include "views/document/document.h"
#include "views/network/layereditdelegate.h"
#include "views/network/layertablemodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

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

    table_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    table_->setItemDelegate(new LayerEditDelegate(
        [this](const QModelIndex& edited) {
            std::vector<int> rows = selectedRows();
            const int row = proxy_->mapToSource(edited).row();
            if (std::find(rows.begin(), rows.end(), row) == rows.end())
                rows = {row};  // editing outside the selection edits that layer only
            return rows;
        },
        this));

    connect(filter_, &QLineEdit::textChanged, this, &LayerTableView::setFilter);
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        table_->resizeColumnsToContents();
        resultsSized_ = false;
    });
    connect(document_, &Document::resultChanged, this, [this] {
        if (resultsSized_ || !document_->result())
            return;
        for (int c = LayerTableModel::AccuracyDrop; c <= LayerTableModel::Bound; ++c)
            table_->resizeColumnToContents(c);
        resultsSized_ = true;  // once per network: later estimates keep the user's widths
    });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        emit layerSelected(current.isValid() ? proxy_->index(current.row(), LayerTableModel::Name).data().toString() : QString());
    });
    // The columns a user edits and reads come first; shapes and counts after them.
    const int order[] = {LayerTableModel::Index,        LayerTableModel::Name,       LayerTableModel::Kind,
                         LayerTableModel::WeightBits,   LayerTableModel::ActivationBits, LayerTableModel::WeightFormat,
                         LayerTableModel::Pruning,      LayerTableModel::Density,    LayerTableModel::BlockSize,
                         LayerTableModel::Latency,      LayerTableModel::Energy,     LayerTableModel::Bound,
                         LayerTableModel::AccuracyDrop, LayerTableModel::OutputShape, LayerTableModel::Macs,
                         LayerTableModel::Params};
    QHeaderView* header = table_->horizontalHeader();
    for (int visual = 0; visual < static_cast<int>(std::size(order)); ++visual)
        header->moveSection(header->visualIndex(order[visual]), visual);
    model_->setDocument(document_);
    table_->resizeColumnsToContents();
}

std::vector<int> LayerTableView::selectedRows() const
{
    std::vector<int> rows;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows())
        rows.push_back(proxy_->mapToSource(index).row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void LayerTableView::selectLayer(const QString& name)
{
    for (int pass = 0; pass < 2; ++pass) {
        for (int row = 0; row < proxy_->rowCount(); ++row) {
            const QModelIndex index = proxy_->index(row, LayerTableModel::Name);
            if (index.data().toString() == name) {
                table_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                table_->scrollTo(index);
                return;
            }
        }
        setFilter({});  // the filter hid it
    }
}

void LayerTableView::setFilter(const QString& text)
{
    if (filter_->text() != text)
        filter_->setText(text);
    static_cast<LayerFilterProxy*>(proxy_)->setText(text);
}

}  // namespace cdx
