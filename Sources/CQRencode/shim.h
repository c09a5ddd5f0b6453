#ifndef BOXOFFICE_CQRENCODE_SHIM_H
#define BOXOFFICE_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
