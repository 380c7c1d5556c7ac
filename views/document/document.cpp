#include "views/document/document.h"

#include "core/project/networksource.h"

#include <QFileInfo>

namespace cdx {

Document::Document(QObject* parent) : QObject(parent) {}

Document::~Document() = default;

QString Document::open(const QString& pathOrZooName)
{
    auto project = projectForSource(pathOrZooName.toStdString());
    if (!project)
        return QString::fromStdString(project.error().describe());
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return QString::fromStdString(network.error().describe());
    if (project->name.empty())
        project->name = network->name();

    project_ = std::move(project.value());
    network_ = std::make_shared<const Network>(std::move(network.value()));
    filePath_ = project_.filePath.empty() ? QString() : QFileInfo(QString::fromStdString(project_.filePath)).absoluteFilePath();
    undoStack_.clear();
    emit filePathChanged();
    emit networkChanged();
    return {};
}

QString Document::displayName() const
{
    if (!project_.name.empty())
        return QString::fromStdString(project_.name);
    return filePath_.isEmpty() ? tr("Untitled") : QFileInfo(filePath_).fileName();
}

}  // namespace cdx
