// Decides where one /v1/messages request goes: the routing rule its class matches (images, long
// context, thinking, background) or the model map on the active profile, then the fallbacks to
// try in order when that backend fails before answering. Pure: no I/O, no state.
#pragma once

#include "anthropic/MessageRequest.h"
#include "config/ProxyConfig.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace modelrelay {

struct RouteCandidate {
    BackendProfile profile;
    ModelTarget target;
};

struct RoutePlan {
    QString route;                    // the rule's class name ("images", ...); "" = the model map
    QList<RouteCandidate> candidates; // tried in order; empty = nothing maps the model
    QStringList notes;                // targets left out and why, for the request log
};

class RequestRouter {
public:
    // The classes a request belongs to, in the order they are listed in RequestClass.
    static QList<RequestClass> classify(const MessageRequest &request, int estimatedInputTokens,
                                        int longContextTokens);
    static RoutePlan plan(const MessageRequest &request, int estimatedInputTokens, const ProxyConfig &config);
    // Routes that name a profile nobody has (a typo, a renamed profile), one line each, for the
    // start-up log; empty when every target resolves.
    static QStringList configurationProblems(const ProxyConfig &config);
};

} // namespace modelrelay
