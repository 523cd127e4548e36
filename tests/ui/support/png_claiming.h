#pragma once
// A PNG that lies about its size: a valid 8 x 8 picture whose header (IHDR, with a correct
// checksum) claims `side` x `side`. A decoder must refuse it from the header, before it
// allocates the claimed size. Shared by the tests and the drops benchmark.

#include <QBuffer>
#include <QByteArray>
#include <QImage>

namespace yolo::test {

/// PNG's chunk checksum (ISO 3309 CRC-32).
inline quint32 pngCrc32(const QByteArray& bytes) {
  quint32 crc = 0xFFFFFFFFu;
  for (const char byte : bytes) {
    crc ^= static_cast<quint8>(byte);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

/// The bytes of an 8 x 8 white PNG whose header says `side` x `side`.
inline QByteArray pngClaiming(int side) {
  QImage small(8, 8, QImage::Format_RGB32);
  small.fill(Qt::white);
  QByteArray bytes;
  {
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    small.save(&buffer, "PNG");
  }
  // IHDR's width and height (big endian) at 16 and 20; its checksum, over the chunk's type
  // and data (12..28), at 29.
  const char sideBytes[4] = {char(side >> 24), char(side >> 16), char(side >> 8), char(side)};
  bytes.replace(16, 4, sideBytes, 4);
  bytes.replace(20, 4, sideBytes, 4);
  const quint32 crc = pngCrc32(bytes.mid(12, 17));
  const char crcBytes[4] = {char(crc >> 24), char(crc >> 16), char(crc >> 8), char(crc)};
  bytes.replace(29, 4, crcBytes, 4);
  return bytes;
}

}  // namespace yolo::test
