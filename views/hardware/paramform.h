#pragma once

#include "estimators/templates/templateinfo.h"

#include <QWidget>

#include <nlohmann/json.hpp>

#include <vector>

class QLabel;
class QToolButton;
class QVBoxLayout;

namespace cdx {

/// An editor for a template's parameters: one row per ParamSpec (a spin box for integers and
/// reals, a combo box for choices, a check box for flags), labelled with the name and unit.
/// Parameters the project overrides have a bold label and a reset button ("↺"). The form
/// never edits anything itself: it tells its owner what the user changed.
class ParamForm : public QWidget {
    Q_OBJECT

public:
    explicit ParamForm(QWidget* parent = nullptr);
    ~ParamForm() override;

    /// Builds one row per parameter, in order (nothing happens when these are the specs shown).
    void setSpecs(const std::vector<ParamSpec>& specs);
    const std::vector<ParamSpec>& specs() const { return specs_; }

    /// Shows `effective` (defaults under the preset's values under the project's) and marks
    /// the names in `overrides` as the project's. Emits nothing. A value the editor cannot show
    /// (wrong type, out of range, not a choice) turns its label red and says so in the tooltip.
    void setValues(const nlohmann::ordered_json& effective, const nlohmann::ordered_json& overrides);

    /// The editor of a parameter (QSpinBox, QDoubleSpinBox, QComboBox or QCheckBox), or null.
    QWidget* editor(const QString& name) const;
    /// The reset button of a parameter, or null.
    QToolButton* resetButton(const QString& name) const;
    /// Whether the project overrides the parameter (as of the last setValues).
    bool isOverridden(const QString& name) const;

signals:
    /// The user finished editing a parameter: its new value, or null to remove the project's
    /// override (the reset button). Not emitted while typing, nor when the value did not change.
    void paramEdited(const QString& name, const nlohmann::ordered_json& value);

protected:
    /// Keeps the mouse wheel scrolling the form instead of changing an editor without focus.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Row {
        ParamSpec spec;
        QString name;
        QLabel* label = nullptr;
        QWidget* editor = nullptr;
        QToolButton* reset = nullptr;
        nlohmann::ordered_json shown;  ///< the value the editor shows, as JSON
        bool overridden = false;
    };

    void buildRows();
    void showValue(Row& row, const nlohmann::ordered_json& value, bool overridden);
    /// Emits paramEdited for the row's editor value if it differs from the value shown.
    void commit(int index);
    const Row* row(const QString& name) const;

    std::vector<ParamSpec> specs_;
    std::vector<Row> rows_;
    QVBoxLayout* layout_;
    QWidget* body_ = nullptr;
};

}  // namespace cdx
