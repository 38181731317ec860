// OpenJPEG plumbing shared by j2k_decode.cpp and j2k_encode.cpp.
#include "j2k_session.hpp"

namespace {

void collectError(const char *msg, void *user) {
    auto *text = static_cast<std::string *>(user);
    if (!text->empty()) text->append("; ");
    std::string m(msg);
    while (!m.empty() && (m.back() == '\n' || m.back() == '\r')) m.pop_back();
    text->append(m);
}

void ignoreMessage(const char *, void *) {}

} // namespace

namespace ldk {

J2KSession::~J2KSession() {
    if (image) opj_image_destroy(image);
    if (stream) opj_stream_destroy(stream);
    if (codec) opj_destroy_codec(codec);
}

void collectJ2KMessages(opj_codec_t *codec, std::string &errors) {
    opj_set_error_handler(codec, collectError, &errors);
    opj_set_warning_handler(codec, ignoreMessage, nullptr);
    opj_set_info_handler(codec, ignoreMessage, nullptr);
}

} // namespace ldk
