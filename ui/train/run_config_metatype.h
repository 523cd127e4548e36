#pragma once
// RunConfig travels through queued signals (session -> worker thread -> session); declared
// once here so every header that moc reads sees the same declaration first.

#include <QMetaType>

#include "core/run/run_config.h"

Q_DECLARE_METATYPE(yolo::run::RunConfig)
