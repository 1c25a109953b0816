#include "ToolCallGuard.h"

#include "ToolInputRepair.h"

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

ToolCallGuard::ToolCallGuard(std::unique_ptr<StreamDecoder> inner, QString backendModel)
    : m_inner(std::move(inner))
    , m_backendModel(std::move(backendModel)) {}

void ToolCallGuard::feed(QByteArrayView bytes, std::vector<StreamDelta> &out) {
    m_innerDeltas.clear();
    m_inner->feed(bytes, m_innerDeltas);
    takeInnerError();
    pass(m_innerDeltas, out);
}

void ToolCallGuard::finish(std::vector<StreamDelta> &out) {
    m_innerDeltas.clear();
    m_inner->finish(m_innerDeltas);
    takeInnerError();
    pass(m_innerDeltas, out);
    release(out);
}

QStringList ToolCallGuard::notes() const {
    QStringList notes = m_inner->notes();
    for (const QString &repair : m_repairs)
        notes.append(u"repaired tool call arguments: "_s + repair);
    return notes;
}

void ToolCallGuard::takeInnerError() {
    if (!m_argumentsFailed && !m_inner->backendError().isEmpty()) {
        m_backendError = m_inner->backendError();
        m_backendErrorType = m_inner->backendErrorType();
        m_errorIsTheRelays = m_inner->errorIsTheRelays();
    }
}

ToolCallGuard::HeldCall &ToolCallGuard::held(int toolIndex) {
    for (HeldCall &call : m_held) {
        if (call.toolIndex == toolIndex)
            return call;
    }
    m_held.push_back(HeldCall{toolIndex, {}, {}, false});
    return m_held.back();
}

// Every delta passes at once except arguments, which wait for the backend's Finish (or the end of
// the body): servers interleave the fragments of parallel calls, some report usage in every chunk
// and a few write text between calls, so nothing earlier says a call's arguments are complete.
// Nothing downstream shows a tool call before the answer is complete anyway.
void ToolCallGuard::pass(std::vector<StreamDelta> &deltas, std::vector<StreamDelta> &out) {
    for (StreamDelta &delta : deltas) {
        if (m_argumentsFailed)
            return; // the answer ends with that error: nothing after it may reach the client
        switch (delta.kind) {
        case StreamDelta::Kind::ToolCallArgs: {
            HeldCall &call = held(delta.toolIndex);
            call.arguments += delta.text;
            call.hasArguments = true;
            continue;
        }
        case StreamDelta::Kind::ToolCallBegin:
            if (!delta.name.isEmpty())
                held(delta.toolIndex).name = delta.name;
            break;
        case StreamDelta::Kind::Finish:
            m_stoppedAtLimit = delta.stopReason == StopReason::MaxTokens;
            release(out);
            if (m_argumentsFailed)
                return;
            break;
        default:
            break;
        }
        out.push_back(std::move(delta));
    }
}

void ToolCallGuard::release(std::vector<StreamDelta> &out) {
    for (const HeldCall &call : m_held) {
        if (!call.hasArguments)
            continue;
        const ToolInputRepair::Result repaired = ToolInputRepair::repair(call.arguments);
        if (!repaired.ok) {
            QString excerpt = call.arguments.trimmed().left(80);
            if (call.arguments.trimmed().size() > 80)
                excerpt += QChar(0x2026);
            m_argumentsFailed = true;
            m_errorIsTheRelays = true;
            m_backendErrorType.clear();
            // A call cut by the output limit is not the model's fault: say which limit to raise.
            const QString advice =
                m_stoppedAtLimit
                    ? u"The answer reached max_tokens inside the call: raise max_tokens (or the model's "
                      "output limit on the server)"_s
                    : u"Try a model that supports tool calling (or a larger or less quantized one), or a "
                      "different chat template on the server"_s;
            m_backendError =
                u"the model '%1' produced arguments for tool '%2' that are not a JSON object (%3: %4). %5"_s
                    .arg(m_backendModel, call.name, repaired.failure, excerpt, advice);
            m_held.clear();
            return;
        }
        if (!repaired.repairs.isEmpty())
            m_repairs.append(u"tool '%1': %2"_s.arg(call.name, repaired.repairs.join(u", "_s)));
        out.push_back(StreamDelta::toolCallArgs(call.toolIndex, QString::fromUtf8(repaired.json)));
    }
    m_held.clear();
}

} // namespace modelrelay
