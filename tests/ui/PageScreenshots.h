// Screenshots of one page as a user may see it: an 800×600 window, a 2× scale (a 1080p screen at
// 200 % leaves 960×540 logical pixels), and a dark palette. Saved under build/test-output/ to be
// looked at; the checks fail when the page cannot fit those sizes.
#pragma once

#include <QApplication>
#include <QColor>
#include <QDir>
#include <QPalette>
#include <QPixmap>
#include <QWidget>
#include <QtTest>

namespace modelrelay::test {

inline QPalette darkPalette() {
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Highlight, QColor(0x3d, 0x6f, 0xb0));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ToolTipText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    dark.setColor(QPalette::Link, QColor(0x7a, 0xb7, 0xff));
    dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return dark;
}

inline void savePixmap(const QPixmap &pixmap, const QString &name) {
    QDir().mkpath(MODELRELAY_TEST_OUTPUT_DIR);
    const QString path = QDir(MODELRELAY_TEST_OUTPUT_DIR).filePath(name);
    QVERIFY(pixmap.save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

// window: the top-level widget to size and render (a page alone, or the main window showing it).
// Writes <name>-800x600.png, <name>-2x.png (960×540 logical, rendered at twice the pixels) and
// <name>-dark.png.
inline void shootAtUserSizes(QWidget *window, const QString &name) {
    const QSize minimum = window->minimumSizeHint().expandedTo(window->minimumSize());
    QVERIFY2(
        minimum.width() <= 800 && minimum.height() <= 600,
        qPrintable(
            QStringLiteral("%1 needs at least %2×%3").arg(name).arg(minimum.width()).arg(minimum.height())));
    window->resize(800, 600);
    window->show();
    QCoreApplication::processEvents();
    savePixmap(window->grab(), name + QStringLiteral("-800x600.png"));

    QVERIFY2(minimum.width() <= 960 && minimum.height() <= 540,
             qPrintable(name + QStringLiteral(" does not fit 2× on 1080p")));
    window->resize(960, 540);
    QCoreApplication::processEvents();
    QPixmap doubled(window->size() * 2);
    doubled.setDevicePixelRatio(2);
    doubled.fill(window->palette().color(QPalette::Window));
    window->render(&doubled);
    savePixmap(doubled, name + QStringLiteral("-2x.png"));

    // Offscreen Qt draws with Fusion, which follows the palette as a dark desktop theme sets it.
    const QPalette before = QApplication::palette();
    QApplication::setPalette(darkPalette());
    window->resize(800, 600);
    QCoreApplication::processEvents();
    savePixmap(window->grab(), name + QStringLiteral("-dark.png"));
    QApplication::setPalette(before);
}

} // namespace modelrelay::test
