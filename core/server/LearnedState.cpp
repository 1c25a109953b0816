#include "LearnedState.h"

#include "backends/LearnedLimits.h"
#include "backends/ollama/OllamaModelCatalog.h"
#include "tokens/TokenCalibration.h"

namespace modelrelay {

LearnedState::LearnedState(BackendTransport &transport, QObject *parent)
    : QObject(parent)
    , m_ollamaModels(new OllamaModelCatalog(transport, this)) {}

LearnedState::~LearnedState() = default;

void LearnedState::useFile(const QString &learnedFile) {
    m_file = learnedFile;
}

void LearnedState::load() {
    // Loaded on first use, not at start: forgetting before the first request must not leave
    // what was learned in memory for the rest of the run.
    if (m_loadedFile == m_file)
        return;
    m_limits.reset();
    m_calibration.reset(); // saves what it had not saved, to its own file
    m_loadedFile = m_file;
    m_calibration = std::make_unique<TokenCalibration>(m_file);
    m_limits = std::make_unique<LearnedLimits>(m_file);
}

TokenCalibration &LearnedState::calibration() {
    load();
    return *m_calibration;
}

LearnedLimits &LearnedState::limits() {
    load();
    return *m_limits;
}

void LearnedState::forget(const QString &backendModel) {
    calibration().forget(backendModel);
    limits().forget(backendModel);
    m_ollamaModels->forget(backendModel);
}

LearnedModels LearnedState::snapshot(const QUrl &activeBackendUrl) {
    const QHash<QString, TokenCalibration::Stats> &calibrated = calibration().models();
    const QHash<QString, int> &limitsByModel = limits().maxOutputTokensByModel();
    const QHash<QString, int> contexts = m_ollamaModels->knownContextLengths(activeBackendUrl);
    QStringList names = calibrated.keys() + limitsByModel.keys() + contexts.keys();
    names.sort();
    names.removeDuplicates();
    LearnedModels models;
    for (const QString &name : std::as_const(names)) {
        LearnedModel model;
        model.model = name;
        if (const auto it = calibrated.constFind(name); it != calibrated.constEnd()) {
            model.samples = it->samples;
            model.ratio = it->ratio;
            model.meanAbsoluteError = it->meanAbsoluteError;
        }
        model.maxOutputTokens = limitsByModel.value(name, 0);
        model.contextLength = contexts.value(name, 0);
        models.append(model);
    }
    return models;
}

} // namespace modelrelay
