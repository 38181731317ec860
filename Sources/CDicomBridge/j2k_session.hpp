// OpenJPEG plumbing shared by the JPEG 2000 decoder and encoder: one owner of the codec, stream and image, and one
// way to hear the library's messages.
#ifndef LDK_J2K_SESSION_HPP
#define LDK_J2K_SESSION_HPP

#include <openjpeg.h>

#include <string>

namespace ldk {

/// Owns the OpenJPEG objects of one decode or encode, so every exit path frees them.
struct J2KSession {
    opj_codec_t *codec = nullptr;
    opj_stream_t *stream = nullptr;
    opj_image_t *image = nullptr;

    J2KSession() = default;
    J2KSession(const J2KSession &) = delete;
    J2KSession &operator=(const J2KSession &) = delete;
    ~J2KSession();
};

/// Collects the codec's errors in `errors` ("; "-separated, line ends trimmed) for the caller's message, and
/// drops its warnings and info: the bridge reports through return values, never on stderr.
void collectJ2KMessages(opj_codec_t *codec, std::string &errors);

} // namespace ldk

#endif
