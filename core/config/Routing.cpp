#include "Routing.h"

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

QString requestClassName(RequestClass c) {
    switch (c) {
    case RequestClass::Images:
        return u"images"_s;
    case RequestClass::LongContext:
        return u"long_context"_s;
    case RequestClass::Thinking:
        return u"thinking"_s;
    case RequestClass::Background:
        break;
    }
    return u"background"_s;
}

QString requestClassTitle(RequestClass c) {
    switch (c) {
    case RequestClass::Images:
        return u"Images"_s;
    case RequestClass::LongContext:
        return u"Long context"_s;
    case RequestClass::Thinking:
        return u"Thinking"_s;
    case RequestClass::Background:
        break;
    }
    return u"Background (haiku-class)"_s;
}

bool requestClassFromName(const QString &name, RequestClass *c) {
    QString n = name.trimmed().toLower();
    n.replace(u'-', u'_').replace(u' ', u'_');
    if (n == "images"_L1 || n == "image"_L1 || n == "vision"_L1)
        *c = RequestClass::Images;
    else if (n == "long_context"_L1 || n == "longcontext"_L1)
        *c = RequestClass::LongContext;
    else if (n == "thinking"_L1 || n == "think"_L1)
        *c = RequestClass::Thinking;
    else if (n == "background"_L1 || n == "haiku"_L1)
        *c = RequestClass::Background;
    else
        return false;
    return true;
}

} // namespace modelrelay
