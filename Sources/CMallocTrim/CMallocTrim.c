// A C target needs a source file; the header carries everything.
#include "CMallocTrim.h"
