// modelrelay-render-icons renders the application icon at build time with Qt's own SVG renderer:
//   SVG OUTDIR SIZE...   PNGs in the hicolor layout Linux icon themes want (SIZExSIZE/apps/)
//   SVG --ico FILE       a Windows icon (the executable's resource and the installer's icon)
//   SVG --icns FILE      a macOS icon (the app bundle's Resources)
// Both icon containers hold PNG images, which Windows (since Vista) and macOS (since 10.7) read.
#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QtEndian>
#include <cstdio>

namespace {

QByteArray renderPng(QSvgRenderer &renderer, int size) {
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

template <typename T> void append(QByteArray &out, T value, bool bigEndian) {
    char bytes[sizeof(T)];
    if (bigEndian)
        qToBigEndian(value, bytes);
    else
        qToLittleEndian(value, bytes);
    out.append(bytes, sizeof(T));
}

// ICONDIR, one ICONDIRENTRY per image (a width of 0 means 256), then the images.
QByteArray icoFile(QSvgRenderer &renderer) {
    const QList<int> sizes = {16, 20, 24, 32, 40, 48, 64, 128, 256};
    QByteArray header, images;
    append<quint16>(header, 0, false);
    append<quint16>(header, 1, false);
    append<quint16>(header, quint16(sizes.size()), false);
    const quint32 firstImage = quint32(6 + 16 * sizes.size());
    for (const int size : sizes) {
        const QByteArray png = renderPng(renderer, size);
        header.append(char(size % 256)).append(char(size % 256)).append(char(0)).append(char(0));
        append<quint16>(header, 1, false);  // colour planes
        append<quint16>(header, 32, false); // bits per pixel
        append<quint32>(header, quint32(png.size()), false);
        append<quint32>(header, firstImage + quint32(images.size()), false);
        images += png;
    }
    return header + images;
}

// "icns", the total length, then (type, length including these 8 bytes, PNG) per image.
QByteArray icnsFile(QSvgRenderer &renderer) {
    const QList<QPair<QByteArray, int>> types = {{"icp4", 16},  {"icp5", 32},  {"ic11", 32},  {"icp6", 64},
                                                 {"ic12", 64},  {"ic07", 128}, {"ic08", 256}, {"ic13", 256},
                                                 {"ic09", 512}, {"ic14", 512}, {"ic10", 1024}};
    QByteArray body;
    for (const auto &[type, size] : types) {
        const QByteArray png = renderPng(renderer, size);
        body += type;
        append<quint32>(body, quint32(8 + png.size()), true);
        body += png;
    }
    QByteArray file("icns");
    append<quint32>(file, quint32(8 + body.size()), true);
    return file + body;
}

bool writeFile(const QString &path, const QByteArray &content) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

int main(int argc, char **argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        std::fprintf(stderr, "usage: %s SVG OUTDIR SIZE... | SVG --ico FILE | SVG --icns FILE\n", argv[0]);
        return 1;
    }
    QSvgRenderer renderer(args.at(1));
    if (!renderer.isValid()) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(args.at(1)));
        return 1;
    }
    if (args.at(2) == QLatin1String("--ico"))
        return writeFile(args.at(3), icoFile(renderer)) ? 0 : 1;
    if (args.at(2) == QLatin1String("--icns"))
        return writeFile(args.at(3), icnsFile(renderer)) ? 0 : 1;

    const QDir out(args.at(2));
    for (qsizetype i = 3; i < args.size(); ++i) {
        const int size = args.at(i).toInt();
        QDir().mkpath(out.filePath(QStringLiteral("%1x%1/apps").arg(size)));
        if (!writeFile(out.filePath(QStringLiteral("%1x%1/apps/modelrelay.png").arg(size)),
                       renderPng(renderer, size)))
            return 1;
    }
    return 0;
}
