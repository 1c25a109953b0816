// Cleans tool input schemas (JSON Schema) so that a backend's validator accepts them, as far as
// the profile's ToolSchemaPolicy asks; collects which keywords were dropped across a request.
// Strict also inlines local $ref definitions and turns optional (nullable) types into plain ones.
#pragma once

#include "config/BackendProfile.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QString>

namespace modelrelay {

class ToolSchemaSanitizer {
public:
    explicit ToolSchemaSanitizer(ToolSchemaPolicy policy);

    // A tool's input_schema, cleaned. Except under Keep, a missing, empty or non-object schema
    // becomes {"type":"object","properties":{}}, since OpenAI-style validators want one.
    QJsonObject clean(const QJsonValue &inputSchema);

    // The keywords dropped by every clean() so far, sorted.
    QStringList droppedKeywords() const;
    // "tool schemas: dropped $schema, propertyNames (portable)", or empty when nothing was dropped.
    QString note() const;

private:
    QJsonObject cleanSchema(const QJsonObject &schema);
    QJsonValue cleanSchemaValue(const QJsonValue &value);
    QJsonObject cleanSchemaMap(const QJsonObject &map);
    QJsonValue inlineLocalRefs(const QJsonValue &value, const QJsonObject &definitions, int depth);
    void dropNullAlternatives(QJsonObject &schema);
    bool drops(const QString &keyword) const;

    ToolSchemaPolicy m_policy;
    QSet<QString> m_dropped;
    int m_inlineBudget = 0; // references clean() may still inline
};

} // namespace modelrelay
