// cdx_imagecheck [--colors] FILE...: decodes each image (PNG by QImageReader, SVG by QSvgRenderer
// after an XML well-formedness pass) and prints "FILE WIDTHxHEIGHT"; exit 1 at the first that
// fails. With --colors, a PNG's line ends in " colors=N", its number of distinct pixel values (a
// blank image has one or two). The black-box chart tests use it to check that what cdx chart
// wrote is an image.
#include <QFile>
#include <QGuiApplication>
#include <QImageReader>
#include <QSvgRenderer>
#include <QXmlStreamReader>

#include <QSet>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const bool colors = argc > 1 && std::strcmp(argv[1], "--colors") == 0;
    for (int i = colors ? 2 : 1; i < argc; ++i) {
        QString extra;
        const QString path = QString::fromLocal8Bit(argv[i]);
        QSize size;
        if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "%s: cannot open\n", argv[i]);
                return 1;
            }
            const QByteArray bytes = file.readAll();
            QXmlStreamReader xml(bytes);
            while (!xml.atEnd())
                xml.readNext();
            if (xml.hasError()) {
                std::fprintf(stderr, "%s: not well-formed XML: %s\n", argv[i], qPrintable(xml.errorString()));
                return 1;
            }
            QSvgRenderer svg(bytes);
            if (!svg.isValid()) {
                std::fprintf(stderr, "%s: not an SVG Qt can render\n", argv[i]);
                return 1;
            }
            size = svg.defaultSize();
        } else {
            QImageReader reader(path);
            const QImage image = reader.read();
            if (image.isNull()) {
                std::fprintf(stderr, "%s: %s\n", argv[i], qPrintable(reader.errorString()));
                return 1;
            }
            size = image.size();
            if (colors) {
                const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
                QSet<QRgb> seen;
                for (int y = 0; y < argb.height(); ++y) {
                    const auto* line = reinterpret_cast<const QRgb*>(argb.constScanLine(y));
                    for (int x = 0; x < argb.width(); ++x)
                        seen.insert(line[x]);
                }
                extra = QStringLiteral(" colors=%1").arg(seen.size());
            }
        }
        std::printf("%s %dx%d%s\n", argv[i], size.width(), size.height(), qPrintable(extra));
    }
    return 0;
}
