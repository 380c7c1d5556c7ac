#include "views/hardware/paramform.h"

#include "views/hardware/wheelforwarding.h"

#include <QAbstractScrollArea>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFontMetrics>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cdx {

namespace {

/// Integer parameters without a range get this one.
constexpr int kWideInteger = 1'000'000'000;
constexpr double kWideReal = 1e12;

/// A double spin box that leaves out trailing zeros ("128 KiB", "25.6 GB/s", not "128.000").
class CompactDoubleSpinBox : public QDoubleSpinBox {
public:
    using QDoubleSpinBox::QDoubleSpinBox;

    QString textFromValue(double value) const override
    {
        QString text = locale().toString(value, 'f', decimals());
        text.remove(locale().groupSeparator());
        const QString point = locale().decimalPoint();
        if (text.contains(point)) {
            while (text.endsWith(QLatin1Char('0')))
                text.chop(1);
            if (text.endsWith(point))
                text.chop(point.size());
        }
        return text;
    }
};

/// QAbstractSpinBox's minimum size leaves out the suffix: make room for it, and for values
/// up to six digits (a range up to 10^9 would make every form wide).
void makeRoomForSuffix(CompactDoubleSpinBox* spin)
{
    const QFontMetrics fm(spin->fontMetrics());
    const int overhead = spin->minimumSizeHint().width() - fm.horizontalAdvance(spin->textFromValue(spin->maximum()));
    const QString widest = spin->textFromValue(std::min(spin->maximum(), 999999.0)) + spin->suffix();
    spin->setMinimumWidth(std::max(spin->minimumSizeHint().width(), overhead + fm.horizontalAdvance(widest)));
}

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

/// A value as a user reads it: strings without quotes, numbers without a trailing ".0".
QString valueText(const nlohmann::ordered_json& value)
{
    if (value.is_string())
        return fromStd(value.get<std::string>());
    if (value.is_number_float()) {
        const double x = value.get<double>();
        return QString::number(x, 'g', 12);
    }
    return fromStd(value.dump());
}

bool sameSpec(const ParamSpec& a, const ParamSpec& b)
{
    return a.name == b.name && a.type == b.type && a.min == b.min && a.max == b.max && a.defaultValue == b.defaultValue &&
           a.choices == b.choices && a.unit == b.unit && a.description == b.description;
}

bool hasRange(const ParamSpec& spec)
{
    return spec.max > spec.min;
}

int decimalsFor(const ParamSpec& spec)
{
    int decimals = 3;
    if (spec.min > 0 && spec.min < 1)
        decimals = std::max(decimals, static_cast<int>(std::ceil(-std::log10(spec.min))) + 1);
    return std::min(decimals, 8);
}

QString rangeText(const ParamSpec& spec)
{
    if (spec.type != ParamType::Integer && spec.type != ParamType::Real)
        return {};
    if (!hasRange(spec))
        return {};
    return QCoreApplication::translate("cdx::ParamForm", "range %1 to %2")
        .arg(QString::number(spec.min, 'g', 12), QString::number(spec.max, 'g', 12));
}

QString labelText(const ParamSpec& spec)
{
    QString text = fromStd(spec.name);
    if (!spec.unit.empty())
        text += QStringLiteral(" (") + fromStd(spec.unit) + QLatin1Char(')');
    return text;
}

QString toolTipFor(const ParamSpec& spec)
{
    QString tip = fromStd(spec.description);
    QString facts = QCoreApplication::translate("cdx::ParamForm", "Default: %1").arg(valueText(nlohmann::ordered_json(spec.defaultValue)));
    if (!spec.unit.empty() && spec.type != ParamType::Boolean && spec.type != ParamType::Choice)
        facts += QLatin1Char(' ') + fromStd(spec.unit);
    if (const QString range = rangeText(spec); !range.isEmpty())
        facts += QStringLiteral("; ") + range;
    if (spec.type == ParamType::Choice) {
        QStringList choices;
        for (const auto& c : spec.choices)
            choices << fromStd(c);
        facts += QStringLiteral("; ") + QCoreApplication::translate("cdx::ParamForm", "one of %1").arg(choices.join(QStringLiteral(", ")));
    }
    return tip.isEmpty() ? facts : tip + QLatin1Char('\n') + facts;
}

/// Why `value` cannot be shown for `spec`, or empty.
QString problemWith(const ParamSpec& spec, const nlohmann::ordered_json& value)
{
    switch (spec.type) {
    case ParamType::Integer:
    case ParamType::Real: {
        if (!value.is_number())
            return QCoreApplication::translate("cdx::ParamForm", "expected a number");
        const double x = value.get<double>();
        if (!std::isfinite(x))
            return QCoreApplication::translate("cdx::ParamForm", "not a finite number");
        if (spec.type == ParamType::Integer && std::floor(x) != x)
            return QCoreApplication::translate("cdx::ParamForm", "expected an integer");
        if (hasRange(spec) && (x < spec.min || x > spec.max))
            return QCoreApplication::translate("cdx::ParamForm", "outside the %1").arg(rangeText(spec));
        return {};
    }
    case ParamType::Choice: {
        if (!value.is_string())
            return QCoreApplication::translate("cdx::ParamForm", "expected one of the choices");
        const std::string s = value.get<std::string>();
        if (std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end())
            return QCoreApplication::translate("cdx::ParamForm", "not one of the choices");
        return {};
    }
    case ParamType::Boolean:
        return value.is_boolean() ? QString() : QCoreApplication::translate("cdx::ParamForm", "expected true or false");
    }
    return {};
}

/// The editor's value as JSON.
nlohmann::ordered_json editorValue(const ParamSpec& spec, const QWidget* editor)
{
    switch (spec.type) {
    case ParamType::Integer:
        return static_cast<std::int64_t>(static_cast<const QSpinBox*>(editor)->value());
    case ParamType::Real:
        return static_cast<const QDoubleSpinBox*>(editor)->value();
    case ParamType::Choice: {
        const auto* combo = static_cast<const QComboBox*>(editor);
        const QVariant data = combo->currentData();
        if (!data.isValid())
            return nullptr;  // the project's invalid value, shown as it is
        return data.toString().toStdString();
    }
    case ParamType::Boolean:
        return static_cast<const QCheckBox*>(editor)->isChecked();
    }
    return nullptr;
}

}  // namespace

ParamForm::ParamForm(QWidget* parent)
    : QWidget(parent), layout_(new QVBoxLayout(this))
{
    layout_->setContentsMargins(0, 0, 0, 0);
    buildRows();
}

ParamForm::~ParamForm() = default;

void ParamForm::setSpecs(const std::vector<ParamSpec>& specs)
{
    if (body_ && specs.size() == specs_.size() && std::equal(specs.begin(), specs.end(), specs_.begin(), sameSpec))
        return;
    specs_ = specs;
    buildRows();
}

void ParamForm::buildRows()
{
    // The old rows may be inside the slot that led here (an edit the owner applied at once):
    // they go when control returns to the event loop.
    if (body_) {
        for (Row& r : rows_) {
            // Hiding a focused editor ends its edit: that must not reach the new rows.
            disconnect(r.editor, nullptr, this, nullptr);
            disconnect(r.reset, nullptr, this, nullptr);
            r.editor->removeEventFilter(this);
        }
        body_->hide();
        layout_->removeWidget(body_);
        body_->deleteLater();
    }
    rows_.clear();
    body_ = new QWidget(this);
    auto* form = new QFormLayout(body_);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    layout_->addWidget(body_);

    rows_.reserve(specs_.size());
    for (const ParamSpec& spec : specs_) {
        Row row;
        row.spec = spec;
        row.name = fromStd(spec.name);
        const QString tip = toolTipFor(spec);
        auto* field = new QWidget(body_);
        auto* line = new QHBoxLayout(field);
        line->setContentsMargins(0, 0, 0, 0);
        line->setSpacing(2);
        const int index = static_cast<int>(rows_.size());
        switch (spec.type) {
        case ParamType::Integer: {
            auto* spin = new QSpinBox(field);
            const double low = hasRange(spec) ? spec.min : -kWideInteger;
            const double high = hasRange(spec) ? spec.max : kWideInteger;
            spin->setRange(static_cast<int>(std::clamp<double>(low, std::numeric_limits<int>::min(), std::numeric_limits<int>::max())),
                           static_cast<int>(std::clamp<double>(high, std::numeric_limits<int>::min(), std::numeric_limits<int>::max())));
            connect(spin, &QSpinBox::editingFinished, this, [this, index] { commit(index); });
            row.editor = spin;
            break;
        }
        case ParamType::Real: {
            auto* spin = new CompactDoubleSpinBox(field);
            spin->setDecimals(decimalsFor(spec));
            spin->setRange(hasRange(spec) ? spec.min : -kWideReal, hasRange(spec) ? spec.max : kWideReal);
            const double span = hasRange(spec) ? spec.max - spec.min : 100.0;
            spin->setSingleStep(span <= 10 ? 0.1 : 1.0);
            if (!spec.unit.empty())
                spin->setSuffix(QLatin1Char(' ') + fromStd(spec.unit));
            connect(spin, &QDoubleSpinBox::editingFinished, this, [this, index] { commit(index); });
            row.editor = spin;
            break;
        }
        case ParamType::Choice: {
            auto* combo = new QComboBox(field);
            for (const auto& c : spec.choices)
                combo->addItem(fromStd(c), fromStd(c));
            connect(combo, &QComboBox::activated, this, [this, index] { commit(index); });
            row.editor = combo;
            break;
        }
        case ParamType::Boolean: {
            auto* check = new QCheckBox(field);
            connect(check, &QCheckBox::toggled, this, [this, index] { commit(index); });
            row.editor = check;
            break;
        }
        }
        row.editor->setObjectName(row.name);
        row.editor->setToolTip(tip);
        row.editor->setFocusPolicy(Qt::StrongFocus);
        row.editor->installEventFilter(this);
        if (spec.type != ParamType::Boolean)
            row.editor->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        line->addWidget(row.editor, spec.type == ParamType::Boolean ? 0 : 1);
        if (spec.type == ParamType::Boolean)
            line->addStretch(1);

        row.reset = new QToolButton(field);
        row.reset->setText(QString(QChar(0x21BA)));
        row.reset->setAutoRaise(true);
        row.reset->setFocusPolicy(Qt::TabFocus);
        row.reset->setToolTip(tr("Remove the project's value of %1 (back to the preset's or the default)").arg(row.name));
        row.reset->setAccessibleName(tr("Reset %1").arg(row.name));
        QSizePolicy keep = row.reset->sizePolicy();
        keep.setRetainSizeWhenHidden(true);
        row.reset->setSizePolicy(keep);
        row.reset->hide();
        connect(row.reset, &QToolButton::clicked, this, [this, index] {
            if (index < static_cast<int>(rows_.size()) && rows_[index].overridden)
                emit paramEdited(rows_[index].name, nlohmann::ordered_json());
        });
        line->addWidget(row.reset);

        row.label = new QLabel(labelText(spec), body_);
        row.label->setToolTip(tip);
        row.label->setBuddy(row.editor);
        form->addRow(row.label, field);
        rows_.push_back(std::move(row));
    }
    for (Row& r : rows_)
        showValue(r, nlohmann::ordered_json(r.spec.defaultValue), false);
    body_->ensurePolished();  // the style's sizes, for the width the rows need
    for (Row& r : rows_)
        if (r.spec.type == ParamType::Real)
            makeRoomForSuffix(static_cast<CompactDoubleSpinBox*>(r.editor));
}

void ParamForm::setValues(const nlohmann::ordered_json& effective, const nlohmann::ordered_json& overrides)
{
    for (Row& r : rows_) {
        const std::string& key = r.spec.name;
        const bool overridden = overrides.is_object() && overrides.contains(key);
        if (effective.is_object() && effective.contains(key))
            showValue(r, effective.at(key), overridden);
        else
            showValue(r, nlohmann::ordered_json(r.spec.defaultValue), overridden);
    }
}

void ParamForm::showValue(Row& row, const nlohmann::ordered_json& value, bool overridden)
{
    const QSignalBlocker blocker(row.editor);
    const QString problem = problemWith(row.spec, value);
    switch (row.spec.type) {
    case ParamType::Integer:
        if (value.is_number())
            static_cast<QSpinBox*>(row.editor)->setValue(static_cast<int>(std::clamp<double>(
                std::round(value.get<double>()), std::numeric_limits<int>::min(), std::numeric_limits<int>::max())));
        break;
    case ParamType::Real:
        if (value.is_number() && std::isfinite(value.get<double>()))
            static_cast<QDoubleSpinBox*>(row.editor)->setValue(value.get<double>());
        break;
    case ParamType::Choice: {
        auto* combo = static_cast<QComboBox*>(row.editor);
        // Drop an invalid value left from an earlier project, then show this one.
        while (combo->count() > static_cast<int>(row.spec.choices.size()))
            combo->removeItem(combo->count() - 1);
        const int found = value.is_string() ? combo->findData(fromStd(value.get<std::string>())) : -1;
        if (found >= 0) {
            combo->setCurrentIndex(found);
        } else {
            combo->addItem(tr("%1 (invalid)").arg(valueText(value)));
            combo->setCurrentIndex(combo->count() - 1);
        }
        break;
    }
    case ParamType::Boolean:
        if (value.is_boolean())
            static_cast<QCheckBox*>(row.editor)->setChecked(value.get<bool>());
        break;
    }
    row.shown = editorValue(row.spec, row.editor);
    row.overridden = overridden;

    QFont font = row.label->font();
    font.setBold(overridden);
    row.label->setFont(font);
    QString tip = toolTipFor(row.spec);
    if (overridden)
        tip += QLatin1Char('\n') + tr("Set by the project.");
    if (!problem.isEmpty()) {
        tip += QLatin1Char('\n') + tr("The value %1 is not valid: %2.").arg(valueText(value), problem);
        row.label->setStyleSheet(QStringLiteral("color: #c62828;"));
    } else {
        row.label->setStyleSheet(QString());
    }
    row.label->setToolTip(tip);
    row.editor->setToolTip(tip);
    row.reset->setVisible(overridden);
}

void ParamForm::commit(int index)
{
    if (index < 0 || index >= static_cast<int>(rows_.size()))
        return;
    Row& r = rows_[index];
    const nlohmann::ordered_json value = editorValue(r.spec, r.editor);
    if (value.is_null() || value == r.shown)
        return;
    r.shown = value;
    emit paramEdited(r.name, value);
}

const ParamForm::Row* ParamForm::row(const QString& name) const
{
    for (const Row& r : rows_)
        if (r.name == name)
            return &r;
    return nullptr;
}

QWidget* ParamForm::editor(const QString& name) const
{
    const Row* r = row(name);
    return r ? r->editor : nullptr;
}

QToolButton* ParamForm::resetButton(const QString& name) const
{
    const Row* r = row(name);
    return r ? r->reset : nullptr;
}

bool ParamForm::isOverridden(const QString& name) const
{
    const Row* r = row(name);
    return r && r->overridden;
}

bool ParamForm::eventFilter(QObject* watched, QEvent* event)
{
    return forwardUnfocusedWheel(this, watched, event) || QWidget::eventFilter(watched, event);
}

}  // namespace cdx
