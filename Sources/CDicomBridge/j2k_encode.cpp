// JPEG 2000 lossless encoding with OpenJPEG, to memory. DCMTK 3.6.7 has no JPEG 2000 codec, so files of
// syntax 1.2.840.10008.1.2.4.90 (for round-trip tests and conformance files) are made here.
#include "bridge_internal.hpp"

#include "j2k_session.hpp"

#include <algorithm>
#include <cstring>

namespace {

/// A growable buffer OpenJPEG writes into; the encoder may seek back to patch markers.
struct GrowingBuffer {
    std::vector<uint8_t> bytes;
    size_t position = 0;
};

OPJ_SIZE_T writeBytes(void *buffer, OPJ_SIZE_T count, void *user) {
    auto *b = static_cast<GrowingBuffer *>(user);
    if (b->position + count > b->bytes.size()) b->bytes.resize(b->position + count);
    std::memcpy(b->bytes.data() + b->position, buffer, count);
    b->position += count;
    return count;
}

OPJ_OFF_T skipForward(OPJ_OFF_T count, void *user) {
    auto *b = static_cast<GrowingBuffer *>(user);
    if (count < 0 && size_t(-count) > b->position) return -1;
    b->position = size_t(OPJ_OFF_T(b->position) + count);
    if (b->position > b->bytes.size()) b->bytes.resize(b->position);
    return count;
}

OPJ_BOOL seekTo(OPJ_OFF_T offset, void *user) {
    auto *b = static_cast<GrowingBuffer *>(user);
    if (offset < 0) return OPJ_FALSE;
    b->position = size_t(offset);
    if (b->position > b->bytes.size()) b->bytes.resize(b->position);
    return OPJ_TRUE;
}

} // namespace

namespace ldk {

int encodeJ2KLosslessFrame(const int32_t *samples, int32_t rows, int32_t columns, int32_t samplesPerPixel,
                           int32_t precision, bool isSigned, std::vector<uint8_t> &codestream, std::string &message) {
    if (rows <= 0 || columns <= 0 || (samplesPerPixel != 1 && samplesPerPixel != 3) || precision < 1 || precision > 16) {
        message = "JPEG 2000 encoder: unsupported layout";
        return LDK_ERR_INVALID_ARGUMENT;
    }
    J2KSession s;
    opj_image_cmptparm_t components[3];
    std::memset(components, 0, sizeof components);
    for (int32_t c = 0; c < samplesPerPixel; ++c) {
        components[c].dx = components[c].dy = 1;
        components[c].w = OPJ_UINT32(columns);
        components[c].h = OPJ_UINT32(rows);
        components[c].prec = OPJ_UINT32(precision);
        components[c].sgnd = isSigned ? 1 : 0;
    }
    s.image = opj_image_create(OPJ_UINT32(samplesPerPixel), components,
                               samplesPerPixel == 1 ? OPJ_CLRSPC_GRAY : OPJ_CLRSPC_SRGB);
    if (s.image == nullptr) {
        message = "JPEG 2000 encoder: cannot create the image";
        return LDK_ERR_WRITE;
    }
    s.image->x0 = s.image->y0 = 0;
    s.image->x1 = OPJ_UINT32(columns);
    s.image->y1 = OPJ_UINT32(rows);
    const size_t pixels = size_t(rows) * size_t(columns);
    for (int32_t c = 0; c < samplesPerPixel; ++c)
        for (size_t i = 0; i < pixels; ++i) s.image->comps[c].data[i] = samples[i * size_t(samplesPerPixel) + size_t(c)];

    opj_cparameters_t parameters;
    opj_set_default_encoder_parameters(&parameters);
    // One quality layer at rate 0 with the reversible 5/3 wavelet: lossless.
    parameters.tcp_numlayers = 1;
    parameters.tcp_rates[0] = 0;
    parameters.cp_disto_alloc = 1;
    parameters.irreversible = 0;
    // No colour transform: the file says RGB, and the decoder must give back the samples as written.
    parameters.tcp_mct = 0;
    // Small images cannot hold the default six resolution levels.
    int levels = 1;
    while (levels < 6 && (std::min(rows, columns) >> levels) >= 1) ++levels;
    parameters.numresolution = levels;

    std::string errors;
    s.codec = opj_create_compress(OPJ_CODEC_J2K);
    collectJ2KMessages(s.codec, errors);
    if (!opj_setup_encoder(s.codec, &parameters, s.image)) {
        message = "JPEG 2000 encoder setup failed: " + errors;
        return LDK_ERR_WRITE;
    }
    GrowingBuffer buffer;
    s.stream = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_FALSE);
    opj_stream_set_write_function(s.stream, writeBytes);
    opj_stream_set_skip_function(s.stream, skipForward);
    opj_stream_set_seek_function(s.stream, seekTo);
    opj_stream_set_user_data(s.stream, &buffer, nullptr);
    if (!opj_start_compress(s.codec, s.image, s.stream) || !opj_encode(s.codec, s.stream) ||
        !opj_end_compress(s.codec, s.stream)) {
        message = "JPEG 2000 encoding failed: " + errors;
        return LDK_ERR_WRITE;
    }
    codestream.swap(buffer.bytes);
    return LDK_OK;
}

} // namespace ldk
