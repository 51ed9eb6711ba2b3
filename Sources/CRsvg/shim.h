// librsvg parses SVG and draws it with cairo; cairo writes PNG pixels and PDF pages.
#define RSVG_DISABLE_DEPRECATION_WARNINGS
#include <librsvg/rsvg.h>
#include <cairo.h>
#include <cairo-pdf.h>
