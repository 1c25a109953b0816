// The recorded Claude Code-shaped requests the self-test replays, one per capability. They live
// as JSON in scenarios/ (compiled in as resources) so they can be read and changed as data.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace modelrelay {

struct SelfTestScenario {
    QString capability; // e.g. "tool-use"; decides which check judges the answer
    QString title;
    bool required = true;
    QString endpoint; // "/v1/messages" or "/v1/messages/count_tokens"
    QJsonObject request;

    bool streams() const { return request.value(QStringLiteral("stream")).toBool(); }
    QString model() const { return request.value(QStringLiteral("model")).toString(); }

    // The built-in scenarios, in the order they run (plain text first: the simplest thing).
    static QList<SelfTestScenario> builtIn();
    // Pure: one scenario from a scenarios/*.json document; nothing when it lacks a field.
    static std::optional<SelfTestScenario> fromJson(const QJsonObject &json);
};

} // namespace modelrelay
