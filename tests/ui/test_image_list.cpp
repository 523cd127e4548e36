// ImageList: opened files (EXIF orientation applied) decoded in the background, unreadable
// ones reported by name, pasted pictures, and the newest addition selected.

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImageReader>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include "tests/ui/support/png_claiming.h"
#include "ui/detect/image_list.h"

using yolo::ui::ImageList;

namespace {

// The image at `index` as the Detect view gets it: asked for, then awaited until its decode
// has ended (null when the file is unreadable).
QImage decodedImage(ImageList& list, int index) {
  const QImage image = list.image(index);
  if (!list.isDecoding(index)) return image;
  QElapsedTimer waited;
  waited.start();
  while (list.isDecoding(index) && waited.elapsed() < 30000) QTest::qWait(2);
  return list.image(index);
}

}  // namespace

class TestImageList : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void opensReadableFilesAndNamesTheOthers() {
    QTemporaryDir dir;
    QImage picture(40, 30, QImage::Format_RGB32);
    picture.fill(Qt::white);
    QVERIFY(picture.save(dir.filePath(QStringLiteral("a.png"))));
    QVERIFY(picture.save(dir.filePath(QStringLiteral("b.jpg"))));
    QFile broken(dir.filePath(QStringLiteral("broken.png")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("not an image");
    broken.close();

    ImageList list;
    QSignalSpy unreadable(&list, &ImageList::unreadable);
    QSignalSpy row(&list, &QListWidget::currentRowChanged);
    const int added = list.openImages({dir.filePath(QStringLiteral("a.png")),
                                       dir.filePath(QStringLiteral("broken.png")),
                                       dir.filePath(QStringLiteral("b.jpg"))});
    QCOMPARE(added, 2);
    QCOMPARE(list.imageCount(), 2);
    QCOMPARE(list.count(), 2);
    QCOMPARE(list.name(1), QStringLiteral("b.jpg"));
    QCOMPARE(decodedImage(list, 0).size(), QSize(40, 30));
    QVERIFY(list.image(5).isNull());
    QCOMPARE(unreadable.count(), 1);
    QVERIFY(unreadable.at(0).at(0).toString().endsWith(QStringLiteral("broken.png")));
    QVERIFY(!unreadable.at(0).at(1).toString().isEmpty());
    QCOMPARE(list.currentRow(), 0);  // the first added
    QCOMPARE(row.count(), 1);

    QCOMPARE(list.openImages({dir.filePath(QStringLiteral("a.png"))}), 1);
    QCOMPARE(list.currentRow(), 2);  // the new one is shown
  }

  void aFolderOpensItsImagesAndAFileThatFailsToDecodeIsNamedWhenShown() {
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("photos/more")));
    QImage picture(40, 30, QImage::Format_RGB32);
    picture.fill(Qt::white);
    const QString folder = dir.filePath(QStringLiteral("photos"));
    for (const char* name : {"photos/b.png", "photos/a.jpg", "photos/more/c.png"})
      QVERIFY(picture.save(dir.filePath(QString::fromLatin1(name))));
    QFile(dir.filePath(QStringLiteral("photos/notes.txt"))).open(QIODevice::WriteOnly);
    // Looks like an image by its name; its bytes end after the JPEG's first marker.
    QFile truncated(dir.filePath(QStringLiteral("photos/d.jpg")));
    QVERIFY(truncated.open(QIODevice::WriteOnly));
    truncated.write("\xff\xd8\xff\xe0", 4);
    truncated.close();

    ImageList list;
    QSignalSpy unreadable(&list, &ImageList::unreadable);
    QCOMPARE(list.openImages({folder}), 4);  // by suffix, not notes.txt
    QCOMPARE(list.name(0), QStringLiteral("a.jpg"));
    QCOMPARE(list.name(1), QStringLiteral("b.png"));
    QCOMPARE(list.name(2), QStringLiteral("d.jpg"));
    QCOMPARE(list.name(3), QStringLiteral("more/c.png"));
    QCOMPARE(list.currentRow(), 0);
    QCOMPARE(unreadable.count(), 0);  // nothing decoded but what is shown

    QVERIFY(decodedImage(list, 2).isNull());
    QCOMPARE(unreadable.count(), 1);
    QVERIFY(unreadable.at(0).at(0).toString().endsWith(QStringLiteral("d.jpg")));
    QVERIFY(list.item(2)->toolTip().contains(unreadable.at(0).at(1).toString()));
    QVERIFY(list.image(2).isNull());
    QVERIFY(!list.isDecoding(2));     // known unreadable: not decoded again
    QCOMPARE(unreadable.count(), 1);  // reported once
    QCOMPARE(decodedImage(list, 3).size(), QSize(40, 30));
  }

  void aPictureLargerThanMemoryAllowsIsRefusedFromItsHeader() {
    // A PNG whose header claims 20000 x 20000 (1.6 GB decoded): refused before allocating,
    // with the workbench's limit (app/gui/main.cpp) as with Qt's default.
    QImageReader::setAllocationLimit(1024);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.png"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(yolo::test::pngClaiming(20000));  // a valid header: the decoder must refuse the size
    file.close();

    ImageList list;
    QSignalSpy unreadable(&list, &ImageList::unreadable);
    QCOMPARE(list.openImages({path}), 1);
    QVERIFY(decodedImage(list, 0).isNull());
    QCOMPARE(unreadable.count(), 1);
    QVERIFY(!unreadable.at(0).at(1).toString().isEmpty());
  }

  void decodesInTheBackgroundAndOnlyTheLatestWish() {
    QTemporaryDir dir;
    QImage picture(40, 30, QImage::Format_RGB32);
    picture.fill(Qt::white);
    for (const char* name : {"a.png", "b.png", "c.png"})
      QVERIFY(picture.save(dir.filePath(QString::fromLatin1(name))));
    ImageList list;
    QSignalSpy ready(&list, &ImageList::imageReady);
    list.openImages({dir.path()});
    ready.clear();  // selecting the first may have asked for it
    // Scrolling through: each row is asked for while the first still decodes.
    for (int row = 0; row < 3; ++row) {
      QVERIFY(list.image(row).isNull());  // returns at once; nothing decoded yet
      QVERIFY(list.isDecoding(row));
    }
    QVERIFY(decodedImage(list, 2).size() == QSize(40, 30));
    QCOMPARE(ready.count(), 1);  // the latest wish only; the skipped row was never decoded
    QCOMPARE(ready.at(0).at(0).toInt(), 2);
    QVERIFY(list.image(0).isNull());  // only what is shown is kept
  }

  void onlyTheImageShownIsKeptDecoded() {
    QTemporaryDir dir;
    QImage picture(40, 30, QImage::Format_RGB32);
    picture.fill(Qt::white);
    QVERIFY(picture.save(dir.filePath(QStringLiteral("a.png"))));
    QVERIFY(picture.save(dir.filePath(QStringLiteral("b.png"))));
    ImageList list;
    list.openImages({dir.path()});
    const QImage first = decodedImage(list, 0);
    const qint64 key = first.cacheKey();
    QVERIFY(!decodedImage(list, 1).isNull());
    QVERIFY(list.image(0).isNull());  // released when b.png took its place
    QVERIFY2(decodedImage(list, 0).cacheKey() != key, "decoded again");
  }

  void pastesAPictureOrTheFilesItNames() {
    QTemporaryDir dir;
    ImageList list;
    QImage picture(20, 10, QImage::Format_RGB32);
    picture.fill(Qt::black);
    QApplication::clipboard()->setImage(picture);
    // Qt's offscreen platform, which the tests run on, keeps a clipboard in the process.
    QVERIFY(QApplication::clipboard()->mimeData() &&
            QApplication::clipboard()->mimeData()->hasImage());
    QVERIFY(list.pasteFromClipboard());
    QCOMPARE(list.imageCount(), 1);
    QCOMPARE(list.image(0).size(), QSize(20, 10));
    QCOMPARE(list.name(0), QStringLiteral("pasted 1"));

    QVERIFY(picture.save(dir.filePath(QStringLiteral("c.png"))));
    auto* mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(dir.filePath(QStringLiteral("c.png")))});
    QApplication::clipboard()->setMimeData(mime);
    QVERIFY(list.pasteFromClipboard());
    QCOMPARE(list.name(1), QStringLiteral("c.png"));

    QApplication::clipboard()->clear();
    QVERIFY(!list.pasteFromClipboard());
    QCOMPARE(list.imageCount(), 2);
  }

  void aNullImageIsNotAdded() {
    ImageList list;
    list.addImage(QStringLiteral("nothing"), QImage());
    QCOMPARE(list.imageCount(), 0);
    QCOMPARE(list.count(), 0);
  }
};

QTEST_MAIN(TestImageList)
#include "test_image_list.moc"
