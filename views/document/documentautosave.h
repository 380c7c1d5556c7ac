// DocumentAutosave: where a Document's unsaved changes are autosaved, the timer that says when,
// and finding and reading an autosave after a crash.
#pragma once

#include "core/project/project.h"
#include "core/util/result.h"

#include <QObject>
#include <QString>

namespace cdx {

/// The autosave file scheme (one file per project path, under the application data folder) and
/// the timer of a document's autosaves.
class DocumentAutosave : public QObject {
    Q_OBJECT

public:
    /// Starts the timer: due() every autosave interval.
    explicit DocumentAutosave(QObject* parent = nullptr);

    /// Where the autosave of `projectPath` (empty: an untitled project) goes.
    static QString pathFor(const QString& projectPath);
    /// Writes `project` as the autosave of `projectPath`; an error message, or empty.
    static QString write(const Project& project, const QString& projectPath);
    /// Deletes the autosave of `projectPath`.
    static void discard(const QString& projectPath);
    /// The autosave of `projectPath` (or of an untitled project) newer than the file, if any.
    static QString recoverable(const QString& projectPath);
    /// The project `autosave` holds, its relative paths anchored at `projectPath` (at the
    /// autosave itself for an untitled project).
    static Result<Project> read(const QString& autosave, const QString& projectPath);

signals:
    /// Time to write the autosave (if there is anything unsaved).
    void due();
};

}  // namespace cdx
