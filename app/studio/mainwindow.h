#pragma once

#include <QMainWindow>

namespace cdx {

class Document;
class LayerTableView;

/// Assembles the docks and actions around the Document; no logic of its own.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    Document* document() const { return document_; }
    LayerTableView* layerTable() const { return layerTable_; }

    /// Opens a project, network file or zoo name; on failure returns the message, shows nothing.
    QString openFile(const QString& path);

private:
    void createActions();
    void openWithDialog();
    void updateTitle();

    Document* document_;
    LayerTableView* layerTable_;
};

}  // namespace cdx
