// Test helper: an Anthropic request body parsed the way the proxy parses it (fails the test
// run loudly if it does not parse), and a JSON text as an object.
#pragma once

#include "anthropic/RequestParser.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay::testing {

inline MessageRequest parsed(const QByteArray &body) {
    auto result = RequestParser::parse(body, ParseOptions{});
    if (auto *error = std::get_if<ApiError>(&result))
        qFatal("parse failed: %s", qPrintable(error->message));
    return std::get<MessageRequest>(std::move(result));
}

inline QJsonObject object(const QByteArray &json) {
    return QJsonDocument::fromJson(json).object();
}

} // namespace modelrelay::testing
