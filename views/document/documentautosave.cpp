// DocumentAutosave: the autosave timer, the autosave file path scheme, writing and reading autosaves.
#include "views/document/documentautosave.h"

#include "core/util/fileio.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>

namespace cdx {

namespace {

constexpr int kAutosaveIntervalMs = 30000;

QString autosaveFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

}  // namespace

DocumentAutosave::DocumentAutosave(QObject* parent) : QObject(parent)
{
    auto* timer = new QTimer(this);
    timer->setInterval(kAutosaveIntervalMs);
    connect(timer, &QTimer::timeout, this, &DocumentAutosave::due);
    timer->start();
}

QString DocumentAutosave::pathFor(const QString& projectPath)
{
    const QByteArray key = projectPath.isEmpty() ? QByteArrayLiteral("untitled") : QFileInfo(projectPath).absoluteFilePath().toUtf8();
    return autosaveFolder() + QLatin1Char('/') + QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha1).toHex().left(16)) +
           QStringLiteral(".json");
}

QString DocumentAutosave::write(const Project& project, const QString& projectPath)
{
    QDir().mkpath(autosaveFolder());
    if (auto error = saveProjectFile(project, pathFor(projectPath).toStdString()))
        return QString::fromStdString(error->describe());
    return {};
}

void DocumentAutosave::discard(const QString& projectPath)
{
    QFile::remove(pathFor(projectPath));
}

QString DocumentAutosave::recoverable(const QString& projectPath)
{
    const QString autosave = pathFor(projectPath);
    const QFileInfo saved(autosave);
    if (!saved.exists())
        return {};
    if (!projectPath.isEmpty()) {
        const QFileInfo original(projectPath);
        if (original.exists() && original.lastModified() > saved.lastModified())
            return {};
    }
    return autosave;
}

Result<Project> DocumentAutosave::read(const QString& autosave, const QString& projectPath)
{
    auto text = readTextFile(autosave.toStdString());
    if (!text)
        return text.error();
    const std::string anchor = projectPath.isEmpty() ? autosave.toStdString() : QFileInfo(projectPath).absoluteFilePath().toStdString();
    auto project = readProjectJson(text.value(), autosave.toStdString());
    if (!project)
        return project.error();
    project->filePath = anchor;
    return project;
}

}  // namespace cdx
