#include "ConfigLoader.h"

#include "JsonObjectMembers.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <utility>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 kMaxModelMapFileBytes = 1024 * 1024;

// One setting as given at one level (flag, environment, config file): where it came from, so
// an error can name it the way the user wrote it.
struct Given {
    QString key;   // canonical name, e.g. "port"
    QString label; // "PORT", "--port", "config file 'port'"
    QString value;
};

struct Names {
    const char *key;
    const char *env;
    const char *flag;
    const char *valueName;
    const char *help;
};

const Names kSettings[] = {
    {"host", "HOST", "host", "address", "Address to listen on (default 127.0.0.1)."},
    {"port", "PORT", "port", "port", "Port to listen on (default 8787)."},
    {"provider", "PROVIDER", "provider", "kind",
     "Backend kind: ollama (default), openai (any OpenAI-compatible server) or anthropic (a server "
     "with its own /v1/messages: Ollama >= 0.14, llama.cpp server, vLLM, LM Studio)."},
    {"base_url", "PROVIDER_BASE_URL", "base-url", "url",
     "Backend URL (default http://127.0.0.1:11434 for ollama and anthropic, http://127.0.0.1:8080/v1 "
     "for openai)."},
    {"api_key", "PROVIDER_API_KEY", nullptr, nullptr,
     "Backend API key, sent as a Bearer token (never logged)."},
    {"default_model", "DEFAULT_MODEL", "default-model", "model",
     "Backend model for Claude model names no rule maps."},
    {"model_map", "MODEL_MAP_JSON", "model-map", "json",
     "Model map as JSON, rules in order, first match wins, e.g. {\"claude-*haiku*\": \"qwen2.5:7b\", "
     "\"claude-*\": {\"model\": \"qwen2.5-coder:32b\", \"max_tokens\": 8192, \"context\": 65536}}."},
    {"model_map_file", "MODEL_MAP_FILE", "model-map-file", "file", "The model map JSON, read from a file."},
    {"routing", "ROUTES_JSON", "routes", "json",
     "Routing rules and fallbacks by backend profile name, e.g. {\"rules\": [{\"when\": \"images\", "
     "\"targets\": [{\"profile\": \"OpenRouter\", \"model\": \"qwen2.5-vl-72b\"}]}], \"fallbacks\": "
     "[\"Ollama (local)\"], \"long_context_tokens\": 60000}; when: images, long_context, thinking, "
     "background."},
    {"tool_schemas", "MODELRELAY_TOOL_SCHEMAS", "tool-schemas", "policy",
     "How tool schemas are cleaned for the backend: keep (as sent), portable (default: drops $schema, "
     "$id, $comment and propertyNames) or strict (also format, additionalProperties, pattern, default "
     "and the other validation-only keywords strict validators such as Gemini's refuse; inlines "
     "local $ref and makes nullable types plain)."},
    {"reasoning_effort", "MODELRELAY_REASONING_EFFORT", "reasoning-effort", "on|off",
     "Pass Claude Code's reasoning effort on (default on): OpenAI-compatible reasoning_effort, Ollama "
     "think (false when no thinking is asked for). Off for servers that refuse the field."},
    {"timeout_ms", "PROVIDER_TIMEOUT_MS", "timeout-ms", "ms",
     "How long to wait for the backend's first byte (default 600000)."},
    {"log_level", "LOG_LEVEL", "log-level", "level", "error, warn, info (default) or debug."},
    {"ollama_num_ctx", "MODELRELAY_OLLAMA_NUM_CTX", "ollama-num-ctx", "tokens",
     "Ollama context size when the model rule sets none (default 32768)."},
    {"max_output_tokens", "MODELRELAY_MAX_OUTPUT_TOKENS", "max-output-tokens", "tokens",
     "Cap for the max_tokens Claude Code asks for (default: no cap)."},
    {"access_token", "MODELRELAY_ACCESS_TOKEN", nullptr, nullptr,
     "Token clients must send (as ANTHROPIC_API_KEY) to use the proxy (default: none; set one when HOST is "
     "not "
     "loopback)."},
    {"max_request_mb", "MODELRELAY_MAX_REQUEST_MB", "max-request-mb", "MB",
     "Largest request body accepted, in MB (default 32); bigger ones get 413."},
    {"keep_billing_header", "MODELRELAY_KEEP_BILLING_HEADER", nullptr, nullptr,
     "1 keeps Claude Code's x-anthropic-billing-header system line (dropped by default: it defeats prompt "
     "caching)."},
};

bool parseInt(const QString &text, qint64 min, qint64 max, qint64 *out) {
    bool ok = false;
    const qint64 v = text.trimmed().toLongLong(&ok);
    if (!ok || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool parseBool(const QString &text, bool *out) {
    const QString t = text.trimmed().toLower();
    if (t == "1"_L1 || t == "true"_L1 || t == "yes"_L1 || t == "on"_L1)
        *out = true;
    else if (t == "0"_L1 || t == "false"_L1 || t == "no"_L1 || t == "off"_L1 || t.isEmpty())
        *out = false;
    else
        return false;
    return true;
}

class Applier {
public:
    explicit Applier(ProxyConfig &config)
        : m_config(config)
        , m_savedUrl(config.backend.baseUrl)
        , m_urlKind(config.backend.kind) {}

    // Applies one level's settings; a later level overrides an earlier one.
    bool apply(const QList<Given> &level, QString *error) {
        const Given *provider = find(level, "provider");
        m_levelNamesKind = provider != nullptr;
        if (provider && !applyOne(*provider, error))
            return false;
        for (const Given &given : level) {
            if (given.key != "provider"_L1 && !applyOne(given, error))
                return false;
        }
        return true;
    }

    // A URL belongs to the kind named with it (the saved URL to the saved kind): when the run ends
    // on another kind, that URL gives way to the kind's default. A URL named without a kind
    // (PROVIDER_BASE_URL with --provider) fits any. The saved API key goes only to the saved URL.
    void finish() {
        if (m_urlKind && *m_urlKind != m_config.backend.kind)
            m_config.backend.baseUrl = BackendProfile::defaultBaseUrl(m_config.backend.kind);
        if (!m_apiKeyGiven && m_config.backend.baseUrl != m_savedUrl)
            m_config.backend.apiKey.clear();
    }

private:
    static const Given *find(const QList<Given> &level, const char *key) {
        for (const Given &g : level) {
            if (g.key == QLatin1StringView(key))
                return &g;
        }
        return nullptr;
    }

    bool applyOne(const Given &g, QString *error) {
        auto bad = [&](const QString &why) {
            *error = u"%1: %2"_s.arg(g.label, why);
            return false;
        };
        const QString &v = g.value;
        qint64 n = 0;
        if (g.key == "host"_L1) {
            if (v.trimmed().isEmpty())
                return bad(u"empty address"_s);
            m_config.host = v.trimmed();
        } else if (g.key == "port"_L1) {
            if (!parseInt(v, 0, 65535, &n))
                return bad(u"'%1' is not a port number (1-65535, or 0 for any free port)"_s.arg(v));
            m_config.port = quint16(n);
        } else if (g.key == "provider"_L1) {
            BackendKind kind;
            if (!backendKindFromName(v, &kind))
                return bad(u"'%1' is not a backend kind (openai, ollama, anthropic)"_s.arg(v));
            if (kind != m_config.backend.kind) {
                m_config.backend.kind = kind;
                m_config.backend.name = backendKindTitle(kind);
            }
        } else if (g.key == "base_url"_L1) {
            const QUrl url(v.trimmed(), QUrl::StrictMode);
            if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1) ||
                url.host().isEmpty())
                return bad(u"'%1' is not an http(s) URL (e.g. http://127.0.0.1:11434)"_s.arg(v));
            m_config.backend.baseUrl = url;
            m_urlKind = m_levelNamesKind ? std::optional(m_config.backend.kind) : std::nullopt;
        } else if (g.key == "api_key"_L1) {
            m_config.backend.apiKey = v.trimmed();
            m_apiKeyGiven = true;
        } else if (g.key == "default_model"_L1) {
            m_config.modelMap.defaultModel = v.trimmed();
        } else if (g.key == "model_map"_L1) {
            QString why;
            const auto rules = ModelMap::rulesFromJson(v.toUtf8(), &why);
            if (!rules)
                return bad(why);
            m_config.modelMap.rules = *rules;
        } else if (g.key == "model_map_file"_L1) {
            // A device (/dev/zero), a FIFO or a huge file would be read without end.
            if (const QFileInfo info(v); info.exists() && !info.isFile())
                return bad(u"'%1' is not a regular file"_s.arg(v));
            QFile file(v);
            if (!file.open(QIODevice::ReadOnly))
                return bad(u"cannot read '%1': %2"_s.arg(v, file.errorString()));
            const QByteArray json = file.read(kMaxModelMapFileBytes + 1);
            if (json.size() > kMaxModelMapFileBytes)
                return bad(u"'%1' is larger than %2 KB; a model map is a few lines of JSON"_s.arg(v).arg(
                    kMaxModelMapFileBytes / 1024));
            QString why;
            const auto rules = ModelMap::rulesFromJson(json, &why);
            if (!rules)
                return bad(u"'%1': %2"_s.arg(v, why));
            m_config.modelMap.rules = *rules;
        } else if (g.key == "routing"_L1) {
            QString why;
            const auto routing = Routing::fromJson(v.toUtf8(), &why);
            if (!routing)
                return bad(why);
            m_config.routing = *routing;
        } else if (g.key == "tool_schemas"_L1) {
            if (!toolSchemaPolicyFromName(v, &m_config.backend.toolSchemas))
                return bad(u"'%1' is not a tool schema policy (keep, portable, strict)"_s.arg(v));
        } else if (g.key == "reasoning_effort"_L1) {
            if (!parseBool(v, &m_config.backend.reasoningEffort))
                return bad(u"'%1' is not on or off"_s.arg(v));
        } else if (g.key == "timeout_ms"_L1) {
            if (!parseInt(v, 1, 24LL * 3600 * 1000, &n))
                return bad(u"'%1' is not a timeout in milliseconds"_s.arg(v));
            m_config.backendTimeoutMs = int(n);
        } else if (g.key == "log_level"_L1) {
            if (!logLevelFromName(v, &m_config.logLevel))
                return bad(u"'%1' is not a log level (error, warn, info, debug)"_s.arg(v));
        } else if (g.key == "ollama_num_ctx"_L1) {
            if (!parseInt(v, 256, 16 * 1024 * 1024, &n))
                return bad(u"'%1' is not a context size in tokens (256 or more)"_s.arg(v));
            m_config.backend.ollamaContextSize = int(n);
        } else if (g.key == "max_output_tokens"_L1) {
            if (!parseInt(v, 0, 16 * 1024 * 1024, &n))
                return bad(u"'%1' is not a number of tokens"_s.arg(v));
            m_config.backend.maxOutputTokens = int(n);
        } else if (g.key == "access_token"_L1) {
            m_config.accessToken = v.trimmed();
        } else if (g.key == "max_request_mb"_L1) {
            if (!parseInt(v, 1, 4096, &n))
                return bad(u"'%1' is not a size in MB (1-4096)"_s.arg(v));
            m_config.maxRequestBytes = n * 1024 * 1024;
        } else if (g.key == "keep_billing_header"_L1) {
            if (!parseBool(v, &m_config.keepBillingHeader))
                return bad(u"'%1' is not a boolean (1 or 0)"_s.arg(v));
        }
        return true;
    }

    ProxyConfig &m_config;
    const QUrl m_savedUrl;
    std::optional<BackendKind> m_urlKind; // nullopt: named without a kind, fits any
    bool m_levelNamesKind = false;
    bool m_apiKeyGiven = false;
};

QList<Given> fromEnvironment(const QProcessEnvironment &env) {
    QList<Given> level;
    for (const Names &n : kSettings) {
        const QString name = QString::fromLatin1(n.env);
        if (env.contains(name) && !env.value(name).isEmpty())
            level.append({QString::fromLatin1(n.key), name, env.value(name)});
    }
    return level;
}

bool fromConfigFile(const QString &path, QList<Given> *level, QString *error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"--config: cannot read '%1': %2"_s.arg(path, file.errorString());
        return false;
    }
    const QByteArray json = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = u"--config: '%1' is not valid JSON: %2 at offset %3"_s.arg(path, parseError.errorString())
                     .arg(parseError.offset);
        return false;
    }
    if (!document.isObject()) {
        *error = u"--config: '%1' must hold a JSON object {\"port\": 8787, ...}"_s.arg(path);
        return false;
    }
    const QJsonObject object = document.object();
    // Document order, and nested values as written: a model_map object's key order is rule order.
    for (const JsonMember &member : JsonObjectMembers::read(json)) {
        const Names *names = nullptr;
        for (const Names &n : kSettings) {
            if (member.key == QLatin1StringView(n.key))
                names = &n;
        }
        const QString label = u"--config '%1': %2"_s.arg(path, member.key);
        if (!names) {
            *error = u"%1: unknown setting"_s.arg(label);
            return false;
        }
        const QJsonValue v = object.value(member.key);
        QString text;
        if (v.isString())
            text = v.toString();
        else if (v.isDouble())
            text = QString::number(v.toDouble(), 'g', 17);
        else if (v.isBool())
            text = v.toBool() ? u"1"_s : u"0"_s;
        else if (v.isObject() || v.isArray())
            text = QString::fromUtf8(member.rawValue);
        if (member.key == "model_map_file"_L1 && !text.isEmpty()) // relative to the config file
            text = QFileInfo(path).dir().absoluteFilePath(text);
        level->append({member.key, label, text});
    }
    return true;
}

// Two columns, the second wrapped at spaces to keep lines under 100 characters.
QString helpTable(const QList<std::pair<QString, QString>> &rows) {
    constexpr qsizetype indent = 2;
    constexpr qsizetype lineWidth = 100;
    qsizetype nameWidth = 0;
    for (const auto &[name, help] : rows)
        nameWidth = std::max(nameWidth, name.size());
    const qsizetype helpColumn = indent + nameWidth + 2;
    QString text;
    for (const auto &[name, help] : rows) {
        QString line = QString(indent, u' ') + name.leftJustified(nameWidth + 2);
        qsizetype used = helpColumn;
        for (const QString &word : help.split(u' ', Qt::SkipEmptyParts)) {
            if (used > helpColumn && used + 1 + word.size() > lineWidth) {
                text += line + u'\n';
                line = QString(helpColumn, u' ');
                used = helpColumn;
            }
            if (used > helpColumn) {
                line += u' ';
                ++used;
            }
            line += word;
            used += word.size();
        }
        text += line + u'\n';
    }
    return text;
}

bool isLoopback(const QString &host) {
    if (host.compare("localhost"_L1, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

std::optional<LoadedConfig> ConfigLoader::load(const QStringList &arguments, const QProcessEnvironment &env,
                                               const ProxyConfig &base, QString *error) {
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption version({u"v"_s, u"version"_s}, u"Show the version."_s);
    const QCommandLineOption headless(u"headless"_s, u"Run the proxy without a tray icon or window."_s);
    const QCommandLineOption show(u"show"_s, u"Open the main window at start."_s);
    const QCommandLineOption selfTest(u"self-test"_s,
                                      u"Check the backend with Claude Code-shaped requests."_s);
    const QCommandLineOption config(u"config"_s, u"Read settings from a JSON file."_s, u"file"_s);
    const QCommandLineOption settings(u"settings"_s, u"Use this INI file for saved settings."_s, u"file"_s);
    const QCommandLineOption keepBilling(u"keep-billing-header"_s,
                                         u"Keep Claude Code's billing header line."_s);
    const QCommandLineOption apply(u"apply"_s, u"claude-setup: write the settings."_s);
    const QCommandLineOption restore(u"restore"_s, u"claude-setup: put back the previous settings."_s);
    const QCommandLineOption print(u"print"_s, u"claude-setup: show the settings."_s);
    parser.addOptions(
        {help, version, headless, show, selfTest, config, settings, keepBilling, apply, restore, print});
    QList<std::pair<QCommandLineOption, const Names *>> valueOptions;
    for (const Names &n : kSettings) {
        if (!n.flag)
            continue;
        QCommandLineOption option(QString::fromLatin1(n.flag), QString::fromLatin1(n.help),
                                  QString::fromLatin1(n.valueName));
        parser.addOption(option);
        valueOptions.append({option, &n});
    }
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    QStringList positional = parser.positionalArguments();
    const bool claudeSetup = !positional.isEmpty() && positional.constFirst() == "claude-setup"_L1;
    if (claudeSetup)
        positional.removeFirst();
    if (!positional.isEmpty()) {
        *error = u"unexpected argument '%1' (see --help)"_s.arg(positional.constFirst());
        return std::nullopt;
    }
    const QList<std::pair<const QCommandLineOption *, ClaudeSetupAction>> setupActions{
        {&print, ClaudeSetupAction::Print},
        {&apply, ClaudeSetupAction::Apply},
        {&restore, ClaudeSetupAction::Restore}};
    ClaudeSetupAction setupAction = claudeSetup ? ClaudeSetupAction::Print : ClaudeSetupAction::None;
    int setupActionsGiven = 0;
    for (const auto &[option, action] : setupActions) {
        if (!parser.isSet(*option))
            continue;
        if (!claudeSetup) {
            *error = u"--%1 belongs to 'modelrelay claude-setup --%1'"_s.arg(option->names().constFirst());
            return std::nullopt;
        }
        setupAction = action;
        ++setupActionsGiven;
    }
    if (setupActionsGiven > 1) {
        *error = u"claude-setup takes one of --print, --apply or --restore"_s;
        return std::nullopt;
    }

    LoadedConfig loaded;
    loaded.launch.claudeSetup = setupAction;
    loaded.config = base;
    loaded.launch.headless = parser.isSet(headless);
    loaded.launch.showWindow = parser.isSet(show);
    loaded.launch.selfTest = parser.isSet(selfTest);
    loaded.launch.showHelp = parser.isSet(help);
    loaded.launch.showVersion = parser.isSet(version);
    loaded.launch.settingsPath = parser.value(settings);
    // --help and --version must work even when the environment holds a bad setting.
    if (loaded.launch.showHelp || loaded.launch.showVersion)
        return loaded;

    QList<Given> fileLevel;
    if (parser.isSet(config) && !fromConfigFile(parser.value(config), &fileLevel, error))
        return std::nullopt;
    QList<Given> flagLevel;
    for (const auto &[option, names] : valueOptions) {
        if (parser.isSet(option))
            flagLevel.append({QString::fromLatin1(names->key), u"--"_s + QString::fromLatin1(names->flag),
                              parser.value(option)});
    }
    if (parser.isSet(keepBilling))
        flagLevel.append({u"keep_billing_header"_s, u"--keep-billing-header"_s, u"1"_s});

    Applier applier(loaded.config);
    for (const QList<Given> &level : {fileLevel, fromEnvironment(env), flagLevel}) {
        if (!applier.apply(level, error))
            return std::nullopt;
    }
    applier.finish();
    if (!isLoopback(loaded.config.host) && loaded.config.accessToken.isEmpty())
        loaded.warnings.append(
            u"HOST=%1 exposes the proxy to your network: anyone who can reach this machine can use "
            "your backend through it. Set MODELRELAY_ACCESS_TOKEN to require a token."_s.arg(
                loaded.config.host));
    else if (!isLoopback(loaded.config.host))
        loaded.warnings.append(
            u"HOST=%1 exposes the proxy to your network (clients need the access token)"_s.arg(
                loaded.config.host));
    return loaded;
}

QString ConfigLoader::helpText() {
    QList<std::pair<QString, QString>> options = {
        {u"-h, --help"_s, u"Show this help."_s},
        {u"-v, --version"_s, u"Show the version."_s},
        {u"--headless"_s, u"Run the proxy without a tray icon or window (no display needed)."_s},
        {u"--show"_s, u"Open the main window at start."_s},
        {u"--self-test"_s,
         u"Replay Claude Code-shaped requests (tools, tool results, streaming, count_tokens, an image, "
         "thinking) against the configured backend and model, print pass/fail per capability and exit "
         "(0 when every required one passed)."_s},
        {u"--config <file>"_s,
         u"Read settings from a JSON file with the keys host, port, provider, base_url, api_key, "
         "default_model, model_map (object or array), timeout_ms, log_level, ollama_num_ctx, "
         "max_output_tokens, access_token, max_request_mb, keep_billing_header, reasoning_effort."_s},
        {u"--settings <file>"_s, u"Use this INI file instead of the saved user settings."_s},
        {u"--keep-billing-header"_s, u"Keep Claude Code's billing header line in the system prompt."_s},
    };
    QList<std::pair<QString, QString>> environment;
    for (const Names &n : kSettings) {
        if (n.flag)
            options.append({u"--%1 <%2>"_s.arg(QString::fromLatin1(n.flag), QString::fromLatin1(n.valueName)),
                            QString::fromLatin1(n.help)});
        environment.append({QString::fromLatin1(n.env), QString::fromLatin1(n.help)});
    }
    return u"Usage: modelrelay [options]\n"
           "       modelrelay claude-setup [--print | --apply | --restore] [options]\n"
           "Run Claude Code (or any Anthropic Messages API client) on Ollama or an OpenAI-compatible "
           "server.\n\nOptions:\n"_s +
           helpTable(options) +
           u"\nEnvironment (flags win over the environment, which wins over --config and saved "
           "settings):\n"_s +
           helpTable(environment) +
           u"\nThere is no --api-key flag: a key on the command line is visible to every user through\n"
           "the process list. Give it in PROVIDER_API_KEY or the --config file.\n\n"
           "Then point Claude Code at the proxy:\n"
           "  export ANTHROPIC_BASE_URL=http://127.0.0.1:8787 ANTHROPIC_API_KEY=modelrelay\n"
           "or write it into Claude Code's own settings (~/.claude/settings.json, or in CLAUDE_CONFIG_DIR):\n"
           "  modelrelay claude-setup --print     what would be written, and where Claude Code goes now\n"
           "  modelrelay claude-setup --apply     write it (a backup of the previous values is kept)\n"
           "  modelrelay claude-setup --restore   put the previous values back\n"_s;
}

} // namespace modelrelay
