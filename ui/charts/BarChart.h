// A small stacked bar chart drawn with QPainter: one bar per category (a day, an hour), one
// coloured segment per series (a model; requests and errors), a value axis with round steps, and
// the exact values in a tooltip. Colours follow the palette, so it reads on light and dark
// themes. Chosen over Qt Charts, which would add a library and several MB to draw a few bars.
#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

namespace modelrelay {

class BarChart : public QWidget {
    Q_OBJECT
public:
    explicit BarChart(QWidget *parent = nullptr);

    // values[series][category]; every series as long as categories. Stacked: segments sum to
    // the bar; otherwise the series are drawn over each other, the first (largest) behind.
    void setData(const QStringList &categories, const QStringList &series, const QList<QList<double>> &values,
                 bool stacked = true);
    void setValueFormat(const QString &unit) { m_unit = unit; } // e.g. " tokens"
    // A series colour fixed by the caller (errors in the palette's red); others are generated.
    void setSeriesColor(int series, const QColor &color);

    const QStringList &categories() const { return m_categories; }
    const QStringList &series() const { return m_series; }
    double total(int category) const; // what a bar adds up to
    QColor seriesColor(int series) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    // Where each series' legend entry goes (wrapping onto up to kLegendLines lines); entries that
    // do not fit get no position. *height: the legend's height.
    QList<QPointF> legendPositions(double *height) const;
    QRectF plotArea() const;
    int categoryAt(const QPoint &point) const;
    double axisMaximum() const;

    QStringList m_categories;
    QStringList m_series;
    QList<QList<double>> m_values;
    QList<QColor> m_fixedColors;
    QString m_unit;
    bool m_stacked = true;
};

} // namespace modelrelay
