#pragma once

#include "core/network/network.h"
#include "core/project/project.h"

#include <QObject>
#include <QString>
#include <QUndoStack>

#include <memory>

namespace cdx {

/// The open project in the GUI: owns the project, the network it studies and the undo stack,
/// and tells views what changed. Edits arrive as QUndoCommands pushed on undoStack().
class Document : public QObject {
    Q_OBJECT

public:
    explicit Document(QObject* parent = nullptr);
    ~Document() override;

    /// Opens a project, or a network (zoo name or network JSON) in a new unsaved project.
    /// Returns an empty string on success, else the message to show (file, place, reason).
    QString open(const QString& pathOrZooName);

    const Project& project() const { return project_; }
    /// The analysed network; null until a project is open.
    std::shared_ptr<const Network> network() const { return network_; }
    QString filePath() const { return filePath_; }
    QString displayName() const;
    QUndoStack* undoStack() { return &undoStack_; }

signals:
    /// A different network is loaded (new shapes, new layers).
    void networkChanged();
    void filePathChanged();

private:
    Project project_;
    std::shared_ptr<const Network> network_;
    QString filePath_;
    QUndoStack undoStack_;
};

}  // namespace cdx
