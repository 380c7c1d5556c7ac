#pragma once

#include <QStringList>
#include <QWidget>

class QListWidget;
class QPlainTextEdit;
class QTabWidget;

namespace cdx {

class Document;

/// The warnings of the latest estimate (or why there is none), and a timestamped log of what
/// the document and the long jobs did.
class LogPanel : public QWidget {
    Q_OBJECT

public:
    explicit LogPanel(Document* document, QWidget* parent = nullptr);

    QListWidget* warnings() const { return warnings_; }
    QPlainTextEdit* log() const { return log_; }

public slots:
    void appendLog(const QString& text);

private:
    void refreshWarnings();

    Document* document_;
    QTabWidget* tabs_;
    QListWidget* warnings_;
    QPlainTextEdit* log_;
    QStringList shown_;  ///< the error (first, may be empty) and warnings listed
};

}  // namespace cdx
