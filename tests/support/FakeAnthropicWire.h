// The Anthropic Messages wire format of FakeBackend's Anthropic kind, built from the same
// scripted Reply as the other kinds: SSE events exactly as Anthropic writes them (event: and
// data: lines, a ping after message_start), whole messages, error bodies and the model list.
#pragma once

#include "FakeBackend.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace modelrelay::testing {

class FakeAnthropicWire {
public:
    // One entry per event, so a Reply's cutAfterChunks/stallAfterChunks count events.
    static QList<QByteArray> streamEvents(const FakeBackend::Reply &reply, const QJsonObject &request);
    static QByteArray message(const FakeBackend::Reply &reply, const QJsonObject &request);
    static QByteArray errorBody(const QByteArray &type, const QString &message);
    static QByteArray modelList();
    // The request's last message is a user turn that answers a tool call.
    static bool answersToolResult(const QJsonObject &request);
};

} // namespace modelrelay::testing
