// librsvg and cairo, for CSVGRaster only; Swift code never imports this module directly.
#include <librsvg/rsvg.h>
#include <cairo.h>
