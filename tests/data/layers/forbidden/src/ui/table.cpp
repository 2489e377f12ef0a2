// ui may use util only.
#include "berth/util/error.h"
#include "berth/engine/types.h"
