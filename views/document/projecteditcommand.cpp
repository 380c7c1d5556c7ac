#include "views/document/projecteditcommand.h"

#include "views/document/document.h"

namespace cdx {

ProjectEditCommand::ProjectEditCommand(Document* document, Project before, Project after, const QString& text)
    : QUndoCommand(text), document_(document), before_(std::move(before)), after_(std::move(after))
{
}

void ProjectEditCommand::undo()
{
    document_->applyProject(before_);
}

void ProjectEditCommand::redo()
{
    document_->applyProject(after_);
}

}  // namespace cdx
