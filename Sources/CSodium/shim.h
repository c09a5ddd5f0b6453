#ifndef BOXOFFICE_CSODIUM_SHIM_H
#define BOXOFFICE_CSODIUM_SHIM_H
#include <sodium.h>
#endif
