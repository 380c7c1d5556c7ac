#include "app/studio/mainwindow.h"

#include "core/util/datapaths.h"
#include "core/util/version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

#include <cstdio>

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
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Project, network JSON or zoo name to open"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a picture of the window to FILE and exit"),
                                        QStringLiteral("FILE"));
    parser.addOption(screenshot);
    parser.process(app);

    cdx::MainWindow window;
    const QStringList files = parser.positionalArguments();
    const QString file = files.isEmpty() ? QString::fromStdString(cdx::defaultProjectPath()) : files.first();
    if (const QString error = window.openFile(file); !error.isEmpty()) {
        std::fprintf(stderr, "cdx-studio: error: %s\n", qPrintable(error));
        if (parser.isSet(screenshot))
            return 2;
    }
    window.show();
    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        QTimer::singleShot(300, &window, [&window, path] {
            const bool saved = window.grab().save(path);
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
