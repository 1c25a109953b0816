#include "BarChart.h"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <cmath>

namespace modelrelay {

namespace {

constexpr int kTicks = 4;
constexpr int kLegendLines = 3;

// 1.2k, 35k, 3.4M: axis labels stay narrow.
QString shortNumber(double value) {
    const QLocale locale;
    if (std::abs(value) >= 1e6)
        return locale.toString(value / 1e6, 'g', 3) + QLatin1Char('M');
    if (std::abs(value) >= 1e3)
        return locale.toString(value / 1e3, 'g', 3) + QLatin1Char('k');
    return locale.toString(value, 'g', 3);
}

// The smallest of 1, 2, 2.5, 5 × 10^k times kTicks that is at least `value`.
double roundUp(double value) {
    if (value <= 0)
        return kTicks;
    const double step = value / kTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(step)));
    for (const double factor : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (factor * magnitude >= step)
            return factor * magnitude * kTicks;
    return 10 * magnitude * kTicks;
}

} // namespace

BarChart::BarChart(QWidget *parent)
    : QWidget(parent) {
    setAttribute(Qt::WA_Hover);
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void BarChart::setData(const QStringList &categories, const QStringList &series,
                       const QList<QList<double>> &values, bool stacked) {
    m_categories = categories;
    m_series = series;
    m_values = values;
    m_stacked = stacked;
    while (m_values.size() < m_series.size())
        m_values.append(QList<double>(m_categories.size(), 0.0));
    setAccessibleDescription(tr("%1 bars, %2 series").arg(m_categories.size()).arg(m_series.size()));
    update();
}

void BarChart::setSeriesColor(int series, const QColor &color) {
    while (m_fixedColors.size() <= series)
        m_fixedColors.append(QColor());
    m_fixedColors[series] = color;
    update();
}

QColor BarChart::seriesColor(int series) const {
    if (series < m_fixedColors.size() && m_fixedColors.at(series).isValid())
        return m_fixedColors.at(series);
    // Hues spread by the golden angle; lighter on a dark window, deeper on a light one.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const int hue = int(std::fmod(210.0 + series * 137.508, 360.0));
    return QColor::fromHsv(hue, dark ? 120 : 170, dark ? 235 : 185);
}

double BarChart::total(int category) const {
    double sum = 0;
    for (const QList<double> &values : m_values)
        sum = m_stacked ? sum + values.value(category) : std::max(sum, values.value(category));
    return sum;
}

double BarChart::axisMaximum() const {
    double maximum = 0;
    for (int c = 0; c < m_categories.size(); ++c)
        maximum = std::max(maximum, total(c));
    return roundUp(maximum);
}

QSize BarChart::sizeHint() const {
    return {480, 180};
}

QSize BarChart::minimumSizeHint() const {
    return {200, fontMetrics().height() * 7};
}

QList<QPointF> BarChart::legendPositions(double *height) const {
    const QFontMetrics metrics = fontMetrics();
    QList<QPointF> positions;
    double x = 4;
    int line = 0;
    for (int s = 0; s < m_series.size(); ++s) {
        const double needed = metrics.height() * 0.7 + 4 + metrics.horizontalAdvance(m_series.at(s)) + 12;
        if (x + needed > width() && x > 4) {
            if (line + 1 >= kLegendLines)
                break;
            ++line;
            x = 4;
        }
        positions.append(QPointF(x, 2 + line * (metrics.height() + 2)));
        x += needed;
    }
    *height = (line + 1) * (metrics.height() + 2) + 6;
    return positions;
}

QRectF BarChart::plotArea() const {
    const QFontMetrics metrics = fontMetrics();
    const double left = metrics.horizontalAdvance(shortNumber(axisMaximum())) + 10;
    double top = 0;
    legendPositions(&top);
    const double bottom = metrics.height() + 6;
    return QRectF(left, top, width() - left - 6, height() - top - bottom);
}

int BarChart::categoryAt(const QPoint &point) const {
    const QRectF area = plotArea();
    if (m_categories.isEmpty() || !area.contains(point))
        return -1;
    return qBound(0, int((point.x() - area.left()) / (area.width() / m_categories.size())),
                  int(m_categories.size()) - 1);
}

void BarChart::paintEvent(QPaintEvent *) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &colors = palette();
    const QFontMetrics metrics = fontMetrics();
    const QRectF area = plotArea();
    const QColor text = colors.color(QPalette::WindowText);
    QColor grid = text;
    grid.setAlphaF(0.18);

    // Legend: one swatch and name per series, wrapped; what does not fit is in the tooltip.
    double legendHeight = 0;
    const QList<QPointF> legend = legendPositions(&legendHeight);
    const double box = metrics.height() * 0.7;
    for (int s = 0; s < legend.size(); ++s) {
        const QPointF at = legend.at(s);
        painter.fillRect(QRectF(at.x(), at.y() + (metrics.height() - box) / 2, box, box), seriesColor(s));
        painter.setPen(text);
        painter.drawText(QPointF(at.x() + box + 4, at.y() + metrics.ascent()), m_series.at(s));
    }
    if (legend.size() < m_series.size()) {
        painter.setPen(text);
        painter.drawText(QPointF(width() - metrics.horizontalAdvance(QStringLiteral("…")) - 4,
                                 legend.constLast().y() + metrics.ascent()),
                         QStringLiteral("…"));
    }

    const double maximum = axisMaximum();
    for (int tick = 0; tick <= kTicks; ++tick) {
        const double y = area.bottom() - area.height() * tick / kTicks;
        painter.setPen(QPen(grid, 1));
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
        painter.setPen(text);
        const QString label = shortNumber(maximum * tick / kTicks);
        painter.drawText(QRectF(0, y - metrics.height() / 2.0, area.left() - 6, metrics.height()),
                         Qt::AlignRight | Qt::AlignVCenter, label);
    }
    if (m_categories.isEmpty()) {
        painter.setPen(colors.color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter, tr("No requests in this period"));
        return;
    }

    const double slot = area.width() / m_categories.size();
    const double barWidth = std::max(1.0, slot * 0.7);
    for (int c = 0; c < m_categories.size(); ++c) {
        const double left = area.left() + slot * c + (slot - barWidth) / 2;
        double base = 0;
        for (int s = 0; s < m_series.size(); ++s) {
            const double value = m_values.at(s).value(c);
            if (value <= 0)
                continue;
            const double from = m_stacked ? base : 0;
            const double top = area.bottom() - area.height() * (from + value) / maximum;
            const double bottom = area.bottom() - area.height() * from / maximum;
            painter.fillRect(QRectF(left, top, barWidth, bottom - top), seriesColor(s));
            if (m_stacked)
                base += value;
        }
    }

    // Category labels, thinned so none overlap.
    int widest = 0;
    for (const QString &category : std::as_const(m_categories))
        widest = std::max(widest, metrics.horizontalAdvance(category));
    const int every = std::max(1, int(std::ceil((widest + 8) / slot)));
    painter.setPen(text);
    for (int c = 0; c < m_categories.size(); c += every) {
        const double center = area.left() + slot * (c + 0.5);
        painter.drawText(QRectF(center - widest / 2.0 - 4, area.bottom() + 3, widest + 8, metrics.height()),
                         Qt::AlignHCenter | Qt::AlignTop, m_categories.at(c));
    }
}

bool BarChart::event(QEvent *event) {
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int c = categoryAt(help->pos());
        if (c < 0) {
            QToolTip::hideText();
            return true;
        }
        const QLocale locale;
        QStringList lines{QStringLiteral("<b>%1</b>").arg(m_categories.at(c).toHtmlEscaped())};
        for (int s = 0; s < m_series.size(); ++s) {
            const double value = m_values.at(s).value(c);
            if (value > 0)
                lines << QStringLiteral("%1: %2%3")
                             .arg(m_series.at(s).toHtmlEscaped(), locale.toString(value, 'f', 0), m_unit);
        }
        QToolTip::showText(help->globalPos(), lines.join(QStringLiteral("<br>")), this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace modelrelay
