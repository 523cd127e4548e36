#pragma once
// A small dataset the UI tests write themselves, so that they need neither the MNIST digits
// nor a generator run: a make-data folder (train.txt, test.txt, obj.names, train/ and
// test/) whose images hold black squares (class 0, "square") and grey bars (class 1, "bar").

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QString>
#include <QVector>

namespace yolo::test {

struct SquaresDataset {
  QString folder;
  int trainImages = 0, testImages = 0;
  QVector<int> boxesPerClass{0, 0};       ///< squares, bars over both splits
  QVector<QVector<int>> classesPerImage;  ///< train images first, then test, in line order
};

/// Image i has one square, and a bar when i is even. Returns what was written.
inline SquaresDataset writeSquaresDataset(const QString& folder, int trainImages, int testImages) {
  SquaresDataset d{folder, trainImages, testImages, {0, 0}, {}};
  QDir().mkpath(folder + QStringLiteral("/train"));
  QDir().mkpath(folder + QStringLiteral("/test"));
  auto writeSplit = [&](const QString& split, int count) {
    QFile list(folder + QStringLiteral("/%1.txt").arg(split));
    if (!list.open(QIODevice::WriteOnly | QIODevice::Text)) return;
    for (int i = 0; i < count; ++i) {
      QImage image(96, 96, QImage::Format_RGB888);
      image.fill(Qt::white);
      QPainter painter(&image);
      const QRect square(8 + 2 * i, 10 + i, 24, 24), bar(60, 8 + i, 10, 40);
      painter.fillRect(square, Qt::black);
      const QString name =
          QStringLiteral("%1/%2.png").arg(split).arg(i + 1, 6, 10, QLatin1Char('0'));
      QString line = QStringLiteral("%1 %2,%3,%4,%5,0")
                         .arg(name)
                         .arg(square.left())
                         .arg(square.top())
                         .arg(square.left() + square.width())
                         .arg(square.top() + square.height());
      QVector<int> classes{0};
      if (i % 2 == 0) {
        painter.fillRect(bar, Qt::gray);
        line += QStringLiteral(" %1,%2,%3,%4,1")
                    .arg(bar.left())
                    .arg(bar.top())
                    .arg(bar.left() + bar.width())
                    .arg(bar.top() + bar.height());
        classes << 1;
      }
      painter.end();
      image.save(folder + QLatin1Char('/') + name);
      list.write((line + QLatin1Char('\n')).toUtf8());
      for (int c : classes) ++d.boxesPerClass[c];
      d.classesPerImage << classes;
    }
  };
  writeSplit(QStringLiteral("train"), trainImages);
  writeSplit(QStringLiteral("test"), testImages);
  QFile names(folder + QStringLiteral("/obj.names"));
  if (names.open(QIODevice::WriteOnly | QIODevice::Text)) names.write("square\nbar\n");
  return d;
}

}  // namespace yolo::test
