#include "views/network/networksummarywidget.h"

#include "views/document/document.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace cdx {

NetworkSummaryWidget::NetworkSummaryWidget(Document* document, QWidget* parent)
    : QWidget(parent), document_(document), title_(new QLabel(this)), details_(new QLabel(this))
{
    auto* layout = new QVBoxLayout(this);
    QFont font = title_->font();
    font.setPointSizeF(font.pointSizeF() * 1.6);
    font.setBold(true);
    title_->setFont(font);
    details_->setTextFormat(Qt::RichText);
    details_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(title_);
    layout->addWidget(details_, 1);
    connect(document_, &Document::networkChanged, this, &NetworkSummaryWidget::refresh);
    refresh();
}

void NetworkSummaryWidget::refresh()
{
    const auto network = document_->network();
    if (!network) {
        title_->setText(tr("No project open"));
        details_->setText(tr("Open a project, a network file or a zoo network with File > Open."));
        return;
    }
    const QLocale locale;
    const NetworkTotals& t = network->totals();
    title_->setText(document_->displayName());
    QString inputs;
    for (const auto& input : network->inputSpecs())
        inputs += QStringLiteral("%1 %2<br>")
                      .arg(QString::fromStdString(input.name).toHtmlEscaped(),
                           QString::fromStdString(formatShape(network->findTensor(input.name)->shape)));
    const auto row = [](const QString& label, const QString& value) {
        return QStringLiteral("<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>").arg(label, value);
    };
    QString html = QStringLiteral("<table>");
    html += row(tr("Network"), QString::fromStdString(network->name() + ": " + network->description()).toHtmlEscaped());
    html += row(tr("Source"), QString::fromStdString(network->source()).toHtmlEscaped());
    html += row(tr("Inputs"), inputs);
    const Project& project = document_->project();
    const auto text = [](const nlohmann::ordered_json& block, const char* key) {
        const auto it = block.find(key);
        if (it == block.end())
            return QString();
        return QString::fromStdString(it->is_string() ? it->get<std::string>() : it->dump()).toHtmlEscaped();
    };
    if (!project.hardware.empty())
        html += row(tr("Hardware"), tr("%1, preset %2").arg(text(project.hardware, "template"), text(project.hardware, "preset")));
    if (!project.platform.empty()) {
        QStringList parts;
        for (auto it = project.platform.begin(); it != project.platform.end(); ++it)
            parts << QStringLiteral("%1 %2").arg(QString::fromStdString(it.key()), text(project.platform, it.key().c_str()));
        html += row(tr("Platform"), parts.join(QStringLiteral(", ")));
    }
    html += row(tr("Layers"), tr("%1 (%2 with MACs)").arg(t.layers).arg(t.macLayers));
    html += row(tr("MACs"), locale.toString(qlonglong(t.macs)));
    html += row(tr("Parameters"), locale.toString(qlonglong(t.params)));
    html += row(tr("Other operations"), locale.toString(qlonglong(t.ops)));
    html += QStringLiteral("</table>");
    if (!network->warnings().empty()) {
        html += QStringLiteral("<p><b>%1</b><ul>").arg(tr("Warnings"));
        for (const auto& w : network->warnings())
            html += QStringLiteral("<li>%1</li>").arg(QString::fromStdString(w).toHtmlEscaped());
        html += QStringLiteral("</ul></p>");
    }
    details_->setText(html);
}

}  // namespace cdx
