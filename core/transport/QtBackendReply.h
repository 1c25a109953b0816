// A request sent through Qt's network stack, read as a BackendReply. HTTP error statuses are
// left to status(): only failures of the transport itself are errors.
#pragma once

#include "BackendReply.h"

#include <QPointer>

namespace modelrelay {

class QtBackendReply final : public BackendReply {
    Q_OBJECT
public:
    // Takes the reply (as a child).
    QtBackendReply(QNetworkReply *reply, QObject *parent);
    ~QtBackendReply() override;

    QByteArray readAll() override;
    void abort() override;

private:
    void publishHead();
    void onFinished();

    QPointer<QNetworkReply> m_reply;
};

} // namespace modelrelay
