#pragma once

namespace cdx::cli {

/// cdx-render's main: `chart` and `report` with cdx's options (chartoptions.h), drawn with the
/// studio's charts on Qt's offscreen platform.
int runRender(int argc, char** argv);

}  // namespace cdx::cli
