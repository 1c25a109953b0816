#include "RequestLogModel.h"

#include "config/Routing.h"

#include <QBrush>
#include <QColor>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int kTickMs = 100;

QString tokens(const std::optional<int> &value) {
    return value ? QLocale().toString(*value) : QString();
}

// "Vision box", "Vision box (images)", "Cloud (fell back from Ollama (local))".
QString backendCell(const RequestRecord &r) {
    QStringList why;
    RequestClass routed;
    if (!r.route.isEmpty())
        why << (requestClassFromName(r.route, &routed) ? requestClassTitle(routed) : r.route);
    if (const QString from = r.fellBackFrom(); !from.isEmpty())
        why << RequestLogModel::tr("fell back from %1").arg(from);
    if (r.retries() > 0)
        why << RequestLogModel::tr("sent again");
    return why.isEmpty() ? r.backendName : u"%1 (%2)"_s.arg(r.backendName, why.join(u", "_s));
}

// Every backend tried, in order, with why ModelRelay moved on.
QString attemptsTip(const RequestRecord &r) {
    QStringList lines;
    for (const BackendAttempt &a : r.attempts)
        lines << (a.outcome.isEmpty()
                      ? u"+%1 ms  %2 (%3)"_s.arg(a.atMs).arg(a.backendName, a.backendModel)
                      : u"+%1 ms  %2 (%3): %4"_s.arg(a.atMs).arg(a.backendName, a.backendModel, a.outcome));
    return lines.join(u'\n');
}
} // namespace

RequestLogModel::RequestLogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(qMax(1, capacity)) {
    m_tick.setInterval(kTickMs);
    m_tick.setSingleShot(true);
    connect(&m_tick, &QTimer::timeout, this, &RequestLogModel::flush);
}

int RequestLogModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestLogModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RequestRecord &r = m_rows.at(std::size_t(index.row()));
    if (role == RecordRole)
        return QVariant::fromValue(r);
    return cellData(r, index.column(), role);
}

QVariant RequestLogModel::cellData(const RequestRecord &r, int column, int role) {
    if (role == Qt::TextAlignmentRole && column >= Status)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && column == Status && (r.status >= 400 || !r.error.isEmpty()))
        return QBrush(QColor(0xc0, 0x39, 0x2b));
    if (role == Qt::ForegroundRole && column == EstimatedInput && !r.warning.isEmpty())
        return QBrush(QColor(0xb9, 0x77, 0x0e));
    if (role == Qt::ToolTipRole && column == Backend)
        return attemptsTip(r);
    if (role == Qt::ToolTipRole)
        return !r.error.isEmpty() ? r.error : !r.warning.isEmpty() ? r.warning : r.notes.join(u'\n');
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Time:
        return r.startedAt.toString(u"HH:mm:ss"_s);
    case Model:
        if (r.endpoint == "count_tokens"_L1)
            return u"%1 (count tokens)"_s.arg(r.clientModel);
        return r.backendModel.isEmpty() ? r.clientModel : u"%1 → %2"_s.arg(r.clientModel, r.backendModel);
    case Backend:
        return backendCell(r);
    case Mode:
        return r.endpoint == "count_tokens"_L1 ? QString() : (r.stream ? tr("stream") : tr("json"));
    case Status:
        return r.status;
    case EstimatedInput:
        return r.estimatedInputTokens > 0 ? QLocale().toString(r.estimatedInputTokens) : QString();
    case Input:
        return tokens(r.inputTokens);
    case Output:
        return tokens(r.outputTokens);
    case FirstToken:
        return r.timeToFirstTokenMs >= 0 ? u"%1 ms"_s.arg(r.timeToFirstTokenMs) : QString();
    case Duration:
        return r.durationMs < 1000 ? u"%1 ms"_s.arg(r.durationMs)
                                   : u"%1 s"_s.arg(r.durationMs / 1000.0, 0, 'f', 2);
    default:
        return {};
    }
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return columnTitle(section);
}

QVariant RequestLogModel::columnTitle(int section) {
    switch (section) {
    case Time:
        return tr("Time");
    case Model:
        return tr("Model (client → backend)");
    case Backend:
        return tr("Backend");
    case Mode:
        return tr("Mode");
    case Status:
        return tr("Status");
    case EstimatedInput:
        return tr("Est. input");
    case Input:
        return tr("Input");
    case Output:
        return tr("Output");
    case FirstToken:
        return tr("First token");
    case Duration:
        return tr("Duration");
    default:
        return {};
    }
}

void RequestLogModel::add(const RequestRecord &record) {
    m_pending.append(record);
    if (!m_tick.isActive())
        m_tick.start();
}

void RequestLogModel::flush() {
    if (m_pending.isEmpty())
        return;
    // More than fits: only the newest survive, so drop the surplus before touching the view.
    if (m_pending.size() > m_capacity)
        m_pending.remove(0, m_pending.size() - m_capacity);
    const int incoming = int(m_pending.size());
    const int overflow = int(m_rows.size()) + incoming - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + overflow);
        endRemoveRows();
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + incoming - 1);
    for (RequestRecord &record : m_pending)
        m_rows.push_back(std::move(record));
    endInsertRows();
    m_pending.clear();
    // Bodies are large (a Claude Code request is 50-80 KB): only the newest rows keep them.
    const int keep = int(m_rows.size()) - kRowsWithBodies;
    for (int row = qMax(0, keep - incoming); row < keep; ++row) {
        RequestRecord &old = m_rows[std::size_t(row)];
        old.clientRequest.clear();
        old.backendRequest.clear();
        old.response.clear();
        old.backendChunks.clear();
        old.clientWrites.clear();
    }
    emit recordsAdded(incoming);
}

void RequestLogModel::clear() {
    m_pending.clear();
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

} // namespace modelrelay
