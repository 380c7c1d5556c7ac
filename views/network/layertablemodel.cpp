#include "views/network/layertablemodel.h"

#include "core/compression/numberformat.h"
#include "core/compression/pruningspec.h"
#include "estimators/results/networkresult.h"
#include "views/document/document.h"
#include "views/results/units.h"

#include <QColor>
#include <QFont>
#include <QLocale>

#include <cmath>

#include <unordered_map>

namespace cdx {

namespace {

QString fromStd(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// The block-like parameter of a pruning kind that the "Block" column edits, or null.
const char* blockKey(PruningKind kind)
{
    switch (kind) {
    case PruningKind::Circulant: return "block_size";
    case PruningKind::Block: return "size";
    case PruningKind::BlockDiagonal: return "blocks";
    case PruningKind::Group: return "groups";
    case PruningKind::TopK: return "group";
    case PruningKind::NM: return "m";
    default: return nullptr;
    }
}

/// The share-kept parameter of a pruning kind that the "Density" column edits, or null.
const char* densityKey(PruningKind kind)
{
    switch (kind) {
    case PruningKind::Unstructured:
    case PruningKind::LoadBalanced:
    case PruningKind::Block: return "density";
    case PruningKind::Channel: return "keep";
    default: return nullptr;
    }
}

/// A pruning setting of `kind` for a layer switching to it, keeping its density where both have one.
nlohmann::ordered_json pruningFor(PruningKind kind, double density)
{
    nlohmann::ordered_json p = {{"kind", std::string(pruningKindName(kind))}};
    const double d = density < 1 ? density : 0.5;
    switch (kind) {
    case PruningKind::None: return "none";
    case PruningKind::Unstructured: p["density"] = d; break;
    case PruningKind::LoadBalanced: p["density"] = d; p["pes"] = 32; break;
    case PruningKind::TopK: p["group"] = 16; p["k"] = 2; break;
    case PruningKind::BlockDiagonal: p["blocks"] = 4; break;
    case PruningKind::Channel: p["keep"] = d; break;
    case PruningKind::NM: p["n"] = 2; p["m"] = 4; break;
    case PruningKind::Block: p["size"] = 4; p["density"] = d; break;
    case PruningKind::Circulant: p["block_size"] = 8; p["pad"] = true; break;
    case PruningKind::Group: p["groups"] = 2; break;
    }
    return p;
}

QString blockText(const PruningSpec& p)
{
    switch (p.kind) {
    case PruningKind::Circulant: return QString::number(p.blockSize);
    case PruningKind::Block: return QString::number(p.size);
    case PruningKind::BlockDiagonal: return QString::number(p.blocks);
    case PruningKind::Group: return QString::number(p.groups);
    case PruningKind::TopK: return QStringLiteral("%1 of %2").arg(p.k).arg(p.group);
    case PruningKind::NM: return QStringLiteral("%1:%2").arg(p.n).arg(p.m);
    default: return {};
    }
}

double densityOf(const PruningSpec& p)
{
    return p.kind == PruningKind::Channel ? p.keep : p.nominalDensity();
}

/// Whether compression of weights applies to the layer: it has a weight operand of its own
/// (a BatchNorm that folds into its conv, or a normalisation's scale, does not count).
bool hasWeights(const Layer& layer)
{
    switch (layer.kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose:
    case LayerKind::FullyConnected:
    case LayerKind::Lstm:
    case LayerKind::Gru:
    case LayerKind::Rnn:
    case LayerKind::Embedding: return layer.counts.params > 0;
    default: return false;
    }
}

}  // namespace

LayerTableModel::LayerTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void LayerTableModel::setDocument(Document* document)
{
    document_ = document;
    connect(document, &Document::networkChanged, this, [this] { setNetwork(document_->network()); });
    connect(document, &Document::projectChanged, this, &LayerTableModel::refreshSettings);
    connect(document, &Document::resultChanged, this, &LayerTableModel::refreshResults);
    setNetwork(document->network());
}

void LayerTableModel::setNetwork(std::shared_ptr<const Network> network)
{
    beginResetModel();
    network_ = std::move(network);
    figures_.assign(network_ ? network_->layers().size() : 0, {});
    endResetModel();
    refreshResults();
}

void LayerTableModel::refreshSettings()
{
    if (rowCount() > 0)
        emit dataChanged(index(0, WeightBits), index(rowCount() - 1, BlockSize));
}

void LayerTableModel::refreshResults()
{
    if (!network_)
        return;
    figures_.assign(network_->layers().size(), {});
    const auto result = document_ ? document_->result() : nullptr;
    if (result) {
        std::unordered_map<std::string, std::size_t> rowOf;
        for (std::size_t i = 0; i < network_->layers().size(); ++i)
            rowOf.emplace(network_->layers()[i].name, i);
        std::unordered_map<std::string, double> slowest;
        for (const LayerResult& r : result->layers) {
            const auto it = rowOf.find(r.layer);
            if (it == rowOf.end())
                continue;
            LayerFigures& f = figures_[it->second];
            f.known = true;
            f.latencyS += r.latencyS;
            f.energyPj += r.energyPj;
            if (r.latencyS >= slowest[r.layer]) {
                slowest[r.layer] = r.latencyS;
                f.bound = QString::fromStdString(r.bound);
            }
            if (!r.fusedInto.empty())
                f.fusedInto = QString::fromStdString(r.fusedInto);
            for (const auto& [name, op] : r.fused)
                f.fused << QString::fromStdString(op);
        }
        for (const LayerCompressionReport& c : result->compression) {
            const auto it = rowOf.find(c.layer);
            if (it != rowOf.end())
                figures_[it->second].accuracyDrop = c.accuracyDrop;
        }
    }
    if (rowCount() > 0)
        emit dataChanged(index(0, AccuracyDrop), index(rowCount() - 1, Bound));
}

const LayerCompression* LayerTableModel::setting(int row) const
{
    if (!document_ || row < 0 || static_cast<std::size_t>(row) >= document_->layerSettings().size())
        return nullptr;
    return &document_->layerSettings()[static_cast<std::size_t>(row)];
}

int LayerTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !network_)
        return 0;
    return static_cast<int>(network_->layers().size());
}

int LayerTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool LayerTableModel::editable(int row, int column) const
{
    const LayerCompression* s = setting(row);
    if (!s || !network_)
        return false;
    const bool weights = hasWeights(network_->layers()[static_cast<std::size_t>(row)]);
    switch (column) {
    case ActivationBits: return true;
    case WeightBits:
    case WeightFormat:
    case Pruning: return weights;
    case Density: return weights && densityKey(s->pruning.kind) != nullptr;
    case BlockSize: return weights && blockKey(s->pruning.kind) != nullptr;
    default: return false;
    }
}

Qt::ItemFlags LayerTableModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && editable(index.row(), index.column()))
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant LayerTableModel::data(const QModelIndex& index, int role) const
{
    if (!network_ || !index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    const int column = index.column();
    const Layer& layer = network_->layers()[static_cast<std::size_t>(row)];
    const LayerCompression* s = setting(row);
    const LayerFigures& f = figures_[static_cast<std::size_t>(row)];
    const QLocale locale;
    if (role == Qt::TextAlignmentRole) {
        const bool text = column == Name || column == Kind || column == OutputShape || column == WeightFormat || column == Pruning ||
                          column == Bound;
        return QVariant::fromValue(Qt::Alignment(text ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter));
    }
    if (role == ChoicesRole) {
        QStringList choices;
        if (column == WeightFormat)
            for (auto name : numberFormatNames())
                choices << fromStd(name);
        if (column == Pruning)
            for (auto name : pruningKindNames())
                choices << fromStd(name);
        return choices;
    }
    if (role == Qt::ToolTipRole) {
        if (column == Name) {
            const QString name = QString::fromStdString(layer.name);
            if (!f.fusedInto.isEmpty())
                return tr("%1\nFused into %2: its output stage applies it on the way out of the array").arg(name, f.fusedInto);
            if (!f.fused.isEmpty())
                return tr("%1\nIts output stage applies: %2").arg(name, f.fused.join(QStringLiteral(", ")));
            return layer.foldsInto.empty() ? name : tr("%1\nFolds into %2").arg(name, QString::fromStdString(layer.foldsInto));
        }
        if (s && column >= WeightBits && column <= BlockSize)
            return tr("%1\nSet by: %2").arg(QString::fromStdString(s->describe()),
                                            QString::fromStdString(s->rules.empty() ? std::string("defaults") : s->rules.back()));
        if (column == AccuracyDrop)
            return tr("Accuracy drop of this layer's compression, percentage points (proxy or sensitivity table)");
        return {};
    }
    if (role == Qt::FontRole && s && column >= WeightBits && column <= BlockSize && !s->rules.empty() &&
        s->rules.back().rfind("/compression/layers", 0) == 0) {
        QFont font;
        font.setBold(true);  // set by a per-layer rule
        return font;
    }
    // A fused layer is drawn as part of its MAC layer's group: greyed, with the group named.
    if (role == Qt::ForegroundRole && !f.fusedInto.isEmpty())
        return QColor(Qt::gray);
    const bool sort = role == SortRole;
    if (role != Qt::DisplayRole && role != Qt::EditRole && !sort)
        return {};
    const bool weights = hasWeights(layer);
    switch (column) {
    case Index: return row;
    case Name: return QString::fromStdString(layer.name);
    case Kind: return fromStd(layerKindName(layer.kind));
    case OutputShape: return layer.outputShapes.empty() ? QString() : QString::fromStdString(formatShape(layer.outputShapes[0]));
    case Macs: return sort ? QVariant(qlonglong(layer.counts.macs)) : QVariant(locale.toString(qlonglong(layer.counts.macs)));
    case Params: return sort ? QVariant(qlonglong(layer.counts.params)) : QVariant(locale.toString(qlonglong(layer.counts.params)));
    case WeightBits: return s && weights ? QVariant(s->weights.bits) : QVariant();
    case WeightFormat: return s && weights ? QVariant(fromStd(numberFormatName(s->weights.format))) : QVariant();
    case ActivationBits: return s ? QVariant(s->activations.bits) : QVariant();
    case Pruning: return s && weights ? QVariant(fromStd(pruningKindName(s->pruning.kind))) : QVariant();
    case Density:
        if (!s || !weights || s->pruning.kind == PruningKind::None)
            return {};
        return sort || role == Qt::EditRole ? QVariant(densityOf(s->pruning)) : QVariant(QString::number(densityOf(s->pruning), 'g', 3));
    case BlockSize: return s && weights ? QVariant(blockText(s->pruning)) : QVariant();
    case AccuracyDrop:
        if (!f.known)
            return {};
        return sort ? QVariant(f.accuracyDrop) : QVariant(QString::number(f.accuracyDrop, 'f', 2));
    case Latency:
        if (!f.known)
            return {};
        return sort ? QVariant(f.latencyS) : QVariant(units::seconds(f.latencyS));
    case Energy:
        if (!f.known)
            return {};
        return sort ? QVariant(f.energyPj) : QVariant(units::joules(f.energyPj * 1e-12));
    case Bound:
        if (!f.fusedInto.isEmpty())
            return tr("fused into %1").arg(f.fusedInto);
        return f.fused.isEmpty() ? f.bound : tr("%1 (+%2)").arg(f.bound, f.fused.join(QStringLiteral(", ")));
    default: return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case WeightBits: return tr("Weight bits (editable; applies to every selected layer)");
        case ActivationBits: return tr("Activation bits (editable)");
        case WeightFormat: return tr("Weight number format (editable)");
        case Pruning: return tr("Pruning kind (editable)");
        case Density: return tr("Share of weights (or channels) kept (editable)");
        case BlockSize: return tr("Block size, blocks or groups of the pruning structure (editable)");
        case Bound: return tr("What sets the layer's cycles");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Index: return tr("#");
    case Name: return tr("Layer");
    case Kind: return tr("Kind");
    case OutputShape: return tr("Output shape");
    case Macs: return tr("MACs");
    case Params: return tr("Parameters");
    case WeightBits: return tr("W bits");
    case WeightFormat: return tr("W format");
    case ActivationBits: return tr("A bits");
    case Pruning: return tr("Pruning");
    case Density: return tr("Density");
    case BlockSize: return tr("Block");
    case AccuracyDrop: return tr("Acc. drop (pp)");
    case Latency: return tr("Latency");
    case Energy: return tr("Energy");
    case Bound: return tr("Bound");
    default: return {};
    }
}

bool LayerTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid())
        return false;
    return editLayers({index.row()}, index.column(), value);
}

bool LayerTableModel::editLayers(const std::vector<int>& rows, int column, const QVariant& value)
{
    if (!document_ || !network_)
        return false;
    std::vector<int> targets;
    for (int row : rows)
        if (editable(row, column))
            targets.push_back(row);
    if (targets.empty())
        return false;
    const QString layers = targets.size() == 1 ? QString::fromStdString(network_->layers()[static_cast<std::size_t>(targets[0])].name)
                                               : tr("%1 layers").arg(targets.size());
    switch (column) {
    case WeightBits:
    case ActivationBits: {
        bool ok = false;
        const int bits = value.toInt(&ok);
        if (!ok || bits < 1 || bits > 32)
            return false;
        const bool w = column == WeightBits;
        document_->setLayerField(targets, w ? Document::LayerField::WeightBits : Document::LayerField::ActivationBits, bits,
                                 tr("Set %1 %2 bits to %3").arg(layers, w ? tr("weight") : tr("activation")).arg(bits));
        return true;
    }
    case WeightFormat: {
        const std::string name = value.toString().toStdString();
        if (!numberFormatFromName(name))
            return false;
        document_->setLayerField(targets, Document::LayerField::WeightFormat, name, tr("Set %1 weight format to %2").arg(layers, value.toString()));
        return true;
    }
    case Pruning: {
        const auto kind = pruningKindFromName(value.toString().toStdString());
        if (!kind)
            return false;
        // Each layer keeps its own density where the new kind has one: edit layer by layer in one macro.
        document_->undoStack()->beginMacro(tr("Set %1 pruning to %2").arg(layers, value.toString()));
        for (int row : targets)
            document_->setLayerField({row}, Document::LayerField::Pruning, pruningFor(*kind, densityOf(setting(row)->pruning)), {});
        document_->undoStack()->endMacro();
        return true;
    }
    case Density:
    case BlockSize: {
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok || number <= 0 || (column == Density && number > 1))
            return false;
        document_->undoStack()->beginMacro(tr("Set %1 %2 to %3").arg(layers, column == Density ? tr("density") : tr("block size"))
                                               .arg(number));
        for (int row : targets) {
            const LayerCompression* s = setting(row);
            nlohmann::ordered_json pruning = s->toJson()["pruning"];
            const char* key = column == Density ? densityKey(s->pruning.kind) : blockKey(s->pruning.kind);
            if (column == Density)
                pruning[key] = number;
            else
                pruning[key] = static_cast<long long>(number);
            document_->setLayerField({row}, Document::LayerField::Pruning, pruning, {});
        }
        document_->undoStack()->endMacro();
        return true;
    }
    default: return false;
    }
}

}  // namespace cdx
