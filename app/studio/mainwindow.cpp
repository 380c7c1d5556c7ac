#include "app/studio/mainwindow.h"

#include "core/util/datapaths.h"
#include "core/util/version.h"
#include "views/document/document.h"
#include "views/network/layertableview.h"
#include "views/network/networksummarywidget.h"

#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace cdx {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), document_(new Document(this)), layerTable_(new LayerTableView(document_))
{
    setCentralWidget(new NetworkSummaryWidget(document_, this));

    auto* networkDock = new QDockWidget(tr("Network"), this);
    networkDock->setObjectName(QStringLiteral("networkDock"));
    networkDock->setWidget(layerTable_);
    addDockWidget(Qt::LeftDockWidgetArea, networkDock);

    createActions();
    connect(document_, &Document::networkChanged, this, &MainWindow::updateTitle);
    resize(1280, 800);
    resizeDocks({networkDock}, {720}, Qt::Horizontal);
    updateTitle();
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open..."), QKeySequence::Open, this, &MainWindow::openWithDialog);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = document_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = document_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Codesign Explorer"), this, [this] {
        QMessageBox::about(this, tr("About Codesign Explorer"),
                           tr("<b>Codesign Explorer %1</b><p>Hardware/software co-design of neural-network "
                              "accelerators.</p>")
                               .arg(QString::fromLatin1(kVersion)));
    });
}

QString MainWindow::openFile(const QString& path)
{
    return document_->open(path);
}

void MainWindow::openWithDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project or network"),
                                                      QString::fromStdString(dataDirectory() + "/projects"),
                                                      tr("Projects and networks (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    if (const QString error = openFile(path); !error.isEmpty())
        QMessageBox::warning(this, tr("Cannot open"), error);
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1 - Codesign Explorer").arg(document_->displayName()));
    if (const auto network = document_->network())
        statusBar()->showMessage(tr("%1: %2 layers").arg(QString::fromStdString(network->name())).arg(network->layers().size()));
}

}  // namespace cdx
