// Wraps a backend's stream decoder so that every tool call's arguments reach the client as one
// JSON object: fragments are held per call, repaired by ToolInputRepair when the model got the
// syntax slightly wrong, and released as a single ToolCallArgs delta. Arguments that cannot be
// repaired become a backendError() that names the model and the tool.
#pragma once

#include "StreamDecoder.h"

#include <QStringList>
#include <memory>
#include <vector>

namespace modelrelay {

class ToolCallGuard final : public StreamDecoder {
public:
    ToolCallGuard(std::unique_ptr<StreamDecoder> inner, QString backendModel);

    void feed(QByteArrayView bytes, std::vector<StreamDelta> &out) override;
    void finish(std::vector<StreamDelta> &out) override;

    // What was repaired so far, one line per tool call, e.g. "tool 'Bash': removed a trailing comma".
    QStringList repairs() const { return m_repairs; }
    QStringList notes() const override;
    const StreamDecoder &inner() const { return *m_inner; }

private:
    struct HeldCall {
        int toolIndex = 0;
        QString name;
        QString arguments;
        bool hasArguments = false;
    };

    void pass(std::vector<StreamDelta> &deltas, std::vector<StreamDelta> &out);
    void release(std::vector<StreamDelta> &out);
    HeldCall &held(int toolIndex);
    void takeInnerError();

    std::unique_ptr<StreamDecoder> m_inner;
    QString m_backendModel;
    std::vector<HeldCall> m_held; // in order of first appearance
    std::vector<StreamDelta> m_innerDeltas;
    QStringList m_repairs;
    bool m_argumentsFailed = false;
    bool m_stoppedAtLimit = false; // the backend's Finish said max_tokens
};

} // namespace modelrelay
