// ImageList: opened files (EXIF orientation applied), unreadable ones reported by name,
// pasted pictures, and the newest addition selected.

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include "ui/detect/image_list.h"

using yolo::ui::ImageList;

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
    QCOMPARE(list.image(0).size(), QSize(40, 30));
    QVERIFY(list.image(5).isNull());
    QCOMPARE(unreadable.count(), 1);
    QVERIFY(unreadable.at(0).at(0).toString().endsWith(QStringLiteral("broken.png")));
    QVERIFY(!unreadable.at(0).at(1).toString().isEmpty());
    QCOMPARE(list.currentRow(), 0);  // the first added
    QCOMPARE(row.count(), 1);

    QCOMPARE(list.openImages({dir.filePath(QStringLiteral("a.png"))}), 1);
    QCOMPARE(list.currentRow(), 2);  // the new one is shown
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
