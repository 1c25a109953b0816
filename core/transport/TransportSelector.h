// The BackendTransport the server uses: plain http:// URLs without credentials or a proxy go to
// PlainHttpTransport, everything else (https://, proxies, user:password@) to Qt's stack.
#pragma once

#include "BackendTransport.h"

#include <QObject>

namespace modelrelay {

class PlainHttpTransport;
class QtNetworkTransport;

class TransportSelector final : public QObject, public BackendTransport {
    Q_OBJECT
public:
    explicit TransportSelector(QObject *parent = nullptr);

    BackendReply *post(const BackendRequest &request) override;
    static bool isPlainHttp(const QUrl &url);

    PlainHttpTransport &plain() { return *m_plain; }
    QtNetworkTransport &qt() { return *m_qt; }

private:
    PlainHttpTransport *m_plain; // a child
    QtNetworkTransport *m_qt;    // a child
};

} // namespace modelrelay
