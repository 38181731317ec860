// OpenJPEG (JPEG 2000), from Debian's libopenjp2-7-dev. The include path comes from libopenjp2.pc.
#include <openjpeg.h>
