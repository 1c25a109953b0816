// Reads the lines (or SSE events) of a backend's stream as JSON objects and counts what it could
// not read, for the request log. Qt's parser refuses a whole line when one string in it is not
// valid UTF-8; such a line is read again with the bad bytes as U+FFFD, so its text still reaches
// the client instead of a delta vanishing. Lines that are not JSON objects are skipped.
#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QStringList>
#include <optional>

namespace modelrelay {

class JsonLineReader {
public:
    std::optional<QJsonObject> read(QByteArrayView line);

    int skipped() const { return m_skipped; }
    int repaired() const { return m_repaired; }
    QStringList notes() const; // one line each for skipped and repaired lines, when there were any

private:
    int m_skipped = 0;
    int m_repaired = 0;
};

} // namespace modelrelay
