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
    warnings_->clear();
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    const QIcon error = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    if (!document_->estimateError().isEmpty())
        new QListWidgetItem(error, document_->estimateError(), warnings_);
    if (const auto r = document_->result()) {
        for (const std::string& w : r->warnings)
            new QListWidgetItem(warning, QString::fromStdString(w), warnings_);
        for (const LayerResult& layer : r->layers)
            for (const std::string& w : layer.warnings)
                new QListWidgetItem(warning, QStringLiteral("%1: %2").arg(QString::fromStdString(layer.name), QString::fromStdString(w)), warnings_);
    }
    const int count = warnings_->count();
    tabs_->setTabText(0, count == 0 ? tr("Warnings") : tr("Warnings (%1)").arg(count));
}

}  // namespace cdx
