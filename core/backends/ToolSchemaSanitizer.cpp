#include "ToolSchemaSanitizer.h"

#include <QJsonArray>
#include <QStringList>
#include <algorithm>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

// Keywords whose value is one schema, an array of schemas, or a map from names to schemas. Only
// these are walked: every other value (enum, const, default, required, ...) is data, and a tool
// parameter may well be called "format" or "default".
bool holdsSchema(const QString &keyword) {
    static const QSet<QString> keywords{u"items"_s,
                                        u"additionalItems"_s,
                                        u"contains"_s,
                                        u"not"_s,
                                        u"if"_s,
                                        u"then"_s,
                                        u"else"_s,
                                        u"propertyNames"_s,
                                        u"additionalProperties"_s,
                                        u"unevaluatedProperties"_s,
                                        u"unevaluatedItems"_s,
                                        u"contentSchema"_s};
    return keywords.contains(keyword);
}

bool holdsSchemaList(const QString &keyword) {
    static const QSet<QString> keywords{u"anyOf"_s, u"oneOf"_s, u"allOf"_s, u"prefixItems"_s};
    return keywords.contains(keyword);
}

bool holdsSchemaMap(const QString &keyword) {
    static const QSet<QString> keywords{u"properties"_s, u"patternProperties"_s, u"$defs"_s, u"definitions"_s,
                                        u"dependentSchemas"_s};
    return keywords.contains(keyword);
}

// Annotations no backend uses, and propertyNames, which Gemini and llama.cpp's grammar converter
// reject although the names it constrains are already listed in "properties".
bool portableDrops(const QString &keyword) {
    static const QSet<QString> keywords{u"$schema"_s, u"$id"_s, u"$comment"_s, u"propertyNames"_s};
    return keywords.contains(keyword);
}

// Validation-only keywords that strict validators (Gemini's OpenAPI subset behind OpenRouter or
// LiteLLM, grammar converters of vLLM and llama.cpp) refuse. Dropping one only loosens what the
// model is told; the client still validates the input it gets. type, properties, required,
// items, enum, anyOf/oneOf/allOf, description, minimum/maximum and minItems/maxItems stay: every
// one of those validators knows them.
bool strictDrops(const QString &keyword) {
    static const QSet<QString> keywords{
        u"format"_s, u"additionalProperties"_s, u"patternProperties"_s, u"unevaluatedProperties"_s,
        u"unevaluatedItems"_s, u"additionalItems"_s, u"dependentSchemas"_s, u"dependentRequired"_s,
        u"default"_s, u"examples"_s, u"pattern"_s, u"minLength"_s, u"maxLength"_s, u"exclusiveMinimum"_s,
        u"exclusiveMaximum"_s, u"multipleOf"_s, u"minProperties"_s, u"maxProperties"_s, u"uniqueItems"_s,
        u"contains"_s, u"minContains"_s, u"maxContains"_s, u"contentEncoding"_s, u"contentMediaType"_s,
        u"contentSchema"_s, u"readOnly"_s, u"writeOnly"_s, u"deprecated"_s, u"if"_s, u"then"_s, u"else"_s,
        u"not"_s, u"$anchor"_s, u"$dynamicAnchor"_s,
        // What is left of references after inlining (a remote or
        // recursive $ref, the definitions themselves).
        u"$ref"_s, u"$defs"_s, u"definitions"_s};
    return keywords.contains(keyword);
}

constexpr int kMaxInlinedRefDepth = 8;
// References inlined per schema at most: definitions that use each other several times would
// otherwise grow exponentially with the depth.
constexpr int kMaxInlinedRefs = 200;

// "#/$defs/Name" or "#/definitions/Name" -> "Name"; empty for any other reference.
QString localDefinitionName(const QString &ref) {
    for (const QLatin1StringView prefix : {"#/$defs/"_L1, "#/definitions/"_L1})
        if (ref.startsWith(prefix))
            return ref.mid(prefix.size());
    return {};
}

QJsonObject emptyObjectSchema() {
    return QJsonObject{{u"type"_s, u"object"_s}, {u"properties"_s, QJsonObject()}};
}

} // namespace

ToolSchemaSanitizer::ToolSchemaSanitizer(ToolSchemaPolicy policy)
    : m_policy(policy) {}

QJsonObject ToolSchemaSanitizer::clean(const QJsonValue &inputSchema) {
    if (m_policy == ToolSchemaPolicy::Keep)
        return inputSchema.toObject();
    if (!inputSchema.isObject() || inputSchema.toObject().isEmpty())
        return emptyObjectSchema();
    QJsonObject input = inputSchema.toObject();
    if (m_policy == ToolSchemaPolicy::Strict) {
        // Validators like Gemini's know no references: MCP tools (pydantic) use them a lot.
        QJsonObject definitions = input.value("definitions"_L1).toObject();
        const QJsonObject defs = input.value("$defs"_L1).toObject();
        for (auto it = defs.constBegin(); it != defs.constEnd(); ++it)
            definitions.insert(it.key(), it.value());
        if (!definitions.isEmpty()) {
            m_inlineBudget = kMaxInlinedRefs;
            input = inlineLocalRefs(input, definitions, 0).toObject();
        }
    }
    QJsonObject schema = cleanSchema(input);
    if (!schema.contains("type"_L1) && !schema.contains("anyOf"_L1) && !schema.contains("oneOf"_L1) &&
        !schema.contains("allOf"_L1) && !schema.contains("$ref"_L1)) {
        schema.insert(u"type"_s, u"object"_s);
        if (!schema.contains("properties"_L1))
            schema.insert(u"properties"_s, QJsonObject());
    }
    return schema;
}

bool ToolSchemaSanitizer::drops(const QString &keyword) const {
    switch (m_policy) {
    case ToolSchemaPolicy::Keep:
        return false;
    case ToolSchemaPolicy::Portable:
        return portableDrops(keyword);
    case ToolSchemaPolicy::Strict:
        return portableDrops(keyword) || strictDrops(keyword);
    }
    return false;
}

QJsonObject ToolSchemaSanitizer::cleanSchema(const QJsonObject &schema) {
    QJsonObject out;
    for (auto it = schema.constBegin(); it != schema.constEnd(); ++it) {
        const QString keyword = it.key();
        if (drops(keyword)) {
            m_dropped.insert(keyword);
            continue;
        }
        if (holdsSchemaMap(keyword) && it.value().isObject())
            out.insert(keyword, cleanSchemaMap(it.value().toObject()));
        else if (holdsSchemaList(keyword) && it.value().isArray()) {
            QJsonArray schemas;
            for (const QJsonValue &item : it.value().toArray())
                schemas.append(cleanSchemaValue(item));
            out.insert(keyword, schemas);
        } else if (keyword == "items"_L1 && it.value().isArray()) { // the draft-07 tuple form
            QJsonArray schemas;
            for (const QJsonValue &item : it.value().toArray())
                schemas.append(cleanSchemaValue(item));
            out.insert(keyword, schemas);
        } else if (holdsSchema(keyword))
            out.insert(keyword, cleanSchemaValue(it.value()));
        else
            out.insert(keyword, it.value());
    }
    // Gemini has no const; a one-value enum says the same.
    if (m_policy == ToolSchemaPolicy::Strict && out.contains("const"_L1)) {
        if (!out.contains("enum"_L1))
            out.insert(u"enum"_s, QJsonArray{out.value("const"_L1)});
        out.remove(u"const"_s);
        m_dropped.insert(u"const (as enum)"_s);
    }
    if (m_policy == ToolSchemaPolicy::Strict)
        dropNullAlternatives(out);
    if (out.value("type"_L1) == "object"_L1 && !out.contains("properties"_L1))
        out.insert(u"properties"_s, QJsonObject());
    return out;
}

QJsonValue ToolSchemaSanitizer::inlineLocalRefs(const QJsonValue &value, const QJsonObject &definitions,
                                                int depth) {
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : value.toArray())
            out.append(inlineLocalRefs(item, definitions, depth));
        return out;
    }
    if (!value.isObject())
        return value;
    QJsonObject object = value.toObject();
    const QString name = localDefinitionName(object.value("$ref"_L1).toString());
    if (!name.isEmpty() && definitions.contains(name)) {
        object.remove(u"$ref"_s);
        m_dropped.insert(u"$ref (inlined)"_s);
        // A recursive definition has no finite inline form: past the depth (or the budget) it is
        // just an object.
        const bool expand = depth < kMaxInlinedRefDepth && m_inlineBudget-- > 0;
        QJsonObject resolved =
            expand ? inlineLocalRefs(definitions.value(name), definitions, depth + 1).toObject()
                   : emptyObjectSchema();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) // siblings (description) win
            resolved.insert(it.key(), inlineLocalRefs(it.value(), definitions, depth));
        return resolved;
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() != "$defs"_L1 && it.key() != "definitions"_L1 && it.key() != "enum"_L1 &&
            it.key() != "const"_L1 && it.key() != "default"_L1 && it.key() != "examples"_L1)
            it.value() = inlineLocalRefs(it.value(), definitions, depth);
    }
    return object;
}

// Optional values as pydantic and zod write them ("type": ["string", "null"], or anyOf with a
// {"type": "null"} member) become the plain type: strict validators refuse type lists and null,
// and leaving a parameter out says the same.
void ToolSchemaSanitizer::dropNullAlternatives(QJsonObject &schema) {
    if (const QJsonValue type = schema.value("type"_L1); type.isArray()) {
        QJsonArray types;
        for (const QJsonValue &t : type.toArray())
            if (t.toString() != "null"_L1)
                types.append(t);
        if (types.size() == 1)
            schema.insert(u"type"_s, types.first());
        else
            schema.remove(u"type"_s); // several types: any of them may come
        m_dropped.insert(u"type lists"_s);
    }
    for (const QLatin1StringView keyword : {"anyOf"_L1, "oneOf"_L1}) {
        if (!schema.value(keyword).isArray())
            continue;
        QJsonArray alternatives;
        for (const QJsonValue &a : schema.value(keyword).toArray())
            if (a.toObject().value("type"_L1).toString() != "null"_L1)
                alternatives.append(a);
        if (alternatives.size() == schema.value(keyword).toArray().size())
            continue;
        m_dropped.insert(u"null alternatives"_s);
        schema.remove(keyword);
        if (alternatives.size() == 1) {
            const QJsonObject only = alternatives.first().toObject();
            for (auto it = only.constBegin(); it != only.constEnd(); ++it)
                if (!schema.contains(it.key()))
                    schema.insert(it.key(), it.value());
        } else if (!alternatives.isEmpty()) {
            schema.insert(keyword, alternatives);
        }
    }
}

QJsonValue ToolSchemaSanitizer::cleanSchemaValue(const QJsonValue &value) {
    // true/false are schemas too; they have nothing to drop.
    return value.isObject() ? QJsonValue(cleanSchema(value.toObject())) : value;
}

QJsonObject ToolSchemaSanitizer::cleanSchemaMap(const QJsonObject &map) {
    QJsonObject out;
    for (auto it = map.constBegin(); it != map.constEnd(); ++it)
        out.insert(it.key(), cleanSchemaValue(it.value()));
    return out;
}

QStringList ToolSchemaSanitizer::droppedKeywords() const {
    QStringList keywords(m_dropped.cbegin(), m_dropped.cend());
    std::sort(keywords.begin(), keywords.end());
    return keywords;
}

QString ToolSchemaSanitizer::note() const {
    if (m_dropped.isEmpty())
        return {};
    return u"tool schemas: dropped %1 (%2)"_s.arg(droppedKeywords().join(u", "_s),
                                                  toolSchemaPolicyName(m_policy));
}

} // namespace modelrelay
