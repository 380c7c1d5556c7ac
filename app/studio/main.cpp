#include "app/studio/mainwindow.h"

#include "core/util/datapaths.h"
#include "core/util/version.h"
#include "views/accuracy/accuracymeasurement.h"
#include "views/document/document.h"
#include "views/explore/explorepanel.h"
#include "views/validate/validationpanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QSettings>
#include <QTimer>

#include <cstdio>

namespace {

/// Lays the window out, waits for its estimate (and the search of a project with a design
/// space, and the accuracy measurement when `measureAccuracy` or the accuracy panel asks for
/// one), and saves a picture of `panel` to `path`. Exit code 0, 1 (cannot write), 2 (bad input).
int takeScreenshot(cdx::MainWindow& window, const QString& panelName, const QString& path, bool measureAccuracy)
{
    QWidget* panel = window.panel(panelName);
    if (!panel) {
        std::fprintf(stderr, "cdx-studio: error: --panel: unknown panel \"%s\" (one of %s)\n", qPrintable(panelName),
                     qPrintable(cdx::MainWindow::panelNames().join(QStringLiteral(", "))));
        return 2;
    }
    window.show();
    QApplication::processEvents();
    window.document()->waitForEstimate();
    if ((panelName == QStringLiteral("window") || panelName == QStringLiteral("pareto")) && !window.document()->project().explore.empty()) {
        window.explorePanel()->run();
        window.explorePanel()->waitForFinished();
    }
    if (panelName == QStringLiteral("validation")) {
        window.validateDesign(false);
        window.validationPanel()->waitForFinished();
    }
    // The accuracy panel of a project that cannot be measured pictures why; asked for
    // explicitly, a measurement that cannot run is an error.
    const bool measurable = window.accuracyMeasurement()->unavailableReason().isEmpty();
    if (measureAccuracy || (panelName == QStringLiteral("accuracy") && measurable)) {
        if (!window.measureAccuracy()) {
            std::fprintf(stderr, "cdx-studio: error: cannot measure accuracy: %s\n",
                         qPrintable(window.accuracyMeasurement()->unavailableReason()));
            return 2;
        }
        window.accuracyMeasurement()->waitForFinished();
    }
    panel = window.panel(panelName);  // shows the chart's tab
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    const qreal dpr = panel->devicePixelRatioF();
    QPixmap picture(panel->size() * dpr);
    picture.setDevicePixelRatio(dpr);
    panel->render(&picture);
    if (!picture.save(path)) {
        std::fprintf(stderr, "cdx-studio: error: %s: cannot write the screenshot\n", qPrintable(path));
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Codesign Explorer"));
    QApplication::setOrganizationName(QStringLiteral("Codesign Explorer"));
    QApplication::setApplicationVersion(QString::fromLatin1(cdx::kVersion));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/cdx-studio.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Codesign Explorer studio"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Project, network JSON, ONNX model or zoo name to open"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a picture of the window (or of --panel) to FILE and exit"),
                                        QStringLiteral("FILE"));
    const QCommandLineOption panel(QStringLiteral("panel"),
                                   QStringLiteral("With --screenshot: the panel to picture, one of ") +
                                       cdx::MainWindow::panelNames().join(QStringLiteral(", ")),
                                   QStringLiteral("NAME"), QStringLiteral("window"));
    const QCommandLineOption measure(QStringLiteral("measure-accuracy"),
                                     QStringLiteral("With --screenshot: measure the project's accuracy first (Accuracy > Measure)"));
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Use the dark palette"));
    parser.addOption(screenshot);
    parser.addOption(panel);
    parser.addOption(measure);
    parser.addOption(dark);
    parser.process(app);

    cdx::MainWindow window;
    const bool shooting = parser.isSet(screenshot);
    window.setInteractive(!shooting);
    if (parser.isSet(dark) || (!shooting && QSettings().value(QStringLiteral("darkTheme"), false).toBool()))
        window.setDarkTheme(true);
    const QStringList files = parser.positionalArguments();
    const QString file = files.isEmpty() ? QString::fromStdString(cdx::defaultProjectPath()) : files.first();
    if (shooting) {
        if (const QString error = window.openFile(file); !error.isEmpty()) {
            std::fprintf(stderr, "cdx-studio: error: %s\n", qPrintable(error));
            return 2;
        }
        return takeScreenshot(window, parser.value(panel), parser.value(screenshot), parser.isSet(measure));
    }
    window.show();
    // Open once the event loop runs so that a recovery question has a window to sit on.
    QTimer::singleShot(0, &window, [&window, file, explicitFile = !files.isEmpty()] {
        if (!explicitFile && window.offerUntitledRecovery())
            return;
        if (!window.openInteractively(file) && window.document()->network() == nullptr)
            window.openFile(QString::fromStdString(cdx::defaultProjectPath()));
    });
    return app.exec();
}
