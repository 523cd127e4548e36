#pragma once
// QCustomPlot's header uses the `signals` and `foreach` keywords, which QT_NO_KEYWORDS
// removes (they clash with libtorch). Every UI file includes QCustomPlot through here.

#ifndef signals
#define signals Q_SIGNALS
#define YOLO_QCP_DEFINED_SIGNALS
#endif
#ifndef foreach
#define foreach Q_FOREACH
#define YOLO_QCP_DEFINED_FOREACH
#endif
#include <qcustomplot.h>
#ifdef YOLO_QCP_DEFINED_SIGNALS
#undef signals
#undef YOLO_QCP_DEFINED_SIGNALS
#endif
#ifdef YOLO_QCP_DEFINED_FOREACH
#undef foreach
#undef YOLO_QCP_DEFINED_FOREACH
#endif
