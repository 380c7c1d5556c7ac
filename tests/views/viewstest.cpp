// Views without a main window: the document and the layer table, offscreen.
#include "core/zoo/zoo.h"
#include "views/document/document.h"
#include "views/network/layertablemodel.h"
#include "views/network/layertableview.h"

#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace cdx;

class ViewsTest : public QObject {
    Q_OBJECT

private slots:
    void layerTableModelShowsEveryLayer()
    {
        auto net = loadZooNetwork("resnet18");
        QVERIFY(net.ok());
        auto shared = std::make_shared<const Network>(std::move(net.value()));
        LayerTableModel model;
        model.setNetwork(shared);
        QCOMPARE(model.rowCount(), static_cast<int>(shared->layers().size()));
        QCOMPARE(model.columnCount(), static_cast<int>(LayerTableModel::ColumnCount));
        QCOMPARE(model.index(0, LayerTableModel::Name).data().toString(), QStringLiteral("conv1"));
        QCOMPARE(model.index(0, LayerTableModel::Kind).data().toString(), QStringLiteral("conv"));
        QCOMPARE(model.index(0, LayerTableModel::OutputShape).data().toString(), QStringLiteral("1x64x112x112"));
        QCOMPARE(model.index(0, LayerTableModel::Macs).data(LayerTableModel::SortRole).toLongLong(), 118013952LL);
        QCOMPARE(model.index(1, LayerTableModel::Name).data(Qt::ToolTipRole).toString(), QStringLiteral("bn1\nFolds into conv1"));
    }

    void documentOpensProjectsNetworksAndZooNames()
    {
        Document document;
        QSignalSpy changed(&document, &Document::networkChanged);
        QCOMPARE(document.open(QStringLiteral(CDX_PROJECTS_DIR "/default.json")), QString());
        QCOMPARE(changed.count(), 1);
        QVERIFY(document.network() != nullptr);
        QVERIFY(!document.filePath().isEmpty());

        QCOMPARE(document.open(QStringLiteral("mobilenet_v2")), QString());
        QCOMPARE(document.network()->totals().params, 3504872LL);
        QCOMPARE(document.displayName(), QStringLiteral("mobilenet_v2"));

        QCOMPARE(document.open(QStringLiteral(CDX_TEST_DATA_DIR "/networks/tiny_cnn.json")), QString());
        QCOMPARE(QString::fromStdString(document.network()->name()), QStringLiteral("tiny_cnn"));

        QCOMPARE(document.open(QStringLiteral(CDX_TEST_DATA_DIR "/onnx/mnist.onnx")), QString());
        QCOMPARE(document.network()->totals().macs, 786560LL);
    }

    void aFailedOpenKeepsTheCurrentProject()
    {
        Document document;
        QCOMPARE(document.open(QStringLiteral("resnet18")), QString());
        QSignalSpy changed(&document, &Document::networkChanged);
        const QString error = document.open(QStringLiteral(CDX_TEST_DATA_DIR "/bad/cycle.json"));
        QVERIFY(error.contains(QStringLiteral("cycle.json")));
        QVERIFY(error.contains(QStringLiteral("cycle")));
        QCOMPARE(changed.count(), 0);
        QCOMPARE(QString::fromStdString(document.network()->name()), QStringLiteral("resnet18"));
    }

    void filterMatchesNamesAndKinds()
    {
        Document document;
        LayerTableView view(&document);
        QCOMPARE(document.open(QStringLiteral("resnet18")), QString());
        QTableView* table = view.table();
        const int all = table->model()->rowCount();
        QCOMPARE(all, 69);
        view.setFilter(QStringLiteral("conv"));  // the kind, and names containing "conv"
        QCOMPARE(table->model()->rowCount(), 20);
        view.setFilter(QStringLiteral("downsample"));
        QCOMPARE(table->model()->rowCount(), 6);
        view.setFilter(QString());
        QCOMPARE(table->model()->rowCount(), all);
    }
};

QTEST_MAIN(ViewsTest)
#include "viewstest.moc"
