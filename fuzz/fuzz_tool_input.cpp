// libFuzzer target: the text a model wrote as a tool call's arguments through ToolInputRepair,
// and, when it is a JSON object, through ToolSchemaSanitizer as a tool schema under each policy.
// Checks that a repair always yields a JSON object, that an object needs no repair, that a refusal
// says why, and that cleaning keeps an object (and leaves it alone under Keep).
#include "FuzzChecks.h"
#include "backends/ToolInputRepair.h"
#include "backends/ToolSchemaSanitizer.h"

#include <QJsonDocument>
#include <cstddef>
#include <cstdint>

using namespace modelrelay;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString text = QString::fromUtf8(input);

    const ToolInputRepair::Result repaired = ToolInputRepair::repair(text);
    if (repaired.ok)
        fuzz::requireJsonObject(repaired.json, "a repaired tool input is a JSON object");
    else
        fuzz::require(!repaired.failure.isEmpty(), "a refused tool input says why");

    // Qt 6.4 drops a U+FEFF that starts a JSON string when converting it (see fuzz_model_map):
    // a round trip through text may lose it, which is Qt's quirk, not ours.
    if (input.contains("\"\xEF\xBB\xBF"))
        return 0;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return 0;
    fuzz::require(repaired.ok, "a JSON object is accepted as tool input");
    fuzz::require(QJsonDocument::fromJson(repaired.json).object() == document.object(),
                  "a JSON object passes unchanged");

    for (const ToolSchemaPolicy policy :
         {ToolSchemaPolicy::Keep, ToolSchemaPolicy::Portable, ToolSchemaPolicy::Strict}) {
        ToolSchemaSanitizer sanitizer(policy);
        const QJsonObject cleaned = sanitizer.clean(document.object());
        if (policy == ToolSchemaPolicy::Keep)
            fuzz::require(cleaned == document.object(), "Keep leaves a schema as it is");
        else
            fuzz::require(!cleaned.isEmpty(), "a cleaned schema is never empty");
    }
    return 0;
}
