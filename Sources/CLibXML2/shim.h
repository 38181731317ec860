// libxml2, which DCMTK's structured-report headers include (WITH_LIBXML). The include path comes from libxml-2.0.pc.
#include <libxml/parser.h>
