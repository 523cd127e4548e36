#include "ui/detect/explanation_text.h"

#include <QCoreApplication>
#include <QStringList>

namespace yolo::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("yolo::ui::Explanation", text); }

QString name(const infer::Detection& d) {
  return QString::fromStdString(d.className).toHtmlEscaped();
}

QString origin(const infer::CandidateOrigin& o) {
  return tr("head %1 (stride %2) · anchor %3 (%4×%5 px) · cell (%6, %7)")
      .arg(o.head)
      .arg(o.stride)
      .arg(o.anchor)
      .arg(o.anchorWidth, 0, 'f', 0)
      .arg(o.anchorHeight, 0, 'f', 0)
      .arg(o.cellX)
      .arg(o.cellY);
}

QString classes(const infer::Candidate& c) {
  QStringList parts;
  for (const infer::ClassProbability& p : c.topClasses)
    parts << QStringLiteral("%1 %2")
                 .arg(QString::fromStdString(p.className).toHtmlEscaped())
                 .arg(p.probability, 0, 'f', 2);
  return parts.join(QStringLiteral(", "));
}

QString removedText(const infer::SuppressedCandidate& s) {
  const QString why = s.why == infer::SuppressedCandidate::Why::kOverlap
                          ? tr("NMS, IoU %1").arg(s.overlap, 0, 'f', 2)
                          : tr("inside it, %1%").arg(100 * s.overlap, 0, 'f', 0);
  return QStringLiteral("%1 %2 (%3)")
      .arg(name(s.candidate.box))
      .arg(s.candidate.box.score, 0, 'f', 2)
      .arg(why);
}

}  // namespace

ExplanationRecord toExplanationRecord(const infer::DetectionExplanation& e, int maxListed) {
  ExplanationRecord r;
  const infer::Candidate& c = e.candidate;
  QString text = tr("<b>%1</b> score %2").arg(name(c.box)).arg(e.scoreAfterNms, 0, 'f', 3);
  if (e.scoreAfterNms != c.box.score)
    text += tr(" (%1 before soft-NMS)").arg(c.box.score, 0, 'f', 3);
  text += QStringLiteral("<br>") + origin(c.origin);
  text += QStringLiteral("<br>") +
          tr("objectness %1 × class probability %2; classes: %3")
              .arg(c.objectness, 0, 'f', 3)
              .arg(c.topClasses.empty() ? 0.f : c.topClasses.front().probability, 0, 'f', 3)
              .arg(classes(c));
  if (e.suppressed.empty()) {
    text += QStringLiteral("<br>") + tr("No other candidate was removed in its favour.");
  } else {
    QStringList listed;
    for (const infer::SuppressedCandidate& s : e.suppressed) {
      if (listed.size() < maxListed) listed << removedText(s);
      const infer::Detection& d = s.candidate.box;
      r.removed.push_back(LabeledBox{QRectF(QPointF(d.x1, d.y1), QPointF(d.x2, d.y2)), d.classId,
                                     QString(), removedText(s)});
    }
    const auto more = e.suppressed.size() - static_cast<size_t>(listed.size());
    text += QStringLiteral("<br>") +
            tr("Removed in its favour (dashed): %1").arg(listed.join(QStringLiteral(", ")));
    if (more > 0) text += tr(" and %1 more").arg(more);
  }
  r.text = text;
  return r;
}

QString describeUndetected(const std::optional<infer::Candidate>& c, float scoreThreshold) {
  if (!c) return tr("Nothing here: no candidate of the network covers this point.");
  const QString verdict =
      c->box.score > scoreThreshold
          ? tr("above the %1 threshold, but removed by NMS or the one-label rule")
                .arg(scoreThreshold, 0, 'f', 2)
          : tr("below the %1 threshold").arg(scoreThreshold, 0, 'f', 2);
  return tr("Nothing detected here. The strongest candidate: <b>%1</b> %2 (objectness %3 × "
            "%4), %5; %6.")
      .arg(name(c->box))
      .arg(c->box.score, 0, 'f', 3)
      .arg(c->objectness, 0, 'f', 3)
      .arg(c->topClasses.empty() ? 0.f : c->topClasses.front().probability, 0, 'f', 3)
      .arg(origin(c->origin))
      .arg(verdict);
}

}  // namespace yolo::ui
