#pragma once

class QEvent;
class QObject;
class QWidget;

namespace cdx {

/// For an event filter on the editors of a scrolling form: a wheel event over an editor without
/// focus scrolls the scroll area around `form` instead of changing the value (a forwarded wheel
/// event does not propagate by itself). True when the event was taken.
bool forwardUnfocusedWheel(QWidget* form, QObject* watched, QEvent* event);

}  // namespace cdx
