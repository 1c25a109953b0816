// What the proxy has learned about one backend model (token calibration, output limit, context
// window), as a plain value the worker thread sends to the UI.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace modelrelay {

struct LearnedModel {
    QString model;                // the backend model
    int samples = 0;              // token calibration samples; 0 = no calibration
    double ratio = 1.0;           // actual prompt tokens / ModelRelay's estimate, smoothed
    double meanAbsoluteError = 0; // of the raw estimate, as a fraction of the actual
    int maxOutputTokens = 0;      // learned max_tokens limit; 0 = none
    int contextLength = 0;        // the model's context window as its server reported it (Ollama's
                                  // /api/show, asked in this run); 0 = unknown
    friend bool operator==(const LearnedModel &, const LearnedModel &) = default;
};

using LearnedModels = QList<LearnedModel>;

} // namespace modelrelay

Q_DECLARE_METATYPE(modelrelay::LearnedModel)
Q_DECLARE_METATYPE(modelrelay::LearnedModels)
