// JPEG 2000 and HTJ2K decoding with OpenJPEG, from memory.
#include "bridge_internal.hpp"

#include "j2k_session.hpp"

#include <cstring>

namespace {

struct MemoryStream {
    const uint8_t *data;
    size_t size;
    size_t position;
};

OPJ_SIZE_T readBytes(void *buffer, OPJ_SIZE_T count, void *user) {
    auto *s = static_cast<MemoryStream *>(user);
    if (s->position >= s->size) return OPJ_SIZE_T(-1);
    size_t n = count < s->size - s->position ? count : s->size - s->position;
    std::memcpy(buffer, s->data + s->position, n);
    s->position += n;
    return n;
}

OPJ_OFF_T skipBytes(OPJ_OFF_T count, void *user) {
    auto *s = static_cast<MemoryStream *>(user);
    if (count < 0) {
        if (size_t(-count) > s->position) return -1;
        s->position -= size_t(-count);
        return count;
    }
    size_t n = size_t(count) < s->size - s->position ? size_t(count) : s->size - s->position;
    s->position += n;
    return OPJ_OFF_T(n);
}

OPJ_BOOL seekTo(OPJ_OFF_T offset, void *user) {
    auto *s = static_cast<MemoryStream *>(user);
    if (offset < 0 || size_t(offset) > s->size) return OPJ_FALSE;
    s->position = size_t(offset);
    return OPJ_TRUE;
}

bool isJP2(const uint8_t *p, size_t n) {
    static const uint8_t signature[12] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A};
    return n >= 12 && std::memcmp(p, signature, 12) == 0;
}

} // namespace

namespace ldk {

int decodeJ2KFrame(const uint8_t *data, size_t size, int32_t rows, int32_t columns, int32_t samplesPerPixel,
                   std::vector<int32_t> &samples, bool &codestreamSigned, int32_t &codestreamPrecision,
                   std::string &message) {
    if (size < 4) {
        message = "JPEG 2000 frame has only " + std::to_string(size) + " bytes";
        return LDK_ERR_DECODE;
    }
    MemoryStream memory{data, size, 0};
    J2KSession s;
    std::string errors;
    s.codec = opj_create_decompress(isJP2(data, size) ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
    if (s.codec == nullptr) {
        message = "OpenJPEG: cannot create decoder";
        return LDK_ERR_DECODE;
    }
    collectJ2KMessages(s.codec, errors);
    opj_dparameters_t parameters;
    opj_set_default_decoder_parameters(&parameters);
    if (!opj_setup_decoder(s.codec, &parameters)) {
        message = "OpenJPEG: setup failed: " + errors;
        return LDK_ERR_DECODE;
    }
    s.stream = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_TRUE);
    opj_stream_set_user_data(s.stream, &memory, nullptr);
    opj_stream_set_user_data_length(s.stream, size);
    opj_stream_set_read_function(s.stream, readBytes);
    opj_stream_set_skip_function(s.stream, skipBytes);
    opj_stream_set_seek_function(s.stream, seekTo);
    if (!opj_read_header(s.stream, s.codec, &s.image) || s.image == nullptr) {
        message = "OpenJPEG: cannot read header: " + (errors.empty() ? std::string("unknown error") : errors);
        return LDK_ERR_DECODE;
    }
    if (!opj_decode(s.codec, s.stream, s.image) || !opj_end_decompress(s.codec, s.stream)) {
        message = "OpenJPEG: " + (errors.empty() ? std::string("decoding failed") : errors);
        return LDK_ERR_DECODE;
    }
    const opj_image_t *img = s.image;
    if (int32_t(img->numcomps) != samplesPerPixel) {
        message = "JPEG 2000 has " + std::to_string(img->numcomps) + " components, Samples per Pixel is " +
                  std::to_string(samplesPerPixel);
        return LDK_ERR_DECODE;
    }
    for (uint32_t c = 0; c < img->numcomps; ++c) {
        const opj_image_comp_t &comp = img->comps[c];
        if (comp.data == nullptr || int32_t(comp.w) != columns || int32_t(comp.h) != rows) {
            message = "JPEG 2000 component " + std::to_string(c) + " is " + std::to_string(comp.w) + "x" +
                      std::to_string(comp.h) + ", header says " + std::to_string(columns) + "x" + std::to_string(rows);
            return LDK_ERR_DECODE;
        }
    }
    codestreamSigned = img->comps[0].sgnd != 0;
    codestreamPrecision = int32_t(img->comps[0].prec);
    const size_t pixels = size_t(rows) * size_t(columns);
    samples.resize(pixels * size_t(samplesPerPixel));
    if (samplesPerPixel == 1) {
        std::memcpy(samples.data(), img->comps[0].data, pixels * sizeof(int32_t));
    } else {
        for (int32_t c = 0; c < samplesPerPixel; ++c) {
            const OPJ_INT32 *plane = img->comps[c].data;
            for (size_t p = 0; p < pixels; ++p) samples[p * size_t(samplesPerPixel) + size_t(c)] = plane[p];
        }
    }
    return LDK_OK;
}

} // namespace ldk
