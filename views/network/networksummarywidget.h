#pragma once

#include <QWidget>

class QLabel;

namespace cdx {

class Document;

/// The project at a glance: name, network, inputs and totals. Follows the document.
class NetworkSummaryWidget : public QWidget {
    Q_OBJECT

public:
    explicit NetworkSummaryWidget(Document* document, QWidget* parent = nullptr);

private:
    void refresh();

    Document* document_;
    QLabel* title_;
    QLabel* details_;
};

}  // namespace cdx
