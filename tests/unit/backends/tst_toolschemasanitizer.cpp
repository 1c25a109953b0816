// ToolSchemaSanitizer on the tool schemas Claude Code really sends, on hand-made nested schemas,
// and through the OpenAI request builder.
#include "anthropic/RequestParser.h"
#include "backends/ToolSchemaSanitizer.h"
#include "backends/anthropic_native/AnthropicNativeRequestBuilder.h"
#include "backends/openai/OpenAiRequestBuilder.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtTest>
#include <algorithm>
#include <iterator>

using namespace modelrelay;

Q_DECLARE_METATYPE(modelrelay::ToolSchemaPolicy)

// Declared before the raw-string schemas below, which moc cannot read past.
class TestToolSchemaSanitizer : public QObject {
    Q_OBJECT
private slots:
    void keepLeavesRecordedSchemasAlone();
    void portableDropsOnlyAnnotations_data();
    void portableDropsOnlyAnnotations();
    void strictLeavesNothingStrictValidatorsRefuse_data();
    void strictLeavesNothingStrictValidatorsRefuse();
    void strictKeepsWhatTheModelNeeds();
    void taskUpdateMetadataAndStatus();
    void nestedPortable();
    void nestedStrict();
    void emptyOrMissingSchema_data();
    void emptyOrMissingSchema();
    void schemaWithoutTypeBecomesObject();
    void noteListsEveryDroppedKeywordOnceSorted();
    void openAiBuilderSendsTheCleanedSchema();
    void openAiBuilderKeepSendsTheSchemaAsIs();
    void anthropicNativeBuilderCleansOnlyClientTools();
    void strictInlinesReferencesAndOptionalTypes();
    void strictInliningStaysSmallForFanOut();
};

namespace {

QJsonObject json(const char *text) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test: %s", qPrintable(error.errorString()));
    return document.object();
}

QByteArray fixture(const QString &name) {
    QFile file(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

// name -> input_schema of every tool in a recorded Claude Code request.
QList<QPair<QString, QJsonObject>> fixtureTools(const QString &name) {
    QList<QPair<QString, QJsonObject>> tools;
    for (const QJsonValue &tool : QJsonDocument::fromJson(fixture(name)).object().value("tools").toArray())
        tools.append(
            {tool.toObject().value("name").toString(), tool.toObject().value("input_schema").toObject()});
    return tools;
}

// Every keyword used at a schema position (not property names, not enum/const/default data).
void collectKeywords(const QJsonValue &schema, QSet<QString> &out) {
    if (!schema.isObject())
        return;
    const QJsonObject object = schema.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        out.insert(it.key());
        const QString k = it.key();
        if (k == "properties" || k == "patternProperties" || k == "$defs" || k == "definitions" ||
            k == "dependentSchemas") {
            const QJsonObject map = it.value().toObject();
            for (auto p = map.begin(); p != map.end(); ++p)
                collectKeywords(p.value(), out);
        } else if (k == "anyOf" || k == "oneOf" || k == "allOf" || k == "prefixItems" ||
                   (k == "items" && it.value().isArray())) {
            for (const QJsonValue &item : it.value().toArray())
                collectKeywords(item, out);
        } else if (k == "items" || k == "not" || k == "additionalProperties" || k == "if" || k == "then" ||
                   k == "else" || k == "contains" || k == "propertyNames") {
            collectKeywords(it.value(), out);
        }
    }
}

QSet<QString> keywordsOf(const QJsonObject &schema) {
    QSet<QString> out;
    collectKeywords(schema, out);
    return out;
}

QJsonObject at(const QJsonObject &schema, const QStringList &path) {
    QJsonValue v = schema;
    for (const QString &key : path)
        v = v.toObject().value(key);
    return v.toObject();
}

const QStringList kStrictRefused{"$schema",
                                 "propertyNames",
                                 "format",
                                 "additionalProperties",
                                 "patternProperties",
                                 "default",
                                 "examples",
                                 "pattern",
                                 "minLength",
                                 "maxLength",
                                 "exclusiveMinimum",
                                 "exclusiveMaximum",
                                 "multipleOf",
                                 "uniqueItems",
                                 "const",
                                 "if",
                                 "then",
                                 "else",
                                 "not",
                                 "contains"};

// A schema with everything at every depth: a property named like keywords, keywords in data, nested
// objects, arrays of objects, anyOf, $defs, const, boolean schemas.
const char *kNested = R"({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$comment": "made by hand",
  "type": "object",
  "propertyNames": {"pattern": "^[a-z_]+$"},
  "properties": {
    "format": {"type": "string", "enum": ["json", "format", "default"], "default": "json"},
    "pattern": {"type": "string", "pattern": "^\\w+$", "minLength": 1},
    "default": {"const": "x"},
    "when": {"type": "string", "format": "date-time"},
    "edits": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "old": {"type": "string", "maxLength": 100},
          "count": {"type": "integer", "exclusiveMinimum": 0, "maximum": 10}
        },
        "required": ["old"]
      }
    },
    "target": {
      "anyOf": [
        {"type": "string", "format": "uri"},
        {"type": "object", "properties": {"path": {"$ref": "#/$defs/path"}}, "additionalProperties": false},
        {"type": "null"}
      ]
    },
    "free": true,
    "meta": {"type": "object"}
  },
  "$defs": {"path": {"type": "string", "minLength": 1, "$comment": "absolute"}},
  "required": ["format", "pattern"],
  "additionalProperties": false
})";

} // namespace

void TestToolSchemaSanitizer::keepLeavesRecordedSchemasAlone() {
    ToolSchemaSanitizer sanitizer(ToolSchemaPolicy::Keep);
    for (const auto &[name, schema] : fixtureTools("v2.1.331-first-turn.request.json"))
        QVERIFY2(sanitizer.clean(schema) == schema, qPrintable(name));
    QVERIFY(sanitizer.droppedKeywords().isEmpty());
    QCOMPARE(sanitizer.note(), QString());
}

void TestToolSchemaSanitizer::portableDropsOnlyAnnotations_data() {
    QTest::addColumn<QString>("fixture");
    QTest::newRow("2.1.331") << "v2.1.331-first-turn.request.json";
    QTest::newRow("2.1.331 tool result") << "v2.1.331-tool-result-turn.request.json";
}

void TestToolSchemaSanitizer::portableDropsOnlyAnnotations() {
    QFETCH(QString, fixture);
    ToolSchemaSanitizer sanitizer(ToolSchemaPolicy::Portable);
    const auto tools = fixtureTools(fixture);
    QVERIFY(tools.size() > 5);
    for (const auto &[name, schema] : tools) {
        QJsonObject expected = schema;
        expected.remove("$schema"); // the only portable drop Claude Code's schemas carry
        QCOMPARE(sanitizer.clean(schema), expected);
    }
    QCOMPARE(sanitizer.droppedKeywords(), QStringList{"$schema"});
    QCOMPARE(sanitizer.note(), QString("tool schemas: dropped $schema (portable)"));
}

void TestToolSchemaSanitizer::strictLeavesNothingStrictValidatorsRefuse_data() {
    QTest::addColumn<QString>("fixture");
    const QStringList names = QDir(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/"))
                                  .entryList({QStringLiteral("*.request.json")}, QDir::Files, QDir::Name);
    QVERIFY(names.size() >= 8);
    for (const QString &name : names)
        QTest::newRow(qPrintable(name)) << name;
}

void TestToolSchemaSanitizer::strictLeavesNothingStrictValidatorsRefuse() {
    QFETCH(QString, fixture);
    ToolSchemaSanitizer sanitizer(ToolSchemaPolicy::Strict);
    for (const auto &[name, schema] : fixtureTools(fixture)) {
        const QJsonObject cleaned = sanitizer.clean(schema);
        const QSet<QString> keywords = keywordsOf(cleaned);
        for (const QString &refused : kStrictRefused)
            QVERIFY2(!keywords.contains(refused), qPrintable(name + ": " + refused + " left"));
        // Property names are data: every one survives, at the top level at least.
        QCOMPARE(cleaned.value("properties").toObject().keys(), schema.value("properties").toObject().keys());
        QCOMPARE(cleaned.value("required"), schema.value("required"));
        QCOMPARE(cleaned.value("type").toString(), QString("object"));
    }
}

void TestToolSchemaSanitizer::strictKeepsWhatTheModelNeeds() {
    QHash<QString, QJsonObject> tools;
    for (const auto &[name, schema] : fixtureTools("v2.1.331-first-turn.request.json"))
        tools.insert(name, schema);
    ToolSchemaSanitizer sanitizer(ToolSchemaPolicy::Strict);

    const QJsonObject read = sanitizer.clean(tools.value("Read"));
    QCOMPARE(
        at(read, {"properties", "limit"}),
        json(
            R"({"description":"The number of lines to read. Only provide if the file is too large to read at once.","type":"integer","maximum":9007199254740991})"));
    QCOMPARE(at(read, {"properties", "offset"}).value("minimum").toInt(), 0);

    const QJsonObject findings = sanitizer.clean(tools.value("ReportFindings"));
    const QJsonObject item = at(findings, {"properties", "findings", "items"});
    QCOMPARE(at(findings, {"properties", "findings"}).value("maxItems").toInt(), 32);
    QVERIFY(!at(item, {"properties", "short_summary"}).contains("maxLength"));
    QCOMPARE(at(item, {"properties", "severity"}).value("enum").toArray(),
             (QJsonArray{"important", "pre_existing", "nit"}));
    QVERIFY(!item.contains("additionalProperties"));
    QCOMPARE(item.value("required").toArray().size(), 3);

    const QJsonObject workflow = sanitizer.clean(tools.value("Workflow"));
    QVERIFY(!at(workflow, {"properties", "resumeFromRunId"}).contains("pattern"));
    QVERIFY(!at(workflow, {"properties", "script"}).contains("maxLength"));
    // "args" has no type at all (any value): it stays a schema with only a description.
    QCOMPARE(at(workflow, {"properties", "args"}).keys(), QStringList{"description"});

    const QStringList dropped = sanitizer.droppedKeywords();
    for (const char *k : {"$schema", "additionalProperties", "exclusiveMinimum", "maxLength", "pattern"})
        QVERIFY2(dropped.contains(k), qPrintable(dropped.join(", ")));
    QVERIFY(!dropped.contains("maximum"));
    QVERIFY(!dropped.contains("enum"));
    QVERIFY(sanitizer.note().endsWith("(strict)"));
}

// Claude Code 2.1.197's TaskUpdate: a free-form map with propertyNames, and a const in an anyOf.
void TestToolSchemaSanitizer::taskUpdateMetadataAndStatus() {
    QJsonObject taskUpdate;
    for (const auto &[name, schema] : fixtureTools("v2.1.197-first-turn.request.json")) {
        if (name == "TaskUpdate")
            taskUpdate = schema;
    }
    QVERIFY(!taskUpdate.isEmpty());
    const QString description = "Metadata keys to merge into the task. Set a key to null to delete it.";

    ToolSchemaSanitizer portable(ToolSchemaPolicy::Portable);
    const QJsonObject p = portable.clean(taskUpdate);
    QCOMPARE(at(p, {"properties", "metadata"}), (QJsonObject{{"description", description},
                                                             {"type", "object"},
                                                             {"additionalProperties", QJsonObject()},
                                                             {"properties", QJsonObject()}}));
    QCOMPARE(at(p, {"properties", "status"}), at(taskUpdate, {"properties", "status"}));
    QCOMPARE(portable.note(), QString("tool schemas: dropped $schema, propertyNames (portable)"));

    ToolSchemaSanitizer strict(ToolSchemaPolicy::Strict);
    const QJsonObject s = strict.clean(taskUpdate);
    QCOMPARE(at(s, {"properties", "metadata"}),
             (QJsonObject{{"description", description}, {"type", "object"}, {"properties", QJsonObject()}}));
    QCOMPARE(at(s, {"properties", "status"}).value("anyOf").toArray().at(1).toObject(),
             json(R"({"type":"string","enum":["deleted"]})"));
    QVERIFY(strict.droppedKeywords().contains("const (as enum)"));
}

void TestToolSchemaSanitizer::nestedPortable() {
    ToolSchemaSanitizer sanitizer(ToolSchemaPolicy::Portable);
    const QJsonObject input = json(kNested);
    const QJsonObject cleaned = sanitizer.clean(input);

    QJsonObject expected = input;
    expected.remove("$schema");
    expected.remove("$comment");
    expected.remove("propertyNames");
    QJsonObject defs = expected.value("$defs").toObject();
    defs.insert("path", json(R"({"type":"string","minLength":1})"));
    expected.insert("$defs", defs);
    // "meta" is an object without properties: it gets an empty map, as validators want.
    QJsonObject properties = expected.value("properties").toObject();
    properties.insert("meta", json(R"({"type":"object","properties":{}})"));
    expected.insert("properties", properties);
    QCOMPARE(cleaned, expected);
    QCOMPARE(sanitizer.droppedKeywords(), (QStringList{"$comment", "$schema", "propertyNames"}));
    QCOMPARE(sanitizer.note(), QString("tool schemas: dropped $comment, $schema, propertyNames (portable)"));
}

void TestToolSchemaSanitizer::nestedStrict() {
    ToolSchemaSanitizer sanitizer(ToolSchemaPolicy::Strict);
    const QJsonObject cleaned = sanitizer.clean(json(kNested));
    const QJsonObject expected = json(R"({
      "type": "object",
      "properties": {
        "format": {"type": "string", "enum": ["json", "format", "default"]},
        "pattern": {"type": "string"},
        "default": {"enum": ["x"]},
        "when": {"type": "string"},
        "edits": {
          "type": "array",
          "minItems": 1,
          "items": {
            "type": "object",
            "properties": {
              "old": {"type": "string"},
              "count": {"type": "integer", "maximum": 10}
            },
            "required": ["old"]
          }
        },
        "target": {
          "anyOf": [
            {"type": "string"},
            {"type": "object", "properties": {"path": {"type": "string"}}}
          ]
        },
        "free": true,
        "meta": {"type": "object", "properties": {}}
      },
      "required": ["format", "pattern"]
    })");
    QCOMPARE(cleaned, expected);
    QCOMPARE(sanitizer.droppedKeywords(),
             (QStringList{"$comment", "$defs", "$ref (inlined)", "$schema", "additionalProperties",
                          "const (as enum)", "default", "exclusiveMinimum", "format", "maxLength",
                          "minLength", "null alternatives", "pattern", "propertyNames", "uniqueItems"}));
}

void TestToolSchemaSanitizer::emptyOrMissingSchema_data() {
    QTest::addColumn<ToolSchemaPolicy>("policy");
    QTest::addColumn<QJsonValue>("schema");
    QTest::addColumn<QJsonObject>("expected");
    const QJsonObject emptyObject = json(R"({"type":"object","properties":{}})");
    for (const ToolSchemaPolicy policy : {ToolSchemaPolicy::Portable, ToolSchemaPolicy::Strict}) {
        const QByteArray p = toolSchemaPolicyName(policy).toUtf8();
        QTest::newRow(p + " missing") << policy << QJsonValue() << emptyObject;
        QTest::newRow(p + " empty") << policy << QJsonValue(QJsonObject()) << emptyObject;
        QTest::newRow(p + " string") << policy << QJsonValue("object") << emptyObject;
        QTest::newRow(p + " true") << policy << QJsonValue(true) << emptyObject;
        QTest::newRow(p + " object without properties")
            << policy << QJsonValue(json(R"({"type":"object"})")) << emptyObject;
    }
    QTest::newRow("keep missing") << ToolSchemaPolicy::Keep << QJsonValue() << QJsonObject();
    QTest::newRow("keep empty") << ToolSchemaPolicy::Keep << QJsonValue(QJsonObject()) << QJsonObject();
    QTest::newRow("keep object without properties")
        << ToolSchemaPolicy::Keep << QJsonValue(json(R"({"type":"object"})")) << json(R"({"type":"object"})");
}

void TestToolSchemaSanitizer::emptyOrMissingSchema() {
    QFETCH(ToolSchemaPolicy, policy);
    QFETCH(QJsonValue, schema);
    QFETCH(QJsonObject, expected);
    ToolSchemaSanitizer sanitizer(policy);
    QCOMPARE(sanitizer.clean(schema), expected);
    QCOMPARE(sanitizer.note(), QString());
}

void TestToolSchemaSanitizer::schemaWithoutTypeBecomesObject() {
    ToolSchemaSanitizer sanitizer(ToolSchemaPolicy::Portable);
    QCOMPARE(sanitizer.clean(json(R"({"properties":{"a":{"type":"string"}},"required":["a"]})")),
             json(R"({"type":"object","properties":{"a":{"type":"string"}},"required":["a"]})"));
    // A top-level anyOf already says what the value is.
    QCOMPARE(sanitizer.clean(json(R"({"anyOf":[{"type":"object","properties":{}}]})")),
             json(R"({"anyOf":[{"type":"object","properties":{}}]})"));
    QCOMPARE(sanitizer.note(), QString());
}

void TestToolSchemaSanitizer::noteListsEveryDroppedKeywordOnceSorted() {
    ToolSchemaSanitizer sanitizer(ToolSchemaPolicy::Strict);
    sanitizer.clean(json(R"({"type":"object","properties":{"u":{"type":"string","format":"uri"}}})"));
    QCOMPARE(sanitizer.note(), QString("tool schemas: dropped format (strict)"));
    sanitizer.clean(
        json(R"({"$schema":"x","type":"object","properties":{"d":{"type":"string","format":"date"}},)"
             R"("additionalProperties":false})"));
    QCOMPARE(sanitizer.droppedKeywords(), (QStringList{"$schema", "additionalProperties", "format"}));
    QCOMPARE(sanitizer.note(),
             QString("tool schemas: dropped $schema, additionalProperties, format (strict)"));

    ToolSchemaSanitizer clean(ToolSchemaPolicy::Strict);
    clean.clean(json(R"({"type":"object","properties":{"n":{"type":"integer","minimum":1}}})"));
    QCOMPARE(clean.note(), QString());
}

void TestToolSchemaSanitizer::openAiBuilderSendsTheCleanedSchema() {
    ParseOptions options;
    auto parsed = RequestParser::parse(fixture("v2.1.331-first-turn.request.json"), options);
    QVERIFY(std::holds_alternative<MessageRequest>(parsed));
    MessageRequest request = std::get<MessageRequest>(parsed);
    // Only Edit: a golden small enough to read.
    std::erase_if(request.tools, [](const ToolDefinition &tool) { return tool.name != "Edit"; });
    QCOMPARE(request.tools.size(), std::size_t(1));

    BackendProfile profile;
    profile.kind = BackendKind::OpenAI;
    profile.baseUrl = QUrl("http://127.0.0.1:8000/v1");
    profile.toolSchemas = ToolSchemaPolicy::Strict;
    ModelTarget target;
    target.backendModel = "qwen3-coder";
    QStringList notes;
    const QJsonObject body = OpenAiRequestBuilder::buildBody(request, target, profile, &notes);

    const QJsonObject function = body.value("tools").toArray().at(0).toObject().value("function").toObject();
    QCOMPARE(function.value("name").toString(), QString("Edit"));
    QCOMPARE(function.value("parameters").toObject(), json(R"json({
      "type": "object",
      "properties": {
        "file_path": {"description": "The absolute path to the file to modify", "type": "string"},
        "old_string": {"description": "The text to replace", "type": "string"},
        "new_string": {"description": "The text to replace it with (must be different from old_string)", "type": "string"},
        "replace_all": {"description": "Replace all occurrences of old_string (default false)", "type": "boolean"}
      },
      "required": ["file_path", "old_string", "new_string"]
    })json"));
    QVERIFY2(notes.contains("tool schemas: dropped $schema, additionalProperties, default (strict)"),
             qPrintable(notes.join('\n')));
}

void TestToolSchemaSanitizer::openAiBuilderKeepSendsTheSchemaAsIs() {
    ParseOptions options;
    auto parsed = RequestParser::parse(fixture("v2.1.331-first-turn.request.json"), options);
    QVERIFY(std::holds_alternative<MessageRequest>(parsed));
    const MessageRequest request = std::get<MessageRequest>(parsed);
    BackendProfile profile;
    profile.kind = BackendKind::OpenAI;
    profile.toolSchemas = ToolSchemaPolicy::Keep;
    ModelTarget target;
    target.backendModel = "m";
    QStringList notes;
    const QJsonObject body = OpenAiRequestBuilder::buildBody(request, target, profile, &notes);
    const QJsonArray tools = body.value("tools").toArray();
    std::vector<ToolDefinition> offered; // deferred tools wait for ToolSearch
    std::copy_if(request.tools.begin(), request.tools.end(), std::back_inserter(offered),
                 [](const ToolDefinition &tool) { return !tool.deferred; });
    QCOMPARE(std::size_t(tools.size()), offered.size());
    for (qsizetype i = 0; i < tools.size(); ++i)
        QCOMPARE(tools.at(i).toObject().value("function").toObject().value("parameters").toObject(),
                 offered[std::size_t(i)].inputSchema);
    for (const QString &note : notes)
        QVERIFY2(!note.startsWith("tool schemas"), qPrintable(note));
}

void TestToolSchemaSanitizer::anthropicNativeBuilderCleansOnlyClientTools() {
    const QByteArray body = R"json({
      "model": "claude-sonnet-4-5", "max_tokens": 1024,
      "messages": [{"role": "user", "content": "hi"}],
      "tools": [
        {"name": "TaskUpdate", "description": "Updates a task", "cache_control": {"type": "ephemeral"},
         "input_schema": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                          "properties": {"metadata": {"type": "object", "propertyNames": {"type": "string"},
                                                      "additionalProperties": {}}}}},
        {"type": "web_search_20250305", "name": "web_search", "max_uses": 5}
      ]})json";
    ParseOptions options;
    auto parsed = RequestParser::parse(body, options);
    QVERIFY(std::holds_alternative<MessageRequest>(parsed));
    const MessageRequest request = std::get<MessageRequest>(parsed);
    ModelTarget target;
    target.backendModel = "qwen3:8b";
    BackendProfile profile;
    profile.kind = BackendKind::Anthropic;

    profile.toolSchemas = ToolSchemaPolicy::Portable;
    QStringList notes;
    QJsonArray tools =
        AnthropicNativeRequestBuilder::buildBody(request, target, profile, &notes).value("tools").toArray();
    const QJsonArray clientTools = QJsonDocument::fromJson(body).object().value("tools").toArray();
    QCOMPARE(tools.size(), 2);
    QJsonObject expected = clientTools.at(0).toObject();
    expected.insert("input_schema", json(R"json({"type": "object", "properties": {"metadata":
        {"type": "object", "additionalProperties": {}, "properties": {}}}})json"));
    QCOMPARE(tools.at(0).toObject(), expected);
    QCOMPARE(tools.at(1), clientTools.at(1)); // a server tool has no schema to clean
    QVERIFY2(notes.contains("tool schemas: dropped $schema, propertyNames (portable)"),
             qPrintable(notes.join('\n')));

    profile.toolSchemas = ToolSchemaPolicy::Keep;
    notes.clear();
    tools =
        AnthropicNativeRequestBuilder::buildBody(request, target, profile, &notes).value("tools").toArray();
    QCOMPARE(tools, clientTools);
    for (const QString &note : notes)
        QVERIFY2(!note.startsWith("tool schemas"), qPrintable(note));
}

namespace {
bool containsKeyword(const QJsonValue &value, const QString &keyword) {
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            if (containsKeyword(item, keyword))
                return true;
    }
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        if (it.key() == keyword || containsKeyword(it.value(), keyword))
            return true;
    return false;
}
} // namespace

// The shape pydantic gives an MCP tool: definitions referenced by $ref (one of them recursive),
// Optional[...] as anyOf with null or a type list.
void TestToolSchemaSanitizer::strictInlinesReferencesAndOptionalTypes() {
    const QJsonObject schema = QJsonDocument::fromJson(R"({
        "type": "object",
        "$defs": {
            "Filter": {"type": "object", "required": ["field"],
                       "properties": {"field": {"type": "string"},
                                      "value": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": null}}},
            "Node": {"type": "object", "properties": {"name": {"type": "string"}, "child": {"$ref": "#/$defs/Node"}}}
        },
        "properties": {
            "filters": {"type": "array", "items": {"$ref": "#/$defs/Filter"}},
            "sort": {"$ref": "#/definitions/Missing", "description": "unknown reference"},
            "limit": {"type": ["integer", "null"]},
            "either": {"type": ["integer", "string"]},
            "tree": {"$ref": "#/$defs/Node", "description": "a tree"}
        }
    })")
                                   .object();
    ToolSchemaSanitizer strict(ToolSchemaPolicy::Strict);
    const QJsonObject cleaned = strict.clean(schema);
    QVERIFY(!containsKeyword(cleaned, "$ref"));
    QVERIFY(!containsKeyword(cleaned, "$defs"));
    QVERIFY(!containsKeyword(cleaned, "anyOf"));
    const QJsonObject properties = cleaned.value("properties").toObject();
    QCOMPARE(properties.value("filters").toObject().value("items").toObject(),
             QJsonDocument::fromJson(R"({"type": "object", "required": ["field"],
                 "properties": {"field": {"type": "string"}, "value": {"type": "string"}}})")
                 .object());
    QCOMPARE(properties.value("limit").toObject(), QJsonObject({{"type", "integer"}}));
    QVERIFY(!properties.value("either").toObject().contains("type")); // either may come
    QCOMPARE(properties.value("sort").toObject(), QJsonObject({{"description", "unknown reference"}}));
    // The recursive one is inlined a few levels deep, then ends in a plain object; siblings stay.
    QJsonObject tree = properties.value("tree").toObject();
    QCOMPARE(tree.value("description").toString(), QString("a tree"));
    int depth = 0;
    while (tree.value("properties").toObject().contains("child")) {
        tree = tree.value("properties").toObject().value("child").toObject();
        ++depth;
    }
    QVERIFY2(depth >= 3 && depth <= 10, qPrintable(QString::number(depth)));
    QCOMPARE(tree.value("type").toString(), QString("object"));
    const QString note = strict.note();
    for (const char *mentioned : {"$ref (inlined)", "null alternatives", "type lists", "$defs"})
        QVERIFY2(note.contains(mentioned), qPrintable(note));

    // Portable leaves references alone: most servers resolve them.
    ToolSchemaSanitizer portable(ToolSchemaPolicy::Portable);
    const QJsonObject kept = portable.clean(schema);
    QCOMPARE(kept.value("$defs"), schema.value("$defs"));
    QCOMPARE(kept.value("properties").toObject().value("limit"),
             schema.value("properties").toObject().value("limit"));
}

// Ten definitions, each using the next ten times: inlined naively that is 10^9 copies.
void TestToolSchemaSanitizer::strictInliningStaysSmallForFanOut() {
    QJsonObject defs;
    for (int level = 0; level < 10; ++level) {
        QJsonObject properties;
        for (int use = 0; use < 10; ++use)
            properties.insert(QString("p%1").arg(use),
                              QJsonObject{{"$ref", QString("#/$defs/L%1").arg(level + 1)}});
        defs.insert(QString("L%1").arg(level), QJsonObject{{"type", "object"}, {"properties", properties}});
    }
    defs.insert("L10", QJsonObject{{"type", "string"}});
    const QJsonObject schema{{"type", "object"},
                             {"$defs", defs},
                             {"properties", QJsonObject{{"root", QJsonObject{{"$ref", "#/$defs/L0"}}}}}};
    ToolSchemaSanitizer strict(ToolSchemaPolicy::Strict);
    const QByteArray cleaned = QJsonDocument(strict.clean(schema)).toJson(QJsonDocument::Compact);
    QVERIFY2(cleaned.size() < 200 * 1024, qPrintable(QString::number(cleaned.size())));
    QVERIFY(!cleaned.contains("$ref"));
    QVERIFY(cleaned.contains(R"("p9":{"properties":{"p0")")); // the first levels are really inlined
}

QTEST_APPLESS_MAIN(TestToolSchemaSanitizer)
#include "tst_toolschemasanitizer.moc"
