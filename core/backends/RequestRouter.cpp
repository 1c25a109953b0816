#include "RequestRouter.h"

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

bool hasImage(const std::vector<ContentBlock> &blocks) {
    for (const ContentBlock &block : blocks) {
        if (block.type == ContentBlock::Type::Image)
            return true;
        if (block.type == ContentBlock::Type::ToolResult && hasImage(block.content))
            return true;
    }
    return false;
}

bool hasImage(const MessageRequest &request) {
    for (const Message &message : request.messages)
        if (hasImage(message.content))
            return true;
    return false;
}

const BackendProfile *findProfile(const ProxyConfig &config, const QString &name) {
    if (name.compare(config.backend.name, Qt::CaseInsensitive) == 0)
        return &config.backend;
    for (const BackendProfile &profile : config.profiles)
        if (name.compare(profile.name, Qt::CaseInsensitive) == 0)
            return &profile;
    return nullptr;
}

std::optional<ModelTarget> mapped(const ProxyConfig &config, const BackendProfile &profile,
                                  const QString &clientModel) {
    ModelMap map = config.modelMap;
    if (map.defaultMaxOutputTokens == 0)
        map.defaultMaxOutputTokens = profile.maxOutputTokens;
    if (std::optional<ModelTarget> target = map.resolve(clientModel))
        return target;
    // A server that speaks Anthropic itself knows Claude model names (api.anthropic.com, a team
    // gateway): with nothing mapped, the name passes through as the client gave it.
    if (profile.kind == BackendKind::Anthropic && map.defaultModel.isEmpty())
        return ModelTarget{clientModel, map.defaultMaxOutputTokens, 0, u"passthrough"_s};
    return std::nullopt;
}

// Resolves the targets that name a known profile and a model; the others become notes.
void addCandidates(const QList<RouteTarget> &targets, const QString &why, const MessageRequest &request,
                   const ProxyConfig &config, RoutePlan *plan) {
    for (const RouteTarget &t : targets) {
        const BackendProfile *profile = findProfile(config, t.profile);
        if (!profile) {
            plan->notes.append(u"%1: no backend profile named '%2', skipped"_s.arg(why, t.profile));
            continue;
        }
        std::optional<ModelTarget> target;
        if (t.model.isEmpty()) {
            target = mapped(config, *profile, request.model);
            if (!target) {
                plan->notes.append(
                    u"%1: '%2' names no model and the model map has none for %3, skipped"_s.arg(
                        why, t.profile, request.model));
                continue;
            }
        } else {
            target = ModelTarget{t.model, profile->maxOutputTokens, 0, why};
        }
        plan->candidates.append({*profile, *target});
    }
}

} // namespace

QList<RequestClass> RequestRouter::classify(const MessageRequest &request, int estimatedInputTokens,
                                            int longContextTokens) {
    QList<RequestClass> classes;
    if (hasImage(request))
        classes.append(RequestClass::Images);
    if (longContextTokens > 0 && estimatedInputTokens > longContextTokens)
        classes.append(RequestClass::LongContext);
    if (request.thinking.type != ThinkingConfig::Type::Disabled)
        classes.append(RequestClass::Thinking);
    if (request.model.contains("haiku"_L1, Qt::CaseInsensitive))
        classes.append(RequestClass::Background);
    return classes;
}

RoutePlan RequestRouter::plan(const MessageRequest &request, int estimatedInputTokens,
                              const ProxyConfig &config) {
    RoutePlan plan;
    const QList<RequestClass> classes =
        classify(request, estimatedInputTokens, config.routing.longContextTokens);
    for (const RouteRule &rule : config.routing.rules) {
        if (!classes.contains(rule.when))
            continue;
        const QString why = u"route %1"_s.arg(requestClassName(rule.when));
        addCandidates(rule.targets, why, request, config, &plan);
        if (!plan.candidates.isEmpty()) {
            plan.route = requestClassName(rule.when);
            return plan;
        }
    }
    if (std::optional<ModelTarget> target = mapped(config, config.backend, request.model))
        plan.candidates.append({config.backend, *target});
    else
        return plan; // the model is not mapped: no fallback should hide that
    addCandidates(config.routing.fallbacks, u"fallback"_s, request, config, &plan);
    return plan;
}

QStringList RequestRouter::configurationProblems(const ProxyConfig &config) {
    QStringList problems;
    auto check = [&](const RouteTarget &t, const QString &where) {
        if (!findProfile(config, t.profile))
            problems.append(u"%1 names the backend profile '%2', which does not exist: it is skipped"_s.arg(
                where, t.profile));
    };
    for (const RouteRule &rule : config.routing.rules)
        for (const RouteTarget &t : rule.targets)
            check(t, u"the %1 route"_s.arg(requestClassName(rule.when)));
    for (const RouteTarget &t : config.routing.fallbacks)
        check(t, u"the fallback list"_s);
    if (!problems.isEmpty()) {
        QStringList names{config.backend.name};
        for (const BackendProfile &p : config.profiles)
            if (!names.contains(p.name))
                names.append(p.name);
        problems.append(u"backend profiles known: %1"_s.arg(names.join(u", "_s)));
    }
    return problems;
}

} // namespace modelrelay
