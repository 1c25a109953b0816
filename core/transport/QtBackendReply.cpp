#include "QtBackendReply.h"

#include <QNetworkRequest>

namespace modelrelay {

namespace {
// Qt turns HTTP error statuses into errors of its own (201-299 content, 301-398 protocol,
// 401-499 server errors); the status says the same without them.
bool isHttpStatusError(QNetworkReply::NetworkError error) {
    return error >= QNetworkReply::ContentAccessDenied && error != QNetworkReply::ProtocolFailure;
}

// Qt names the URL in some of its messages, credentials included.
QString withoutUserInfo(QString message, const QUrl &url) {
    if (!url.userInfo().isEmpty())
        message.replace(url.userInfo() + u'@', QString());
    return message;
}
} // namespace

QtBackendReply::QtBackendReply(QNetworkReply *reply, QObject *parent)
    : BackendReply(parent)
    , m_reply(reply) {
    reply->setParent(this);
    connect(reply, &QNetworkReply::metaDataChanged, this, &QtBackendReply::publishHead);
    connect(reply, &QNetworkReply::readyRead, this, [this] {
        publishHead();
        emit bytesArrived();
    });
    connect(reply, &QNetworkReply::finished, this, &QtBackendReply::onFinished);
}

QtBackendReply::~QtBackendReply() {
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void QtBackendReply::publishHead() {
    if (status() != 0 || !m_reply)
        return;
    const int code = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (code == 0)
        return;
    HttpHeaders headers;
    for (const auto &[name, value] : m_reply->rawHeaderPairs())
        headers.append({name, value});
    setHead(code, headers);
}

void QtBackendReply::onFinished() {
    publishHead();
    const QNetworkReply::NetworkError error = m_reply->error();
    if (error == QNetworkReply::NoError || (status() != 0 && isHttpStatusError(error)))
        finish();
    else
        finish(error, withoutUserInfo(m_reply->errorString(), m_reply->url()));
}

QByteArray QtBackendReply::readAll() {
    return m_reply ? m_reply->readAll() : QByteArray();
}

void QtBackendReply::abort() {
    if (isFinished())
        return;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
    finish(QNetworkReply::OperationCanceledError, QStringLiteral("Operation canceled"));
}

} // namespace modelrelay
