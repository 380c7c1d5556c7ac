#include "views/document/document.h"

#include "core/compression/compressionplan.h"
#include "core/project/networksource.h"
#include "core/util/datapaths.h"
#include "views/document/documentautosave.h"
#include "views/document/projecteditcommand.h"

#include <QFileInfo>

#include <array>
#include <filesystem>

namespace cdx {

namespace {

constexpr std::array kBlocks{Document::Block::Compression, Document::Block::Hardware, Document::Block::Platform, Document::Block::Tech,
                             Document::Block::Explore};

/// The JSON of one block of a project (const or not).
template <class P>
auto& blockOf(P& project, Document::Block which)
{
    switch (which) {
    case Document::Block::Compression: return project.compression;
    case Document::Block::Hardware: return project.hardware;
    case Document::Block::Platform: return project.platform;
    case Document::Block::Tech: return project.tech;
    case Document::Block::Explore: return project.explore;
    }
    return project.compression;
}

QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

/// The rule selector of one layer: its exact name, or its index when the name holds glob characters.
nlohmann::ordered_json layerSelector(const Layer& layer, int index)
{
    nlohmann::ordered_json selector = nlohmann::ordered_json::object();
    if (layer.name.find_first_of("*?") == std::string::npos)
        selector["match"] = layer.name;
    else
        selector["index"] = nlohmann::ordered_json::array({index, index});
    return selector;
}

/// Whether `rule` is the own rule of the layer `selector` names (its only selector key).
bool isLayerRule(const nlohmann::ordered_json& rule, const nlohmann::ordered_json& selector)
{
    if (!rule.is_object())
        return false;
    for (const char* key : {"match", "kind", "index"}) {
        const bool has = rule.contains(key);
        if (has != selector.contains(key) || (has && rule[key] != selector[key]))
            return false;
    }
    return true;
}

/// Sets (or with a null value removes) the key path `field` of `object`, dropping emptied parents.
void setField(nlohmann::ordered_json& object, const std::vector<std::string>& field, std::size_t at,
              const nlohmann::ordered_json& value)
{
    const std::string& key = field[at];
    if (at + 1 == field.size()) {
        if (value.is_null())
            object.erase(key);
        else
            object[key] = value;
        return;
    }
    if (!object.contains(key) || !object[key].is_object()) {
        if (value.is_null())
            return;
        object[key] = nlohmann::ordered_json::object();
    }
    setField(object[key], field, at + 1, value);
    if (object[key].empty())
        object.erase(key);
}

/// The keys of a layer rule that a LayerField sets: the one place the studio names them.
std::vector<std::string> fieldPath(Document::LayerField field)
{
    switch (field) {
    case Document::LayerField::WeightBits: return {"weights", "bits"};
    case Document::LayerField::ActivationBits: return {"activations", "bits"};
    case Document::LayerField::WeightFormat: return {"weights", "format"};
    case Document::LayerField::Pruning: return {"pruning"};
    }
    return {"pruning"};
}

}  // namespace

Document::Document(QObject* parent)
    : QObject(parent),
      autosaver_(new DocumentAutosave(this)),
      estimates_(new EstimateScheduler([this] { return EstimateScheduler::Inputs{project_, network_, accumulatorProfile_}; }, this))
{
    connect(estimates_, &EstimateScheduler::started, this, &Document::estimateStarted);
    connect(estimates_, &EstimateScheduler::failed, this,
            [this](const QString& error) { emit logMessage(tr("Estimate failed: %1").arg(error)); });
    connect(estimates_, &EstimateScheduler::resultChanged, this, &Document::resultChanged);
    connect(autosaver_, &DocumentAutosave::due, this, &Document::autosave);
    connect(&undoStack_, &QUndoStack::cleanChanged, this, [this](bool clean) {
        if (clean)
            discardAutosave();
        emit modifiedChanged(!clean);
    });
}

Document::~Document()
{
    // Clearing the stack on destruction reports it clean: that must not delete the autosave a
    // crash-free exit without saving leaves (MainWindow removes it when the user discards).
    disconnect(&undoStack_, nullptr, this, nullptr);
    // The running estimate must neither touch the result nor signal receivers destroyed with
    // their window: EstimateScheduler::shutdown waits for it.
    blockSignals(true);
    estimates_->shutdown();
}

QString Document::open(const QString& pathOrZooName)
{
    auto project = projectForSource(pathOrZooName.toStdString());
    if (!project)
        return fromStd(project.error().describe());
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return fromStd(network.error().describe());
    if (project->name.empty())
        project->name = network->name();
    if (project->hardware.empty() && project->platform.empty()) {
        // A network on its own: start from the default project's hardware and compression.
        if (auto base = loadProjectFile(defaultProjectPath())) {
            project->compression = base->compression;
            project->hardware = base->hardware;
            project->platform = base->platform;
            project->tech = base->tech;
        }
    }
    const bool wasModified = isModified();
    filePath_ = project->filePath.empty() ? QString() : QFileInfo(fromStd(project->filePath)).absoluteFilePath();
    installProject(std::move(project.value()), std::make_shared<const Network>(std::move(network.value())));
    undoStack_.clear();
    if (wasModified)
        emit modifiedChanged(false);
    emit filePathChanged();
    emit logMessage(tr("Opened %1: %2, %3 layers").arg(filePath_.isEmpty() ? pathOrZooName : filePath_, fromStd(network_->name()))
                        .arg(network_->layers().size()));
    return {};
}

void Document::installProject(Project project, std::shared_ptr<const Network> network)
{
    project_ = std::move(project);
    network_ = std::move(network);
    estimates_->clear();
    resolveSettings();
    emit networkChanged();
    for (const Block b : kBlocks)
        emit blockChanged(b);
    emit projectChanged();
    emit resultChanged();
    scheduleEstimate();
}

QString Document::save()
{
    if (filePath_.isEmpty())
        return tr("The project has no file yet: use Save As.");
    return saveAs(filePath_);
}

QString Document::saveAs(const QString& path)
{
    namespace fs = std::filesystem;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    Project copy = project_;
    auto& ref = copy.network;
    if (ref.source != NetworkReference::Source::Zoo && !fs::path(ref.value).is_absolute()) {
        // Re-anchor the network path at the new folder.
        std::error_code ec;
        const fs::path oldBase = project_.filePath.empty() ? fs::current_path(ec) : fs::path(project_.filePath).parent_path();
        const fs::path target = fs::absolute(oldBase / ref.value, ec).lexically_normal();
        const fs::path newBase = fs::path(absolute.toStdString()).parent_path();
        const fs::path relative = target.lexically_relative(newBase);
        // A project names files in its folder relatively; one outside it, by its absolute path
        // (a relative path may not climb out of the project's folder).
        const bool inside = !relative.empty() && *relative.begin() != "..";
        ref.value = inside ? relative.generic_string() : target.generic_string();
    }
    copy.filePath = absolute.toStdString();
    if (auto error = saveProjectFile(copy, copy.filePath))
        return fromStd(error->describe());
    discardAutosave();
    project_ = std::move(copy);
    if (filePath_ != absolute) {
        filePath_ = absolute;
        emit filePathChanged();
    }
    undoStack_.setClean();
    emit logMessage(tr("Saved %1").arg(absolute));
    return {};
}

QString Document::displayName() const
{
    if (!project_.name.empty())
        return fromStd(project_.name);
    return filePath_.isEmpty() ? tr("Untitled") : QFileInfo(filePath_).fileName();
}

const nlohmann::ordered_json& Document::block(Block which) const
{
    return blockOf(project_, which);
}

void Document::setBlock(Block which, const nlohmann::ordered_json& value, const QString& description)
{
    Project after = project_;
    blockOf(after, which) = value;
    pushEdit(after, description);
}

void Document::setDesign(const Project& design, const QString& description)
{
    Project after = project_;
    after.compression = design.compression;
    after.hardware = design.hardware;
    after.platform = design.platform;
    after.tech = design.tech;
    pushEdit(after, description);
}

void Document::setLayerField(const std::vector<int>& layers, LayerField field, const nlohmann::ordered_json& value,
                             const QString& description)
{
    if (!network_ || layers.empty())
        return;
    Project after = project_;
    nlohmann::ordered_json& compression = after.compression;
    if (!compression.is_object())
        compression = nlohmann::ordered_json::object();
    nlohmann::ordered_json& rules = compression["layers"];
    if (!rules.is_array())
        rules = nlohmann::ordered_json::array();
    const std::vector<std::string> parts = fieldPath(field);
    for (int index : layers) {
        if (index < 0 || static_cast<std::size_t>(index) >= network_->layers().size())
            continue;
        const nlohmann::ordered_json selector = layerSelector(network_->layers()[static_cast<std::size_t>(index)], index);
        // The layer's own rule moves to the end so that the edit wins over every broader rule.
        nlohmann::ordered_json rule = selector;
        for (auto it = rules.begin(); it != rules.end(); ++it) {
            if (isLayerRule(*it, selector)) {
                rule = *it;
                rules.erase(it);
                break;
            }
        }
        setField(rule, parts, 0, value);
        if (rule.size() > selector.size())
            rules.push_back(std::move(rule));
    }
    if (rules.empty() && !project_.compression.contains("layers"))
        compression.erase("layers");
    pushEdit(after, description);
}

void Document::pushEdit(const Project& after, const QString& description)
{
    if (!network_)
        return;
    if (after.compression == project_.compression && after.hardware == project_.hardware && after.platform == project_.platform &&
        after.tech == project_.tech && after.explore == project_.explore && after.name == project_.name)
        return;
    undoStack_.push(new ProjectEditCommand(this, project_, after, description));
}

void Document::applyProject(const Project& project)
{
    std::vector<Block> changed;
    for (const Block b : kBlocks)
        if (block(b) != blockOf(project, b))
            changed.push_back(b);
    project_.name = project.name;
    project_.compression = project.compression;
    project_.hardware = project.hardware;
    project_.platform = project.platform;
    project_.tech = project.tech;
    project_.explore = project.explore;
    resolveSettings();
    for (const Block b : changed)
        emit blockChanged(b);
    emit projectChanged();
    scheduleEstimate();
}

void Document::resolveSettings()
{
    settings_.clear();
    if (!network_)
        return;
    auto plan = CompressionPlan::fromJson(project_.compression, project_.filePath);
    if (plan)
        settings_ = plan->resolve(*network_);
}

void Document::setDebounceMs(int ms)
{
    estimates_->setDebounceMs(ms);
}

void Document::setAccumulatorProfile(std::map<std::string, int> profile)
{
    if (profile == accumulatorProfile_)
        return;
    accumulatorProfile_ = std::move(profile);
    scheduleEstimate();
}

void Document::scheduleEstimate()
{
    if (!network_)
        return;
    estimates_->schedule();
}

bool Document::waitForEstimate(int timeoutMs)
{
    return estimates_->waitForEstimate(timeoutMs);
}

QString Document::autosavePath() const
{
    return DocumentAutosave::pathFor(filePath_);
}

void Document::autosave()
{
    if (!isModified() || !network_)
        return;
    if (const QString error = DocumentAutosave::write(project_, filePath_); !error.isEmpty())
        emit logMessage(tr("Autosave failed: %1").arg(error));
}

void Document::discardAutosave() const
{
    DocumentAutosave::discard(filePath_);
}

QString Document::recoverableAutosave(const QString& projectPath)
{
    return DocumentAutosave::recoverable(projectPath);
}

QString Document::recover(const QString& autosave, const QString& projectPath)
{
    auto project = DocumentAutosave::read(autosave, projectPath);
    if (!project)
        return fromStd(project.error().describe());
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return fromStd(network.error().describe());
    filePath_ = projectPath.isEmpty() ? QString() : QFileInfo(projectPath).absoluteFilePath();
    if (projectPath.isEmpty())
        project->filePath.clear();
    installProject(std::move(project.value()), std::make_shared<const Network>(std::move(network.value())));
    undoStack_.clear();
    // Mark the recovered state as unsaved: an edit from the file's state to the autosave's.
    undoStack_.resetClean();
    emit filePathChanged();
    emit modifiedChanged(true);
    emit logMessage(tr("Recovered unsaved changes from %1").arg(autosave));
    return {};
}

}  // namespace cdx
