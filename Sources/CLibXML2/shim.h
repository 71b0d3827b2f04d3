// libxml2 for the XML reporters. xmlversion.h first, then ICU support switched off: otherwise the system ICU
// headers clash with Foundation's own ICU in modules that import both.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/parser.h>
