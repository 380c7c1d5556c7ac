#include "views/log/logpanel.h"

#include "estimators/results/networkresult.h"
#include "views/document/document.h"

#include <QDateTime>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

namespace cdx {

LogPanel::LogPanel(Document* document, QWidget* parent)
    : QWidget(parent), document_(document), tabs_(new QTabWidget(this)), warnings_(new QListWidget(this)), log_(new QPlainTextEdit(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    warnings_->setWordWrap(true);
    warnings_->setAlternatingRowColors(true);
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(5000);
    log_->setLineWrapMode(QPlainTextEdit::NoWrap);
    tabs_->addTab(warnings_, tr("Warnings"));
    tabs_->addTab(log_, tr("Log"));
    tabs_->setDocumentMode(true);
    layout->addWidget(tabs_);
    connect(document_, &Document::resultChanged, this, &LogPanel::refreshWarnings);
    connect(document_, &Document::logMessage, this, &LogPanel::appendLog);
    refreshWarnings();
}

void LogPanel::appendLog(const QString& text)
{
    log_->appendPlainText(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), text));
}

void LogPanel::refreshWarnings()
{
    // Most edits leave the warnings as they were: the list (word-wrapped items, laid out one
    // by one) is rebuilt only when they change.
    QStringList lines{document_->estimateError()};
    if (const auto r = document_->result()) {
        for (const std::string& w : r->warnings)
            lines.append(QString::fromStdString(w));
        for (const LayerResult& layer : r->layers)
            for (const std::string& w : layer.warnings)
                lines.append(QStringLiteral("%1: %2").arg(QString::fromStdString(layer.name), QString::fromStdString(w)));
    }
    if (lines == shown_)
        return;
    shown_ = lines;
    warnings_->clear();
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    const QIcon error = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    if (!lines.front().isEmpty())
        new QListWidgetItem(error, lines.front(), warnings_);
    for (qsizetype i = 1; i < lines.size(); ++i)
        new QListWidgetItem(warning, lines[i], warnings_);
    const int count = warnings_->count();
    tabs_->setTabText(0, count == 0 ? tr("Warnings") : tr("Warnings (%1)").arg(count));
}

}  // namespace cdx
