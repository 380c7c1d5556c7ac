#pragma once

#include "core/project/project.h"

#include <QUndoCommand>

namespace cdx {

class Document;

/// One edit of a document's project: the project before and after, so undo restores it exactly.
class ProjectEditCommand : public QUndoCommand {
public:
    ProjectEditCommand(Document* document, Project before, Project after, const QString& text);

    void undo() override;
    void redo() override;

private:
    Document* document_;
    Project before_;
    Project after_;
};

}  // namespace cdx
