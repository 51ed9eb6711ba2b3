// Pango lays text out with the same fonts librsvg uses, so labels measure real text.
#include <pango/pangocairo.h>
