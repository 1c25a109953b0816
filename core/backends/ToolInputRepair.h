// Turns the arguments text a model produced for a tool call into a JSON object, repairing only
// what has a single safe reading: nothing at all, a markdown fence, trailing commas, a cut-off
// end, an object encoded twice. Anything else fails with a short reason; content is never guessed.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace modelrelay {

class ToolInputRepair {
public:
    struct Result {
        bool ok = false;
        QByteArray json;     // compact JSON object when ok
        QStringList repairs; // what was repaired, e.g. "trailing comma", "closed 2 brackets"
        QString failure;     // why not, when !ok
    };

    static Result repair(const QString &arguments);
};

} // namespace modelrelay
