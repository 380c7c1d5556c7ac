// The studio's main window, offscreen: it opens the default project and draws something.
#include "app/studio/mainwindow.h"
#include "core/util/datapaths.h"
#include "views/document/document.h"
#include "views/network/layertableview.h"

#include <QImage>
#include <QTableView>
#include <QTest>

using namespace cdx;

class StudioTest : public QObject {
    Q_OBJECT

private slots:
    void opensTheDefaultProject()
    {
        MainWindow window;
        QCOMPARE(window.openFile(QString::fromStdString(defaultProjectPath())), QString());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.windowTitle().contains(QStringLiteral("Codesign Explorer")));
        const int rows = window.layerTable()->table()->model()->rowCount();
        QCOMPARE(rows, static_cast<int>(window.document()->network()->layers().size()));
    }

    void rendersANonEmptyPicture()
    {
        MainWindow window;
        QCOMPARE(window.openFile(QStringLiteral("vgg16")), QString());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QImage image = window.grab().toImage();
        QVERIFY(image.width() >= 800);
        // Something other than the background: text and grid lines of the table.
        const QRgb background = image.pixel(image.width() - 2, image.height() / 2);
        int differing = 0;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4)
                differing += image.pixel(x, y) != background;
        QVERIFY(differing > 1000);
    }
};

QTEST_MAIN(StudioTest)
#include "studiotest.moc"
