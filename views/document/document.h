#pragma once

#include "core/network/network.h"
#include "core/project/project.h"
#include "estimators/results/networkresult.h"
#include "views/document/estimatescheduler.h"

#include <QObject>
#include <QString>
#include <QUndoStack>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cdx {

class DocumentAutosave;

/// The open project in the GUI: owns the project, the network it studies, the undo stack and
/// the latest estimate, and tells views what changed. Every edit is a QUndoCommand pushed on
/// undoStack(); after each one the project is estimated again in the background (debounced,
/// never blocking the interface, stale results dropped: EstimateScheduler); the autosave is
/// DocumentAutosave's.
class Document : public QObject {
    Q_OBJECT

public:
    /// The blocks of a project an edit may replace.
    enum class Block { Compression, Hardware, Platform, Tech, Explore };
    Q_ENUM(Block)
    /// What a per-layer edit sets in the layer's compression rule.
    enum class LayerField {
        WeightBits,       ///< "weights": {"bits": N}
        ActivationBits,   ///< "activations": {"bits": N}
        WeightFormat,     ///< "weights": {"format": NAME}
        Pruning,          ///< "pruning": the whole pruning object
    };

    explicit Document(QObject* parent = nullptr);
    ~Document() override;

    /// Opens a project, or a network (zoo name, network JSON or .onnx) in a new unsaved project.
    /// Returns an empty string on success, else the message to show (file, place, reason); on
    /// failure the open project stays as it was.
    QString open(const QString& pathOrZooName);
    /// Saves to filePath() (atomically); an error message, or empty.
    QString save();
    /// Saves to `path` (atomically) and makes it the document's file. Relative network paths
    /// are rewritten against the new folder so the copy still finds its network.
    QString saveAs(const QString& path);

    const Project& project() const { return project_; }
    /// The analysed network; null until a project is open.
    std::shared_ptr<const Network> network() const { return network_; }
    QString filePath() const { return filePath_; }
    QString displayName() const;
    QUndoStack* undoStack() { return &undoStack_; }
    bool isModified() const { return !undoStack_.isClean(); }

    // Edits: each pushes one undo command (a no-op edit pushes nothing).
    /// Replaces one block of the project.
    void setBlock(Block block, const nlohmann::ordered_json& value, const QString& description);
    /// Replaces compression, hardware, platform, tech and explore at once (a design point of the explorer).
    void setDesign(const Project& design, const QString& description);
    /// Sets `field` of the per-layer rules of `layers` (network layer indices) to `value` (null:
    /// removes it): each layer gets (or keeps) its own rule, appended after the project's.
    void setLayerField(const std::vector<int>& layers, LayerField field, const nlohmann::ordered_json& value, const QString& description);

    /// The project's blocks as an edit sees them.
    const nlohmann::ordered_json& block(Block block) const;
    /// The resolved compression setting of every layer (the plan applied), or empty when the
    /// compression block does not parse.
    const std::vector<LayerCompression>& layerSettings() const { return settings_; }

    // Estimates.
    /// The latest estimate of the current project; null while none succeeded for it.
    std::shared_ptr<const NetworkResult> result() const { return estimates_->result(); }
    /// Why the current project has no estimate (empty when it has one or one is running).
    QString estimateError() const { return estimates_->error(); }
    bool estimating() const { return estimates_->estimating(); }
    /// Milliseconds from the last edit to the result that reflects it.
    double lastEstimateMs() const { return estimates_->lastEstimateMs(); }
    /// Delay between an edit and the estimate it starts (coalescing fast edits).
    void setDebounceMs(int ms);
    /// Blocks, processing events, until no estimate is pending (tests and --screenshot).
    bool waitForEstimate(int timeoutMs = 30000);
    /// The accumulator widths a measurement found for the current project (the layers whose plan
    /// says "accumulator": {"bits": "auto"}; EstimateOptions::accumulatorProfile); estimates again
    /// when they change. Empty: the templates' widths.
    void setAccumulatorProfile(std::map<std::string, int> profile);

    // Autosave and crash recovery.
    /// Where the autosave of the current project goes (under the application data folder).
    QString autosavePath() const;
    /// Writes the autosave now if the project has unsaved changes.
    void autosave();
    /// Deletes the autosave (the user discarded the changes).
    void discardAutosave() const;
    /// The autosave of `projectPath` (or of an untitled project) newer than the file, if any.
    static QString recoverableAutosave(const QString& projectPath);
    /// Opens an autosave in place of `projectPath`: the project is marked modified.
    QString recover(const QString& autosave, const QString& projectPath);

signals:
    /// A different network is loaded (new shapes, new layers).
    void networkChanged();
    /// The project's settings changed (an edit, undo or redo, or a new project).
    void projectChanged();
    /// One block of the project changed (emitted before projectChanged, once per block that
    /// differs; for a new project, once per block): views that show one block listen to this.
    void blockChanged(cdx::Document::Block block);
    void filePathChanged();
    void modifiedChanged(bool modified);
    /// A new estimate (or a failure: result() null and estimateError() says why).
    void resultChanged();
    void estimateStarted();
    /// A line for the log panel.
    void logMessage(const QString& text);

private:
    friend class ProjectEditCommand;
    /// Installs `project` (from an undo command) and estimates it.
    void applyProject(const Project& project);
    void pushEdit(const Project& after, const QString& description);
    void installProject(Project project, std::shared_ptr<const Network> network);
    void resolveSettings();
    void scheduleEstimate();

    Project project_;
    std::shared_ptr<const Network> network_;
    QString filePath_;
    QUndoStack undoStack_;
    std::vector<LayerCompression> settings_;

    std::map<std::string, int> accumulatorProfile_;
    DocumentAutosave* autosaver_;
    EstimateScheduler* estimates_;  ///< reads project_, network_ and accumulatorProfile_ when an estimate starts
};

}  // namespace cdx
