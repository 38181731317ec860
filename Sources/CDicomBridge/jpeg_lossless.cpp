// A fast decoder for the common case of JPEG lossless (process 14, any predictor): one
// component, Huffman coded, restart intervals of whole rows. IJG's generic lossless path costs
// most of the ingest time of a typical DX file; this one is a single tight loop.
// Anything else (several components, odd restart intervals, unknown markers) returns false so
// the caller falls back to DCMTK.
#include "bridge_internal.hpp"

#include <cstring>

namespace {

struct HuffmanTable {
    bool defined = false;
    // 9-bit lookahead: length 0 means "longer code, use the slow path".
    uint8_t fastLength[512];
    uint8_t fastSymbol[512];
    int32_t maxCode[18];
    int32_t valueOffset[17];
    uint8_t values[256];
};

bool buildTable(const uint8_t *counts, const uint8_t *symbols, int total, HuffmanTable &t) {
    std::memset(t.fastLength, 0, sizeof t.fastLength);
    std::memcpy(t.values, symbols, size_t(total));
    int code = 0, k = 0;
    for (int length = 1; length <= 16; ++length) {
        t.valueOffset[length] = k - code;
        for (int i = 0; i < counts[length - 1]; ++i, ++k, ++code) {
            if (length <= 9) {
                int first = code << (9 - length), span = 1 << (9 - length);
                for (int j = 0; j < span; ++j) {
                    t.fastLength[first + j] = uint8_t(length);
                    t.fastSymbol[first + j] = symbols[k];
                }
            }
        }
        t.maxCode[length] = counts[length - 1] ? code - 1 : -1;
        if (code > (1 << length)) return false; // over-subscribed table
        code <<= 1;
    }
    t.maxCode[17] = 0x7FFFFFFF;
    t.defined = true;
    return true;
}

/// Entropy-coded segment reader: removes stuffed zero bytes, stops at markers.
struct BitReader {
    const uint8_t *data;
    size_t size;
    size_t position;
    uint64_t accumulator = 0;
    int bits = 0;
    int padding = 0; // zero bits invented past a marker or the end
    bool atMarker = false;

    inline void fill() {
        // Fast path: the next bytes hold no 0xFF (no stuffing, no marker), append them at once.
        if (!atMarker && position + 8 <= size) {
            uint64_t word;
            std::memcpy(&word, data + position, 8);
            const int n = (63 - bits) >> 3;
            const uint64_t inverted = ~word; // 0xFF bytes become zero bytes
            const uint64_t zeroBytes = (inverted - 0x0101010101010101ULL) & ~inverted & 0x8080808080808080ULL;
            const uint64_t firstN = n >= 8 ? ~0ULL : ((1ULL << (8 * n)) - 1);
            if (n > 0 && (zeroBytes & firstN) == 0) {
                const uint64_t bigEndian = __builtin_bswap64(word) >> (64 - 8 * n);
                accumulator = (accumulator << (8 * n)) | bigEndian;
                bits += 8 * n;
                position += size_t(n);
                return;
            }
        }
        while (bits <= 56) {
            uint8_t byte = 0;
            if (atMarker || position >= size) {
                padding += 8;
            } else if (data[position] == 0xFF) {
                if (position + 1 < size && data[position + 1] == 0x00) {
                    byte = 0xFF;
                    position += 2;
                } else {
                    atMarker = true;
                    padding += 8;
                }
            } else {
                byte = data[position++];
            }
            accumulator = (accumulator << 8) | byte;
            bits += 8;
        }
    }
    inline uint32_t peek(int n) const { return uint32_t(accumulator >> (bits - n)) & ((1u << n) - 1u); }
    inline void skip(int n) { bits -= n; }

    /// Byte-aligns and consumes an RSTn marker.
    bool restart() {
        accumulator = 0;
        bits = 0;
        padding = 0;
        atMarker = false;
        while (position + 1 < size && data[position] == 0xFF && data[position + 1] == 0xFF) ++position;
        if (position + 1 >= size || data[position] != 0xFF || data[position + 1] < 0xD0 || data[position + 1] > 0xD7)
            return false;
        position += 2;
        return true;
    }
};

inline int decodeSymbol(BitReader &r, const HuffmanTable &t) {
    uint32_t look = r.peek(9);
    int length = t.fastLength[look];
    if (length) {
        r.skip(length);
        return t.fastSymbol[look];
    }
    for (length = 10; length <= 16; ++length) {
        int32_t code = int32_t(r.peek(length));
        if (code <= t.maxCode[length]) {
            r.skip(length);
            int index = t.valueOffset[length] + code;
            return (index >= 0 && index < 256) ? t.values[index] : -1;
        }
    }
    return -1;
}

struct Geometry {
    int32_t rows, columns, rowsPerInterval, precision, pointTransform, bitsStored;
    bool pixelsSigned;
};

/// The sample loop, compiled once per predictor so the hot path has no predictor switch.
template <int Predictor>
bool decodeRows(BitReader &reader, const HuffmanTable &table, const Geometry &g, int32_t *out) {
    const int32_t columns = g.columns;
    std::vector<int32_t> previousRow(static_cast<size_t>(columns)), currentRow(static_cast<size_t>(columns));
    const int32_t initial = 1 << (g.precision - g.pointTransform - 1);
    const uint32_t mask = g.bitsStored >= 32 ? 0xFFFFFFFFu : ((1u << g.bitsStored) - 1u);
    const uint32_t signBit = 1u << (g.bitsStored - 1);
    const int shift = g.pointTransform;
    int rowInInterval = 0;
    for (int32_t y = 0; y < g.rows; ++y) {
        if (y > 0 && rowInInterval == g.rowsPerInterval) {
            if (!reader.restart()) return false;
            rowInInterval = 0;
        }
        const bool firstLine = rowInInterval == 0;
        int32_t *row = currentRow.data();
        const int32_t *above = previousRow.data();
        int32_t *target = out + size_t(y) * size_t(columns);
        for (int32_t x = 0; x < columns; ++x) {
            if (reader.bits < 32) reader.fill();
            const int ssss = decodeSymbol(reader, table);
            if (ssss < 0 || ssss > 16) return false;
            int32_t diff = 0;
            if (ssss == 16) {
                diff = 32768;
            } else if (ssss) {
                const int32_t v = int32_t(reader.peek(ssss));
                reader.skip(ssss);
                diff = v < (1 << (ssss - 1)) ? v - (1 << ssss) + 1 : v;
            }
            int32_t prediction;
            if (firstLine) {
                prediction = x == 0 ? initial : row[x - 1];
            } else if (x == 0) {
                prediction = above[0];
            } else {
                const int32_t ra = row[x - 1], rb = above[x], rc = above[x - 1];
                if (Predictor == 1) prediction = ra;
                else if (Predictor == 2) prediction = rb;
                else if (Predictor == 3) prediction = rc;
                else if (Predictor == 4) prediction = ra + rb - rc;
                else if (Predictor == 5) prediction = ra + ((rb - rc) >> 1);
                else if (Predictor == 6) prediction = rb + ((ra - rc) >> 1);
                else prediction = (ra + rb) >> 1;
            }
            const int32_t value = (prediction + diff) & 0xFFFF;
            row[x] = value;
            uint32_t stored = (uint32_t(value) << shift) & mask;
            if (g.pixelsSigned && (stored & signBit)) stored |= ~mask;
            target[x] = int32_t(stored);
        }
        if (reader.padding > reader.bits) return false; // consumed invented bits: truncated or corrupt
        currentRow.swap(previousRow);
        ++rowInInterval;
    }
    return true;
}

inline uint16_t read16(const uint8_t *p) { return uint16_t((p[0] << 8) | p[1]); }

} // namespace

namespace ldk {

bool decodeJPEGLossless(const uint8_t *data, size_t size, int32_t rows, int32_t columns, int32_t bitsStored,
                        bool pixelsSigned, int32_t *out) {
    if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return false;
    HuffmanTable tables[4];
    int precision = 0, restartInterval = 0, predictor = 0, pointTransform = 0, tableIndex = -1;
    size_t at = 2;
    bool haveFrame = false, haveScan = false;
    while (!haveScan) {
        while (at < size && data[at] == 0xFF && at + 1 < size && data[at + 1] == 0xFF) ++at;
        if (at + 4 > size || data[at] != 0xFF) return false;
        uint8_t marker = data[at + 1];
        size_t length = read16(data + at + 2);
        if (length < 2 || at + 2 + length > size) return false;
        const uint8_t *body = data + at + 4;
        size_t bodyLength = length - 2;
        switch (marker) {
        case 0xC3: { // SOF3: lossless, Huffman
            if (bodyLength < 6 + 3) return false;
            precision = body[0];
            if (read16(body + 1) != rows || read16(body + 3) != columns || body[5] != 1) return false;
            haveFrame = true;
            break;
        }
        case 0xC4: { // DHT, possibly several tables
            size_t p = 0;
            while (p + 17 <= bodyLength) {
                int cls = body[p] >> 4, id = body[p] & 15;
                const uint8_t *counts = body + p + 1;
                int total = 0;
                for (int i = 0; i < 16; ++i) total += counts[i];
                if (cls != 0 || id > 3 || total > 256 || p + 17 + size_t(total) > bodyLength) return false;
                if (!buildTable(counts, body + p + 17, total, tables[id])) return false;
                p += 17 + size_t(total);
            }
            break;
        }
        case 0xDD: // DRI
            if (bodyLength < 2) return false;
            restartInterval = read16(body);
            break;
        case 0xDA: { // SOS
            if (!haveFrame || bodyLength < 6 || body[0] != 1) return false;
            tableIndex = body[2] >> 4;
            predictor = body[3];
            pointTransform = body[5] & 15;
            haveScan = true;
            break;
        }
        default:
            // Other frame types (DCT, arithmetic, hierarchical) and DNL are not ours.
            if ((marker >= 0xC0 && marker <= 0xCF) || marker == 0xDC) return false;
            break; // APPn, COM, DQT: skip
        }
        at += 2 + length;
    }
    if (precision < 2 || precision > 16 || predictor < 1 || predictor > 7 || tableIndex < 0 || tableIndex > 3 ||
        !tables[tableIndex].defined || pointTransform >= precision)
        return false;
    if (restartInterval != 0 && restartInterval % columns != 0) return false;
    const HuffmanTable &table = tables[tableIndex];

    BitReader reader{data, size, at};
    const Geometry g{rows, columns, restartInterval ? restartInterval / columns : rows, precision, pointTransform,
                     bitsStored, pixelsSigned};
    switch (predictor) {
    case 1: return decodeRows<1>(reader, table, g, out);
    case 2: return decodeRows<2>(reader, table, g, out);
    case 3: return decodeRows<3>(reader, table, g, out);
    case 4: return decodeRows<4>(reader, table, g, out);
    case 5: return decodeRows<5>(reader, table, g, out);
    case 6: return decodeRows<6>(reader, table, g, out);
    default: return decodeRows<7>(reader, table, g, out);
    }
}

} // namespace ldk
