#include "BackendReply.h"

namespace modelrelay {

QByteArray BackendReply::header(QByteArrayView name) const {
    for (const auto &[key, value] : m_headers) {
        if (key.size() == name.size() &&
            qstrnicmp(key.constData(), key.size(), name.data(), name.size()) == 0)
            return value;
    }
    return {};
}

void BackendReply::setHead(int status, const HttpHeaders &headers) {
    m_status = status;
    m_headers = headers;
    emit headReceived();
}

void BackendReply::finish(QNetworkReply::NetworkError error, const QString &errorString) {
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    m_errorString = errorString;
    emit finished();
}

} // namespace modelrelay
