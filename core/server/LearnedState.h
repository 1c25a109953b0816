// The one owner of what the proxy learns about backend models while it runs: token calibration
// and output limits (kept in ProxyConfig::learnedFile), and what Ollama servers reported about
// their models. Lives in the worker thread.
#pragma once

#include "LearnedModel.h"

#include <QObject>
#include <QUrl>
#include <memory>
#include <optional>

namespace modelrelay {

class BackendTransport;
class LearnedLimits;
class OllamaModelCatalog;
class TokenCalibration;

class LearnedState : public QObject {
    Q_OBJECT
public:
    // transport: how Ollama's /api/show is asked.
    explicit LearnedState(BackendTransport &transport, QObject *parent = nullptr);
    ~LearnedState() override;

    // Where calibration and limits are kept ("" = memory only); a new file is loaded on first use,
    // after what was learned so far is saved to the old one.
    void useFile(const QString &learnedFile);

    TokenCalibration &calibration();
    LearnedLimits &limits();
    OllamaModelCatalog &ollamaModels() { return *m_ollamaModels; }

    // Drops what was learned about `backendModel` (every model when empty), also in the file.
    void forget(const QString &backendModel);
    // What is learned now, one entry per backend model, sorted by name; context windows as the
    // server at activeBackendUrl reported them.
    LearnedModels snapshot(const QUrl &activeBackendUrl);

private:
    void load();

    QString m_file;
    std::optional<QString> m_loadedFile;
    std::unique_ptr<TokenCalibration> m_calibration;
    std::unique_ptr<LearnedLimits> m_limits;
    OllamaModelCatalog *m_ollamaModels; // a child
};

} // namespace modelrelay
